"""A small world for matching and broadcast tests: donors placed by distance, requests too."""

from __future__ import annotations

import dataclasses
import math
import random
from datetime import date, datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col

from storage.domain.addresses import Address
from storage.domain.blood import BloodGroup, Component, Sex
from storage.domain.broadcast import BroadcastRules
from storage.domain.eligibility import Deferral, Donation
from storage.domain.places import EARTH_RADIUS_KM, Place
from storage.domain.records import (
    Availability,
    Consents,
    DonorProfile,
    RequestKind,
    RequestStatus,
)
from storage.matching import find_matches
from storage.services import SqlServices
from storage.tables import BloodRequest
from tests.storage.samples import KOLKATA, LUCKNOW, REQUEST, FakePlaces

NOW = datetime(2026, 12, 4, 14, 0, tzinfo=KOLKATA)
"""An afternoon in Lucknow, outside quiet hours."""
TZ = KOLKATA
RULES = BroadcastRules()


def place_km(north: float, east: float = 0.0) -> Place:
    """Return a place `north` and `east` kilometres from the hospital (LUCKNOW)."""
    lat = LUCKNOW.latitude + math.degrees(north / EARTH_RADIUS_KM)
    lon = LUCKNOW.longitude + math.degrees(
        east / (EARTH_RADIUS_KM * math.cos(math.radians(LUCKNOW.latitude))))
    return dataclasses.replace(LUCKNOW, latitude=lat, longitude=lon)


def profile(group: str = "B+", *, sex: Sex = Sex.MALE, born: date = date(1990, 1, 1),
            km: float = 1.0, last: Donation | None = None,
            deferrals: tuple[Deferral, ...] = (), alerts: bool = True,
            availability: Availability = Availability.ANY_TIME,
            paused_until: datetime | None = None, phone: str = "+919800000000") -> DonorProfile:
    """Return a donor profile; by default an eligible B+ man 1 km north of the hospital."""
    return DonorProfile(
        name="Donor", phone=phone, blood_group=BloodGroup.from_code(group), sex=sex,
        date_of_birth=born, dob_is_estimate=False, weight_ok=True, place=place_km(km),
        last_donation=last, deferrals=deferrals, availability=availability,
        consents=Consents(True, alerts, True, NOW - timedelta(days=30)),
        paused_until=paused_until, language="en")


class World:
    """Donors and requests stored through the real services, inside one session."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.services = SqlServices(session, FakePlaces(), rng=random.Random(4))
        self.addresses: dict[int, Address] = {}

    def add(self, donor: DonorProfile, *, at: datetime = NOW - timedelta(days=30)) -> int:
        """Store a donor on a new Telegram address; return their person id."""
        address = Address("telegram", str(1001 + len(self.addresses)))
        self.services.save_donor_profile(address, donor, at)
        found = self.services._donor(address)
        assert found is not None
        self.addresses[found.person_id] = address
        return found.person_id

    def key(self, person_id: int) -> str:
        """Return the address key the donor signed up on."""
        return self.addresses[person_id].key

    def request(self, group: str = "B+", *, component: Component = Component.PRBC,
                kind: RequestKind = RequestKind.GROUP_SPECIFIC, units: int = 1,
                sex: Sex = Sex.MALE, age: int = 40,
                required_by: datetime = NOW + timedelta(days=1),
                status: RequestStatus = RequestStatus.VERIFIED) -> str:
        """Store a request at the hospital with this status; return its code."""
        draft = dataclasses.replace(
            REQUEST, patient_group=BloodGroup.from_code(group), component=component,
            kind=kind, units=units, patient_sex=sex, patient_age=age, required_by=required_by)
        code = self.services.create_request(Address("telegram", "9"), draft,
                                            NOW - timedelta(hours=1)).code
        self.session.exec(update(BloodRequest).where(col(BloodRequest.code) == code)
                          .values(status=status.value))
        return code

    def matches(self, code: str, *, radius: float = 5.0, limit: int = 50,
                now: datetime = NOW) -> list[int]:
        """Return the person ids `find_matches` picks, in order."""
        found = find_matches(self.session, request_code=code, radius_km=radius, limit=limit,
                             now=now, tz=TZ, rules=RULES)
        return [match.person_id for match in found]
