"""Only real failures use up an outbox row's retries; waiting for its turn never does."""

from __future__ import annotations

import asyncio

from sqlmodel import Session, select

from bot.app import App
from bot.courier import LEASE
from conversations.messages import Outbound
from handlers.sending import DeliveryFailed
from storage import outbox
from storage.tables import OutboxRow
from tests.bot.conftest import FakeClock, RecordingSender


def postpone_many_times(app: App, times: int) -> None:
    """Claim the one queued row and give it back, as couriers waiting on a limit do."""
    for _ in range(times):
        with Session(app.db) as session, session.begin():
            (item,) = outbox.claim_due(session, channels=None, now=app.clock(), limit=1,
                                       lease=LEASE)
            outbox.postpone(session, item.id, due=app.clock(), now=app.clock())


def test_a_row_postponed_many_times_still_gets_every_retry(app: App, clock: FakeClock) -> None:
    with Session(app.db) as session, session.begin():
        outbox.enqueue(session, address_key="console:asha", kind="reply", now=clock.now,
                       payload=Outbound("your request is saved").to_json())
    postpone_many_times(app, 20)
    sender = RecordingSender()
    sender.failures = [DeliveryFailed("console unavailable") for _ in range(10)]
    courier, tries = app.courier({"console": sender}), app.settings.courier_max_attempts
    for _ in range(tries + 1):
        asyncio.run(courier.drain())
        clock.advance(minutes=10)  # past the longest back-off
    with Session(app.db) as session:
        row = session.exec(select(OutboxRow)).one()
    assert 10 - len(sender.failures) == tries and row.failed_at is not None
    assert row.attempts == tries
