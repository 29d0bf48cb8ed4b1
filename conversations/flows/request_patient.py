"""Blood request steps about the patient: name, age and sex."""

from __future__ import annotations

import re

from conversations.flow import Answer, Option, Prompt, Step, Transition, Turn, retry
from conversations.flows.request_route import LIMITS, name_step, onward
from conversations.i18n import _
from conversations.text import fold
from storage.domain.people import Sex

ASK_NAME = _("What is the patient's full name, as written on the hospital file?\n"
             "For example: Sunita Devi")
NAME_EXAMPLE = _("Sunita Devi")
NAME_HELP = _("The volunteer matches this name with the hospital's records. It is never sent "
              "to donors.")

ASK_AGE = _("How old is the patient, in years? For a baby under one year, send 0 or, for "
            "example, '6 months'.\nFor example: 45")
AGE_NOT_READ = _("I could not read an age there. Please send the age in years as a number, for "
                 "example 45 (or '6 months' for a baby).")
AGE_OUT_OF_RANGE = _("The age must be from {low} to {high} years. Please check it and send it "
                     "again, for example 45.")
AGE_HELP = _("Age helps the blood bank and the volunteer check the request. For a baby under "
             "one year, send 0.")

ASK_SEX = _("Is the patient male or female?")
SEX_HINT = _("Please send 1 for male, 2 for female or 3 for other.")
SEX_HELP = _("Some blood components are matched differently for women and girls, so donors are "
             "chosen with this in mind.")
SEX_OPTIONS = (
    Option(Sex.MALE.value, _("Male"), ("m", "male", "man", "boy", "purush", "ladka", "aadmi")),
    Option(Sex.FEMALE.value, _("Female"),
           ("f", "female", "woman", "girl", "mahila", "ladki", "aurat", "स्त्री")),
    Option(Sex.OTHER.value, _("Other"), ("o", "other", "anya")),
)

_AGE_RE = re.compile(r"(\d{1,3})\s*([^\d\s]*)(?:\s+(?:old|ka|ki|ke|का|की|के))?")
_YEAR_WORDS = frozenset({"", "y", "yr", "yrs", "year", "years", "sal", "saal", "baras", "varsh",
                         "साल", "वर्ष", "बरस"})
_MONTH_WORDS = frozenset({"m", "mo", "mos", "month", "months", "mahina", "mahine", "maheene",
                          "महीना", "महीने", "माह"})
_INFANT_WORDS = frozenset({"d", "day", "days", "din", "दिन", "w", "wk", "week", "weeks", "hafta",
                           "hafte", "हफ्ता", "हफ्ते", "हफ़्ते"})


def parse_age(text: str) -> int | None:
    """Read an age in whole years: "45", "45 years", "6 months" (0), "3 din" (0); else None."""
    match = _AGE_RE.fullmatch(fold(text))
    if match is None:
        return None
    number, unit = int(match[1]), match[2]
    if unit in _YEAR_WORDS:
        return number
    if unit in _MONTH_WORDS:
        return number // 12
    return 0 if unit in _INFANT_WORDS else None


def ask_age(turn: Turn) -> Prompt:
    """Ask for the patient's age."""
    return Prompt(turn.t(ASK_AGE))


def on_age(turn: Turn, answer: Answer) -> Transition:
    """Store the age in years (a baby is 0) and ask the sex."""
    age = parse_age(answer.text)
    if age is None:
        return retry(turn.t(AGE_NOT_READ))
    if not LIMITS.min_age <= age <= LIMITS.max_age:
        return retry(turn.t(AGE_OUT_OF_RANGE, low=LIMITS.min_age, high=LIMITS.max_age))
    turn.data["patient_age"] = age
    return onward(turn, "patient_sex")


def ask_sex(turn: Turn) -> Prompt:
    """Ask for the patient's sex."""
    return Prompt(turn.t(ASK_SEX), SEX_OPTIONS, free_text=True)


def on_sex(turn: Turn, answer: Answer) -> Transition:
    """Store the sex and ask the blood group."""
    if answer.choice is None:
        return retry(turn.t(SEX_HINT))
    turn.data["patient_sex"] = answer.choice
    return onward(turn, "blood_group")


STEPS = (
    name_step("patient_name", ask=ASK_NAME, example=NAME_EXAMPLE, then="patient_age",
              help_text=NAME_HELP),
    Step("patient_age", ask_age, on_age, AGE_HELP),
    Step("patient_sex", ask_sex, on_sex, SEX_HELP),
)
