"""Sample records for storage tests: a donor and a blood request with every field set."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from storage.domain.blood import BloodGroup, Component, Sex
from storage.domain.eligibility import Deferral, DeferralKind, Donation, DonationKind
from storage.domain.places import Place
from storage.domain.records import (
    Availability,
    Consents,
    DonorProfile,
    RequestDraft,
    RequestKind,
)

KOLKATA = ZoneInfo("Asia/Kolkata")
NOW = datetime(2026, 12, 4, 14, 0, 0, 123456, tzinfo=KOLKATA)
PHONE = "+919812345678"
LUCKNOW = Place(26.846708, 80.946159, "Lucknow", "Uttar Pradesh", "226001",
                "226001, Lucknow")

DONOR = DonorProfile(
    name="Asha Verma",
    phone=PHONE,
    blood_group=BloodGroup.from_code("B-"),
    sex=Sex.FEMALE,
    date_of_birth=date(1990, 2, 28),
    dob_is_estimate=True,
    weight_ok=True,
    place=LUCKNOW,
    last_donation=Donation(date(2026, 6, 1), DonationKind.APHERESIS),
    deferrals=(Deferral(DeferralKind.TATTOO_PIERCING, date(2026, 3, 1)),
               Deferral(DeferralKind.PREGNANCY, date(2026, 1, 5), ongoing=True)),
    availability=Availability.WEEKENDS,
    consents=Consents(registry=True, alerts=True, share_phone=False,
                      recorded_at=NOW - timedelta(days=2)),
    paused_until=NOW + timedelta(days=7),
    language="hi",
)

REQUEST = RequestDraft(
    patient_name="Sunita Devi",
    patient_age=45,
    patient_sex=Sex.FEMALE,
    patient_group=BloodGroup.from_code("AB+"),
    component=Component.SDP,
    units=2,
    kind=RequestKind.GROUP_SPECIFIC,
    hospital_name="KGMU Trauma Centre",
    hospital_place=LUCKNOW,
    required_by=NOW + timedelta(hours=6),
    attendant_name="Ramesh Kumar",
    attendant_phone="+919876543210",
    attendant_relation="son",
    ward="Ward 4, bed 12",
    language="hi",
)


class FakePlaces:
    """Resolve one PIN code and one location; suggest one district."""

    def resolve(self, text: str) -> Place | None:
        return LUCKNOW if text == "226001" else None

    def from_coordinates(self, lat: float, lon: float) -> Place | None:
        return LUCKNOW if (lat, lon) == (LUCKNOW.latitude, LUCKNOW.longitude) else None

    def suggestions(self, text: str) -> list[str]:
        return ["Lucknow"] if text.startswith("Lu") else []
