"""Ways into an answer (a typed code, a deep link), bad times re-asked, and who may answer."""

from __future__ import annotations

from datetime import date

from storage.domain.blood import BloodGroup, Component
from storage.domain.records import RequestKind
from tests.conversations.admin_chat import FAMILY, SUPER, admin_chat
from tests.conversations.chat import Chat
from tests.conversations.donor_chat import donor, verified


def test_sending_just_the_code_at_the_menu_opens_the_answer() -> None:
    services, code = verified()
    asha = donor(services, code)
    said = asha.say(code.lower().replace("-", ""))
    assert f"request {code}" in said and "Can you donate?" in said and "1. I can donate" in said
    assert asha.step == ("respond", "choose")
    assert "When can you reach" in asha.say("1")


def test_a_telegram_deep_link_with_the_code_opens_the_answer() -> None:
    services, code = verified()
    asha = donor(services, code)
    asha.say("1")  # in the middle of filing a request
    assert "Can you donate?" in asha.say(f"/start {code.lower()}")


def test_a_stranger_sending_the_code_is_told_how_to_register() -> None:
    services, code = verified()
    said = Chat(services, user="stranger").say(code)
    assert "register as a donor" in said and "Register as a blood donor" in said


def test_the_family_sending_their_own_code_hears_how_it_stands() -> None:
    services, code = verified()
    family = Chat(services, user=FAMILY.user_id)
    assert family.say(code) == f"Your request {code}: verified."


def test_times_that_cannot_be_kept_are_asked_again() -> None:
    services, code = verified()  # needed by Fri 4 Dec, 8:00 PM; it is 2:00 PM
    asha = donor(services, code)
    asha.say(f"/respond {code} yes")
    assert "I could not read that time" in asha.say("whenever")
    assert "already passed (Fri 4 Dec, 9:00 AM)" in asha.say("aaj subah 9 baje")
    assert "so Sat 5 Dec, 10:00 AM is too late" in asha.say("kal subah 10 baje")
    assert asha.step == ("respond", "eta") and services.broadcast.pledged_units(code) == 0
    assert "Please reach the hospital by Fri 4 Dec, 6:30 PM" in asha.say("6:30 pm")


def test_a_donor_who_pledged_sees_the_pledge_and_may_move_it() -> None:
    services, code = verified()
    asha = donor(services, code)
    asha.say(f"/respond {code} yes", "1")
    assert "You promised to reach the hospital" in asha.say(code)
    asha.say("2")  # change the time
    assert "by Fri 4 Dec, 5:00 PM" in asha.say("5 pm")


def test_a_donor_who_was_not_alerted_may_answer_if_their_group_can_give() -> None:
    services, code = verified(kind=RequestKind.REPLACEMENT)
    ravi = donor(services, None, blood_group=BloodGroup.from_code("B+"))
    assert "Can you donate?" in ravi.say(f"/respond {code}")


def test_a_donor_of_another_group_or_not_yet_eligible_is_told_why_not() -> None:
    services, code = verified(patient_group=BloodGroup.from_code("A+"), component=Component.PRBC)
    ravi = donor(services, None, blood_group=BloodGroup.from_code("B+"))
    assert "needs a blood group that yours cannot give to" in ravi.say(code)
    asha = donor(services, None, user="+919812345671", blood_group=BloodGroup.from_code("O+"),
                 date_of_birth=date(2010, 1, 1))  # 16 years old
    assert "you cannot donate by the time" in asha.say(code)


def test_a_closed_request_takes_no_more_answers() -> None:
    services, code = verified()
    asha = donor(services, code)
    admin_chat(services, SUPER).say(f"/close {code}")
    assert "no longer needs donors" in asha.say(f"/respond {code} yes")
