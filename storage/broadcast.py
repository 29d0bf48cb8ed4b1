"""Broadcast waves: rows with a due time, claimed atomically, run once, each donor alerted once.

APScheduler only ticks; each tick claims the due waves (`claim_due_waves`) and runs each in
its own transaction (`run_wave`). Sending nothing twice rests on three things: the wave's
lease is checked and held before anything is written, `donor_alert` is UNIQUE (request,
person), and the caller's outbox rows carry `alert_key(code, person)` as idempotency key.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import func, or_, update
from sqlmodel import Session, col, select

from storage import audit
from storage.broadcast_tables import BroadcastWave, DonorAlert
from storage.db import insert_unless_exists
from storage.domain.broadcast import (
    DEFAULT_BROADCAST_RULES,
    BroadcastRules,
    NextWave,
    StopReason,
    alerts_for_wave,
    first_wave,
    is_critical,
    next_wave,
    quiet_hours_end,
    stop_reason,
    waits_for_morning,
)
from storage.domain.records import RequestStatus
from storage.match_criteria import Match
from storage.matching import find_matches
from storage.request_rows import summary_of
from storage.responses import pledged_units, request_id_of
from storage.tables import BloodRequest, Donor

SYSTEM = "system"
"""The actor audited for what the scheduler does."""


@dataclass(frozen=True)
class DueWave:
    """A wave claimed by this process until `lease_until`."""

    id: int
    request_code: str
    number: int
    radius_km: float
    due_at: datetime
    lease_until: datetime


@dataclass(frozen=True)
class WaveOutcome:
    """What running a wave did: whom it alerted, and what comes next."""

    alerted: tuple[Match, ...] = ()
    next_wave: NextWave | None = None
    stopped: StopReason | None = None
    postponed_to: datetime | None = None  # quiet hours: the wave runs again then
    lost: bool = False  # another process took the wave over; nothing was done


def alert_key(request_code: str, person_id: int) -> str:
    """Return the outbox idempotency key of a donor's alert about a request."""
    return f"alert:{request_code}:{person_id}"


def schedule_wave(session: Session, *, request_code: str, number: int, radius_km: float,
                  due_at: datetime) -> bool:
    """Schedule wave `number` of a request; False if that wave already exists."""
    values = {"request_id": request_id_of(session, request_code), "number": number,
              "radius_km": radius_km, "due_at": due_at, "alerted": 0}
    return insert_unless_exists(session, BroadcastWave, values, key=("request_id", "number"))


def start_broadcast(session: Session, *, request_code: str, now: datetime,
                    rules: BroadcastRules = DEFAULT_BROADCAST_RULES) -> bool:
    """Schedule wave 1 right away (call it when the request is approved); False if it was."""
    wave = first_wave(now, rules)
    return schedule_wave(session, request_code=request_code, number=wave.number,
                         radius_km=wave.radius_km, due_at=wave.due_at)


def claim_due_waves(session: Session, *, now: datetime, limit: int,
                    lease: timedelta) -> list[DueWave]:
    """Lease up to `limit` due, unfinished waves whose lease is free, oldest first.

    One UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) … RETURNING, like
    `storage.outbox.claim_due`: two processes never hold the same wave at once.
    """
    due = (select(BroadcastWave.id)
           .where(col(BroadcastWave.finished_at).is_(None), col(BroadcastWave.due_at) <= now,
                  or_(col(BroadcastWave.claimed_until).is_(None),
                      col(BroadcastWave.claimed_until) <= now))
           .order_by(col(BroadcastWave.due_at), col(BroadcastWave.id))
           .limit(limit).with_for_update(skip_locked=True))
    statement = (
        update(BroadcastWave).where(col(BroadcastWave.id).in_(due.scalar_subquery()))
        .values(claimed_until=now + lease)
        .returning(col(BroadcastWave.id), col(BroadcastWave.request_id),
                   col(BroadcastWave.number), col(BroadcastWave.radius_km),
                   col(BroadcastWave.due_at), col(BroadcastWave.claimed_until))
        .execution_options(synchronize_session=False))
    rows = sorted(session.exec(statement).all(), key=lambda row: (row[4], row[0]))
    codes = dict(session.exec(select(BloodRequest.id, BloodRequest.code).where(
        col(BloodRequest.id).in_([row[1] for row in rows]))).all())
    return [DueWave(row[0], codes[row[1]], row[2], row[3], row[4], row[5]) for row in rows]


def record_alerts(session: Session, *, request_code: str, wave_number: int,
                  matches: Sequence[Match], now: datetime) -> list[Match]:
    """Record an alert per match, at most once per donor and request; return the new ones."""
    request_id = request_id_of(session, request_code)
    new = [match for match in matches if match.address_keys and insert_unless_exists(
        session, DonorAlert,
        {"request_id": request_id, "person_id": match.person_id, "wave_number": wave_number,
         "address_key": match.address_keys[0], "created_at": now, "response": "none"},
        key=("request_id", "person_id"))]
    if new:
        session.exec(
            update(Donor).where(col(Donor.person_id).in_([m.person_id for m in new]))
            .values(last_alerted_at=now))
    return new


def finish_wave(session: Session, *, wave: DueWave, alerted: int, now: datetime,
                stopped: StopReason | None = None) -> bool:
    """Mark the wave done; False when its lease was lost to another process."""
    return _swap(session, wave, finished_at=now, claimed_until=None, alerted=alerted,
                 stop_reason=None if stopped is None else stopped.value)


def postpone_wave(session: Session, *, wave: DueWave, due_at: datetime) -> bool:
    """Move the wave to `due_at` and free it; False when its lease was lost."""
    return _swap(session, wave, due_at=due_at, claimed_until=None)


def run_wave(session: Session, *, wave: DueWave, now: datetime, tz: tzinfo,
             alert: Callable[[Match], None],
             rules: BroadcastRules = DEFAULT_BROADCAST_RULES) -> WaveOutcome:
    """Run one claimed wave in the caller's transaction; `alert` queues each donor's message.

    Stops when enough is pledged, the request closed or its time passed; postpones a
    non-critical wave during quiet hours; otherwise alerts the nearest matches within the
    wave's budget (minus any it already alerted) and schedules the next wave.
    """
    if not _swap(session, wave, started_at=now):
        return WaveOutcome(lost=True)
    row = session.exec(select(BloodRequest).where(BloodRequest.code == wave.request_code)).one()
    draft, status = summary_of(row).draft, RequestStatus(row.status)
    pledged = pledged_units(session, wave.request_code)
    stop = stop_reason(pledged=pledged, units=row.units, status=status,
                       required_by=row.required_by, now=now, rules=rules)
    if stop is not None:
        finish_wave(session, wave=wave, alerted=0, now=now, stopped=stop)
        return WaveOutcome(stopped=stop)
    critical = is_critical(draft)
    if waits_for_morning(draft, now, tz, rules):
        until = quiet_hours_end(now, tz, rules)
        postpone_wave(session, wave=wave, due_at=until)
        return WaveOutcome(postponed_to=until)
    before = session.exec(select(func.count()).select_from(DonorAlert).where(
        DonorAlert.request_id == row.id, DonorAlert.wave_number == wave.number)).one()
    budget = alerts_for_wave(row.units, pledged, rules) - before
    matches = find_matches(session, request_code=wave.request_code, radius_km=wave.radius_km,
                           limit=budget, now=now, tz=tz, rules=rules)
    new = record_alerts(session, request_code=wave.request_code, wave_number=wave.number,
                        matches=matches, now=now)
    for match in new:
        alert(match)
    if new and status is RequestStatus.VERIFIED:
        _mark_broadcasting(session, row, now)
    after = next_wave(number=wave.number, pledged=pledged, units=row.units, status=status,
                      required_by=row.required_by, now=now, critical=critical, rules=rules)
    if isinstance(after, NextWave):
        schedule_wave(session, request_code=wave.request_code, number=after.number,
                      radius_km=after.radius_km, due_at=after.due_at)
    stopped = after if isinstance(after, StopReason) else None
    finish_wave(session, wave=wave, alerted=before + len(new), now=now, stopped=stopped)
    return WaveOutcome(tuple(new), after if isinstance(after, NextWave) else None, stopped)


def _swap(session: Session, wave: DueWave, **values: Any) -> bool:
    """Update the wave only while this process still holds its lease."""
    statement = (update(BroadcastWave)
                 .where(col(BroadcastWave.id) == wave.id,
                        col(BroadcastWave.claimed_until) == wave.lease_until,
                        col(BroadcastWave.finished_at).is_(None))
                 .values(**values))
    return session.exec(statement).rowcount == 1


def _mark_broadcasting(session: Session, row: BloodRequest, now: datetime) -> None:
    """Move a verified request to broadcasting, unless someone changed its status meanwhile."""
    done = session.exec(
        update(BloodRequest)
        .where(col(BloodRequest.id) == row.id,
               col(BloodRequest.status) == RequestStatus.VERIFIED.value)
        .values(status=RequestStatus.BROADCASTING.value, status_changed_at=now,
                status_changed_by=SYSTEM, updated_at=now)).rowcount == 1
    if done:
        audit.record(session, actor=SYSTEM, action="request.broadcasting",
                     subject=f"request:{row.code}", detail={"from": "verified"}, now=now)
