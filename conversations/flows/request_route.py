"""Order the blood request's steps, hold its limits and check the text typed at them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from conversations.flow import Answer, Goto, Prompt, Retry, Step, Transition, Turn, goto, retry
from conversations.i18n import _
from conversations.text import has_letters_or_digits


@dataclass(frozen=True)
class RequestLimits:
    """The numbers the request flow enforces, each with its source."""

    min_age: int = 0  # issue "Blood request": ages 0-120, a baby is 0
    max_age: int = 120
    min_units: int = 1  # DOMAIN.md "A blood request": units (1-10)
    max_units: int = 10
    name_chars: int = 60  # issue "Blood request": names <= 60
    hospital_chars: int = 100  # issue "Blood request": hospital <= 100
    relation_chars: int = 30  # issue "Blood request": relation <= 30
    ward_chars: int = 60  # our choice: a ward, bed or registration number is short
    duplicate_window: timedelta = timedelta(hours=72)  # issue: same request within 72 hours
    soon: timedelta = timedelta(hours=6)  # DESIGN.md UX: "within 6 hours"


LIMITS = RequestLimits()

CONFIRM = "confirm"
SECTIONS: dict[str, tuple[str, ...]] = {
    "patient": ("patient_name", "patient_age", "patient_sex"),
    "need": ("blood_group", "component", "units", "kind"),
    "hospital": ("hospital_name", "hospital_place", "ward", "slip"),
    "when": ("required_by", "required_time", "required_date"),
    "attendant": ("attendant_name", "attendant_phone", "attendant_relation"),
}
"""Steps grouped as the summary's "Change something" offers them, in the order asked."""

EDITING = "editing"
"""Data key naming the section being changed from the summary; absent on the first pass."""

TOO_LONG = _("That is too long: at most {limit} characters, please. For example: {example}")
NO_LETTERS = _(
    "Please type it in letters; I cannot read only numbers or emoji here. For example: {example}"
)


def onward(turn: Turn, step: str, *say: str) -> Goto:
    """Go to `step`, or back to the summary once the section being changed is done."""
    section = turn.data.get(EDITING)
    if isinstance(section, str) and step not in SECTIONS.get(section, ()):
        del turn.data[EDITING]
        return goto(CONFIRM, *say)
    return goto(step, *say)


def checked_text(turn: Turn, text: str, *, limit: int, example: str,
                 letters: bool = False) -> str | Retry:
    """Return `text` if it fits and can be read, else a re-ask showing `example`.

    With `letters`, at least one letter is required (a name made of digits is a typo).
    """
    readable = (any(ch.isalpha() for ch in text) if letters
                else has_letters_or_digits(text))
    if not readable:
        return retry(turn.t(NO_LETTERS, example=turn.t(example)))
    if len(text) > limit:
        return retry(turn.t(TOO_LONG, limit=limit, example=turn.t(example)))
    return text


def name_step(name: str, *, ask: str, example: str, then: str, help_text: str) -> Step:
    """Build a step that asks for a person's name, checks it and stores it under `name`."""

    def prompt(turn: Turn) -> Prompt:
        return Prompt(turn.t(ask))

    def handle(turn: Turn, answer: Answer) -> Transition:
        checked = checked_text(turn, answer.text, limit=LIMITS.name_chars, example=example,
                               letters=True)
        if not isinstance(checked, str):
            return checked
        turn.data[name] = checked
        return onward(turn, then)

    return Step(name, prompt, handle, help_text)


def text_of(data: dict[str, Any], key: str) -> str:
    """Return a stored text answer, or "" if it is missing."""
    value = data.get(key)
    return value if isinstance(value, str) else ""


def number_of(data: dict[str, Any], key: str) -> int:
    """Return a stored whole-number answer, or 0 if it is missing."""
    value = data.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
