"""Admin roles, verification checklists, action outcomes and the second-check rule."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from storage.domain.addresses import Address
from storage.domain.blood import BloodGroup, Component
from storage.domain.records import RequestDraft, RequestStatus, RequestSummary

MORE_UNITS_THAN = 4  # DOMAIN.md "Verification": more than 4 units deserve a second look
UNITS_RANGE = range(1, 11)  # DOMAIN.md "A blood request": units (1-10)

SECOND_CHECK_RULES: dict[str, Callable[[RequestDraft, bool], bool]] = {
    # DOMAIN.md "Verification": rare groups, more than 4 units, a first request from a new
    # number deserve a second look. Rare means Rh-negative or Bombay (BloodGroup.is_rare).
    "rare_group": lambda draft, _first: draft.patient_group.is_rare,
    "many_units": lambda draft, _first: draft.units > MORE_UNITS_THAN,
    "first_request": lambda _draft, first: first,
}
"""Each reason a request needs a second, different admin to approve it."""


class Role(StrEnum):
    """What an admin may do: everything, some districts, or verify in some districts."""

    SUPER_ADMIN = "super_admin"
    DISTRICT_ADMIN = "district_admin"
    VERIFIER = "verifier"


@dataclass(frozen=True)
class Grant:
    """One phone's role; districts are empty for a super-admin."""

    phone: str  # E.164
    role: Role
    districts: frozenset[str] = frozenset()

    def covers(self, district: str) -> bool:
        """Tell whether this admin may act on a request in `district` (case-insensitive)."""
        if self.role is Role.SUPER_ADMIN:
            return True
        return district.casefold() in {d.casefold() for d in self.districts}


@dataclass(frozen=True)
class Checklist:
    """What the verifying admin checked before approving."""

    called_ward: bool
    slip_seen: bool
    name_matches: bool
    note: str | None = None

    def as_detail(self) -> dict[str, Any]:
        """Return the checklist for the audit log; the note itself stays out of it."""
        return {"called_ward": self.called_ward, "slip_seen": self.slip_seen,
                "name_matches": self.name_matches, "noted": bool(self.note)}


class Outcome(StrEnum):
    """How an admin's action on a request ended."""

    DONE = "done"
    NEEDS_SECOND_CHECK = "needs_second_check"  # first approval recorded, not yet verified
    ALREADY_DONE = "already_done"  # someone (maybe this admin) already did it
    WRONG_STATE = "wrong_state"  # e.g. approving a rejected or closed request
    NOT_FOUND = "not_found"
    OUT_OF_SCOPE = "out_of_scope"  # not an admin, or not of this request's district
    SAME_ADMIN = "same_admin"  # the second check needs a different admin
    BAD_VALUE = "bad_value"  # an edit whose value does not fit the field


@dataclass(frozen=True)
class ActionResult:
    """The outcome, the request as it now stands and the status it had before."""

    outcome: Outcome
    summary: RequestSummary | None = None
    previous_status: RequestStatus | None = None


class EditField(StrEnum):
    """The request fields an admin may correct."""

    GROUP = "group"
    COMPONENT = "component"
    UNITS = "units"
    REQUIRED_BY = "required_by"
    HOSPITAL = "hospital"


EditValue = BloodGroup | Component | int | datetime | str
"""A parsed value for an `EditField`; `edit_value_fits` tells whether it suits the field."""


def edit_value_fits(field: EditField, value: EditValue) -> bool:
    """Tell whether `value` is of the field's type and within its limits."""
    match field:
        case EditField.GROUP:
            return isinstance(value, BloodGroup)
        case EditField.COMPONENT:
            return isinstance(value, Component)
        case EditField.UNITS:
            return type(value) is int and value in UNITS_RANGE
        case EditField.REQUIRED_BY:
            return isinstance(value, datetime) and value.utcoffset() is not None
        case EditField.HOSPITAL:
            return isinstance(value, str) and bool(value.strip())


def shown(value: EditValue) -> str:
    """Return the stable text form of an edit value, as stored and shown in changes."""
    if isinstance(value, BloodGroup):
        return value.code
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class Change:
    """One corrected field, before and after, in the text form of `shown`."""

    field: EditField
    old: str
    new: str


@dataclass(frozen=True)
class EditResult:
    """How an edit ended and what it changed (nothing when the value was already there)."""

    result: ActionResult
    changes: tuple[Change, ...] = ()


@dataclass(frozen=True)
class AdminView:
    """A request as admins see it: the summary plus reports and approvals so far."""

    summary: RequestSummary
    reports: int
    approvals: tuple[str, ...]  # the approving admins' phones, oldest first
    second_check: tuple[str, ...]  # the SECOND_CHECK_RULES reasons that apply
    escalated_at: datetime | None = None


@dataclass(frozen=True)
class Contact:
    """Someone to notify, on one channel, in their language."""

    address: Address
    language: str


@dataclass(frozen=True)
class AuditLine:
    """One line of a request's history, for /audit."""

    at: datetime
    actor: str
    action: str
    detail: Mapping[str, Any]


@dataclass(frozen=True)
class Stats:
    """Counts for /stats, over one district or all of them."""

    requests_by_status: Mapping[str, int]
    donors_by_group: Mapping[str, int]
    median_minutes_to_verify: float | None
    lives_helped: int  # fulfilled requests: our choice until DOMAIN.md defines it


def second_check_reasons(draft: RequestDraft, is_first_request: bool) -> tuple[str, ...]:
    """Return why this request needs a second admin's approval (empty when it does not)."""
    return tuple(name for name, rule in SECOND_CHECK_RULES.items()
                 if rule(draft, is_first_request))


def needs_second_check(draft: RequestDraft, is_first_request: bool) -> bool:
    """Tell whether a second, different admin must approve this request."""
    return bool(second_check_reasons(draft, is_first_request))
