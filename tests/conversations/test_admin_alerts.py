"""A new request alerts its district's admins, in their language, with commands, no phones."""

from __future__ import annotations

from storage.domain.admin import Role
from storage.memory import MemoryServices
from tests.conversations import request_chat
from tests.conversations.admin_chat import (
    KANPUR_ADMIN,
    LUCKNOW_ADMIN,
    SUPER,
    admin_chat,
    admin_services,
)
from tests.conversations.chat import Chat


def file_by_chat(services: MemoryServices) -> Chat:
    """File the sample family's request (Lucknow) through the request flow."""
    family = Chat(services, user="family", phone="+919811111111")
    family.say("1")
    request_chat.walk(family)
    assert len(services.requests) == 1
    return family


def test_a_new_request_alerts_the_district_admin_in_their_language() -> None:
    services = admin_services()
    admin = admin_chat(services, LUCKNOW_ADMIN, Role.DISTRICT_ADMIN, "Lucknow", lang="hi")
    admin_chat(services, SUPER)
    admin_chat(services, KANPUR_ADMIN, Role.DISTRICT_ADMIN, "Kanpur Nagar")
    family = file_by_chat(services)
    assert family.last is not None
    [note] = family.last.notifications
    [code] = services.requests
    assert note.recipient == admin.address and note.kind == "admin_alert"
    assert "जाँच का इंतज़ार" in note.message.text and code in note.message.text
    assert "KGMU Trauma Centre" in note.message.text


def test_the_alert_offers_commands_and_never_a_phone_number() -> None:
    services = admin_services()
    admin_chat(services, SUPER)
    family = file_by_chat(services)
    assert family.last is not None
    [note] = family.last.notifications
    [code] = services.requests
    message = note.message
    assert [c.key for c in message.choices] == [f"/approve {code}", f"/reject {code}",
                                                f"/show {code}"]
    assert message.choices_are_commands
    assert "98123" not in message.text and "98111" not in message.text
    assert "Sunita" not in message.text


def test_a_district_without_admins_alerts_the_super_admins() -> None:
    services = admin_services()
    boss = admin_chat(services, SUPER)
    admin_chat(services, KANPUR_ADMIN, Role.DISTRICT_ADMIN, "Kanpur Nagar")
    family = file_by_chat(services)
    assert family.last is not None
    assert [note.recipient for note in family.last.notifications] == [boss.address]


def test_pressing_the_approve_choice_opens_the_checklist() -> None:
    services = admin_services()
    boss = admin_chat(services, SUPER)
    family = file_by_chat(services)
    assert family.last is not None
    pressed = family.last.notifications[0].message.choices[0].key
    assert "Checklist for" in boss.say(pressed) and boss.step == ("approve", "called_ward")
