"""The approval checklist, the second check, and approving what cannot be approved."""

from __future__ import annotations

from conversations.flows.request_summary import ANTI_SCAM
from storage.domain.admin import Role
from storage.domain.blood import BloodGroup
from storage.domain.records import RequestStatus
from storage.memory import MemoryServices
from tests.conversations.admin_chat import (
    FAMILY,
    KANPUR_ADMIN,
    LUCKNOW_ADMIN,
    SUPER,
    admin_chat,
    admin_services,
    approve,
    file_request,
    repeat_request,
    sent_to,
)


def status(services: MemoryServices, code: str) -> RequestStatus:
    """Return the stored status of `code`."""
    return services.requests[code][1].status


def test_an_approved_request_is_verified_and_the_requester_told() -> None:
    services = admin_services()
    code = repeat_request(services)
    boss = admin_chat(services, SUPER)
    assert "Checklist for" in boss.say(f"/approve {code}") and boss.step[0] == "approve"
    said = boss.say("1", "2", "1", "called Dr Rao")
    assert f"{code} is verified" in said and status(services, code) is RequestStatus.VERIFIED
    [(to, text)] = sent_to(boss)
    assert to == FAMILY and "We are contacting donors near Lucknow" in text and ANTI_SCAM in text


def test_the_requester_hears_in_hindi_when_they_filed_in_hindi() -> None:
    services = admin_services()
    code = repeat_request(services, language="hi")
    boss = admin_chat(services, SUPER)
    approve(boss, code)
    [(_to, text)] = sent_to(boss)
    assert code in text and "रक्तदाताओं" in text


def test_without_a_call_or_the_slip_nothing_is_approved() -> None:
    services = admin_services()
    code = repeat_request(services)
    said = approve(admin_chat(services, SUPER), code, "2", "2")
    assert "was not approved" in said and f"/reject {code}" in said
    assert status(services, code) is RequestStatus.PENDING_VERIFICATION


def test_a_name_that_does_not_match_is_not_approved() -> None:
    services = admin_services()
    code = repeat_request(services)
    said = approve(admin_chat(services, SUPER), code, "1", "1", "2")
    assert "name must match" in said and f"/edit {code}" in said
    assert status(services, code) is RequestStatus.PENDING_VERIFICATION


def test_a_rare_first_request_needs_a_second_different_admin() -> None:
    services = admin_services()
    code = file_request(services, patient_group=BloodGroup.from_code("O-"))
    first = admin_chat(services, LUCKNOW_ADMIN, Role.DISTRICT_ADMIN, "Lucknow")
    second = admin_chat(services, "+919800000005", Role.VERIFIER, "Lucknow")
    said = approve(first, code)
    assert f"Your approval is recorded. {code} needs a second admin because of" in said
    assert "a rare blood group" in said and "first request" in said
    assert [to for to, _text in sent_to(first)] == [second.address]
    assert "A different admin must give the second approval" in first.say(f"/approve {code}")
    assert f"{code} is verified" in approve(second, code)


def test_with_no_other_district_admin_the_first_approver_is_told_to_ask() -> None:
    services = admin_services()
    code = file_request(services)
    said = approve(admin_chat(services, LUCKNOW_ADMIN, Role.DISTRICT_ADMIN, "Lucknow"), code)
    assert f"please ask another admin to send /approve {code}" in said


def test_approving_twice_says_who_did_it() -> None:
    services = admin_services()
    code = repeat_request(services)
    boss = admin_chat(services, SUPER)
    approve(boss, code)
    assert boss.say(f"/approve {code}") == f"You already approved {code}; it is verified now."
    other = admin_chat(services, LUCKNOW_ADMIN, Role.DISTRICT_ADMIN, "Lucknow")
    assert other.say(f"/approve {code}") == (
        f"{code} was already approved by another admin; it is verified now.")


def test_a_rejected_or_closed_request_cannot_be_approved() -> None:
    services = admin_services()
    rejected, closed = repeat_request(services), file_request(services)
    boss = admin_chat(services, SUPER)
    boss.say(f"/reject {rejected} not in this hospital", f"/close {closed}")
    assert boss.say(f"/approve {rejected}") == f"{rejected} is rejected; it cannot be approved."
    assert boss.say(f"/approve {closed}") == f"{closed} is closed; it cannot be approved."


def test_when_two_admins_race_exactly_one_wins_and_the_other_is_told() -> None:
    services = admin_services()
    code = repeat_request(services)
    slow = admin_chat(services, SUPER)
    fast = admin_chat(services, LUCKNOW_ADMIN, Role.DISTRICT_ADMIN, "Lucknow")
    slow.say(f"/approve {code}", "1", "1", "1")
    assert f"{code} is verified" in approve(fast, code)
    said = slow.say("skip")
    assert f"{code} was already approved by another admin" in said and not sent_to(slow)


def test_an_admin_of_another_district_cannot_approve() -> None:
    services = admin_services()
    code = repeat_request(services)
    kanpur = admin_chat(services, KANPUR_ADMIN, Role.DISTRICT_ADMIN, "Kanpur Nagar")
    assert kanpur.say(f"/approve {code}") == (
        f"{code} is not in your districts, so you cannot act on it.")
    assert kanpur.step == (None, None)
