"""Matching: pauses, consent, reachability, blocks, the weekly budget, radius and order."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from storage import outbox
from storage.broadcast import record_alerts
from storage.domain.records import Availability
from storage.match_criteria import Match
from storage.matching import find_matches
from storage.tables import AddressRow, BlockedPhone
from tests.storage.broadcast_world import NOW, RULES, TZ, World, profile


def alert(world: World, person_id: int, code: str, *, days_ago: float = 0) -> None:
    """Record that the donor was alerted about request `code` `days_ago` days before NOW."""
    match = Match(person_id, (world.key(person_id),), "en", 1.0, None, "B+")
    record_alerts(world.session, request_code=code, wave_number=1, matches=[match],
                  now=NOW - timedelta(days=days_ago))


def test_paused_donors_are_skipped_until_the_pause_ends(session: Session) -> None:
    world = World(session)
    world.add(profile(paused_until=NOW + timedelta(hours=1)))
    ended = world.add(profile(paused_until=NOW - timedelta(hours=1)))
    assert world.matches(world.request("B+")) == [ended]


def test_donors_who_withdrew_consent_or_are_not_available_are_skipped(
        session: Session) -> None:
    world = World(session)
    world.add(profile(alerts=False))
    world.add(profile(availability=Availability.NOT_NOW))
    daytime = world.add(profile(availability=Availability.DAYTIME))
    assert world.matches(world.request("B+")) == [daytime]


def test_the_radius_is_a_great_circle_distance_from_the_hospital(session: Session) -> None:
    world = World(session)
    inside = world.add(profile(km=4.99))
    outside = world.add(profile(km=5.01))
    code = world.request("B+")
    assert world.matches(code, radius=5) == [inside]
    assert world.matches(code, radius=10) == [inside, outside]


def test_a_donor_already_alerted_for_the_request_is_not_alerted_again(
        session: Session) -> None:
    world = World(session)
    first, second = world.add(profile(km=1)), world.add(profile(km=2))
    code = world.request("B+")
    alert(world, first, code)
    assert world.matches(code) == [second]


def test_an_unreachable_address_is_skipped_and_another_one_used(session: Session) -> None:
    world = World(session)
    gone, moved = world.add(profile(km=1)), world.add(profile(km=2))
    session.add(AddressRow(key="whatsapp:+919833333333", channel="whatsapp",
                           user_id="+919833333333", person_id=moved, created_at=NOW))
    for person_id in (gone, moved):
        outbox.mark_unreachable(session, world.key(person_id), NOW)
    found = find_matches(session, request_code=world.request("B+"), radius_km=5, limit=10,
                         now=NOW, tz=TZ, rules=RULES)
    assert [(m.person_id, m.address_keys) for m in found] == [
        (moved, ("whatsapp:+919833333333",))]


def test_a_blocked_phone_is_never_alerted(session: Session) -> None:
    world = World(session)
    world.add(profile(phone="+919811111111"))
    kept = world.add(profile(phone="+919822222222"))
    session.add(BlockedPhone(phone="+919811111111", blocked_by="admin", blocked_at=NOW))
    assert world.matches(world.request("B+")) == [kept]


def test_three_alerts_in_seven_days_use_up_the_weekly_budget(session: Session) -> None:
    world = World(session)
    busy, rested = world.add(profile(km=1)), world.add(profile(km=2))
    for days_ago in (1, 3, 6):
        alert(world, busy, world.request("B+"), days_ago=days_ago)
    for days_ago in (1, 3, 8):
        alert(world, rested, world.request("B+"), days_ago=days_ago)
    assert world.matches(world.request("B+")) == [rested]


def test_nearest_first_then_the_longest_since_the_last_alert(session: Session) -> None:
    world = World(session)
    far = world.add(profile(km=3))
    recent, earlier, never = (world.add(profile(km=1)) for _ in range(3))
    alert(world, recent, world.request("B+"), days_ago=1)
    alert(world, earlier, world.request("B+"), days_ago=20)
    found = find_matches(session, request_code=world.request("B+"), radius_km=5, limit=10,
                         now=NOW, tz=TZ, rules=RULES)
    assert [m.person_id for m in found] == [never, earlier, recent, far]
    assert [round(m.distance_km, 2) for m in found] == [1.0, 1.0, 1.0, 3.0]
    assert found[0].address_keys == (world.key(never),)
