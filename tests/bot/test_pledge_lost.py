"""A pledge withdrawn after the waves stopped restarts them, and the family hears of the next."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from bot.app import App
from bot.jobs import run_due_waves
from storage.broadcast import start_broadcast
from storage.responses import pledge
from tests.bot.conftest import FakeClock
from tests.bot.followup_world import FAMILY, say, speaks_english, texts
from tests.storage.broadcast_world import World, profile


def stopped_as_enough(app: App, clock: FakeClock) -> tuple[str, World]:
    """Two donors nearby pledge for a 1-unit request (unit + buffer); a third lives 20 km off."""
    with Session(app.db) as session, session.begin():
        world = World(session)
        near = [world.add(profile(km=km)) for km in (1, 2)]
        world.add(profile(km=20))
        code = world.request("B+", units=1, required_by=clock.now + timedelta(days=1))
        start_broadcast(session, request_code=code, now=clock.now)
        for who in [*world.addresses.values(), FAMILY]:
            speaks_english(session, who, clock)
    assert run_due_waves(app) == 2
    with Session(app.db) as session, session.begin():
        for person_id in near:
            pledge(session, request_code=code, person_id=person_id,
                   eta=clock.now + timedelta(hours=2), now=clock.now)
    clock.advance(minutes=15)
    assert run_due_waves(app) == 0  # enough pledged: the waves stop
    return code, world


def test_the_family_is_told_when_another_donor_agrees(app: App, clock: FakeClock) -> None:
    code, world = stopped_as_enough(app, clock)
    first, _second, far = world.addresses.values()
    say(app, clock, first, f"/withdraw {code}")
    [withdrew] = texts(app, FAMILY, "donor_withdrew")
    assert "जब कोई और रक्तदाता आने को तैयार होगा, हम आपको बताएँगे" in withdrew  # the family reads Hindi
    assert run_due_waves(app) == 1 and texts(app, far, "alert")
    say(app, clock, far, f"/respond {code} yes")
    say(app, clock, far, "2")
    [coming] = texts(app, FAMILY, "donor_coming")
    assert code in coming and "+919800000000" in coming
