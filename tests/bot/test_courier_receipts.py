"""The courier keeps the id a channel gave a message, so that the message can be edited later."""

from __future__ import annotations

import asyncio

from sqlmodel import Session, select

from bot.app import App
from conversations.messages import Outbound
from handlers.sending import Sender
from storage import outbox
from storage.delivery_tables import Delivery
from storage.tables import OutboxRow
from tests.bot.conftest import RecordingSender


class NumberingSender:
    """A console sender that numbers its messages, as Telegram does in each chat."""

    channel = "console"

    def __init__(self) -> None:
        self.count = 40

    async def send(self, user_id: str, message: Outbound) -> str | None:
        """Return the message's number."""
        self.count += 1
        return str(self.count)


def queue_and_drain(app: App, sender: Sender) -> int:
    """Queue one message to console user asha, drain it; return its outbox row id."""
    with Session(app.db) as session, session.begin():
        outbox.enqueue(session, address_key="console:asha", payload=Outbound("hi").to_json(),
                       kind="group_post", now=app.clock(), idempotency_key="post")
        row_id = session.exec(select(OutboxRow.id)).one()
    asyncio.run(app.courier({"console": sender}).drain())
    assert row_id is not None
    return row_id


def test_a_message_id_from_the_sender_is_kept_with_its_outbox_row(app: App) -> None:
    row_id = queue_and_drain(app, NumberingSender())
    with Session(app.db) as session:
        [delivery] = session.exec(select(Delivery)).all()
    assert (delivery.sid, delivery.outbox_id, delivery.status) == ("console:asha:41", row_id,
                                                                   "sent")


def test_a_sender_without_message_ids_still_delivers(app: App) -> None:
    sender = RecordingSender()
    queue_and_drain(app, sender)
    assert sender.texts("asha") == ["hi"]
    with Session(app.db) as session:
        assert session.exec(select(Delivery)).all() == []
