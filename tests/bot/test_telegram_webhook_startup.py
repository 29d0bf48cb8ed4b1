"""Webhooks while the Telegram channel starts or stops: 503 and Retry-After, never a 500."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.app import build_app
from bot.telegram_service import SECRET_HEADER, WEBHOOK_PATH, TelegramService
from bot.telegram_startup import TelegramStartFailed
from bot.web import build_web
from tests.bot.conftest import FakeClock
from tests.bot.telegram_run import FAST, post, serving, until
from tests.handlers.conftest import ASHA, SECRET, telegram_settings
from tests.handlers.fake_bot_api import private_message, running_fake


def test_a_webhook_before_the_bot_is_ready_gets_503_and_its_redelivery_is_handled_once(
        tmp_path: Path, clock: FakeClock, caplog: pytest.LogCaptureFixture) -> None:
    async def scenario() -> None:
        async with running_fake() as fake:
            release = fake.hold("getMe")
            async with serving(tmp_path, clock, fake, webhook=True) as run:
                update = fake.update(private_message(ASHA, "/start donate"))
                early = await post(run.bot.port, update)
                assert early.status_code == 503 and early.headers["Retry-After"] == "5"
                release.set()
                await until(lambda: fake.called("setWebhook"))
                again = [(await post(run.bot.port, update)).status_code for _ in range(2)]
                await run.bot.wait_sent()
                assert again == [200, 200] and run.bot.handled() == 1
                assert len(fake.texts(ASHA)) == 1
    asyncio.run(scenario())
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_webhook_after_stop_has_begun_gets_503(tmp_path: Path, clock: FakeClock) -> None:
    async def scenario() -> list[int]:
        async with running_fake() as fake:
            settings = telegram_settings(tmp_path, fake, public_base_url="https://bot.example.org")
            app = build_app(settings, clock=clock)
            service = TelegramService(app, backoff=FAST)
            transport = httpx.ASGITransport(build_web(app, service.routes))
            async with httpx.AsyncClient(transport=transport, base_url="http://bot") as web:
                await service.start()
                codes = [await _post(web, fake.update(private_message(ASHA, "/start donate")))]
                await service.stop()
                codes.append(await _post(web, fake.update(private_message(ASHA, "English"))))
            app.db.dispose()
            return codes
    assert asyncio.run(scenario()) == [200, 503]


async def _post(web: httpx.AsyncClient, update: dict[str, Any]) -> int:
    """Deliver an update through the web app in-process; return the status code."""
    response = await web.post(WEBHOOK_PATH, json=update, headers={SECRET_HEADER: SECRET})
    return response.status_code


# PTB's RetryAfter reads its own deprecated int `retry_after` when it is built.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
def test_a_webhook_telegram_cannot_register_yet_is_retried(
        tmp_path: Path, clock: FakeClock, caplog: pytest.LogCaptureFixture) -> None:
    async def scenario() -> None:
        async with running_fake() as fake:
            fake.fail_next("setWebhook", 502, "Bad Gateway")
            fake.fail_next("setWebhook", 429, "Too Many Requests: retry after 1", retry_after=1)
            async with serving(tmp_path, clock, fake, webhook=True):
                await until(lambda: len(fake.called("setWebhook")) == 3)
                await until(lambda: "on its webhook" in caplog.text)
    with caplog.at_level(logging.INFO):
        asyncio.run(scenario())
    assert "could not register the webhook (Bad Gateway)" in caplog.text
    assert "could not register the webhook (flood control); trying again in 1.0 s" in caplog.text


def test_a_webhook_url_telegram_refuses_stops_the_start_with_a_clear_message(
        tmp_path: Path, clock: FakeClock) -> None:
    async def scenario() -> None:
        async with running_fake() as fake:
            fake.fail_next("setWebhook", 400, "Bad Request: bad webhook: HTTPS url must be given")
            async with serving(tmp_path, clock, fake, webhook=True) as run:
                with pytest.raises(TelegramStartFailed, match="check PUBLIC_BASE_URL"):
                    await asyncio.wait_for(run.task, 5)
                assert len(fake.called("setWebhook")) == 1
    asyncio.run(scenario())
