"""Broadcast waves on a fake clock: each radius in turn, each way they stop, quiet hours."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from storage import audit
from storage.broadcast import record_alerts, start_broadcast
from storage.domain.blood import Component
from storage.domain.broadcast import NextWave, StopReason
from storage.domain.records import RequestStatus
from storage.match_criteria import Match
from storage.responses import pledge
from storage.tables import BloodRequest
from tests.storage.broadcast_world import NOW, TZ, World, profile
from tests.storage.wave_runner import alerted, tick

MINUTE = timedelta(minutes=1)


def test_waves_widen_from_5_to_50_km_every_15_minutes(session: Session) -> None:
    world = World(session)
    ring = [world.add(profile(km=km)) for km in (3, 8, 20, 40, 60)]
    code = world.request("B+")
    start_broadcast(session, request_code=code, now=NOW)
    assert alerted(tick(session, NOW)) == ring[:1]
    assert tick(session, NOW + 14 * MINUTE) == []
    assert alerted(tick(session, NOW + 15 * MINUTE)) == ring[1:2]
    assert alerted(tick(session, NOW + 30 * MINUTE)) == ring[2:3]
    last = tick(session, NOW + 45 * MINUTE)
    assert alerted(last) == ring[3:4] and last[0].stopped is StopReason.RADII_EXHAUSTED
    assert tick(session, NOW + 120 * MINUTE) == []


def test_a_wave_alerts_five_donors_per_unit_still_wanted(session: Session) -> None:
    world = World(session)
    crowd = [world.add(profile(km=1 + n / 100)) for n in range(12)]
    code = world.request("B+", units=1)
    start_broadcast(session, request_code=code, now=NOW)
    assert alerted(tick(session, NOW)) == crowd[:10]  # (1 unit + 1 buffer) × 5
    assert alerted(tick(session, NOW + 15 * MINUTE)) == crowd[10:]


def test_critical_requests_come_every_five_minutes(session: Session) -> None:
    world = World(session)
    world.add(profile(km=1))
    code = world.request("B+", component=Component.SDP)
    start_broadcast(session, request_code=code, now=NOW)
    [first] = tick(session, NOW)
    assert first.next_wave == NextWave(2, 10.0, NOW + 5 * MINUTE)


def test_waves_stop_once_pledges_cover_the_units_and_the_buffer(session: Session) -> None:
    world = World(session)
    donors = [world.add(profile(km=1 + n)) for n in range(3)]
    code = world.request("B+", units=1)
    start_broadcast(session, request_code=code, now=NOW)
    tick(session, NOW)
    for person_id in donors[:2]:
        assert pledge(session, request_code=code, person_id=person_id,
                      eta=NOW + 60 * MINUTE, now=NOW + MINUTE)
    [outcome] = tick(session, NOW + 15 * MINUTE)
    assert outcome.stopped is StopReason.ENOUGH_PLEDGED and outcome.alerted == ()


def test_waves_stop_when_the_request_is_closed(session: Session) -> None:
    world = World(session)
    world.add(profile(km=8))
    code = world.request("B+")
    start_broadcast(session, request_code=code, now=NOW)
    tick(session, NOW)
    session.exec(update(BloodRequest).where(col(BloodRequest.code) == code)
                 .values(status=RequestStatus.FULFILLED.value))
    [outcome] = tick(session, NOW + 15 * MINUTE)
    assert outcome.stopped is StopReason.CLOSED and outcome.alerted == ()


def test_waves_stop_when_the_required_by_time_comes(session: Session) -> None:
    world = World(session)
    near, far = world.add(profile(km=3)), world.add(profile(km=8))
    code = world.request("B+", required_by=NOW + 20 * MINUTE)
    start_broadcast(session, request_code=code, now=NOW)
    [first] = tick(session, NOW)
    assert first.alerted[0].person_id == near and first.next_wave is not None
    [second] = tick(session, NOW + 15 * MINUTE)
    assert alerted([second]) == [far]
    assert second.stopped is StopReason.REQUIRED_BY_PASSED


def test_a_late_wave_for_a_passed_request_alerts_nobody(session: Session) -> None:
    world = World(session)
    world.add(profile(km=1))
    code = world.request("B+", required_by=NOW + 10 * MINUTE)
    start_broadcast(session, request_code=code, now=NOW)
    [outcome] = tick(session, NOW + 11 * MINUTE)
    assert outcome.stopped is StopReason.REQUIRED_BY_PASSED and outcome.alerted == ()


def test_quiet_hours_hold_ordinary_requests_until_seven(session: Session) -> None:
    world = World(session)
    donor = world.add(profile(km=1))
    night = datetime(2026, 12, 4, 23, 0, tzinfo=TZ)
    code = world.request("B+", required_by=night + timedelta(days=1))
    start_broadcast(session, request_code=code, now=night)
    [held] = tick(session, night)
    morning = datetime(2026, 12, 5, 7, 0, tzinfo=TZ)
    assert held.postponed_to == morning and held.alerted == ()
    assert tick(session, morning - MINUTE) == []
    assert alerted(tick(session, morning)) == [donor]


def test_blood_needed_early_next_morning_wakes_donors_at_night(session: Session) -> None:
    world = World(session)
    donor = world.add(profile(km=1))
    three_am = datetime(2026, 12, 5, 3, 0, tzinfo=TZ)
    code = world.request("B+", required_by=three_am + timedelta(hours=5))
    start_broadcast(session, request_code=code, now=three_am)
    assert alerted(tick(session, three_am)) == [donor]


def test_critical_requests_are_sent_during_quiet_hours(session: Session) -> None:
    world = World(session)
    donor = world.add(profile("O-", km=1))
    night = datetime(2026, 12, 4, 23, 0, tzinfo=TZ)
    code = world.request("O-", required_by=night + timedelta(hours=6))
    start_broadcast(session, request_code=code, now=night)
    assert alerted(tick(session, night)) == [donor]


def test_the_first_alerts_move_a_verified_request_to_broadcasting(session: Session) -> None:
    world = World(session)
    world.add(profile(km=1))
    code = world.request("B+")
    start_broadcast(session, request_code=code, now=NOW)
    tick(session, NOW)
    row = session.exec(select(BloodRequest).where(BloodRequest.code == code)).one()
    assert row.status == RequestStatus.BROADCASTING.value
    assert [e.action for e in audit.history(session, f"request:{code}")][-1] \
        == "request.broadcasting"


def test_recording_the_same_alerts_again_records_nothing(session: Session) -> None:
    world = World(session)
    person_id = world.add(profile(km=1))
    code = world.request("B+")
    match = Match(person_id, (world.key(person_id),), "en", 1.0, None, "B+")
    assert record_alerts(session, request_code=code, wave_number=1, matches=[match],
                         now=NOW) == [match]
    assert record_alerts(session, request_code=code, wave_number=2, matches=[match],
                         now=NOW + MINUTE) == []
