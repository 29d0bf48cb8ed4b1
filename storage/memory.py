"""An in-memory implementation of the flows' services, for engine and contract tests."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable
from datetime import datetime

from storage.domain.addresses import Address
from storage.domain.places import Place
from storage.domain.records import (
    DonorProfile,
    RequestDraft,
    RequestStatus,
    RequestSummary,
)
from storage.followup_services import NoFollowupServices


class MemoryServices:
    """Keep donors and requests in dictionaries; places come from a resolver passed in."""

    def __init__(
        self,
        resolve: Callable[[str], Place | None] | None = None,
        locate: Callable[[float, float], Place | None] | None = None,
        suggest: Callable[[str], list[str]] | None = None,
        seed: int = 0,
    ) -> None:
        self._resolve = resolve or (lambda _text: None)
        self._locate = locate or (lambda _lat, _lon: None)
        self._suggest = suggest or (lambda _text: [])
        self._random = random.Random(seed)
        self.donors: dict[str, DonorProfile] = {}
        self.requests: dict[str, tuple[str, RequestSummary]] = {}
        self.deleted: list[str] = []
        from storage.memory_admin import MemoryAdminServices  # it builds on this class
        from storage.memory_broadcast import MemoryBroadcastServices

        self.admin = MemoryAdminServices(self)
        """Roles, blocking and verification over these same requests."""
        self.broadcast = MemoryBroadcastServices(self)
        """Alerts, answers and pledges over these same requests and donors."""
        self.followups = NoFollowupServices()
        """Follow-ups need the scheduled jobs' tables: none in memory."""

    def resolve_place(self, text: str) -> Place | None:
        """Resolve a place with the injected resolver."""
        return self._resolve(text)

    def place_at(self, latitude: float, longitude: float) -> Place | None:
        """Resolve coordinates with the injected locator."""
        return self._locate(latitude, longitude)

    def place_suggestions(self, text: str) -> list[str]:
        """Suggest names with the injected suggester."""
        return self._suggest(text)

    def donor_profile(self, address: Address) -> DonorProfile | None:
        """Return the stored profile."""
        return self.donors.get(address.key)

    def save_donor_profile(self, address: Address, profile: DonorProfile, now: datetime) -> None:
        """Store the profile."""
        self.donors[address.key] = profile

    def set_alert_consent(self, address: Address, given: bool, now: datetime) -> bool:
        """Change consent (b) on the stored profile."""
        profile = self.donors.get(address.key)
        if profile is None:
            return False
        consents = dataclasses.replace(profile.consents, alerts=given, recorded_at=now)
        self.donors[address.key] = dataclasses.replace(profile, consents=consents)
        return True

    def set_alerts_paused_until(self, address: Address, until: datetime | None) -> None:
        """Pause or resume alerts on the stored profile."""
        profile = self.donors.get(address.key)
        if profile is not None:
            self.donors[address.key] = dataclasses.replace(profile, paused_until=until)

    def delete_person(self, address: Address, now: datetime) -> None:
        """Forget the donor and the personal data of their requests."""
        self.donors.pop(address.key, None)
        self.requests = {c: v for c, v in self.requests.items() if v[0] != address.key}
        self.deleted.append(address.key)

    def find_recent_request(
        self, *, patient_name: str, hospital_name: str, attendant_phone: str, since: datetime
    ) -> RequestSummary | None:
        """Find an open request for the same patient, hospital and attendant phone."""
        for _owner, summary in self.requests.values():
            draft = summary.draft
            if (
                summary.status.is_open
                and summary.created_at >= since
                and draft.patient_name.casefold() == patient_name.casefold()
                and draft.hospital_name.casefold() == hospital_name.casefold()
                and draft.attendant_phone == attendant_phone
            ):
                return summary
        return None

    def create_request(
        self, address: Address, draft: RequestDraft, now: datetime
    ) -> RequestSummary:
        """Store the request under a fresh public code."""
        code = f"R-{self._random.randint(1000, 9999)}"
        while code in self.requests:
            code = f"R-{self._random.randint(1000, 99999)}"
        summary = RequestSummary(code, RequestStatus.PENDING_VERIFICATION, draft, now)
        self.requests[code] = (address.key, summary)
        return summary

    def requests_by(self, address: Address) -> list[RequestSummary]:
        """Return the requests filed from this address, newest first."""
        mine = [s for owner, s in self.requests.values() if owner == address.key]
        return sorted(mine, key=lambda s: s.created_at, reverse=True)
