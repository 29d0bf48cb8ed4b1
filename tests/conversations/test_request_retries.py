"""The blood request flow re-asks every bad answer with a hint, and cancels from every step."""

from __future__ import annotations

import pytest

from conversations.flows.request import FLOW
from tests.conversations.request_chat import request_chat, stored, walk

BAD_ANSWERS = [
    ("patient_name", "", "I did not receive any text."),
    ("patient_name", "🙏🙏", "cannot read only numbers or emoji here. For example: Sunita Devi"),
    ("patient_name", "12345", "Please type it in letters"),
    ("patient_name", "S" * 61, "at most 60 characters"),
    ("patient_age", "old", "I could not read an age there"),
    ("patient_age", "150", "The age must be from 0 to 120 years"),
    ("patient_sex", "maybe", "Please send 1 for male, 2 for female or 3 for other."),
    ("blood_group", "Z positive", "I could not read that blood group. Send it like B+"),
    ("component", "platelets", "Which platelets: single donor (SDP"),
    ("component", "medicine", "Not sure? Choose whole blood or red cells"),
    ("units", "many", "Please send the number of units in digits, for example 2."),
    ("units", "11", "Please send a number from 1 to 10"),
    ("units", "0", "Please send a number from 1 to 10"),
    ("kind", "whatever", "Please send 1 if donors of any group will do"),
    ("hospital_name", "H" * 101, "at most 100 characters"),
    ("hospital_name", "🏥", "I cannot read only numbers or emoji here"),
    ("hospital_place", "Lucknw", "Did you mean Lucknow, Lakhimpur?"),
    ("hospital_place", "Atlantis", "type the hospital's 6-digit PIN code"),
    ("ward", "W" * 61, "at most 60 characters"),
    ("required_by", "whenever", "I could not read that day and time"),
    ("required_by", "2 Dec 2026 10am", "That time has already passed (Wed 2 Dec, 10:00 AM)"),
    ("required_date", "1 Dec 2026 9am", "That time has already passed"),
    ("attendant_name", "😀", "only numbers or emoji here. For example: Ramesh Kumar"),
    ("attendant_phone", "12345", "That does not look like a valid mobile number"),
    ("attendant_phone", "call me", "for example 98123 45678"),
    ("attendant_relation", "R" * 31, "at most 30 characters"),
    ("attendant_relation", "7", "Please type the relation in a few words"),
    ("confirm", "maybe", "Please send 1 to send the request, 2 to change something"),
    ("change", "everything", "Please send the number of the part to change"),
]


@pytest.mark.parametrize(("step", "bad", "hint"), BAD_ANSWERS)
def test_a_bad_answer_is_re_asked_with_a_hint(step: str, bad: str, hint: str) -> None:
    chat = request_chat()
    walk(chat, until=step, required_by="4" if step == "required_date" else "today 6pm",
         confirm="2" if step == "change" else "1")
    prompt = chat.last.replies[-1].text if chat.last else ""
    replies = chat.send(bad)
    assert hint in chat.text(replies) and replies[-1].text == prompt
    assert chat.step == ("request", step)


def test_a_time_earlier_today_is_refused() -> None:
    chat = request_chat()
    walk(chat, until="required_time", required_by="2")
    assert "That time has already passed (Fri 4 Dec, 10:00 AM)" in chat.say("1")
    assert chat.step == ("request", "required_time")


def test_a_misspelt_place_can_be_picked_from_the_suggestions() -> None:
    chat = request_chat()
    walk(chat, until="hospital_place")
    assert "1. Lucknow" in chat.say("Lucknw")
    assert "Hospital area: Lucknow, Uttar Pradesh 226003." in chat.say("1")
    assert chat.step == ("request", "ward")


def test_an_unknown_shared_location_asks_for_a_pin_code() -> None:
    chat = request_chat()
    walk(chat, until="hospital_place")
    text = chat.text(chat.send(location=(51.5, -0.1)))
    assert "I could not find that location in India" in text


STEPS_TO_CANCEL_AT = [step.name for step in FLOW.steps]


@pytest.mark.parametrize("step", STEPS_TO_CANCEL_AT)
def test_cancel_at_any_step_saves_nothing(step: str) -> None:
    chat = request_chat()
    walk(chat, until=step, required_by={"required_time": "2", "required_date": "4"}.get(
        step, "today 6pm"), confirm="2" if step == "change" else "1")
    assert chat.step == ("request", step)
    assert "Nothing was saved" in chat.say("cancel")
    assert chat.state.flow is None and stored(chat) == []


def test_cancel_from_the_summary_choices_saves_nothing() -> None:
    chat = request_chat()
    walk(chat, until="confirm")
    assert "Nothing was saved" in chat.say("3")
    assert stored(chat) == []
