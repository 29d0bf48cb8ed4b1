"""Request lifecycle with a fake clock: still needed?, expiry, fulfilled, fatigue pauses."""

from __future__ import annotations

from sqlmodel import Session, select

from bot.app import App
from bot.followup_jobs import run_followups
from storage.broadcast import schedule_wave
from storage.broadcast_tables import DonorAlert
from storage.domain.broadcast import StopReason
from storage.responses import request_id_of
from storage.tables import BloodRequest, Donor
from tests.bot.conftest import FakeClock
from tests.bot.followup_world import FAMILY, pledged_scene, say, speaks_english, texts
from tests.storage.broadcast_world import World, profile
from tests.storage.wave_runner import tick


def status(app: App, code: str) -> str:
    with Session(app.db) as session:
        return session.exec(select(BloodRequest.status).where(BloodRequest.code == code)).one()


def next_wave_stops(app: App, clock: FakeClock, code: str) -> bool:
    with Session(app.db) as session, session.begin():
        schedule_wave(session, request_code=code, number=9, radius_km=50.0, due_at=clock.now)
        return any(o.stopped is StopReason.CLOSED for o in tick(session, clock.now))


def test_unanswered_still_needed_expires_and_stops_the_waves(app: App, clock: FakeClock) -> None:
    scene = pledged_scene(app, clock, required_hours=4)
    clock.advance(hours=2, minutes=1)
    run_followups(app)
    [asked] = texts(app, FAMILY, "still_needed")
    assert scene.code in asked
    clock.advance(hours=8)
    run_followups(app)
    assert status(app, scene.code) == "expired"
    assert any(scene.code in text for text in texts(app, FAMILY, "request_expired"))
    assert next_wave_stops(app, clock, scene.code)


def test_still_needed_keeps_the_request_open(app: App, clock: FakeClock) -> None:
    scene = pledged_scene(app, clock, required_hours=4)
    clock.advance(hours=2, minutes=1)
    run_followups(app)
    say(app, clock, FAMILY, f"/stillneeded {scene.code}")
    clock.advance(hours=8)
    run_followups(app)
    assert status(app, scene.code) == "broadcasting"


def test_the_attendant_marks_it_fulfilled_and_the_waves_stop(app: App, clock: FakeClock) -> None:
    scene = pledged_scene(app, clock)
    say(app, clock, FAMILY, f"/gotblood {scene.code}")
    assert status(app, scene.code) == "fulfilled"
    assert next_wave_stops(app, clock, scene.code)


def test_five_ignored_alerts_pause_the_donor_with_a_check_in(app: App, clock: FakeClock) -> None:
    with Session(app.db) as session, session.begin():
        world = World(session)
        donor = world.add(profile())
        for _ in range(5):
            code = world.request()
            session.add(DonorAlert(request_id=request_id_of(session, code), person_id=donor,
                                   wave_number=1, address_key=world.key(donor),
                                   created_at=clock.now))
        address = world.addresses[donor]
        speaks_english(session, address, clock)
    clock.advance(hours=25)
    run_followups(app)
    run_followups(app)
    assert len(texts(app, address, "fatigue_check_in")) == 1
    with Session(app.db) as session:
        paused = session.get(Donor, donor)
        assert paused is not None and paused.paused_until is not None
    say(app, clock, address, "/resume")
    assert "Alerts are on again" in texts(app, address, "reply")[-1]
