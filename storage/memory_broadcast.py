"""An in-memory implementation of the broadcast services, over a `MemoryServices`' data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from storage.domain.addresses import Address
from storage.domain.admin import AuditLine, Contact
from storage.domain.broadcast import (
    BROADCASTING_STATUSES,
    DEFAULT_BROADCAST_RULES,
    AlertResponse,
    PledgeStatus,
    donation_kind_for,
    donor_group_codes,
)
from storage.domain.eligibility import check_eligibility
from storage.domain.places import haversine_km
from storage.domain.pledges import (
    AlertView,
    DonorCard,
    HospitalContact,
    Reveal,
    Volunteering,
    first_name,
)
from storage.domain.records import RequestSummary
from storage.domain.relay import RelayRoute, RelaySide

if TYPE_CHECKING:
    from storage.memory import MemoryServices


@dataclass
class MemoryAlert:
    """One donor's alert about one request, with their answer and pledge."""

    distance_km: float
    response: AlertResponse = AlertResponse.NONE
    pledge_eta: datetime | None = None
    pledge_status: PledgeStatus | None = None


class MemoryBroadcastServices:
    """Keep alerts and pledges by (address key, code); tests alert donors with `alert`."""

    def __init__(self, base: MemoryServices) -> None:
        """Read requests and donors from `base`; audit into `base.admin.audit`."""
        self.base = base
        self.started: dict[str, datetime] = {}
        self.alerts: dict[tuple[str, str], MemoryAlert] = {}
        self.resumed: dict[str, datetime] = {}
        """When the waves of each request last restarted after a withdrawn pledge."""

    def alert(self, address: Address, code: str, distance_km: float) -> None:
        """Record that a wave alerted the donor behind `address` about `code`."""
        self.alerts.setdefault((address.key, code), MemoryAlert(distance_km))

    def pledged_units(self, code: str) -> int:
        """Count the active pledges for `code`."""
        return sum(1 for (_key, c), a in self.alerts.items()
                   if c == code and a.pledge_status is PledgeStatus.ACTIVE)

    def start(self, code: str, now: datetime) -> bool:
        """Remember when the broadcast of `code` started; False if it already had."""
        if code in self.started:
            return False
        self.started[code] = now
        return True

    def alert_for(self, address: Address, code: str) -> AlertView | None:
        """Return the stored alert with the request as it stands now."""
        alert, entry = self.alerts.get((address.key, code)), self.base.requests.get(code)
        if alert is None or entry is None:
            return None
        active = alert.pledge_status is PledgeStatus.ACTIVE
        return AlertView(entry[1], alert.distance_km, alert.response,
                         alert.pledge_eta if active else None)

    def volunteer(self, address: Address, code: str, now: datetime,
                  zone: tzinfo) -> Volunteering:
        """Alert a donor who came by themselves, if their group and eligibility allow."""
        profile, entry = self.base.donors.get(address.key), self.base.requests.get(code)
        if entry is None:
            return Volunteering.NOT_FOUND
        if profile is None:
            return Volunteering.NOT_A_DONOR
        summary = entry[1]
        draft = summary.draft
        if summary.status not in BROADCASTING_STATUSES:
            return Volunteering.NOT_NEEDED
        if profile.blood_group.code not in donor_group_codes(draft):
            return Volunteering.WRONG_GROUP
        history = [profile.last_donation] if profile.last_donation else []
        if not profile.weight_ok or not check_eligibility(
                sex=profile.sex, date_of_birth=profile.date_of_birth, history=history,
                deferrals=profile.deferrals, needed_on=draft.required_by.astimezone(zone).date(),
                kind=donation_kind_for(draft.component)).eligible:
            return Volunteering.NOT_ELIGIBLE
        hospital, home = draft.hospital_place, profile.place
        self.alert(address, code, haversine_km(hospital.latitude, hospital.longitude,
                                               home.latitude, home.longitude))
        return Volunteering.ACCEPTED

    def respond(self, address: Address, code: str, response: AlertResponse,
                now: datetime) -> bool:
        """Store the answer."""
        alert = self.alerts.get((address.key, code))
        if alert is None:
            return False
        alert.response = response
        return True

    def pledge(self, address: Address, code: str, eta: datetime, now: datetime) -> bool:
        """Store an active pledge while the request is still broadcast."""
        alert, entry = self.alerts.get((address.key, code)), self.base.requests.get(code)
        if alert is None or entry is None or entry[1].status not in BROADCASTING_STATUSES:
            return False
        alert.response, alert.pledge_eta = AlertResponse.PLEDGED, eta
        alert.pledge_status = PledgeStatus.ACTIVE
        return True

    def withdraw(self, address: Address, code: str, now: datetime) -> bool:
        """Withdraw an active pledge."""
        alert = self.alerts.get((address.key, code))
        if alert is None or alert.pledge_status is not PledgeStatus.ACTIVE:
            return False
        alert.pledge_status = PledgeStatus.WITHDRAWN
        entry = self.base.requests.get(code)
        if entry is not None and self._short_of_pledges(entry[1], now):
            self.resumed[code] = now  # as `storage.broadcast_resume.resume_broadcast` does
        return True

    def contact_for_donor(self, code: str) -> HospitalContact | None:
        """Return the request's hospital and attendant."""
        entry = self.base.requests.get(code)
        if entry is None:
            return None
        draft = entry[1].draft
        return HospitalContact(code, draft.hospital_name, draft.hospital_place.label,
                               draft.ward, draft.attendant_name, draft.attendant_phone,
                               draft.required_by)

    def donor_card(self, address: Address) -> DonorCard | None:
        """Return the stored profile's first name, phone and share consent."""
        profile = self.base.donors.get(address.key)
        if profile is None:
            return None
        return DonorCard(first_name(profile.name), profile.phone,
                         profile.consents.share_phone, profile.language)

    def record_reveal(self, address: Address, code: str, reveal: Reveal,
                      now: datetime) -> None:
        """Append the reveal to the admin services' audit lines."""
        line = AuditLine(now, address.key, reveal.value, {})
        self.base.admin.audit.append((f"request:{code}", line))

    def relay_route(self, address: Address, code: str) -> RelayRoute | None:
        """Route the family to every donor with an active pledge, and such a donor back."""
        entry = self.base.requests.get(code)
        if entry is None:
            return None
        pledged = [key for (key, c), a in self.alerts.items()
                   if c == code and a.pledge_status is PledgeStatus.ACTIVE]
        if address.key == entry[0]:
            donors = tuple(Contact(Address.from_key(key), self._language(key)) for key in pledged)
            return RelayRoute(code, RelaySide.FAMILY, donors) if donors else None
        if address.key not in pledged:
            return None
        profile = self.base.donors.get(address.key)
        family = Contact(Address.from_key(entry[0]), entry[1].draft.language)
        return RelayRoute(code, RelaySide.DONOR, (family,),
                          shows_phones=profile is not None and profile.consents.share_phone)

    def record_relay(self, address: Address, route: RelayRoute, now: datetime) -> None:
        """Append the relay (never its text) to the admin services' audit lines."""
        line = AuditLine(now, address.key, route.audit_action,
                         {"recipients": len(route.recipients)})
        self.base.admin.audit.append((f"request:{route.code}", line))

    def _short_of_pledges(self, summary: RequestSummary, now: datetime) -> bool:
        wanted = summary.draft.units + DEFAULT_BROADCAST_RULES.pledge_buffer_units
        return summary.status in BROADCASTING_STATUSES and now < summary.draft.required_by \
            and self.pledged_units(summary.code) < wanted

    def _language(self, key: str) -> str:
        profile = self.base.donors.get(key)
        return "en" if profile is None else profile.language
