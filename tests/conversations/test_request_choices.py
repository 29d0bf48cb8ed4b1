"""The blood request flow's choices and shortcuts: times, numbers, places and changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage.domain.records import RequestKind
from tests.conversations.request_chat import LUCKNOW, request_chat, stored, walk


def test_within_6_hours_means_six_hours_from_now() -> None:
    chat = request_chat()
    walk(chat, required_by="1")
    assert stored(chat)[0].draft.required_by == chat.now + timedelta(hours=6)


def test_today_then_evening_means_6_pm_in_india() -> None:
    chat = request_chat()
    assert "At what time today?" in walk(chat, until="required_time", required_by="2")
    walk(chat, required_time="3")
    assert stored(chat)[0].draft.required_by == datetime(2026, 12, 4, 12, 30, tzinfo=UTC)


def test_tomorrow_with_a_typed_time() -> None:
    chat = request_chat()
    walk(chat, until="required_time", required_by="3")
    walk(chat, required_time="4:30 pm")
    assert stored(chat)[0].draft.required_by == datetime(2026, 12, 5, 11, 0, tzinfo=UTC)


def test_another_date_is_typed() -> None:
    chat = request_chat()
    walk(chat, required_by="4", required_date="12 Dec 10am")
    assert stored(chat)[0].draft.required_by == datetime(2026, 12, 12, 4, 30, tzinfo=UTC)


def test_a_baby_of_6_months_is_age_0() -> None:
    chat = request_chat()
    assert "under 1 year" in walk(chat, until="confirm", patient_age="6 months")
    walk(chat)
    assert stored(chat)[0].draft.patient_age == 0


def test_typed_group_and_units_are_understood() -> None:
    chat = request_chat()
    walk(chat, blood_group="b positive", units="5 units")
    draft = stored(chat)[0].draft
    assert draft.patient_group.code == "B+" and draft.units == 5


def test_single_donor_platelets_suggest_the_same_group() -> None:
    chat = request_chat()
    text = walk(chat, until="kind", component="3")
    assert "Single-donor platelets usually need the same group" in text


def test_a_shared_location_finds_the_hospital_area() -> None:
    chat = request_chat()
    walk(chat, until="hospital_place")
    assert chat.last is not None and chat.last.replies[-1].ask_location
    chat.send(location=(26.85, 80.95))
    walk(chat, ward="Ward 5, bed 12")
    draft = stored(chat)[0].draft
    assert draft.hospital_place == LUCKNOW and draft.ward == "Ward 5, bed 12"


def test_the_channels_own_number_is_offered() -> None:
    chat = request_chat(phone="whatsapp:+919900011122")
    text = walk(chat, until="attendant_phone")
    assert "1. Use this number (+919900011122)" in text
    walk(chat, attendant_phone="1")
    assert stored(chat)[0].draft.attendant_phone == "+919900011122"


def test_a_shared_contact_gives_the_phone() -> None:
    chat = request_chat()
    walk(chat, until="attendant_phone")
    assert chat.last is not None and chat.last.replies[-1].ask_phone
    chat.send(phone="+91 98765 43210")
    walk(chat)
    assert stored(chat)[0].draft.attendant_phone == "+919876543210"


def test_change_something_asks_one_part_again_and_keeps_the_rest() -> None:
    chat = request_chat()
    walk(chat, until="confirm")
    chat.say("2", "3")
    text = chat.say("City Hospital", "Lucknow", "skip", "skip")
    assert chat.step == ("request", "confirm")
    assert "City Hospital" in text and "Sunita Devi" in text and "KGMU" not in text
    walk(chat)
    assert stored(chat)[0].draft.hospital_name == "City Hospital"


def test_changing_to_an_unknown_group_makes_it_a_replacement() -> None:
    chat = request_chat()
    walk(chat, until="kind")
    walk(chat, until="confirm", kind="2")
    text = chat.say("2", "2", "don't know", "1", "2")
    assert chat.step == ("request", "confirm")
    assert "Blood group: Don't know" in text and "Any group (replacement)" in text
    walk(chat)
    assert stored(chat)[0].draft.kind is RequestKind.REPLACEMENT


def test_help_explains_the_step_and_asks_again() -> None:
    chat = request_chat()
    walk(chat, until="kind")
    text = chat.say("help")
    assert "replacement donors of any group" in text and chat.step == ("request", "kind")
