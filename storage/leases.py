"""Named leases: one process at a time holds one, renews it, and loses it when it expires.

Taking and renewing are one compare-and-set UPDATE (the row is free, expired, or already
ours), so two processes never both succeed: SQLite's write lock serialises the statements,
and PostgreSQL re-checks the WHERE clause on the row after waiting for the other's lock.
Times come from each process's clock, so hosts must keep their clocks in step (NTP);
a skew far below the lease length changes nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, update
from sqlmodel import Session, col, select

from storage.db import insert_unless_exists
from storage.scale_tables import SchedulerLease

NOBODY = ""
"""The holder of a lease that no process has taken yet."""
NEVER = datetime(1970, 1, 1, tzinfo=UTC)


def hold_lease(session: Session, *, name: str, holder: str, now: datetime,
               ttl: timedelta) -> bool:
    """Take or renew the lease until now+ttl; False when another holder's lease still runs."""
    insert_unless_exists(session, SchedulerLease,
                         {"name": name, "holder": NOBODY, "expires_at": NEVER}, key=("name",))
    statement = (
        update(SchedulerLease)
        .where(col(SchedulerLease.name) == name,
               or_(col(SchedulerLease.holder) == holder,
                   col(SchedulerLease.expires_at) <= now))
        .values(holder=holder, expires_at=now + ttl)
        .execution_options(synchronize_session=False)
    )
    return session.exec(statement).rowcount == 1


def release_lease(session: Session, *, name: str, holder: str, now: datetime) -> bool:
    """Give the lease up at once if `holder` has it, so another process need not wait."""
    statement = (
        update(SchedulerLease)
        .where(col(SchedulerLease.name) == name, col(SchedulerLease.holder) == holder)
        .values(expires_at=now)
        .execution_options(synchronize_session=False)
    )
    return session.exec(statement).rowcount == 1


def lease_holder(session: Session, *, name: str, now: datetime) -> str | None:
    """Return who holds the lease now, or None when it is free or expired."""
    row = session.exec(select(SchedulerLease).where(SchedulerLease.name == name)).first()
    if row is None or row.holder == NOBODY or row.expires_at <= now:
        return None
    return row.holder
