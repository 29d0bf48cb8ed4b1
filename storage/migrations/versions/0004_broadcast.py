"""Add broadcast waves, donor alerts and pledges, and the donor columns the nearby search uses.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06

Frozen like 0001: plain SQLAlchemy types only, and the grid formula of
`storage.domain.grid` copied here to fill `grid_cell` for donors already stored. Their first
eligible days stay NULL (checked in full) until their profile is next saved.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CELL_DEGREES = 0.1  # storage.domain.grid.CELL_DEGREES on 2026-12-06
UNFINISHED = "finished_at IS NULL"
UNANSWERED = "response = 'none'"


def _cell(latitude: float, longitude: float) -> int:
    return (math.floor((latitude + 90.0) / CELL_DEGREES) * 10_000
            + math.floor((longitude + 180.0) / CELL_DEGREES))


def _time(name: str, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(), nullable=nullable)


def _int(name: str) -> sa.Column[int]:
    return sa.Column(name, sa.Integer(), nullable=False)


def _fk(column: str, table: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [target], name=f"fk_{table}_{column}_{target.split('.')[0]}", ondelete="CASCADE")


def upgrade() -> None:
    """Add the donor search columns, fill the grid cells, and create the broadcast tables."""
    with op.batch_alter_table("donor") as batch:
        batch.add_column(sa.Column("grid_cell", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("eligible_from", sa.Date(), nullable=True))
        batch.add_column(sa.Column("apheresis_from", sa.Date(), nullable=True))
        batch.add_column(sa.Column("ignored_in_row", sa.Integer(), nullable=False,
                                   server_default="0"))
    donor = sa.table("donor", sa.column("person_id", sa.Integer()),
                     sa.column("latitude", sa.Float()), sa.column("longitude", sa.Float()),
                     sa.column("grid_cell", sa.Integer()))
    bind = op.get_bind()
    cells = [{"pid": pid, "cell": _cell(lat, lon)} for pid, lat, lon in bind.execute(
        sa.select(donor.c.person_id, donor.c.latitude, donor.c.longitude))]
    if cells:
        bind.execute(donor.update().where(donor.c.person_id == sa.bindparam("pid"))
                     .values(grid_cell=sa.bindparam("cell")), cells)
    with op.batch_alter_table("donor") as batch:
        batch.alter_column("grid_cell", existing_type=sa.Integer(), nullable=False)
    op.create_index("ix_donor_nearby", "donor", ["grid_cell", "blood_group", "latitude"])

    op.create_table(
        "broadcast_wave", _int("id"), _int("request_id"), _int("number"),
        sa.Column("radius_km", sa.Float(), nullable=False), _time("due_at"),
        _time("claimed_until", True), _time("started_at", True), _time("finished_at", True),
        _int("alerted"), sa.Column("stop_reason", sa.String(), nullable=True),
        _fk("request_id", "broadcast_wave", "blood_request.id"),
        sa.PrimaryKeyConstraint("id", name="pk_broadcast_wave"),
        sa.UniqueConstraint("request_id", "number", name="uq_broadcast_wave_request_id"),
    )
    op.create_index("ix_broadcast_wave_due", "broadcast_wave", ["due_at"],
                    sqlite_where=sa.text(UNFINISHED), postgresql_where=sa.text(UNFINISHED))
    op.create_table(
        "donor_alert", _int("id"), _int("request_id"), _int("person_id"), _int("wave_number"),
        sa.Column("address_key", sa.String(), nullable=False), _time("created_at"),
        sa.Column("response", sa.String(), nullable=False), _time("responded_at", True),
        _fk("request_id", "donor_alert", "blood_request.id"),
        _fk("person_id", "donor_alert", "person.id"),
        sa.PrimaryKeyConstraint("id", name="pk_donor_alert"),
        sa.UniqueConstraint("request_id", "person_id", name="uq_donor_alert_request_id"),
    )
    op.create_index("ix_donor_alert_recent", "donor_alert", ["person_id", "created_at"])
    op.create_index("ix_donor_alert_unanswered", "donor_alert", ["created_at"],
                    sqlite_where=sa.text(UNANSWERED), postgresql_where=sa.text(UNANSWERED))
    op.create_table(
        "pledge", _int("id"), _int("request_id"), _int("person_id"), _time("eta"),
        sa.Column("status", sa.String(), nullable=False), _time("created_at"),
        _time("updated_at"),
        _fk("request_id", "pledge", "blood_request.id"), _fk("person_id", "pledge", "person.id"),
        sa.PrimaryKeyConstraint("id", name="pk_pledge"),
        sa.UniqueConstraint("request_id", "person_id", name="uq_pledge_request_id"),
    )
    op.create_index("ix_pledge_person_id", "pledge", ["person_id"])


def downgrade() -> None:
    """Drop the broadcast tables and the donor search columns."""
    for table in ("pledge", "donor_alert", "broadcast_wave"):
        op.drop_table(table)
    op.drop_index("ix_donor_nearby", table_name="donor")
    with op.batch_alter_table("donor") as batch:
        for column in ("ignored_in_row", "apheresis_from", "eligible_from", "grid_cell"):
            batch.drop_column(column)
