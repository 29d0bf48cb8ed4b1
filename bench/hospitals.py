"""File the benchmarks' blood requests at real hospitals, through the bot's own services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from storage.domain.addresses import Address
from storage.domain.blood import BloodGroup, Component, Sex
from storage.domain.records import RequestDraft, RequestKind, RequestSummary
from storage.geo import PlaceResolver
from storage.services import SqlServices


@dataclass(frozen=True)
class Hospital:
    """A hospital the benchmarks ask blood for, placed at its PIN code's centre."""

    city: str
    name: str
    pincode: str


PRAYAGRAJ = Hospital("Prayagraj", "SRN Hospital", "211001")
"""A small city: about 1.2 million people."""
NEW_DELHI = Hospital("New Delhi", "Dr. RML Hospital", "110001")
"""A dense one: the heart of a 16-million city."""


ATTENDANT = Address("console", "+919000012345")


def file_request(session: Session, hospital: Hospital, *, now: datetime,
                 attendant: Address = ATTENDANT, group: str = "B+",
                 needed_in: timedelta = timedelta(days=1)) -> RequestSummary:
    """Store a pending request for a unit of `group` red cells, needed in `needed_in`."""
    place = PlaceResolver().resolve_pincode(hospital.pincode)
    if place is None:
        raise LookupError(f"PIN code {hospital.pincode} is not in the data set")
    draft = RequestDraft(
        patient_name="Bench Patient", patient_age=40, patient_sex=Sex.MALE,
        patient_group=BloodGroup.from_code(group), component=Component.PRBC, units=1,
        kind=RequestKind.GROUP_SPECIFIC, hospital_name=hospital.name, hospital_place=place,
        required_by=now + needed_in, attendant_name="Bench Attendant",
        attendant_phone=attendant.user_id, attendant_relation="brother", ward="Ward 1")
    return SqlServices(session, PlaceResolver()).create_request(attendant, draft, now)
