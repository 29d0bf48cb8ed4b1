"""The follow-up tables: scheduled questions and reminders, donor groups and their posts.

`storage.tables` imports this module at its end, so the metadata holds these tables too.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.db import UTCDateTime


class FollowUp(SQLModel, table=True):
    """One question or reminder, sent once: the row with a due time is the schedule."""

    __tablename__ = "follow_up"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)  # kind:code:subject, so a follow-up is never made twice
    kind: str  # FollowupKind
    request_id: int | None = Field(default=None, foreign_key="blood_request.id",
                                   ondelete="CASCADE", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", ondelete="CASCADE",
                                  index=True)
    address_key: str  # whom it goes to
    due_at: datetime = Field(sa_type=UTCDateTime, index=True)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    answer: str | None = None


class DonorGroup(SQLModel, table=True):
    """A group chat registered to an area: a district, or a PIN code's centre and a radius."""

    __tablename__ = "donor_group"
    __table_args__ = (UniqueConstraint("address_key"),)

    id: int | None = Field(default=None, primary_key=True)
    address_key: str  # "telegram:-100…"
    district: str | None = None  # set for a district group
    latitude: float
    longitude: float
    radius_km: float | None = None  # set for a PIN group
    label: str
    registered_by: str  # the admin's address key
    active: bool = True
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class GroupPostRow(SQLModel, table=True):
    """A request posted to a group, and whether the group has been told it closed."""

    __tablename__ = "group_post"
    __table_args__ = (UniqueConstraint("request_id", "group_id"),)

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="blood_request.id", ondelete="CASCADE")
    group_id: int = Field(foreign_key="donor_group.id", ondelete="CASCADE", index=True)
    message_id: int | None = None  # unused: the channel does not report it back yet
    state: str = "posted"  # posted | closed
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
