"""Invent the demo network's donors: fake phones, Indian names, groups, places and histories."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypeVar

from storage.domain.addresses import Address
from storage.domain.blood import Abo, BloodGroup, Rh, Sex
from storage.domain.eligibility import Deferral, DeferralKind, Donation, DonationKind, add_months
from storage.domain.places import EARTH_RADIUS_KM, Place, haversine_km
from storage.domain.records import Availability, Consents, DonorProfile
from storage.geo import PlaceResolver

FAKE_BLOCK = "+9190000"
"""Every demo number is +91 90000 xxxxx: staff and families below 10001, donors from 10001."""
FIRST_DONOR_NUMBER = 10_001
MAX_DONORS = 5_000

# ABO among 10,000 Indian blood donors: Agrawal et al., "ABO and Rh(D) group distribution and gene
# frequency; the first multicentric study in India", Asian J Transfus Sci 2014;8(2):121-125.
ABO_PERCENT: dict[Abo, float] = {Abo.O: 37.12, Abo.B: 32.26, Abo.A: 22.88, Abo.AB: 7.74}
RH_NEGATIVE_PERCENT = 5.39  # same study: 94.61% Rh(D)-positive
BOMBAY_DONORS = 2  # about 1 Indian in 10,000 is hh; the demo keeps two so the hh rule shows
# Our choice, not a statistic: women give far fewer donations in India than men, but the demo
# signs up 30% women so that their 120-day gap and the platelet Rh rule can be seen.
SEX_PERCENT: dict[Sex, float] = {Sex.MALE: 69, Sex.FEMALE: 30, Sex.OTHER: 1}
AVAILABILITY_PERCENT: dict[Availability, float] = {
    Availability.ANY_TIME: 45, Availability.DAYTIME: 20, Availability.WEEKENDS: 15,
    Availability.EMERGENCIES: 18, Availability.NOT_NOW: 2}
HINDI_SHARE = 0.5
SHARED_LOCATION_SHARE = 0.5  # the others typed their PIN code and sit at its centre
JITTER_MAX_KM = 2.0  # how far a shared location lies from its PIN's centre
AREA_MAX_KM = 60.0  # PINs the data set places farther from their district's hospital are left out
AGES = (18, 60, 25)  # youngest, oldest, most common: registries lean young
AGE_TYPED_SHARE = 0.6  # gave an age (an estimated birth date) rather than a date of birth
SIGNED_UP_WITHIN_DAYS = 45
HISTORY_DAYS = 730  # last donations spread over two years
NEVER_DONATED_SHARE = 0.25
APHERESIS_SHARE = 0.05  # last gave platelets on a machine, 3-60 days before signing up
DEFERRED_SHARE = 0.05
PAUSED_SHARE = 0.03
ALERTS_OFF_SHARE = 0.03
SHARE_PHONE_SHARE = 0.85
# Each kind with the days before sign-up it began, chosen so that it still applies today.
DEFERRAL_DAYS: dict[DeferralKind, tuple[int, int]] = {
    DeferralKind.TATTOO_PIERCING: (14, 300), DeferralKind.MAJOR_SURGERY: (30, 300),
    DeferralKind.MALARIA: (7, 40), DeferralKind.TYPHOID: (30, 300),
    DeferralKind.PREGNANCY: (30, 300)}  # since the delivery; women only


@dataclass(frozen=True)
class Area:
    """Where some of the donors live: a district and the hospital PIN its distances start from."""

    district: str  # as the indian-pincode data set spells it
    hospital_pin: str
    percent: float


AREAS = (Area("PRAYAGRAJ", "211001", 57), Area("LUCKNOW", "226003", 38),
         Area("KANPUR NAGAR", "208001", 3), Area("VARANASI", "221001", 2))


@dataclass(frozen=True)
class NamePool:
    """First names and surnames that go together, each in Latin and Devanagari script."""

    men: tuple[tuple[str, str], ...]
    women: tuple[tuple[str, str], ...]
    surnames: tuple[tuple[str, str], ...]
    percent: float


def _pairs(text: str) -> tuple[tuple[str, str], ...]:
    words = text.split()
    return tuple(zip(words[::2], words[1::2], strict=True))


# Common names in Uttar Pradesh; Uttar Pradesh is about one-fifth Muslim (Census 2011: 19.3%).
NAME_POOLS = (
    NamePool(
        _pairs("Rahul राहुल Amit अमित Sandeep संदीप Vikas विकास Rajesh राजेश Manoj मनोज "
               "Sanjay संजय Ankit अंकित Rohit रोहित Deepak दीपक Pradeep प्रदीप Alok आलोक "
               "Abhishek अभिषेक Saurabh सौरभ Shivam शिवम Ravi रवि Anil अनिल Suresh सुरेश "
               "Ashish आशीष Gaurav गौरव Nitin नितिन Pankaj पंकज Vivek विवेक Arun अरुण"),
        _pairs("Priya प्रिया Neha नेहा Pooja पूजा Anjali अंजलि Sunita सुनीता Kavita कविता "
               "Ritu रितु Shalini शालिनी Swati स्वाति Nidhi निधि Shweta श्वेता Rekha रेखा "
               "Asha आशा Komal कोमल Divya दिव्या Meena मीना Preeti प्रीति Rashmi रश्मि"),
        _pairs("Yadav यादव Verma वर्मा Srivastava श्रीवास्तव Mishra मिश्रा Tiwari तिवारी "
               "Pandey पांडेय Shukla शुक्ला Gupta गुप्ता Singh सिंह Maurya मौर्य Patel पटेल "
               "Dubey दुबे Tripathi त्रिपाठी Agarwal अग्रवाल Kushwaha कुशवाहा Saxena सक्सेना "
               "Jaiswal जायसवाल Chaurasia चौरसिया Nishad निषाद Pal पाल Sonkar सोनकर Rawat रावत"),
        80),
    NamePool(
        _pairs("Arif आरिफ़ Imran इमरान Salman सलमान Faizan फ़ैज़ान Aamir आमिर Shahid शाहिद "
               "Irfan इरफ़ान Danish दानिश Zeeshan ज़ीशान Adil आदिल"),
        _pairs("Sana सना Ayesha आयशा Nazia नाज़िया Farah फ़राह Shabana शबाना Rubina रुबीना "
               "Zainab ज़ैनब Huma हुमा"),
        _pairs("Khan ख़ान Ansari अंसारी Siddiqui सिद्दीक़ी Qureshi क़ुरैशी Rizvi रिज़वी "
               "Hashmi हाशमी Alvi अल्वी"),
        20),
)


@dataclass(frozen=True)
class DemoDonor:
    """One invented donor: what they told the sign-up, and what they changed afterwards."""

    address: Address
    profile: DonorProfile
    signed_up: datetime
    paused_until: datetime | None = None
    alerts_off_at: datetime | None = None


def donor_phone(index: int) -> str:
    """Return the fake E.164 number of the donor at `index` (0-based)."""
    return f"{FAKE_BLOCK}{FIRST_DONOR_NUMBER + index:05d}"


def invent_donors(count: int, *, rng: random.Random, places: PlaceResolver,
                  now: datetime) -> list[DemoDonor]:
    """Invent `count` donors, the same ones for the same `rng` state, `places` and `now`."""
    if not BOMBAY_DONORS < count <= MAX_DONORS:
        raise ValueError(f"the demo invents {BOMBAY_DONORS + 1} to {MAX_DONORS} donors")
    percent = {BloodGroup(abo, rh): share * (RH_NEGATIVE_PERCENT if rh is Rh.NEG
                                              else 100 - RH_NEGATIVE_PERCENT)
               for abo, share in ABO_PERCENT.items() for rh in (Rh.POS, Rh.NEG)}
    groups = quotas(percent, count - BOMBAY_DONORS, rng)
    groups += [BloodGroup(Abo.BOMBAY, Rh.POS)] * BOMBAY_DONORS
    rng.shuffle(groups)
    sexes = quotas(SEX_PERCENT, count, rng)
    areas = quotas({area: area.percent for area in AREAS}, count, rng)
    pins = {area: area_pins(area, places) for area in AREAS}
    return [_donor(index, group, sex, pins[area], rng, places, now)
            for index, (group, sex, area) in enumerate(zip(groups, sexes, areas, strict=True))]


T = TypeVar("T")


def quotas(percent: Mapping[T, float], count: int, rng: random.Random) -> list[T]:
    """Split `count` by the shares exactly (largest remainders), in a shuffled order."""
    total = sum(percent.values())
    exact = {key: count * share / total for key, share in percent.items()}
    counts = {key: math.floor(value) for key, value in exact.items()}
    for key in sorted(exact, key=lambda k: counts[k] - exact[k])[:count - sum(counts.values())]:
        counts[key] += 1
    found = [key for key, times in counts.items() for _ in range(times)]
    rng.shuffle(found)
    return found


def area_pins(area: Area, places: PlaceResolver) -> list[Place]:
    """Return the area's PIN codes as places, leaving out those geocoded far away."""
    import indian_pincode  # loads the data set: only when a demo is seeded

    hospital = places.resolve_pincode(area.hospital_pin)
    if hospital is None:  # pragma: no cover - the pinned data set has these PINs
        raise LookupError(f"PIN {area.hospital_pin} is not in the data set")
    found = []
    for pin in indian_pincode.get_pincodes(district=area.district):
        place = places.resolve_pincode(str(pin))
        if place is not None and place.district == hospital.district and haversine_km(
                hospital.latitude, hospital.longitude, place.latitude,
                place.longitude) <= AREA_MAX_KM:
            found.append(place)
    return found


def _donor(index: int, group: BloodGroup, sex: Sex, pins: Sequence[Place], rng: random.Random,
           places: PlaceResolver, now: datetime) -> DemoDonor:
    language = "hi" if rng.random() < HINDI_SHARE else "en"
    signed_up = now - timedelta(days=rng.uniform(1, SIGNED_UP_WITHIN_DAYS))
    joined, phone = signed_up.date(), donor_phone(index)
    age, age_typed = round(rng.triangular(*AGES)), rng.random() < AGE_TYPED_SHARE
    born = (add_months(joined, -12 * age - 6) if age_typed  # as the sign-up estimates it
            else add_months(joined, -12 * age) - timedelta(days=rng.randrange(1, 365)))
    profile = DonorProfile(
        name=_name(rng, sex, language), phone=phone, blood_group=group, sex=sex,
        date_of_birth=born, dob_is_estimate=age_typed, weight_ok=True,
        place=_place(rng.choice(pins), rng, places), last_donation=_last_donation(rng, joined),
        deferrals=_deferrals(rng, sex, joined),
        availability=rng.choices(list(AVAILABILITY_PERCENT),
                                 weights=list(AVAILABILITY_PERCENT.values()))[0],
        consents=Consents(registry=True, alerts=True,
                          share_phone=rng.random() < SHARE_PHONE_SHARE, recorded_at=signed_up),
        language=language)
    roll, address = rng.random(), Address("console", phone)
    if roll < PAUSED_SHARE:
        return DemoDonor(address, profile, signed_up,
                         paused_until=now + timedelta(days=rng.randint(5, 80)))
    if roll < PAUSED_SHARE + ALERTS_OFF_SHARE:
        return DemoDonor(address, profile, signed_up,
                         alerts_off_at=signed_up + (now - signed_up) * rng.random())
    return DemoDonor(address, profile, signed_up)


def _name(rng: random.Random, sex: Sex, language: str) -> str:
    pool = rng.choices(NAME_POOLS, weights=[p.percent for p in NAME_POOLS])[0]
    women = sex is Sex.FEMALE or (sex is Sex.OTHER and rng.random() < 0.5)
    first, last = rng.choice(pool.women if women else pool.men), rng.choice(pool.surnames)
    script = 1 if language == "hi" else 0  # Hindi speakers type their name in Devanagari
    return f"{first[script]} {last[script]}"


def _place(pin: Place, rng: random.Random, places: PlaceResolver) -> Place:
    """Return the PIN's centre (typed) or a nearby shared location, placed as the bot would."""
    if rng.random() >= SHARED_LOCATION_SHARE:
        return pin
    km, bearing = JITTER_MAX_KM * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
    degree_km = EARTH_RADIUS_KM * math.pi / 180
    lat = pin.latitude + km * math.cos(bearing) / degree_km
    lon = pin.longitude + km * math.sin(bearing) / (degree_km * math.cos(math.radians(lat)))
    shared = places.from_coordinates(round(lat, 6), round(lon, 6))
    # A few PINs are geocoded into the wrong district: then the donor typed their PIN instead.
    return shared if shared is not None and shared.district == pin.district else pin


def _last_donation(rng: random.Random, joined: date) -> Donation | None:
    roll = rng.random()
    if roll < NEVER_DONATED_SHARE:
        return None
    if roll < NEVER_DONATED_SHARE + APHERESIS_SHARE:
        return Donation(joined - timedelta(days=rng.randint(3, 60)), DonationKind.APHERESIS)
    days = rng.randint(1, HISTORY_DAYS - SIGNED_UP_WITHIN_DAYS)
    return Donation(joined - timedelta(days=days), DonationKind.WHOLE_BLOOD)


def _deferrals(rng: random.Random, sex: Sex, joined: date) -> tuple[Deferral, ...]:
    if rng.random() >= DEFERRED_SHARE:
        return ()
    kinds = [k for k in DEFERRAL_DAYS if sex is Sex.FEMALE or k is not DeferralKind.PREGNANCY]
    kind = rng.choice(kinds)
    return (Deferral(kind, joined - timedelta(days=rng.randint(*DEFERRAL_DAYS[kind]))),)
