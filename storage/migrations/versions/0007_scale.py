"""Add the scheduler lease and the shared rate slots, for several processes on one database.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-09

Frozen like 0001: plain SQLAlchemy types only.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the scheduler_lease and rate_slot tables."""
    op.create_table(
        "scheduler_lease",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("holder", sa.String(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_scheduler_lease"),
    )
    op.create_table(
        "rate_slot",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("next_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_rate_slot"),
    )


def downgrade() -> None:
    """Drop the scheduler_lease and rate_slot tables."""
    op.drop_table("rate_slot")
    op.drop_table("scheduler_lease")
