"""Add media_deletion: Twilio photos (requisition slips) queued for deletion after an erasure.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-10

Frozen like 0001: plain SQLAlchemy types only.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the media_deletion table and its due-time index."""
    op.create_table(
        "media_deletion",
        sa.Column("media_sid", sa.String(), nullable=False),
        sa.Column("message_sid", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("media_sid", name="pk_media_deletion"),
    )
    op.create_index("ix_media_deletion_due_at", "media_deletion", ["due_at"])


def downgrade() -> None:
    """Drop the media_deletion table."""
    op.drop_index("ix_media_deletion_due_at", table_name="media_deletion")
    op.drop_table("media_deletion")
