"""Add outbox.send_started_at: a broadcast whose send was interrupted is never sent twice.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-10

Frozen like 0001: plain SQLAlchemy types only. A nullable column is added in place (batch
mode on SQLite adds it without copying the table).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the nullable send_started_at column to outbox."""
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("send_started_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    """Drop outbox.send_started_at."""
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("send_started_at")
