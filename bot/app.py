"""The composition root: build the database, engine, runtime and courier from settings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine as DbEngine

from bot.courier import Courier
from bot.runtime import Clock, Runtime
from bot.settings import Settings
from conversations.engine import Engine
from conversations.registry import all_flows
from handlers.sending import Sender
from storage.db import make_engine, upgrade_schema
from storage.geo import PlaceResolver


def system_clock() -> datetime:
    """Return the current time, aware, in UTC."""
    return datetime.now(UTC)


@dataclass
class App:
    """Everything a running bot needs, built once."""

    settings: Settings
    db: DbEngine
    runtime: Runtime
    clock: Clock

    def courier(self, senders: Mapping[str, Sender]) -> Courier:
        """Build a courier for the given channel senders."""
        return Courier(db=self.db, senders=senders, clock=self.clock,
                       batch_size=self.settings.courier_batch_size,
                       max_attempts=self.settings.courier_max_attempts)


def build_app(settings: Settings, *, clock: Clock = system_clock,
              places: PlaceResolver | None = None) -> App:
    """Open (and upgrade) the database and wire the runtime."""
    db = make_engine(settings.database_url)
    upgrade_schema(db)
    runtime = Runtime(db=db, engine=Engine(all_flows(), settings.zone),
                      places=places or PlaceResolver(), clock=clock)
    return App(settings=settings, db=db, runtime=runtime, clock=clock)
