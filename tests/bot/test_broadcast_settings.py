"""WAVE_MINUTES, ALERTS_PER_UNIT, quiet hours and the rest reach the broadcast jobs."""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import Any

from sqlmodel import Session

from bot.app import App, broadcast_rules, build_app
from bot.jobs import run_due_waves
from bot.settings import Settings
from storage.broadcast import start_broadcast
from storage.domain.broadcast import DEFAULT_BROADCAST_RULES
from tests.bot.conftest import FakeClock
from tests.storage.broadcast_world import World, profile


def app_with(tmp_path: Path, clock: FakeClock, *kms: float, **settings: Any) -> App:
    """Return an app with these settings, donors this far away and a broadcast B+ request."""
    app = build_app(Settings(database_url=f"sqlite:///{tmp_path / 'bot.db'}", **settings),
                    clock=clock)
    with Session(app.db) as session, session.begin():
        world = World(session)
        for km in kms:
            world.add(profile(km=km))
        start_broadcast(session, request_code=world.request("B+"), now=clock.now)
    return app


def test_the_settings_change_only_the_rules_they_name() -> None:
    rules = broadcast_rules(Settings(wave_minutes=30, alerts_per_unit=2, max_alerts_per_week=1,
                                     quiet_hours_start=time(23), quiet_hours_end=time(6)))
    assert (rules.wave_minutes, rules.alerts_per_unit, rules.max_alerts_per_week) == (30, 2, 1)
    assert (rules.quiet_start, rules.quiet_end) == (time(23), time(6))
    assert rules.radii_km == DEFAULT_BROADCAST_RULES.radii_km
    assert broadcast_rules(Settings()) == DEFAULT_BROADCAST_RULES


def test_wave_minutes_space_the_waves(tmp_path: Path, clock: FakeClock) -> None:
    app = app_with(tmp_path, clock, 1, 8, wave_minutes=30)
    assert run_due_waves(app) == 1
    clock.advance(minutes=29)
    assert run_due_waves(app) == 0
    clock.advance(minutes=1)
    assert run_due_waves(app) == 1


def test_alerts_per_unit_caps_a_wave(tmp_path: Path, clock: FakeClock) -> None:
    app = app_with(tmp_path, clock, 1, 1.5, 2, 2.5, alerts_per_unit=1)
    assert run_due_waves(app) == 2  # (1 unit + 1 buffer) × 1


def test_quiet_hours_from_the_settings_hold_the_wave(tmp_path: Path, clock: FakeClock) -> None:
    app = app_with(tmp_path, clock, 1, quiet_hours_start=time(13), quiet_hours_end=time(15))
    assert run_due_waves(app) == 0  # 14:00 in Lucknow
    clock.advance(hours=1)
    assert run_due_waves(app) == 1
