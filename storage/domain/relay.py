"""Relayed messages between a donor who pledged and the family, when no phone was shared.

DOMAIN.md "Broadcasts and contact" and issue 4: the attendant gets the donor's first name
and phone only if the donor consented to sharing; otherwise the bot relays messages between
them. Only the two parties of an active pledge may relay, and each relay is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from storage.domain.admin import Contact


class RelaySide(StrEnum):
    """Who sends a relayed message; the value is part of the audit log's action."""

    DONOR = "donor"  # a donor with an active pledge, writing to the family
    FAMILY = "family"  # the requester, writing to every donor with an active pledge


@dataclass(frozen=True)
class RelayRoute:
    """Where a message relayed about one request goes, and whether phones in it may show."""

    code: str
    sender: RelaySide
    recipients: tuple[Contact, ...]
    shows_phones: bool = False  # only a donor who consented to share their phone (c)

    @property
    def audit_action(self) -> str:
        """Return the audit action of one relay along this route (the text is never kept)."""
        return f"relay.from_{self.sender.value}"
