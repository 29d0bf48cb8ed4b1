"""Crash soak: users sign up and file requests while the bot is SIGKILLed and restarted.

    python bench/soak.py [--users 1000] [--kills 10] [--seed S] [--quick]

Not part of the test suite (tests/bench/test_soak_smoke.py runs `--quick --kills 1`). A fake
Telegram Bot API runs in this process (tests/handlers/fake_bot_api.py) and records every call.
`bloodbot run` runs as a child process in webhook mode on one SQLite file, rate limits off,
with ten super-admins from ADMIN_PHONES. Simulated users (asyncio tasks) post Telegram
updates to its /telegram/webhook: about 70% sign up as donors, most of them within 10 km of
two hospitals, and 30% file a blood request at one of them; pairs of admins approve each
request (an attendant's first request needs two), so broadcast waves alert the donors. As
Telegram does, at most 40 updates are in flight at once (setWebhook max_connections) and an
update is posted again, after a doubling wait, until it is answered 200. A user answers the
step that their committed conversation state is at (read from the database), so the soak
keeps working as the flows change. A killer SIGKILLs the bot each time the users' progress
passes one of `--kills` random marks and restarts it at once, waiting for /healthz; if the
bot exits by itself it is restarted as a supervisor would, and the exit is a failure. At the
end the outbox must drain within `--drain` seconds (it waits for a killed process's two-minute
leases to run out, except in --quick), the bot is stopped with SIGTERM, and these are checked:

- Corrupted conversations: each stored state parses and names a known (flow, step), or the
  menu. Proves that no half-written state survives a kill (one transaction per turn).
  `ConversationState.from_json` would quietly reset a broken state, so the rows are read here.
- Committed answers lost: each update answered 200 is in inbound_message, and its effect is
  there: each finished donor has one donor row with the name, phone, group, sex, PIN and
  language they gave; each finished family has exactly one request with their patient, units,
  attendant phone and PIN; each approval answered 200 is one request_approval row, and requests
  approved twice are verified or broadcasting. "Answers that moved nothing" counts answers
  after which the stored step did not change. Together these prove "200 only after commit"
  and that a redelivered update is not applied twice. Limits: only the sign-up, request and
  approval paths run; a 200 lost after the commit is only seen as a redelivery.
- Alerts sent twice: sendMessage calls with the same request's `/respond CODE` buttons to the
  same chat, counted at the fake. The idempotency key (request x donor) makes queueing an alert
  exactly-once, and sending it is at most once: the courier commits a "sending started" mark
  before the HTTP call, and a row claimed again with that mark is given up, not resent. So a
  kill between the call and the `sent_at` stamp costs at most that one alert ("alerts cut off
  by a kill", reported with how many never reached the chat). "Alerts awaiting a resend"
  counts unstamped, unmarked rows whose alert the fake already has; both it and alerts sent
  twice are failures. Also a failure: an alert stamped sent that the fake never received.
- Outbox rows given up: rows to these always-reachable chats that the courier gave up on. A
  committed reply that is never sent is lost to its user, so this is a failure.
- Reported only: alerts cut off by a kill, replies and notices delivered more often than the
  outbox holds them (replies are sent at least once, so a cut-off reply is sent again), rows
  still unsent and how many a killed process still leases, broadcast waves due but not run,
  turns handled, kills, the slowest start until the webhook was set, the soak's own worst
  event-loop lag (the fake shares it: a large lag means the harness, not the bot, was slow),
  and the duration.

The exit status is 1 if an invariant failed, 2 if the bot could not be started at all.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Sequence
from contextlib import closing
from dataclasses import asdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script, `bench` and `tests` are imported from here

import httpx  # noqa: E402
from starlette.requests import ClientDisconnect  # noqa: E402

from bench.fake_client import free_port  # noqa: E402
from bench.soak_bot import BotProcess, killer  # noqa: E402
from bench.soak_chat import WEBHOOK_CONNECTIONS, States, Traffic, Webhook  # noqa: E402
from bench.soak_checks import check_all, due_work  # noqa: E402
from bench.soak_people import (  # noqa: E402
    ADMIN_PAIRS,
    APPROVAL,
    Approvals,
    Donor,
    Family,
    admin_desks,
    admin_phone,
    invent,
    live,
)
from bench.soak_report import Run, failures, render  # noqa: E402
from tests.handlers.fake_bot_api import TOKEN, Call, running_fake  # noqa: E402

SECRET = "soak-webhook-secret"
THINK_SECONDS = (0.05, 0.5)
"""A user's pause before each answer (ours: quick, so that many users overlap)."""
QUICK_THINK_SECONDS = (0.01, 0.1)
RAMP_SECONDS = 0.03
"""Users start at random within this many seconds per user (ours: 30 s for 1,000)."""


class CallCounter:
    """Count one method's calls at the fake, looking only at calls new since the last count."""

    def __init__(self, calls: list[Call], method: str) -> None:
        self.calls, self.method = calls, method
        self._seen = self._count = 0

    def __call__(self) -> int:
        """Return how many calls of the method the fake has had."""
        fresh = self.calls[self._seen:]
        self._seen += len(fresh)
        self._count += sum(call.method == self.method for call in fresh)
        return self._count


async def loop_lag(worst: list[float], done: asyncio.Event) -> None:
    """Keep in `worst[0]` the longest this event loop was late: the fake and users share it."""
    while not done.is_set():
        before = time.monotonic()
        await asyncio.sleep(0.1)
        worst[0] = max(worst[0], time.monotonic() - before - 0.1)


class QuietDisconnects(logging.Filter):
    """Drop the fake's tracebacks for calls cut off by a kill: they are the point of the soak."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep every record but a ClientDisconnect."""
        error = record.exc_info[1] if record.exc_info else None
        return not isinstance(error, ClientDisconnect)


def parse(argv: list[str] | None) -> argparse.Namespace:
    """Read the options; --quick shrinks the run to a smoke test's size."""
    top = argparse.ArgumentParser(prog="soak.py", description=__doc__.splitlines()[0])
    top.add_argument("--users", type=int, default=None, help="simulated users (1000)")
    top.add_argument("--kills", type=int, default=None, help="SIGKILLs during the run (10)")
    top.add_argument("--seed", type=int, default=1, help="random seed (1)")
    top.add_argument("--quick", action="store_true", help="30 users, 2 kills, short drain")
    top.add_argument("--drain", type=float, default=None,
                     help="longest wait for the outbox to drain at the end (600; quick: 5)")
    top.add_argument("--timeout", type=float, default=3600.0, help="give up after (3600 s)")
    top.add_argument("--workdir", type=Path, default=None, help="where the database and "
                     "bot.log go (a new temporary directory)")
    top.add_argument("--json", type=Path, default=None, help="also write the counts here")
    args = top.parse_args(argv)
    args.users = args.users if args.users is not None else (30 if args.quick else 1000)
    args.kills = args.kills if args.kills is not None else (2 if args.quick else 10)
    args.drain = args.drain if args.drain is not None else (5.0 if args.quick else 600.0)
    return args


def bot_settings(base_url: str, db: Path) -> dict[str, str]:
    """Return the bot's environment: webhook mode against the fake, limits off, admins."""
    admins = ",".join(admin_phone(index) for index in range(2 * ADMIN_PAIRS))
    return {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": base_url,
            "PUBLIC_BASE_URL": "https://soak.example.org", "TELEGRAM_WEBHOOK_SECRET": SECRET,
            "DATABASE_URL": f"sqlite:///{db}", "ADMIN_PHONES": admins,
            "TELEGRAM_MAX_PER_SECOND": "0", "TELEGRAM_MAX_PER_CHAT_PER_SECOND": "0",
            "TELEGRAM_MAX_PER_GROUP_PER_MINUTE": "0", "MAX_MESSAGES_PER_MINUTE": "1000000",
            "LOG_LEVEL": "WARNING"}


async def drain(db: Path, seconds: float, *, waiting: bool) -> bool:
    """Wait until nothing is left to send or run (twice in a row), or `seconds` pass.

    Return whether it emptied. With `waiting=False`, work that waits for a killed process's
    lease or a retry time is not waited for (the quick mode).
    """
    deadline, quiet = time.monotonic() + seconds, 0
    while time.monotonic() < deadline and quiet < 2:
        with closing(sqlite3.connect(db, timeout=30)) as connection:
            quiet = quiet + 1 if due_work(connection, waiting=waiting) == (0, 0) else 0
        await asyncio.sleep(0.5)
    return quiet >= 2


async def soak(args: argparse.Namespace, workdir: Path) -> Run:
    """Run the users, the admins and the killer against the bot; check once it is stopped."""
    started = time.monotonic()
    db, people = workdir / "soak.db", invent(args.users, random.Random(args.seed))
    traffic, approvals = Traffic(), Approvals()
    async with running_fake() as fake:
        bot = BotProcess(bot_settings(fake.base_url, db), workdir, free_port(),
                         webhooks_set=CallCounter(fake.calls, "setWebhook"))
        try:
            await bot.start()
            if bot.gave_up:
                raise RuntimeError(bot.gave_up)
            finished, desks_failed = await play(args, bot, States(db), people, traffic,
                                                approvals)
            drained = await drain(db, args.drain, waiting=not args.quick) or args.quick
        finally:
            clean = await bot.stop()
        done = {person.chat for person, ok in zip(people, finished, strict=True) if ok}
        findings = check_all(db, people, done, traffic, approvals, fake.calls)
    families = sum(isinstance(person, Family) for person in people)
    return Run(args.users, len(people) - families, families, args.kills, args.seed, workdir,
               len(done), desks_failed, traffic, approvals, bot.kills, bot.starts, clean,
               bot.ready_seconds, bot.exits, bot.gave_up, findings,
               time.monotonic() - started, drained)


async def play(args: argparse.Namespace, bot: BotProcess, states: States,
               people: list[Donor | Family], traffic: Traffic,
               approvals: Approvals) -> tuple[list[bool], int]:
    """Let everyone talk to the bot while the killer works; return who finished."""
    rng = random.Random(args.seed + 1)
    timeout = httpx.Timeout(120.0, connect=5.0, pool=None)
    limits = httpx.Limits(max_connections=WEBHOOK_CONNECTIONS)
    async with httpx.AsyncClient(timeout=timeout, limits=limits) as client:
        webhook = Webhook(client, bot.url, SECRET, random.Random(rng.random()), traffic)
        families = sum(isinstance(person, Family) for person in people)
        planned = (sum(len(person.script().answers) + 2 for person in people)
                   + 2 * ADMIN_PAIRS * 3 + 2 * families * (1 + len(APPROVAL)))
        done = asyncio.Event()
        lag = asyncio.create_task(loop_lag(traffic.loop_lag, done))
        kills = asyncio.create_task(killer(bot, args.kills, lambda: len(traffic.acked) / planned,
                                           random.Random(rng.random()), done))
        desks = admin_desks(webhook, states, approvals)
        think = QUICK_THINK_SECONDS if args.quick else THINK_SECONDS
        users = [asyncio.create_task(live(webhook, states, person, approvals,
                                          rng.uniform(0, RAMP_SECONDS * len(people)), think))
                 for person in people]
        try:
            return await _finish(users, desks, approvals, args.timeout, bot)
        finally:
            done.set()
            await asyncio.gather(kills, lag)


async def _finish(users: list[asyncio.Task[bool]], desks: list[asyncio.Task[None]],
                  approvals: Approvals, timeout: float,
                  bot: BotProcess) -> tuple[list[bool], int]:
    """Wait for the users, then the admins; return who finished and how many desks did not.

    Whoever is not done when `timeout` passes, or when the bot can no longer be restarted,
    did not finish.
    """
    deadline = time.monotonic() + timeout
    await _wait(users, deadline, bot)
    approvals.close()
    await _wait(desks, deadline, bot)
    outcomes = [_ended(task) and task.result() for task in users]
    desks_failed = sum(not _ended(task) for task in desks)
    for task in [*users, *desks]:
        task.cancel()
    await asyncio.gather(*users, *desks, return_exceptions=True)
    return outcomes, desks_failed


async def _wait(tasks: Sequence[asyncio.Task[Any]], deadline: float, bot: BotProcess) -> None:
    """Wait for the tasks until `deadline`, or until the bot can no longer be restarted."""
    pending = set(tasks)
    while pending and time.monotonic() < deadline and not bot.gave_up:
        _done, pending = await asyncio.wait(pending, timeout=1.0)


def _ended(task: asyncio.Task[Any]) -> bool:
    """Tell whether a task ran to its end; report one that crashed."""
    if not task.done() or task.cancelled():
        return False
    if (error := task.exception()) is not None:
        print(f"a simulated person crashed: {error!r}", file=sys.stderr)
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    """Run the soak, print the counts; exit 1 if an invariant failed, 2 if it could not run."""
    args = parse(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bloodbot-soak-"))
    workdir.mkdir(parents=True, exist_ok=True)
    logging.getLogger("uvicorn.error").addFilter(QuietDisconnects())
    try:
        run = asyncio.run(soak(args, workdir))
    except RuntimeError as error:
        print(f"soak could not run: {error}", file=sys.stderr)
        return 2
    print(render(run))
    if args.json is not None:
        counts = {key: value for key, value in asdict(run.findings).items()}
        counts.update(run.summary())
        args.json.write_text(json.dumps(counts, indent=2, default=str), encoding="utf-8")
    return 1 if failures(run) else 0


if __name__ == "__main__":
    sys.exit(main())
