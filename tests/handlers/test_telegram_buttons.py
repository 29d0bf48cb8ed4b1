"""Inline buttons on Telegram: each press answered once, old buttons refused, keys understood."""

from __future__ import annotations

import asyncio
from pathlib import Path

from handlers.telegram_channel import STALE_BUTTON
from tests.bot.conftest import FakeClock
from tests.handlers.conftest import ASHA, running_bot
from tests.handlers.fake_bot_api import FakeBotApi, private_message


def last_keyboard_id(fake: FakeBotApi) -> int:
    return int(next(c.params["message_id"] for c in reversed(fake.sent(ASHA))
                    if "reply_markup" in c.params))


def test_a_button_on_an_older_message_is_answered_but_changes_nothing(
        tmp_path: Path, clock: FakeClock) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, clock) as bot:
            await bot.turn(private_message(ASHA, "/start donate"))
            language_prompt = last_keyboard_id(bot.fake)
            await bot.press("English")
            state = bot.state()
            bot.fake.push(bot.fake.press_data(ASHA, language_prompt, "2"))
            await bot.turn(private_message(ASHA, "help"))
            answers = [c.params.get("text") for c in bot.fake.called("answerCallbackQuery")]
            assert answers == [None, STALE_BUTTON] and bot.handled() == 3
            assert bot.state() == state  # still English, still at the first consent
    asyncio.run(scenario())


def test_pressing_hindi_switches_the_language_although_hi_is_also_a_greeting(
        tmp_path: Path, clock: FakeClock) -> None:
    async def scenario() -> str | None:
        async with running_bot(tmp_path, clock) as bot:
            await bot.turn(private_message(ASHA, "/start"))
            await bot.press("English")
            await bot.turn(private_message(ASHA, "/language"))
            await bot.press("हिन्दी")
            state = bot.state()
            return None if state is None else str(state["lang"])
    assert asyncio.run(scenario()) == "hi"
