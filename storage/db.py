"""Build the engine, store datetimes as UTC, insert without races, and upgrade the schema."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib.resources import files
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import (
    Connection,
    DateTime,
    Dialect,
    Engine,
    create_engine,
    event,
    literal_column,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.sql.elements import ColumnClause
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session, SQLModel

log = logging.getLogger(__name__)

DEFAULT_DATABASE_URL = "sqlite:///bloodbot.db"
"""A file in the working directory; settings pass an absolute path instead."""

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",  # readers never block the writer
    "PRAGMA foreign_keys=ON",  # off by default in SQLite
    "PRAGMA busy_timeout=5000",  # wait up to 5 s for another writer instead of failing
    "PRAGMA synchronous=NORMAL",  # safe with WAL; a power cut loses at most the last commits
)


class UTCDateTime(TypeDecorator[datetime]):
    """Store an aware datetime as naive UTC and read it back aware, in UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Refuse a naive datetime; convert an aware one to naive UTC."""
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r} refused: pass a timezone-aware one")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Mark a stored naive UTC datetime as UTC."""
        return None if value is None else value.replace(tzinfo=UTC)


def is_sqlite(url: str) -> bool:
    """Tell whether a database URL names SQLite."""
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(url: str = DEFAULT_DATABASE_URL, **options: Any) -> Engine:
    """Create an engine; on SQLite, turn on WAL and foreign keys and begin writes up front."""
    engine = create_engine(url, **options)
    if engine.dialect.name != "sqlite":
        return engine

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Hand BEGIN to SQLAlchemy (below) instead of the sqlite3 module's legacy mode.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # IMMEDIATE takes the write lock when the transaction starts, so a turn that reads and
        # then writes never fails half-way with "database is locked"; others wait busy_timeout.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """Open a session in one transaction: commit when the block ends, roll back if it raises."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        yield session


def insert_unless_exists(session: Session, model: type[SQLModel], values: Mapping[str, Any],
                         *, key: Sequence[str]) -> bool:
    """Insert one row unless one with the same unique `key` exists; tell whether it did.

    One INSERT … ON CONFLICT DO NOTHING, so two transactions racing cannot both insert.
    """
    dialect = session.get_bind().dialect.name
    marker: ColumnClause[int] = literal_column("1")  # a row comes back only if inserted
    if dialect == "sqlite":
        lite = sqlite.insert(model).values(dict(values))
        statement = lite.on_conflict_do_nothing(index_elements=list(key)).returning(marker)
        return session.exec(statement).first() is not None
    if dialect == "postgresql":
        pg = postgresql.insert(model).values(dict(values))
        statement = pg.on_conflict_do_nothing(index_elements=list(key)).returning(marker)
        return session.exec(statement).first() is not None
    raise NotImplementedError(f"no INSERT … ON CONFLICT for {dialect}")


def alembic_config(connection: Connection | None = None) -> Config:
    """Build the Alembic configuration in code, pointing at the migrations shipped here."""
    config = Config()
    config.set_main_option("script_location", str(files("storage") / "migrations"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade_schema(engine: Engine) -> None:
    """Bring the database schema up to the newest migration; a no-op when it is current."""
    with engine.connect() as connection:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:
            # Batch migrations copy and drop tables; with foreign keys on, dropping a parent
            # would cascade-delete its children. Check the keys once at the end instead.
            connection.connection.driver_connection.execute(  # type: ignore[union-attr]
                "PRAGMA foreign_keys=OFF")
        try:
            command.upgrade(alembic_config(connection), "head")
            if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                raise RuntimeError("a migration left rows breaking a foreign key")
            connection.commit()
        finally:
            if sqlite:
                connection.rollback()
                connection.connection.driver_connection.execute(  # type: ignore[union-attr]
                    "PRAGMA foreign_keys=ON")
    log.info("database schema is up to date")

