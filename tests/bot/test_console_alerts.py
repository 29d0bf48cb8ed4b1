"""The demo in `bloodbot chat`: an approval prints the alerts; a donor answers; the family hears.

The chat runs in a subprocess with its clock pinned to the seeding time (14:00 in Kolkata),
so quiet hours (22:00-07:00) never hold wave 1 back, whenever the suite runs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.demo import seed_demo
from storage.db import make_engine, upgrade_schema
from tests.bot.conftest import FakeClock

CHAT_AT = """
import sys
from datetime import datetime
import bot.cli as cli
from bot.app import build_app
at = datetime.fromisoformat(sys.argv[1])
cli.build_app = lambda settings: build_app(settings, clock=lambda: at)
sys.exit(cli.main(["chat", "--as", sys.argv[2]]))
"""


def chat_at(db: Path, when: str, user: str, lines: list[str]) -> str:
    """Pipe `lines` into `bloodbot chat --as user` with the clock at `when`; return stdout."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}"}
    result = subprocess.run([sys.executable, "-c", CHAT_AT, when, user],
                            input="\n".join(lines) + "\n", capture_output=True, text=True,
                            env=env, timeout=120, check=True, cwd=db.parent)
    return result.stdout


def test_approving_in_the_console_prints_alerts_and_a_pledge_reaches_the_family(
        tmp_path: Path) -> None:
    db_path, now = tmp_path / "bot.db", FakeClock().now
    db = make_engine(f"sqlite:///{db_path}")
    upgrade_schema(db)
    summary = seed_demo(db, now=now)
    db.dispose()
    code, attendant = summary.pending[0].summary.code, summary.pending[0].summary.draft
    donor = summary.examples[0].phone
    out = chat_at(db_path, now.isoformat(), summary.admins[0].phone, [
        f"/approve {code}", "1", "1", "1", "skip", f"/as {donor}", code, "1", "2"])
    approval, answer = out.split(f"(you are now '{donor}')")
    assert f"----- message to {donor} -----" in approval
    assert approval.count("----- message to +9190000") > 5 and code in approval
    assert attendant.attendant_phone in answer
    assert f"----- message to {attendant.attendant_phone} -----" in answer
