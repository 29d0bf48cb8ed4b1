"""What the runtime does in each turn's transaction: de-duplicate, remember, load and save."""

from __future__ import annotations

import json
from datetime import datetime

from sqlmodel import Session, select

from storage.db import insert_unless_exists
from storage.domain.addresses import Address
from storage.tables import AddressRow, Conversation, Donor, InboundMessage, Person


def claim_inbound(session: Session, *, channel: str, external_id: str, now: datetime) -> bool:
    """Record a message as handled; False when it was seen before (a redelivery)."""
    return insert_unless_exists(
        session, InboundMessage,
        {"channel": channel, "external_id": external_id, "received_at": now},
        key=("channel", "external_id"),
    )


def ensure_address(session: Session, address: Address, now: datetime) -> AddressRow:
    """Return the address row, creating a bare one (no phone, no name) if it is new."""
    insert_unless_exists(
        session, AddressRow,
        {"key": address.key, "channel": address.channel, "user_id": address.user_id,
         "created_at": now},
        key=("key",),
    )
    row = session.get(AddressRow, address.key)
    if row is None:  # pragma: no cover - the insert above guarantees the row
        raise LookupError(f"address {address.channel} vanished")
    return row


def remember_address(session: Session, address: Address, *, now: datetime,
                     phone: str | None, display_name: str | None) -> None:
    """Note that the address wrote now; link it to the person whose verified phone it has.

    `phone` must be verified by the channel (a WhatsApp sender, a Telegram contact shared by
    its owner): a phone someone merely typed never links an address to a person.
    """
    row = ensure_address(session, address, now)
    row.last_inbound_at = now
    row.unreachable_at = None  # they wrote to us, so they can be reached again
    if display_name:
        row.display_name = display_name
    if phone:
        row.phone = phone
        owner = session.exec(select(Person).where(Person.verified_phone == phone)).first()
        if row.person_id is None and owner is not None:
            row.person_id = owner.id
        elif row.person_id is not None and owner is None:
            person = session.get(Person, row.person_id)
            if person is not None and person.verified_phone is None:
                person.verified_phone = phone
                session.add(person)
    session.add(row)
    session.flush()


def load_conversation(session: Session, address_key: str) -> str | None:
    """Return the stored conversation state JSON, or None for a new address."""
    row = session.get(Conversation, address_key)
    return None if row is None else row.state


def save_conversation(session: Session, address_key: str, state_json: str,
                      now: datetime) -> None:
    """Store the conversation state JSON (and the language it names) for the address."""
    ensure_address(session, Address.from_key(address_key), now)
    row = session.get(Conversation, address_key)
    if row is None:
        row = Conversation(address_key=address_key, state=state_json, updated_at=now)
    row.state = state_json
    row.language = _language_in(state_json)
    row.updated_at = now
    session.add(row)
    session.flush()


def language_of(session: Session, address_key: str) -> str | None:
    """Return the language the address chose, else its donor profile's, else None."""
    conversation = session.get(Conversation, address_key)
    if conversation is not None and conversation.language:
        return conversation.language
    statement = (
        select(Donor.language)
        .join(AddressRow, AddressRow.person_id == Donor.person_id)  # type: ignore[arg-type]
        .where(AddressRow.key == address_key)
    )
    return session.exec(statement).first()


def _language_in(state_json: str) -> str | None:
    """Read the "lang" the conversation state carries, if any."""
    try:
        state = json.loads(state_json)
    except ValueError:
        return None
    lang = state.get("lang") if isinstance(state, dict) else None
    return lang if isinstance(lang, str) and lang else None
