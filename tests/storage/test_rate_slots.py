"""Rate slots: sends reserved through the database are spaced evenly, however many reserve."""

from __future__ import annotations

import threading
from itertools import pairwise

from sqlalchemy import Engine
from sqlmodel import Session

from storage.db import session_scope
from storage.rate_slots import reserve_slot

START = 1_796_400_000.0  # seconds since the epoch
GAP = 1 / 30  # Telegram's 30 messages a second per bot


def test_slots_follow_each_other_a_gap_apart_then_start_again_at_now(session: Session) -> None:
    slots = [reserve_slot(session, key="telegram", now=START, interval=GAP) for _ in range(3)]
    assert slots == [START, START + GAP, START + 2 * GAP]
    assert reserve_slot(session, key="telegram", now=START + 5, interval=GAP) == START + 5


def test_each_channel_has_its_own_slots(session: Session) -> None:
    reserve_slot(session, key="telegram", now=START, interval=GAP)
    assert reserve_slot(session, key="whatsapp", now=START, interval=0.05) == START


def test_racing_processes_get_distinct_slots_a_gap_apart(engine: Engine) -> None:
    start, slots = threading.Barrier(6), []

    def courier() -> None:
        start.wait()
        for _ in range(10):
            with session_scope(engine) as session:
                slots.append(reserve_slot(session, key="telegram", now=START, interval=GAP))

    threads = [threading.Thread(target=courier) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ordered = sorted(slots)
    assert len(ordered) == 60 and ordered[0] == START
    assert all(abs(later - earlier - GAP) < 1e-6 for earlier, later in pairwise(ordered))
