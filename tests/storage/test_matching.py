"""Matching: who is alerted for a request, by group, eligibility, fatigue and distance."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session

from storage.domain.blood import Component, Sex
from storage.domain.eligibility import Deferral, DeferralKind, Donation, DonationKind
from storage.domain.records import RequestKind
from storage.tables import DonationRow
from tests.storage.broadcast_world import NOW, World, profile

NEEDED = (NOW + timedelta(days=1)).date()


def whole(days_before_needed: int) -> Donation:
    return Donation(NEEDED - timedelta(days=days_before_needed), DonationKind.WHOLE_BLOOD)


def test_women_wait_120_days_after_whole_blood_and_men_90(session: Session) -> None:
    world = World(session)
    man = world.add(profile(last=whole(100)))
    woman_soon = world.add(profile(sex=Sex.FEMALE, last=whole(100)))
    woman_ready = world.add(profile(sex=Sex.FEMALE, last=whole(120)))
    code = world.request("B+")
    assert sorted(world.matches(code)) == sorted([man, woman_ready])
    assert woman_soon not in world.matches(code)


def test_apheresis_needs_48_hours_since_the_last_one_for_platelets(session: Session) -> None:
    world = World(session)
    yesterday = world.add(profile(last=Donation(NEEDED - timedelta(days=1),
                                                DonationKind.APHERESIS)))
    two_days = world.add(profile(last=Donation(NEEDED - timedelta(days=2),
                                               DonationKind.APHERESIS)))
    code = world.request("B+", component=Component.SDP)
    assert world.matches(code) == [two_days]
    assert yesterday not in world.matches(code)


def add_aphereses(session: Session, person_id: int, days_before: list[int]) -> None:
    session.add_all(DonationRow(person_id=person_id, donated_on=NEEDED - timedelta(days=d),
                                kind="apheresis", source="confirmed", recorded_at=NOW)
                    for d in days_before)
    session.flush()


def test_apheresis_caps_two_a_week_and_24_a_year(session: Session) -> None:
    world = World(session)
    weekly, yearly, fine = (world.add(profile()) for _ in range(3))
    add_aphereses(session, weekly, [3, 6])
    add_aphereses(session, yearly, [3 + 14 * n for n in range(24)])
    add_aphereses(session, fine, [3 + 14 * n for n in range(23)])
    code = world.request("B+", component=Component.SDP)
    assert world.matches(code) == [fine]


def test_bombay_donors_never_go_to_o_patients_nor_o_donors_to_bombay(session: Session) -> None:
    world = World(session)
    bombay = world.add(profile("hh+"))
    o_pos = world.add(profile("O+"))
    assert world.matches(world.request("O+")) == [o_pos]
    assert world.matches(world.request("hh+")) == [bombay]


def test_plasma_goes_the_reverse_way(session: Session) -> None:
    world = World(session)
    people = {group: world.add(profile(group)) for group in ("O+", "A-", "B+", "AB+")}
    for_o = world.request("O+", component=Component.FFP)
    for_ab = world.request("AB-", component=Component.FFP)
    assert sorted(world.matches(for_o)) == sorted(people.values())
    assert world.matches(for_ab) == [people["AB+"]]


def test_rh_positive_platelets_are_kept_from_rh_negative_women_under_50(
        session: Session) -> None:
    world = World(session)
    negative, positive = world.add(profile("A-")), world.add(profile("A+"))
    woman = world.request("A-", component=Component.SDP, sex=Sex.FEMALE, age=30)
    older = world.request("A-", component=Component.SDP, sex=Sex.FEMALE, age=55)
    man = world.request("A-", component=Component.SDP, sex=Sex.MALE, age=30)
    assert world.matches(woman) == [negative]
    assert sorted(world.matches(older)) == sorted(world.matches(man)) == [negative, positive]


def test_a_replacement_request_takes_any_group_except_bombay(session: Session) -> None:
    world = World(session)
    anyone = [world.add(profile(group)) for group in ("O+", "A-", "AB+", "B", "unknown")]
    world.add(profile("hh+"))
    code = world.request("B-", kind=RequestKind.REPLACEMENT)
    assert sorted(world.matches(code)) == anyone


def test_an_unknown_patient_group_is_treated_as_a_replacement(session: Session) -> None:
    world = World(session)
    anyone = [world.add(profile(group)) for group in ("O+", "AB-")]
    assert sorted(world.matches(world.request("unknown"))) == anyone


def test_age_is_taken_on_the_required_by_day(session: Session) -> None:
    world = World(session)
    turns_18 = world.add(profile(born=NEEDED.replace(year=NEEDED.year - 18)))
    world.add(profile(born=NEEDED.replace(year=NEEDED.year - 18) + timedelta(days=1)))
    world.add(profile(born=date(1950, 1, 1)))
    assert world.matches(world.request("B+")) == [turns_18]


def test_a_declared_deferral_keeps_a_donor_out_until_it_ends(session: Session) -> None:
    world = World(session)
    world.add(profile(deferrals=(Deferral(DeferralKind.TATTOO_PIERCING,
                                          NEEDED - timedelta(days=100)),)))
    world.add(profile(deferrals=(Deferral(DeferralKind.MALARIA, NEEDED, ongoing=True),)))
    cured = world.add(profile(deferrals=(Deferral(DeferralKind.MALARIA,
                                                  NEEDED - timedelta(days=100)),)))
    assert world.matches(world.request("B+")) == [cured]
