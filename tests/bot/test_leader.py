"""Leader election: of two processes on one database, only the lease holder ticks the jobs."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.app import App
from bot.leader import Leadership
from tests.bot.conftest import FakeClock

LEASE = timedelta(seconds=45)


def process(app: App, name: str) -> Leadership:
    return Leadership(db=app.db, clock=app.clock, lease=LEASE, holder=name)


def ticked_by(*processes: Leadership) -> list[str]:
    """Fire each process's guarded tick once; return who actually ran it."""
    ran: list[str] = []
    for leader in processes:
        async def tick(name: str = leader.holder) -> None:
            ran.append(name)
        asyncio.run(leader.guard(tick)())
    return ran


def test_only_the_lease_holder_ticks(app: App) -> None:
    first, second = process(app, "first"), process(app, "second")
    assert first.try_hold() is True and second.try_hold() is False
    assert ticked_by(first, second) == ["first"]


def test_another_process_takes_over_within_a_minute_of_the_leader_dying(
        app: App, clock: FakeClock) -> None:
    first, second = process(app, "first"), process(app, "second")
    first.try_hold()
    clock.advance(seconds=44)
    assert second.try_hold() is False
    clock.advance(seconds=1 + LEASE.total_seconds() / 3)  # second's next try after the expiry
    assert second.try_hold() is True
    assert ticked_by(first, second) == ["second"]


def test_a_leader_that_keeps_renewing_stays_the_leader(app: App, clock: FakeClock) -> None:
    first, second = process(app, "first"), process(app, "second")
    for _ in range(10):
        assert first.try_hold() is True and second.try_hold() is False
        clock.advance(seconds=15)
    assert ticked_by(first, second) == ["first"]


def test_a_leader_stopping_in_order_hands_over_at_once(app: App) -> None:
    first, second = process(app, "first"), process(app, "second")

    async def run_then_stop() -> None:
        stop = asyncio.Event()
        task = asyncio.create_task(first.run_forever(stop))
        while not first.leading:
            await asyncio.sleep(0.01)
        stop.set()
        await task

    asyncio.run(run_then_stop())
    assert second.try_hold() is True
