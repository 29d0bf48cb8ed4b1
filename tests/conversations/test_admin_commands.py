"""Admin commands on requests: listing, details, rejecting, editing, closing, history, stats."""

from __future__ import annotations

from storage.domain.admin import Role
from storage.domain.records import Attachment, RequestStatus
from storage.memory import MemoryServices
from tests.conversations.admin_chat import (
    ATTENDANT,
    FAMILY,
    LUCKNOW_ADMIN,
    SUPER,
    admin_chat,
    admin_services,
    approve,
    file_request,
    repeat_request,
    sent_to,
)
from tests.conversations.chat import Chat


def boss_with_request(**changes: object) -> tuple[MemoryServices, Chat, str]:
    """Return services, a super-admin chat and one pending request's code."""
    services = admin_services()
    return services, admin_chat(services, SUPER), repeat_request(services, **changes)


def test_pending_lists_the_oldest_first_without_any_phone() -> None:
    services = admin_services()
    first = file_request(services)
    second = file_request(services)
    text = admin_chat(services, SUPER).say("/pending")
    assert text.index(first) < text.index(second)
    assert ATTENDANT not in text and "98765" not in text and "Sunita" not in text


def test_show_gives_the_attendant_phone_and_is_audited() -> None:
    services, boss, code = boss_with_request()
    text = boss.say(f"/show {code}")
    assert "Attendant: Ramesh Kumar (son), +919876543210" in text and "Sunita Devi" in text
    assert [line.action for line in services.admin.history(code)] == ["request.phone_revealed"]


def test_reject_needs_a_reason_and_tells_the_requester() -> None:
    _services, boss, code = boss_with_request()
    assert boss.say(f"/reject {code}") == (
        "Please send it like this: /reject R-4821 the patient is not in this hospital")
    assert boss.say(f"/reject {code} no such patient") == (
        f"{code} is rejected. The requester has been told the reason.")
    [(to, text)] = sent_to(boss)
    assert to == FAMILY and "was not accepted" in text and "Reason: no such patient" in text


def test_edit_fixes_a_field_and_tells_the_requester_what_changed() -> None:
    services, boss, code = boss_with_request()
    said = boss.say(f"/edit {code} units 3")
    assert said == f"{code} is updated: Units: 2 → 3. The requester has been told."
    [(to, text)] = sent_to(boss)
    assert to == FAMILY and text == f"A volunteer corrected your request {code}:\nUnits: 2 → 3"
    assert services.requests[code][1].draft.units == 3


def test_edit_reads_groups_components_times_and_hospitals() -> None:
    _services, boss, code = boss_with_request()
    assert "Blood group: AB+ → B+" in boss.say(f"/edit {code} group b positive")
    assert "→ Plasma (FFP)" in boss.say(f"/edit {code} component plasma")
    assert "→ Sat 5 Dec, 10:00 AM" in boss.say(f"/edit {code} required-by tomorrow 10am")
    assert "→ SGPGI" in boss.say(f"/edit {code} hospital SGPGI")


def test_edit_refuses_bad_values_and_unknown_fields_with_an_example() -> None:
    services, boss, code = boss_with_request()
    assert "from 1 to 10" in boss.say(f"/edit {code} units 11")
    assert "'purple' is not a blood group" in boss.say(f"/edit {code} group purple")
    assert "I cannot edit 'colour'" in boss.say(f"/edit {code} colour red")
    assert "has already passed" in boss.say(f"/edit {code} required_by today 9am")
    assert "already has that value" in boss.say(f"/edit {code} units 2")
    assert services.requests[code][1].draft.units == 2


def test_fulfilled_only_after_verification_and_close_only_once() -> None:
    services, boss, code = boss_with_request()
    assert boss.say(f"/fulfilled {code}") == (
        f"{code} is pending verification; only a verified request can be marked fulfilled.")
    approve(boss, code)
    assert boss.say(f"/fulfilled {code}") == f"{code} is marked fulfilled. Thank you!"
    other = file_request(services)
    assert boss.say(f"/close {other}") == f"{other} is closed."
    assert boss.say(f"/close {other}") == f"{other} was already closed."
    assert services.requests[code][1].status is RequestStatus.FULFILLED


def test_audit_shows_each_action_with_phones_masked() -> None:
    services, boss, code = boss_with_request()
    admin = admin_chat(services, LUCKNOW_ADMIN, Role.DISTRICT_ADMIN, "Lucknow")
    admin.say(f"/show {code}")
    approve(boss, code)
    text = boss.say(f"/audit {code}")
    assert text.startswith(f"History of {code}, oldest first:")
    assert "console:+91********02 · viewed the details" in text
    assert "approved: verified · ward or blood bank called: ✓" in text
    assert LUCKNOW_ADMIN not in text


def test_stats_count_requests_by_state_and_lives_helped() -> None:
    _services, boss, code = boss_with_request()
    approve(boss, code)
    boss.say(f"/fulfilled {code}")
    text = boss.say("/stats lucknow")
    assert text.startswith("Statistics for Lucknow:")
    assert "Requests: pending verification 1, fulfilled 1" in text
    assert "Lives helped (fulfilled requests): 1" in text


def test_show_says_the_slip_follows_and_pending_marks_requests_with_one() -> None:
    slip = Attachment("telegram-file:AgADslip", "image/jpeg")
    services, boss, code = boss_with_request(slip=slip)
    plain = file_request(services, attendant_phone="+919811111111")
    shown = boss.say(f"/show {code}")
    assert "Requisition slip: sent in the next message" in shown and "AgADslip" not in shown
    assert "Requisition slip: none sent" in boss.say(f"/show {plain}")
    lines = boss.say("/pending").splitlines()
    assert "📎 slip" in next(line for line in lines if code in line)
    assert "📎" not in next(line for line in lines if plain in line)
    assert "AgADslip" not in "\n".join(lines)
