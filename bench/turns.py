"""Benchmark inbound messages a second: the bot's whole turn against bare python-telegram-bot.

Both sides get the same `Update.de_json` updates through `Application.process_update`, one
after another, with a Bot pointed at a fake Bot API (no rate limits) in a process of its own:
- bare: a handler that only replies (one sendMessage to the fake over loopback);
- bot: the project's TelegramUpdates handler and runtime on a SQLite file: de-duplication,
  conversation state, engine step, outbox rows, one commit. The replies wait in the outbox
  for the courier, which is not running here.
Runs alternate between the two. Run from the repository root: `python -m bench.turns`.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from itertools import count
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application, ContextTypes, TypeHandler

from bench.fake_client import FakeProcess, fake_bot_api
from bench.timing import Target, machine, table, verdict
from bot.app import build_app
from bot.settings import Settings
from bot.telegram_service import TelegramApp, TelegramService

SCRIPT = ("/start", "1", "1", "Sunita Devi", "help", "menu", "2", "cancel")
"""What each user sends: language, a request begun, help, the menu, sign-up begun, cancel."""
MIN_RATIO = 0.10  # issue 7: at least 10% of the bare figure
_chats = count(10_000_001)
_ids = count(1)


def updates(messages: int, bot: Any) -> list[Update]:
    """Return `messages` updates from new users, each user following SCRIPT in turn."""
    users = [next(_chats) for _ in range(-(-messages // len(SCRIPT)))]
    bodies = [(user, text) for text in SCRIPT for user in users][:messages]
    return [Update.de_json({"update_id": next(_ids), "message": {
        "message_id": next(_ids), "date": int(time.time()), "text": text,
        "chat": {"id": user, "type": "private", "first_name": "Asha"},
        "from": {"id": user, "is_bot": False, "first_name": "Asha"}}}, bot)
        for user, text in bodies]


async def reply_only(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer every message with one short text: the least any bot does."""
    if update.effective_message is not None:
        await update.effective_message.reply_text("ok")


def bare_application(fake: FakeProcess) -> TelegramApp:
    """Build python-telegram-bot's Application with only the replying handler."""
    application: TelegramApp = (Application.builder().token(fake.token).base_url(fake.base_url)
                                .updater(None).job_queue(None).build())
    application.add_handler(TypeHandler(Update, reply_only))
    return application


async def rate(application: TelegramApp, messages: int) -> float:
    """Feed `messages` fresh updates to `process_update`; return messages a second."""
    batch = updates(messages, application.bot)
    started = time.perf_counter()
    for update in batch:
        await application.process_update(update)
    return messages / (time.perf_counter() - started)


async def compare(*, messages: int, runs: int, directory: Path) -> tuple[float, float]:
    """Return the median messages a second of the bare application and of the bot."""
    async with fake_bot_api(per_second=0, per_chat=0) as fake:
        settings = Settings(database_url=f"sqlite:///{directory / 'turns.db'}",
                            telegram_bot_token=fake.token, telegram_api_base_url=fake.base_url)
        app = build_app(settings)
        bot = TelegramService(app).application
        bare = bare_application(fake)
        await bot.initialize()
        await bare.initialize()
        try:
            await rate(bare, messages)  # the warm-up
            await rate(bot, messages)
            found: dict[str, list[float]] = {"bare": [], "bot": []}
            for _ in range(runs):
                found["bare"].append(await rate(bare, messages))
                found["bot"].append(await rate(bot, messages))
        finally:
            await bot.shutdown()
            await bare.shutdown()
            app.db.dispose()
    return statistics.median(found["bare"]), statistics.median(found["bot"])


def main(argv: Sequence[str] | None = None) -> int:
    """Measure both sides, print the table and the target."""
    args = _parser().parse_args(argv)
    messages, runs = (40, 2) if args.quick else (args.messages, args.runs)
    with tempfile.TemporaryDirectory(prefix="bench-turns-") as directory:
        bare, bot = asyncio.run(compare(messages=messages, runs=runs, directory=Path(directory)))
    print(f"Inbound messages a second through process_update, {messages} messages a run, "
          f"median of {runs} runs after a warm-up, one at a time; {machine()}")
    print(table(["side", "messages/s", "ms/message"],
                [("bare python-telegram-bot, reply only", f"{bare:,.0f}", f"{1000 / bare:.2f}"),
                 ("bloodbot: engine, state, de-dup, outbox, commit", f"{bot:,.0f}",
                  f"{1000 / bot:.2f}")]))
    ratio = bot / bare
    return verdict([Target(f"bot ≥ {MIN_RATIO:.0%} of bare", f"{ratio:.0%}",
                           ratio >= MIN_RATIO)], quick=args.quick)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.turns", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a smoke run: 40 messages, 2 runs")
    parser.add_argument("--messages", type=int, default=800, help="messages a run")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each side")
    return parser


if __name__ == "__main__":
    sys.exit(main())
