"""Seed a demo network: donors around Prayagraj and Lucknow, admins and pending requests."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine as DbEngine
from sqlalchemy import func
from sqlmodel import Session, select

from bot.demo_donors import DemoDonor, invent_donors
from conversations.state import ConversationState
from storage import turns
from storage.domain.addresses import Address
from storage.domain.admin import AdminView, Checklist, Grant, Outcome, Role
from storage.domain.blood import BloodGroup, Component, Sex, can_donate_to
from storage.domain.eligibility import DonationKind, check_eligibility
from storage.domain.places import Place, haversine_km
from storage.domain.records import Availability, RequestDraft, RequestKind
from storage.geo import PlaceResolver
from storage.services import SqlServices
from storage.tables import Donor

SEEDED_BY = Address("cli", "demo")
"""Who the audit log names for the roles the demo grants."""
KOLKATA = ZoneInfo("Asia/Kolkata")
CHECKED = Checklist(called_ward=True, slip_seen=True, name_matches=True)
NEARBY_KM = 10.0  # how far the donors suggested to play may live from the hospital


@dataclass(frozen=True)
class Staff:
    """A volunteer with an admin role, on the console."""

    grant: Grant
    language: str


STAFF = (
    Staff(Grant("+919000000001", Role.SUPER_ADMIN), "en"),
    Staff(Grant("+919000000002", Role.DISTRICT_ADMIN, frozenset({"Prayagraj"})), "hi"),
    Staff(Grant("+919000000003", Role.VERIFIER, frozenset({"Lucknow"})), "en"),
)
SUPER_ADMIN, PRAYAGRAJ_ADMIN = (Address("console", s.grant.phone) for s in STAFF[:2])


@dataclass(frozen=True)
class ExampleDonor:
    """A donor worth playing after an approval: likely to be asked for the first request."""

    phone: str
    group: str
    km: float
    language: str


@dataclass(frozen=True)
class DemoSummary:
    """What the demo created, for the command line to print and tests to check."""

    donors: int
    by_group: Mapping[str, int]
    by_district: Mapping[str, int]
    by_language: Mapping[str, int]
    paused: int
    alerts_off: int
    deferred: int
    apheresis: int
    donor_phones: tuple[str, str]  # the first and the last
    admins: tuple[Grant, ...]
    pending: tuple[AdminView, ...]  # oldest first: SRN Hospital, then KGMU
    fulfilled: tuple[str, ...]  # codes of earlier requests, already closed
    examples: tuple[ExampleDonor, ...]


def count_donors(db: DbEngine) -> int:
    """Count the donors already in the database."""
    with Session(db) as session:
        return session.exec(select(func.count()).select_from(Donor)).one()


def seed_demo(db: DbEngine, *, now: datetime, rng_seed: int = 7, donors: int = 300,
              places: PlaceResolver | None = None, zone: ZoneInfo = KOLKATA) -> DemoSummary:
    """Write the demo through the bot's own services in one transaction; same seed, same data."""
    places = places or PlaceResolver()
    invented = invent_donors(donors, rng=random.Random(rng_seed), places=places, now=now)
    with Session(db) as session, session.begin():
        services = SqlServices(session, places, rng=random.Random(rng_seed))
        for staff in STAFF:
            _arrive(session, Address("console", staff.grant.phone), staff.language,
                    now - timedelta(days=90))
            services.admin.grant(staff.grant, SEEDED_BY, now - timedelta(days=90))
        for donor in invented:
            _sign_up(session, services, donor)
        srn, kgmu = _srn_draft(places, now, zone), _kgmu_draft(places, now, zone)
        earlier = _closed_request(session, services, _earlier(srn, now - timedelta(days=26)))
        codes = [_file(session, services, srn, now - timedelta(minutes=12)),
                 _file(session, services, kgmu, now - timedelta(minutes=6))]
        views = tuple(view for code in codes if (view := services.admin.view(code)))
    return _summary(invented, views, (earlier,), examples_for(invented, srn, zone))


def _arrive(session: Session, address: Address, language: str, at: datetime) -> None:
    """Do what a console user's first turns leave behind: a known address and a language."""
    turns.remember_address(session, address, now=at, phone=address.user_id,
                           display_name=address.user_id)
    turns.save_conversation(session, address.key, ConversationState(lang=language).to_json(), at)


def _sign_up(session: Session, services: SqlServices, donor: DemoDonor) -> None:
    """Register the donor as the sign-up flow does, then pause or stop alerts as they chose."""
    _arrive(session, donor.address, donor.profile.language, donor.signed_up)
    services.save_donor_profile(donor.address, donor.profile, donor.signed_up)
    if donor.paused_until is not None:
        services.set_alerts_paused_until(donor.address, donor.paused_until)
    if donor.alerts_off_at is not None:
        services.set_alert_consent(donor.address, False, donor.alerts_off_at)


def _file(session: Session, services: SqlServices, draft: RequestDraft, at: datetime) -> str:
    """File the request from the attendant's own console, as the request flow does."""
    address = Address("console", draft.attendant_phone)
    _arrive(session, address, draft.language, at - timedelta(minutes=5))
    return services.create_request(address, draft, at).code


def _closed_request(session: Session, services: SqlServices, draft: RequestDraft) -> str:
    """File, verify (a first request takes two admins) and fulfil an earlier request."""
    filed = draft.required_by - timedelta(hours=20)
    code = _file(session, services, draft, filed)
    services.admin.approve(code, SUPER_ADMIN, CHECKED, filed + timedelta(minutes=15))
    services.admin.approve(code, PRAYAGRAJ_ADMIN, CHECKED, filed + timedelta(minutes=40))
    result = services.admin.mark_fulfilled(code, PRAYAGRAJ_ADMIN, draft.required_by)
    if result.outcome is not Outcome.DONE:  # pragma: no cover - a bug in the demo itself
        raise RuntimeError(f"the demo's earlier request ended {result.outcome}")
    return code


def _hospital(places: PlaceResolver, pin: str) -> Place:
    place = places.resolve_pincode(pin)
    if place is None:  # pragma: no cover - the pinned data set has these PINs
        raise LookupError(f"PIN {pin} is not in the data set")
    return place


def local_time(moment: datetime, zone: ZoneInfo, *, days: int, hour: int) -> datetime:
    """Return `hour`:00 local time `days` after `moment`'s local date, in UTC."""
    day = moment.astimezone(zone).date() + timedelta(days=days)
    return datetime.combine(day, time(hour), zone).astimezone(UTC)


def _srn_draft(places: PlaceResolver, now: datetime, zone: ZoneInfo) -> RequestDraft:
    """B+ red cells for a woman in surgery at SRN Hospital: the blood bank is out of B+."""
    return RequestDraft(
        patient_name="Sushila Devi", patient_age=52, patient_sex=Sex.FEMALE,
        patient_group=BloodGroup.from_code("B+"), component=Component.PRBC, units=2,
        kind=RequestKind.GROUP_SPECIFIC,
        hospital_name="Swaroop Rani Nehru (SRN) Hospital",
        hospital_place=_hospital(places, "211001"),
        required_by=local_time(now, zone, days=1, hour=10),
        attendant_name="Vikas Kumar", attendant_phone="+919000000021",
        attendant_relation="child", ward="Female surgical ward, bed 14", language="en")


def _earlier(draft: RequestDraft, when: datetime) -> RequestDraft:
    """The same family's first request, weeks ago: one unit, any group, fulfilled."""
    return replace(draft, units=1, kind=RequestKind.REPLACEMENT, required_by=when)


def _kgmu_draft(places: PlaceResolver, now: datetime, zone: ZoneInfo) -> RequestDraft:
    """Replacement donors for heart surgery at KGMU, Lucknow: any group, filed in Hindi."""
    return RequestDraft(
        patient_name="राम प्रकाश शुक्ला", patient_age=64, patient_sex=Sex.MALE,
        patient_group=BloodGroup.from_code("O+"), component=Component.PRBC, units=3,
        kind=RequestKind.REPLACEMENT,
        hospital_name="King George's Medical University (KGMU)",
        hospital_place=_hospital(places, "226003"),
        required_by=local_time(now, zone, days=2, hour=9),
        attendant_name="अनुज शुक्ला", attendant_phone="+919000000022",
        attendant_relation="child", ward="कार्डियो वार्ड, बेड 7", language="hi")


def _summary(invented: Sequence[DemoDonor], pending: tuple[AdminView, ...],
             fulfilled: tuple[str, ...], examples: tuple[ExampleDonor, ...]) -> DemoSummary:
    profiles = [donor.profile for donor in invented]
    return DemoSummary(
        donors=len(invented),
        by_group=Counter(p.blood_group.code for p in profiles),
        by_district=Counter(p.place.district for p in profiles),
        by_language=Counter(p.language for p in profiles),
        paused=sum(d.paused_until is not None for d in invented),
        alerts_off=sum(d.alerts_off_at is not None for d in invented),
        deferred=sum(bool(p.deferrals) for p in profiles),
        apheresis=sum(p.last_donation is not None
                      and p.last_donation.kind is DonationKind.APHERESIS for p in profiles),
        donor_phones=(profiles[0].phone, profiles[-1].phone),
        admins=tuple(staff.grant for staff in STAFF), pending=pending, fulfilled=fulfilled,
        examples=examples)


def examples_for(invented: Sequence[DemoDonor], draft: RequestDraft,
                 zone: ZoneInfo = KOLKATA) -> tuple[ExampleDonor, ...]:
    """Pick the nearest donor in each language who should be asked for `draft`."""
    hospital, needed_on = draft.hospital_place, draft.required_by.astimezone(zone).date()
    found: dict[str, ExampleDonor] = {}
    for donor in invented:
        profile = donor.profile
        km = haversine_km(hospital.latitude, hospital.longitude, profile.place.latitude,
                          profile.place.longitude)
        history = [profile.last_donation] if profile.last_donation else []
        if (km > NEARBY_KM or donor.paused_until or donor.alerts_off_at
                or profile.availability is Availability.NOT_NOW
                or not can_donate_to(profile.blood_group, draft.patient_group, draft.component)
                or not check_eligibility(sex=profile.sex, date_of_birth=profile.date_of_birth,
                                         history=history, deferrals=profile.deferrals,
                                         needed_on=needed_on).eligible):
            continue
        best = found.get(profile.language)
        if best is None or km < best.km:
            found[profile.language] = ExampleDonor(profile.phone, profile.blood_group.code,
                                                   round(km, 1), profile.language)
    return tuple(found[lang] for lang in sorted(found))
