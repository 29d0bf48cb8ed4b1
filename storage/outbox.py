"""The outbox: messages committed with the turn, claimed by couriers for a lease, then sent.

Claiming a row counts one attempt, so a row that keeps killing its courier is given up in the
end too; `postpone` takes that attempt back, as waiting is not failing. Broadcasts are sent at
most once: `mark_send_started` is committed just before one is handed to its channel, and a
broadcast claimed again with that mark set is given up (`INTERRUPTED`), never resent. Replies
and notices are sent at least once: after a crash mid-send they go again.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, or_, update
from sqlmodel import Session, col, select

from storage.db import insert_unless_exists
from storage.domain.addresses import Address
from storage.domain.phones import mask_phones_in_text
from storage.tables import AddressRow, OutboxRow
from storage.turns import ensure_address

MAX_ERROR_LENGTH = 500
UNREACHABLE = "unreachable"
INTERRUPTED = "interrupted mid-send; not resent so nobody gets it twice"


@dataclass(frozen=True)
class OutboxItem:
    """A claimed message: whom to send it to, what it is, and how often it was tried."""

    id: int
    address_key: str
    kind: str
    payload: dict[str, Any]
    attempts: int
    due_at: datetime | None = None
    """When the row fell due; a row given back keeps it, so its chat's order is kept."""
    send_started_at: datetime | None = None
    """When an earlier courier began to send it (broadcasts only); see `interrupted`."""

    @property
    def interrupted(self) -> bool:
        """Tell whether a courier died sending this broadcast, which may have reached them."""
        return self.send_started_at is not None and self.kind in BULK_KINDS


def enqueue(session: Session, *, address_key: str, payload: dict[str, Any], kind: str,
            now: datetime, idempotency_key: str | None = None,
            due_at: datetime | None = None) -> bool:
    """Queue a message; False when one with the same idempotency key was queued before.

    A message to an address known to be unreachable is stored as already given up.
    """
    gone = is_unreachable(session, address_key)
    values = {
        "address_key": address_key,
        "channel": Address.from_key(address_key).channel,
        "kind": kind,
        "payload": json.dumps(payload, ensure_ascii=False, sort_keys=True),
        "idempotency_key": idempotency_key,
        "created_at": now,
        "due_at": due_at or now,
        "attempts": 0,
        "failed_at": now if gone else None,
        "last_error": UNREACHABLE if gone else None,
    }
    return insert_unless_exists(session, OutboxRow, values, key=("idempotency_key",))


BULK_KINDS = frozenset({"alert", "group_post"})
"""Broadcast kinds: replies and notices go out before them, so that a family or an admin
is never kept waiting behind a thousand alerts on a busy channel."""


def claim_due(session: Session, *, channels: Sequence[str] | None, now: datetime, limit: int,
              lease: timedelta) -> list[OutboxItem]:
    """Take up to `limit` due, unsent rows whose lease is free, and lease them until now+lease.

    Replies and notices come first, broadcasts (`BULK_KINDS`) after them, each oldest first.
    Each claim counts an attempt. A returned item may be `interrupted`: the caller gives it up.

    One UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) … RETURNING: on SQLite the
    write lock makes it atomic, on PostgreSQL locked rows are skipped, so no two couriers
    ever hold the same row at once.
    """
    due = (
        select(OutboxRow.id)
        .where(col(OutboxRow.sent_at).is_(None), col(OutboxRow.failed_at).is_(None),
               col(OutboxRow.due_at) <= now,
               or_(col(OutboxRow.claimed_until).is_(None), col(OutboxRow.claimed_until) <= now))
        .order_by(case((col(OutboxRow.kind).in_(BULK_KINDS), 1), else_=0),
                  col(OutboxRow.due_at), col(OutboxRow.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    if channels is not None:
        due = due.where(col(OutboxRow.channel).in_(list(channels)))
    statement = (
        update(OutboxRow)
        .where(col(OutboxRow.id).in_(due.scalar_subquery()))
        .values(claimed_until=now + lease, attempts=col(OutboxRow.attempts) + 1)
        .returning(col(OutboxRow.id), col(OutboxRow.address_key), col(OutboxRow.kind),
                   col(OutboxRow.payload), col(OutboxRow.attempts), col(OutboxRow.due_at),
                   col(OutboxRow.send_started_at))
        .execution_options(synchronize_session=False)
    )
    rows = sorted(session.exec(statement).all(),
                  key=lambda row: (row[2] in BULK_KINDS, row[5], row[0]))
    return [OutboxItem(id=row[0], address_key=row[1], kind=row[2], payload=json.loads(row[3]),
                       attempts=row[4], due_at=row[5], send_started_at=row[6]) for row in rows]


def postpone(session: Session, item_id: int, *, due: datetime, now: datetime) -> bool:
    """Give a claimed row back, due at `due`, as if it had not been claimed; False if too late.

    No attempt is counted (the claim's is taken back) and no error is written. Once the
    lease has run out another courier may hold the row, so it is then left alone.
    """
    result = session.exec(
        update(OutboxRow)
        .where(col(OutboxRow.id) == item_id, col(OutboxRow.sent_at).is_(None),
               col(OutboxRow.failed_at).is_(None), col(OutboxRow.claimed_until) > now)
        .values(claimed_until=None, due_at=due,
                attempts=case((col(OutboxRow.attempts) > 0, col(OutboxRow.attempts) - 1),
                              else_=0))
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)


def mark_send_started(session: Session, item_id: int, now: datetime) -> None:
    """Note that a broadcast is being handed to its channel, so a crash gives it up.

    One UPDATE by primary key, committed on its own just before the send; a failure the
    channel reports (`mark_failed` with a retry) clears it again.
    """
    session.exec(
        update(OutboxRow).where(col(OutboxRow.id) == item_id).values(send_started_at=now)
        .execution_options(synchronize_session=False)
    )


def mark_sent(session: Session, item_id: int, now: datetime) -> None:
    """Stamp a row as sent; it is never claimed again."""
    session.exec(
        update(OutboxRow).where(col(OutboxRow.id) == item_id)
        .values(sent_at=now, claimed_until=None)
        .execution_options(synchronize_session=False)
    )


def mark_failed(session: Session, item_id: int, *, error: str, retry_at: datetime | None,
                now: datetime | None = None) -> None:
    """Record a failed attempt: retry at `retry_at`, or with None give the row up for good.

    The sender reported how this send ended, so a retry is a fresh one: the send-started
    mark is cleared.
    `now` stamps `failed_at` when giving up; without it the system clock is read.
    """
    values: dict[str, Any] = {
        "claimed_until": None,
        "last_error": mask_phones_in_text(error)[:MAX_ERROR_LENGTH],
    }
    if retry_at is None:
        values["failed_at"] = now or datetime.now(UTC)
    else:
        values["due_at"] = retry_at
        values["send_started_at"] = None
    session.exec(
        update(OutboxRow).where(col(OutboxRow.id) == item_id).values(**values)
        .execution_options(synchronize_session=False)
    )


def mark_unreachable(session: Session, address_key: str, now: datetime) -> None:
    """Remember that an address blocked us or unsubscribed; give up what waits for it."""
    row = ensure_address(session, Address.from_key(address_key), now)
    row.unreachable_at = now
    session.add(row)
    session.exec(
        update(OutboxRow)
        .where(and_(col(OutboxRow.address_key) == address_key,
                    col(OutboxRow.sent_at).is_(None), col(OutboxRow.failed_at).is_(None)))
        .values(failed_at=now, claimed_until=None, last_error=UNREACHABLE)
        .execution_options(synchronize_session=False)
    )
    session.flush()


def is_unreachable(session: Session, address_key: str) -> bool:
    """Tell whether the address was marked unreachable since it last wrote to us."""
    statement = select(AddressRow.unreachable_at).where(AddressRow.key == address_key)
    return session.exec(statement).first() is not None
