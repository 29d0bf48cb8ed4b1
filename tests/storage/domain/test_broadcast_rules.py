"""Broadcast rules: which requests are critical, quiet hours, wave sizes, the next wave, stops."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from storage.domain.blood import BloodGroup, Component
from storage.domain.broadcast import (
    BroadcastRules,
    NextWave,
    StopReason,
    alerts_for_wave,
    donor_group_codes,
    in_quiet_hours,
    is_critical,
    next_wave,
    quiet_hours_end,
)
from storage.domain.records import RequestDraft, RequestKind, RequestStatus
from tests.storage.samples import REQUEST

IST = ZoneInfo("Asia/Kolkata")
RULES = BroadcastRules()
AFTERNOON = datetime(2026, 12, 4, 14, 0, tzinfo=IST)
LATER = AFTERNOON + timedelta(hours=6)


def draft(group: str, component: Component, kind: RequestKind = RequestKind.GROUP_SPECIFIC
          ) -> RequestDraft:
    return dataclasses.replace(REQUEST, patient_group=BloodGroup.from_code(group),
                               component=component, kind=kind)


def wave_after(number: int, *, pledged: int = 0, units: int = 2,
               status: RequestStatus = RequestStatus.BROADCASTING,
               required_by: datetime = LATER, critical: bool = False) -> NextWave | StopReason:
    return next_wave(number=number, pledged=pledged, units=units, status=status,
                     required_by=required_by, now=AFTERNOON, critical=critical, rules=RULES)


def test_platelets_and_rare_groups_are_critical_but_common_red_cells_are_not() -> None:
    assert is_critical(draft("B+", Component.SDP))
    assert is_critical(draft("B+", Component.RDP))
    assert is_critical(draft("O-", Component.PRBC))
    assert is_critical(draft("hh", Component.WHOLE_BLOOD))
    assert not is_critical(draft("B+", Component.PRBC))
    assert not is_critical(draft("O-", Component.PRBC, RequestKind.REPLACEMENT))


@pytest.mark.parametrize(("hour", "minute", "quiet"), [
    (21, 59, False), (22, 0, True), (23, 30, True), (0, 0, True), (6, 59, True), (7, 0, False),
    (14, 0, False)])
def test_quiet_hours_run_from_ten_at_night_to_seven_in_the_morning_local(
        hour: int, minute: int, quiet: bool) -> None:
    local = datetime(2026, 12, 4, hour, minute, tzinfo=IST)
    assert in_quiet_hours(local.astimezone(UTC), IST, RULES) is quiet


def test_quiet_hours_end_at_the_next_seven_oclock_local() -> None:
    evening = datetime(2026, 12, 4, 23, 0, tzinfo=IST)
    early = datetime(2026, 12, 5, 3, 0, tzinfo=IST)
    assert quiet_hours_end(evening, IST, RULES) == datetime(2026, 12, 5, 7, 0, tzinfo=IST)
    assert quiet_hours_end(early, IST, RULES) == datetime(2026, 12, 5, 7, 0, tzinfo=IST)


def test_a_wave_alerts_five_donors_per_unit_still_wanted_buffer_included() -> None:
    assert alerts_for_wave(2, 0, RULES) == 15  # 2 units + 1 buffer
    assert alerts_for_wave(2, 2, RULES) == 5
    assert alerts_for_wave(2, 3, RULES) == 0
    assert alerts_for_wave(1, 5, RULES) == 0


def test_waves_widen_five_ten_twenty_five_fifty_km_every_fifteen_minutes() -> None:
    assert [wave_after(n) for n in (1, 2, 3)] == [
        NextWave(n + 1, radius, AFTERNOON + timedelta(minutes=15))
        for n, radius in ((1, 10.0), (2, 25.0), (3, 50.0))]


def test_critical_requests_get_the_next_wave_after_five_minutes() -> None:
    assert wave_after(1, critical=True) == NextWave(2, 10.0, AFTERNOON + timedelta(minutes=5))


def test_waves_stop_when_pledges_cover_the_units_and_the_buffer() -> None:
    assert isinstance(wave_after(1, pledged=2), NextWave)
    assert wave_after(1, pledged=3) is StopReason.ENOUGH_PLEDGED


@pytest.mark.parametrize("status", [RequestStatus.FULFILLED, RequestStatus.CANCELLED,
                                    RequestStatus.EXPIRED, RequestStatus.PENDING_VERIFICATION])
def test_waves_stop_when_the_request_is_closed_or_not_approved(status: RequestStatus) -> None:
    assert wave_after(1, status=status) is StopReason.CLOSED


def test_waves_stop_when_the_required_by_time_passes_before_the_next_one() -> None:
    assert wave_after(1, required_by=AFTERNOON) is StopReason.REQUIRED_BY_PASSED
    soon = AFTERNOON + timedelta(minutes=10)
    assert wave_after(1, required_by=soon) is StopReason.REQUIRED_BY_PASSED
    assert isinstance(wave_after(1, required_by=soon, critical=True), NextWave)


def test_waves_stop_after_the_widest_radius() -> None:
    assert wave_after(4) is StopReason.RADII_EXHAUSTED


def test_replacement_takes_any_group_but_bombay_only_for_bombay_patients() -> None:
    anyone = donor_group_codes(draft("B-", Component.PRBC, RequestKind.REPLACEMENT))
    assert {"O+", "A-", "AB+", "B", "unknown"} <= anyone and "hh" not in anyone
    assert "hh" in donor_group_codes(draft("hh", Component.PRBC, RequestKind.REPLACEMENT))
    assert donor_group_codes(draft("hh+", Component.PRBC)) == {"hh", "hh+", "hh-"}
