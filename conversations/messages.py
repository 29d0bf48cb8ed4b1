"""The neutral message types every channel translates to and from."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from storage.domain.addresses import Address

__all__ = [
    "Address", "Choice", "GeoPoint", "Inbound", "Media", "Notification", "Outbound",
    "is_kept_media",
]

KEPT_MEDIA_TYPES = ("image/", "application/pdf")
"""Attachments kept (by reference): photos and PDFs, the forms a requisition slip comes in."""


@dataclass(frozen=True)
class GeoPoint:
    """A location a user shared from their phone."""

    latitude: float
    longitude: float


@dataclass(frozen=True)
class Media:
    """A photo or document a user sent, kept by reference: the channel's URL and its type."""

    url: str
    content_type: str


def is_kept_media(content_type: str) -> bool:
    """Tell whether an attachment of this MIME type is kept: an image or a PDF."""
    return content_type.strip().lower().startswith(KEPT_MEDIA_TYPES)


@dataclass(frozen=True)
class Inbound:
    """A message from a user, stripped of transport details."""

    address: Address
    external_id: str
    received_at: datetime
    text: str = ""
    location: GeoPoint | None = None
    phone: str | None = None
    display_name: str | None = None
    media: tuple[Media, ...] = ()
    group: Address | None = None
    """The group chat the message was written in, set only by a channel that saw it there;
    `address` stays the sender's own chat. None for a private message."""


@dataclass(frozen=True)
class Choice:
    """One option offered to the user; `key` is what the flow sees when it is picked."""

    key: str
    label: str


@dataclass(frozen=True)
class Outbound:
    """What every channel can render: text, choices, and requests for a location or phone."""

    text: str
    choices: tuple[Choice, ...] = ()
    ask_location: bool = False
    ask_phone: bool = False
    template: str | None = None
    template_vars: dict[str, str] = field(default_factory=dict)
    choices_are_commands: bool = False
    """The choices are commands to type (e.g. "/approve R-4821"), not numbered answers: a
    channel with buttons sends the key when pressed; others list them without numbers."""
    edit_of: str | None = None
    """The provider's id of an earlier message to replace with this one (a group post when
    its request closes); a channel that cannot edit sends a new message instead."""
    attachment: Media | None = None
    """A photo or PDF to show with `text` as its caption (a requisition slip), named by the
    reference it was kept under; the channel forwards or fetches the file itself."""
    attachment_note: str = ""
    """Added below `text` by a channel that cannot show the attachment in this chat."""

    def as_plain_text(self) -> str:
        """Render for a channel without buttons: numbered choices, or commands to type."""
        lines = [self.text]
        for number, choice in enumerate(self.choices, 1):
            if not self.choices_are_commands:
                lines.append(f"{number}. {choice.label}")
            elif choice.label == choice.key:
                lines.append(f"• {choice.key}")
            else:
                lines.append(f"• {choice.label}: {choice.key}")
        return "\n".join(lines)

    def without_attachment(self) -> Outbound:
        """Return this message as text alone, with the note saying why nothing is attached."""
        text = "\n\n".join(part for part in (self.text, self.attachment_note) if part)
        return replace(self, text=text, attachment=None, attachment_note="")

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-ready dict, for the outbox."""
        return {
            "text": self.text,
            "choices": [[c.key, c.label] for c in self.choices],
            "ask_location": self.ask_location,
            "ask_phone": self.ask_phone,
            "template": self.template,
            "template_vars": dict(self.template_vars),
            "choices_are_commands": self.choices_are_commands,
            "edit_of": self.edit_of,
            "attachment": None if self.attachment is None else {
                "url": self.attachment.url, "type": self.attachment.content_type},
            "attachment_note": self.attachment_note,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Outbound:
        """Rebuild an Outbound stored with `to_json`."""
        return cls(
            text=str(data["text"]),
            choices=tuple(Choice(str(k), str(v)) for k, v in data.get("choices", [])),
            ask_location=bool(data.get("ask_location", False)),
            ask_phone=bool(data.get("ask_phone", False)),
            template=data.get("template"),
            template_vars=dict(data.get("template_vars") or {}),
            choices_are_commands=bool(data.get("choices_are_commands", False)),
            edit_of=None if data.get("edit_of") is None else str(data["edit_of"]),
            attachment=_media_of(data.get("attachment")),
            attachment_note=str(data.get("attachment_note") or ""),
        )


def _media_of(data: object) -> Media | None:
    """Rebuild an attachment stored by `Outbound.to_json`; rows queued before have none."""
    if not isinstance(data, dict) or not data.get("url"):
        return None
    return Media(str(data["url"]), str(data.get("type") or ""))


@dataclass(frozen=True)
class Notification:
    """A message the turn sends to someone other than the sender, already in their language."""

    recipient: Address
    message: Outbound
    kind: str = "notice"
    idempotency_key: str | None = None
