"""Scheduled jobs with a fake clock: requests pending too long are raised to super-admins."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from sqlmodel import Session, select

from bot.app import App, build_app
from bot.jobs import escalate_pending
from bot.settings import Settings
from conversations.messages import Address, Inbound
from storage.geo import PlaceResolver
from storage.services import SqlServices
from storage.tables import OutboxRow
from tests.bot.conftest import FakeClock
from tests.storage.samples import REQUEST

ADMIN = Address("console", "+919000000001")


@pytest.fixture
def admin_app(db_url: str, clock: FakeClock) -> Iterator[App]:
    app = build_app(Settings(database_url=db_url,
                             admin_phones=["+919000000001"]), clock=clock)
    hello = Inbound(ADMIN, "a1", clock.now, "hello", phone="+919000000001")
    asyncio.run(app.runtime.handle(hello))
    with Session(app.db) as session, session.begin():
        SqlServices(session, PlaceResolver()).create_request(Address("console", "fam"),
                                                             REQUEST, clock.now)
    yield app
    app.db.dispose()


def escalations(app: App) -> list[OutboxRow]:
    with Session(app.db) as session:
        return list(session.exec(select(OutboxRow).where(OutboxRow.kind == "admin_escalation")))


def test_a_request_pending_past_the_limit_is_raised_once(admin_app: App,
                                                         clock: FakeClock) -> None:
    clock.advance(minutes=14)
    assert escalate_pending(admin_app) == 0
    clock.advance(minutes=2)
    assert escalate_pending(admin_app) == 1
    assert escalate_pending(admin_app) == 0
    rows = escalations(admin_app)
    assert [row.address_key for row in rows] == [ADMIN.key]
    assert "Still waiting for verification after 15 minutes" in rows[0].payload
    assert "+9198" not in rows[0].payload
