"""Blocked phones and the open-request limit, shared by the sign-up and request flows."""

from __future__ import annotations

from conversations.flow import Turn
from conversations.i18n import _
from storage.domain.phones import normalize_phone

OPEN_REQUESTS_PER_ATTENDANT = 3  # issue 3 "Abuse": at most 3 open requests per attendant phone

NEUTRAL_REFUSAL = _("Sorry, we cannot take this request here. Please contact your nearest "
                    "blood bank.")
"""The one reply a blocked phone gets: it does not say that the number is blocked."""


def channel_phone(turn: Turn) -> str | None:
    """Return the sender's phone as the channel vouched for it, in E.164, if any."""
    return normalize_phone(turn.inbound.phone) if turn.inbound.phone else None


def any_blocked(turn: Turn, *phones: str | None) -> bool:
    """Tell whether any of these phones (None is skipped) is blocked."""
    return any(phone and turn.services.admin.is_blocked(phone) for phone in phones)
