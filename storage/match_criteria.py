"""What a request asks of donors, what a match is, and the order matches are alerted in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import NamedTuple

from sqlmodel import Session, col, select

from storage.domain.broadcast import donation_kind_for, donor_group_codes
from storage.domain.eligibility import DonationKind
from storage.request_rows import summary_of
from storage.tables import AddressRow, BloodRequest

_NEVER_ALERTED = datetime.min.replace(tzinfo=UTC)
_DISTANCE_DIGITS = 6  # ties within a millimetre count as the same distance


@dataclass(frozen=True)
class Match:
    """A donor to alert: where to reach them, in which language, and how far they are."""

    person_id: int
    address_keys: tuple[str, ...]  # reachable addresses, the most recently active first
    language: str
    distance_km: float
    last_alerted_at: datetime | None
    blood_group: str


@dataclass(frozen=True)
class Criteria:
    """What one request asks of donors."""

    request_id: int
    latitude: float
    longitude: float
    groups: frozenset[str]  # donor blood-group codes that may answer
    kind: DonationKind  # how the donor would give
    needed_on: date  # the required-by day in the users' time zone


class Candidate(NamedTuple):
    """One donor row read for matching."""

    person_id: int
    latitude: float
    longitude: float
    blood_group: str
    sex: str
    date_of_birth: date
    language: str
    last_alerted_at: datetime | None


def criteria_for(session: Session, request_code: str, tz: tzinfo) -> Criteria:
    """Read what request `request_code` asks of donors; raise LookupError if it is unknown."""
    row = session.exec(select(BloodRequest).where(BloodRequest.code == request_code)).first()
    if row is None or row.id is None:
        raise LookupError(f"no request {request_code}")
    draft = summary_of(row).draft
    return Criteria(row.id, row.hospital_latitude, row.hospital_longitude,
                    donor_group_codes(draft), donation_kind_for(draft.component),
                    row.required_by.astimezone(tz).date())


def rank_key(distance_km: float, last_alerted_at: datetime | None,
             person_id: int) -> tuple[float, datetime, int]:
    """Order matches: nearest first, then the longest since their last alert (never first)."""
    return (round(distance_km, _DISTANCE_DIGITS), last_alerted_at or _NEVER_ALERTED, person_id)


def addresses_of(session: Session, person_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    """Return each person's reachable address keys, the most recently active first."""
    found: dict[int, list[str]] = {pid: [] for pid in person_ids}
    rows = session.exec(
        select(AddressRow.person_id, AddressRow.key)
        .where(col(AddressRow.person_id).in_(list(person_ids)),
               col(AddressRow.unreachable_at).is_(None))
        .order_by(col(AddressRow.last_inbound_at).desc().nulls_last(), col(AddressRow.key)))
    for person_id, key in rows:
        if person_id is not None:
            found[person_id].append(key)
    return {pid: tuple(keys) for pid, keys in found.items()}
