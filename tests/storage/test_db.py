"""The engine and schema: WAL, foreign keys, UTC datetimes, and migrations that match."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, exc, inspect
from sqlmodel import Session, SQLModel

from storage.db import alembic_config, make_engine, session_scope, upgrade_schema
from storage.tables import DeferralRow, InboundMessage
from tests.storage.samples import KOLKATA


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_engine: Engine) -> None:
    with sqlite_engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_a_row_pointing_at_a_missing_person_is_refused(session: Session) -> None:
    session.add(DeferralRow(person_id=999, kind="malaria", since=date(2026, 1, 1), ongoing=False))
    with pytest.raises(exc.IntegrityError):
        session.flush()


def test_datetimes_come_back_aware_in_utc(engine: Engine) -> None:
    received = datetime(2026, 12, 4, 14, 0, 0, 250000, tzinfo=KOLKATA)
    with session_scope(engine) as session:
        session.add(InboundMessage(channel="telegram", external_id="1", received_at=received))
    with Session(engine) as session:
        loaded = session.get(InboundMessage, ("telegram", "1"))
    assert loaded is not None and loaded.received_at == received
    assert loaded.received_at.tzinfo is UTC and loaded.received_at.hour == 8


def test_a_naive_datetime_is_refused(session: Session) -> None:
    session.add(InboundMessage(channel="telegram", external_id="1",
                               received_at=datetime(2026, 12, 4, 14, 0)))
    with pytest.raises(exc.StatementError, match="naive"):
        session.flush()


def test_a_failed_scope_is_rolled_back(engine: Engine) -> None:
    with pytest.raises(RuntimeError), session_scope(engine) as session:
        session.add(InboundMessage(channel="telegram", external_id="1",
                                   received_at=datetime.now(UTC)))
        session.flush()
        raise RuntimeError("step failed")
    with Session(engine) as session:
        assert session.get(InboundMessage, ("telegram", "1")) is None


def test_upgrading_a_fresh_file_creates_every_table_and_can_repeat(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'new.db'}")
    upgrade_schema(engine)
    upgrade_schema(engine)
    tables = set(inspect(engine).get_table_names())
    assert tables == set(SQLModel.metadata.tables) | {"alembic_version"}
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT version_num FROM alembic_version").all() \
            == [(ScriptDirectory.from_config(alembic_config()).get_current_head(),)]
    engine.dispose()


def test_the_migrations_match_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []


def test_foreign_keys_are_back_on_after_upgrading(sqlite_engine: Engine) -> None:
    upgrade_schema(sqlite_engine)
    with sqlite_engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
