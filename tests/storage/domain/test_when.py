"""Test reading free-text dates, times and ages in English, Hindi and Hinglish."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from storage.domain.when import parse_birth_date_or_age, parse_date, parse_when

IST = ZoneInfo("Asia/Kolkata")
NOW = datetime(2026, 12, 4, 14, 0, tzinfo=IST)  # a Friday afternoon
TODAY = NOW.date()


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """Return a December 2026 moment in Kolkata."""
    return datetime(2026, 12, day, hour, minute, tzinfo=IST)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("आज शाम 6 बजे", at(4, 18)),  # aaj + shaam + baje, in Devanagari
        ("kal subah 10 baje", at(5, 10)),  # kal + subah + baje, in Hinglish
        ("परसों", at(6, 10)),  # day after tomorrow, not the past; a bare day means 10:00
        ("parson shaam", at(6, 18)),  # part of the day without an hour
        ("3 घंटे में", at(4, 17)),  # hours from now
        ("dedh ghante mein", at(4, 15, 30)),
        ("in 3 hours", at(4, 17)),
        ("today 6pm", at(4, 18)),
        ("tomorrow morning", at(5, 9)),
        ("tonight", at(4, 21)),
        ("tomorrow 10 am", at(5, 10)),
        ("dopahar 2 baje", at(4, 14)),  # dopahar: 2 is 14:00
        ("raat 2 baje", at(5, 2)),  # raat: small hours belong to the night's end
        ("raat 12 baje", at(5, 0)),
        ("subah 10 baje", at(5, 10)),  # this morning has passed: tomorrow's
        ("8 baje", at(4, 20)),  # 08:00 has passed: the next 8 o'clock
        ("kal 2 baje", at(5, 14)),  # nobody means 2 a.m. without saying raat
        ("saade 6 baje", at(4, 18, 30)),
        ("कल 10:00", at(5, 10)),
        ("05/12/2026 4pm", at(5, 16)),  # Indian day-first order
        ("12 dec 4pm", at(12, 16)),
        ("5 Dec", at(5, 10)),
        ("somvar", at(7, 10)),  # Hinglish weekday
    ],
)
def test_phrase_is_read_as_a_moment_in_the_users_zone(text: str, expected: datetime) -> None:
    assert parse_when(text, now=NOW, tz=IST) == expected


@pytest.mark.parametrize("text", ["abhi", "अभी", "turant", "तुरंत", "now", "ASAP", "urgent"])
def test_words_for_right_now_give_now(text: str) -> None:
    assert parse_when(text, now=NOW, tz=IST) == NOW


def test_emphasis_next_to_a_time_is_ignored() -> None:
    assert parse_when("urgent kal subah", now=NOW, tz=IST) == at(5, 9)


@pytest.mark.parametrize(
    "text", ["", "   ", "asdfgh", "hello", "😀🙏", "6", "kal 5 dec", "25:00", "13 pm"]
)
def test_nonsense_and_ambiguous_text_gives_nothing(text: str) -> None:
    assert parse_when(text, now=NOW, tz=IST) is None


def test_kal_is_counted_from_the_users_date_not_utcs() -> None:
    late_night = datetime(2026, 12, 4, 20, 0, tzinfo=UTC)  # already 5 Dec, 01:30 in Kolkata
    assert parse_when("kal subah", now=late_night, tz=IST) == at(6, 9)


def test_today_without_a_time_is_not_put_in_the_past() -> None:
    assert parse_when("aaj", now=NOW, tz=IST) == NOW
    assert parse_when("yesterday", now=NOW, tz=IST) == at(3, 10)  # the caller rejects it


@pytest.mark.parametrize(
    ("text", "expected"),
    [("15/08/2026", date(2026, 8, 15)), ("3 months ago", date(2026, 9, 4)),
     ("3 mahine pehle", date(2026, 9, 4)), ("2 hafte pehle", date(2026, 11, 20)),
     ("पिछले साल", date(2025, 12, 31)), ("march 2026", date(2026, 3, 31)),
     ("jan 2025", date(2025, 1, 31)), ("dec 2026", date(2026, 12, 4)),
     ("kal", date(2026, 12, 3)), ("15 aug", date(2026, 8, 15))],
)
def test_past_date_is_read_looking_back(text: str, expected: date) -> None:
    assert parse_date(text, today=TODAY) == expected


@pytest.mark.parametrize("text", ["2025", "", "hello", "😀"])
def test_vague_or_nonsense_past_date_gives_nothing(text: str) -> None:
    assert parse_date(text, today=TODAY) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("25", 25), ("25 years", 25), ("25 saal", 25), ("२५ वर्ष", 25), ("मेरी उम्र 25 साल है", 25),
     ("12/03/1990", date(1990, 3, 12)), ("12 March 1990", date(1990, 3, 12))],
)
def test_age_or_date_of_birth_is_read(text: str, expected: date | int) -> None:
    assert parse_birth_date_or_age(text, today=TODAY) == expected


@pytest.mark.parametrize("text", ["1990", "0", "150", "hello", ""])
def test_bare_year_impossible_age_and_nonsense_give_nothing(text: str) -> None:
    assert parse_birth_date_or_age(text, today=TODAY) is None


@pytest.mark.parametrize("text, expected", [
    ("10/01/2027", date(2027, 1, 10)), ("tomorrow", date(2026, 12, 5))])
def test_parse_date_returns_a_future_date_as_read_so_the_caller_can_refuse_it(
        text: str, expected: date) -> None:
    assert parse_date(text, today=TODAY) == expected
