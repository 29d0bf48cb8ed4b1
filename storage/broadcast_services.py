"""Donor answers, pledges and contact reveals on the database, in the caller's transaction."""

from __future__ import annotations

from datetime import datetime, tzinfo

from sqlmodel import Session, col, select

from storage import audit, responses
from storage.admin_requests import load_request, request_subject
from storage.broadcast import start_broadcast
from storage.broadcast_resume import resume_broadcast
from storage.broadcast_tables import DonorAlert, Pledge
from storage.db import insert_unless_exists
from storage.domain.addresses import Address
from storage.domain.admin import Contact
from storage.domain.broadcast import BROADCASTING_STATUSES, AlertResponse, PledgeStatus
from storage.domain.places import haversine_km
from storage.domain.pledges import (
    AlertView,
    DonorCard,
    HospitalContact,
    Reveal,
    Volunteering,
    first_name,
)
from storage.domain.records import RequestStatus
from storage.domain.relay import RelayRoute, RelaySide
from storage.donor_index import deferrals_of, history_of
from storage.match_criteria import Candidate, criteria_for
from storage.matching import is_eligible
from storage.request_rows import summary_of
from storage.tables import AddressRow, Donor, Person

VOLUNTEERED_WAVE = 0
"""The wave number of an alert row made for a donor who came by themselves (not alerted)."""


class SqlBroadcastServices:
    """Implement `conversations.broadcast_services.BroadcastServices` on the tables."""

    def __init__(self, session: Session) -> None:
        """Work inside `session`; flush when needed, never commit."""
        self.session = session

    def start(self, code: str, now: datetime) -> bool:
        """Schedule wave 1 of an approved request right away; False if it already was."""
        return start_broadcast(self.session, request_code=code, now=now)

    def alert_for(self, address: Address, code: str) -> AlertView | None:
        """Return the alert the person behind `address` got about `code`, or None."""
        person_id, row = self._person_id(address), load_request(self.session, code)
        if person_id is None or row is None:
            return None
        alert = self.session.exec(select(DonorAlert).where(
            DonorAlert.request_id == row.id, DonorAlert.person_id == person_id)).first()
        donor = self.session.get(Donor, person_id)
        if alert is None or donor is None:
            return None
        pledge = self.session.exec(select(Pledge).where(
            Pledge.request_id == row.id, Pledge.person_id == person_id,
            Pledge.status == PledgeStatus.ACTIVE.value)).first()
        km = haversine_km(row.hospital_latitude, row.hospital_longitude, donor.latitude,
                          donor.longitude)
        return AlertView(summary_of(row), km, AlertResponse(alert.response),
                         None if pledge is None else pledge.eta)

    def volunteer(self, address: Address, code: str, now: datetime,
                  zone: tzinfo) -> Volunteering:
        """Let a donor who was not alerted answer, if their group and eligibility allow."""
        person_id, row = self._person_id(address), load_request(self.session, code)
        donor = None if person_id is None else self.session.get(Donor, person_id)
        if row is None or row.id is None:
            return Volunteering.NOT_FOUND
        if donor is None:
            return Volunteering.NOT_A_DONOR
        if RequestStatus(row.status) not in BROADCASTING_STATUSES:
            return Volunteering.NOT_NEEDED
        criteria = criteria_for(self.session, code, zone)
        if donor.blood_group not in criteria.groups:
            return Volunteering.WRONG_GROUP
        pid = donor.person_id
        candidate = Candidate(pid, donor.latitude, donor.longitude, donor.blood_group,
                              donor.sex, donor.date_of_birth, donor.language,
                              donor.last_alerted_at)
        if not donor.weight_ok or not is_eligible(
                candidate, history_of(self.session, [pid])[pid],
                deferrals_of(self.session, [pid])[pid], criteria):
            return Volunteering.NOT_ELIGIBLE
        insert_unless_exists(self.session, DonorAlert, {
            "request_id": row.id, "person_id": pid, "wave_number": VOLUNTEERED_WAVE,
            "address_key": address.key, "created_at": now,
            "response": AlertResponse.NONE.value}, key=("request_id", "person_id"))
        return Volunteering.ACCEPTED

    def respond(self, address: Address, code: str, response: AlertResponse,
                now: datetime) -> bool:
        """Record the donor's answer to their alert; False when they were never alerted."""
        person_id = self._person_id(address)
        if person_id is None or load_request(self.session, code) is None:
            return False
        return responses.respond(self.session, request_code=code, person_id=person_id,
                                 response=response, now=now)

    def pledge(self, address: Address, code: str, eta: datetime, now: datetime) -> bool:
        """Record (or move) the donor's promise to come by `eta`; False if no longer needed."""
        person_id = self._person_id(address)
        if person_id is None:
            return False
        return responses.pledge(self.session, request_code=code, person_id=person_id, eta=eta,
                                now=now)

    def withdraw(self, address: Address, code: str, now: datetime) -> bool:
        """Withdraw the donor's active pledge; False when there was none."""
        person_id = self._person_id(address)
        if person_id is None or load_request(self.session, code) is None:
            return False
        withdrawn = responses.withdraw_pledge(self.session, request_code=code,
                                              person_id=person_id, now=now)
        if withdrawn:
            resume_broadcast(self.session, code, now)
        return withdrawn

    def contact_for_donor(self, code: str) -> HospitalContact | None:
        """Return the hospital, ward and attendant of `code`, for a donor who pledged."""
        row = load_request(self.session, code)
        if row is None:
            return None
        return HospitalContact(row.code, row.hospital_name, row.hospital_label, row.ward,
                               row.attendant_name or "", row.attendant_phone or "",
                               row.required_by)

    def donor_card(self, address: Address) -> DonorCard | None:
        """Return the first name, phone and share consent of the donor behind `address`."""
        person_id = self._person_id(address)
        person = None if person_id is None else self.session.get(Person, person_id)
        donor = None if person_id is None else self.session.get(Donor, person_id)
        if person is None or donor is None:
            return None
        return DonorCard(first_name(person.name), person.phone or person.verified_phone or "",
                         donor.consent_share_phone, donor.language)

    def record_reveal(self, address: Address, code: str, reveal: Reveal,
                      now: datetime) -> None:
        """Audit a phone shown because of the pledge the donor behind `address` made."""
        audit.record(self.session, actor=address.key, action=reveal.value,
                     subject=request_subject(code), detail={}, now=now)

    def relay_route(self, address: Address, code: str) -> RelayRoute | None:
        """Return where a message `address` relays about `code` goes; None if not a party."""
        row = load_request(self.session, code)
        if row is None:
            return None
        pledged = self.session.exec(
            select(Pledge.person_id, DonorAlert.address_key, Donor.language,
                   Donor.consent_share_phone)
            .join(DonorAlert, (col(DonorAlert.request_id) == col(Pledge.request_id))
                  & (col(DonorAlert.person_id) == col(Pledge.person_id)))
            .join(Donor, col(Donor.person_id) == col(Pledge.person_id))
            .where(Pledge.request_id == row.id, Pledge.status == PledgeStatus.ACTIVE.value)
            .order_by(col(Pledge.id))).all()
        if row.requester_address_key == address.key:
            donors = tuple(Contact(Address.from_key(key), lang) for _p, key, lang, _s in pledged)
            return RelayRoute(row.code, RelaySide.FAMILY, donors) if donors else None
        person_id = self._person_id(address)
        mine = [shares for pid, _key, _lang, shares in pledged if pid == person_id]
        if not mine or row.requester_address_key is None:
            return None
        family = Contact(Address.from_key(row.requester_address_key), row.language)
        return RelayRoute(row.code, RelaySide.DONOR, (family,), shows_phones=mine[0])

    def record_relay(self, address: Address, route: RelayRoute, now: datetime) -> None:
        """Audit one relayed message: who, about which request, which way; never the text."""
        audit.record(self.session, actor=address.key, action=route.audit_action,
                     subject=request_subject(route.code),
                     detail={"recipients": len(route.recipients)}, now=now)

    def _person_id(self, address: Address) -> int | None:
        """Return the person behind `address`, if it is linked to one."""
        row = self.session.get(AddressRow, address.key)
        return None if row is None else row.person_id
