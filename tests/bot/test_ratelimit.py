"""Rate limits: Telegram's 30/s per bot, 1/s per chat and 20/min per group, WhatsApp's MPS."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

import pytest

from bot.ratelimit import ChannelLimits, RateLimiter, telegram_group

TELEGRAM = ChannelLimits(per_second=30, per_chat_per_second=1, per_group_per_minute=20,
                         is_group=telegram_group)


class FakeTime:
    """Seconds that pass only when someone sleeps."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)


def send_times(chats: Iterable[str], limits: ChannelLimits = TELEGRAM,
               channel: str = "telegram", limited: str | None = None) -> list[float]:
    """Acquire a slot for each chat in turn; return when each one was allowed."""
    time = FakeTime()
    limiter = RateLimiter({limited or channel: limits}, clock=time, sleep=time.sleep)

    async def run() -> list[float]:
        times = []
        for chat in chats:
            await limiter.acquire(channel, chat)
            times.append(time.now)
        return times

    return asyncio.run(run())


def most_in_any_window(times: list[float], seconds: float) -> int:
    return max(sum(1 for t in times if start <= t < start + seconds) for start in times)


def test_one_chat_gets_one_message_a_second() -> None:
    times = send_times(["1001"] * 100)
    assert 98.99 < times[-1] - times[0] < 99.01
    assert most_in_any_window(times, 1.0) == 1


def test_many_chats_share_thirty_messages_a_second() -> None:
    times = send_times(str(1000 + n) for n in range(300))
    assert 9.9 < times[-1] - times[0] < 10.0
    assert most_in_any_window(times, 1.0) <= 30


def test_a_group_gets_at_most_twenty_messages_a_minute() -> None:
    times = send_times(["-100500"] * 45)
    assert most_in_any_window(times, 60.0) == 20
    assert times[-1] < 44 * 3 + 0.01  # evenly spaced, never slower than needed


def test_a_private_chat_is_not_held_to_the_group_limit() -> None:
    assert send_times(["1001"] * 21)[-1] < 20.01


def test_whatsapp_sends_its_messages_per_second_and_zero_means_no_limit() -> None:
    numbers = [f"+9198123456{n:02d}" for n in range(10)]
    assert send_times(numbers, ChannelLimits(per_second=2), "whatsapp")[-1] > 4.49
    assert send_times(numbers, ChannelLimits(per_second=0), "whatsapp")[-1] == 0.0
    assert send_times(numbers, ChannelLimits(per_second=2), "console", "whatsapp")[-1] == 0.0


def test_chat_delay_counts_the_messages_queued_before() -> None:
    time = FakeTime()
    limiter = RateLimiter({"telegram": TELEGRAM}, clock=time, sleep=time.sleep)
    assert limiter.chat_delay("telegram", "1001") == 0.0
    asyncio.run(limiter.acquire("telegram", "1001"))
    asyncio.run(limiter.acquire("telegram", "-100500"))  # waits 1/30 s for the bot-wide limit
    time.now = 0.25
    assert limiter.chat_delay("telegram", "1001") == 0.75
    assert limiter.chat_delay("telegram", "1001", queued=2) == 2.75
    assert limiter.chat_delay("telegram", "-100500", queued=1) == pytest.approx(6 + 1 / 30 - 0.25)
    assert limiter.chat_delay("telegram", "1002") == 0.0  # the bot-wide limit is not the chat's
