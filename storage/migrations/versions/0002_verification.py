"""Add admin roles, blocked phones, approvals, reports and verification stamps on requests.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-05

Frozen like 0001: plain SQLAlchemy types only. Columns are added to blood_request in batch
mode, which on SQLite copies the table.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(name: str, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(), nullable=nullable)


def _time(name: str, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(), nullable=nullable)


def _flag(name: str) -> sa.Column[bool]:
    return sa.Column(name, sa.Boolean(), nullable=False)


def _fk(column: str, table: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [target], name=f"fk_{table}_{column}_{target.split('.')[0]}", ondelete=ondelete)


def upgrade() -> None:
    """Create the admin tables and add the verification columns to blood_request."""
    with op.batch_alter_table("blood_request") as batch:
        batch.add_column(_text("status_reason", True))
        batch.add_column(sa.Column("approval_count", sa.Integer(), nullable=False,
                                   server_default="0"))
        batch.add_column(_time("verified_at", True))
        batch.add_column(_time("escalated_at", True))

    op.create_table(
        "admin_grant", _text("phone"), _text("role"), _text("granted_by"), _time("granted_at"),
        sa.PrimaryKeyConstraint("phone", name="pk_admin_grant"),
    )
    op.create_table(
        "admin_district", _text("phone"), _text("district_key"), _text("district"),
        _fk("phone", "admin_district", "admin_grant.phone", "CASCADE"),
        sa.PrimaryKeyConstraint("phone", "district_key", name="pk_admin_district"),
    )
    op.create_index("ix_admin_district_district_key", "admin_district", ["district_key"])
    op.create_table(
        "blocked_phone", _text("phone"), _text("blocked_by"), _time("blocked_at"),
        sa.PrimaryKeyConstraint("phone", name="pk_blocked_phone"),
    )
    op.create_table(
        "request_approval", sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False), _text("admin_phone"),
        _text("admin_key", True), _flag("called_ward"), _flag("slip_seen"),
        _flag("name_matches"), sa.Column("note", sa.Text(), nullable=True),
        _time("approved_at"),
        _fk("request_id", "request_approval", "blood_request.id", "CASCADE"),
        _fk("admin_key", "request_approval", "address.key", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_request_approval"),
        sa.UniqueConstraint("request_id", "admin_phone", name="uq_request_approval_request_id"),
    )
    op.create_index("ix_request_approval_request_id", "request_approval", ["request_id"])
    op.create_index("ix_request_approval_admin_key", "request_approval", ["admin_key"])
    op.create_table(
        "request_report", sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False), _text("reporter_key", True),
        sa.Column("text", sa.Text(), nullable=False), _time("created_at"),
        _fk("request_id", "request_report", "blood_request.id", "CASCADE"),
        _fk("reporter_key", "request_report", "address.key", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_request_report"),
    )
    op.create_index("ix_request_report_request_id", "request_report", ["request_id"])
    op.create_index("ix_request_report_reporter_key", "request_report", ["reporter_key"])


def downgrade() -> None:
    """Drop the admin tables and the verification columns."""
    for table in ("request_report", "request_approval", "blocked_phone", "admin_district",
                  "admin_grant"):
        op.drop_table(table)
    with op.batch_alter_table("blood_request") as batch:
        for column in ("escalated_at", "verified_at", "approval_count", "status_reason"):
            batch.drop_column(column)
