"""Benchmark memory: the peak RSS of `bloodbot run` serving with a million donors.

The bot runs as a user starts it (`bloodbot run`, a process of its own, polling a fake Bot
API with Telegram's rate limits) on a copy of the 1M-donor population. Users talk to it,
an admin verifies on Telegram (shares their contact, then answers the checklist) and
requests in Prayagraj and New Delhi are broadcast (quick: fewer of each). The peak RSS
is the kernel's own (VmHWM in /proc/PID/status): nothing is installed to measure it.
Run from the repository root: `python -m bench.memory`.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlmodel import Session

from bench.environment import bot_environment
from bench.fake_client import FakeProcess, Stats, fake_bot_api, free_port
from bench.hospitals import NEW_DELHI, PRAYAGRAJ, Hospital, file_request
from bench.population import DATA, QUICK_DONORS, donor_database
from bench.timing import Target, machine, table, verdict
from bench.turns import SCRIPT
from storage.db import make_engine, upgrade_schema

DONORS = 1_000_000
MAX_MB = 150.0  # issue 7: peak RSS under 150 MB with 1M donors
ADMIN_CHAT, ADMIN_PHONE = 90_000_001, "+919000000001"
TIMEOUT_S = 120.0
QUIET_S = 3.0
STOP_S = 3.0
RUN = "import sys; from bot.cli import main; sys.exit(main())"


def memory_kb(pid: int) -> dict[str, int]:
    """Return the process's VmRSS and VmHWM (its peak) in kB."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0])
    return found


@dataclass(frozen=True)
class Load:
    """What the bot is put through while its memory is watched."""

    users: int
    script: tuple[str, ...]
    hospitals: tuple[Hospital, ...]
    settle: bool
    """Wait until the courier has sent everything (each chat gets 1 message a second)."""


FULL = Load(40, SCRIPT, (PRAYAGRAJ, NEW_DELHI), settle=True)
QUICK = Load(2, SCRIPT[:2], (PRAYAGRAJ,), settle=False)


def prepare(path: Path, load: Load) -> list[str]:
    """File the pending requests (after the attendant's first) in the copied database."""
    engine = make_engine(f"sqlite:///{path}")
    upgrade_schema(engine)
    now = datetime.now(UTC)
    with Session(engine) as session, session.begin():
        file_request(session, PRAYAGRAJ, now=now)
        codes = [file_request(session, hospital, now=now, needed_in=timedelta(hours=3)).code
                 for hospital in load.hospitals]
    engine.dispose()
    return codes


def message(chat: int, text: str = "", **extra: object) -> dict[str, object]:
    """Return an update body: a message in a private chat."""
    user = {"id": chat, "is_bot": False, "first_name": "Asha"}
    body: dict[str, object] = {"chat": {"id": chat, "type": "private", "first_name": "Asha"},
                               "from": user, **extra}
    return {"message": {**body, "text": text} if text else body}


async def converse(fake: FakeProcess, codes: list[str], load: Load) -> None:
    """Have users talk to the bot and the admin approve the requests; wait for the alerts."""
    for step in load.script:
        for user in range(load.users):
            await fake.push(message(80_000_001 + user, step))
    contact = {"phone_number": ADMIN_PHONE, "first_name": "Admin", "user_id": ADMIN_CHAT}
    for update in (message(ADMIN_CHAT, "/start"), message(ADMIN_CHAT, "1"),
                   message(ADMIN_CHAT, contact=contact)):
        await fake.push(update)
    for code in codes:
        await fake.watch(code)
        for text in (f"/approve {code}", "1", "1", "1", "skip"):
            await fake.push(message(ADMIN_CHAT, text))
        started = time.monotonic()
        while (await fake.stats()).watched_at is None:
            if time.monotonic() - started > TIMEOUT_S:
                raise RuntimeError(f"no alert for {code} within {TIMEOUT_S:.0f} s")
            await asyncio.sleep(0.1)


async def measure(path: Path, directory: Path,
                  load: Load) -> tuple[dict[str, int], dict[str, int], Stats]:
    """Run the bot on `path`; return its memory when ready, at its peak, and messages sent."""
    codes = prepare(path, load)
    port = free_port()
    async with fake_bot_api(per_second=30, per_chat=1) as fake:
        env = bot_environment({
            "DATABASE_URL": f"sqlite:///{path}", "ADMIN_PHONES": ADMIN_PHONE,
            "TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_API_BASE_URL": fake.base_url,
            "WEB_PORT": str(port), "LOG_LEVEL": "WARNING"})
        bot = await asyncio.create_subprocess_exec(sys.executable, "-c", RUN, "run", env=env,
                                                   cwd=directory)
        try:
            await _healthy(port, bot)
            ready = memory_kb(bot.pid)
            await converse(fake, codes, load)
            sent = await _quiet(fake) if load.settle else await fake.stats()
            peak = memory_kb(bot.pid)
        finally:
            if bot.returncode is None:
                bot.terminate()
                try:  # its memory is measured: no need to wait out the courier's grace
                    await asyncio.wait_for(bot.wait(), STOP_S)
                except TimeoutError:
                    bot.kill()
                    await bot.wait()
    return ready, peak, sent


async def _quiet(fake: FakeProcess) -> Stats:
    """Wait until the courier has sent nothing for QUIET_S seconds; return the fake's counts."""
    stats, since = await fake.stats(), time.monotonic()
    while time.monotonic() - since < QUIET_S:
        await asyncio.sleep(0.25)
        now = await fake.stats()
        if now.sent != stats.sent:
            since = time.monotonic()
        stats = now
    return stats


async def _healthy(port: int, bot: asyncio.subprocess.Process) -> None:
    async with httpx.AsyncClient() as client:
        started = time.monotonic()
        while time.monotonic() - started < TIMEOUT_S and bot.returncode is None:
            try:
                if (await client.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("bloodbot run did not become healthy")


def main(argv: Sequence[str] | None = None) -> int:
    """Copy the population, serve it, print the memory table and the target."""
    args = _parser().parse_args(argv)
    donors, load = (QUICK_DONORS, QUICK) if args.quick else (DONORS, FULL)
    source = donor_database(donors, directory=args.data)
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as directory:
        path = Path(directory) / "bloodbot.db"
        shutil.copy(source, path)
        ready, peak, sent = asyncio.run(measure(path, Path(directory), load))
    print(f"bloodbot run (polling a fake Bot API) on {donors:,} donors: {load.users} users × "
          f"{len(load.script)} messages, an admin approving {len(load.hospitals)} request(s), "
          f"{sent.sent} messages sent ({sent.refused} answered 429); {machine()}")
    print(table(["when", "RSS MB", "peak RSS MB"],
                [("ready (healthz answers)", f"{ready['VmRSS'] / 1024:.1f}",
                  f"{ready['VmHWM'] / 1024:.1f}"),
                 ("after the turns and broadcasts", f"{peak['VmRSS'] / 1024:.1f}",
                  f"{peak['VmHWM'] / 1024:.1f}")]))
    peak_mb = peak["VmHWM"] / 1024
    return verdict([Target(f"peak RSS < {MAX_MB:.0f} MB with {donors:,} donors",
                           f"{peak_mb:.1f} MB", peak_mb < MAX_MB)], quick=args.quick)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.memory", description=__doc__)
    parser.add_argument("--quick", action="store_true",
                        help=f"a smoke run on {QUICK_DONORS:,} donors, 2 users, 1 request")
    parser.add_argument("--data", type=Path, default=DATA,
                        help="where the donor databases are kept")
    return parser


if __name__ == "__main__":
    sys.exit(main())
