"""Who may use admin commands: the role table, districts, revocation, and invisibility."""

from __future__ import annotations

import pytest

from conversations.admin_access import COMMAND_ROLES, parse_code, take_phone
from storage.domain.admin import Role
from tests.conversations.admin_chat import (
    KANPUR,
    LUCKNOW_ADMIN,
    LUCKNOW_VERIFIER,
    SUPER,
    admin_chat,
    admin_services,
    file_request,
)
from tests.conversations.chat import Chat


def test_a_non_admin_gets_exactly_the_unknown_command_reply() -> None:
    services = admin_services()
    code = file_request(services)
    chat = Chat(services, user="stranger")
    unknown = chat.send("/nosuchcommand")
    for command in COMMAND_ROLES:
        assert chat.send(f"/{command} {code}") == unknown


def test_a_verifier_cannot_close_and_is_answered_as_for_an_unknown_command() -> None:
    services = admin_services()
    code = file_request(services)
    verifier = admin_chat(services, LUCKNOW_VERIFIER, Role.VERIFIER, "Lucknow")
    assert verifier.send(f"/close {code}") == verifier.send("/nosuchcommand")
    assert code in verifier.say("/pending")


def test_a_district_admin_sees_and_acts_only_in_their_districts() -> None:
    services = admin_services()
    here = file_request(services)
    there = file_request(services, hospital_place=KANPUR)
    admin = admin_chat(services, LUCKNOW_ADMIN, Role.DISTRICT_ADMIN, "lucknow")
    listed = admin.say("/pending")
    assert here in listed and there not in listed
    assert admin.say(f"/show {there}") == (
        f"{there} is not in your districts, so you cannot act on it.")
    assert "Kanpur Nagar is not one of your districts" in admin.say("/stats kanpur")


def test_a_revoked_admin_loses_access_at_once() -> None:
    services = admin_services()
    boss = admin_chat(services, SUPER)
    admin = admin_chat(services, LUCKNOW_ADMIN, Role.DISTRICT_ADMIN, "Lucknow")
    assert "Nothing is waiting" in admin.say("/pending")
    assert boss.say("/revoke 98000 00002") == "+919800000002 is no longer an admin."
    assert admin.send("/pending") == admin.send("/nosuchcommand")


def test_a_super_admin_grants_a_role_by_command() -> None:
    services = admin_services()
    boss = admin_chat(services, SUPER)
    said = boss.say("/grant +91 98000 00003 verifier Lucknow, kanpur nagar")
    assert said == "+919800000003 is now a verifier for Kanpur Nagar, Lucknow."
    grant = services.admin.grants[LUCKNOW_VERIFIER]
    assert grant.role is Role.VERIFIER and grant.districts == {"Lucknow", "Kanpur Nagar"}


def test_grant_refuses_unknown_districts_roles_and_oneself() -> None:
    boss = admin_chat(admin_services(), SUPER)
    assert "could not find the district 'Lucknow Kanpur'" in boss.say(
        "/grant 9800000003 verifier Lucknow Kanpur")
    assert "'boss' is not a role" in boss.say("/grant 9800000003 boss Lucknow")
    assert "needs at least one district" in boss.say("/grant 9800000003 verifier")
    assert "cannot change your own role" in boss.say("/grant 9800000001 verifier Lucknow")
    assert "'12345' is not a mobile number" in boss.say("/grant 12345 verifier Lucknow")


def test_a_district_admin_cannot_grant_roles() -> None:
    admin = admin_chat(admin_services(), LUCKNOW_ADMIN, Role.DISTRICT_ADMIN, "Lucknow")
    assert admin.send("/grant 9800000003 verifier Lucknow") == admin.send("/nosuchcommand")


@pytest.mark.parametrize("typed", ["R-4821", "r-4821", "R4821", "4821", "#4821"])
def test_codes_are_read_in_every_common_form(typed: str) -> None:
    assert parse_code(typed) == "R-4821"


def test_phones_may_be_typed_in_pieces() -> None:
    assert take_phone(["+91", "98123", "45678", "verifier"]) == ("+919812345678", ["verifier"])
    assert take_phone(["hello"]) == (None, ["hello"])


def test_malformed_and_unknown_codes_get_a_clear_answer_with_an_example() -> None:
    boss = admin_chat(admin_services(), SUPER)
    assert boss.say("/show abc") == ("'abc' is not a request code. Codes look like R-4821, "
                                     "for example: /show R-4821")
    assert "There is no request R-9999" in boss.say("/approve 9999")
    assert boss.say("/show") == "Please send it like this: /show R-4821"
