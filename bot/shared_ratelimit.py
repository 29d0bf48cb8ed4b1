"""A rate limiter whose channel-wide limits are shared by every process on the database.

Telegram counts 30 messages a second per bot, not per process, so with several `bloodbot run`
processes the bot-wide bucket lives in the database: each send reserves the next free slot
(`storage.rate_slots`), and all processes together keep to the rate.

Per-chat and per-group buckets stay in this process, as `RateLimiter` keeps them. A chat's
rows usually go through one courier: a turn's replies are committed together and one claim
takes them all. Two couriers can split a chat's rows only when a claim's limit cuts through
them while both claim at once; then the chat may get two messages within its second, and
Telegram answers the second with 429 and retry_after, which the courier honours (the chat
waits, nothing is lost or sent twice). Sharing those buckets too would cost a database write
per chat on every send and a database read on every scheduling decision.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import replace

from sqlalchemy import Engine as DbEngine
from sqlmodel import Session

from bot.ratelimit import ChannelLimits, RateLimiter, Seconds, Sleep, positive
from storage.rate_slots import reserve_slot


class DbRateLimiter:
    """Chat and group buckets in memory; each channel's overall rate through the database."""

    def __init__(self, db: DbEngine, limits: Mapping[str, ChannelLimits], *,
                 clock: Seconds = time.time, chat_clock: Seconds = time.monotonic,
                 sleep: Sleep = asyncio.sleep) -> None:
        """Share `limits`' per_second through `db`.

        `clock` times the shared slots, so it must agree across processes (the wall clock,
        kept in step by NTP); `chat_clock` times this process's own chat buckets.
        """
        self.db = db
        self.rates = {name: positive(limit.per_second) for name, limit in limits.items()}
        self.clock = clock
        self.sleep = sleep
        self._chats = RateLimiter(
            {name: replace(limit, per_second=None) for name, limit in limits.items()},
            clock=chat_clock, sleep=sleep)

    def chat_delay(self, channel: str, user_id: str, queued: int = 0) -> float:
        """Return the seconds until this chat's own limits let a message through."""
        return self._chats.chat_delay(channel, user_id, queued)

    async def acquire(self, channel: str, user_id: str) -> None:
        """Wait for the chat's turn, then for a channel slot reserved in the database."""
        while (wait := self._chats.chat_delay(channel, user_id)) > 0:
            await self.sleep(wait)
        rate = self.rates.get(channel)
        if rate is not None:
            slot = await asyncio.to_thread(self._reserve, channel, 1 / rate)
            if (wait := slot - self.clock()) > 0:
                await self.sleep(wait)
        # The chat's tokens are taken at the send, not before the wait for the slot, so two
        # messages to one chat are never closer than its limit.
        await self._chats.acquire(channel, user_id)

    def finished(self, channel: str) -> None:
        """Do nothing: the shared slots are spaced evenly, one interval apart, from the start."""

    def _reserve(self, channel: str, interval: float) -> float:
        with Session(self.db) as session, session.begin():
            return reserve_slot(session, key=channel, now=self.clock(), interval=interval)
