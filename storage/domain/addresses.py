"""Addresses: one user on one channel."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Address:
    """One user on one channel: a Telegram chat id, a WhatsApp E.164 number, a console name."""

    channel: str
    user_id: str

    @property
    def key(self) -> str:
        """Return the stable string form used as a database key."""
        return f"{self.channel}:{self.user_id}"

    @classmethod
    def from_key(cls, key: str) -> Address:
        """Parse the form produced by `key`."""
        channel, _, user_id = key.partition(":")
        return cls(channel, user_id)
