"""Read free-text dates and times typed in English, Hindi or Hinglish."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

import dateparser

# These are reading conventions of this bot, not medical or legal rules.
BARE_DAY_HOUR = 10  # "5 Dec", "kal", "monday" with no time mean 10:00 that day
DAYTIME_PM_UNTIL = 6  # an hour of 1-6 with no am/pm or part of day is afternoon ("2 baje" = 14:00)
# Part of the day: (default hour, days added), for "kal subah" without an hour.
PARTS: dict[str, tuple[int, int]] = {
    "morning": (9, 0), "afternoon": (13, 0), "noon": (12, 0), "evening": (18, 0),
    "night": (21, 0), "midnight": (0, 1),
}
PART_WORDS: dict[str, str] = {
    "subah": "morning", "subha": "morning", "सुबह": "morning", "morning": "morning",
    "dopahar": "afternoon", "dopehar": "afternoon", "dophar": "afternoon", "दोपहर": "afternoon",
    "afternoon": "afternoon", "noon": "noon", "shaam": "evening", "sham": "evening",
    "शाम": "evening", "evening": "evening", "raat": "night", "rat": "night", "रात": "night",
    "night": "night", "midnight": "midnight",
}
DAY_WORDS: dict[str, int] = {  # days after today; parse_date reads them as days before
    "aaj": 0, "aj": 0, "आज": 0, "today": 0, "kal": 1, "कल": 1, "tomorrow": 1, "tmrw": 1,
    "tmr": 1, "parson": 2, "parso": 2, "parsoon": 2, "परसों": 2, "परसो": 2,
}
FUTURE_ONLY_DAY_WORDS = frozenset({"tomorrow", "tmrw", "tmr"})
"""Day words that never mean the past (unlike kal, which is both yesterday and tomorrow)."""
PHRASES: dict[str, str] = {
    "day after tomorrow": "parson", "right now": "abhi", "abhi ke abhi": "abhi",
    "tonight": "aaj raat", "tonite": "aaj raat", "this morning": "aaj subah",
    "this afternoon": "aaj dopahar", "this evening": "aaj shaam", "aadhi raat": "midnight",
    "आधी रात": "midnight", "in the morning": "subah", "in the evening": "shaam",
    "at night": "raat",
}
NOW_WORDS = frozenset(
    {"abhi", "अभी", "turant", "turrant", "तुरंत", "तुरन्त", "now", "asap", "urgent", "urgently",
     "immediately", "emergency", "jaldi", "जल्दी", "fauran", "foran", "फौरन"}
)
FILLERS = frozenset(
    {"ko", "को", "tak", "तक", "se", "से", "pehle", "pahle", "पहले", "by", "at", "before",
     "around", "about", "lagbhag", "लगभग", "ke", "के", "ki", "की", "the", "on", "chahiye",
     "चाहिए", "needed", "need", "please", "pls", "ji", "hai", "है"}
)
NUMBER_WORDS: dict[str, float] = {
    "a": 1, "an": 1, "ek": 1, "एक": 1, "do": 2, "दो": 2, "teen": 3, "तीन": 3, "char": 4,
    "चार": 4, "paanch": 5, "panch": 5, "पांच": 5, "aadha": 0.5, "adha": 0.5, "आधा": 0.5,
    "half an": 0.5, "half a": 0.5, "dedh": 1.5, "डेढ": 1.5, "dhai": 2.5, "ढाई": 2.5,
}
UNITS: dict[str, timedelta] = {
    **dict.fromkeys(("ghante", "ghanta", "ghanton", "gante", "घंटे", "घंटा", "घंटों", "hours",
                     "hour", "hrs", "hr"), timedelta(hours=1)),
    **dict.fromkeys(("minute", "minutes", "mins", "min", "minat", "मिनट"), timedelta(minutes=1)),
    **dict.fromkeys(("din", "दिन", "days", "day"), timedelta(days=1)),
}
CLOCK_MODIFIERS: dict[str, int] = {  # minutes added to the hour named after the word
    "saade": 30, "sade": 30, "साढे": 30, "sava": 15, "sawa": 15, "सवा": 15, "paune": -15,
    "पौने": -15,
}
TO_ENGLISH: dict[str, str] = {  # Hinglish words dateparser does not know
    "somvar": "monday", "mangalvar": "tuesday", "budhvar": "wednesday", "guruvar": "thursday",
    "shukravar": "friday", "shanivar": "saturday", "ravivar": "sunday", "itvaar": "sunday",
    "agle": "next", "agla": "next", "अगले": "next", "pichhle": "last", "pichle": "last",
    "pichla": "last", "पिछले": "last", "पिछला": "last", "mahine": "months", "mahina": "month",
    "महीने": "months", "महीना": "month", "saal": "year", "sal": "year", "साल": "year",
    "varsh": "year", "वर्ष": "year", "hafte": "weeks", "hafta": "week", "हफ्ते": "weeks",
    "din": "days", "दिन": "days", "pehle": "ago", "pahle": "ago", "पहले": "ago",
}
LANGUAGES = ["en", "hi"]


def _alternatives(words: Iterable[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_RELATIVE = re.compile(
    rf"(?:in|within|after)?\s*(?P<n>\d+(?:\.\d+)?|{_alternatives(NUMBER_WORDS)})\s*"
    rf"(?P<unit>{_alternatives(UNITS)})\s*"
    r"(?:mein|me|main|men|में|baad|बाद|later|ke andar|के अंदर|andar|अंदर)?"
)
_CLOCK = re.compile(
    rf"(?<![\d./:-])(?:(?P<mod>{_alternatives(CLOCK_MODIFIERS)})\s+)?(?P<h>\d{{1,2}})"
    r"(?:[:.](?P<m>\d{2}))?(?![\d/-]|[.:]\d)"
    r"\s*(?P<suffix>am|pm|baje|bje|बजे|o clock|oclock)?(?!\S)"
)
_DEVANAGARI_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")


def _normalize(text: str) -> str:
    """Fold case, digits and spelling variants so the tables above can be matched."""
    text = unicodedata.normalize("NFD", text.translate(_DEVANAGARI_DIGITS).casefold())
    text = unicodedata.normalize("NFC", text.replace("\u093c", "").replace("\u0901", "\u0902"))
    text = re.sub(r"(?<![a-z])([ap])\.\s?m\.?(?![a-z])", r"\1m", text)
    text = "".join(c if c.isalnum() or c in ":./-" or unicodedata.category(c)[0] == "M"
                   else " " for c in text)
    text = re.sub(r"(?<![0-9])[.:]|[.:](?![0-9])", " ", text)
    text = " ".join(text.split())
    for phrase, replacement in PHRASES.items():
        text = re.sub(rf"(?<!\S){re.escape(phrase)}(?!\S)", replacement, text)
    return text


@dataclass
class _Reading:
    """What the phrase layer understood: a day, a part of the day, a clock time, the rest."""

    day: int | None = None
    part: str | None = None
    hour: int | None = None
    minute: int = 0
    meridiem: Literal["am", "pm"] | None = None
    rest: list[str] = field(default_factory=list)


def _read_phrase(text: str) -> _Reading:
    """Pick day words, parts of the day and a clock time out of normalized text."""
    reading = _Reading()
    for clock in _CLOCK.finditer(text):
        if clock["m"] or clock["suffix"] or clock["mod"]:
            reading.hour, reading.minute = int(clock["h"]), int(clock["m"] or 0)
            reading.minute += CLOCK_MODIFIERS.get(clock["mod"] or "", 0)
            if clock["suffix"] in ("am", "pm"):
                reading.meridiem = "am" if clock["suffix"] == "am" else "pm"
            text = text[: clock.start()] + " " + text[clock.end() :]
            break
    for word in text.split():
        if word in DAY_WORDS:
            reading.day = DAY_WORDS[word]
        elif word in PART_WORDS:
            reading.part = PART_WORDS[word]
        elif word not in FILLERS and word not in NOW_WORDS:  # "urgent kal subah": emphasis
            reading.rest.append(word)
    named = reading.day is not None or reading.part is not None
    if reading.hour is None and named and len(reading.rest) == 1 and reading.rest[0].isdigit():
        reading.hour = int(reading.rest.pop())
    if reading.minute < 0:
        reading.hour, reading.minute = (reading.hour or 0) - 1, reading.minute + 60
    return reading


_NUMBERS_IN_ENGLISH = {word: str(int(n)) for word, n in NUMBER_WORDS.items() if n == int(n)}


def _dateparser(text: str, base: datetime, prefer: str, tz: ZoneInfo | None,
                month_day: str = "first") -> datetime | None:
    """Ask dateparser, in English where our words have an English twin.

    `month_day` says which day a month without a day means ("first" or "last").
    """
    words = [TO_ENGLISH.get(word, _NUMBERS_IN_ENGLISH.get(word, word)) for word in text.split()]
    settings: dict[str, Any] = {
        "PREFER_DATES_FROM": prefer, "DATE_ORDER": "DMY", "RELATIVE_BASE": base,
        # "3 months ago" keeps today's day of the month.
        "PREFER_DAY_OF_MONTH": "current" if "ago" in words else month_day,
    }
    if tz is not None:
        settings.update(TIMEZONE=tz.key, RETURN_AS_TIMEZONE_AWARE=True)
    return dateparser.parse(" ".join(words), languages=LANGUAGES, settings=settings)


def parse_when(text: str, *, now: datetime, tz: ZoneInfo) -> datetime | None:
    """Read when something is needed ("kal subah 10 baje", "3 घंटे में", "5 Dec 4pm") in `tz`.

    A day without a time means 10:00 that day (today: 10:00 or now, whichever is later); a
    time without a day means its next occurrence. The result may lie in the past ("yesterday"):
    rejecting it is the caller's business.
    """
    local_now = now.astimezone(tz)
    clean = _normalize(text)
    words = clean.split()
    if not words:
        return None
    if all(word in NOW_WORDS or word in FILLERS for word in words) and NOW_WORDS & set(words):
        return local_now
    if (relative := _RELATIVE.fullmatch(clean)) is not None:
        amount = NUMBER_WORDS.get(relative["n"]) or float(relative["n"])
        return local_now + amount * UNITS[relative["unit"]]
    reading = _read_phrase(clean)
    day: date | None = None
    if reading.rest:
        if reading.day is not None or all(word.isdigit() for word in reading.rest):
            return None  # "kal 5 dec" or a bare "6": too ambiguous to guess
        found = _dateparser(" ".join(reading.rest), local_now.replace(tzinfo=None), "future", tz)
        if found is None:
            return None
        day = found.date()
    elif reading.day is not None:
        day = local_now.date() + timedelta(days=reading.day)
    elif reading.hour is None and reading.part is None:
        return None
    return _at(reading, day, local_now, tz)


def _at(reading: _Reading, day: date | None, now: datetime, tz: ZoneInfo) -> datetime | None:
    """Place the reading's clock time on `day`, or on its next occurrence if no day was named."""
    if reading.hour is None and reading.part is None:
        assert day is not None  # _read_phrase found a day, else parse_when returned
        at = datetime.combine(day, time(BARE_DAY_HOUR), tzinfo=tz)
        return max(at, now) if day == now.date() else at
    readings = _clock_readings(reading)
    if readings is None:
        return None
    first = readings[0]
    moments = [datetime.combine(day or now.date(), time(h, reading.minute), tzinfo=tz)
               + timedelta(days=shift) for h, shift in readings]
    if day is None:
        tomorrow = now.date() + timedelta(days=1)
        moments.append(datetime.combine(tomorrow, time(first[0], reading.minute), tzinfo=tz)
                       + timedelta(days=first[1]))
    elif day != now.date():
        return moments[0]
    return next((moment for moment in moments if moment >= now), moments[0])


def _clock_readings(reading: _Reading) -> list[tuple[int, int]] | None:
    """Return (hour, days added) readings of the clock time, most likely first; None if invalid."""
    if reading.hour is None:
        assert reading.part is not None
        return [PARTS[reading.part]]
    hour = reading.hour
    if not (0 <= hour <= 23 and 0 <= reading.minute <= 59):
        return None
    if reading.meridiem is not None:
        if not 1 <= hour <= 12:
            return None
        return [(hour % 12 + (12 if reading.meridiem == "pm" else 0), 0)]
    if reading.part in ("afternoon", "noon"):
        return [(hour if hour >= 11 else hour + 12, 0)]
    if reading.part == "evening":
        return [(hour + 12 if hour < 12 else hour, 0)]
    if reading.part in ("night", "midnight"):
        if hour == 12 or hour <= 4:
            return [(hour % 12, 1)]
        return [(hour + 12 if hour < 12 else hour, 0)]
    if reading.part == "morning" or not 1 <= hour <= 11:
        return [(hour, 0)]
    afternoon = (hour + 12, 0)
    return [afternoon, (hour, 0)] if hour <= DAYTIME_PM_UNTIL else [(hour, 0), afternoon]


def parse_date(text: str, *, today: date) -> date | None:
    """Read a past date such as a last donation ("15/08/2026", "3 mahine pehle", "march 2026").

    A month without a day means its last day (or today, if that is sooner): for the gap
    between donations the later guess is the safe one. A bare year or number is too vague and
    gives None.
    """
    clean = _normalize(text)
    if not clean or re.fullmatch(r"[0-9]+", clean):
        return None
    if clean in DAY_WORDS:  # looking back, kal is yesterday and parson the day before
        ahead = clean in FUTURE_ONLY_DAY_WORDS
        return today + timedelta(days=DAY_WORDS[clean] * (1 if ahead else -1))
    base = datetime.combine(today, time(12))
    found = _dateparser(clean, base, "past", None, "last")
    if found is None or found.date() <= today:
        return None if found is None else found.date()
    # Past today: either a month named without a day (this month: today is the safe guess) or
    # a real future date, which the caller must refuse, so it is returned as read.
    first = _dateparser(clean, base, "past", None, "first")
    return today if first is not None and first.date() <= today else found.date()


_AGE = re.compile(
    r"(?:(?:age|umar|umr|उमर|उम्र|aayu|आयु|meri|मेरी|my|is|hai|है)\s+)*(?P<n>[0-9]{1,3})\s*"
    r"(?:years?|yrs?|y|saal|sal|साल|varsh|वर्ष|baras|बरस)?"
    r"(?:\s+(?:old|ka|ki|ke|hai|है|hun|hoon|hu|हूं))*"
)
MAX_AGE = 120


def parse_birth_date_or_age(text: str, *, today: date) -> date | int | None:
    """Read an age in years ("25", "25 saal", "२५ वर्ष") or a date of birth ("12/03/1990")."""
    clean = _normalize(text)
    if (age := _AGE.fullmatch(clean)) is not None:
        years = int(age["n"])
        return years if 0 < years <= MAX_AGE else None
    if not clean or re.fullmatch(r"[0-9]+", clean):
        return None  # a bare year of birth is too vague for an age limit
    found = _dateparser(clean, datetime.combine(today, time(12)), "past", None, "last")
    return None if found is None else min(found.date(), today)
