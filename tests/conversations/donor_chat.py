"""Chats with donors alerted about a verified request, and what the family hears."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from storage.domain.blood import BloodGroup, Sex
from storage.domain.records import RequestStatus
from storage.memory import MemoryServices
from tests.conversations.admin_chat import (
    FAMILY,
    SUPER,
    admin_chat,
    admin_services,
    approve,
    repeat_request,
)
from tests.conversations.chat import NOW, Chat
from tests.conversations.request_chat import LUCKNOW
from tests.storage.samples import DONOR

DONOR_PHONE = "+919812345670"
ELIGIBLE = dataclasses.replace(
    DONOR, name="Asha Verma", phone=DONOR_PHONE, blood_group=BloodGroup.from_code("AB+"),
    sex=Sex.MALE, date_of_birth=date(1990, 1, 1), last_donation=None, deferrals=(),
    paused_until=None, place=LUCKNOW, language="en")
"""An eligible AB+ donor at the hospital who shares their number (overridden per test)."""


def verified(**changes: Any) -> tuple[MemoryServices, str]:
    """Return services holding one request (AB+ platelets, Lucknow) approved by an admin."""
    services = admin_services()
    code = repeat_request(services, **changes)
    approve(admin_chat(services, SUPER), code)
    assert services.requests[code][1].status is RequestStatus.VERIFIED
    return services, code


def donor(services: MemoryServices, code: str | None, *, share: bool = True, lang: str = "en",
          user: str = DONOR_PHONE, **changes: Any) -> Chat:
    """Register a donor and, unless `code` is None, record that a wave alerted them."""
    chat = Chat(services, user=user, lang=lang)
    consents = dataclasses.replace(ELIGIBLE.consents, share_phone=share)
    profile = dataclasses.replace(ELIGIBLE, consents=consents, language=lang, **changes)
    services.save_donor_profile(chat.address, profile, NOW)
    if code is not None:
        services.broadcast.alert(chat.address, code, 3.24)
    return chat


def family_heard(chat: Chat) -> list[str]:
    """Return what the family (the requester) was sent in the chat's last turn."""
    assert chat.last is not None
    return [n.message.text for n in chat.last.notifications if n.recipient == FAMILY]


def actions(services: MemoryServices, code: str) -> list[str]:
    """Return the audited actions about `code`, oldest first."""
    return [line.action for line in services.admin.history(code)]
