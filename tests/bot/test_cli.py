"""The command line: granting and revoking admin roles, and ADMIN_PHONES at start."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session

from bot.app import build_app
from bot.cli import main
from bot.settings import Settings
from storage.admin_roles import grant_for_phone
from storage.db import make_engine
from storage.domain.admin import Grant, Role
from tests.bot.processes import bot_api
from tests.handlers.conftest import free_port


def grant_in(db: Path, phone: str) -> Grant | None:
    engine = make_engine(f"sqlite:///{db}")
    with Session(engine) as session:
        found = grant_for_phone(session, phone)
    engine.dispose()
    return found


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bot.db'}")
    return tmp_path / "bot.db"


def test_admin_add_takes_a_phone_with_spaces_and_districts(db: Path) -> None:
    assert main(["admin", "add", "98123", "45678", "--role", "verifier",
                 "--district", "Prayagraj"]) == 0
    assert grant_in(db, "+919812345678") == Grant("+919812345678", Role.VERIFIER,
                                                  frozenset({"Prayagraj"}))


def test_admin_remove_revokes_and_bad_input_is_refused(db: Path) -> None:
    main(["admin", "add", "9812345678"])
    assert main(["admin", "remove", "+91 98123 45678"]) == 0
    assert grant_in(db, "+919812345678") is None
    assert main(["admin", "add", "12345"]) == 2
    assert main(["admin", "add", "9812345678", "--role", "district_admin"]) == 2


def test_admin_phones_become_super_admins_on_start(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    app = build_app(Settings(database_url=url, admin_phones=["098123 45678", "junk"]))
    app.db.dispose()
    assert grant_in(tmp_path / "bot.db", "+919812345678") == Grant("+919812345678",
                                                                  Role.SUPER_ADMIN)


def test_run_with_a_wrong_token_says_what_to_fix_and_exits(
        db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    with bot_api() as api:
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "999:not-the-token")
        monkeypatch.setenv("TELEGRAM_API_BASE_URL", api.base_url("cli"))
        monkeypatch.setenv("WEB_PORT", str(free_port()))
        assert main(["run"]) == 1
    error = capsys.readouterr().err
    assert "copy the token from @BotFather" in error
    assert "Traceback" not in error and "not-the-token" not in error
