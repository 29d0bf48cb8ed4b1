"""Tables for provider receipts and send pauses (see `storage.deliveries`)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from storage.db import UTCDateTime


class Delivery(SQLModel, table=True):
    """One message the provider accepted, for one outbox row, and what became of it."""

    __tablename__ = "delivery"

    sid: str = Field(primary_key=True)  # the provider's message id
    outbox_id: int = Field(foreign_key="outbox.id", ondelete="CASCADE", index=True)
    channel: str
    template: str | None = None  # the template kind sent ("alert", "notice"); None: free-form
    status: str
    error_code: int | None = None
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    failed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SendPause(SQLModel, table=True):
    """Messages of one kind on one channel are held back until `paused_until`."""

    __tablename__ = "send_pause"

    channel: str = Field(primary_key=True)
    kind: str = Field(primary_key=True)
    paused_until: datetime = Field(sa_type=UTCDateTime)
    reason: str
    set_at: datetime = Field(sa_type=UTCDateTime)
