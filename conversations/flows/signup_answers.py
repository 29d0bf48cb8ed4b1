"""Read the donor's answers, or say precisely what was wrong and give an example."""

from __future__ import annotations

import re
from datetime import date

from conversations.flow import Answer, Retry, Turn, retry
from conversations.flows.signup_choices import DEFERRAL_LABELS, GROUP_BY_KEY, NONE_OF_THESE
from conversations.i18n import _
from conversations.text import fold, has_letters_or_digits
from storage.domain.blood import BloodGroup, parse_blood_group
from storage.domain.phones import normalize_phone
from storage.domain.places import Place
from storage.domain.when import parse_date

MAX_NAME_CHARS = 60

NAME_EMOJI = _("I could not read a name in that. Please type your name in letters, "
               "for example: Asha Verma")
NAME_TOO_LONG = _("That name is too long (at most {limit} characters). Please send a shorter "
                  "form, for example: Asha Verma")
BAD_PHONE = _("That does not look like a valid mobile number. Please send 10 digits, "
              "for example: 98123 45678")
BAD_GROUP = _("I could not read that blood group. Send the number of a choice, or type it "
              "like B+, O negative or AB+. If you are not sure, choose 'Don't know'.")
BAD_PIN = _("I do not know the PIN code {pin}. Please check it (6 digits, for example "
            "110001), type your district name, or send your location.")
PLACE_SUGGESTIONS = _("I could not find that place. Did you mean: {names}? Type one of them, "
                      "a PIN code such as 110001, or send your location.")
UNKNOWN_PLACE = _("I could not find that place. Type your 6-digit PIN code (for example "
                  "110001) or your district name, or send your location.")
LOCATION_OUTSIDE = _("I could not find a place in India at that location. Please type your "
                     "PIN code instead, for example 110001.")
BAD_DATE = _("I could not read that date. Please send it like 15/08/2025.")
FUTURE_DATE = _("That date is in the future. Please send a date that has passed, "
                "like 15/08/2025.")
BAD_DEFERRALS = _("Please send the numbers of what applies, for example: 1, 3. Send 8 if "
                  "none of these apply.")

_PIN_RE = re.compile(r"\d{6}")


def local_today(turn: Turn) -> date:
    """Return today's date in the user's zone."""
    return turn.now.astimezone(turn.zone).date()


def read_name(turn: Turn, text: str) -> str | Retry:
    """Return the name with its spacing tidied, or a re-ask."""
    name = " ".join(text.split())
    if not has_letters_or_digits(name) or not any(ch.isalpha() for ch in name):
        return retry(turn.t(NAME_EMOJI))
    if len(name) > MAX_NAME_CHARS:
        return retry(turn.t(NAME_TOO_LONG, limit=MAX_NAME_CHARS))
    return name


def read_phone(turn: Turn, answer: Answer) -> str | Retry:
    """Return a shared or typed phone number in E.164, or a re-ask."""
    phone = normalize_phone(answer.phone or answer.text)
    return phone if phone else retry(turn.t(BAD_PHONE))


def read_group(turn: Turn, answer: Answer) -> BloodGroup | Retry:
    """Return the picked or typed blood group, or a re-ask."""
    if answer.choice is not None:
        return GROUP_BY_KEY[answer.choice]
    group = parse_blood_group(answer.text)
    return group if group is not None else retry(turn.t(BAD_GROUP))


def read_place(turn: Turn, answer: Answer) -> Place | Retry:
    """Resolve a shared location or a typed PIN code or district, or re-ask with a hint."""
    services = turn.services
    if answer.location is not None:
        place = services.place_at(answer.location.latitude, answer.location.longitude)
        return place if place is not None else retry(turn.t(LOCATION_OUTSIDE))
    text = " ".join(answer.text.split())
    place = services.resolve_place(text)
    if place is not None:
        return place
    digits = fold(text).replace(" ", "")
    if _PIN_RE.fullmatch(digits):
        return retry(turn.t(BAD_PIN, pin=digits))
    names = services.place_suggestions(text)[:3]
    if names:
        return retry(turn.t(PLACE_SUGGESTIONS, names=", ".join(names)))
    return retry(turn.t(UNKNOWN_PLACE))


def read_past_date(turn: Turn, text: str) -> date | Retry:
    """Return a date on or before today, or a re-ask saying what was wrong."""
    today = local_today(turn)
    day = parse_date(text, today=today)
    if day is None:
        return retry(turn.t(BAD_DATE))
    if day > today:
        return retry(turn.t(FUTURE_DATE))
    return day


def read_deferrals(turn: Turn, answer: Answer) -> list[str] | Retry:
    """Return the deferral kinds picked by number ("1, 3"), [] for none, or a re-ask."""
    order = [kind.value for kind in DEFERRAL_LABELS]
    if answer.choice is not None:
        return [] if answer.choice == NONE_OF_THESE else [answer.choice]
    folded = fold(answer.text)
    numbers = [int(n) for n in re.findall(r"\d+", folded)]
    if not numbers or re.sub(r"[\d\s,;.&+/-]|and|aur|और", "", folded):
        return retry(turn.t(BAD_DEFERRALS))
    none_numbers = {0, len(order) + 1}
    if set(numbers) <= none_numbers:
        return []
    if any(n < 1 or n > len(order) for n in numbers):
        return retry(turn.t(BAD_DEFERRALS))
    return list(dict.fromkeys(order[n - 1] for n in numbers))

