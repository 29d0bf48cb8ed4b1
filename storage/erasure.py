"""Erase a person on request (DPDP Act 2023): personal data goes, anonymous counts stay.

What goes: the person row, their donor profile, deferrals and consents, every address linked
to them (and the one asking), those addresses' conversations and outbox rows, any queued or
sent outbox message that carries their phone, and the personal columns of every request they
filed or are the attendant of (patient name, age, sex, ward, requisition slip photo, attendant
name, phone, relation, notes). Open requests among those are cancelled, since nobody is left to
contact. A slip photo kept at Twilio is queued for deletion there (`storage.media_deletions`),
and any queued message that carries a slip is deleted with the rest; a Telegram file cannot be
deleted by a bot, so only its reference goes.

What stays: donation rows (date and kind, person_id NULL), the requests' group, component,
units, hospital and dates, de-duplication ids of inbound messages, and audit entries with the
person's address keys replaced by "deleted". Rejection reasons, approval notes and report
texts about their requests, and reports they wrote, are blanked; an admin loses their role
and their phone on approvals and in the audit log (see `_erase_admin_traces`).
"""

from __future__ import annotations

from datetime import datetime

import phonenumbers
from sqlalchemy import ColumnElement, delete, false, or_, update
from sqlmodel import Session, col, select

from storage import audit, media_deletions
from storage.domain.addresses import Address
from storage.domain.records import CLOSED_STATUSES, RequestStatus
from storage.tables import (
    AddressRow,
    AdminDistrict,
    AdminGrant,
    BloodRequest,
    Conversation,
    DeferralRow,
    DonationRow,
    Donor,
    OutboxRow,
    Person,
    RequestApproval,
    RequestReport,
)

SYSTEM_ACTOR = "system"
DELETED_PHONE = "deleted"
"""Stands for an erased admin's phone on their approvals, so second checks still count."""
_PERSONAL_REQUEST_COLUMNS = {
    "patient_name": None, "patient_name_key": None, "patient_age": None, "patient_sex": None,
    "ward": None, "attendant_name": None, "attendant_phone": None, "attendant_relation": None,
    "requester_address_key": None, "requester_person_id": None, "notes": "[]",
    "status_reason": None,
    "slip_url": None, "slip_content_type": None,  # the slip shows the patient's name
}


def erase_person(session: Session, address: Address, now: datetime) -> None:
    """Delete the personal data of the person behind `address` (or of the address alone).

    Rows are deleted with SQL statements, so the session is flushed before and emptied after:
    objects loaded earlier in the turn must not be written back.
    """
    session.flush()
    row = session.get(AddressRow, address.key)
    person_id = row.person_id if row is not None else None
    person = session.get(Person, person_id) if person_id is not None else None
    keys = {address.key}
    phones: set[str] = set()
    if person is not None:
        keys |= set(session.exec(select(AddressRow.key).where(AddressRow.person_id == person_id)))
        phones |= {p for p in (person.phone, person.verified_phone) if p}
    phones |= {p for p in session.exec(
        select(AddressRow.phone).where(col(AddressRow.key).in_(keys))) if p}

    _erase_requests(session, keys, phones, person_id, now)
    _erase_admin_traces(session, keys, phones)
    session.exec(delete(OutboxRow).where(or_(
        col(OutboxRow.address_key).in_(keys),
        *(col(OutboxRow.payload).contains(form, autoescape=True)
          for phone in phones for form in _phone_forms(phone)))))
    audit.forget_actors(session, keys)
    if person_id is not None:
        session.exec(update(DonationRow).where(col(DonationRow.person_id) == person_id)
                     .values(person_id=None))
        session.exec(delete(DeferralRow).where(col(DeferralRow.person_id) == person_id))
        session.exec(delete(Donor).where(col(Donor.person_id) == person_id))
        session.exec(update(AddressRow).where(col(AddressRow.person_id) == person_id)
                     .values(person_id=None))
        session.exec(delete(Person).where(col(Person.id) == person_id))
    session.exec(delete(Conversation).where(col(Conversation.address_key).in_(keys)))
    session.exec(delete(AddressRow).where(col(AddressRow.key).in_(keys)))
    audit.record(session, actor=SYSTEM_ACTOR, action="person.deleted", subject="person",
                 detail={"addresses": len(keys), "donor": person_id is not None}, now=now)
    session.expunge_all()


def _erase_requests(session: Session, keys: set[str], phones: set[str],
                    person_id: int | None, now: datetime) -> None:
    """Cancel the person's open requests and blank the personal columns of all of them."""
    theirs: ColumnElement[bool] = or_(
        col(BloodRequest.requester_address_key).in_(keys),
        col(BloodRequest.attendant_phone).in_(phones),
        col(BloodRequest.requester_person_id) == person_id if person_id is not None else false(),
    )
    session.exec(
        update(BloodRequest)
        .where(theirs, col(BloodRequest.status).not_in([s.value for s in CLOSED_STATUSES]))
        .values(status=RequestStatus.CANCELLED.value, status_changed_at=now,
                status_changed_by=SYSTEM_ACTOR)
    )
    _forget_slips(session, theirs, now)
    ids = select(BloodRequest.id).where(theirs).scalar_subquery()
    session.exec(update(RequestApproval).where(col(RequestApproval.request_id).in_(ids))
                 .values(note=None))
    session.exec(update(RequestReport).where(col(RequestReport.request_id).in_(ids))
                 .values(text=""))
    session.exec(update(BloodRequest).where(theirs)
                 .values(updated_at=now, **_PERSONAL_REQUEST_COLUMNS))


def _forget_slips(session: Session, theirs: ColumnElement[bool], now: datetime) -> None:
    """Queue the requests' Twilio slip photos for deletion and drop messages carrying a slip."""
    urls = [url for url in session.exec(select(BloodRequest.slip_url).where(
        theirs, col(BloodRequest.slip_url).is_not(None))) if url]
    for url in urls:
        media_deletions.schedule(session, url, now)
    if urls:
        session.exec(delete(OutboxRow).where(or_(
            *(col(OutboxRow.payload).contains(url, autoescape=True) for url in urls))))


def _erase_admin_traces(session: Session, keys: set[str], phones: set[str]) -> None:
    """Remove the person's admin role and the texts and phones they left as admin or reporter.

    A block on their number stays: it protects families from a known scammer, who must not
    escape it by asking to be forgotten (DPDP allows keeping data to prevent fraud).
    """
    session.exec(update(RequestReport).where(col(RequestReport.reporter_key).in_(keys))
                 .values(text=""))
    if not phones:
        return
    session.exec(delete(AdminDistrict).where(col(AdminDistrict.phone).in_(phones)))
    session.exec(delete(AdminGrant).where(col(AdminGrant.phone).in_(phones)))
    session.exec(update(RequestApproval).where(col(RequestApproval.admin_phone).in_(phones))
                 .values(admin_phone=DELETED_PHONE, note=None))
    audit.forget_subjects(session, {f"admin:{phone}": "admin:deleted" for phone in phones})


def _phone_forms(e164: str) -> list[str]:
    """Return the ways a stored phone may be written in a message: E.164 and national digits."""
    try:
        national = str(phonenumbers.parse(e164).national_number)
    except phonenumbers.NumberParseException:
        return [e164]
    return [e164, national] if len(national) >= 8 else [e164]
