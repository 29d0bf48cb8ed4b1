"""The composition root: build the database, engine, runtime and courier from settings."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from sqlalchemy import Engine as DbEngine
from sqlmodel import Session

from bot.courier import Courier
from bot.ratelimit import ChannelLimits, Limiter, RateLimiter, Sleep, telegram_group
from bot.runtime import Clock, Runtime
from bot.settings import Settings
from bot.shared_ratelimit import DbRateLimiter
from conversations.engine import Engine
from conversations.registry import all_commands, all_flows
from handlers.sending import Sender
from storage.admin import SqlAdminServices
from storage.db import make_engine, upgrade_schema
from storage.domain.broadcast import DEFAULT_BROADCAST_RULES, BroadcastRules
from storage.domain.phones import normalize_phone
from storage.geo import PlaceResolver

log = logging.getLogger(__name__)


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

    @property
    def rules(self) -> BroadcastRules:
        """Return the broadcast rules the settings choose (waves, fatigue, quiet hours)."""
        return broadcast_rules(self.settings)

    def courier(self, senders: Mapping[str, Sender], *, limiter: Limiter | None = None,
                sleep: Sleep = asyncio.sleep) -> Courier:
        """Build a courier for the given channel senders, within the limits in the settings."""
        return Courier(db=self.db, senders=senders, clock=self.clock,
                       limiter=limiter or self.rate_limiter(),
                       sleep=sleep, batch_size=self.settings.courier_batch_size,
                       max_attempts=self.settings.courier_max_attempts)

    def rate_limiter(self) -> Limiter:
        """Return the limiter for the settings' limits, shared by all processes on PostgreSQL.

        SQLite serves one process, and a database write per message would queue behind
        every turn for its one write lock; there the limits stay in memory.
        """
        limits = channel_limits(self.settings)
        if self.db.dialect.name == "sqlite":
            return RateLimiter(limits)
        return DbRateLimiter(self.db, limits)


def broadcast_rules(settings: Settings) -> BroadcastRules:
    """Return the broadcast and fatigue rules with the settings' waves, budget and quiet hours."""
    return replace(DEFAULT_BROADCAST_RULES, wave_minutes=settings.wave_minutes,
                   critical_wave_minutes=settings.critical_wave_minutes,
                   alerts_per_unit=settings.alerts_per_unit,
                   max_alerts_per_week=settings.max_alerts_per_week,
                   quiet_start=settings.quiet_hours_start, quiet_end=settings.quiet_hours_end)


def channel_limits(settings: Settings) -> dict[str, ChannelLimits]:
    """Return each channel's rate limits from the settings."""
    return {
        "telegram": ChannelLimits(
            per_second=settings.telegram_max_per_second,
            per_chat_per_second=settings.telegram_max_per_chat_per_second,
            per_group_per_minute=settings.telegram_max_per_group_per_minute,
            is_group=telegram_group),
        "whatsapp": ChannelLimits(per_second=settings.whatsapp_mps),
    }


def build_app(settings: Settings, *, clock: Clock = system_clock,
              places: PlaceResolver | None = None) -> App:
    """Open (and upgrade) the database and wire the runtime."""
    db = make_engine(settings.database_url)
    upgrade_schema(db)
    bootstrap_admins(db, settings, clock())
    runtime = Runtime(db=db, engine=Engine(all_flows(), settings.zone, all_commands()),
                      places=places or PlaceResolver(), clock=clock,
                      max_messages_per_minute=settings.max_messages_per_minute)
    return App(settings=settings, db=db, runtime=runtime, clock=clock)


def bootstrap_admins(db: DbEngine, settings: Settings, now: datetime) -> None:
    """Make the ADMIN_PHONES super-admins (idempotent; runs on every start)."""
    phones = []
    for raw in settings.admin_phones:
        phone = normalize_phone(raw, settings.default_region)
        if phone is None:
            log.warning("ADMIN_PHONES has an entry that is not a valid phone number; skipped")
        else:
            phones.append(phone)
    if phones:
        with Session(db) as session, session.begin():
            SqlAdminServices(session).bootstrap_super_admins(phones, now)
