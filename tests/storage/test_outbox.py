"""The outbox: sent at most once per key, claimed by one courier at a time, retried, given up."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from storage import outbox, turns
from storage.db import session_scope
from storage.domain.addresses import Address
from storage.tables import OutboxRow
from tests.storage.samples import NOW

LEASE = timedelta(minutes=2)
ASHA = "telegram:1001"


def queue(session: Session, text: str, key: str | None = None, address: str = ASHA,
          **when: timedelta) -> bool:
    return outbox.enqueue(session, address_key=address, payload={"text": text}, kind="reply",
                          idempotency_key=key, now=NOW, due_at=NOW + when.get("due", 0 * LEASE))


def claim(session: Session, now_plus: timedelta = timedelta(0), limit: int = 10,
          channels: list[str] | None = None) -> list[outbox.OutboxItem]:
    return outbox.claim_due(session, channels=channels, now=NOW + now_plus, limit=limit,
                            lease=LEASE)


def texts(items: list[outbox.OutboxItem]) -> list[str]:
    return [item.payload["text"] for item in items]


def test_a_message_is_queued_once_per_idempotency_key(session: Session) -> None:
    assert queue(session, "R-4821 needs B+", key="alert:R-4821:asha") is True
    assert queue(session, "R-4821 needs B+", key="alert:R-4821:asha") is False
    assert queue(session, "hello") is True and queue(session, "hello") is True
    assert texts(claim(session)) == ["R-4821 needs B+", "hello", "hello"]


def test_only_due_rows_of_the_asked_channels_are_claimed(session: Session) -> None:
    queue(session, "later", due=timedelta(minutes=1))
    queue(session, "now on whatsapp", address="whatsapp:+919812345678")
    queue(session, "now on telegram")
    assert texts(claim(session, channels=["telegram"])) == ["now on telegram"]
    assert texts(claim(session, timedelta(minutes=1))) == ["now on whatsapp", "later"]


def test_two_couriers_never_hold_the_same_row(engine: Engine) -> None:
    with session_scope(engine) as session:
        for n in range(3):
            queue(session, f"m{n}")
    with session_scope(engine) as first:
        taken = claim(first, limit=2)
    with session_scope(engine) as second:
        assert texts(claim(second)) == ["m2"]
    assert texts(taken) == ["m0", "m1"]


def test_racing_couriers_split_the_rows(engine: Engine) -> None:
    with session_scope(engine) as session:
        for n in range(20):
            queue(session, f"m{n}")
    start = threading.Barrier(2)
    taken: list[list[int]] = [[], []]

    def courier(index: int) -> None:
        start.wait()
        with session_scope(engine) as session:
            taken[index] = [item.id for item in claim(session, limit=15)]

    threads = [threading.Thread(target=courier, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(taken[0] + taken[1]) == list(range(1, 21))


def test_an_expired_lease_lets_another_courier_retry(session: Session) -> None:
    queue(session, "hello")
    assert [item.attempts for item in claim(session)] == [1]
    assert claim(session, LEASE - timedelta(seconds=1)) == []
    assert [item.attempts for item in claim(session, LEASE)] == [2]


def test_a_sent_row_is_never_claimed_again(session: Session) -> None:
    queue(session, "hello")
    (item,) = claim(session)
    outbox.mark_sent(session, item.id, NOW)
    assert claim(session, timedelta(days=1)) == []


def test_a_failed_row_is_retried_at_the_time_given(session: Session) -> None:
    queue(session, "hello")
    (item,) = claim(session)
    outbox.mark_failed(session, item.id, error="timeout for +919812345678",
                       retry_at=NOW + timedelta(minutes=10))
    assert claim(session, timedelta(minutes=9)) == []
    assert texts(claim(session, timedelta(minutes=10))) == ["hello"]
    row = session.get(OutboxRow, item.id)
    assert row is not None and row.last_error is not None and "9812345678" not in row.last_error


def test_a_permanent_failure_gives_the_row_up(session: Session) -> None:
    queue(session, "hello")
    (item,) = claim(session)
    outbox.mark_failed(session, item.id, error="bad request", retry_at=None, now=NOW)
    assert claim(session, timedelta(days=1)) == []
    row = session.get(OutboxRow, item.id)
    assert row is not None and row.sent_at is None and row.failed_at == NOW


def test_an_unreachable_address_gets_nothing_until_it_writes_again(session: Session) -> None:
    queue(session, "waiting")
    outbox.mark_unreachable(session, ASHA, NOW)
    queue(session, "after the block")
    assert outbox.is_unreachable(session, ASHA) and claim(session) == []
    turns.remember_address(session, Address.from_key(ASHA), now=NOW, phone=None,
                           display_name=None)
    queue(session, "welcome back")
    assert not outbox.is_unreachable(session, ASHA)
    assert texts(claim(session)) == ["welcome back"]


def test_replies_are_claimed_before_an_older_broadcast(session: Session) -> None:
    for number in range(3):
        outbox.enqueue(session, address_key=f"telegram:{2000 + number}", kind="alert",
                       payload={"text": f"alert {number}"}, now=NOW, due_at=NOW)
    queue(session, "your request is saved", due=timedelta(seconds=1))
    assert texts(claim(session, timedelta(seconds=1), limit=2)) == [
        "your request is saved", "alert 0"]
