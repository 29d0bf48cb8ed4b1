"""Postponing an outbox row is not a failure; a broadcast cut off mid-send is reported."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from storage import outbox
from storage.tables import OutboxRow
from tests.storage.samples import NOW
from tests.storage.test_outbox import LEASE, claim, queue, texts

LATER = NOW + timedelta(minutes=5)


def enqueue(session: Session, kind: str) -> None:
    outbox.enqueue(session, address_key="telegram:1001", kind=kind, payload={"text": kind},
                   now=NOW)


def test_a_postponed_row_keeps_its_attempts_and_has_no_error(session: Session) -> None:
    queue(session, "hello")
    for _ in range(20):
        (item,) = claim(session)
        assert outbox.postpone(session, item.id, due=NOW, now=NOW) is True
    assert outbox.postpone(session, item.id, due=LATER, now=NOW) is False  # not claimed
    (item,) = claim(session)
    assert outbox.postpone(session, item.id, due=LATER, now=NOW) is True
    assert claim(session, LATER - NOW - timedelta(seconds=1)) == []
    assert [item.attempts for item in claim(session, LATER - NOW)] == [1]
    row = session.get(OutboxRow, item.id)
    assert row is not None and row.last_error is None


def test_a_row_whose_lease_ran_out_is_left_alone(session: Session) -> None:
    queue(session, "hello")
    (item,) = claim(session)
    assert outbox.postpone(session, item.id, due=LATER, now=NOW + LEASE) is False
    assert [item.attempts for item in claim(session, LEASE)] == [2]  # not moved to LATER


@pytest.mark.parametrize(("kind", "interrupted"), [("alert", True), ("group_post", True),
                                                   ("reply", False)])
def test_a_broadcast_claimed_again_after_its_send_started_is_interrupted(
        session: Session, kind: str, interrupted: bool) -> None:
    enqueue(session, kind)
    (item,) = claim(session)
    assert not item.interrupted
    outbox.mark_send_started(session, item.id, NOW)
    (again,) = claim(session, LEASE)
    assert again.interrupted is interrupted and again.send_started_at == NOW


def test_a_send_the_channel_refused_clears_the_started_mark(session: Session) -> None:
    enqueue(session, "alert")
    (item,) = claim(session)
    outbox.mark_send_started(session, item.id, NOW)
    outbox.mark_failed(session, item.id, error="Telegram unavailable", retry_at=NOW)
    (again,) = claim(session)
    assert not again.interrupted and texts([again]) == ["alert"]
