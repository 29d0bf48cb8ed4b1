"""The courier within rate limits: paced, never held up by one busy chat, never lost or doubled."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from bot.app import App, channel_limits
from bot.courier import LEASE, Courier
from bot.ratelimit import ChannelLimits, RateLimiter
from conversations.messages import Outbound
from handlers.sending import DeliveryFailed, RecipientGone
from storage import outbox
from storage.tables import OutboxRow
from tests.bot.conftest import FakeClock


class PowerCut(BaseException):
    """The process dies mid-send (nothing in the courier may catch it)."""


class SimulatedTime:
    """One fake clock for the courier and its limiter; sleeping moves it forward."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.start = clock.now
        self.alarms: list[tuple[float, Callable[[], None]]] = []
        """Things that happen this many seconds after the start, even while someone sleeps."""

    def seconds(self) -> float:
        return self.clock.now.timestamp()

    def since_start(self, moment: datetime) -> float:
        return (moment - self.start).total_seconds()

    async def sleep(self, seconds: float) -> None:
        end = self.clock.now + timedelta(microseconds=math.ceil(max(seconds, 0.0) * 1e6))
        for alarm in sorted(self.alarms, key=lambda alarm: alarm[0]):
            at = self.start + timedelta(seconds=alarm[0])
            if at <= end:
                self.alarms.remove(alarm)
                self.clock.now = max(self.clock.now, at)
                alarm[1]()
        self.clock.now = end
        await asyncio.sleep(0)


class TimedSender:
    """Record what was sent to whom and when; fail a message once when told to."""

    channel = "telegram"

    def __init__(self, clock: FakeClock, crash_on: int | None = None) -> None:
        self.clock = clock
        self.crash_on = crash_on
        self.failures: dict[str, Exception] = {}
        self.sent: list[tuple[str, str, datetime]] = []

    async def send(self, user_id: str, message: Outbound) -> None:
        if len(self.sent) + 1 == self.crash_on:
            raise PowerCut
        if message.text in self.failures:
            raise self.failures.pop(message.text)
        self.sent.append((user_id, message.text, self.clock.now))

    def times(self, user_id: str | None = None) -> list[datetime]:
        return [when for user, _text, when in self.sent if user_id in (None, user)]


def queue(app: App, chats: Iterable[str], channel: str = "telegram", kind: str = "alert") -> None:
    with Session(app.db) as session, session.begin():
        for index, chat in enumerate(chats):
            outbox.enqueue(session, address_key=f"{channel}:{chat}", kind=kind,
                           payload=Outbound(f"message {index}").to_json(), now=app.clock(),
                           idempotency_key=f"{kind}:{index}:{chat}")


def courier(app: App, sender: TimedSender, time: SimulatedTime,
            limits: dict[str, ChannelLimits] | None = None, stop: asyncio.Event | None = None,
            **options: int) -> Courier:
    limiter = RateLimiter(limits or channel_limits(app.settings), clock=time.seconds,
                          sleep=time.sleep)
    return Courier(db=app.db, senders={sender.channel: sender}, clock=app.clock,
                   limiter=limiter, sleep=time.sleep, stop=stop, **options)


def deliver_all(courier: Courier, time: SimulatedTime) -> None:
    """Drain, and drain again whenever postponed rows fall due, until nothing waits."""

    async def run() -> None:
        await courier.drain()
        while (wait := courier.next_wait()) is not None:
            await time.sleep(wait)
            await courier.drain()

    asyncio.run(run())


def unsent(app: App) -> int:
    with Session(app.db) as session:
        return len(session.exec(select(OutboxRow.id).where(
            col(OutboxRow.sent_at).is_(None), col(OutboxRow.failed_at).is_(None))).all())


def most_in_any_window(times: list[datetime], seconds: float) -> int:
    return max(sum(1 for t in times if 0 <= (t - start).total_seconds() < seconds)
               for start in times)


@pytest.fixture
def time(clock: FakeClock) -> SimulatedTime:
    return SimulatedTime(clock)


def test_one_chat_gets_a_message_a_second_in_order(app: App, clock: FakeClock,
                                                     time: SimulatedTime) -> None:
    queue(app, ["1001"] * 100)
    sender = TimedSender(clock)
    deliver_all(courier(app, sender, time), time)
    assert [text for _u, text, _t in sender.sent] == [f"message {n}" for n in range(100)]
    assert time.since_start(sender.times()[-1]) >= 99
    assert most_in_any_window(sender.times(), 1.0) == 1 and unsent(app) == 0


def test_three_hundred_chats_take_ten_seconds(app: App, clock: FakeClock,
                                              time: SimulatedTime) -> None:
    queue(app, [str(1000 + n) for n in range(300)])
    sender = TimedSender(clock)
    deliver_all(courier(app, sender, time), time)
    assert len({user for user, _text, _t in sender.sent}) == len(sender.sent) == 300
    assert 9.8 <= time.since_start(sender.times()[-1]) < 10.5  # 30 a second, a few at once


def test_a_group_gets_at_most_twenty_messages_a_minute(app: App, clock: FakeClock,
                                                      time: SimulatedTime) -> None:
    queue(app, ["-100500"] * 45)
    sender = TimedSender(clock)
    deliver_all(courier(app, sender, time), time)
    assert [text for _u, text, _t in sender.sent] == [f"message {n}" for n in range(45)]
    assert most_in_any_window(sender.times(), 60.0) == 20


def test_other_chats_are_not_held_up_behind_a_busy_one(app: App, clock: FakeClock,
                                                       time: SimulatedTime) -> None:
    queue(app, ["-100500"] * 40 + ["1001"] * 5)
    queue(app, ["1002"])
    sender = TimedSender(clock)
    deliver_all(courier(app, sender, time), time)
    assert time.since_start(sender.times("1002")[0]) < 0.1
    assert time.since_start(sender.times("1001")[-1]) < 4.5
    assert time.since_start(sender.times("-100500")[-1]) >= 39 * 3


def test_a_reply_committed_mid_drain_goes_out_at_once(app: App, clock: FakeClock,
                                                       time: SimulatedTime) -> None:
    queue(app, ["-100500"] * 10)
    time.alarms.append((10.0, lambda: queue(app, ["1002"])))  # a donor's reply is committed
    sender = TimedSender(clock)
    deliver_all(courier(app, sender, time), time)
    assert 10 <= time.since_start(sender.times("1002")[0]) <= 10.6


def test_retry_after_is_honoured_and_the_message_sent_once(app: App, clock: FakeClock,
                                                           time: SimulatedTime) -> None:
    queue(app, ["1001", "1001", "1002"])
    sender = TimedSender(clock)
    sender.failures["message 0"] = DeliveryFailed("flood control", retry_after=30)
    mailman = courier(app, sender, time)
    asyncio.run(mailman.drain())
    assert [user for user, _text, _t in sender.sent] == ["1002"]
    clock.advance(seconds=29)
    asyncio.run(mailman.drain())
    assert len(sender.sent) == 1
    deliver_all(mailman, time)
    assert [text for user, text, _t in sender.sent if user == "1001"] == ["message 0",
                                                                          "message 1"]
    assert time.since_start(sender.times("1001")[0]) >= 30 and unsent(app) == 0


def test_a_recipient_who_blocked_the_bot_is_marked_unreachable(app: App, clock: FakeClock,
                                                               time: SimulatedTime) -> None:
    queue(app, ["1001", "1001", "1002", "1001"])
    sender = TimedSender(clock)
    sender.failures["message 0"] = RecipientGone("Forbidden: bot was blocked by the user")
    deliver_all(courier(app, sender, time), time)
    assert [user for user, _text, _t in sender.sent] == ["1002"]
    with Session(app.db) as session:
        assert outbox.is_unreachable(session, "telegram:1001")
    assert unsent(app) == 0


@pytest.mark.parametrize(("kind", "delivered"), [("reply", 25), ("alert", 24)])
def test_a_crash_mid_drain_doubles_nothing(app: App, clock: FakeClock, time: SimulatedTime,
                                           kind: str, delivered: int) -> None:
    """A reply cut off mid-send goes again; an alert is given up, as it may have gone."""
    queue(app, [str(1000 + n) for n in range(20)] + ["1001"] * 5, kind=kind)
    first = TimedSender(clock, crash_on=8)
    with pytest.raises(PowerCut):
        deliver_all(courier(app, first, time), time)
    clock.advance(seconds=LEASE.total_seconds())
    second = TimedSender(clock)
    deliver_all(courier(app, second, time), time)
    both = [(user, text) for user, text, _t in first.sent + second.sent]
    assert len(first.sent) == 7 and len(both) == len(set(both)) == delivered
    assert unsent(app) == 0


def test_a_slow_channel_never_sends_a_row_whose_lease_ran_out(app: App, clock: FakeClock,
                                                             time: SimulatedTime) -> None:
    queue(app, [f"+9198123400{n:02d}" for n in range(40)], channel="whatsapp")
    sender = TimedSender(clock)
    sender.channel = "whatsapp"
    leases: list[bool] = []
    original = sender.send

    async def checked(user_id: str, message: Outbound) -> None:
        with Session(app.db) as session:
            until = session.exec(select(OutboxRow.claimed_until).where(
                OutboxRow.address_key == f"whatsapp:{user_id}")).one()
        leases.append(until is not None and until.replace(tzinfo=clock.now.tzinfo) > clock.now)
        await original(user_id, message)

    sender.send = checked  # type: ignore[method-assign]
    deliver_all(courier(app, sender, time, {"whatsapp": ChannelLimits(per_second=0.2)}), time)
    assert len(sender.sent) == 40 and all(leases)


def test_waiting_for_a_busy_group_does_not_use_up_retries(app: App, clock: FakeClock,
                                                          time: SimulatedTime) -> None:
    queue(app, ["-100500"] * 45)
    sender = TimedSender(clock)
    sender.failures["message 44"] = DeliveryFailed("Telegram unavailable")
    deliver_all(courier(app, sender, time, max_attempts=2), time)
    clock.advance(minutes=1)
    deliver_all(courier(app, sender, time, max_attempts=2), time)
    assert [text for _u, text, _t in sender.sent][-1] == "message 44" and unsent(app) == 0
