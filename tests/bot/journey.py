"""A family, two admins and a donor talking to the runtime on a real SQLite file.

Everyone speaks through `Runtime.handle`, the scheduled jobs run on a fake clock, and what
each person receives is read from the outbox, where the courier would pick it up.
"""

from __future__ import annotations

import asyncio
import dataclasses
from dataclasses import dataclass
from datetime import date
from itertools import count
from pathlib import Path

from sqlmodel import Session, col, select

from bot.app import App, build_app
from bot.settings import Settings
from conversations.messages import Address, Inbound
from conversations.state import ConversationState
from storage import audit, turns
from storage.geo import PlaceResolver
from storage.tables import BloodRequest, DonationRow, OutboxRow
from tests.bot.conftest import FakeClock
from tests.bot.followup_world import speaks_english, texts
from tests.conversations.request_chat import ANSWERS
from tests.storage.broadcast_world import World, profile

FAMILY = Address("telegram", "700")
ADMINS = (Address("console", "+919000000001"), Address("console", "+919000000002"))
_ids = count(1)


@dataclass
class Journey:
    """The app, its fake clock, and the donor (their address and person id)."""

    app: App
    clock: FakeClock
    donor: Address
    donor_id: int

    def say(self, who: Address, *lines: str) -> None:
        """Send each line from `who` through the runtime, each turn committed in order."""
        phone = who.user_id if who in ADMINS else None  # as the channel verified it
        for line in lines:
            inbound = Inbound(who, f"j{next(_ids)}", self.clock.now, line, phone=phone)
            asyncio.run(self.app.runtime.handle(inbound))

    def heard(self, who: Address, kind: str | None = None) -> list[str]:
        """Return what `who` was sent (of one kind), oldest first."""
        return texts(self.app, who, kind)

    def notices(self, who: Address) -> list[str]:
        """Return the kinds of everything `who` was sent other than replies, oldest first."""
        with Session(self.app.db) as session:
            kinds = session.exec(select(OutboxRow.kind).where(OutboxRow.address_key == who.key)
                                 .order_by(col(OutboxRow.id))).all()
        return [kind for kind in kinds if kind != "reply"]

    def donations(self) -> list[tuple[str, date]]:
        """Return the donor's recorded donations: (request code, day)."""
        with Session(self.app.db) as session:
            return list(session.exec(
                select(col(BloodRequest.code), col(DonationRow.donated_on))
                .join(BloodRequest, col(BloodRequest.id) == col(DonationRow.request_id))
                .where(DonationRow.person_id == self.donor_id)).all())

    def step(self, who: Address) -> str | None:
        """Return the step `who` is at, or None outside any flow."""
        with Session(self.app.db) as session:
            return ConversationState.from_json(turns.load_conversation(session, who.key)).step

    def audited(self, code: str) -> list[str]:
        """Return the actions audited about request `code`, oldest first."""
        with Session(self.app.db) as session:
            return [entry.action for entry in audit.history(session, f"request:{code}")]


def start_journey(tmp_path: Path, clock: FakeClock) -> Journey:
    """Build the app with two super-admins and one registered donor at the hospital's PIN."""
    app = build_app(Settings(database_url=f"sqlite:///{tmp_path / 'bot.db'}",
                             admin_phones=[admin.user_id for admin in ADMINS]), clock=clock)
    here = PlaceResolver().resolve(ANSWERS["hospital_place"])
    assert here is not None
    with Session(app.db) as session, session.begin():
        world = World(session)
        donor_id = world.add(dataclasses.replace(profile("B+"), place=here), at=clock.now)
        donor = world.addresses[donor_id]
        speaks_english(session, donor, clock)
    return Journey(app, clock, donor, donor_id)


def file_request(journey: Journey) -> str:
    """Walk the family through the request flow with the usual answers; return the code."""
    journey.say(FAMILY, "hello", "1", "1")  # English, then "Request blood for a patient"
    for _turn in range(40):
        step = journey.step(FAMILY)
        if step is None:
            break
        journey.say(FAMILY, ANSWERS[step])
    with Session(journey.app.db) as session:
        return session.exec(select(BloodRequest.code).where(
            BloodRequest.requester_address_key == FAMILY.key)).one()


def approve(journey: Journey, admin: Address, code: str) -> None:
    """Approve `code` as `admin`: ward called, slip seen, name matches, no note."""
    journey.say(admin, "hello", "1", f"/approve {code}", "1", "1", "1", "skip")
