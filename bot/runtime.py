"""The turn runtime: one lock per address and one transaction per inbound message."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine as DbEngine
from sqlmodel import Session

from bot.throttle import Throttle
from conversations.engine import Engine
from conversations.i18n import Translator
from conversations.menu import APOLOGY, SLOW_DOWN
from conversations.messages import Inbound, Outbound
from conversations.state import ConversationState
from storage import outbox, turns
from storage.domain.phones import mask_phone
from storage.geo import PlaceResolver
from storage.services import SqlServices

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class TurnOutcome:
    """How a turn ended: handled, a redelivery ignored, or failed and apologised for."""

    status: str
    replies: int = 0


def masked(inbound: Inbound) -> str:
    """Return the sender's address with any phone number masked, for logs."""
    user = inbound.address.user_id
    shown = mask_phone(user) if user.startswith("+") else user[:3] + "…"
    return f"{inbound.address.channel}:{shown}"


class Runtime:
    """Turn inbound messages into committed state and outbox rows."""

    def __init__(self, *, db: DbEngine, engine: Engine, places: PlaceResolver,
                 clock: Clock, max_messages_per_minute: int = 20) -> None:
        self.db = db
        self.engine = engine
        self.places = places
        self.clock = clock
        self.throttle = Throttle(max_messages_per_minute)
        self._locks: dict[str, asyncio.Lock] = {}
        self.on_committed: Callable[[], None] | None = None
        """Called in the event loop after a turn commits (the server wakes the courier)."""

    async def handle(self, inbound: Inbound) -> TurnOutcome:
        """Process one message; returns after the turn is committed (or apologised for)."""
        lock = self._locks.setdefault(inbound.address.key, asyncio.Lock())
        now = self.clock()
        async with lock:
            if self.throttle.admit(inbound.address.key, now):
                outcome = await asyncio.to_thread(self.process, inbound)
            else:
                warn = self.throttle.should_warn(inbound.address.key, now)
                outcome = await asyncio.to_thread(self._slow_down, inbound, warn)
        if self.on_committed is not None and outcome.status != "duplicate":
            self.on_committed()
        return outcome

    def process(self, inbound: Inbound) -> TurnOutcome:
        """Run one turn synchronously in a single transaction."""
        now = self.clock()
        try:
            with Session(self.db) as session, session.begin():
                return self._turn(session, inbound, now)
        except Exception:
            log.exception("turn failed for %s (message %s)", masked(inbound),
                          inbound.external_id)
            return self._apologise(inbound, now)

    def _turn(self, session: Session, inbound: Inbound, now: datetime) -> TurnOutcome:
        address = inbound.address
        if not turns.claim_inbound(session, channel=address.channel,
                                   external_id=inbound.external_id, now=now):
            log.info("ignored redelivered message %s", inbound.external_id)
            return TurnOutcome("duplicate")
        turns.remember_address(session, address, now=now, phone=inbound.phone,
                               display_name=inbound.display_name)
        state = ConversationState.from_json(turns.load_conversation(session, address.key))
        if state.lang is None:  # a donor's new address (a linked phone) keeps their language
            state.lang = turns.language_of(session, address.key)
        services = SqlServices(session, self.places)
        result = self.engine.step(state, inbound, services, now)
        turns.save_conversation(session, address.key, result.state.to_json(), now)
        for index, reply in enumerate(result.replies):
            outbox.enqueue(session, address_key=address.key, payload=reply.to_json(),
                           kind="reply", now=now,
                           idempotency_key=f"reply:{address.key}:{inbound.external_id}:{index}")
        for note in result.notifications:
            outbox.enqueue(session, address_key=note.recipient.key,
                           payload=note.message.to_json(), kind=note.kind, now=now,
                           idempotency_key=note.idempotency_key)
        return TurnOutcome("handled", len(result.replies))

    def _slow_down(self, inbound: Inbound, warn: bool) -> TurnOutcome:
        """Drop a message over the rate limit, telling the user once per minute."""
        address, now = inbound.address, self.clock()
        log.warning("slowing down %s: too many messages", masked(inbound))
        with Session(self.db) as session, session.begin():
            if not turns.claim_inbound(session, channel=address.channel,
                                       external_id=inbound.external_id, now=now):
                return TurnOutcome("duplicate")
            if warn and inbound.group is None:  # never write privately about a group
                text = Translator(turns.language_of(session, address.key) or "en").t(SLOW_DOWN)
                outbox.enqueue(session, address_key=address.key,
                               payload=Outbound(text).to_json(), kind="reply", now=now,
                               idempotency_key=f"slow:{address.key}:{inbound.external_id}")
        return TurnOutcome("throttled")

    def _apologise(self, inbound: Inbound, now: datetime) -> TurnOutcome:
        """Queue one apology in the user's language; never raise from here."""
        address = inbound.address
        if inbound.group is not None:  # a command typed in a group: no private apology
            return TurnOutcome("failed")
        try:
            with Session(self.db) as session, session.begin():
                text = Translator(turns.language_of(session, address.key) or "en").t(APOLOGY)
                outbox.enqueue(session, address_key=address.key,
                               payload=Outbound(text).to_json(), kind="apology", now=now,
                               idempotency_key=f"apology:{address.key}:{inbound.external_id}")
        except Exception:
            log.exception("could not queue an apology for %s", masked(inbound))
        return TurnOutcome("failed")
