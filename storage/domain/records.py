"""The records flows produce and repositories store: donor profiles and blood requests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from storage.domain.blood import BloodGroup, Component, Sex
from storage.domain.eligibility import Deferral, Donation
from storage.domain.places import Place


class Availability(StrEnum):
    """When a donor is usually able to come."""

    ANY_TIME = "any_time"
    DAYTIME = "daytime"
    WEEKENDS = "weekends"
    EMERGENCIES = "emergencies"
    NOT_NOW = "not_now"


class RequestKind(StrEnum):
    """Whether any donor may help (replacement) or only compatible ones (group-specific)."""

    REPLACEMENT = "replacement"
    GROUP_SPECIFIC = "group_specific"


class RequestStatus(StrEnum):
    """A blood request's lifecycle (DOMAIN.md)."""

    PENDING_VERIFICATION = "pending_verification"
    VERIFIED = "verified"
    BROADCASTING = "broadcasting"
    PARTLY_FULFILLED = "partly_fulfilled"
    FULFILLED = "fulfilled"
    EXPIRED = "expired"
    REJECTED = "rejected"
    CANCELLED = "cancelled"

    @property
    def is_open(self) -> bool:
        """Tell whether the request still needs work."""
        return self not in CLOSED_STATUSES


CLOSED_STATUSES = frozenset(
    {RequestStatus.FULFILLED, RequestStatus.EXPIRED, RequestStatus.REJECTED,
     RequestStatus.CANCELLED}
)

CONSENT_WORDING_VERSION = "2026-12-privacy-v1"
"""Names the privacy notice and consent wording a donor agreed to; bump when it changes."""


@dataclass(frozen=True)
class Consents:
    """The three separate consents of DOMAIN.md, with when they were last given or withdrawn."""

    registry: bool
    alerts: bool
    share_phone: bool
    recorded_at: datetime
    wording: str = CONSENT_WORDING_VERSION


@dataclass(frozen=True)
class DonorProfile:
    """A registered donor, as the sign-up flow collects it."""

    name: str
    phone: str
    blood_group: BloodGroup
    sex: Sex
    date_of_birth: date
    dob_is_estimate: bool
    weight_ok: bool
    place: Place
    last_donation: Donation | None
    deferrals: tuple[Deferral, ...]
    availability: Availability
    consents: Consents
    paused_until: datetime | None = None
    language: str = "en"


@dataclass(frozen=True)
class Attachment:
    """A file kept by reference: where the channel holds it, and its MIME type."""

    url: str
    content_type: str


@dataclass(frozen=True)
class RequestDraft:
    """A blood request as the family describes it, before verification."""

    patient_name: str
    patient_age: int
    patient_sex: Sex
    patient_group: BloodGroup
    component: Component
    units: int
    kind: RequestKind
    hospital_name: str
    hospital_place: Place
    required_by: datetime
    attendant_name: str
    attendant_phone: str
    attendant_relation: str
    ward: str | None = None
    language: str = "en"
    slip: Attachment | None = None
    """A photo of the hospital's requisition slip, for the verifying admin only."""


@dataclass(frozen=True)
class RequestSummary:
    """What a requester is shown about a stored request."""

    code: str
    status: RequestStatus
    draft: RequestDraft
    created_at: datetime
    notes: tuple[str, ...] = field(default=())
