"""Restart the waves of a request that lost a pledge (withdrawn, or the donor never came).

Waves stop once enough is pledged (`StopReason.ENOUGH_PLEDGED`); a pledge that no longer
counts may leave the request short again. Then the next wave is scheduled, due at once, so
that the family's notice "we will tell you when another donor agrees to come" holds.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from storage import audit
from storage.broadcast import SYSTEM, schedule_wave
from storage.broadcast_tables import BroadcastWave
from storage.domain.broadcast import (
    BROADCASTING_STATUSES,
    DEFAULT_BROADCAST_RULES,
    BroadcastRules,
)
from storage.domain.records import RequestStatus
from storage.responses import pledged_units
from storage.tables import BloodRequest


def resume_radius(number: int, rules: BroadcastRules = DEFAULT_BROADCAST_RULES) -> float:
    """Return the radius of wave `number`: the next radius, or the widest once all were used."""
    return rules.radii_km[min(number, len(rules.radii_km)) - 1]


def resume_broadcast(session: Session, request_code: str, now: datetime, *,
                     rules: BroadcastRules = DEFAULT_BROADCAST_RULES) -> bool:
    """Schedule the next wave, due now, if the open request is short of pledges again.

    Nothing is scheduled while a wave is still to run (it will see the lost pledge itself),
    when the request is closed or its time has passed, or when enough is still pledged.
    Return whether a wave was scheduled; it is audited.
    """
    row = session.exec(select(BloodRequest).where(BloodRequest.code == request_code)).first()
    if row is None or RequestStatus(row.status) not in BROADCASTING_STATUSES \
            or now >= row.required_by:
        return False
    if pledged_units(session, request_code) >= row.units + rules.pledge_buffer_units:
        return False
    numbers = session.exec(select(BroadcastWave.number, BroadcastWave.finished_at).where(
        col(BroadcastWave.request_id) == row.id)).all()
    if not numbers or any(finished is None for _number, finished in numbers):
        return False
    number = max(n for n, _finished in numbers) + 1
    if not schedule_wave(session, request_code=request_code, number=number,
                         radius_km=resume_radius(number, rules), due_at=now):
        return False
    audit.record(session, actor=SYSTEM, action="broadcast.resumed",
                 subject=f"request:{request_code}", detail={"wave": number}, now=now)
    return True
