"""Run broadcast ticks the way the scheduler job will: claim due waves, run each, queue alerts."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage import outbox
from storage.broadcast import DueWave, WaveOutcome, alert_key, claim_due_waves, run_wave
from storage.broadcast_tables import DonorAlert
from storage.match_criteria import Match
from storage.tables import OutboxRow
from tests.storage.broadcast_world import RULES, TZ

LEASE = timedelta(minutes=2)


def run(session: Session, wave: DueWave, now: datetime) -> WaveOutcome:
    """Run one claimed wave, queueing each alert in the outbox with its idempotency key."""
    def send(match: Match) -> None:
        outbox.enqueue(session, address_key=match.address_keys[0], kind="alert",
                       payload={"text": f"{wave.request_code} needs you"}, now=now,
                       idempotency_key=alert_key(wave.request_code, match.person_id))
    return run_wave(session, wave=wave, now=now, tz=TZ, alert=send, rules=RULES)


def tick(session: Session, now: datetime) -> list[WaveOutcome]:
    """Claim every due wave and run it, in this session."""
    return [run(session, wave, now)
            for wave in claim_due_waves(session, now=now, limit=10, lease=LEASE)]


def alerted(outcomes: list[WaveOutcome]) -> list[int]:
    """Return the person ids the outcomes alerted, in order."""
    return [match.person_id for outcome in outcomes for match in outcome.alerted]


def outbox_keys(session: Session) -> list[str]:
    """Return the idempotency keys of every queued message."""
    return sorted(key for key in session.exec(select(OutboxRow.idempotency_key)) if key)


def alert_count(session: Session) -> int:
    """Count the alert rows stored."""
    return session.exec(select(func.count(col(DonorAlert.id)))).one()
