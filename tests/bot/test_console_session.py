"""Scripted console sessions through `bloodbot chat` with piped stdin, on a real SQLite file."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

REQUEST_EN = ["hi", "1", "1", "Ramesh Kumar", "45", "1", "B+", "2", "2", "1", "SRN Hospital",
              "211001", "Ward 5 bed 12", "skip", "1", "Sunita Devi", "98123 45679", "3", "1"]
REQUEST_HI = ["नमस्ते", "2", "1", "रमेश कुमार", "45", "1", "बी पॉजिटिव", "2", "2", "1",
              "एसआरएन अस्पताल", "इलाहाबाद", "1", "छोड़ें", "1", "सुनीता देवी", "09812345679", "3", "1"]

SIGNUP_EN = ["hi", "1", "2", "1", "1", "1", "Asha Verma", "098123 45670", "O+", "2", "28", "1",
             "211001", "never", "8", "1", "1"]
SIGNUP_HI = ["नमस्ते", "2", "2", "1", "1", "1", "आशा वर्मा", "ओ पॉजिटिव", "2", "28 साल", "1",
             "प्रयागराज", "1", "8", "1", "1"]
DONOR_ROW = ("SELECT p.phone, d.blood_group, d.district, d.language, d.consent_alerts "
             "FROM donor d JOIN person p ON p.id = d.person_id")


ADMINS = "+919000000001, +919000000002"


def chat(db: Path, user: str, lines: list[str]) -> str:
    """Pipe `lines` into `bloodbot chat --as user` and return what it printed."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "ADMIN_PHONES": ADMINS}
    result = subprocess.run(
        [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())",
         "chat", "--as", user],
        input="\n".join(lines) + "\n", capture_output=True, text=True, env=env, timeout=120,
        check=True, cwd=db.parent,
    )
    return result.stdout


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql).fetchall()


def test_a_request_filed_in_english_is_stored_pending_with_e164_phone(tmp_path: Path) -> None:
    out = chat(tmp_path / "bot.db", "asha", REQUEST_EN)
    assert "waiting for verification" in out and "Never pay anyone" in out
    assert rows(tmp_path / "bot.db", "SELECT status, attendant_phone, hospital_district "
                                     "FROM blood_request") == [
        ("pending_verification", "+919812345679", "Prayagraj")]


def test_a_request_filed_in_hindi_is_answered_in_hindi(tmp_path: Path) -> None:
    out = chat(tmp_path / "bot.db", "+919812345678", REQUEST_HI)
    assert "जाँच का इंतज़ार" in out and "किसी को भी पैसे न दें" in out
    assert rows(tmp_path / "bot.db", "SELECT status, attendant_phone, language "
                                     "FROM blood_request") == [
        ("pending_verification", "+919812345679", "hi")]


def test_a_donor_registered_in_english_has_an_e164_phone(tmp_path: Path) -> None:
    out = chat(tmp_path / "bot.db", "asha", SIGNUP_EN)
    assert "You are now registered as a blood donor" in out
    assert rows(tmp_path / "bot.db", DONOR_ROW) == [("+919812345670", "O+", "Prayagraj", "en", 1)]


def test_a_donor_registered_in_hindi_uses_the_channel_phone(tmp_path: Path) -> None:
    out = chat(tmp_path / "bot.db", "+919812345670", SIGNUP_HI)
    assert "अब आप रक्तदाता के रूप में जुड़ गए हैं" in out
    assert "मोबाइल नंबर" not in out
    assert rows(tmp_path / "bot.db", DONOR_ROW) == [("+919812345670", "O+", "Prayagraj", "hi", 1)]


def test_admins_from_admin_phones_list_and_approve_and_the_requester_hears(
        tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    chat(db, "+919812345678", REQUEST_EN)
    [(code,)] = rows(db, "SELECT code FROM blood_request")
    checklist = [f"/approve {code}", "1", "1", "1"]
    out = chat(db, "+919000000001", ["hi", "1", "/pending", *checklist, "Called ward sister",
                                     "/as +919000000002", "hi", "1", *checklist, "skip"])
    assert f"{code} · B+" in out and "needs a second admin" in out
    header = "----- message to +919812345678 -----"
    assert header in out and "has been verified" in out.split(header)[1]
    assert rows(db, "SELECT status FROM blood_request") == [("verified",)]
