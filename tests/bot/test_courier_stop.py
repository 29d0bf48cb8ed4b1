"""The courier stops promptly when asked, and waits for a channel that is not ready yet."""

from __future__ import annotations

import asyncio

import pytest
from sqlmodel import Session, col, select

from bot.app import App
from conversations.messages import Outbound
from storage.tables import OutboxRow
from tests.bot.conftest import FakeClock
from tests.bot.test_courier import SimulatedTime, TimedSender, courier, deliver_all, queue


@pytest.fixture
def time(clock: FakeClock) -> SimulatedTime:
    return SimulatedTime(clock)


class StartingSender(TimedSender):
    """A sender whose channel is still starting up (as Telegram's is before initialize)."""

    ready = False


def pending(app: App) -> list[OutboxRow]:
    """Return the rows not yet sent nor given up."""
    with Session(app.db) as session:
        return list(session.exec(select(OutboxRow).where(
            col(OutboxRow.sent_at).is_(None), col(OutboxRow.failed_at).is_(None))).all())


def test_a_stop_ends_a_long_drain_and_gives_every_held_row_back(app: App, clock: FakeClock,
                                                               time: SimulatedTime) -> None:
    queue(app, [str(1000 + n) for n in range(300)])  # ten seconds at 30 a second
    stop = asyncio.Event()
    time.alarms.append((2.0, stop.set))  # SIGTERM
    sender = TimedSender(clock)
    asyncio.run(courier(app, sender, time).run_forever(stop))
    assert time.since_start(clock.now) < 2.5 and 55 <= len(sender.sent) <= 65
    left = pending(app)
    assert len(left) == 300 - len(sender.sent)
    assert all(row.attempts == 0 and row.claimed_until is None and row.due_at <= clock.now
               for row in left)


def test_the_send_in_hand_when_stopped_is_finished_and_stamped(app: App, clock: FakeClock,
                                                              time: SimulatedTime) -> None:
    queue(app, [str(1000 + n) for n in range(20)], kind="reply")
    stop = asyncio.Event()
    sender = TimedSender(clock)
    original = sender.send

    async def send_then_stop(user_id: str, message: Outbound) -> None:
        await original(user_id, message)
        if len(sender.sent) == 5:
            stop.set()

    sender.send = send_then_stop  # type: ignore[method-assign]
    assert asyncio.run(courier(app, sender, time, stop=stop).drain()) == 5
    assert len(pending(app)) == 15


def test_nothing_is_claimed_for_a_channel_that_is_not_ready(app: App, clock: FakeClock,
                                                           time: SimulatedTime) -> None:
    queue(app, ["1001", "1002", "1001"])
    sender = StartingSender(clock)
    for _ in range(20):  # the server's ticks while Telegram is still starting
        deliver_all(courier(app, sender, time), time)
        clock.advance(seconds=2)
    assert sender.sent == [] and [row.attempts for row in pending(app)] == [0, 0, 0]
    sender.ready = True
    deliver_all(courier(app, sender, time, max_attempts=1), time)
    assert len(sender.sent) == 3 and pending(app) == []
