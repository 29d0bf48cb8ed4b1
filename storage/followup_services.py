"""The follow-up services on the database, inside the caller's transaction (never committing)."""

from __future__ import annotations

from datetime import datetime, tzinfo

from sqlmodel import Session

from storage import followups, groups
from storage.domain.addresses import Address
from storage.domain.followups import Closed, DonationAnswer
from storage.domain.places import Place
from storage.domain.records import RequestStatus


class SqlFollowupServices:
    """Implement `conversations.followup_services.FollowupServices` on `storage.followups`."""

    def __init__(self, session: Session) -> None:
        """Work inside `session`."""
        self.session = session

    def answer_outcome(self, code: str, sender: Address, donated: bool, now: datetime,
                       zone: tzinfo, donor_person: int | None = None) -> DonationAnswer | None:
        """Record a donor's answer (or the attendant's about `donor_person`); None if unasked."""
        return followups.answer_outcome(self.session, code=code, sender=sender, donated=donated,
                                        now=now, tz=zone, donor_person=donor_person)

    def still_needed(self, code: str, requester: Address, now: datetime) -> datetime | None:
        """Keep the sender's request open longer; return its new required-by, or None."""
        return followups.still_needed(self.session, code=code, requester=requester, now=now)

    def close_by_requester(self, code: str, requester: Address, status: RequestStatus,
                           now: datetime) -> Closed | None:
        """Close the sender's own open request; None when it is not theirs or not open."""
        return followups.close_by_requester(self.session, code=code, requester=requester,
                                            status=status, now=now)

    def resume_alerts(self, address: Address) -> bool:
        """Lift a pause on the donor's alerts; False when they are not a donor."""
        return followups.resume_alerts(self.session, address)

    def register_group(self, group: Address, place: Place, radius_km: float | None,
                       by: Address, now: datetime) -> None:
        """Register a group chat to a district, or to a PIN centre and radius."""
        groups.register_group(self.session, group=group, place=place, radius_km=radius_km,
                              by=by, now=now)

    def unregister_group(self, group: Address, by: Address, now: datetime) -> bool:
        """Stop posting to a group chat; False when it was not registered."""
        return groups.unregister_group(self.session, group=group, by=by, now=now)


class NoFollowupServices:
    """Follow-ups for the in-memory services: nothing was ever asked, so nothing is answered."""

    def answer_outcome(self, code: str, sender: Address, donated: bool, now: datetime,
                       zone: tzinfo, donor_person: int | None = None) -> DonationAnswer | None:
        """Answer that no such question was asked."""
        return None

    def still_needed(self, code: str, requester: Address, now: datetime) -> datetime | None:
        """Answer that the request is not the sender's."""
        return None

    def close_by_requester(self, code: str, requester: Address, status: RequestStatus,
                           now: datetime) -> Closed | None:
        """Answer that the request is not the sender's."""
        return None

    def resume_alerts(self, address: Address) -> bool:
        """Answer that the sender is not a donor."""
        return False

    def register_group(self, group: Address, place: Place, radius_km: float | None,
                       by: Address, now: datetime) -> None:
        """Register nothing."""

    def unregister_group(self, group: Address, by: Address, now: datetime) -> bool:
        """Answer that the group was not registered."""
        return False
