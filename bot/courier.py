"""The courier: drain outbox rows through each channel's sender, with retries and back-off."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from datetime import timedelta

from sqlalchemy import Engine as DbEngine
from sqlmodel import Session

from bot.runtime import Clock
from conversations.messages import Address, Outbound
from handlers.sending import DeliveryFailed, RecipientGone, Sender
from storage import outbox

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
"""How long a claimed row is reserved for this courier before another may retry it."""
MAX_BACKOFF_SECONDS = 600.0


def backoff_seconds(attempts: int) -> float:
    """Return the wait before retry number `attempts` (2 s, 4 s, 8 s … capped at 10 min)."""
    return float(min(2 ** max(attempts, 1), MAX_BACKOFF_SECONDS))


class Courier:
    """Send what the runtime committed; each row is sent at most once per idempotency key."""

    def __init__(self, *, db: DbEngine, senders: Mapping[str, Sender], clock: Clock,
                 batch_size: int = 50, max_attempts: int = 8) -> None:
        self.db = db
        self.senders = dict(senders)
        self.clock = clock
        self.batch_size = batch_size
        self.max_attempts = max_attempts
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Ask a running `run_forever` loop to drain now rather than at its next tick."""
        self._wake.set()

    async def run_forever(self, stop: asyncio.Event, interval: float = 1.0) -> None:
        """Drain whenever woken, and at least every `interval` seconds, until `stop` is set."""
        while not stop.is_set():
            try:
                await self.drain()
            except Exception:  # the database may be briefly unavailable; try again next tick
                log.exception("courier drain failed")
            self._wake.clear()
            waiters = {asyncio.ensure_future(self._wake.wait()),
                       asyncio.ensure_future(stop.wait())}
            _done, pending = await asyncio.wait(waiters, timeout=interval,
                                                return_when=asyncio.FIRST_COMPLETED)
            for waiter in pending:
                waiter.cancel()

    async def drain(self) -> int:
        """Send every due row for the channels we have senders for; return how many were sent."""
        sent = 0
        while True:
            with Session(self.db) as session, session.begin():
                items = outbox.claim_due(session, channels=list(self.senders), now=self.clock(),
                                         limit=self.batch_size, lease=LEASE)
            if not items:
                return sent
            for item in items:
                sent += await self._deliver(item)

    async def _deliver(self, item: outbox.OutboxItem) -> int:
        address = Address.from_key(item.address_key)
        sender = self.senders[address.channel]
        error: str | None = None
        retry_at = None
        try:
            await sender.send(address.user_id, Outbound.from_json(item.payload))
        except RecipientGone as gone:
            error = f"recipient gone: {gone}"
        except DeliveryFailed as failed:
            error = str(failed)
            if item.attempts < self.max_attempts:
                wait = failed.retry_after or backoff_seconds(item.attempts)
                retry_at = self.clock() + timedelta(seconds=wait)
        except Exception as crash:  # a sender bug must not stop the other messages
            log.exception("sender for %s crashed", address.channel)
            error = f"sender crashed: {type(crash).__name__}"
            if item.attempts < self.max_attempts:
                retry_at = self.clock() + timedelta(seconds=backoff_seconds(item.attempts))
        now = self.clock()
        with Session(self.db) as session, session.begin():
            if error is None:
                outbox.mark_sent(session, item.id, now)
                return 1
            log.warning("delivery of outbox row %s failed: %s", item.id, error)
            outbox.mark_failed(session, item.id, error=error, retry_at=retry_at, now=now)
            if retry_at is None and error.startswith("recipient gone"):
                outbox.mark_unreachable(session, item.address_key, now)
        return 0
