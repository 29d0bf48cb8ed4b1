"""The broadcast services' contract, on the database and in memory alike."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from storage import audit
from storage.domain.addresses import Address
from storage.domain.blood import BloodGroup
from storage.domain.broadcast import AlertResponse
from storage.domain.pledges import Reveal, Volunteering
from storage.domain.records import DonorProfile, RequestKind, RequestStatus
from storage.memory import MemoryServices
from tests.storage.broadcast_world import NOW, TZ, World, profile
from tests.storage.samples import REQUEST, FakePlaces


class Backend:
    """Donors and requests stored in one backend, and its services."""

    def __init__(self, session: Session | None) -> None:
        self.world = None if session is None else World(session)
        self.memory = MemoryServices(resolve=FakePlaces().resolve)
        self.services = self.memory if self.world is None else self.world.services

    def donor(self, donor: DonorProfile) -> Address:
        """Register a donor and return their address."""
        if self.world is not None:
            return Address.from_key(self.world.key(self.world.add(donor)))
        address = Address("telegram", str(2000 + len(self.memory.donors)))
        self.memory.save_donor_profile(address, donor, NOW)
        return address

    def request(self, group: str = "B+", status: RequestStatus = RequestStatus.VERIFIED,
                kind: RequestKind = RequestKind.GROUP_SPECIFIC) -> str:
        """Store a request for 1 unit of red cells at the hospital; return its code."""
        if self.world is not None:
            return self.world.request(group, kind=kind, status=status)
        draft = dataclasses.replace(REQUEST, patient_group=BloodGroup.from_code(group),
                                    kind=kind, required_by=NOW + timedelta(days=1))
        summary = self.memory.create_request(Address("telegram", "9"), draft, NOW)
        self.memory.requests[summary.code] = ("telegram:9", dataclasses.replace(
            summary, status=status))
        return summary.code


@pytest.fixture(params=["sql", "memory"])
def backend(request: pytest.FixtureRequest, engine: Engine) -> Iterator[Backend]:
    if request.param == "memory":
        yield Backend(None)
        return
    with Session(engine) as session:
        yield Backend(session)


def test_a_donor_who_was_not_alerted_may_answer_only_if_they_may_give(backend: Backend) -> None:
    code, b = backend.request("B+"), backend.services.broadcast
    able, young = backend.donor(profile("O+", km=2)), backend.donor(profile(born=date(2010, 1, 1)))
    wrong, stranger = backend.donor(profile("A+")), Address("telegram", "77")
    assert b.volunteer(able, "R-0000", NOW, TZ) is Volunteering.NOT_FOUND
    assert b.volunteer(stranger, code, NOW, TZ) is Volunteering.NOT_A_DONOR
    assert b.volunteer(wrong, code, NOW, TZ) is Volunteering.WRONG_GROUP
    assert b.volunteer(young, code, NOW, TZ) is Volunteering.NOT_ELIGIBLE
    assert b.alert_for(able, code) is None
    assert b.volunteer(able, code, NOW, TZ) is Volunteering.ACCEPTED
    alert = b.alert_for(able, code)
    assert alert is not None and alert.distance_km == pytest.approx(2, abs=0.01)
    assert alert.response is AlertResponse.NONE and alert.still_needed


def test_answers_pledges_and_withdrawals_are_kept(backend: Backend) -> None:
    code, b = backend.request(), backend.services.broadcast
    asha = backend.donor(profile())
    b.volunteer(asha, code, NOW, TZ)
    assert b.respond(asha, code, AlertResponse.DECLINED, NOW)
    assert (alert := b.alert_for(asha, code)) and alert.response is AlertResponse.DECLINED
    assert b.pledge(asha, code, NOW + timedelta(hours=2), NOW)
    assert (alert := b.alert_for(asha, code)) and alert.pledged_eta == NOW + timedelta(hours=2)
    assert b.withdraw(asha, code, NOW) and not b.withdraw(asha, code, NOW)
    assert (alert := b.alert_for(asha, code)) and alert.pledged_eta is None


def test_a_request_not_being_broadcast_takes_no_volunteers_or_pledges(backend: Backend) -> None:
    code = backend.request(status=RequestStatus.PENDING_VERIFICATION)
    b = backend.services.broadcast
    asha = backend.donor(profile())
    assert b.volunteer(asha, code, NOW, TZ) is Volunteering.NOT_NEEDED
    assert not b.pledge(asha, code, NOW + timedelta(hours=1), NOW)


def test_contacts_for_the_reveal_and_the_donors_card(backend: Backend) -> None:
    code, b = backend.request(), backend.services.broadcast
    private = backend.donor(dataclasses.replace(profile(phone="+919800000042"), name="Ravi Pal"))
    contact = b.contact_for_donor(code)
    assert contact is not None and contact.attendant_phone == REQUEST.attendant_phone
    assert (contact.ward, contact.attendant_name) == (REQUEST.ward, REQUEST.attendant_name)
    card = b.donor_card(private)
    assert card is not None and (card.first_name, card.phone) == ("Ravi", "+919800000042")
    assert b.contact_for_donor("R-0000") is None and b.donor_card(Address("x", "y")) is None


def test_reveals_are_audited_without_the_phone(engine: Engine) -> None:
    with Session(engine) as session:
        backend = Backend(session)
        code, asha = backend.request(), backend.donor(profile())
        backend.services.broadcast.record_reveal(asha, code, Reveal.DONOR_PHONE, NOW)
        [entry] = audit.history(session, f"request:{code}")[-1:]
    assert (entry.actor, entry.action, entry.detail) == (asha.key, "reveal.donor_phone", {})


def test_starting_a_broadcast_twice_schedules_one_first_wave(backend: Backend) -> None:
    code = backend.request()
    assert backend.services.broadcast.start(code, NOW)
    assert not backend.services.broadcast.start(code, NOW)
