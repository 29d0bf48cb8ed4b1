"""The indexed search finds exactly what a full scan finds, on 2,000 random donors."""

from __future__ import annotations

import pytest
from sqlmodel import Session, col, select

from storage.domain.blood import Component, Sex
from storage.domain.records import RequestKind
from storage.matching import find_matches
from storage.matching_scan import naive_scan
from storage.tables import BloodRequest
from tests.storage.broadcast_world import NOW, RULES, TZ, World
from tests.storage.population import alert_some, populate

ASKS = [
    ("B+", Component.PRBC, RequestKind.GROUP_SPECIFIC, Sex.MALE),
    ("O-", Component.SDP, RequestKind.GROUP_SPECIFIC, Sex.FEMALE),
    ("A+", Component.FFP, RequestKind.GROUP_SPECIFIC, Sex.MALE),
    ("AB-", Component.WHOLE_BLOOD, RequestKind.REPLACEMENT, Sex.FEMALE),
    ("hh+", Component.PRBC, RequestKind.GROUP_SPECIFIC, Sex.MALE),
    ("unknown", Component.RDP, RequestKind.GROUP_SPECIFIC, Sex.OTHER),
]


@pytest.fixture
def crowd(session: Session) -> list[str]:
    """Store 2,000 random donors, six requests, and past alerts about them."""
    world = World(session)
    codes = [world.request(group, component=component, kind=kind, sex=sex, age=30)
             for group, component, kind, sex in ASKS]
    ids = populate(session, count=2000, seed=5, first_id=10)
    request_ids = list(session.exec(select(BloodRequest.id).where(
        col(BloodRequest.code).in_(codes))))
    alert_some(session, ids, [i for i in request_ids if i is not None], seed=6)
    return codes


def test_the_indexed_search_equals_a_full_scan(session: Session, crowd: list[str]) -> None:
    for code in crowd:
        asked = {"request_code": code, "now": NOW, "tz": TZ, "rules": RULES}
        everyone = naive_scan(session, radius_km=50, limit=5000, **asked)
        assert everyone
        for radius, limit in ((5, 500), (25, 200), (50, 10), (50, 5000)):
            fast = find_matches(session, radius_km=radius, limit=limit, **asked)
            assert fast == [m for m in everyone if m.distance_km <= radius][:limit]


def test_the_population_exercises_every_filter(session: Session, crowd: list[str]) -> None:
    everyone = naive_scan(session, request_code=crowd[3], radius_km=200, limit=5000, now=NOW,
                          tz=TZ, rules=RULES)
    assert 300 < len(everyone) < 1600
    assert len({m.distance_km for m in everyone}) < len(everyone)  # shared PIN centres tie
