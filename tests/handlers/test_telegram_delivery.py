"""The courier sending through the Telegram sender: flood control and users who blocked the bot."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlmodel import Session

from conversations.messages import Address, Inbound
from storage import outbox
from tests.bot.conftest import FakeClock
from tests.handlers.conftest import ASHA, Bot, running_bot

CHAT = Address("telegram", str(ASHA))


async def _hello(bot: Bot, clock: FakeClock, external_id: str = "m1") -> None:
    await bot.app.runtime.handle(Inbound(CHAT, external_id, clock(), "/start"))


# PTB's RetryAfter reads its own deprecated int `retry_after` when it is built.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
def test_a_429_is_waited_out_and_the_message_is_delivered_once(
        tmp_path: Path, clock: FakeClock) -> None:
    async def scenario() -> list[int]:
        async with running_bot(tmp_path, clock, serving=False) as bot:
            await _hello(bot, clock)
            bot.fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 1",
                               retry_after=1)
            courier = bot.app.courier({"telegram": bot.service.sender})
            sent = [await courier.drain(), await courier.drain()]
            clock.advance(seconds=1)
            sent.append(await courier.drain())
            assert len(bot.fake.called("sendMessage")) == 2 and len(bot.fake.sent(ASHA)) == 1
            return sent
    assert asyncio.run(scenario()) == [0, 0, 1]


def test_a_403_marks_the_chat_unreachable_and_nothing_more_is_tried(
        tmp_path: Path, clock: FakeClock) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, clock, serving=False) as bot:
            await _hello(bot, clock)
            bot.fake.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
            courier = bot.app.courier({"telegram": bot.service.sender})
            assert await courier.drain() == 0
            with Session(bot.app.db) as session:
                assert outbox.is_unreachable(session, CHAT.key)
            clock.advance(minutes=10)
            assert await courier.drain() == 0
            assert len(bot.fake.called("sendMessage")) == 1
    asyncio.run(scenario())
