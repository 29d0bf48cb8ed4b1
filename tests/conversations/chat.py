"""A test client that talks to the engine like a user and reads the replies."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import count
from zoneinfo import ZoneInfo

from conversations.engine import Engine, TurnResult
from conversations.messages import Address, GeoPoint, Inbound, Media, Outbound
from conversations.registry import all_commands, all_flows
from conversations.state import ConversationState
from storage.memory import MemoryServices

NOW = datetime(2026, 12, 4, 8, 30, tzinfo=ZoneInfo("UTC"))
"""14:00 in Asia/Kolkata on a Friday."""


class Chat:
    """Drive one address through the engine, round-tripping its state through JSON."""

    def __init__(self, services: MemoryServices, *, user: str = "asha", channel: str = "console",
                 lang: str | None = "en", now: datetime = NOW, phone: str | None = None) -> None:
        self.services = services
        self.engine = Engine(all_flows(), commands=all_commands())
        self.address = Address(channel, user)
        self.state = ConversationState(lang=lang)
        self.now = now
        self.phone = phone
        self.last: TurnResult | None = None
        self._ids = count(1)

    def send(self, text: str = "", *, location: tuple[float, float] | None = None,
             phone: str | None = None, media: tuple[Media, ...] = ()) -> list[Outbound]:
        """Send one message and return the replies."""
        inbound = Inbound(
            address=self.address, external_id=str(next(self._ids)), received_at=self.now,
            text=text, location=GeoPoint(*location) if location else None,
            phone=phone or self.phone, media=media,
        )
        self.last = self.engine.step(self.state, inbound, self.services, self.now)
        self.state = ConversationState.from_json(self.last.state.to_json())
        return self.last.replies

    def say(self, *texts: str) -> str:
        """Send several messages; return the text of the last turn's replies joined."""
        replies: list[Outbound] = []
        for text in texts:
            replies = self.send(text)
        return self.text(replies)

    @staticmethod
    def text(replies: list[Outbound]) -> str:
        """Join replies and their choice labels into one string to assert on."""
        parts = []
        for reply in replies:
            parts.append(reply.text)
            parts.extend(f"{i}. {c.label}" for i, c in enumerate(reply.choices, 1))
        return "\n".join(parts)

    def later(self, **delta: float) -> None:
        """Move this chat's clock forward."""
        self.now += timedelta(**delta)

    @property
    def step(self) -> tuple[str | None, str | None]:
        """Return (flow, step) after the last turn."""
        return self.state.flow, self.state.step
