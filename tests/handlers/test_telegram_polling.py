"""Telegram in polling mode: the real Application and server against the fake Bot API."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.bot.conftest import FakeClock
from tests.handlers.conftest import ASHA, Bot, running_bot
from tests.handlers.fake_bot_api import (
    FakeBotApi,
    contact,
    group_message,
    location,
    private_message,
)

DONOR = ("SELECT p.phone, d.blood_group, d.district FROM donor d "
         "JOIN person p ON p.id = d.person_id")


def sign_up(fake: FakeBotApi) -> Iterator[dict[str, Any]]:
    """Yield a new donor's updates, each built after the previous one was answered."""
    yield private_message(ASHA, "/start donate")
    for label in ("English", "Yes", "Yes", "Yes"):
        yield fake.press(ASHA, label)
    yield private_message(ASHA, "Asha Verma")
    yield contact(ASHA, "91 98123 45678", owner=ASHA)
    for label in ("B+", "Female"):
        yield fake.press(ASHA, label)
    yield private_message(ASHA, "25/01/1990")
    yield fake.press(ASHA, "Yes")
    yield location(ASHA, 26.85, 80.95)
    for label in ("Never donated", "None of these", "Any time", "Confirm"):
        yield fake.press(ASHA, label)


def markups(fake: FakeBotApi) -> list[dict[str, Any]]:
    return [call.params["reply_markup"] for call in fake.sent(ASHA)
            if "reply_markup" in call.params]


def test_a_donor_signs_up_by_pressing_buttons_and_sharing_location_and_contact(
        tmp_path: Path, clock: FakeClock) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, clock) as bot:
            presses = 0
            for body in sign_up(bot.fake):
                await bot.turn(body)
                presses += "callback_query" in body
            assert "You are now registered as a blood donor" in "".join(bot.fake.texts(ASHA))
            keyboards = markups(bot.fake)
            assert any("inline_keyboard" in markup for markup in keyboards)
            requests = [b for m in keyboards for row in m.get("keyboard", []) for b in row]
            assert {"request_contact", "request_location"} <= {k for b in requests for k in b}
            assert len(bot.fake.called("answerCallbackQuery")) == presses == 11
            assert len(bot.fake.called("editMessageReplyMarkup")) == presses
    asyncio.run(scenario())
    with sqlite3.connect(tmp_path / "bot.db") as db:
        assert db.execute(DONOR).fetchall() == [("+919812345678", "B+", "Lucknow")]


async def _first_words(bot: Bot, text: str) -> dict[str, Any] | None:
    await bot.turn(private_message(ASHA, text))
    await bot.press("English")
    return bot.state()


def test_a_deep_link_to_request_opens_the_request_flow_after_the_language(
        tmp_path: Path, clock: FakeClock) -> None:
    async def scenario() -> dict[str, Any] | None:
        async with running_bot(tmp_path, clock) as bot:
            return await _first_words(bot, "/start request")
    state = asyncio.run(scenario())
    assert state is not None and state["flow"] == "request"


def test_a_group_never_starts_a_flow_and_gets_no_reply(
        tmp_path: Path, clock: FakeClock) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, clock) as bot:
            bot.fake.push(group_message(-2002, ASHA, "/start donate"))
            await bot.turn(private_message(ASHA, "hi"))
            assert bot.state(-2002) is None and bot.fake.sent(-2002) == []
            assert bot.handled() == 1
    asyncio.run(scenario())
