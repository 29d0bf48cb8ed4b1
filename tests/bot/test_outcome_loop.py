"""The outcome loop with a fake clock: asked after the pledged time, donations and no-shows."""

from __future__ import annotations

from sqlmodel import Session

from bot.app import App
from bot.followup_jobs import run_followups
from storage.responses import no_show_count
from tests.bot.conftest import FakeClock
from tests.bot.followup_world import FAMILY, pledged_scene, say, texts
from tests.storage.broadcast_world import World


def test_donor_and_attendant_are_asked_once_after_the_pledged_time(
        app: App, clock: FakeClock) -> None:
    scene = pledged_scene(app, clock)
    clock.advance(hours=2, minutes=59)
    run_followups(app)
    assert texts(app, scene.donor_address, "donor_outcome") == []
    clock.advance(minutes=2)
    run_followups(app)
    run_followups(app)
    assert len(texts(app, scene.donor_address, "donor_outcome")) == 1
    [asked] = texts(app, FAMILY, "attendant_outcome")
    assert scene.code in asked and "Donor" in asked


def test_a_confirmed_donation_thanks_moves_eligibility_and_reminds_once(
        app: App, clock: FakeClock) -> None:
    scene = pledged_scene(app, clock)
    clock.advance(hours=3, minutes=1)
    run_followups(app)
    say(app, clock, scene.donor_address, f"/donated {scene.code}")
    thanks = texts(app, scene.donor_address, "reply")[-1]
    assert "KGMU Trauma Centre" in thanks and "4 March 2027" in thanks
    with Session(app.db) as session, session.begin():
        world = World(session)
        again = world.request()
        assert scene.donor not in world.matches(again, now=clock.now)
    clock.now = clock.now.replace(year=2027, month=3, day=4, hour=3, minute=31)
    run_followups(app)
    run_followups(app)
    reminders = texts(app, scene.donor_address, "eligible_again")
    assert len(reminders) == 1 and "donate blood again from today" in reminders[0]


def test_an_attendant_reports_a_no_show_and_it_is_counted(app: App, clock: FakeClock) -> None:
    scene = pledged_scene(app, clock)
    clock.advance(hours=3, minutes=1)
    run_followups(app)
    say(app, clock, FAMILY, f"/noshow {scene.code} {scene.donor}")
    say(app, clock, FAMILY, f"/noshow {scene.code} {scene.donor}")
    with Session(app.db) as session:
        assert no_show_count(session, scene.donor) == 1


def test_a_stranger_cannot_answer_for_the_attendant(app: App, clock: FakeClock) -> None:
    scene = pledged_scene(app, clock)
    clock.advance(hours=3, minutes=1)
    run_followups(app)
    say(app, clock, scene.donor_address, f"/noshow {scene.code} {scene.donor}")
    with Session(app.db) as session:
        assert no_show_count(session, scene.donor) == 0
