"""Follow-up rules and records: outcome questions, still-needed checks, reminders, groups."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from storage.domain.addresses import Address
from storage.domain.records import RequestStatus, RequestSummary


@dataclass(frozen=True)
class FollowupRules:
    """Hold every follow-up number; settings may pass another instance.

    Source: issue 4 ("Outcome loop", "Lifecycle"); where it gives no value the comment says
    "ours" and why.
    """

    outcome_after_minutes: int = 120  # ours: two hours after the pledged time to donate
    still_needed_before_minutes: int = 120  # ours: ask two hours before required-by
    expire_grace_hours: int = 6  # ours: the "required-by + grace"
    extend_hours: int = 24  # ours: "still needed" moves required-by on by a day
    reminder_hour: int = 9  # ours: the "donate again" reminder goes at 09:00 local


DEFAULT_FOLLOWUP_RULES = FollowupRules()


class FollowupKind(StrEnum):
    """What a scheduled follow-up asks or says."""

    DONOR_OUTCOME = "donor_outcome"
    ATTENDANT_OUTCOME = "attendant_outcome"
    STILL_NEEDED = "still_needed"
    ELIGIBLE_AGAIN = "eligible_again"


@dataclass(frozen=True)
class Ask:
    """A question or reminder to send now: whom, in which language, about what."""

    kind: FollowupKind
    ticket: int  # the follow-up's id; the attendant answers about a donor with it
    recipient: Address
    language: str
    code: str = ""
    hospital: str = ""
    donor_name: str = ""
    donor: int = 0  # ATTENDANT_OUTCOME: the donor asked about (person id)
    on: date | None = None  # ELIGIBLE_AGAIN: the first day the donor may give again


@dataclass(frozen=True)
class DonationAnswer:
    """What an outcome answer did: recorded a donation, counted a no-show, or nothing."""

    code: str
    hospital: str
    donated: bool
    donor: Address | None  # where the donor hears the thanks
    donor_language: str
    eligible_again: date | None = None


@dataclass(frozen=True)
class Closed:
    """A request that has just closed, and who filed it."""

    code: str
    status: RequestStatus
    requester: Address | None
    language: str


@dataclass(frozen=True)
class GroupPost:
    """A group chat to post a request to (or to tell that it closed)."""

    group: Address
    summary: RequestSummary
    message_id: str | None = None  # the post as the channel numbered it, to edit on closing
