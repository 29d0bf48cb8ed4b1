"""Relay routes on the database: only the parties of an active pledge, audited without text."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from sqlmodel import Session

from storage import audit
from storage.broadcast_services import SqlBroadcastServices
from storage.domain.addresses import Address
from storage.domain.relay import RelaySide
from storage.responses import pledge, withdraw_pledge
from tests.storage.broadcast_world import NOW, World, profile
from tests.storage.wave_runner import tick

FAMILY = Address("telegram", "9")


def pledged(session: Session, *shares: bool) -> tuple[World, str, list[int]]:
    """Return a request alerted to one donor per flag, each of whom pledged to come."""
    world = World(session)
    donors = []
    for n, share in enumerate(shares):
        consents = dataclasses.replace(profile().consents, share_phone=share)
        donors.append(world.add(dataclasses.replace(profile(km=1 + n), consents=consents)))
    code = world.request("B+", units=2)
    SqlBroadcastServices(session).start(code, NOW)
    tick(session, NOW)
    for person_id in donors:
        pledge(session, request_code=code, person_id=person_id, eta=NOW + timedelta(hours=1),
               now=NOW)
    return world, code, donors


def test_the_family_reaches_every_donor_with_an_active_pledge(session: Session) -> None:
    world, code, donors = pledged(session, False, True)
    withdraw_pledge(session, request_code=code, person_id=donors[1], now=NOW)
    route = SqlBroadcastServices(session).relay_route(FAMILY, code)
    assert route is not None and route.sender is RelaySide.FAMILY
    assert [c.address for c in route.recipients] == [world.addresses[donors[0]]]


def test_a_donor_reaches_the_family_and_phones_show_only_with_consent(session: Session) -> None:
    world, code, (private, sharing) = pledged(session, False, True)
    services = SqlBroadcastServices(session)
    route = services.relay_route(world.addresses[private], code)
    assert route is not None and route.recipients[0].address == FAMILY
    assert not route.shows_phones
    shared = services.relay_route(world.addresses[sharing], code)
    assert shared is not None and shared.shows_phones


def test_no_one_else_may_relay_and_a_relay_is_audited_without_text(session: Session) -> None:
    world, code, donors = pledged(session, False)
    services = SqlBroadcastServices(session)
    assert services.relay_route(Address("telegram", "77"), code) is None
    assert services.relay_route(FAMILY, "R-0000") is None
    route = services.relay_route(FAMILY, code)
    assert route is not None
    services.record_relay(FAMILY, route, NOW)
    entry = audit.history(session, f"request:{code}")[-1]
    assert (entry.actor, entry.action, entry.detail) == (FAMILY.key, "relay.from_family",
                                                         {"recipients": 1})
    withdraw_pledge(session, request_code=code, person_id=donors[0], now=NOW)
    assert services.relay_route(world.addresses[donors[0]], code) is None
