"""Tables for running several processes on one database: the scheduler lease and rate slots.

`storage.tables` imports this module at its end, so the metadata holds these tables too.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from storage.db import UTCDateTime


class SchedulerLease(SQLModel, table=True):
    """Which process holds a named lease (the scheduler's), and until when."""

    __tablename__ = "scheduler_lease"

    name: str = Field(primary_key=True)  # "scheduler"
    holder: str  # "host:pid:random", or "" when nobody has taken it yet
    expires_at: datetime = Field(sa_type=UTCDateTime)


class RateSlot(SQLModel, table=True):
    """The next free send time of a rate limit shared by every process (one bot, one sender)."""

    __tablename__ = "rate_slot"

    key: str = Field(primary_key=True)  # the channel: "telegram", "whatsapp"
    next_at: float  # seconds since the epoch; a float, so SQL can add to it on every database
