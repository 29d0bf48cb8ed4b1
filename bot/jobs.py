"""Scheduled work: APScheduler only ticks; the database rows are the schedule."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlmodel import Session, select

from bot.app import App
from bot.followup_jobs import TICK_SECONDS as FOLLOWUP_TICK_SECONDS
from bot.followup_jobs import followup_tick
from bot.leader import Tick
from conversations.admin_notices import escalation_notices
from conversations.alerts import alert_message
from storage import outbox
from storage.admin import SqlAdminServices
from storage.broadcast import DueWave, alert_key, claim_due_waves, run_wave
from storage.domain.admin import Contact
from storage.domain.broadcast import BroadcastRules
from storage.match_criteria import Match
from storage.request_rows import summary_of
from storage.tables import BloodRequest

log = logging.getLogger(__name__)

TICK_SECONDS = 30
"""How often the jobs look for due work; a due row waits at most this long."""
WAVES_PER_TICK = 20
"""Waves one run claims at once (ours): each runs in its own transaction."""
WAVE_LEASE = timedelta(minutes=2)
"""How long a claimed wave is this process's (ours): far longer than a wave takes to run."""


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


def run_due_waves(app: App, *, rules: BroadcastRules | None = None) -> int:
    """Run every broadcast wave that is due, queueing each donor's alert; return how many.

    The rules are the settings' (`App.rules`) unless others are given.
    """
    now, rules = app.clock(), rules or app.rules
    with Session(app.db) as session, session.begin():
        waves = claim_due_waves(session, now=now, limit=WAVES_PER_TICK, lease=WAVE_LEASE)
    alerted = 0
    for wave in waves:
        try:
            alerted += _run_wave(app, wave, rules)
        except Exception:  # the lease runs out and the next run takes the wave again
            log.exception("wave %d of %s failed", wave.number, wave.request_code)
    if alerted:
        log.info("alerted %d donor(s) in %d wave(s)", alerted, len(waves))
    return alerted


def _run_wave(app: App, wave: DueWave, rules: BroadcastRules) -> int:
    """Run one claimed wave in one transaction: alerts are queued with the wave's rows."""
    now, zone = app.clock(), app.settings.zone
    with Session(app.db) as session, session.begin():
        row = session.exec(select(BloodRequest).where(
            BloodRequest.code == wave.request_code)).one()
        summary = summary_of(row)

        def alert(match: Match) -> None:
            payload = alert_message(summary, match.distance_km, match.language, zone).to_json()
            key = alert_key(wave.request_code, match.person_id)
            for index, address_key in enumerate(match.address_keys):
                outbox.enqueue(session, address_key=address_key, payload=payload, kind="alert",
                               now=now, idempotency_key=key if index == 0
                               else f"{key}:{address_key}")

        outcome = run_wave(session, wave=wave, now=now, tz=zone, alert=alert, rules=rules)
    if outcome.postponed_to is not None:
        log.info("wave %d of %s waits for the end of quiet hours", wave.number,
                 wave.request_code)
    return len(outcome.alerted)


class WaveRunner:
    """Run due waves on every tick and soon after any commit, one run at a time."""

    def __init__(self, app: App, wake: Callable[[], None]) -> None:
        """Run on `app`; call `wake` (the courier's) when alerts were queued."""
        self.app = app
        self.wake = wake
        self._lock = asyncio.Lock()
        self._again = False
        self._tasks: set[asyncio.Task[None]] = set()

    async def run(self) -> None:
        """Run due waves; a call during a run makes that run go round once more."""
        self._again = True
        if self._lock.locked():
            return
        async with self._lock:
            while self._again:
                self._again = False
                try:
                    if await asyncio.to_thread(run_due_waves, self.app):
                        self.wake()
                except Exception:
                    log.exception("broadcast tick failed")

    def soon(self) -> None:
        """Start a run now, from the event loop (after a turn that may have approved one)."""
        task = asyncio.get_running_loop().create_task(self.run())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


def _unique(contacts: list[Contact]) -> list[Contact]:
    seen: dict[str, Contact] = {}
    for contact in contacts:
        seen.setdefault(contact.address.key, contact)
    return list(seen.values())


def unguarded(tick: Tick) -> Tick:
    """Return `tick` unchanged: it runs on every firing (one process, or a test)."""
    return tick


def register_jobs(scheduler: AsyncIOScheduler, app: App, wake: Callable[[], None], *,
                  guard: Callable[[Tick], Tick] = unguarded) -> Callable[[], None]:
    """Tick every job on a fixed id, so a restart never doubles them.

    `guard` wraps every tick in this one place: the server lets a tick run only while its
    process holds the scheduler lease (`bot.leader`), so one process of many does the work.

    Return a function that runs the due broadcast waves at once: the server calls it after
    every commit, so wave 1 of a request leaves right after the approval. It is not guarded:
    the approval may land on any process, and waves are claimed atomically anyway.
    """

    async def escalate() -> None:
        try:
            if await asyncio.to_thread(escalate_pending, app):
                wake()
        except Exception:
            log.exception("escalation tick failed")

    waves = WaveRunner(app, wake)
    ticks: dict[str, tuple[Tick, float]] = {
        "escalate_pending": (escalate, TICK_SECONDS),
        "followups": (followup_tick(app, wake), FOLLOWUP_TICK_SECONDS),
        "run_due_waves": (waves.run, TICK_SECONDS),
    }
    for job_id, (tick, seconds) in ticks.items():
        scheduler.add_job(guard(tick), "interval", seconds=seconds, id=job_id,
                          replace_existing=True, max_instances=1, coalesce=True)
    return waves.soon
