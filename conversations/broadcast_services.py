"""What donor answers and pledges may ask of the outside world; the runtime passes one in.

The SQL implementation works inside the turn's transaction and never commits. A donor is the
person behind an address; they may answer only requests they were alerted about.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Protocol

from storage.domain.addresses import Address
from storage.domain.broadcast import AlertResponse
from storage.domain.pledges import AlertView, DonorCard, HospitalContact, Reveal, Volunteering
from storage.domain.relay import RelayRoute


class BroadcastServices(Protocol):
    """Start broadcasts, read a donor's alert, record answers and pledges, audit reveals."""

    def start(self, code: str, now: datetime) -> bool:
        """Schedule wave 1 of an approved request right away; False if it already was."""

    def alert_for(self, address: Address, code: str) -> AlertView | None:
        """Return the alert the person behind `address` got about `code`, or None."""

    def volunteer(self, address: Address, code: str, now: datetime,
                  zone: tzinfo) -> Volunteering:
        """Let a donor who was not alerted answer, if their group and eligibility allow."""

    def respond(self, address: Address, code: str, response: AlertResponse,
                now: datetime) -> bool:
        """Record the donor's answer to their alert; False when they were never alerted."""

    def pledge(self, address: Address, code: str, eta: datetime, now: datetime) -> bool:
        """Record (or move) the donor's promise to come by `eta`; False if no longer needed."""

    def withdraw(self, address: Address, code: str, now: datetime) -> bool:
        """Withdraw the donor's active pledge; False when there was none."""

    def contact_for_donor(self, code: str) -> HospitalContact | None:
        """Return the hospital, ward and attendant of `code`, for a donor who pledged."""

    def donor_card(self, address: Address) -> DonorCard | None:
        """Return the first name, phone and share consent of the donor behind `address`."""

    def record_reveal(self, address: Address, code: str, reveal: Reveal,
                      now: datetime) -> None:
        """Audit a phone shown because of the pledge the donor behind `address` made."""

    def relay_route(self, address: Address, code: str) -> RelayRoute | None:
        """Return where a message `address` relays about `code` goes; None if not a party."""

    def record_relay(self, address: Address, route: RelayRoute, now: datetime) -> None:
        """Audit one relayed message: who, about which request, which way; never the text."""
