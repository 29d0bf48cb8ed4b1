"""Rate limits for outgoing messages: token buckets per channel, per chat and per group."""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

Seconds = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

ROUNDING = 1e-9
"""Tokens a clock's rounding may lose; a bucket short by no more than this is full enough."""
PRUNE_AT = 10_000
"""Forget chats whose buckets are full again once this many are tracked, to bound memory."""
CATCH_UP = 0.1
"""Seconds of a channel's unused sending time it may bank and make up (three slots at 30/s)."""


def positive(rate: float | None) -> float | None:
    """Return the rate, or None when it is missing or not above zero (the limit is off)."""
    return rate if rate is not None and rate > 0 else None


def never_group(_user_id: str) -> bool:
    """Tell that an address is never a group (WhatsApp, console)."""
    return False


def telegram_group(user_id: str) -> bool:
    """Tell whether a Telegram chat id names a group or channel: theirs are negative."""
    return user_id.startswith("-")


@dataclass(frozen=True)
class ChannelLimits:
    """How fast one channel may send; None (or 0) leaves a limit off."""

    per_second: float | None = None
    """Messages a second over the whole channel (one bot, one WhatsApp sender)."""
    per_chat_per_second: float | None = None
    """Messages a second to any one chat, group or private."""
    per_group_per_minute: float | None = None
    """Messages a minute to any one group chat, on top of the per-chat limit."""
    is_group: Callable[[str], bool] = never_group


class TokenBucket:
    """Hold up to `capacity` tokens, refilled at `rate` a second; each message takes one.

    A capacity of one spaces messages evenly, so no window of any length ever sees more
    than its share: 20 a minute never becomes 20 at once and 20 more a second later.
    """

    def __init__(self, rate: float, now: float, capacity: float = 1.0) -> None:
        self.rate = rate
        self.capacity = capacity
        self.tokens = capacity
        self.stamp = now

    def _refill(self, now: float) -> None:
        if now > self.stamp:
            self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
            self.stamp = now

    def delay(self, now: float, queued: int = 0) -> float:
        """Return the seconds until a message could go with `queued` others waiting before it."""
        self._refill(now)
        missing = queued + 1 - self.tokens
        return missing / self.rate if missing > ROUNDING else 0.0

    def take(self, now: float) -> None:
        """Spend one token (the caller checked `delay` first)."""
        self._refill(now)
        self.tokens -= 1

    def full(self, now: float) -> bool:
        """Tell whether the bucket has refilled, so forgetting it changes nothing."""
        self._refill(now)
        return self.tokens >= self.capacity


class SlidingWindow:
    """Allow at most `limit` messages in any `window` seconds, counted where they arrive.

    The other side (Telegram) counts a message when it arrives, somewhere between the moment
    we start sending it and the moment its answer is back. So each message is counted from
    its start until `finish` notes its answer, and from the answer on: a new message starts
    only a whole window after the answer to the message `limit` places before it, which
    keeps every `window` at the other side within `limit` however the network's delays vary.
    """

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self.times: deque[float] = deque()
        self.unfinished = 0
        """How many of the latest messages are still waiting for their answer."""

    @classmethod
    def for_rate(cls, rate: float) -> SlidingWindow:
        """Hold `rate` a second: a second's whole messages (at least one) per its second."""
        limit = max(1, math.floor(rate))
        return cls(limit, limit / rate)

    def delay(self, now: float) -> float:
        """Return the seconds until one more message fits in the window."""
        while len(self.times) > self.unfinished and self.times[0] <= now - self.window:
            self.times.popleft()
        if len(self.times) < self.limit:
            return 0.0
        return max(self.times[-self.limit] + self.window - now, 0.0)

    def take(self, now: float) -> None:
        """Count a message whose sending starts at `now`."""
        self.times.append(now)
        self.unfinished = min(self.unfinished + 1, len(self.times))
        while len(self.times) > max(self.limit, self.unfinished):
            self.times.popleft()

    def finish(self, now: float) -> None:
        """Note that the oldest message still on its way was answered at `now`."""
        if self.unfinished:
            index = len(self.times) - self.unfinished
            self.times[index] = max(self.times[index], now)
            self.unfinished -= 1


class ChannelPace:
    """A channel's overall limit: even spacing that can make up a little lost time.

    A bucket of `1 + CATCH_UP × rate` tokens spaces messages `1/rate` apart, yet lets a
    sender that woke late (a busy machine, a slow send) catch up on up to CATCH_UP seconds
    at once; the sliding window stops the catching up from ever putting more than the
    rate's messages in any second where they arrive. A bucket of one token never catches
    up, and a loaded machine loses 5-8% of the allowed rate that way.
    """

    def __init__(self, rate: float, now: float) -> None:
        self.bucket = TokenBucket(rate, now, capacity=1.0 + CATCH_UP * rate)
        self.window = SlidingWindow.for_rate(rate)

    def delay(self, now: float, queued: int = 0) -> float:
        """Return the seconds until the next message may go."""
        return max(self.bucket.delay(now, queued), self.window.delay(now))

    def take(self, now: float) -> None:
        """Count a message whose sending starts at `now`."""
        self.bucket.take(now)
        self.window.take(now)


Bucket = TokenBucket | ChannelPace


class Limiter(Protocol):
    """Decide when a message may leave; a database-backed one can share limits across processes."""

    def chat_delay(self, channel: str, user_id: str, queued: int = 0) -> float:
        """Return the seconds until this chat's own limits let a message through.

        `queued` counts the messages for the chat that wait before this one; limits of the
        channel as a whole are left out, as waiting for them never holds up one chat only.
        """

    async def acquire(self, channel: str, user_id: str) -> None:
        """Wait until a message to `user_id` on `channel` is allowed, and count it as sent."""

    def finished(self, channel: str) -> None:
        """Note that the oldest message acquired on `channel` and still on its way is answered.

        Call it once per `acquire`, after the send returned or failed, sent or not.
        """


class RateLimiter:
    """In-process token buckets: one per channel, one per chat, one more per group chat."""

    def __init__(self, limits: Mapping[str, ChannelLimits], *, clock: Seconds = time.monotonic,
                 sleep: Sleep = asyncio.sleep) -> None:
        self.limits = dict(limits)
        self.clock = clock
        self.sleep = sleep
        self._channels: dict[str, ChannelPace] = {}
        self._chats: dict[tuple[str, str, str], TokenBucket] = {}

    def chat_delay(self, channel: str, user_id: str, queued: int = 0) -> float:
        """Return the seconds until this chat's own limits let a message through."""
        now = self.clock()
        buckets = self._chat_buckets(channel, user_id, now)
        return max((bucket.delay(now, queued) for bucket in buckets), default=0.0)

    async def acquire(self, channel: str, user_id: str) -> None:
        """Wait until a message to `user_id` on `channel` is allowed, and count it as sent."""
        while True:
            now = self.clock()
            buckets: list[Bucket] = [*self._chat_buckets(channel, user_id, now)]
            overall = self._channel_bucket(channel, now)
            if overall is not None:
                buckets.append(overall)
            wait = max((bucket.delay(now) for bucket in buckets), default=0.0)
            if wait <= 0:
                for bucket in buckets:
                    bucket.take(now)
                return
            await self.sleep(wait)

    def finished(self, channel: str) -> None:
        """Note that the oldest message acquired on `channel` and still on its way is answered."""
        pace = self._channels.get(channel)
        if pace is not None:
            pace.window.finish(self.clock())

    def _channel_bucket(self, channel: str, now: float) -> ChannelPace | None:
        limits = self.limits.get(channel)
        rate = positive(limits.per_second) if limits is not None else None
        if rate is None:
            return None
        pace = self._channels.get(channel)
        if pace is None:
            pace = self._channels[channel] = ChannelPace(rate, now)
        return pace

    def _chat_buckets(self, channel: str, user_id: str, now: float) -> list[TokenBucket]:
        limits = self.limits.get(channel)
        if limits is None:
            return []
        rates = {"chat": positive(limits.per_chat_per_second)}
        if limits.is_group(user_id):
            per_minute = positive(limits.per_group_per_minute)
            rates["group"] = per_minute / 60 if per_minute is not None else None
        if len(self._chats) > PRUNE_AT:
            self._prune(now)
        return [self._chats.setdefault((kind, channel, user_id), TokenBucket(rate, now))
                for kind, rate in rates.items() if rate is not None]

    def _prune(self, now: float) -> None:
        for key in [key for key, bucket in self._chats.items() if bucket.full(now)]:
            del self._chats[key]
