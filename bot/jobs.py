"""Scheduled work: APScheduler only ticks; the database rows are the schedule."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlmodel import Session

from bot.app import App
from conversations.admin_notices import escalation_notices
from storage import outbox
from storage.admin import SqlAdminServices
from storage.domain.admin import Contact

log = logging.getLogger(__name__)

TICK_SECONDS = 30
"""How often the jobs look for due work; a due row waits at most this long."""


def escalate_pending(app: App) -> int:
    """Raise requests pending longer than VERIFY_ESCALATE_MINUTES to district and super-admins."""
    now, minutes = app.clock(), app.settings.verify_escalate_minutes
    raised = 0
    with Session(app.db) as session, session.begin():
        admin = SqlAdminServices(session)
        for view in admin.pending_older_than(now - timedelta(minutes=minutes)):
            if not admin.mark_escalated(view.summary.code, now):
                continue  # another process raised it first
            district = view.summary.draft.hospital_place.district
            contacts = _unique(admin.admins_to_alert(district) + admin.super_admins())
            for note in escalation_notices(view, contacts, app.settings.zone, minutes):
                outbox.enqueue(session, address_key=note.recipient.key, kind=note.kind,
                               payload=note.message.to_json(), now=now,
                               idempotency_key=note.idempotency_key)
            raised += 1
    if raised:
        log.info("raised %d request(s) still pending after %d minutes", raised, minutes)
    return raised


def _unique(contacts: list[Contact]) -> list[Contact]:
    seen: dict[str, Contact] = {}
    for contact in contacts:
        seen.setdefault(contact.address.key, contact)
    return list(seen.values())


def register_jobs(scheduler: AsyncIOScheduler, app: App, wake: Callable[[], None]) -> None:
    """Tick every job on a fixed id, so a restart never doubles them."""

    async def tick() -> None:
        try:
            if await asyncio.to_thread(escalate_pending, app):
                wake()
        except Exception:
            log.exception("escalation tick failed")

    scheduler.add_job(tick, "interval", seconds=TICK_SECONDS, id="escalate_pending",
                      replace_existing=True, max_instances=1, coalesce=True)
