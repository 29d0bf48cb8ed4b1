"""Deleting a person on SQL: nothing personal survives anywhere, anonymous counts do."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from storage import audit, outbox, turns
from storage.domain.addresses import Address
from storage.domain.admin import Checklist
from storage.domain.records import Attachment, RequestStatus
from storage.services import SqlServices
from storage.tables import BloodRequest, DonationRow
from tests.storage.conftest import stored_text
from tests.storage.samples import DONOR, NOW, PHONE, REQUEST, FakePlaces

TELEGRAM = Address("telegram", "1001")
WHATSAPP = Address("whatsapp", PHONE)
RAVI = Address("telegram", "2002")
SLIP = Attachment("https://api.twilio.com/2010-04-01/Media/ME-asha-slip", "image/jpeg")


def asha_everywhere(session: Session) -> SqlServices:
    """Give Asha two linked channels, a profile, a request, chats, messages and audit rows."""
    services = SqlServices(session, FakePlaces())
    turns.remember_address(session, WHATSAPP, now=NOW, phone=PHONE, display_name="Asha W")
    services.save_donor_profile(WHATSAPP, DONOR, NOW)
    turns.remember_address(session, TELEGRAM, now=NOW, phone=PHONE, display_name="Asha T")
    services.create_request(TELEGRAM, dataclasses.replace(REQUEST, slip=SLIP), NOW)
    services.create_request(RAVI, dataclasses.replace(REQUEST, attendant_phone=PHONE), NOW)
    for address in (TELEGRAM, WHATSAPP):
        turns.save_conversation(session, address.key, '{"data": {"name": "Asha Verma"}}', NOW)
        outbox.enqueue(session, address_key=address.key, payload={"text": "Hi Asha"},
                       kind="reply", now=NOW)
    outbox.enqueue(session, address_key=RAVI.key, payload={"text": f"Asha: 0{PHONE[3:]}"},
                   kind="contact", now=NOW)
    outbox.enqueue(session, address_key=RAVI.key, payload={"text": "R-1 is verified"},
                   kind="notice", now=NOW)
    audit.record(session, actor=TELEGRAM.key, action="consent.given", subject="person",
                 detail={}, now=NOW)
    return services


def test_nothing_personal_is_left_in_any_table(session: Session) -> None:
    asha_everywhere(session).delete_person(TELEGRAM, NOW + timedelta(minutes=1))
    stored = stored_text(session)
    for personal in ("Asha", PHONE, PHONE[3:], "Sunita", "Ramesh", "9876543210", "bed 12",
                     TELEGRAM.key, "ME-asha-slip", "image/jpeg"):
        assert personal not in stored
    assert "R-1 is verified" in stored


def test_anonymous_counts_remain_and_open_requests_are_cancelled(session: Session) -> None:
    services = asha_everywhere(session)
    services.delete_person(WHATSAPP, NOW + timedelta(minutes=1))
    requests = session.exec(select(BloodRequest)).all()
    assert [(r.status, r.patient_group) for r in requests] == \
        [(RequestStatus.CANCELLED.value, "AB+")] * 2
    assert session.exec(select(func.count()).select_from(DonationRow)).one() == 1
    assert services.requests_by(RAVI) == [] and services.donor_profile(TELEGRAM) is None


def test_the_deleted_user_can_keep_talking(session: Session) -> None:
    asha_everywhere(session).delete_person(TELEGRAM, NOW)
    turns.save_conversation(session, TELEGRAM.key, '{"lang": "en"}', NOW)
    assert turns.load_conversation(session, TELEGRAM.key) == '{"lang": "en"}'
    assert outbox.enqueue(session, address_key=TELEGRAM.key, payload={"text": "Deleted."},
                          kind="reply", now=NOW)


def test_an_admins_role_notes_reports_and_reasons_go_too(session: Session) -> None:
    services = asha_everywhere(session)
    admin = services.admin
    admin.bootstrap_super_admins([PHONE, "+919000000009"], NOW)
    other = services.create_request(Address("telegram", "3003"),
                                    dataclasses.replace(REQUEST, attendant_phone="+919811111111"),
                                    NOW).code
    admin.approve(other, TELEGRAM, Checklist(True, True, True, "Spoke to Dr Mehra"), NOW)
    admin.report(other, TELEGRAM, "Asha thinks this is fake", NOW)
    [mine] = services.requests_by(TELEGRAM)
    turns.remember_address(session, Address("console", "+919000000009"), now=NOW,
                           phone="+919000000009", display_name=None)
    admin.reject(mine.code, Address("console", "+919000000009"), "Sunita not in ward", NOW)
    services.delete_person(TELEGRAM, NOW + timedelta(minutes=1))
    stored = stored_text(session)
    for personal in ("Mehra", "Asha thinks", "Sunita not in ward", PHONE):
        assert personal not in stored
    assert admin.grant_of(WHATSAPP) is None
