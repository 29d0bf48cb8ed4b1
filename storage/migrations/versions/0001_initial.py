"""Create the first tables: people, addresses, donors, requests, conversations, outbox, audit.

Revision ID: 0001
Revises:
Create Date: 2026-12-04

Frozen: this file never imports the models, so later model changes cannot rewrite history.
Datetimes are naive UTC here; `storage.db.UTCDateTime` adds the time zone when reading.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PENDING = "sent_at IS NULL AND failed_at IS NULL"


def _text(name: str, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(), nullable=nullable)


def _time(name: str, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(), nullable=nullable)


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), nullable=False)


def _fk(column: str, table: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [target], name=f"fk_{table}_{column}_{target.split('.')[0]}", ondelete=ondelete)


def _index(table: str, *columns: str, name: str | None = None) -> None:
    op.create_index(name or f"ix_{table}_{columns[0]}", table, list(columns), unique=False)


def upgrade() -> None:
    """Create every table and index."""
    op.create_table(
        "person", _id(), _text("name"), _text("phone", True), _text("verified_phone", True),
        _time("created_at"), _time("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_person"),
        sa.UniqueConstraint("verified_phone", name="uq_person_verified_phone"),
    )
    _index("person", "phone")

    op.create_table(
        "address", _text("key"), _text("channel"), _text("user_id"),
        sa.Column("person_id", sa.Integer(), nullable=True),
        _text("phone", True), _text("display_name", True),
        _time("created_at"), _time("last_inbound_at", True), _time("unreachable_at", True),
        _fk("person_id", "address", "person.id", "SET NULL"),
        sa.PrimaryKeyConstraint("key", name="pk_address"),
    )
    for column in ("channel", "person_id", "phone"):
        _index("address", column)

    op.create_table(
        "donor", sa.Column("person_id", sa.Integer(), nullable=False),
        _text("blood_group"), _text("sex"),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("dob_is_estimate", sa.Boolean(), nullable=False),
        sa.Column("weight_ok", sa.Boolean(), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        _text("district"), _text("state"), _text("pincode", True), _text("place_label"),
        sa.Column("last_donation_on", sa.Date(), nullable=True),
        _text("last_donation_kind", True), _text("availability"),
        sa.Column("consent_registry", sa.Boolean(), nullable=False),
        sa.Column("consent_alerts", sa.Boolean(), nullable=False),
        sa.Column("consent_share_phone", sa.Boolean(), nullable=False),
        _time("consents_recorded_at"), _text("consent_wording"),
        _time("paused_until", True), _time("last_alerted_at", True), _text("language"),
        _time("created_at"), _time("updated_at"),
        _fk("person_id", "donor", "person.id", "CASCADE"),
        sa.PrimaryKeyConstraint("person_id", name="pk_donor"),
    )
    _index("donor", "blood_group")
    _index("donor", "district")
    _index("donor", "latitude", "longitude", name="ix_donor_location")

    op.create_table(
        "deferral", _id(), sa.Column("person_id", sa.Integer(), nullable=False),
        _text("kind"), sa.Column("since", sa.Date(), nullable=False),
        sa.Column("ongoing", sa.Boolean(), nullable=False),
        _fk("person_id", "deferral", "person.id", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_deferral"),
    )
    _index("deferral", "person_id")

    op.create_table(
        "blood_request", _id(), _text("code"), _text("status"),
        _text("requester_address_key", True),
        sa.Column("requester_person_id", sa.Integer(), nullable=True),
        _text("patient_name", True), _text("patient_name_key", True),
        sa.Column("patient_age", sa.Integer(), nullable=True), _text("patient_sex", True),
        _text("patient_group"), _text("component"),
        sa.Column("units", sa.Integer(), nullable=False), _text("kind"),
        _text("hospital_name"), _text("hospital_name_key"),
        sa.Column("hospital_latitude", sa.Float(), nullable=False),
        sa.Column("hospital_longitude", sa.Float(), nullable=False),
        _text("hospital_district"), _text("hospital_state"), _text("hospital_pincode", True),
        _text("hospital_label"), _text("ward", True), _time("required_by"),
        _text("attendant_name", True), _text("attendant_phone", True),
        _text("attendant_relation", True), _text("language"),
        sa.Column("notes", sa.Text(), nullable=False),
        _time("created_at"), _time("updated_at"), _time("status_changed_at"),
        _text("status_changed_by", True),
        _fk("requester_address_key", "blood_request", "address.key", "SET NULL"),
        _fk("requester_person_id", "blood_request", "person.id", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_blood_request"),
        sa.UniqueConstraint("code", name="uq_blood_request_code"),
    )
    for column in ("created_at", "hospital_district", "requester_address_key",
                   "requester_person_id", "status"):
        _index("blood_request", column)
    _index("blood_request", "attendant_phone", "created_at", name="ix_blood_request_recent")
    _index("blood_request", "hospital_latitude", "hospital_longitude",
           name="ix_blood_request_hospital_location")

    op.create_table(
        "donation", _id(), sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("donated_on", sa.Date(), nullable=False),
        _text("kind"), _text("source"), _time("recorded_at"),
        _fk("person_id", "donation", "person.id", "SET NULL"),
        _fk("request_id", "donation", "blood_request.id", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_donation"),
    )
    _index("donation", "person_id")
    _index("donation", "request_id")

    op.create_table(
        "conversation", _text("address_key"), sa.Column("state", sa.Text(), nullable=False),
        _text("language", True), _time("updated_at"),
        _fk("address_key", "conversation", "address.key", "CASCADE"),
        sa.PrimaryKeyConstraint("address_key", name="pk_conversation"),
    )
    _index("conversation", "updated_at")

    op.create_table(
        "inbound_message", _text("channel"), _text("external_id"), _time("received_at"),
        sa.PrimaryKeyConstraint("channel", "external_id", name="pk_inbound_message"),
    )
    _index("inbound_message", "received_at")

    op.create_table(
        "outbox", _id(), _text("address_key"), _text("channel"), _text("kind"),
        sa.Column("payload", sa.Text(), nullable=False), _text("idempotency_key", True),
        _time("created_at"), _time("due_at"),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _time("claimed_until", True), _time("sent_at", True), _time("failed_at", True),
        _text("last_error", True),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        sa.UniqueConstraint("idempotency_key", name="uq_outbox_idempotency_key"),
    )
    _index("outbox", "address_key")
    op.create_index("ix_outbox_pending", "outbox", ["channel", "due_at"], unique=False,
                    sqlite_where=sa.text(PENDING), postgresql_where=sa.text(PENDING))

    op.create_table(
        "audit_log", _id(), _time("at"), _text("actor"), _text("action"), _text("subject"),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    for column in ("actor", "at", "subject"):
        _index("audit_log", column)


def downgrade() -> None:
    """Drop every table, children first (their indexes go with them)."""
    for table in ("audit_log", "outbox", "inbound_message", "conversation", "donation",
                  "blood_request", "deferral", "donor", "address", "person"):
        op.drop_table(table)
