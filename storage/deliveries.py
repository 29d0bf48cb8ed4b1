"""Provider receipts for sent outbox rows, and pauses that hold back one kind of message.

A `Delivery` links an outbox row to the id the provider gave the message (a Twilio
MessageSid) and follows its status callbacks. It holds no personal data: the recipient and
the text stay on the outbox row, and erasing a person's outbox rows cascades here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from storage.db import insert_unless_exists
from storage.delivery_tables import Delivery, SendPause
from storage.outbox import OutboxItem
from storage.tables import AddressRow, Donor, OutboxRow

STATUS_RANK: dict[str, int] = {
    "accepted": 0, "scheduled": 0, "queued": 0, "sending": 1, "sent": 2, "delivered": 3,
    "read": 4,
}
"""Twilio message statuses in the order they happen; callbacks may arrive out of order."""
FAILED_STATUSES = frozenset({"failed", "undelivered", "canceled"})


@dataclass(frozen=True)
class DeliveryUpdate:
    """A status applied to a delivery, with the outbox row it belongs to."""

    sid: str
    status: str
    error_code: int | None
    template: str | None
    outbox: OutboxItem


def chat_message_sid(address_key: str, message_id: str) -> str:
    """Return the Delivery id of a message its channel numbers per chat (Telegram)."""
    return f"{address_key}:{message_id}"


def claimed_rows(session: Session, *, address_key: str, now: datetime) -> list[OutboxItem]:
    """Return the rows leased to a courier for this address that have no delivery yet."""
    statement = (
        select(OutboxRow)
        .where(OutboxRow.address_key == address_key, col(OutboxRow.sent_at).is_(None),
               col(OutboxRow.failed_at).is_(None), col(OutboxRow.claimed_until) > now,
               col(OutboxRow.id).not_in(select(Delivery.outbox_id)))
        .order_by(col(OutboxRow.id))
    )
    return [_item(row) for row in session.exec(statement)]


def record_send(session: Session, *, sid: str, outbox_id: int, channel: str,
                template: str | None, status: str, now: datetime) -> None:
    """Remember that the provider accepted a message for `outbox_id` under `sid`."""
    insert_unless_exists(session, Delivery, {
        "sid": sid, "outbox_id": outbox_id, "channel": channel, "template": template,
        "status": status, "created_at": now, "updated_at": now,
    }, key=("sid",))


def apply_status(session: Session, *, sid: str, status: str, error_code: int | None,
                 now: datetime) -> DeliveryUpdate | None:
    """Record a status callback; None when the sid is unknown (or its row was erased)."""
    delivery = session.get(Delivery, sid)
    row = session.get(OutboxRow, delivery.outbox_id) if delivery is not None else None
    if delivery is None or row is None:
        return None
    if status in FAILED_STATUSES:
        delivery.status, delivery.error_code = status, error_code
        delivery.failed_at = delivery.failed_at or now
    elif status in STATUS_RANK and delivery.status not in FAILED_STATUSES:
        if STATUS_RANK[status] > STATUS_RANK.get(delivery.status, -1):
            delivery.status = status
        if status in ("delivered", "read"):
            delivery.delivered_at = delivery.delivered_at or now
        if status == "read":
            delivery.read_at = delivery.read_at or now
    delivery.updated_at = now
    session.add(delivery)
    session.flush()
    return DeliveryUpdate(sid, delivery.status, error_code, delivery.template, _item(row))


def pause(session: Session, *, channel: str, kind: str, until: datetime, reason: str,
          now: datetime) -> None:
    """Hold back `kind` messages on `channel` until `until` (a later pause extends it)."""
    current = session.get(SendPause, (channel, kind))
    if current is None:
        current = SendPause(channel=channel, kind=kind, paused_until=until, reason=reason,
                            set_at=now)
    elif until > current.paused_until:
        current.paused_until, current.reason, current.set_at = until, reason, now
    session.add(current)
    session.flush()


def paused_until(session: Session, *, channel: str, kind: str, now: datetime) -> datetime | None:
    """Return when a pause on `kind` messages ends, or None when they may be sent now."""
    current = session.get(SendPause, (channel, kind))
    return current.paused_until if current is not None and current.paused_until > now else None


def last_inbound_at(session: Session, address_key: str) -> datetime | None:
    """Return when the address last wrote to us, or None if it never did."""
    statement = select(AddressRow.last_inbound_at).where(AddressRow.key == address_key)
    return session.exec(statement).first()


def alerts_withdrawn(session: Session, address_key: str) -> bool:
    """Tell whether the donor behind the address has withdrawn consent to alerts."""
    statement = (
        select(Donor.consent_alerts)
        .join(AddressRow, AddressRow.person_id == Donor.person_id)  # type: ignore[arg-type]
        .where(AddressRow.key == address_key)
    )
    return session.exec(statement).first() is False


def _item(row: OutboxRow) -> OutboxItem:
    if row.id is None:  # pragma: no cover - rows read back always have an id
        raise ValueError("outbox row has no id")
    payload: dict[str, Any] = json.loads(row.payload)
    return OutboxItem(id=row.id, address_key=row.address_key, kind=row.kind, payload=payload,
                      attempts=row.attempts)
