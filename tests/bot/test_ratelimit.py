"""Rate limits: Telegram's 30/s per bot, 1/s per chat and 20/min per group, WhatsApp's MPS."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

import pytest

from bot.ratelimit import ChannelLimits, RateLimiter, telegram_group

TELEGRAM = ChannelLimits(per_second=30, per_chat_per_second=1, per_group_per_minute=20,
                         is_group=telegram_group)


class FakeTime:
    """Seconds that pass only when someone sleeps; a busy machine wakes sleepers `late`."""

    def __init__(self, late: float = 0.0) -> None:
        self.now = 0.0
        self.late = late

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0) + self.late


def send_times(chats: Iterable[str], limits: ChannelLimits = TELEGRAM,
               channel: str = "telegram", limited: str | None = None, *,
               late: float = 0.0, work: float = 0.0) -> list[float]:
    """Acquire a slot for each chat in turn; return when each one was allowed.

    Each send takes `work` seconds, and every sleep ends `late` seconds after it should.
    """
    time = FakeTime(late)
    limiter = RateLimiter({limited or channel: limits}, clock=time, sleep=time.sleep)

    async def run() -> list[float]:
        times = []
        for chat in chats:
            await limiter.acquire(channel, chat)
            times.append(time.now)
            time.now += work
            limiter.finished(channel)
        return times

    return asyncio.run(run())


def most_in_any_window(times: list[float], seconds: float) -> int:
    return max(sum(1 for t in times if start <= t < start + seconds) for start in times)


def never_over(times: list[float], limit: int, work: float) -> bool:
    """Tell whether, wherever in its `work` each message arrives, no second gets over `limit`."""
    return all(times[k + limit] - (times[k] + work) >= 1.0 - 1e-9
               for k in range(len(times) - limit))


def test_one_chat_gets_one_message_a_second() -> None:
    times = send_times(["1001"] * 100)
    assert 98.99 < times[-1] - times[0] < 99.01
    assert most_in_any_window(times, 1.0) == 1


def test_many_chats_share_thirty_messages_a_second() -> None:
    times = send_times(str(1000 + n) for n in range(300))
    assert 9.8 < times[-1] - times[0] < 10.0
    assert most_in_any_window(times, 1.0) == 30
    assert most_in_any_window(times, 0.2) <= 10  # spread over the second: 0.2 s + catch-up


@pytest.mark.parametrize(("late", "work"), [(0.004, 0.0), (0.0, 0.030), (0.008, 0.025)])
def test_a_sender_that_wakes_late_catches_up_within_the_limit(late: float,
                                                              work: float) -> None:
    """A loaded machine wakes the courier late and sends slowly; the lost time is made up."""
    times = send_times((str(1000 + n) for n in range(600)), late=late, work=work)
    rate = (len(times) - 1) / (times[-1] - times[0])
    assert rate > 0.97 * 30
    assert never_over(times, 30, work)


def test_a_group_gets_at_most_twenty_messages_a_minute() -> None:
    times = send_times(["-100500"] * 45)
    assert most_in_any_window(times, 60.0) == 20
    assert times[-1] < 44 * 3 + 0.01  # evenly spaced, never slower than needed


def test_a_private_chat_is_not_held_to_the_group_limit() -> None:
    assert send_times(["1001"] * 21)[-1] < 20.01


def test_whatsapp_sends_its_messages_per_second_and_zero_means_no_limit() -> None:
    numbers = [f"+9198123456{n:02d}" for n in range(10)]
    assert 4.3 < send_times(numbers, ChannelLimits(per_second=2), "whatsapp")[-1] < 4.5
    assert send_times(numbers, ChannelLimits(per_second=0), "whatsapp")[-1] == 0.0
    assert send_times(numbers, ChannelLimits(per_second=2), "console", "whatsapp")[-1] == 0.0


def test_chat_delay_counts_the_messages_queued_before() -> None:
    time = FakeTime()
    limiter = RateLimiter({"telegram": TELEGRAM}, clock=time, sleep=time.sleep)
    assert limiter.chat_delay("telegram", "1001") == 0.0
    asyncio.run(limiter.acquire("telegram", "1001"))
    asyncio.run(limiter.acquire("telegram", "-100500"))
    time.now = 0.25
    assert limiter.chat_delay("telegram", "1001") == 0.75
    assert limiter.chat_delay("telegram", "1001", queued=2) == 2.75
    assert limiter.chat_delay("telegram", "-100500", queued=1) == pytest.approx(6 - 0.25)
    assert limiter.chat_delay("telegram", "1002") == 0.0  # the bot-wide limit is not the chat's
