"""`bloodbot run` with a slow or unreachable Telegram at start-up: retry, never crash."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from bot.telegram_startup import Backoff, TelegramStartFailed
from tests.bot.conftest import FakeClock
from tests.bot.telegram_run import serving, until
from tests.handlers.conftest import ASHA
from tests.handlers.fake_bot_api import TOKEN, private_message, running_fake


def warned(caplog: pytest.LogCaptureFixture, text: str) -> int:
    """Return how many warnings logged so far contain `text`."""
    return sum(text in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)


def test_a_get_me_slower_than_the_timeout_is_retried_and_the_bot_then_answers(
        tmp_path: Path, clock: FakeClock, caplog: pytest.LogCaptureFixture) -> None:
    async def scenario() -> None:
        async with running_fake() as fake:
            fake.delay("getMe", 1.0)
            async with serving(tmp_path, clock, fake, timeout=0.5) as run:
                await until(lambda: fake.called("getUpdates"))
                await run.bot.turn(private_message(ASHA, "/start donate"))
                assert "Please choose your language" in fake.texts(ASHA)[0]
                assert len(fake.called("getMe")) == 2
    asyncio.run(scenario())
    assert warned(caplog, "could not reach Telegram (Timed out); trying again") == 1


def test_bad_gateways_at_start_up_are_retried_until_telegram_answers(
        tmp_path: Path, clock: FakeClock, caplog: pytest.LogCaptureFixture) -> None:
    async def scenario() -> None:
        async with running_fake() as fake:
            for _ in range(3):
                fake.fail_next("getMe", 502, "Bad Gateway")
            async with serving(tmp_path, clock, fake) as run:
                await until(lambda: fake.called("getUpdates"))
                await run.bot.turn(private_message(ASHA, "/start donate"))
                assert len(fake.called("getMe")) == 4 and fake.texts(ASHA)
    asyncio.run(scenario())
    assert warned(caplog, "could not reach Telegram (Bad Gateway)") == 3


def test_a_wrong_token_stops_the_start_at_once_with_a_clear_message(
        tmp_path: Path, clock: FakeClock, caplog: pytest.LogCaptureFixture) -> None:
    async def scenario() -> None:
        async with running_fake() as fake:
            fake.token = "654321:the-real-one"
            async with serving(tmp_path, clock, fake) as run:
                with pytest.raises(TelegramStartFailed, match="rejected TELEGRAM_BOT_TOKEN"):
                    await asyncio.wait_for(run.task, 5)
                assert len(fake.called("getMe")) == 1 and not fake.called("getUpdates")
    asyncio.run(scenario())
    assert "telegram channel could not start: Telegram rejected" in caplog.text
    assert TOKEN not in caplog.text


def test_stopping_the_server_interrupts_a_start_up_that_keeps_failing(
        tmp_path: Path, clock: FakeClock) -> None:
    async def scenario() -> None:
        async with running_fake() as fake:
            fake.fail_next("getMe", 502, "Bad Gateway")
            async with serving(tmp_path, clock, fake, backoff=Backoff(first=60)) as run:
                await until(lambda: fake.called("getMe"))
                await asyncio.sleep(0.1)  # now waiting a minute before trying again
                run.stop.set()
                await asyncio.wait_for(run.task, 5)
                assert len(fake.called("getMe")) == 1 and not fake.called("getUpdates")
    asyncio.run(scenario())


def test_a_command_menu_telegram_refuses_does_not_stop_the_bot_and_is_published_later(
        tmp_path: Path, clock: FakeClock) -> None:
    async def scenario() -> None:
        async with running_fake() as fake:
            fake.fail_next("setMyCommands", 502, "Bad Gateway")
            async with serving(tmp_path, clock, fake) as run:
                await run.bot.turn(private_message(ASHA, "/start donate"))
                await until(lambda: len(fake.called("setMyCommands")) == 3)
                menus = [c.params.get("language_code") for c in fake.called("setMyCommands")]
                assert menus[1:] == [None, "hi"] and fake.texts(ASHA)
    asyncio.run(scenario())
