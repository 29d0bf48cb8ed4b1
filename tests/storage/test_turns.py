"""A turn's bookkeeping: redeliveries ignored, state kept, addresses linked by phone."""

from __future__ import annotations

import dataclasses

from sqlalchemy import Engine
from sqlmodel import Session

from storage import turns
from storage.db import session_scope
from storage.domain.addresses import Address
from storage.services import SqlServices
from tests.storage.samples import DONOR, NOW, PHONE, FakePlaces

TELEGRAM = Address("telegram", "1001")
WHATSAPP = Address("whatsapp", PHONE)


def claim(session: Session, external_id: str, channel: str = "telegram") -> bool:
    return turns.claim_inbound(session, channel=channel, external_id=external_id, now=NOW)


def test_a_message_is_claimed_once_even_after_a_restart(engine: Engine) -> None:
    with session_scope(engine) as session:
        assert claim(session, "42") is True
        assert claim(session, "42") is False
        assert claim(session, "42", channel="whatsapp") is True
    with session_scope(engine) as session:
        assert claim(session, "42") is False


def test_a_rolled_back_turn_leaves_the_message_unclaimed(engine: Engine) -> None:
    with Session(engine) as session:
        claim(session, "7")
        session.rollback()
        assert claim(session, "7") is True


def test_conversation_state_is_saved_and_replaced(session: Session) -> None:
    assert turns.load_conversation(session, TELEGRAM.key) is None
    turns.save_conversation(session, TELEGRAM.key, '{"lang": "hi", "step": "name"}', NOW)
    turns.save_conversation(session, TELEGRAM.key, '{"lang": "hi", "step": "phone"}', NOW)
    assert turns.load_conversation(session, TELEGRAM.key) == '{"lang": "hi", "step": "phone"}'
    assert turns.language_of(session, TELEGRAM.key) == "hi"


def test_the_language_falls_back_to_the_donor_profile(session: Session) -> None:
    SqlServices(session, FakePlaces()).save_donor_profile(TELEGRAM, DONOR, NOW)
    turns.save_conversation(session, TELEGRAM.key, "{}", NOW)
    assert turns.language_of(session, TELEGRAM.key) == DONOR.language
    assert turns.language_of(session, "telegram:nobody") is None


def test_a_verified_phone_links_a_new_channel_to_the_donor(session: Session) -> None:
    services = SqlServices(session, FakePlaces())
    turns.remember_address(session, WHATSAPP, now=NOW, phone=PHONE, display_name="Asha")
    services.save_donor_profile(WHATSAPP, DONOR, NOW)
    turns.remember_address(session, TELEGRAM, now=NOW, phone=None, display_name="asha_v")
    assert services.donor_profile(TELEGRAM) is None
    turns.remember_address(session, TELEGRAM, now=NOW, phone=PHONE, display_name="asha_v")
    assert services.donor_profile(TELEGRAM) == DONOR


def test_a_typed_phone_never_links_someone_else_in(session: Session) -> None:
    services = SqlServices(session, FakePlaces())
    services.save_donor_profile(TELEGRAM, DONOR, NOW)  # phone typed, not verified
    turns.remember_address(session, WHATSAPP, now=NOW, phone=PHONE, display_name=None)
    assert services.donor_profile(WHATSAPP) is None
    services.save_donor_profile(WHATSAPP, dataclasses.replace(DONOR, name="Other"), NOW)
    assert services.donor_profile(TELEGRAM) == DONOR
