"""Add the requisition slip photo (a reference: URL and MIME type) to blood requests.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-08

Frozen like 0001: plain SQLAlchemy types only. Columns are added to blood_request in batch
mode, which on SQLite copies the table.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("slip_url", "slip_content_type")


def upgrade() -> None:
    """Add the nullable slip columns to blood_request."""
    with op.batch_alter_table("blood_request") as batch:
        for column in COLUMNS:
            batch.add_column(sa.Column(column, sa.String(), nullable=True))


def downgrade() -> None:
    """Drop the slip columns."""
    with op.batch_alter_table("blood_request") as batch:
        for column in reversed(COLUMNS):
            batch.drop_column(column)
