"""The demo end to end: approving the SRN request alerts exactly the donors wave 1 should."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlmodel import Session, col, select

from bot.app import App, build_app
from bot.demo import DemoSummary, seed_demo
from bot.jobs import run_due_waves
from bot.settings import Settings
from storage.broadcast_tables import DonorAlert
from storage.domain.blood import BloodGroup, Component, can_donate_to
from storage.domain.broadcast import DEFAULT_BROADCAST_RULES, alerts_for_wave
from storage.matching_scan import naive_scan
from storage.tables import Donor, Person
from tests.bot.broadcast_app import ADMIN, approve
from tests.bot.conftest import FakeClock, RecordingSender


@dataclass
class Demo:
    """The seeded demo app, what the demo reported, and the SRN request's code."""

    app: App
    summary: DemoSummary
    code: str


@pytest.fixture
def demo(db_url: str, clock: FakeClock) -> Iterator[Demo]:
    app = build_app(Settings(database_url=db_url), clock=clock)
    summary = seed_demo(app.db, now=clock.now, zone=app.settings.zone)
    yield Demo(app, summary, summary.pending[0].summary.code)
    app.db.dispose()


def wave_one(demo: Demo) -> dict[int, str]:
    """Return the donors (person id → phone) the naive reference picks for wave 1."""
    units = demo.summary.pending[0].summary.draft.units
    with Session(demo.app.db) as session:
        found = naive_scan(session, request_code=demo.code,
                           radius_km=DEFAULT_BROADCAST_RULES.radii_km[0],
                           limit=alerts_for_wave(units, 0), now=demo.app.clock(),
                           tz=demo.app.settings.zone)
        phones = dict(session.exec(select(Person.id, Person.phone)).all())
    return {match.person_id: phones[match.person_id] or "" for match in found}


def test_approving_the_srn_request_alerts_exactly_the_donors_wave_one_should(demo: Demo) -> None:
    expected = wave_one(demo)
    approve(demo.app, demo.code)
    assert run_due_waves(demo.app) == len(expected) > 0
    with Session(demo.app.db) as session:
        alerted = dict(session.exec(
            select(DonorAlert.person_id, Donor.blood_group)
            .join(Donor, col(Donor.person_id) == col(DonorAlert.person_id))).all())
    assert set(alerted) == set(expected)
    patient = BloodGroup.from_code("B+")
    assert all(can_donate_to(BloodGroup.from_code(group), patient, Component.PRBC)
               for group in alerted.values())


def test_every_alert_reaches_the_donors_console_through_the_courier(demo: Demo) -> None:
    expected = wave_one(demo)
    approve(demo.app, demo.code)
    run_due_waves(demo.app)
    console = RecordingSender()
    asyncio.run(demo.app.courier({"console": console}).drain())
    alerts = {user for user, message in console.sent if "Blood is needed near you" in message.text
              or "आपके पास खून की ज़रूरत है" in message.text}
    assert alerts == set(expected.values())
    assert ADMIN.user_id not in alerts
