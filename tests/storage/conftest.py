"""Fixtures for storage tests: a fresh, migrated SQLite file per test, never a shared one."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session, SQLModel

import storage.tables  # noqa: F401 - registers every table
from storage.db import make_engine, upgrade_schema


def migrated_sqlite(tmp_path: Path) -> Engine:
    """Create and migrate a database file under the test's own directory."""
    built = make_engine(f"sqlite:///{tmp_path / 'bloodbot.db'}")
    upgrade_schema(built)
    return built


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    """A fresh migrated SQLite file, for what only SQLite has (WAL, pragmas)."""
    built = migrated_sqlite(tmp_path)
    yield built
    built.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A fresh migrated database: a SQLite file, and a PostgreSQL schema if one is set."""
    if request.param == "postgresql":
        with postgres_engine() as built:
            yield built
        return
    built = migrated_sqlite(tmp_path)
    yield built
    built.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """Open one transaction, like a turn; it is rolled back at the end."""
    with Session(engine) as opened:
        yield opened


@contextmanager
def postgres_engine() -> Iterator[Engine]:
    """Migrate a throw-away schema on TEST_POSTGRES_URL; skip the test when it is not set."""
    url = os.environ.get("TEST_POSTGRES_URL")
    if not url:
        pytest.skip("TEST_POSTGRES_URL is not set")
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = make_engine(url)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    built = make_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        upgrade_schema(built)
        yield built
    finally:
        built.dispose()
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


def stored_text(session: Session) -> str:
    """Return every value in every table as one string, to search for personal data."""
    session.flush()
    values = [str(value) for table in SQLModel.metadata.sorted_tables
              for row in session.connection().execute(select(table)) for value in row]
    return "\n".join(values)
