"""Named leases: one holder at a time, renewed by it, taken over only once it has expired."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from storage.db import session_scope
from storage.leases import hold_lease, lease_holder, release_lease
from tests.storage.samples import NOW

TTL = timedelta(seconds=45)


def hold(session: Session, holder: str, seconds: float = 0) -> bool:
    return hold_lease(session, name="scheduler", holder=holder,
                      now=NOW + timedelta(seconds=seconds), ttl=TTL)


def test_the_first_process_takes_the_lease_and_the_second_is_refused(session: Session) -> None:
    assert hold(session, "a") is True
    assert hold(session, "b", 44) is False
    assert lease_holder(session, name="scheduler", now=NOW + timedelta(seconds=44)) == "a"


def test_renewing_keeps_the_lease_past_its_first_expiry(session: Session) -> None:
    assert hold(session, "a") and hold(session, "a", 30)
    assert hold(session, "b", 60) is False
    assert hold(session, "b", 75) is True
    assert lease_holder(session, name="scheduler", now=NOW + timedelta(seconds=75)) == "b"


def test_a_dead_holders_lease_is_taken_over_when_it_expires(session: Session) -> None:
    hold(session, "a")
    assert hold(session, "b", 45) is True
    assert hold(session, "a", 46) is False  # the old holder has lost it


def test_a_released_lease_is_free_at_once(session: Session) -> None:
    hold(session, "a")
    assert release_lease(session, name="scheduler", holder="b", now=NOW) is False
    assert release_lease(session, name="scheduler", holder="a", now=NOW + timedelta(seconds=1))
    assert lease_holder(session, name="scheduler", now=NOW + timedelta(seconds=1)) is None
    assert hold(session, "b", 1) is True


def test_racing_processes_never_both_take_the_lease(engine: Engine) -> None:
    start, won = threading.Barrier(8), []

    def contender(name: str) -> None:
        start.wait()
        with session_scope(engine) as session:
            if hold(session, name):
                won.append(name)

    threads = [threading.Thread(target=contender, args=(f"p{n}",)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(won) == 1
