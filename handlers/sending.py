"""The contract between the courier and a channel: a Sender and the failures it may raise."""

from __future__ import annotations

from typing import Protocol

from conversations.messages import Outbound


class DeliveryFailed(Exception):
    """A message could not be delivered now; the courier retries it later."""

    def __init__(self, reason: str, *, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class RecipientGone(Exception):
    """The recipient can never be reached (blocked the bot, unsubscribed, unknown user)."""


class Sender(Protocol):
    """Deliver rendered messages to users of one channel.

    A sender may also have a boolean `ready` attribute (optional, so not declared here): while
    it is False the courier claims nothing for the channel, so rows wait without using up
    their retries. A sender without one is always ready; see `is_ready`.
    """

    channel: str

    async def send(self, user_id: str, message: Outbound) -> str | None:
        """Deliver `message` or raise DeliveryFailed / RecipientGone.

        Return the provider's id of the message (the one a later `Outbound.edit_of` names),
        or None when the channel has none to give; a sender that returns nothing still fits.
        """


def is_ready(sender: Sender) -> bool:
    """Tell whether the sender can send now: its `ready` attribute, True when it has none."""
    return bool(getattr(sender, "ready", True))
