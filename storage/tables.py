"""The SQLModel tables: people, their addresses, donors, blood requests and admin roles."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from storage.db import UTCDateTime

# Named constraints let Alembic's batch mode on SQLite drop and recreate them later.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Person(SQLModel, table=True):
    """A human being, however many channels they use; deleted outright on request."""

    __tablename__ = "person"

    id: int | None = Field(default=None, primary_key=True)
    name: str
    phone: str | None = Field(default=None, index=True)  # E.164, as the person typed it
    verified_phone: str | None = Field(default=None, unique=True)  # proven by a channel
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class AddressRow(SQLModel, table=True):
    """One user on one channel, linked to a person once their phone is known."""

    __tablename__ = "address"

    key: str = Field(primary_key=True)  # "channel:user_id", see storage.domain.addresses
    channel: str = Field(index=True)
    user_id: str
    person_id: int | None = Field(
        default=None, foreign_key="person.id", ondelete="SET NULL", index=True)
    phone: str | None = Field(default=None, index=True)  # verified by the channel, E.164
    display_name: str | None = None
    created_at: datetime = Field(sa_type=UTCDateTime)
    last_inbound_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    unreachable_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Donor(SQLModel, table=True):
    """A person's donor profile; the location columns feed a bounding-box search."""

    __tablename__ = "donor"
    __table_args__ = (
        Index("ix_donor_location", "latitude", "longitude"),
        # The nearby-donor search: seek each (cell, group) pair, then a latitude range.
        Index("ix_donor_nearby", "grid_cell", "blood_group", "latitude"),
    )

    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", primary_key=True)
    blood_group: str = Field(index=True)  # BloodGroup.code
    sex: str
    date_of_birth: date
    dob_is_estimate: bool
    weight_ok: bool
    latitude: float
    longitude: float
    district: str = Field(index=True)
    state: str
    pincode: str | None = None
    place_label: str
    last_donation_on: date | None = None  # as declared at sign-up
    last_donation_kind: str | None = None
    availability: str
    consent_registry: bool
    consent_alerts: bool
    consent_share_phone: bool
    consents_recorded_at: datetime = Field(sa_type=UTCDateTime)
    consent_wording: str
    paused_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_alerted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    grid_cell: int  # storage.domain.grid.grid_cell(latitude, longitude)
    # First days the donor may give whole blood / apheresis (lower bounds set by
    # storage.donor_index from history and deferrals; NULL: not computed, check in full).
    eligible_from: date | None = None
    apheresis_from: date | None = None
    ignored_in_row: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    language: str
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class DeferralRow(SQLModel, table=True):
    """A deferral a donor declared, kept in the order they gave them."""

    __tablename__ = "deferral"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    kind: str  # DeferralKind
    since: date
    ongoing: bool


class DonationRow(SQLModel, table=True):
    """A donation; it outlives its donor as an anonymous count (person_id becomes NULL)."""

    __tablename__ = "donation"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int | None = Field(
        default=None, foreign_key="person.id", ondelete="SET NULL", index=True)
    request_id: int | None = Field(
        default=None, foreign_key="blood_request.id", ondelete="SET NULL", index=True)
    donated_on: date
    kind: str  # DonationKind
    source: str  # "declared" at sign-up, or "confirmed" after a request
    recorded_at: datetime = Field(sa_type=UTCDateTime)


class BloodRequest(SQLModel, table=True):
    """A blood request; personal columns are NULL once the patient data is deleted."""

    __tablename__ = "blood_request"
    __table_args__ = (
        Index("ix_blood_request_recent", "attendant_phone", "created_at"),
        Index("ix_blood_request_hospital_location", "hospital_latitude", "hospital_longitude"),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True)  # "R-4821"
    status: str = Field(index=True)  # RequestStatus
    requester_address_key: str | None = Field(
        default=None, foreign_key="address.key", ondelete="SET NULL", index=True)
    requester_person_id: int | None = Field(
        default=None, foreign_key="person.id", ondelete="SET NULL", index=True)
    patient_name: str | None = None
    patient_name_key: str | None = None  # casefolded, for duplicate detection
    patient_age: int | None = None
    patient_sex: str | None = None
    patient_group: str  # BloodGroup.code
    component: str
    units: int
    kind: str  # RequestKind
    hospital_name: str
    hospital_name_key: str
    hospital_latitude: float
    hospital_longitude: float
    hospital_district: str = Field(index=True)
    hospital_state: str
    hospital_pincode: str | None = None
    hospital_label: str
    ward: str | None = None
    slip_url: str | None = None  # the requisition slip photo, kept by reference
    slip_content_type: str | None = None
    required_by: datetime = Field(sa_type=UTCDateTime)
    attendant_name: str | None = None
    attendant_phone: str | None = None  # E.164
    attendant_relation: str | None = None
    language: str
    notes: str = Field(default="[]", sa_type=Text)  # JSON list of strings
    created_at: datetime = Field(sa_type=UTCDateTime, index=True)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    status_changed_at: datetime = Field(sa_type=UTCDateTime)
    status_changed_by: str | None = None  # an address key or "system"
    status_reason: str | None = None  # why it was rejected, told to the requester
    approval_count: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    verified_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    escalated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Conversation(SQLModel, table=True):
    """Where one address stands in the conversation, as the engine's state JSON."""

    __tablename__ = "conversation"

    address_key: str = Field(foreign_key="address.key", ondelete="CASCADE", primary_key=True)
    state: str = Field(sa_type=Text)
    language: str | None = None
    updated_at: datetime = Field(sa_type=UTCDateTime, index=True)


class InboundMessage(SQLModel, table=True):
    """A message already handled, by the id its channel gave it; redeliveries are ignored."""

    __tablename__ = "inbound_message"

    channel: str = Field(primary_key=True)
    external_id: str = Field(primary_key=True)
    received_at: datetime = Field(sa_type=UTCDateTime, index=True)


class OutboxRow(SQLModel, table=True):
    """A message waiting to be sent, claimed by a courier for a lease, stamped when sent."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_pending", "channel", "due_at",
              sqlite_where=text("sent_at IS NULL AND failed_at IS NULL"),
              postgresql_where=text("sent_at IS NULL AND failed_at IS NULL")),
    )

    id: int | None = Field(default=None, primary_key=True)
    address_key: str = Field(index=True)  # no foreign key: groups and new recipients too
    channel: str
    kind: str
    payload: str = Field(sa_type=Text)  # JSON object, an Outbound
    idempotency_key: str | None = Field(default=None, unique=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    due_at: datetime = Field(sa_type=UTCDateTime)
    attempts: int = 0
    claimed_until: datetime | None = Field(default=None, sa_type=UTCDateTime)  # the lease
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    failed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # given up
    last_error: str | None = None
    # Stamped just before a broadcast is handed to its channel; found set on a row claimed
    # again (the courier died before `sent_at`), the row is given up, never sent twice.
    send_started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class AuditRow(SQLModel, table=True):
    """Who did what to which subject, and when; details never hold names or phones."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime, index=True)
    actor: str = Field(index=True)  # an address key, "admin:<key>" or "system"
    action: str
    subject: str = Field(index=True)  # "request:R-4821", "person:12"
    detail: str = Field(default="{}", sa_type=Text)  # JSON object


class AdminGrant(SQLModel, table=True):
    """The role of one phone; its districts are rows of `AdminDistrict`."""

    __tablename__ = "admin_grant"

    phone: str = Field(primary_key=True)  # E.164, matched against verified phones
    role: str  # Role
    granted_by: str  # an address key or "settings"
    granted_at: datetime = Field(sa_type=UTCDateTime)


class AdminDistrict(SQLModel, table=True):
    """One district a district admin or verifier acts for."""

    __tablename__ = "admin_district"

    phone: str = Field(foreign_key="admin_grant.phone", ondelete="CASCADE", primary_key=True)
    district_key: str = Field(primary_key=True, index=True)  # casefolded
    district: str  # as granted


class BlockedPhone(SQLModel, table=True):
    """A number that may neither sign up nor file requests."""

    __tablename__ = "blocked_phone"

    phone: str = Field(primary_key=True)  # E.164
    blocked_by: str
    blocked_at: datetime = Field(sa_type=UTCDateTime)


class RequestApproval(SQLModel, table=True):
    """One admin's approval of a request and what they checked."""

    __tablename__ = "request_approval"
    __table_args__ = (UniqueConstraint("request_id", "admin_phone"),)

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="blood_request.id", ondelete="CASCADE", index=True)
    admin_phone: str
    admin_key: str | None = Field(
        default=None, foreign_key="address.key", ondelete="SET NULL", index=True)
    called_ward: bool
    slip_seen: bool
    name_matches: bool
    note: str | None = Field(default=None, sa_type=Text)
    approved_at: datetime = Field(sa_type=UTCDateTime)


class RequestReport(SQLModel, table=True):
    """A scam or fake-request report, shown to admins in /pending."""

    __tablename__ = "request_report"

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="blood_request.id", ondelete="CASCADE", index=True)
    reporter_key: str | None = Field(
        default=None, foreign_key="address.key", ondelete="SET NULL", index=True)
    text: str = Field(sa_type=Text)
    created_at: datetime = Field(sa_type=UTCDateTime)


import storage.broadcast_tables  # noqa: E402 - registers the broadcast tables too
import storage.delivery_tables  # noqa: E402 - registers the delivery tables too
import storage.followup_tables  # noqa: E402 - registers the follow-up tables too
import storage.media_deletions  # noqa: E402 - registers the media deletion queue too
import storage.scale_tables  # noqa: E402, F401 - registers the lease and rate slot tables too
