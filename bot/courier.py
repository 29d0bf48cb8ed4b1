"""The courier: drain outbox rows through each channel's sender, within its rate limits.

How one busy chat is kept from holding up everyone else (head-of-line blocking):

- Each channel drains in its own task, so a slow channel never waits behind another.
- Claimed rows wait in memory in one first-in-first-out queue per chat. The courier always
  sends the oldest row whose chat may receive now; the only wait in front of it is the
  channel-wide limit, which is short (1/30 s on Telegram). When every held chat is busy it
  claims again and sleeps at most POLL seconds, so a new reply to someone else goes out
  at once instead of queueing behind a chat that may take one message a second.
- A chat may hold rows for HORIZON seconds of its own limit (31 rows at 1/s, 11 group posts
  at 20/min). A row beyond that goes back to the outbox, due when its turn will come, and
  later rows for that chat follow it there, so each chat still gets its rows in order.
- A held row is given back as soon as half of its lease has passed, so another process
  never claims a row that this one may still send.

What counts against a row's `max_attempts`: only a send that failed (or a claim whose courier
died). Waiting is not failing: rows postponed for a rate limit or given back unsent keep
their attempts (`outbox.postpone`), and nothing is claimed for a channel whose sender is not
ready (`handlers.sending.is_ready`), so a channel still starting up burns no retries.

Rows are stamped sent one by one, so a crash touches only the row whose send it cut off:
- a reply or notice goes again (at least once): a duplicate beats a lost reply;
- a broadcast (`outbox.BULK_KINDS`) goes at most once: a send-started mark is committed just
  before it is handed to the channel, and a broadcast claimed again with the mark set is given
  up (`outbox.INTERRUPTED`), so no donor or group gets the same alert twice (one the crash
  stopped before it left is lost; the other donors of its wave still get theirs).

Stopping: once the `stop` event is set (given to the constructor or to `run_forever`) the
courier claims nothing more, finishes the send in hand, gives every held row back, due
again at once and with its attempts untouched, and returns within about POLL seconds.

The limiter checks every send, so however the rows are ordered no limit is ever exceeded.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine as DbEngine
from sqlmodel import Session

from bot.ratelimit import Limiter, RateLimiter, Sleep
from bot.runtime import Clock
from conversations.messages import Address, Outbound
from handlers.sending import DeliveryFailed, RecipientGone, Sender, is_ready
from storage import deliveries, outbox

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
"""How long a claimed row is reserved for this courier before another may retry it."""
HORIZON = LEASE.total_seconds() / 4
"""Seconds of one chat's own rate limit that the courier holds rows for; later ones wait."""
POLL = 0.5
"""Longest sleep while every held chat is busy, before looking for new rows again."""
MAX_BACKOFF_SECONDS = 600.0
SENT, FAILED, GONE = "sent", "failed", "gone"


def backoff_seconds(attempts: int) -> float:
    """Return the wait before retry number `attempts` (2 s, 4 s, 8 s … capped at 10 min)."""
    return float(min(2 ** max(attempts, 1), MAX_BACKOFF_SECONDS))


@dataclass(frozen=True)
class Held:
    """A claimed row waiting in memory for its chat's next free slot."""

    item: outbox.OutboxItem
    claimed_at: datetime


class Courier:
    """Send what the runtime committed; each row is sent at most once per idempotency key."""

    def __init__(self, *, db: DbEngine, senders: Mapping[str, Sender], clock: Clock,
                 limiter: Limiter | None = None, sleep: Sleep = asyncio.sleep,
                 batch_size: int = 50, max_attempts: int = 8,
                 stop: asyncio.Event | None = None) -> None:
        self.db = db
        self.senders = dict(senders)
        self.clock = clock
        self.limiter: Limiter = limiter or RateLimiter({})
        self.sleep = sleep
        self.batch_size = batch_size
        self.max_attempts = max_attempts
        self._wake = asyncio.Event()
        self._waiting: dict[str, datetime] = {}
        """When the rows postponed for each address fall due; rows for it queue behind them."""
        self._stops: list[asyncio.Event] = [] if stop is None else [stop]
        """Events that ask the courier to stop: the constructor's and `run_forever`'s."""

    def wake(self) -> None:
        """Ask a running `run_forever` loop to drain now rather than at its next tick."""
        self._wake.set()

    def stopping(self) -> bool:
        """Tell whether the courier was asked to stop."""
        return any(event.is_set() for event in self._stops)

    def next_wait(self) -> float | None:
        """Return the seconds until rows this courier postponed fall due; None if none wait."""
        now = self.clock()
        self._waiting = {key: due for key, due in self._waiting.items() if due > now}
        if not self._waiting:
            return None
        return (min(self._waiting.values()) - now).total_seconds()

    async def run_forever(self, stop: asyncio.Event, interval: float = 1.0) -> None:
        """Drain whenever woken, when postponed rows fall due, and every `interval` seconds.

        Setting `stop` also cuts short a drain in progress (see the module docstring).
        """
        self._stops.append(stop)
        try:
            await self._run(stop, interval)
        finally:
            self._stops.remove(stop)

    async def _run(self, stop: asyncio.Event, interval: float) -> None:
        while not stop.is_set():
            self._wake.clear()
            try:
                await self.drain()
            except Exception:  # the database may be briefly unavailable; try again next tick
                log.exception("courier drain failed")
            wait = self.next_wait()
            waiters = {asyncio.ensure_future(self._wake.wait()),
                       asyncio.ensure_future(stop.wait())}
            _done, pending = await asyncio.wait(
                waiters, timeout=interval if wait is None else min(interval, wait),
                return_when=asyncio.FIRST_COMPLETED)
            for waiter in pending:
                waiter.cancel()

    async def drain(self) -> int:
        """Send every due row, one task per channel; return how many were sent.

        Returns early, with held rows given back, once asked to stop; a channel whose sender
        is not ready is skipped and its rows stay due.
        """
        results = await asyncio.gather(*(self._drain_channel(name) for name in self.senders),
                                       return_exceptions=True)
        sent = 0
        for result in results:
            if isinstance(result, BaseException):
                raise result
            sent += result
        return sent

    async def _drain_channel(self, channel: str) -> int:
        queues: dict[str, deque[Held]] = {}
        sender = self.senders[channel]
        sent = 0
        while True:
            if self.stopping() or not is_ready(sender):
                self._give_back(queues, lambda _held: True)
                return sent
            self._give_back_stale(queues)
            held = sum(len(queue) for queue in queues.values())
            head = self._ready_head(channel, queues)
            if head is None or held <= self.batch_size // 2:
                claimed = self._claim(channel, self.batch_size - held)
                for item in claimed:
                    if not item.interrupted:  # given up by _claim
                        self._hold_or_postpone(channel, item, queues)
                if not queues:
                    if not claimed:
                        return sent
                    continue
                head = head or self._ready_head(channel, queues)
            if head is None:
                await self.sleep(min(POLL, self._soonest(channel, queues)))
                continue
            await self.limiter.acquire(channel, Address.from_key(head).user_id)
            if self.stopping() or not is_ready(sender):
                self.limiter.finished(channel)
                continue  # the row is still held; the loop gives it back
            row = queues[head].popleft()
            if not queues[head]:
                del queues[head]
            try:
                outcome, hold_until = await self._deliver(row.item)
            finally:  # once per acquire, sent or not
                self.limiter.finished(channel)
            if outcome == SENT:
                sent += 1
            elif outcome == GONE:  # the rest of its rows were given up with the address
                queues.pop(head, None)
            elif hold_until is not None:  # told to wait: the chat's later rows wait too
                self._waiting[head] = hold_until
                for later in queues.pop(head, ()):
                    self._postpone(later.item, hold_until)

    def _claim(self, channel: str, limit: int) -> list[outbox.OutboxItem]:
        """Claim due rows; give up at once any broadcast an earlier courier died sending."""
        if limit <= 0:
            return []
        now = self.clock()
        with Session(self.db) as session, session.begin():
            claimed = outbox.claim_due(session, channels=[channel], now=now, limit=limit,
                                       lease=LEASE)
            for item in claimed:
                if item.interrupted:
                    log.warning("outbox row %s (%s) was interrupted mid-send: given up",
                                item.id, item.kind)
                    outbox.mark_failed(session, item.id, error=outbox.INTERRUPTED,
                                       retry_at=None, now=now)
        return claimed

    def _ready_head(self, channel: str, queues: Mapping[str, deque[Held]]) -> str | None:
        """Return the address whose oldest held row may be sent now, oldest row first."""
        ready = [(queue[0].item.id, key) for key, queue in queues.items()
                 if self.limiter.chat_delay(channel, Address.from_key(key).user_id) <= 0]
        return min(ready)[1] if ready else None

    def _soonest(self, channel: str, queues: Mapping[str, deque[Held]]) -> float:
        return min(self.limiter.chat_delay(channel, Address.from_key(key).user_id)
                   for key in queues)

    def _hold_or_postpone(self, channel: str, item: outbox.OutboxItem,
                          queues: dict[str, deque[Held]]) -> None:
        key, now = item.address_key, self.clock()
        waiting = self._waiting.get(key)
        if waiting is not None and waiting > now:
            self._postpone(item, waiting)
            return
        queued = len(queues.get(key, ()))
        slot = self.limiter.chat_delay(channel, Address.from_key(key).user_id, queued)
        if slot <= HORIZON:
            queues.setdefault(key, deque()).append(Held(item, now))
            return
        self._waiting[key] = now + timedelta(seconds=slot)
        self._postpone(item, self._waiting[key])

    def _give_back_stale(self, queues: dict[str, deque[Held]]) -> None:
        """Return a chat's held rows to the outbox once half of the oldest one's lease is used."""
        now = self.clock()
        self._give_back(queues, lambda queue: now - queue[0].claimed_at >= LEASE / 2)

    def _give_back(self, queues: dict[str, deque[Held]],
                   which: Callable[[deque[Held]], bool]) -> None:
        """Return the held rows of the chats `which` picks, due when they first fell due."""
        now = self.clock()
        for key in [key for key, queue in queues.items() if which(queue)]:
            for row in queues.pop(key):  # the old due time keeps the chat's rows in order
                self._postpone(row.item, min(row.item.due_at or now, now))

    def _postpone(self, item: outbox.OutboxItem, due: datetime) -> None:
        """Release a claimed row until `due` without counting an attempt."""
        with Session(self.db) as session, session.begin():
            outbox.postpone(session, item.id, due=due, now=self.clock())

    async def _deliver(self, item: outbox.OutboxItem) -> tuple[str, datetime | None]:
        """Send and record one row; return the outcome and, after a retry_after, the hold."""
        address = Address.from_key(item.address_key)
        sender = self.senders[address.channel]
        tries = item.attempts
        error: str | None = None
        retry_at, told_to_wait, message_id = None, False, None
        if item.kind in outbox.BULK_KINDS:  # at most once: a crash from here gives it up
            with Session(self.db) as session, session.begin():
                outbox.mark_send_started(session, item.id, self.clock())
        try:
            message_id = await sender.send(address.user_id, Outbound.from_json(item.payload))
        except RecipientGone as gone:
            error = f"recipient gone: {gone}"
        except DeliveryFailed as failed:
            error, told_to_wait = str(failed), failed.retry_after is not None
            if tries < self.max_attempts:
                wait = failed.retry_after or backoff_seconds(tries)
                retry_at = self.clock() + timedelta(seconds=wait)
        except Exception as crash:  # a sender bug must not stop the other messages
            log.exception("sender for %s crashed", address.channel)
            error = f"sender crashed: {type(crash).__name__}"
            if tries < self.max_attempts:
                retry_at = self.clock() + timedelta(seconds=backoff_seconds(tries))
        now = self.clock()
        with Session(self.db) as session, session.begin():
            if error is None:
                outbox.mark_sent(session, item.id, now)
                if message_id is not None:  # so that the message can be edited later
                    sid = deliveries.chat_message_sid(item.address_key, message_id)
                    deliveries.record_send(session, sid=sid, outbox_id=item.id,
                                           channel=address.channel, template=None, status=SENT,
                                           now=now)
                return SENT, None
            log.warning("delivery of outbox row %s failed: %s", item.id, error)
            outbox.mark_failed(session, item.id, error=error, retry_at=retry_at, now=now)
            if retry_at is None and error.startswith("recipient gone"):
                outbox.mark_unreachable(session, item.address_key, now)
                return GONE, None
        return FAILED, retry_at if told_to_wait else None
