"""Sign-up's location, last donation and health steps: answers read, bad answers re-asked."""

from __future__ import annotations

from datetime import date

import pytest

from storage.domain.eligibility import Deferral, DeferralKind
from tests.conversations.signup_chat import LUCKNOW, saved, signup_chat, walk

TODAY = date(2026, 12, 4)


def test_a_shared_location_is_resolved_to_a_place() -> None:
    chat = signup_chat()
    walk(chat, until="location")
    assert chat.send(location=(26.8, 80.9))[-1].choices  # the next step offers "Never donated"
    assert chat.step == ("signup", "last_donation")
    walk(chat)
    assert saved(chat).place == LUCKNOW


def test_the_location_question_asks_for_a_location_or_pin() -> None:
    chat = signup_chat()
    walk(chat, until="weight")
    chat.say("1")
    assert chat.last is not None and chat.last.replies[-1].ask_location


@pytest.mark.parametrize(("typed", "hint"), [
    ("999999", "I do not know the PIN code 999999"),
    ("lukhnow", "Did you mean: Lucknow, Lakhimpur?"),
    ("xyz town", "Type your 6-digit PIN code (for example 110001)"),
])
def test_an_unknown_place_is_re_asked_with_a_specific_hint(typed: str, hint: str) -> None:
    chat = signup_chat()
    walk(chat, until="location")
    assert hint in chat.say(typed)
    assert chat.step == ("signup", "location")


def test_a_location_outside_india_is_re_asked() -> None:
    chat = signup_chat()
    walk(chat, until="location")
    assert "type your PIN code instead" in chat.text(chat.send(location=(51.5, -0.1)))
    assert chat.step == ("signup", "location")


@pytest.mark.parametrize(("typed", "hint"), [
    ("10/01/2027", "That date is in the future"), ("someday", "I could not read that date"),
])
def test_a_future_or_unreadable_last_donation_is_re_asked(typed: str, hint: str) -> None:
    chat = signup_chat()
    walk(chat, until="last_donation")
    assert hint in chat.say(typed)
    assert chat.step == ("signup", "last_donation")


def test_never_donated_skips_the_kind_and_stores_no_donation() -> None:
    chat = signup_chat()
    walk(chat, until="last_donation")
    chat.say("1")
    assert chat.step == ("signup", "deferrals")
    walk(chat)
    assert saved(chat).last_donation is None


def test_a_first_timer_over_60_is_re_asked_at_the_last_donation() -> None:
    chat = signup_chat()
    walk(chat, until="last_donation", birth="62")
    text = chat.say("1")
    assert "First-time donors can be at most 60" in text and "Final eligibility" in text
    chat.say("3 mahine pehle")
    assert chat.step == ("signup", "component")


def test_changing_the_age_of_a_first_timer_past_60_is_re_asked() -> None:
    chat = signup_chat()
    walk(chat, until="summary", last_donation="1")
    chat.say("2", "5")
    assert "First-time donors can be at most 60" in chat.say("61")
    assert chat.step == ("signup", "birth")


def test_deferrals_ask_when_each_began_and_store_it() -> None:
    chat = signup_chat()
    walk(chat, until="deferrals")
    assert "tattoo or piercing" in chat.say("1, 3")
    assert "When did you receive blood?" in chat.say("10/03/2026")
    chat.say("1")  # not sure: counted from today
    walk(chat)
    assert saved(chat).deferrals == (
        Deferral(DeferralKind.TATTOO_PIERCING, date(2026, 3, 10)),
        Deferral(DeferralKind.TRANSFUSION, TODAY))


def test_illness_today_needs_no_date_and_pregnancy_may_be_ongoing() -> None:
    chat = signup_chat()
    walk(chat, until="deferrals")
    assert "Pregnant now" in chat.say("7 aur 6")
    text = walk(chat, deferral_date="1", until="summary")
    assert "you cannot donate for now" in text
    walk(chat)
    assert set(saved(chat).deferrals) == {Deferral(DeferralKind.ILLNESS_TODAY, TODAY),
                                          Deferral(DeferralKind.PREGNANCY, TODAY, ongoing=True)}


@pytest.mark.parametrize("typed", ["9", "1, 8", "tattoo", "0, 2x"])
def test_unreadable_deferral_numbers_are_re_asked(typed: str) -> None:
    chat = signup_chat()
    walk(chat, until="deferrals")
    assert "for example: 1, 3. Send 8 if none of these apply." in chat.say(typed)
    assert chat.step == ("signup", "deferrals")


def test_a_future_deferral_date_is_re_asked() -> None:
    chat = signup_chat()
    walk(chat, until="deferral_date", deferrals="2")
    assert "That date is in the future" in chat.say("25/12/2026")
    assert chat.step == ("signup", "deferral_date")


def test_the_availability_is_stored() -> None:
    chat = signup_chat()
    walk(chat, availability="4")
    assert saved(chat).availability.value == "emergencies"
