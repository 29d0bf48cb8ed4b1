"""Rate slots: every process reserves its next send time from one row per shared limit.

One UPDATE … SET next_at = max(next_at, now) + interval … RETURNING per send: the row lock
(PostgreSQL) or the write lock (SQLite) hands out slots one at a time, `interval` apart,
so all processes together keep to the rate however many there are.
"""

from __future__ import annotations

from sqlalchemy import case, literal, update
from sqlmodel import Session, col

from storage.db import insert_unless_exists
from storage.scale_tables import RateSlot


def reserve_slot(session: Session, *, key: str, now: float, interval: float) -> float:
    """Reserve the next free send time on `key`, `interval` seconds after the last one.

    `now` and the result are seconds since the epoch; the caller sends at the time returned
    (now, or later when others reserved the slots before it).
    """
    if session.get_bind().dialect.name == "postgresql":
        # A reservation lost in a crash costs nothing, so do not wait for the disk.
        session.connection().exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
    current = col(RateSlot.next_at)
    statement = (
        update(RateSlot)
        .where(col(RateSlot.key) == key)
        .values(next_at=case((current > now, current), else_=literal(now)) + interval)
        .returning(current)
        .execution_options(synchronize_session=False)
    )
    reserved = session.exec(statement).first()
    if reserved is None:  # the first send on this key ever
        insert_unless_exists(session, RateSlot, {"key": key, "next_at": now}, key=("key",))
        reserved = session.exec(statement).one()
    return float(reserved[0]) - interval
