"""Fixtures for runtime tests: a real database (SQLite, and PostgreSQL when set), a fake clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from itertools import count
from pathlib import Path

import pytest

from bot.app import App, build_app
from bot.settings import Settings
from conversations.messages import Address, Inbound, Outbound
from tests.databases import postgres_databases


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 4, 8, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        """Move the clock forward."""
        self.now += timedelta(**delta)


class RecordingSender:
    """A console-like sender that keeps what it was asked to send."""

    channel = "console"

    def __init__(self) -> None:
        self.sent: list[tuple[str, Outbound]] = []
        self.failures: list[Exception] = []

    async def send(self, user_id: str, message: Outbound) -> None:
        """Record the message, or raise the next queued failure."""
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append((user_id, message))

    def texts(self, user_id: str | None = None) -> list[str]:
        """Return the texts sent (to one user, or to anyone)."""
        return [m.text for u, m in self.sent if user_id in (None, u)]


_ids = count(1)


def inbound(text: str, user: str = "asha", external_id: str | None = None) -> Inbound:
    """Build a console message from `user`."""
    return Inbound(Address("console", user), external_id or f"m{next(_ids)}",
                   datetime(2026, 12, 4, 8, 30, tzinfo=UTC), text)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database: a new SQLite file, and a migrated PostgreSQL one if one is set."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'bot.db'}"
        return
    yield request.getfixturevalue("postgres_url")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh migrated PostgreSQL database; skip the test without TEST_POSTGRES_URL."""
    with postgres_databases().fresh() as url:
        yield url


@pytest.fixture
def app(db_url: str, clock: FakeClock) -> Iterator[App]:
    built = build_app(Settings(database_url=db_url), clock=clock)
    yield built
    built.db.dispose()
