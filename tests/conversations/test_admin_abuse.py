"""Abuse: reports anyone can make, blocked numbers, and the open-request limit."""

from __future__ import annotations

from conversations.abuse import NEUTRAL_REFUSAL
from storage.memory import MemoryServices
from tests.conversations import request_chat, signup_chat
from tests.conversations.admin_chat import (
    SUPER,
    admin_chat,
    admin_services,
    approve,
    file_request,
    repeat_request,
)
from tests.conversations.chat import Chat

BLOCKED = "+919812345678"
"""The number the sample family and donor type (98123 45678)."""


def blocked_services() -> MemoryServices:
    """Return services where a super-admin has blocked BLOCKED by command."""
    services = admin_services()
    said = admin_chat(services, SUPER).say("/block 98123 45678")
    assert said.startswith("+919812345678 is blocked")
    return services


def test_a_report_puts_even_a_verified_request_back_in_pending() -> None:
    services = admin_services()
    code = repeat_request(services)
    boss = admin_chat(services, SUPER)
    approve(boss, code)
    assert code not in boss.say("/pending")
    said = Chat(services, user="donor").say(f"/report {code} asked me for 2000 rupees")
    assert said.startswith(f"Thank you. Your report about {code} is recorded")
    assert "· verified · reports: 1" in boss.say("/pending")


def test_a_report_about_an_unknown_or_malformed_code_is_answered() -> None:
    chat = Chat(admin_services(), user="donor")
    assert "There is no request R-1234" in chat.say("/report R-1234 fake")
    assert "'hello' is not a request code" in chat.say("/report hello")


def test_a_blocked_channel_phone_cannot_sign_up_or_request() -> None:
    services = blocked_services()
    chat = Chat(services, user="blocked", phone=BLOCKED)
    assert chat.say("2").startswith(NEUTRAL_REFUSAL)
    assert chat.say("1").startswith(NEUTRAL_REFUSAL) and chat.step == (None, None)
    assert not services.donors and not services.requests


def test_a_typed_blocked_phone_ends_sign_up_saving_nothing() -> None:
    services = blocked_services()
    chat = Chat(services, user="donor")
    chat.say("2")
    assert signup_chat.walk(chat, until=None).startswith(NEUTRAL_REFUSAL)
    assert not services.donors


def test_a_blocked_attendant_phone_stores_no_request() -> None:
    services = blocked_services()
    chat = Chat(services, user="family")
    chat.say("1")
    assert request_chat.walk(chat).startswith(NEUTRAL_REFUSAL)
    assert not services.requests


def test_unblock_lets_the_number_in_again() -> None:
    services = blocked_services()
    boss = admin_chat(services, SUPER)
    assert boss.say("/unblock 9812345678") == "+919812345678 is unblocked."
    assert boss.say("/unblock 9812345678") == "+919812345678 was not blocked; nothing changed."
    assert not Chat(services, user="x", phone=BLOCKED).say("2").startswith(NEUTRAL_REFUSAL)


def test_the_fourth_open_request_for_one_attendant_is_refused() -> None:
    services = admin_services()
    family = Chat(services, user="family")
    for name in ("Asha", "Meena", "Gita"):
        file_request(services, by=family.address, attendant_phone=BLOCKED, patient_name=name)
    family.say("1")
    said = request_chat.walk(family)
    assert "Nothing was saved" in said and "already has 3 open blood requests" in said
    assert "Your open requests: R-" in said and len(services.requests) == 3
