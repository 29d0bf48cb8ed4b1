"""Fixtures for storage tests: a fresh, migrated SQLite file per test, never a shared one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session, SQLModel

import storage.tables  # noqa: F401 - registers every table
from storage.db import make_engine, upgrade_schema
from tests.databases import postgres_databases


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
    """A fresh migrated database: a SQLite file, and a PostgreSQL database if one is set."""
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
    """Open a fresh migrated database on TEST_POSTGRES_URL; skip the test when it is not set."""
    with postgres_databases().fresh() as url:
        built = make_engine(url)
        try:
            yield built
        finally:
            built.dispose()


def stored_text(session: Session) -> str:
    """Return every value in every table as one string, to search for personal data."""
    session.flush()
    values = [str(value) for table in SQLModel.metadata.sorted_tables
              for row in session.connection().execute(select(table)) for value in row]
    return "\n".join(values)
