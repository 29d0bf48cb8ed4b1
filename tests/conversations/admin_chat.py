"""Chats with admins of known roles, and blood requests filed in two districts."""

from __future__ import annotations

import dataclasses
from typing import Any

from storage.domain.addresses import Address
from storage.domain.admin import Grant, Role
from storage.domain.places import Place
from storage.memory import MemoryServices
from tests.conversations.chat import NOW, Chat
from tests.conversations.request_chat import LUCKNOW
from tests.storage.samples import REQUEST

KANPUR = Place(26.45, 80.33, "Kanpur Nagar", "Uttar Pradesh", "208001",
               "Kanpur Nagar, Uttar Pradesh 208001")
SUPER = "+919800000001"
LUCKNOW_ADMIN = "+919800000002"
LUCKNOW_VERIFIER = "+919800000003"
KANPUR_ADMIN = "+919800000004"
ATTENDANT = "+919876543210"
FAMILY = Address("console", "family")
SETTINGS = Address("settings", "")


def admin_services() -> MemoryServices:
    """Return in-memory services that know Lucknow and Kanpur Nagar by PIN code or name."""
    places = {"226003": LUCKNOW, "lucknow": LUCKNOW, "208001": KANPUR, "kanpur": KANPUR,
              "kanpur nagar": KANPUR}
    return MemoryServices(resolve=lambda text: places.get(text.strip().lower()))


def admin_chat(services: MemoryServices, phone: str, role: Role = Role.SUPER_ADMIN,
               *districts: str, lang: str = "en") -> Chat:
    """Return a chat whose channel-verified phone holds `role` in `districts`."""
    chat = Chat(services, user=phone, lang=lang)
    services.admin.link(chat.address, phone, lang)
    services.admin.grant(Grant(phone, role, frozenset(districts)), SETTINGS, NOW)
    return chat


def file_request(services: MemoryServices, *, by: Address = FAMILY, **changes: Any) -> str:
    """Store a request as the request flow would (AB+, 2 units, Lucknow); return its code."""
    values: dict[str, Any] = {"hospital_place": LUCKNOW, "attendant_phone": ATTENDANT,
                              "language": "en", **changes}
    draft = dataclasses.replace(REQUEST, **values)
    return services.create_request(by, draft, NOW).code


def repeat_request(services: MemoryServices, **changes: Any) -> str:
    """File a request from an attendant who filed one before, so one approval verifies it."""
    file_request(services, **changes)
    return file_request(services, **changes)


def approve(chat: Chat, code: str, *answers: str) -> str:
    """Send /approve and answer the checklist (yes, yes, yes, skip unless told otherwise)."""
    chat.say(f"/approve {code}")
    return chat.say(*(answers or ("1", "1", "1", "skip")))


def sent_to(chat: Chat) -> list[tuple[Address, str]]:
    """Return (recipient, text) for each notification of the chat's last turn."""
    assert chat.last is not None
    return [(note.recipient, note.message.text) for note in chat.last.notifications]
