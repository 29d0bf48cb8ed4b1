"""Waves across processes: claimed once, taken over after a crash, never alerting twice."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from storage.broadcast import DueWave, claim_due_waves, start_broadcast
from storage.db import session_scope
from tests.storage.broadcast_world import NOW, World, profile
from tests.storage.wave_runner import LEASE, alert_count, alerted, outbox_keys, run


def broadcast(engine: Engine, donors: int = 12) -> str:
    """Store donors and a request whose first wave is due at NOW; return its code."""
    with session_scope(engine) as session:
        world = World(session)
        for n in range(donors):
            world.add(profile(km=1 + n / 10))
        code = world.request("B+", units=1)
        start_broadcast(session, request_code=code, now=NOW)
    return code


def claim(engine: Engine, now_plus: float = 0) -> list[DueWave]:
    with session_scope(engine) as session:
        return claim_due_waves(session, now=NOW + now_plus * LEASE, limit=10, lease=LEASE)


def test_a_due_wave_is_claimed_by_one_process_only(engine: Engine) -> None:
    broadcast(engine)
    first, second = claim(engine), claim(engine)
    assert [w.number for w in first] == [1] and second == []
    assert [w.id for w in claim(engine, now_plus=1)] == [first[0].id]  # lease ran out


def test_racing_schedulers_split_the_due_waves(engine: Engine) -> None:
    broadcast(engine)
    start = threading.Barrier(2)
    taken: list[list[DueWave]] = []

    def scheduler() -> None:
        start.wait()
        taken.append(claim(engine))

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(len(wave) for wave in taken) == [0, 1]


def test_a_wave_rerun_after_a_crash_alerts_nobody_twice(engine: Engine) -> None:
    broadcast(engine)
    [wave] = claim(engine)
    with pytest.raises(RuntimeError), session_scope(engine) as session:
        assert len(alerted([run(session, wave, NOW)])) == 10
        raise RuntimeError("the process died before committing")
    [again] = claim(engine, now_plus=1)
    with session_scope(engine) as session:
        assert len(alerted([run(session, again, NOW + LEASE)])) == 10
    with Session(engine) as session:
        keys = outbox_keys(session)
        assert len(keys) == len(set(keys)) == alert_count(session) == 10


def test_a_runner_that_lost_its_lease_does_nothing(engine: Engine) -> None:
    broadcast(engine)
    [stale] = claim(engine)
    [fresh] = claim(engine, now_plus=1)
    with session_scope(engine) as session:
        assert len(run(session, fresh, NOW + LEASE).alerted) == 10
    with session_scope(engine) as session:
        assert run(session, stale, NOW + LEASE).lost
    with Session(engine) as session:
        assert len(outbox_keys(session)) == alert_count(session) == 10


def test_a_finished_wave_is_never_run_again(engine: Engine) -> None:
    broadcast(engine)
    [wave] = claim(engine)
    with session_scope(engine) as session:
        run(session, wave, NOW)
    with session_scope(engine) as session:
        assert run(session, wave, NOW).lost
    assert [w.number for w in claim(engine, now_plus=100)] == [2]
