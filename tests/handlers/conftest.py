"""Fixtures for Telegram tests: the real bot and server against the fake Bot API over HTTP."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func
from sqlmodel import Session, col, select

from bot.app import App, build_app
from bot.server import serve
from bot.settings import Settings
from bot.telegram_service import SECRET_HEADER, WEBHOOK_PATH, TelegramService
from storage.tables import Conversation, InboundMessage, OutboxRow
from tests.bot.conftest import FakeClock
from tests.handlers.fake_bot_api import TOKEN, FakeBotApi, running_fake

SECRET = "test-webhook-secret"
ASHA = 1001


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Bot:
    """A running bot, its fake Bot API and database; sends updates and waits for the replies."""

    app: App
    fake: FakeBotApi
    service: TelegramService
    port: int

    def handled(self) -> int:
        """Return how many inbound messages have been committed."""
        with Session(self.app.db) as session:
            return session.exec(select(func.count()).select_from(InboundMessage)).one()

    def unsent(self) -> int:
        """Return how many outbox rows still wait to be sent."""
        with Session(self.app.db) as session:
            return session.exec(select(func.count()).select_from(OutboxRow).where(
                col(OutboxRow.sent_at).is_(None), col(OutboxRow.failed_at).is_(None))).one()

    def state(self, chat_id: int = ASHA) -> dict[str, Any] | None:
        """Return the conversation state stored for a chat."""
        with Session(self.app.db) as session:
            row = session.get(Conversation, f"telegram:{chat_id}")
            return None if row is None else dict(json.loads(row.state))

    async def turn(self, body: dict[str, Any]) -> None:
        """Push an update (polling) and wait until its turn is committed and its replies sent."""
        before = self.handled()
        self.fake.push(body)
        for _ in range(1000):
            if self.handled() > before and not self.unsent():
                return
            await asyncio.sleep(0.01)
        raise AssertionError("the turn was not handled and answered in time")

    async def press(self, label: str, chat_id: int = ASHA) -> None:
        """Press a button on the last keyboard sent to the chat."""
        await self.turn(self.fake.press(chat_id, label))

    async def post(self, body: dict[str, Any], secret: str = SECRET) -> httpx.Response:
        """Deliver an update to the webhook as Telegram would."""
        async with httpx.AsyncClient() as client:
            return await client.post(f"http://127.0.0.1:{self.port}{WEBHOOK_PATH}",
                                     json=self.fake.update(body),
                                     headers={SECRET_HEADER: secret})

    async def wait_sent(self) -> None:
        """Wait until the courier has sent everything committed so far."""
        for _ in range(1000):
            if not self.unsent():
                return
            await asyncio.sleep(0.01)
        raise AssertionError("the replies were not sent in time")


def telegram_settings(tmp_path: Path, fake: FakeBotApi, **extra: Any) -> Settings:
    """Return settings for a bot whose Bot API is the fake."""
    # Rate limits are off: they would only slow the tests down.
    return Settings(database_url=f"sqlite:///{tmp_path / 'bot.db'}", telegram_bot_token=TOKEN,
                    telegram_api_base_url=fake.base_url, telegram_webhook_secret=SECRET,
                    telegram_max_per_chat_per_second=0, telegram_max_per_second=0,
                    **extra)


@asynccontextmanager
async def running_bot(tmp_path: Path, clock: FakeClock, *, webhook: bool = False,
                      serving: bool = True, **settings: Any) -> AsyncIterator[Bot]:
    """Run `bloodbot run`'s server with the Telegram channel against a fake Bot API."""
    async with running_fake() as fake:
        extra = {"public_base_url": "https://bot.example.org"} if webhook else {}
        extra.update(settings)
        app = build_app(telegram_settings(tmp_path, fake, **extra), clock=clock)
        service, port, stop = TelegramService(app), free_port(), asyncio.Event()
        if serving:
            task = asyncio.create_task(serve(app, [service], stop=stop, port=port))
            await _started(fake, port, webhook)
        else:
            await service.start()
        try:
            yield Bot(app, fake, service, port)
        finally:
            stop.set()
            await (task if serving else service.stop())
            app.db.dispose()


async def _started(fake: FakeBotApi, port: int, webhook: bool) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(1000):
            if fake.called("setWebhook" if webhook else "getUpdates"):
                try:
                    await client.get(f"http://127.0.0.1:{port}/healthz")
                    return
                except httpx.TransportError:
                    pass
            await asyncio.sleep(0.01)
    raise AssertionError("the bot did not start")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
