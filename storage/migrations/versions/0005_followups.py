"""Add follow-ups (outcome questions, still-needed checks, reminders), donor groups and posts.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07

Frozen like 0001: plain SQLAlchemy types only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _time(name: str, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(), nullable=nullable)


def _text(name: str, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(), nullable=nullable)


def _fk(column: str, table: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [target], name=f"fk_{table}_{column}_{target.split('.')[0]}", ondelete="CASCADE")


def upgrade() -> None:
    """Create the follow-up, donor group and group post tables."""
    op.create_table(
        "follow_up", sa.Column("id", sa.Integer(), nullable=False), _text("key"), _text("kind"),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True), _text("address_key"),
        _time("due_at"), _time("sent_at", True), _time("answered_at", True),
        _text("answer", True),
        _fk("request_id", "follow_up", "blood_request.id"),
        _fk("person_id", "follow_up", "person.id"),
        sa.PrimaryKeyConstraint("id", name="pk_follow_up"),
        sa.UniqueConstraint("key", name="uq_follow_up_key"),
    )
    for column in ("request_id", "person_id", "due_at"):
        op.create_index(f"ix_follow_up_{column}", "follow_up", [column])
    op.create_table(
        "donor_group", sa.Column("id", sa.Integer(), nullable=False), _text("address_key"),
        _text("district", True), sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("radius_km", sa.Float(), nullable=True), _text("label"),
        _text("registered_by"), sa.Column("active", sa.Boolean(), nullable=False),
        _time("created_at"), _time("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_donor_group"),
        sa.UniqueConstraint("address_key", name="uq_donor_group_address_key"),
    )
    op.create_table(
        "group_post", sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=True), _text("state"),
        _time("created_at"), _time("updated_at"),
        _fk("request_id", "group_post", "blood_request.id"),
        _fk("group_id", "group_post", "donor_group.id"),
        sa.PrimaryKeyConstraint("id", name="pk_group_post"),
        sa.UniqueConstraint("request_id", "group_id", name="uq_group_post_request_id"),
    )
    op.create_index("ix_group_post_group_id", "group_post", ["group_id"])


def downgrade() -> None:
    """Drop the follow-up, donor group and group post tables."""
    for table in ("group_post", "donor_group", "follow_up"):
        op.drop_table(table)
