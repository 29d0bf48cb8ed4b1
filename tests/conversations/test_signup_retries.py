"""Bad answers in the first half of sign-up are re-asked with a specific hint and an example."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conversations.signup_chat import saved, signup_chat, walk


def test_an_unclear_consent_answer_is_re_asked_with_the_choices() -> None:
    chat = signup_chat()
    text = chat.say("maybe")
    assert "Please send the number of one of the choices." in text and "1. Yes" in text
    assert chat.step == ("signup", "registry")


def test_an_empty_message_is_re_asked() -> None:
    chat = signup_chat()
    walk(chat, until="name")
    assert "I did not receive any text." in chat.say("")
    assert chat.step == ("signup", "name")


@pytest.mark.parametrize("name", ["🙂🙂🙂", "!!!", "12345"])
def test_a_name_without_letters_is_re_asked(name: str) -> None:
    chat = signup_chat()
    walk(chat, until="name")
    text = chat.say(name)
    assert "Please type your name in letters, for example: Asha Verma" in text
    assert chat.step == ("signup", "name")


def test_a_name_longer_than_60_characters_is_re_asked() -> None:
    chat = signup_chat()
    walk(chat, until="name")
    assert "too long (at most 60 characters)" in chat.say("A" * 61)
    chat.say("  Asha   Verma ")
    assert chat.step == ("signup", "phone")
    walk(chat)
    assert saved(chat).name == "Asha Verma"


@pytest.mark.parametrize("phone", ["12345", "98123 4567a", "0000000000"])
def test_a_bad_phone_number_is_re_asked_with_an_example(phone: str) -> None:
    chat = signup_chat()
    walk(chat, until="phone")
    assert "for example: 98123 45678" in chat.say(phone)
    assert chat.step == ("signup", "phone")


@pytest.mark.parametrize(("typed", "code"), [
    ("6", "B+"), ("B+ve", "B+"), ("o negative", "O-"), ("AB−", "AB-"), ("9", "hh"),
    ("bombay", "hh"), ("pata nahi", "unknown"), ("10", "unknown"), ("A", "A"),
])
def test_a_blood_group_is_read_from_a_choice_or_free_text(typed: str, code: str) -> None:
    chat = signup_chat()
    walk(chat, blood_group=typed)
    assert saved(chat).blood_group.code == code


def test_an_unknown_blood_group_is_re_asked_with_examples() -> None:
    chat = signup_chat()
    walk(chat, until="blood_group")
    text = chat.say("C+")
    assert "I could not read that blood group" in text and "B+, O negative or AB+" in text
    assert chat.step == ("signup", "blood_group")


def test_the_sex_accepts_words_and_re_asks_otherwise() -> None:
    chat = signup_chat()
    walk(chat, until="sex")
    assert "Please send the number of one of the choices." in chat.say("xyz")
    chat.say("male")
    assert chat.step == ("signup", "birth")


def test_an_age_gives_an_estimated_date_of_birth() -> None:
    chat = signup_chat()
    walk(chat, birth="34 saal")
    profile = saved(chat)
    assert profile.dob_is_estimate and profile.date_of_birth == date(1992, 6, 4)


@pytest.mark.parametrize(("typed", "hint"), [
    ("16", "at least 18 years old"), ("70", "at most 65 years old"),
    ("01/01/2012", "at least 18 years old"), ("soon", "I could not read a date of birth"),
])
def test_an_age_out_of_range_or_unreadable_is_re_asked(typed: str, hint: str) -> None:
    chat = signup_chat()
    walk(chat, until="birth")
    text = chat.say(typed)
    assert hint in text and "25/01/1990" in text
    assert chat.step == ("signup", "birth")


def test_ages_18_and_65_are_accepted() -> None:
    for age in ("18", "65"):
        chat = signup_chat()
        walk(chat, until="birth")
        chat.say(age)
        assert chat.step == ("signup", "weight")


def test_under_45_kg_ends_politely_saving_nothing() -> None:
    chat = signup_chat()
    walk(chat, until="weight")
    text = chat.say("2")
    assert "at least 45 kg" in text and "Final eligibility is decided at the blood centre." in text
    assert chat.step == (None, None) and chat.services.donors == {}
