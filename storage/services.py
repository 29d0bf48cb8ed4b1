"""The flows' services on the database, inside the caller's transaction (never committing)."""

from __future__ import annotations

import random
from datetime import datetime
from typing import Protocol

from sqlalchemy import delete, exc
from sqlmodel import Session, col, select

from storage import audit
from storage.admin import SqlAdminServices
from storage.broadcast_services import SqlBroadcastServices
from storage.domain.addresses import Address
from storage.domain.blood import BloodGroup, Sex
from storage.domain.eligibility import Deferral, DeferralKind, Donation, DonationKind
from storage.domain.grid import grid_cell
from storage.domain.places import Place
from storage.domain.records import (
    CLOSED_STATUSES,
    Availability,
    Consents,
    DonorProfile,
    RequestDraft,
    RequestStatus,
    RequestSummary,
)
from storage.donor_index import refresh_donor_index
from storage.erasure import erase_person
from storage.followup_services import SqlFollowupServices
from storage.request_rows import summary_of
from storage.tables import AddressRow, BloodRequest, DeferralRow, DonationRow, Donor, Person
from storage.turns import ensure_address

CODE_TRIES_PER_WIDTH = 6
"""Clashes tolerated at one code width before codes grow a digit (crowded code space)."""
CODE_WIDTHS = (4, 5, 6, 7)
_KEPT_ON_SAVE = {"person_id", "created_at", "last_alerted_at", "ignored_in_row"}
"""Donor columns a profile save leaves alone: the alert history is not the donor's to edit."""


class PlaceLookup(Protocol):
    """What the services need from `storage.geo.PlaceResolver`."""

    def resolve(self, text: str) -> Place | None:
        """Resolve a PIN code or a district or city name."""

    def from_coordinates(self, lat: float, lon: float) -> Place | None:
        """Resolve a shared location."""

    def suggestions(self, text: str) -> list[str]:
        """Suggest district names close to a misspelt one."""


class SqlServices:
    """Implement `conversations.services.Services` on the tables of `storage.tables`."""

    def __init__(self, session: Session, places: PlaceLookup, *,
                 rng: random.Random | None = None) -> None:
        """Work inside `session`; flush when needed, never commit."""
        self.session = session
        self.places = places
        self.rng = rng or random.SystemRandom()
        self.admin = SqlAdminServices(session)
        """Roles, blocking and verification, in the same session."""
        self.broadcast = SqlBroadcastServices(session)
        """Broadcasts, donors' answers and pledges, in the same session."""
        self.followups = SqlFollowupServices(session)
        """Outcomes, request lifecycle and donor groups, in the same session."""

    def resolve_place(self, text: str) -> Place | None:
        """Resolve a PIN code or district/city name offline."""
        return self.places.resolve(text)

    def place_at(self, latitude: float, longitude: float) -> Place | None:
        """Resolve a shared location to the nearest known place in India."""
        return self.places.from_coordinates(latitude, longitude)

    def place_suggestions(self, text: str) -> list[str]:
        """Suggest district names close to a misspelt one."""
        return self.places.suggestions(text)

    def donor_profile(self, address: Address) -> DonorProfile | None:
        """Return the donor profile of the person behind `address`, if any."""
        donor = self._donor(address)
        if donor is None:
            return None
        person = self.session.get(Person, donor.person_id)
        if person is None:  # pragma: no cover - the foreign key forbids it
            return None
        deferrals = self.session.exec(
            select(DeferralRow).where(DeferralRow.person_id == donor.person_id)
            .order_by(col(DeferralRow.id))
        ).all()
        return _profile(person, donor, [
            Deferral(DeferralKind(d.kind), d.since, d.ongoing) for d in deferrals])

    def save_donor_profile(self, address: Address, profile: DonorProfile, now: datetime) -> None:
        """Create or replace the donor profile of the person behind `address`."""
        row = ensure_address(self.session, address, now)
        person = self.session.get(Person, row.person_id) if row.person_id else None
        if person is None:
            person = Person(name=profile.name, phone=profile.phone,
                            verified_phone=self._unclaimed(row.phone),
                            created_at=now, updated_at=now)
            self.session.add(person)
            self.session.flush()
            row.person_id = person.id
            self.session.add(row)
        person.name, person.phone, person.updated_at = profile.name, profile.phone, now
        person_id = _id(person.id)
        fresh = _donor_row(person_id, profile, now)
        donor = self.session.get(Donor, person_id)
        if donor is None:
            donor = fresh
        else:
            donor.sqlmodel_update(fresh.model_dump(exclude=_KEPT_ON_SAVE))
        self.session.add_all([person, donor])
        self.session.exec(delete(DeferralRow).where(col(DeferralRow.person_id) == person_id))
        self.session.add_all(DeferralRow(person_id=person_id, kind=d.kind.value, since=d.since,
                                         ongoing=d.ongoing) for d in profile.deferrals)
        if profile.last_donation is not None:
            self._declare_donation(person_id, profile.last_donation, now)
        refresh_donor_index(self.session, person_id, now)

    def set_alerts_paused_until(self, address: Address, until: datetime | None) -> None:
        """Pause (or resume, with None) alerts for this donor."""
        donor = self._donor(address)
        if donor is not None:
            donor.paused_until = until
            self.session.add(donor)
            self.session.flush()

    def set_alert_consent(self, address: Address, given: bool, now: datetime) -> bool:
        """Give or withdraw consent (b), alerts; return False if there is no donor profile."""
        donor = self._donor(address)
        if donor is None:
            return False
        donor.consent_alerts, donor.consents_recorded_at, donor.updated_at = given, now, now
        self.session.add(donor)
        self.session.flush()
        return True

    def delete_person(self, address: Address, now: datetime) -> None:
        """Hard-delete the person's personal data, keeping only anonymous counts."""
        erase_person(self.session, address, now)

    def find_recent_request(
        self, *, patient_name: str, hospital_name: str, attendant_phone: str, since: datetime
    ) -> RequestSummary | None:
        """Return an open request for the same patient, hospital and attendant since `since`."""
        row = self.session.exec(
            select(BloodRequest)
            .where(BloodRequest.attendant_phone == attendant_phone,
                   col(BloodRequest.created_at) >= since,
                   BloodRequest.patient_name_key == patient_name.casefold(),
                   BloodRequest.hospital_name_key == hospital_name.casefold(),
                   col(BloodRequest.status).not_in([s.value for s in CLOSED_STATUSES]))
            .order_by(col(BloodRequest.created_at).desc(), col(BloodRequest.id).desc())
        ).first()
        return None if row is None else summary_of(row)

    def create_request(
        self, address: Address, draft: RequestDraft, now: datetime
    ) -> RequestSummary:
        """Store a new request as pending verification and return it with its public code."""
        requester = ensure_address(self.session, address, now)
        for code in self._candidate_codes():
            if self.session.exec(select(BloodRequest.id).where(BloodRequest.code == code)).first():
                continue
            row = _request_row(code, address.key, requester.person_id, draft, now)
            try:
                with self.session.begin_nested():  # another process may take the code first
                    self.session.add(row)
            except exc.IntegrityError:
                continue
            audit.record(self.session, actor=address.key, action="request.created",
                         subject=f"request:{code}", detail={"status": row.status}, now=now)
            return summary_of(row)
        raise RuntimeError("no free request code")  # pragma: no cover - 10 million codes

    def requests_by(self, address: Address) -> list[RequestSummary]:
        """Return the requests filed from this address, newest first."""
        rows = self.session.exec(
            select(BloodRequest).where(BloodRequest.requester_address_key == address.key)
            .order_by(col(BloodRequest.created_at).desc(), col(BloodRequest.id).desc())
        ).all()
        return [summary_of(row) for row in rows]

    def _donor(self, address: Address) -> Donor | None:
        return self.session.exec(
            select(Donor).join(AddressRow, AddressRow.person_id == Donor.person_id)  # type: ignore[arg-type]
            .where(AddressRow.key == address.key)
        ).first()

    def _unclaimed(self, phone: str | None) -> str | None:
        """Return the verified phone unless another person already holds it."""
        if phone is None:
            return None
        taken = self.session.exec(select(Person.id).where(Person.verified_phone == phone))
        return None if taken.first() is not None else phone

    def _declare_donation(self, person_id: int, donation: Donation, now: datetime) -> None:
        """Count a donation the donor declared, once."""
        known = self.session.exec(select(DonationRow.id).where(
            DonationRow.person_id == person_id, DonationRow.donated_on == donation.on,
            DonationRow.kind == donation.kind.value)).first()
        if known is None:
            self.session.add(DonationRow(person_id=person_id, donated_on=donation.on,
                                         kind=donation.kind.value, source="declared",
                                         recorded_at=now))

    def _candidate_codes(self) -> list[str]:
        return [f"R-{self.rng.randrange(10 ** (width - 1), 10 ** width)}"
                for width in CODE_WIDTHS for _ in range(CODE_TRIES_PER_WIDTH)]


def _id(value: int | None) -> int:
    if value is None:  # pragma: no cover - set by the flush
        raise ValueError("row has no id yet")
    return value


def _donor_row(person_id: int, profile: DonorProfile, now: datetime) -> Donor:
    place, consents, last = profile.place, profile.consents, profile.last_donation
    return Donor(
        person_id=person_id, blood_group=profile.blood_group.code, sex=profile.sex.value,
        date_of_birth=profile.date_of_birth, dob_is_estimate=profile.dob_is_estimate,
        weight_ok=profile.weight_ok, latitude=place.latitude, longitude=place.longitude,
        district=place.district, state=place.state, pincode=place.pincode,
        place_label=place.label, grid_cell=grid_cell(place.latitude, place.longitude),
        last_donation_on=last.on if last else None,
        last_donation_kind=last.kind.value if last else None,
        availability=profile.availability.value, consent_registry=consents.registry,
        consent_alerts=consents.alerts, consent_share_phone=consents.share_phone,
        consents_recorded_at=consents.recorded_at, consent_wording=consents.wording,
        paused_until=profile.paused_until, language=profile.language,
        created_at=now, updated_at=now,
    )


def _profile(person: Person, donor: Donor, deferrals: list[Deferral]) -> DonorProfile:
    last = None
    if donor.last_donation_on is not None and donor.last_donation_kind is not None:
        last = Donation(donor.last_donation_on, DonationKind(donor.last_donation_kind))
    return DonorProfile(
        name=person.name, phone=person.phone or "",
        blood_group=BloodGroup.from_code(donor.blood_group), sex=Sex(donor.sex),
        date_of_birth=donor.date_of_birth, dob_is_estimate=donor.dob_is_estimate,
        weight_ok=donor.weight_ok,
        place=Place(donor.latitude, donor.longitude, donor.district, donor.state,
                    donor.pincode, donor.place_label),
        last_donation=last, deferrals=tuple(deferrals),
        availability=Availability(donor.availability),
        consents=Consents(donor.consent_registry, donor.consent_alerts,
                          donor.consent_share_phone, donor.consents_recorded_at,
                          donor.consent_wording),
        paused_until=donor.paused_until, language=donor.language,
    )


def _request_row(code: str, address_key: str, person_id: int | None, draft: RequestDraft,
                 now: datetime) -> BloodRequest:
    place = draft.hospital_place
    return BloodRequest(
        code=code, status=RequestStatus.PENDING_VERIFICATION.value,
        requester_address_key=address_key, requester_person_id=person_id,
        patient_name=draft.patient_name, patient_name_key=draft.patient_name.casefold(),
        patient_age=draft.patient_age, patient_sex=draft.patient_sex.value,
        patient_group=draft.patient_group.code, component=draft.component.value,
        units=draft.units, kind=draft.kind.value, hospital_name=draft.hospital_name,
        hospital_name_key=draft.hospital_name.casefold(),
        hospital_latitude=place.latitude, hospital_longitude=place.longitude,
        hospital_district=place.district, hospital_state=place.state,
        hospital_pincode=place.pincode, hospital_label=place.label, ward=draft.ward,
        slip_url=draft.slip.url if draft.slip else None,
        slip_content_type=draft.slip.content_type if draft.slip else None,
        required_by=draft.required_by, attendant_name=draft.attendant_name,
        attendant_phone=draft.attendant_phone, attendant_relation=draft.attendant_relation,
        language=draft.language, created_at=now, updated_at=now, status_changed_at=now,
        status_changed_by=address_key,
    )
