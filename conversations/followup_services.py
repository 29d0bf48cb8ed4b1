"""What follow-up commands may ask of the outside world; the runtime passes an implementation.

Methods that write take `now`, work in the turn's transaction and never commit. Each checks
that the sender may act: a donor answers only questions sent to them, an attendant only about
requests they filed.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Protocol

from storage.domain.addresses import Address
from storage.domain.followups import Closed, DonationAnswer
from storage.domain.places import Place
from storage.domain.records import RequestStatus


class FollowupServices(Protocol):
    """Outcome answers, request lifecycle by the attendant, alert pauses and donor groups."""

    def answer_outcome(self, code: str, sender: Address, donated: bool, now: datetime,
                       zone: tzinfo, donor_person: int | None = None) -> DonationAnswer | None:
        """Record a donor's answer (or the attendant's about `donor_person`); None if unasked."""

    def still_needed(self, code: str, requester: Address, now: datetime) -> datetime | None:
        """Keep the sender's request open longer; return its new required-by, or None."""

    def close_by_requester(self, code: str, requester: Address, status: RequestStatus,
                           now: datetime) -> Closed | None:
        """Close the sender's own open request; None when it is not theirs or not open."""

    def resume_alerts(self, address: Address) -> bool:
        """Lift a pause on the donor's alerts; False when they are not a donor."""

    def register_group(self, group: Address, place: Place, radius_km: float | None,
                       by: Address, now: datetime) -> None:
        """Register a group chat to a district, or to a PIN centre and radius."""

    def unregister_group(self, group: Address, by: Address, now: datetime) -> bool:
        """Stop posting to a group chat; False when it was not registered."""
