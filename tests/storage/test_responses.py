"""After an alert: answers, pledges and their withdrawal, ignored alerts, donations, no-shows."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from storage.broadcast import record_alerts
from storage.domain.broadcast import AlertResponse
from storage.domain.eligibility import DonationKind
from storage.domain.records import RequestStatus
from storage.match_criteria import Match
from storage.responses import (
    mark_ignored_alerts,
    mark_no_show,
    no_show_count,
    pledge,
    pledged_units,
    record_donation,
    respond,
    withdraw_pledge,
)
from storage.tables import Donor
from tests.storage.broadcast_world import NOW, RULES, World, profile

HOUR = timedelta(hours=1)


def alert(world: World, person_id: int, code: str, hours_ago: float = 0) -> None:
    match = Match(person_id, (world.key(person_id),), "en", 1.0, None, "B+")
    record_alerts(world.session, request_code=code, wave_number=1, matches=[match],
                  now=NOW - hours_ago * HOUR)


def promise(world: World, code: str, person_id: int) -> bool:
    return pledge(world.session, request_code=code, person_id=person_id, eta=NOW + 2 * HOUR,
                  now=NOW)


def test_pledges_count_until_withdrawn_and_again_when_renewed(session: Session) -> None:
    world = World(session)
    asha, ravi = world.add(profile()), world.add(profile())
    code = world.request("B+", units=2)
    assert promise(world, code, asha) and promise(world, code, ravi)
    assert pledged_units(session, code) == 2
    assert withdraw_pledge(session, request_code=code, person_id=asha, now=NOW)
    assert not withdraw_pledge(session, request_code=code, person_id=asha, now=NOW)
    assert pledged_units(session, code) == 1
    assert promise(world, code, asha) and pledged_units(session, code) == 2


def test_a_closed_request_takes_no_pledges(session: Session) -> None:
    world = World(session)
    asha = world.add(profile())
    code = world.request("B+", status=RequestStatus.CANCELLED)
    assert not promise(world, code, asha)
    assert pledged_units(session, code) == 0


def test_a_no_show_stops_counting_and_is_remembered(session: Session) -> None:
    world = World(session)
    asha = world.add(profile())
    first, second = world.request("B+"), world.request("B+")
    for code in (first, second):
        promise(world, code, asha)
        assert mark_no_show(session, request_code=code, person_id=asha, now=NOW)
    assert pledged_units(session, first) == 0
    assert no_show_count(session, asha) == 2


def test_five_ignored_alerts_in_a_row_pause_the_donor_for_a_month(session: Session) -> None:
    world = World(session)
    quiet, busy = world.add(profile()), world.add(profile())
    codes = [world.request("B+") for _ in range(5)]
    for n, code in enumerate(codes):
        alert(world, quiet, code, hours_ago=40 - n)
        alert(world, busy, code, hours_ago=40 - n)
    respond(session, request_code=codes[2], person_id=busy, response=AlertResponse.DECLINED,
            now=NOW - HOUR)
    paused = mark_ignored_alerts(session, before=NOW - 24 * HOUR, now=NOW, rules=RULES)
    assert paused == [quiet]
    assert mark_ignored_alerts(session, before=NOW, now=NOW, rules=RULES) == []
    donor = session.get_one(Donor, quiet)
    assert donor.paused_until == NOW + timedelta(days=30) and donor.ignored_in_row == 0
    busy_donor = session.get_one(Donor, busy)
    assert busy_donor.paused_until is None and busy_donor.ignored_in_row == 2


def test_an_answer_resets_the_ignored_count(session: Session) -> None:
    world = World(session)
    asha = world.add(profile())
    codes = [world.request("B+") for _ in range(6)]
    for code in codes[:4]:
        alert(world, asha, code, hours_ago=30)
    assert mark_ignored_alerts(session, before=NOW - 24 * HOUR, now=NOW) == []
    alert(world, asha, codes[4])
    assert promise(world, codes[4], asha)
    alert(world, asha, codes[5], hours_ago=-30)
    assert mark_ignored_alerts(session, before=NOW + 31 * HOUR, now=NOW) == []
    assert session.get_one(Donor, asha).ignored_in_row == 1


def test_a_confirmed_donation_counts_and_moves_the_next_eligible_day(session: Session) -> None:
    world = World(session)
    asha = world.add(profile())
    code = world.request("B+")
    promise(world, code, asha)
    record_donation(session, person_id=asha, request_code=code, on=NOW.date(),
                    kind=DonationKind.WHOLE_BLOOD, now=NOW)
    assert pledged_units(session, code) == 1
    donor = session.get_one(Donor, asha)
    assert donor.eligible_from == NOW.date() + timedelta(days=90)
    assert donor.last_donation_on == NOW.date()
    assert world.matches(world.request("B+")) == []
