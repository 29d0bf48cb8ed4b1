"""Erasing a request's slip queues its Twilio photo for deletion, durably and only once."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from sqlmodel import Session

from storage import media_deletions, outbox
from storage.domain.addresses import Address
from storage.domain.records import Attachment
from storage.services import SqlServices
from tests.storage.conftest import stored_text
from tests.storage.samples import NOW, PHONE, REQUEST, FakePlaces

ACCOUNT = "AC" + "1" * 32
SLIP_URL = (f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Messages/MM{'2' * 32}"
            f"/Media/ME{'3' * 32}")
FAMILY = Address("whatsapp", PHONE)
LEASE = timedelta(minutes=5)


def erase_family_with_slip(session: Session, url: str = SLIP_URL) -> None:
    """File a request with a slip from the family's WhatsApp, queue /show's photo, erase them."""
    services = SqlServices(session, FakePlaces())
    services.create_request(FAMILY, dataclasses.replace(
        REQUEST, slip=Attachment(url, "image/jpeg")), NOW)
    outbox.enqueue(session, address_key="telegram:2002", kind="reply", now=NOW,
                   payload={"text": "Requisition slip", "attachment": {"url": url}})
    services.delete_person(FAMILY, NOW)


def claim(session: Session, minutes: float = 0) -> list[media_deletions.PendingDeletion]:
    return media_deletions.claim_due(session, now=NOW + timedelta(minutes=minutes), limit=10,
                                     lease=LEASE)


def test_erasure_queues_the_twilio_photo_by_its_sids_and_drops_messages_carrying_it(
        session: Session) -> None:
    erase_family_with_slip(session)
    [pending] = claim(session)
    assert (pending.message_sid, pending.media_sid) == ("MM" + "2" * 32, "ME" + "3" * 32)
    stored = stored_text(session)
    assert ACCOUNT not in stored and "Requisition slip" not in stored


def test_a_claimed_deletion_is_leased_then_offered_again(session: Session) -> None:
    erase_family_with_slip(session)
    assert len(claim(session)) == 1
    assert claim(session, minutes=1) == []
    [again] = claim(session, minutes=6)
    assert again.attempts == 2


def test_a_deleted_photo_leaves_the_queue_and_a_failed_one_waits(session: Session) -> None:
    erase_family_with_slip(session)
    [pending] = claim(session)
    media_deletions.retry_later(session, pending.media_sid, due=NOW + timedelta(minutes=2),
                                error="Twilio unreachable")
    assert claim(session, minutes=1) == []
    [pending] = claim(session, minutes=2)
    media_deletions.mark_deleted(session, pending.media_sid)
    assert claim(session, minutes=60) == []


def test_a_telegram_slip_queues_nothing(session: Session) -> None:
    erase_family_with_slip(session, "telegram-file:AgADslip")
    assert claim(session) == []
    assert "AgADslip" not in stored_text(session)
