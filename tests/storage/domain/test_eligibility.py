"""Test donor eligibility against DOMAIN.md's table (NBTC 2017, D&C Rules 2020)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import pytest

from storage.domain.eligibility import (
    DEFAULT_RULES,
    Deferral,
    DeferralKind,
    Donation,
    DonationKind,
    Eligibility,
    EligibilityRules,
    Ineligibility,
    age_on,
    check_eligibility,
    deferral_end,
    whole_blood_bag_ml,
)
from storage.domain.people import Sex

NEEDED = date(2025, 6, 1)
WHOLE, APHERESIS = DonationKind.WHOLE_BLOOD, DonationKind.APHERESIS
EARLIER = Donation(date(2020, 1, 1), WHOLE)  # makes the donor a repeat donor


def days_ago(n: int, kind: DonationKind = WHOLE) -> Donation:
    return Donation(NEEDED - timedelta(days=n), kind)


def check(
    *, sex: Sex = Sex.MALE, dob: date = date(1990, 3, 10),
    history: Sequence[Donation] = (EARLIER,), deferrals: Sequence[Deferral] = (),
    kind: DonationKind = WHOLE, weight_kg: float | None = None,
    rules: EligibilityRules = DEFAULT_RULES,
) -> Eligibility:
    return check_eligibility(sex=sex, date_of_birth=dob, history=history, deferrals=deferrals,
                             needed_on=NEEDED, kind=kind, weight_kg=weight_kg, rules=rules)


def test_a_rested_adult_is_eligible_on_the_day_needed() -> None:
    assert check() == Eligibility(True, (), NEEDED, ())


@pytest.mark.parametrize(("sex", "gap"), [(Sex.MALE, 90), (Sex.FEMALE, 120), (Sex.OTHER, 120)])
def test_whole_blood_gap_by_sex(sex: Sex, gap: int) -> None:
    early = check(sex=sex, history=[days_ago(gap - 1)])
    assert early.reasons == (Ineligibility.TOO_SOON_WHOLE,)
    assert early.next_date == NEEDED + timedelta(days=1)
    assert check(sex=sex, history=[days_ago(gap)]).eligible


def test_apheresis_needs_48_hours_between_sessions() -> None:
    early = check(kind=APHERESIS, history=[days_ago(1, APHERESIS)])
    assert early.reasons == (Ineligibility.TOO_SOON_APHERESIS,)
    assert check(kind=APHERESIS, history=[days_ago(2, APHERESIS)]).eligible


def test_apheresis_at_most_twice_in_seven_days() -> None:
    capped = check(kind=APHERESIS, history=[days_ago(6, APHERESIS), days_ago(4, APHERESIS)])
    assert capped.reasons == (Ineligibility.APHERESIS_WEEKLY_CAP,)
    assert capped.next_date == NEEDED + timedelta(days=1)
    assert check(kind=APHERESIS, history=[days_ago(7, APHERESIS), days_ago(4, APHERESIS)]).eligible


def test_apheresis_at_most_24_in_a_year() -> None:
    fortnightly = [days_ago(14 * k, APHERESIS) for k in range(1, 25)]
    capped = check(kind=APHERESIS, history=fortnightly)
    assert capped.reasons == (Ineligibility.APHERESIS_YEARLY_CAP,)
    assert capped.next_date == NEEDED + timedelta(days=365 - 14 * 24)
    assert check(kind=APHERESIS, history=fortnightly[:23]).eligible


def test_whole_blood_then_apheresis_waits_28_days() -> None:
    early = check(kind=APHERESIS, history=[days_ago(27)])
    assert early.reasons == (Ineligibility.TOO_SOON_WHOLE,)
    assert check(kind=APHERESIS, history=[days_ago(28)]).eligible


def test_apheresis_then_whole_blood_waits_28_days() -> None:
    early = check(history=[days_ago(27, APHERESIS)])
    assert early.reasons == (Ineligibility.TOO_SOON_APHERESIS,)
    assert check(history=[days_ago(28, APHERESIS)]).eligible


def test_turning_18_on_the_day_needed_is_enough() -> None:
    assert check(dob=date(2007, 6, 1), history=()).eligible
    young = check(dob=date(2007, 6, 2), history=())
    assert young.reasons == (Ineligibility.TOO_YOUNG,)
    assert young.next_date == date(2025, 6, 2)


def test_65_may_give_but_66_may_not() -> None:
    assert check(dob=date(1959, 6, 2)).eligible
    old = check(dob=date(1959, 6, 1))
    assert old.reasons == (Ineligibility.TOO_OLD,) and old.next_date is None


def test_first_time_donor_at_most_60() -> None:
    assert check(dob=date(1964, 6, 2), history=()).eligible
    first = check(dob=date(1964, 6, 1), history=())
    assert first.reasons == (Ineligibility.FIRST_TIME_TOO_OLD,) and first.next_date is None
    assert check(dob=date(1964, 6, 1)).eligible


def test_apheresis_donor_at_most_60() -> None:
    assert check(dob=date(1964, 6, 1), kind=APHERESIS).reasons == (Ineligibility.TOO_OLD,)


@pytest.mark.parametrize(
    ("kind", "weight", "eligible"),
    [(WHOLE, 44.9, False), (WHOLE, 45, True), (APHERESIS, 49.5, False), (APHERESIS, 50, True),
     (WHOLE, None, True)],
)
def test_minimum_weight(kind: DonationKind, weight: float | None, eligible: bool) -> None:
    result = check(kind=kind, weight_kg=weight)
    assert result.eligible is eligible
    assert result.reasons == (() if eligible else (Ineligibility.UNDERWEIGHT,))


def test_bag_size_follows_weight() -> None:
    assert [whole_blood_bag_ml(w) for w in (44, 45, 55, 55.5)] == [None, 350, 350, 450]


@pytest.mark.parametrize(
    ("kind", "since", "end"),
    [(DeferralKind.TATTOO_PIERCING, date(2024, 7, 15), date(2025, 7, 15)),
     (DeferralKind.MAJOR_SURGERY, date(2024, 9, 1), date(2025, 9, 1)),
     (DeferralKind.TRANSFUSION, date(2025, 1, 31), date(2026, 1, 31)),
     (DeferralKind.PREGNANCY, date(2024, 12, 20), date(2025, 12, 20)),
     (DeferralKind.MALARIA, date(2025, 4, 10), date(2025, 7, 10)),
     (DeferralKind.TYPHOID, date(2024, 8, 5), date(2025, 8, 5)),
     (DeferralKind.ILLNESS_TODAY, NEEDED, NEEDED + timedelta(days=1))],
)
def test_each_deferral_blocks_until_its_end(kind: DeferralKind, since: date, end: date) -> None:
    deferral = Deferral(kind, since)
    assert deferral_end(deferral) == end
    result = check(deferrals=[deferral])
    assert result.reasons == (Ineligibility.DEFERRED,) and result.deferred_by == (kind,)
    assert result.next_date == end


def test_deferral_that_ended_no_longer_blocks() -> None:
    assert check(deferrals=[Deferral(DeferralKind.ILLNESS_TODAY, date(2025, 5, 31))]).eligible


def test_ongoing_pregnancy_has_no_end_date() -> None:
    pregnant = Deferral(DeferralKind.PREGNANCY, date(2025, 3, 1), ongoing=True)
    assert deferral_end(pregnant) is None
    result = check(sex=Sex.FEMALE, deferrals=[pregnant])
    assert not result.eligible and result.next_date is None


def test_month_end_deferral_rolls_to_the_first_of_the_month() -> None:
    malaria = Deferral(DeferralKind.MALARIA, date(2024, 11, 30))
    assert deferral_end(malaria) == date(2025, 3, 1)


def test_next_date_waits_for_the_last_reason_to_clear() -> None:
    tattoo = Deferral(DeferralKind.TATTOO_PIERCING, date(2024, 9, 1))
    result = check(history=[days_ago(10)], deferrals=[tattoo])  # gap clears on 20 Aug
    assert result.reasons == (Ineligibility.TOO_SOON_WHOLE, Ineligibility.DEFERRED)
    assert result.next_date == date(2025, 9, 1)


def test_next_date_is_none_when_age_runs_out_first() -> None:
    result = check(dob=date(1959, 6, 15), history=[days_ago(10)])
    assert result.reasons == (Ineligibility.TOO_SOON_WHOLE,) and result.next_date is None


def test_age_counts_whole_years_and_leap_birthdays() -> None:
    assert age_on(date(2000, 2, 29), date(2018, 2, 28)) == 17
    assert age_on(date(2000, 2, 29), date(2018, 3, 1)) == 18


def test_other_countries_pass_their_own_rules() -> None:
    rules = EligibilityRules(whole_gap_days_male=56)
    assert check(history=[days_ago(56)], rules=rules).eligible
