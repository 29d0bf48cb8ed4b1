"""A verified request with one alerted donor who pledged, in the app's database."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, col, select

from bot.app import App
from conversations.messages import Address, Inbound
from conversations.state import ConversationState
from storage import turns
from storage.broadcast import start_broadcast
from storage.responses import pledge
from storage.tables import OutboxRow
from tests.bot.conftest import FakeClock
from tests.storage.broadcast_world import World, profile
from tests.storage.wave_runner import tick

FAMILY = Address("telegram", "9")
"""Who filed the request (World.request files from here)."""


@dataclass
class Scene:
    """The request's code, the donor's person id and address."""

    code: str
    donor: int
    donor_address: Address


def pledged_scene(app: App, clock: FakeClock, *, required_hours: float = 24) -> Scene:
    """Store a donor and a verified request; run wave 1; the donor pledges to come in 1 h."""
    with Session(app.db) as session, session.begin():
        world = World(session)
        donor = world.add(profile())
        code = world.request(required_by=clock.now + timedelta(hours=required_hours))
        start_broadcast(session, request_code=code, now=clock.now)
        tick(session, clock.now)
        pledge(session, request_code=code, person_id=donor, eta=clock.now + timedelta(hours=1),
               now=clock.now)
        address = world.addresses[donor]
        speaks_english(session, address, clock)
        speaks_english(session, FAMILY, clock)
    return Scene(code, donor, address)


def speaks_english(session: Session, who: Address, clock: FakeClock) -> None:
    """Store a conversation in English for `who`, as after sign-up."""
    turns.save_conversation(session, who.key, ConversationState(lang="en").to_json(), clock.now)


def say(app: App, clock: FakeClock, who: Address, text: str,
        phone: str | None = None) -> None:
    """Send one message through the runtime (with the channel-verified `phone`)."""
    external = f"m{who.key}{clock.now.timestamp()}{text}"
    asyncio.run(app.runtime.handle(Inbound(who, external, clock.now, text, phone=phone)))


def texts(app: App, who: Address, kind: str | None = None) -> list[str]:
    """Return the texts queued for `who` (of one kind), oldest first."""
    with Session(app.db) as session:
        rows = session.exec(select(OutboxRow).where(OutboxRow.address_key == who.key)
                            .order_by(col(OutboxRow.id))).all()
    return [json.loads(row.payload)["text"] for row in rows if kind in (None, row.kind)]
