"""What flows may ask of the outside world; the runtime passes an implementation in.

The SQL implementation works inside the turn's transaction, so every write a flow makes is
committed together with the new conversation state, or not at all.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from conversations.admin_services import AdminServices
from conversations.broadcast_services import BroadcastServices
from conversations.followup_services import FollowupServices
from storage.domain.addresses import Address
from storage.domain.places import Place
from storage.domain.records import DonorProfile, RequestDraft, RequestSummary


class Services(Protocol):
    """Lookups and writes available to a step."""

    @property
    def admin(self) -> AdminServices:
        """Return the roles, blocking and verification services (same transaction)."""

    @property
    def broadcast(self) -> BroadcastServices:
        """Return the broadcast, answer and pledge services (same transaction)."""

    @property
    def followups(self) -> FollowupServices:
        """Return the outcome, lifecycle and donor group services (same transaction)."""

    def resolve_place(self, text: str) -> Place | None:
        """Resolve a PIN code or district/city name offline."""

    def place_at(self, latitude: float, longitude: float) -> Place | None:
        """Resolve a shared location to the nearest known place in India."""

    def place_suggestions(self, text: str) -> list[str]:
        """Suggest district names close to a misspelt one."""

    def donor_profile(self, address: Address) -> DonorProfile | None:
        """Return the donor profile of the person behind `address`, if any."""

    def save_donor_profile(self, address: Address, profile: DonorProfile, now: datetime) -> None:
        """Create or replace the donor profile of the person behind `address`."""

    def set_alerts_paused_until(self, address: Address, until: datetime | None) -> None:
        """Pause (or resume, with None) alerts for this donor."""

    def set_alert_consent(self, address: Address, given: bool, now: datetime) -> bool:
        """Give or withdraw consent (b), alerts; return False if there is no donor profile."""

    def delete_person(self, address: Address, now: datetime) -> None:
        """Hard-delete the person's personal data, keeping only anonymous counts."""

    def find_recent_request(
        self, *, patient_name: str, hospital_name: str, attendant_phone: str, since: datetime
    ) -> RequestSummary | None:
        """Return an open request for the same patient, hospital and attendant since `since`."""

    def create_request(
        self, address: Address, draft: RequestDraft, now: datetime
    ) -> RequestSummary:
        """Store a new request as pending verification and return it with its public code."""

    def requests_by(self, address: Address) -> list[RequestSummary]:
        """Return the requests filed from this address, newest first."""
