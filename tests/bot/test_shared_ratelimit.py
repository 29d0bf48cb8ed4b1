"""The shared limiter: two processes together keep to one bot's rate; chats keep their own."""

from __future__ import annotations

import asyncio
from itertools import pairwise

from bot.app import App
from bot.ratelimit import ChannelLimits, Limiter, RateLimiter, telegram_group
from bot.shared_ratelimit import DbRateLimiter

TELEGRAM = {"telegram": ChannelLimits(per_second=30, per_chat_per_second=1,
                                      per_group_per_minute=20, is_group=telegram_group)}

CHATS = [str(1000 + n) for n in range(90)]


class FakeTime:
    """Seconds shared by both processes; they pass only when someone sleeps."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)


def shared(app: App, time: FakeTime) -> DbRateLimiter:
    """A process's limiter: the bot-wide bucket in the app's database."""
    return DbRateLimiter(app.db, TELEGRAM, clock=time, chat_clock=time, sleep=time.sleep)


def alternate(limiters: list[Limiter], chats: list[str], time: FakeTime) -> list[float]:
    """Let the processes take turns sending to `chats`; return when each send was allowed."""
    start = time.now

    async def run() -> list[float]:
        times = []
        for index, chat in enumerate(chats):
            await limiters[index % len(limiters)].acquire("telegram", chat)
            times.append(time.now - start)
        return times

    return asyncio.run(run())


def most_in_any_second(times: list[float]) -> int:
    return max(sum(1 for t in times if start <= t < start + 1) for start in times)


def test_two_processes_together_send_at_most_thirty_a_second(app: App) -> None:
    time = FakeTime()
    times = alternate([shared(app, time), shared(app, time)], CHATS, time)
    assert min(later - earlier for earlier, later in pairwise(times)) >= 1 / 30 - 1e-9
    assert times[-1] >= 89 / 30 - 1e-9


def test_limits_kept_in_each_process_would_let_twice_as_many_through() -> None:
    time = FakeTime()
    apart = [RateLimiter(TELEGRAM, clock=time, sleep=time.sleep) for _ in range(2)]
    times = alternate(list(apart), CHATS, time)
    assert most_in_any_second(times) == 60


def test_one_chat_still_gets_one_message_a_second(app: App) -> None:
    time = FakeTime()
    times = alternate([shared(app, time)], ["1001"] * 5 + ["-1002"] * 3, time)
    assert times[:5] == [0, 1, 2, 3, 4]
    assert times[6] - times[5] >= 3 and times[7] - times[6] >= 3  # a group: 20 a minute
