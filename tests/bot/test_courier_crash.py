"""A courier that dies after a send went out: alerts are never sent twice, replies are resent."""

from __future__ import annotations

import asyncio

import pytest
from sqlmodel import Session, select

from bot.app import App
from bot.courier import LEASE
from conversations.messages import Outbound
from handlers.sending import DeliveryFailed
from storage import outbox
from storage.tables import OutboxRow
from tests.bot.conftest import FakeClock, RecordingSender
from tests.bot.test_courier import PowerCut


class DyingSender(RecordingSender):
    """Deliver the message, then the process dies before the courier can stamp it sent."""

    async def send(self, user_id: str, message: Outbound) -> None:
        await super().send(user_id, message)
        raise PowerCut


def queue_one(app: App, kind: str) -> None:
    with Session(app.db) as session, session.begin():
        outbox.enqueue(session, address_key="console:asha", kind=kind, now=app.clock(),
                       payload=Outbound("R-4821 needs B+ blood").to_json())


def the_row(app: App) -> OutboxRow:
    with Session(app.db) as session:
        return session.exec(select(OutboxRow)).one()


def send_die_and_restart(app: App, clock: FakeClock) -> RecordingSender:
    """Send through a courier that dies mid-send; return what a fresh one sends later."""
    with pytest.raises(PowerCut):
        asyncio.run(app.courier({"console": DyingSender()}).drain())
    clock.advance(seconds=LEASE.total_seconds())
    after = RecordingSender()
    asyncio.run(app.courier({"console": after}).drain())
    return after


@pytest.mark.parametrize("kind", sorted(outbox.BULK_KINDS))
def test_a_broadcast_cut_off_mid_send_is_given_up_not_resent(app: App, clock: FakeClock,
                                                             kind: str) -> None:
    queue_one(app, kind)
    assert send_die_and_restart(app, clock).sent == []
    row = the_row(app)
    assert row.sent_at is None and row.failed_at == clock.now
    assert row.last_error == outbox.INTERRUPTED


def test_a_reply_cut_off_mid_send_is_sent_again(app: App, clock: FakeClock) -> None:
    queue_one(app, "reply")
    assert send_die_and_restart(app, clock).texts("asha") == ["R-4821 needs B+ blood"]
    row = the_row(app)
    assert row.sent_at == clock.now and row.failed_at is None


def test_an_alert_the_channel_refused_is_still_retried(app: App, clock: FakeClock) -> None:
    queue_one(app, "alert")
    sender = RecordingSender()
    sender.failures.append(DeliveryFailed("Telegram unavailable"))
    courier = app.courier({"console": sender})
    asyncio.run(courier.drain())
    clock.advance(minutes=1)
    asyncio.run(courier.drain())
    assert sender.texts("asha") == ["R-4821 needs B+ blood"]


def test_an_alert_is_marked_started_and_committed_before_it_is_sent(app: App,
                                                                    clock: FakeClock) -> None:
    queue_one(app, "alert")
    seen: list[object] = []

    class Peeking(RecordingSender):
        async def send(self, user_id: str, message: Outbound) -> None:
            seen.append(the_row(app).send_started_at)  # read on another connection
            await super().send(user_id, message)

    asyncio.run(app.courier({"console": Peeking()}).drain())
    assert seen == [clock.now] and the_row(app).sent_at == clock.now
