"""What a donor and an attendant learn of each other: alerts, pledges, contacts and reveals."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from storage.domain.broadcast import BROADCASTING_STATUSES, AlertResponse
from storage.domain.records import RequestSummary

_CODE = re.compile(r"r\s*-?\s*(\d{4,7})", re.IGNORECASE)
"""A public request code as people type it: "R-4821", "r4821", "R 4821" (storage.services)."""
_EDGES = ".,;:!?#'\"()"


def parse_request_code(text: str) -> str | None:
    """Return the request code a message consists of ("r4821" → "R-4821"), else None."""
    found = _CODE.fullmatch(text.strip().strip(_EDGES).strip())
    return None if found is None else f"R-{found[1]}"


@dataclass(frozen=True)
class AlertView:
    """A request as a donor it was sent to sees it: how far, how they answered, their pledge."""

    summary: RequestSummary
    distance_km: float
    response: AlertResponse
    pledged_eta: datetime | None = None  # the donor's active pledge, if any

    @property
    def still_needed(self) -> bool:
        """Tell whether donors may still answer: approved and not yet closed."""
        return self.summary.status in BROADCASTING_STATUSES


@dataclass(frozen=True)
class HospitalContact:
    """Where a donor who pledged goes and whom they call (shown only after a pledge)."""

    code: str
    hospital_name: str
    place_label: str
    ward: str | None
    attendant_name: str
    attendant_phone: str
    required_by: datetime


@dataclass(frozen=True)
class DonorCard:
    """What the attendant may learn of a donor who pledged: the phone only with consent (c)."""

    first_name: str
    phone: str
    share_phone: bool
    language: str


class Volunteering(StrEnum):
    """Whether a donor who was not alerted (a group post, a forwarded code) may answer."""

    ACCEPTED = "accepted"  # they may answer now, as if alerted
    NOT_FOUND = "not_found"
    NOT_A_DONOR = "not_a_donor"
    NOT_NEEDED = "not_needed"  # not verified yet, or closed
    WRONG_GROUP = "wrong_group"
    NOT_ELIGIBLE = "not_eligible"  # by the required-by day, from what their profile says


class Reveal(StrEnum):
    """A phone number shown to someone else; the value is the audit log's action."""

    ATTENDANT_PHONE = "reveal.attendant_phone"  # the attendant's phone, to a donor who pledged
    DONOR_PHONE = "reveal.donor_phone"  # a donor's phone, to the attendant (consent c)


def first_name(name: str) -> str:
    """Return the first word of a person's name, the only part another user is shown."""
    words = name.split()
    return words[0] if words else ""
