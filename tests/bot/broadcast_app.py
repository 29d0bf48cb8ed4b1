"""An app on a real database with a few donors around a Lucknow hospital and one request."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import timedelta
from itertools import count

from sqlmodel import Session, col, select

from bot.app import App, build_app
from bot.settings import Settings
from conversations.messages import Address, Inbound
from conversations.state import ConversationState
from storage import turns
from storage.domain.eligibility import Donation, DonationKind
from storage.domain.records import RequestStatus
from storage.tables import OutboxRow
from tests.bot.conftest import FakeClock
from tests.storage.broadcast_world import NOW, World, profile

ADMIN = Address("console", "+919000000001")
FAMILY = Address("telegram", "9")
_ids = count(1)


@dataclass
class Network:
    """The app, the donors' address keys by nickname, and the verified request's code."""

    app: App
    keys: dict[str, str]
    code: str


def build_network(db_url: str, clock: FakeClock) -> Network:
    """Store six donors (two of whom should be alerted at 5 km) and a pending B+ request."""
    app = build_app(Settings(database_url=db_url,
                             admin_phones=[ADMIN.user_id]), clock=clock)
    last_month = Donation(NOW.date() - timedelta(days=30), DonationKind.WHOLE_BLOOD)
    with Session(app.db) as session, session.begin():
        world = World(session)
        ids = {"near": world.add(profile("B+", km=1)), "o_neg": world.add(profile("O-", km=2)),
               "a_pos": world.add(profile("A+", km=1)), "far": world.add(profile("B+", km=8)),
               "gave_lately": world.add(profile("B+", km=1, last=last_month)),
               "alerts_off": world.add(profile("B+", km=1, alerts=False))}
        world.request("B+", status=RequestStatus.PENDING_VERIFICATION)  # the family's first
        code = world.request("B+", status=RequestStatus.PENDING_VERIFICATION)
        keys = {name: world.key(pid) for name, pid in ids.items()}
        for key in [*keys.values(), FAMILY.key]:
            turns.save_conversation(session, key, ConversationState(lang="en").to_json(), NOW)
    return Network(app, keys, code)


def say(app: App, address: Address, *texts: str, phone: str | None = None) -> None:
    """Send messages from `address` through the runtime, each committed before the next."""
    async def run() -> None:
        for text in texts:
            await app.runtime.handle(Inbound(address, f"m{next(_ids)}", app.clock(), text,
                                             phone=phone))
    asyncio.run(run())


def approve(app: App, code: str) -> None:
    """Approve `code` as the super-admin, answering the checklist."""
    say(app, ADMIN, "hello", "1", f"/approve {code}", "1", "1", "1", "skip",
        phone=ADMIN.user_id)


def outbox(app: App, kind: str) -> list[tuple[str, str]]:
    """Return (address key, text) of every queued message of `kind`, oldest first."""
    with Session(app.db) as session:
        rows = session.exec(select(OutboxRow).where(OutboxRow.kind == kind)
                            .order_by(col(OutboxRow.id))).all()
        return [(row.address_key, json.loads(row.payload)["text"]) for row in rows]
