"""Run `bloodbot run`'s server with the Telegram channel without waiting for Telegram first."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bot.app import build_app
from bot.server import serve
from bot.telegram_service import SECRET_HEADER, WEBHOOK_PATH, TelegramService
from bot.telegram_startup import Backoff, TelegramStartFailed
from tests.bot.conftest import FakeClock
from tests.handlers.conftest import SECRET, Bot, free_port, telegram_settings
from tests.handlers.fake_bot_api import FakeBotApi

FAST = Backoff(first=0.05, most=0.2)
"""Start-up waits short enough for tests."""


@dataclass
class Run:
    """A server being started: the bot, its task and the event that stops it."""

    bot: Bot
    task: asyncio.Task[None]
    stop: asyncio.Event


@asynccontextmanager
async def serving(tmp_path: Path, clock: FakeClock, fake: FakeBotApi, *, webhook: bool = False,
                  backoff: Backoff = FAST, timeout: float | None = None) -> AsyncIterator[Run]:
    """Start serving against `fake` and yield at once; stop (and wait) on the way out."""
    extra: dict[str, Any] = {"public_base_url": "https://bot.example.org"} if webhook else {}
    app = build_app(telegram_settings(tmp_path, fake, **extra), clock=clock)
    service = TelegramService(app, backoff=backoff, timeout=timeout)
    bot, stop = Bot(app, fake, service, free_port()), asyncio.Event()
    task = asyncio.create_task(serve(app, [service], stop=stop, port=bot.port))
    try:
        yield Run(bot, task, stop)
    finally:
        stop.set()
        with contextlib.suppress(TelegramStartFailed):
            await task
        app.db.dispose()


async def until(condition: Callable[[], object], seconds: float = 10) -> None:
    """Wait until `condition()` is true."""
    for _ in range(int(seconds * 100)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the condition never held")


async def post(port: int, update: dict[str, Any]) -> httpx.Response:
    """Deliver one update to the webhook as Telegram would, once the web app listens."""
    async with httpx.AsyncClient() as client:
        for _ in range(500):
            try:
                return await client.post(f"http://127.0.0.1:{port}{WEBHOOK_PATH}", json=update,
                                         headers={SECRET_HEADER: SECRET})
            except httpx.TransportError:
                await asyncio.sleep(0.01)
    raise AssertionError("the web app never listened")
