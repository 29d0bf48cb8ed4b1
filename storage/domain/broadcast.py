"""Decide broadcast waves: radii, intervals, how many to alert, quiet hours and when to stop."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo
from enum import StrEnum

from storage.domain.blood import Abo, BloodGroup, Component, Rh, compatible_donors
from storage.domain.eligibility import DonationKind
from storage.domain.records import RequestDraft, RequestKind, RequestStatus


@dataclass(frozen=True)
class BroadcastRules:
    """Hold every broadcast and fatigue number; settings pass another instance to change one.

    Sources: issue 4 ("Matching and scheduled broadcast") and DOMAIN.md "Broadcasts and
    contact"; where neither gives a value the comment says "ours" and why.
    """

    radii_km: tuple[float, ...] = (5.0, 10.0, 25.0, 50.0)  # issue 4: 5, then 10, 25, 50 km
    wave_minutes: int = 15  # issue 4: WAVE_MINUTES (settings); ours: 15 by default
    critical_wave_minutes: int = 5  # issue 4: critical requests get shorter intervals; ours: 5
    alerts_per_unit: int = 5  # issue 4: ALERTS_PER_UNIT, default 5
    pledge_buffer_units: int = 1  # issue 4: "units needed plus a buffer"; ours: one no-show
    max_alerts_per_week: int = 3  # issue 4: MAX_ALERTS_PER_WEEK, default 3 (DOMAIN.md fatigue)
    budget_days: int = 7  # issue 4: "per week", read as any rolling 7 days
    quiet_start: time = time(22, 0)  # issue 4: quiet hours 22:00–07:00 local
    quiet_end: time = time(7, 0)  # issue 4
    ignored_in_row_to_pause: int = 5  # issue 4: auto-pause after 5 ignored alerts in a row
    auto_pause_days: int = 30  # ours: DOMAIN.md's middle snooze length, one month
    ignored_after_hours: int = 24  # ours: an alert unanswered for a day counts as ignored
    quiet_margin_hours: float = 4.0  # ours: blood needed within 4 h after quiet hours end
    # cannot wait for the morning (a 3 a.m. emergency wakes donors; a next-day need does not)


DEFAULT_BROADCAST_RULES = BroadcastRules()

BROADCASTING_STATUSES = frozenset(
    {RequestStatus.VERIFIED, RequestStatus.BROADCASTING, RequestStatus.PARTLY_FULFILLED})
"""Requests in these states are broadcast: approved by an admin and not yet closed."""


class AlertResponse(StrEnum):
    """What a donor did with an alert."""

    NONE = "none"  # not answered yet
    PLEDGED = "pledged"
    DECLINED = "declined"
    NOT_ELIGIBLE = "not_eligible"
    IGNORED = "ignored"  # unanswered for `ignored_after_hours`


class PledgeStatus(StrEnum):
    """Where a donor's commitment to come stands."""

    ACTIVE = "active"
    WITHDRAWN = "withdrawn"
    DONATED = "donated"
    NO_SHOW = "no_show"


COUNTED_PLEDGES = frozenset({PledgeStatus.ACTIVE, PledgeStatus.DONATED})
"""Pledges that count toward the units a request needs."""


class StopReason(StrEnum):
    """Why no further wave is sent for a request."""

    ENOUGH_PLEDGED = "enough_pledged"
    CLOSED = "closed"  # fulfilled, cancelled, expired, rejected, or never approved
    REQUIRED_BY_PASSED = "required_by_passed"
    RADII_EXHAUSTED = "radii_exhausted"


@dataclass(frozen=True)
class NextWave:
    """The wave to send next: its 1-based number, radius and due time."""

    number: int
    radius_km: float
    due_at: datetime


def donation_kind_for(component: Component) -> DonationKind:
    """Return how a donor gives `component`: SDP on a machine, everything else as whole blood."""
    return DonationKind.APHERESIS if component.is_apheresis else DonationKind.WHOLE_BLOOD


ALL_GROUP_CODES = frozenset(BloodGroup(abo, rh).code for abo in Abo for rh in Rh)
"""Every blood group a donor may have stored, including not known."""


def donor_group_codes(draft: RequestDraft) -> frozenset[str]:
    """Return the donor groups that may answer a request (DOMAIN.md compatibility).

    A replacement request, or one whose patient group is unknown, takes any group except
    Bombay (hh): hh donors are alerted only for hh patients.
    """
    found = None if draft.kind is RequestKind.REPLACEMENT else compatible_donors(
        draft.patient_group, draft.component, patient_sex=draft.patient_sex,
        patient_age=draft.patient_age)
    if found is not None:
        return frozenset(group.code for group in found.allowed)
    hh_patient = draft.patient_group.abo is Abo.BOMBAY
    return frozenset(code for code in ALL_GROUP_CODES
                     if hh_patient or BloodGroup.from_code(code).abo is not Abo.BOMBAY)


def is_critical(draft: RequestDraft) -> bool:
    """Tell whether a request is critical: platelets, or a group-specific rare-group need."""
    rare = draft.kind is RequestKind.GROUP_SPECIFIC and draft.patient_group.is_rare
    return draft.component.is_platelets or rare


def in_quiet_hours(now: datetime, tz: tzinfo, rules: BroadcastRules = DEFAULT_BROADCAST_RULES
                   ) -> bool:
    """Tell whether `now` falls in the quiet hours of zone `tz`."""
    local = now.astimezone(tz).time()
    start, end = rules.quiet_start, rules.quiet_end
    if start <= end:
        return start <= local < end
    return local >= start or local < end


def waits_for_morning(draft: RequestDraft, now: datetime, tz: tzinfo,
                      rules: BroadcastRules = DEFAULT_BROADCAST_RULES) -> bool:
    """Tell whether a wave should wait for quiet hours to end before alerting anyone.

    Critical requests never wait, and neither does blood needed so soon that waiting until
    morning would leave too little time to reach the hospital.
    """
    if is_critical(draft) or not in_quiet_hours(now, tz, rules):
        return False
    morning = quiet_hours_end(now, tz, rules)
    return draft.required_by > morning + timedelta(hours=rules.quiet_margin_hours)


def quiet_hours_end(now: datetime, tz: tzinfo,
                    rules: BroadcastRules = DEFAULT_BROADCAST_RULES) -> datetime:
    """Return the next end of quiet hours after `now`, in UTC."""
    local = now.astimezone(tz)
    end = datetime.combine(local.date(), rules.quiet_end, tzinfo=tz)
    if end <= local:
        end = datetime.combine(local.date() + timedelta(days=1), rules.quiet_end, tzinfo=tz)
    return end.astimezone(UTC)


def alerts_for_wave(units_needed: int, pledged: int,
                    rules: BroadcastRules = DEFAULT_BROADCAST_RULES) -> int:
    """Return how many donors one wave may alert: units still wanted × alerts per unit.

    Units still wanted include the buffer, since waves go on until it is pledged too.
    """
    wanted = units_needed + rules.pledge_buffer_units - pledged
    return max(wanted, 0) * rules.alerts_per_unit


def stop_reason(*, pledged: int, units: int, status: RequestStatus, required_by: datetime,
                now: datetime, rules: BroadcastRules = DEFAULT_BROADCAST_RULES
                ) -> StopReason | None:
    """Return why broadcasting must stop now, or None when it may go on."""
    if status not in BROADCASTING_STATUSES:
        return StopReason.CLOSED
    if pledged >= units + rules.pledge_buffer_units:
        return StopReason.ENOUGH_PLEDGED
    if now >= required_by:
        return StopReason.REQUIRED_BY_PASSED
    return None


def first_wave(now: datetime, rules: BroadcastRules = DEFAULT_BROADCAST_RULES) -> NextWave:
    """Return wave 1: the smallest radius, due right away (after approval)."""
    return NextWave(1, rules.radii_km[0], now)


def next_wave(*, number: int, pledged: int, units: int, status: RequestStatus,
              required_by: datetime, now: datetime, critical: bool,
              rules: BroadcastRules = DEFAULT_BROADCAST_RULES) -> NextWave | StopReason:
    """Return the wave after wave `number` (finished at `now`), or why there is none."""
    stop = stop_reason(pledged=pledged, units=units, status=status, required_by=required_by,
                       now=now, rules=rules)
    if stop is not None:
        return stop
    if number >= len(rules.radii_km):
        return StopReason.RADII_EXHAUSTED
    minutes = rules.critical_wave_minutes if critical else rules.wave_minutes
    due_at = now + timedelta(minutes=minutes)
    if due_at >= required_by:
        return StopReason.REQUIRED_BY_PASSED
    return NextWave(number + 1, rules.radii_km[number], due_at)
