"""A pledge lost after the waves stopped as "enough pledged" restarts them, at once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from storage import audit
from storage.broadcast_resume import resume_broadcast
from storage.broadcast_services import SqlBroadcastServices
from storage.broadcast_tables import BroadcastWave
from storage.domain.addresses import Address
from storage.domain.broadcast import StopReason
from storage.domain.records import RequestStatus
from storage.followups import answer_outcome, due_outcome_asks
from storage.responses import mark_no_show, pledge
from storage.tables import BloodRequest
from tests.storage.broadcast_world import NOW, TZ, World, profile
from tests.storage.wave_runner import alerted, tick

MINUTE = timedelta(minutes=1)
LATER = NOW + 20 * MINUTE


def fully_pledged(session: Session, world: World) -> tuple[str, list[int]]:
    """Return a 1-unit request whose two pledges (unit + buffer) stopped the waves."""
    donors = [world.add(profile(km=1 + n)) for n in range(2)]
    code = world.request("B+", units=1)
    SqlBroadcastServices(session).start(code, NOW)
    tick(session, NOW)
    for person_id in donors:
        pledge(session, request_code=code, person_id=person_id, eta=NOW + 60 * MINUTE,
               now=NOW + MINUTE)
    [stop] = tick(session, NOW + 15 * MINUTE)
    assert stop.stopped is StopReason.ENOUGH_PLEDGED
    return code, donors


def test_a_withdrawn_pledge_alerts_the_next_radius_at_once(session: Session) -> None:
    world = World(session)
    code, donors = fully_pledged(session, world)
    further = world.add(profile(km=20))
    assert SqlBroadcastServices(session).withdraw(world.addresses[donors[0]], code, LATER)
    [outcome] = tick(session, LATER)
    assert alerted([outcome]) == [further] and outcome.next_wave is not None
    assert audit.history(session, f"request:{code}")[-1].action == "broadcast.resumed"


def test_an_attendants_no_show_report_restarts_the_waves(session: Session) -> None:
    world = World(session)
    code, donors = fully_pledged(session, world)
    asked = NOW + 4 * 60 * MINUTE
    assert due_outcome_asks(session, now=asked)
    assert answer_outcome(session, code=code, sender=Address("telegram", "9"), donated=False,
                          now=asked, tz=TZ, donor_person=donors[0])
    assert audit.history(session, f"request:{code}")[-1].action == "broadcast.resumed"
    assert not resume_broadcast(session, code, asked)  # the resumed wave has not run yet


def test_nothing_restarts_while_enough_is_pledged_or_the_request_is_closed(
        session: Session) -> None:
    world = World(session)
    code, donors = fully_pledged(session, world)
    assert not resume_broadcast(session, code, LATER)
    mark_no_show(session, request_code=code, person_id=donors[0], now=LATER)
    assert not resume_broadcast(session, code, NOW + timedelta(days=2))  # its time has passed
    session.exec(update(BloodRequest).where(col(BloodRequest.code) == code)
                 .values(status=RequestStatus.FULFILLED.value))
    assert not resume_broadcast(session, code, LATER)


def test_once_every_radius_was_used_the_widest_goes_again(session: Session) -> None:
    world = World(session)
    code, donors = fully_pledged(session, world)
    for _ in range(3):
        mark_no_show(session, request_code=code, person_id=donors[0], now=LATER)
        assert resume_broadcast(session, code, LATER)
        pledge(session, request_code=code, person_id=donors[0], eta=LATER, now=LATER)
        tick(session, LATER)
    radii = session.exec(select(BroadcastWave.radius_km).order_by(col(BroadcastWave.number)))
    assert list(radii) == [5.0, 10.0, 25.0, 50.0, 50.0]
