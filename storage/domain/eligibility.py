"""Decide whether a donor may give on a given day by India's donor-selection rules."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from math import ceil

from storage.domain.people import Sex


class DonationKind(StrEnum):
    """Name how a donor gave: a whole-blood bag or on an apheresis machine."""

    WHOLE_BLOOD = "whole_blood"
    APHERESIS = "apheresis"


@dataclass(frozen=True)
class Donation:
    """Record one past donation by its date and kind."""

    on: date
    kind: DonationKind


class DeferralKind(StrEnum):
    """Name a self-declared reason to wait before donating."""

    TATTOO_PIERCING = "tattoo_piercing"
    MAJOR_SURGERY = "major_surgery"
    TRANSFUSION = "transfusion"  # the donor received blood
    PREGNANCY = "pregnancy"  # pregnancy or breast-feeding, counted from delivery
    MALARIA = "malaria"  # counted from the cure
    TYPHOID = "typhoid"
    ILLNESS_TODAY = "illness_today"  # illness or fever today


@dataclass(frozen=True)
class Deferral:
    """Record a declared deferral from `since` (the tattoo, delivery or cure date, ...).

    `ongoing` marks a condition with no end date yet: pregnant now, malaria not yet cured.
    """

    kind: DeferralKind
    since: date
    ongoing: bool = False


class Ineligibility(StrEnum):
    """Name one reason a donor may not give on the day asked."""

    TOO_YOUNG = "too_young"
    TOO_OLD = "too_old"
    FIRST_TIME_TOO_OLD = "first_time_too_old"
    TOO_SOON_WHOLE = "too_soon_whole"  # too soon after the last whole-blood donation
    TOO_SOON_APHERESIS = "too_soon_apheresis"  # too soon after the last apheresis
    APHERESIS_WEEKLY_CAP = "apheresis_weekly_cap"
    APHERESIS_YEARLY_CAP = "apheresis_yearly_cap"
    DEFERRED = "deferred"
    UNDERWEIGHT = "underweight"


@dataclass(frozen=True)
class EligibilityRules:
    """Hold every donor-selection number; pass another instance for other countries.

    Source of every default: DOMAIN.md "Donor eligibility", i.e. India's NBTC Guidelines for
    Blood Donor Selection & Blood Donor Referral (2017) and the Drugs and Cosmetics Rules,
    1945 (Schedule F, Part XII-B) as amended in 2020.
    """

    min_age: int = 18  # NBTC 2017
    max_age: int = 65  # NBTC 2017
    first_time_max_age: int = 60  # NBTC 2017: a first-time donor at most 60
    apheresis_min_age: int = 18  # D&C Rules 2020
    apheresis_max_age: int = 60  # D&C Rules 2020
    min_weight_kg: float = 45  # NBTC 2017: from 45 kg a small bag
    small_bag_ml: int = 350  # NBTC 2017
    large_bag_over_kg: float = 55  # NBTC 2017: above 55 kg a large bag
    large_bag_ml: int = 450  # NBTC 2017
    apheresis_min_weight_kg: float = 50  # D&C Rules 2020
    whole_gap_days_male: int = 90  # NBTC 2017
    whole_gap_days_female: int = 120  # NBTC 2017
    whole_gap_days_other: int = 120  # our choice: the stricter of the two
    apheresis_gap_hours: int = 48  # D&C Rules 2020; dates only, so 2 calendar days
    apheresis_per_week: int = 2  # D&C Rules 2020, in any 7 days
    apheresis_per_year: int = 24  # D&C Rules 2020, in any 365 days
    whole_to_apheresis_days: int = 28  # D&C Rules 2020
    apheresis_to_whole_days: int = 28  # D&C Rules 2020
    tattoo_piercing_months: int = 12  # NBTC 2017
    major_surgery_months: int = 12  # NBTC 2017
    transfusion_months: int = 12  # NBTC 2017
    after_delivery_months: int = 12  # NBTC 2017: pregnancy and breast-feeding
    after_malaria_cure_months: int = 3  # NBTC 2017
    typhoid_months: int = 12  # NBTC 2017
    illness_days: int = 1  # NBTC 2017: unwell or feverish: not today


DEFAULT_RULES = EligibilityRules()
_WEEK_DAYS = 7
_YEAR_DAYS = 365
_MAX_STEPS = 12  # each step jumps to a later clearing date; a few always suffice


@dataclass(frozen=True)
class Eligibility:
    """Say whether the donor may give, why not, and the first day they may.

    `next_date` is `needed_on` itself when eligible, the earliest later day on which every
    reason clears if nothing else changes, or None when that day never comes or is unknown
    (too old, underweight, an ongoing deferral).
    """

    eligible: bool
    reasons: tuple[Ineligibility, ...]
    next_date: date | None
    deferred_by: tuple[DeferralKind, ...] = ()


def add_months(day: date, months: int) -> date:
    """Add calendar months; a day the target month lacks rolls on to the 1st of the next."""
    years, month_index = divmod(day.month - 1 + months, 12)
    try:
        return day.replace(year=day.year + years, month=month_index + 1)
    except ValueError:
        return add_months(day.replace(day=1), months + 1)


def age_on(dob: date, day: date) -> int:
    """Return the age in whole years on `day` (born 29 Feb: a year older on 1 Mar)."""
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def deferral_end(deferral: Deferral, rules: EligibilityRules = DEFAULT_RULES) -> date | None:
    """Return the first day the donor may give again; None while the condition is ongoing."""
    if deferral.ongoing:
        return None
    if deferral.kind is DeferralKind.ILLNESS_TODAY:
        return deferral.since + timedelta(days=rules.illness_days)
    months = {
        DeferralKind.TATTOO_PIERCING: rules.tattoo_piercing_months,
        DeferralKind.MAJOR_SURGERY: rules.major_surgery_months,
        DeferralKind.TRANSFUSION: rules.transfusion_months,
        DeferralKind.PREGNANCY: rules.after_delivery_months,
        DeferralKind.MALARIA: rules.after_malaria_cure_months,
        DeferralKind.TYPHOID: rules.typhoid_months,
    }
    return add_months(deferral.since, months[deferral.kind])


def whole_blood_bag_ml(weight_kg: float, rules: EligibilityRules = DEFAULT_RULES) -> int | None:
    """Return the largest whole-blood bag in ml for this weight; None if too light to give."""
    if weight_kg > rules.large_bag_over_kg:
        return rules.large_bag_ml
    return rules.small_bag_ml if weight_kg >= rules.min_weight_kg else None


def _whole_gap_days(sex: Sex | None, rules: EligibilityRules) -> int:
    if sex is Sex.MALE:
        return rules.whole_gap_days_male
    if sex is Sex.FEMALE:
        return rules.whole_gap_days_female
    return rules.whole_gap_days_other  # OTHER or not given: the stricter gap


def _cap(days: list[date], day: date, cap: int, window: int) -> date | None:
    """Return when a per-window cap clears if it blocks `day`, else None."""
    recent = sorted((d for d in days if d > day - timedelta(days=window)), reverse=True)
    return recent[cap - 1] + timedelta(days=window) if len(recent) >= cap else None


def _person_blockers(
    age: int, first_time: bool, weight_kg: float | None, apheresis: bool, dob: date,
    rules: EligibilityRules,
) -> list[tuple[Ineligibility, date | None]]:
    """List the age and weight reasons, with the day each clears (None: never or unknown)."""
    found: list[tuple[Ineligibility, date | None]] = []
    youngest = rules.apheresis_min_age if apheresis else rules.min_age
    oldest = rules.apheresis_max_age if apheresis else rules.max_age
    if age < youngest:
        found.append((Ineligibility.TOO_YOUNG, add_months(dob, 12 * youngest)))
    if age > oldest:
        found.append((Ineligibility.TOO_OLD, None))
    elif first_time and age > rules.first_time_max_age:
        found.append((Ineligibility.FIRST_TIME_TOO_OLD, None))
    lightest = rules.apheresis_min_weight_kg if apheresis else rules.min_weight_kg
    if weight_kg is not None and weight_kg < lightest:
        found.append((Ineligibility.UNDERWEIGHT, None))
    return found


def _history_blockers(
    day: date, sex: Sex | None, history: Sequence[Donation], apheresis: bool,
    rules: EligibilityRules,
) -> list[tuple[Ineligibility, date]]:
    """List the gap and cap reasons from past donations, with the day each clears."""
    found: list[tuple[Ineligibility, date]] = []
    past = [d for d in history if d.on <= day]  # a later-dated record says nothing of `day`
    wholes = [d.on for d in past if d.kind is DonationKind.WHOLE_BLOOD]
    aphereses = [d.on for d in past if d.kind is DonationKind.APHERESIS]
    if apheresis:
        gaps = (rules.whole_to_apheresis_days, ceil(rules.apheresis_gap_hours / 24))
    else:
        gaps = (_whole_gap_days(sex, rules), rules.apheresis_to_whole_days)
    for reason, dates, gap in ((Ineligibility.TOO_SOON_WHOLE, wholes, gaps[0]),
                               (Ineligibility.TOO_SOON_APHERESIS, aphereses, gaps[1])):
        if dates and day < max(dates) + timedelta(days=gap):
            found.append((reason, max(dates) + timedelta(days=gap)))
    if apheresis:
        for reason, cap, window in (
            (Ineligibility.APHERESIS_WEEKLY_CAP, rules.apheresis_per_week, _WEEK_DAYS),
            (Ineligibility.APHERESIS_YEARLY_CAP, rules.apheresis_per_year, _YEAR_DAYS),
        ):
            clears = _cap(aphereses, day, cap, window)
            if clears is not None:
                found.append((reason, clears))
    return found


def _is_active(deferral: Deferral, day: date, rules: EligibilityRules) -> bool:
    end = deferral_end(deferral, rules)
    return deferral.since <= day and (end is None or day < end)


def check_eligibility(
    *, sex: Sex | None, date_of_birth: date, history: Sequence[Donation],
    deferrals: Sequence[Deferral], needed_on: date,
    kind: DonationKind = DonationKind.WHOLE_BLOOD, weight_kg: float | None = None,
    rules: EligibilityRules = DEFAULT_RULES,
) -> Eligibility:
    """Decide whether the donor may give `kind` on `needed_on`, and from when if not.

    Age is taken on `needed_on`; an empty history means a first-time donor; weight is
    checked only when given. Final eligibility is always decided at the blood centre.
    """
    apheresis = kind is DonationKind.APHERESIS

    def blockers(day: date) -> list[tuple[Ineligibility, date | None]]:
        age = age_on(date_of_birth, day)
        return [
            *_person_blockers(age, not history, weight_kg, apheresis, date_of_birth, rules),
            *_history_blockers(day, sex, history, apheresis, rules),
            *((Ineligibility.DEFERRED, deferral_end(d, rules))
              for d in deferrals if _is_active(d, day, rules)),
        ]

    reasons = tuple(dict.fromkeys(reason for reason, _ in blockers(needed_on)))
    deferred_by = tuple(dict.fromkeys(
        d.kind for d in deferrals if _is_active(d, needed_on, rules)))
    return Eligibility(not reasons, reasons, _first_clear_day(needed_on, blockers), deferred_by)


def _first_clear_day(
    day: date, blockers: Callable[[date], list[tuple[Ineligibility, date | None]]]
) -> date | None:
    """Jump to each latest clearing date until nothing blocks; None if something never clears."""
    for _ in range(_MAX_STEPS):
        found = blockers(day)
        if not found:
            return day
        if any(clears is None for _, clears in found):
            return None
        day = max(clears for _, clears in found if clears is not None)
    return None
