"""The broadcast tables: waves due to run, alerts sent to donors, and donors' pledges.

`storage.tables` imports this module at its end, so the metadata holds these tables too.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from storage.db import UTCDateTime

UNFINISHED = "finished_at IS NULL"
UNANSWERED = "response = 'none'"


class BroadcastWave(SQLModel, table=True):
    """One wave of a request's broadcast: a row with a due time is the schedule."""

    __tablename__ = "broadcast_wave"
    __table_args__ = (
        UniqueConstraint("request_id", "number"),
        Index("ix_broadcast_wave_due", "due_at", sqlite_where=text(UNFINISHED),
              postgresql_where=text(UNFINISHED)),
    )

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="blood_request.id", ondelete="CASCADE")
    number: int  # 1, 2, 3, ... (BroadcastRules.radii_km[number - 1])
    radius_km: float
    due_at: datetime = Field(sa_type=UTCDateTime)
    claimed_until: datetime | None = Field(default=None, sa_type=UTCDateTime)  # the lease
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    alerted: int = 0
    stop_reason: str | None = None  # StopReason, when this wave ended the broadcast


class DonorAlert(SQLModel, table=True):
    """A donor alerted about a request, at most once per request, and how they answered."""

    __tablename__ = "donor_alert"
    __table_args__ = (
        UniqueConstraint("request_id", "person_id"),
        Index("ix_donor_alert_recent", "person_id", "created_at"),
        Index("ix_donor_alert_unanswered", "created_at", sqlite_where=text(UNANSWERED),
              postgresql_where=text(UNANSWERED)),
    )

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="blood_request.id", ondelete="CASCADE")
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE")
    wave_number: int
    address_key: str  # where the alert went; no foreign key, like the outbox
    created_at: datetime = Field(sa_type=UTCDateTime)
    response: str = "none"  # AlertResponse
    responded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Pledge(SQLModel, table=True):
    """A donor's commitment to reach the hospital by a time; it counts toward the units."""

    __tablename__ = "pledge"
    __table_args__ = (UniqueConstraint("request_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="blood_request.id", ondelete="CASCADE")
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    eta: datetime = Field(sa_type=UTCDateTime)
    status: str  # PledgeStatus
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
