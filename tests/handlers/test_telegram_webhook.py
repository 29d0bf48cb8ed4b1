"""Telegram in webhook mode: updates posted to the bot's own web app, checked by their secret."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from bot.runtime import Runtime
from conversations.messages import Inbound
from tests.bot.conftest import FakeClock
from tests.handlers.conftest import ASHA, running_bot
from tests.handlers.fake_bot_api import private_message


def test_an_update_is_answered_200_only_after_its_turn_is_committed(
        tmp_path: Path, clock: FakeClock) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, clock, webhook=True) as bot:
            response = await bot.post(private_message(ASHA, "/start donate"))
            assert response.status_code == 200
            assert bot.handled() == 1 and bot.state() is not None
            await bot.wait_sent()
            assert "Please choose your language" in bot.fake.texts(ASHA)[0]
    asyncio.run(scenario())


def test_a_call_with_a_wrong_secret_is_refused_and_changes_nothing(
        tmp_path: Path, clock: FakeClock) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, clock, webhook=True) as bot:
            wrong = await bot.post(private_message(ASHA, "/start donate"), secret="guess")
            missing = await bot.post(private_message(ASHA, "/start donate"), secret="")
            assert wrong.status_code == missing.status_code == 403
            assert bot.handled() == 0 and bot.state() is None and bot.fake.sent(ASHA) == []
    asyncio.run(scenario())


def test_start_registers_the_webhook_and_the_command_menu_in_english_and_hindi(
        tmp_path: Path, clock: FakeClock) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, clock, webhook=True) as bot:
            webhook = bot.fake.called("setWebhook")[0].params
            assert webhook["url"] == "https://bot.example.org/telegram/webhook"
            assert webhook["secret_token"] == "test-webhook-secret"
            menus = {c.params.get("language_code"): c.params["commands"]
                     for c in bot.fake.called("setMyCommands")}
            assert set(menus) == {None, "hi"}
            assert {"command": "menu", "description": "मुख्य मेनू"} in menus["hi"]
            assert bot.fake.called("getUpdates") == []
    asyncio.run(scenario())


def test_a_turn_that_cannot_be_handled_is_refused_so_telegram_sends_it_again(
        tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    async def broken(_self: Runtime, _inbound: Inbound) -> None:
        raise ConnectionError("database unreachable")

    async def scenario() -> int:
        monkeypatch.setattr(Runtime, "handle", broken)
        async with running_bot(tmp_path, clock, webhook=True) as bot:
            return (await bot.post(private_message(987654321, "hello"))).status_code
    assert asyncio.run(scenario()) == 500
    failures = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert failures == ["telegram update failed (chat 987…)"]
