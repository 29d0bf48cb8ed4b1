"""Leader election: of all the processes on one database, exactly one ticks the scheduler.

Each process tries to take or renew the `scheduler` lease every third of its length. The one
that holds it leads; when it dies, its lease runs out and another takes it at its next try,
so the scheduler stops for at most a lease and a renewal (45 s + 15 s by default). A process
stopping in order gives the lease up at once.

This process believes it leads only until the lease it last wrote expires, by its own
clock, so a process cut off from the database stops ticking before another may start.
The ticks never rely on the lease alone: every job claims its rows atomically as well.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from collections.abc import Callable, Coroutine
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine as DbEngine
from sqlmodel import Session

from bot.runtime import Clock
from storage.leases import hold_lease, release_lease

log = logging.getLogger(__name__)

SCHEDULER_LEASE = "scheduler"
RENEWALS_PER_LEASE = 3
"""How often a lease is renewed within its length: a late renewal or two loses nothing."""

Tick = Callable[[], Coroutine[Any, Any, None]]
"""A scheduled job's tick: an async function of nothing."""


def process_name() -> str:
    """Name this process uniquely among all that share the database: host, pid, random."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


class Leadership:
    """Hold the scheduler lease while this process runs; tell whether this process leads."""

    def __init__(self, *, db: DbEngine, clock: Clock, lease: timedelta,
                 holder: str | None = None, name: str = SCHEDULER_LEASE) -> None:
        self.db = db
        self.clock = clock
        self.lease = lease
        self.holder = holder or process_name()
        self.name = name
        self._until: datetime | None = None

    @property
    def leading(self) -> bool:
        """Tell whether this process holds the lease now."""
        return self._until is not None and self.clock() < self._until

    def try_hold(self) -> bool:
        """Take or renew the lease once (this blocks on the database); tell whether it leads."""
        now, was = self.clock(), self.leading
        try:
            with Session(self.db) as session, session.begin():
                held = hold_lease(session, name=self.name, holder=self.holder, now=now,
                                  ttl=self.lease)
        except Exception:  # the database may be briefly away: lead on until the lease ends
            log.exception("could not renew the %s lease", self.name)
            return self.leading
        self._until = now + self.lease if held else None
        if held != was:
            log.info("%s the scheduler", "this process now ticks" if held else "another ticks")
        return held

    def release(self) -> None:
        """Give the lease up, so another process takes over without waiting for it to expire."""
        if self._until is None:
            return
        self._until = None
        with Session(self.db) as session, session.begin():
            release_lease(session, name=self.name, holder=self.holder, now=self.clock())

    async def run_forever(self, stop: asyncio.Event) -> None:
        """Renew the lease (or try to take it) until `stop` is set, then give it up."""
        every = self.lease.total_seconds() / RENEWALS_PER_LEASE
        try:
            while not stop.is_set():
                await asyncio.to_thread(self.try_hold)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), every)
        finally:
            try:
                await asyncio.to_thread(self.release)
            except Exception:
                log.exception("could not give the %s lease up; it expires by itself", self.name)

    def guard(self, tick: Tick) -> Tick:
        """Return `tick` made to run only while this process leads."""

        async def guarded() -> None:
            if self.leading:
                await tick()

        return guarded
