"""Add provider delivery receipts for outbox rows and per-kind send pauses (WhatsApp).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05

Frozen like 0001: plain SQLAlchemy types only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(name: str, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(), nullable=nullable)


def _time(name: str, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(), nullable=nullable)


def upgrade() -> None:
    """Create the delivery and send_pause tables."""
    op.create_table(
        "delivery", _text("sid"), sa.Column("outbox_id", sa.Integer(), nullable=False),
        _text("channel"), _text("template", True), _text("status"),
        sa.Column("error_code", sa.Integer(), nullable=True),
        _time("created_at"), _time("updated_at"), _time("delivered_at", True),
        _time("read_at", True), _time("failed_at", True),
        sa.ForeignKeyConstraint(["outbox_id"], ["outbox.id"],
                                name="fk_delivery_outbox_id_outbox", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("sid", name="pk_delivery"),
    )
    op.create_index("ix_delivery_outbox_id", "delivery", ["outbox_id"], unique=False)
    op.create_table(
        "send_pause", _text("channel"), _text("kind"), _time("paused_until"), _text("reason"),
        _time("set_at"),
        sa.PrimaryKeyConstraint("channel", "kind", name="pk_send_pause"),
    )


def downgrade() -> None:
    """Drop the delivery and send_pause tables."""
    op.drop_table("send_pause")
    op.drop_index("ix_delivery_outbox_id", table_name="delivery")
    op.drop_table("delivery")
