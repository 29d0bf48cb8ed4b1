"""Blood request steps about the hospital: its name, where, the ward or bed, and the slip."""

from __future__ import annotations

from typing import Any

from conversations.flow import Answer, Option, Prompt, Step, Transition, Turn, retry
from conversations.flows.request_route import LIMITS, checked_text, onward
from conversations.i18n import _
from conversations.text import has_letters_or_digits
from storage.domain.places import Place
from storage.domain.records import Attachment

ASK_HOSPITAL = _("Which hospital is the patient in?\nFor example: KGMU Trauma Centre, Lucknow")
HOSPITAL_EXAMPLE = _("KGMU Trauma Centre, Lucknow")
HOSPITAL_HELP = _("The name of the hospital or blood bank where the blood is needed, so that "
                  "donors know where to go.")

ASK_PLACE = _("Where is the hospital? So that nearby donors can be found, share its location, "
              "or type its PIN code or district.\nFor example: 226003 or Lucknow")
PLACE_FOUND = _("Hospital area: {place}.")
LOCATION_NOT_FOUND = _("I could not find that location in India. Please type the hospital's PIN "
                       "code or district instead, for example 226003.")
PLACE_NOT_FOUND = _("I could not find that place. Please type the hospital's 6-digit PIN code or "
                    "its district, for example 226003 or Lucknow.")
PLACE_SUGGEST = _("I could not find that place. Did you mean {names}? Send the number, or type "
                  "the PIN code, for example 226003.")
PLACE_HELP = _("Donors near the hospital are asked first. On Telegram, tap the location button; "
               "on WhatsApp, attach your location. Or type the PIN code from the hospital's "
               "address.")
SUGGESTIONS = "place_suggestions"
MAX_SUGGESTIONS = 5

ASK_WARD = _("Ward, bed or registration number? It helps the volunteer check the request. It "
             "is optional: send 'skip' if you do not have it.\nFor example: Ward 5, bed 12")
WARD_EXAMPLE = _("Ward 5, bed 12")
WARD_HELP = _("The ward and bed, or the hospital registration (UHID) number, help the volunteer "
              "confirm the request with the hospital quickly. You may skip it.")
SKIP_OPTIONS = (
    Option("skip", _("Skip"), ("skip", "no", "none", "nahi", "na", "छोड़ें", "नहीं")),
)

ASK_SLIP = _("If you have it, send a photo of the hospital's requisition slip — it helps the "
             "volunteer verify quickly. Or send 'skip'.")
SLIP_NEEDS_PHOTO = _("Please send the slip as a photo: attach it from your camera or gallery. "
                     "If you do not have it, send 'skip'.")
SLIP_RECEIVED = _("Thank you, the slip is received. Only the volunteers who verify the request "
                  "will see it.")
SLIP_HELP = _("The requisition slip is the form the hospital gives for the blood bank. A photo "
              "of it lets the volunteer verify the request quickly; only volunteers see it, "
              "never donors. You may skip it.")
SLIP = "slip"
"""Data key of the slip: {"url": …, "type": …}, or None when it was skipped."""


def ask_hospital(turn: Turn) -> Prompt:
    """Ask for the hospital's name."""
    return Prompt(turn.t(ASK_HOSPITAL))


def on_hospital(turn: Turn, answer: Answer) -> Transition:
    """Store the hospital's name and ask where it is."""
    name = checked_text(turn, answer.text, limit=LIMITS.hospital_chars, example=HOSPITAL_EXAMPLE)
    if not isinstance(name, str):
        return name
    turn.data["hospital_name"] = name
    return onward(turn, "hospital_place")


def ask_place(turn: Turn) -> Prompt:
    """Ask for the hospital's location, offering the last suggestions as choices."""
    names = turn.data.get(SUGGESTIONS) or []
    options = tuple(Option(f"suggestion:{i}", str(name)) for i, name in enumerate(names))
    return Prompt(turn.t(ASK_PLACE), options, ask_location=True, free_text=True)


def _resolve(turn: Turn, answer: Answer) -> Place | None:
    if answer.location is not None:
        return turn.services.place_at(answer.location.latitude, answer.location.longitude)
    names = turn.data.get(SUGGESTIONS) or []
    if answer.choice is not None:
        index = int(answer.choice.partition(":")[2])
        return turn.services.resolve_place(str(names[index]))
    return turn.services.resolve_place(answer.text) if has_letters_or_digits(answer.text) else None


def on_place(turn: Turn, answer: Answer) -> Transition:
    """Resolve a shared location, PIN code or district; suggest names for a misspelt one."""
    place = _resolve(turn, answer)
    if place is not None:
        turn.data.pop(SUGGESTIONS, None)
        turn.data["hospital_place"] = place.to_json()
        return onward(turn, "ward", turn.t(PLACE_FOUND, place=place.label))
    if answer.location is not None:
        return retry(turn.t(LOCATION_NOT_FOUND))
    names = turn.services.place_suggestions(answer.text) if answer.choice is None else []
    turn.data[SUGGESTIONS] = names[:MAX_SUGGESTIONS]
    if not names:
        return retry(turn.t(PLACE_NOT_FOUND))
    shown = ", ".join(names[:MAX_SUGGESTIONS])
    return retry(turn.t(PLACE_SUGGEST, names=shown))


def ask_ward(turn: Turn) -> Prompt:
    """Ask for the ward, bed or registration number, which may be skipped."""
    return Prompt(turn.t(ASK_WARD), SKIP_OPTIONS, free_text=True)


def on_ward(turn: Turn, answer: Answer) -> Transition:
    """Store the ward (or nothing) and ask when the blood is needed."""
    if answer.choice == "skip":
        turn.data["ward"] = None
        return onward(turn, SLIP)
    ward = checked_text(turn, answer.text, limit=LIMITS.ward_chars, example=WARD_EXAMPLE)
    if not isinstance(ward, str):
        return ward
    turn.data["ward"] = ward
    return onward(turn, SLIP)


def ask_slip(turn: Turn) -> Prompt:
    """Ask for a photo of the requisition slip, which may be skipped."""
    return Prompt(turn.t(ASK_SLIP), SKIP_OPTIONS, free_text=True, takes_media=True)


def on_slip(turn: Turn, answer: Answer) -> Transition:
    """Keep the slip photo by reference (or nothing) and ask when the blood is needed."""
    if answer.media:
        photo = answer.media[0]
        turn.data[SLIP] = {"url": photo.url, "type": photo.content_type}
        return onward(turn, "required_by", turn.t(SLIP_RECEIVED))
    if answer.choice == "skip":
        turn.data[SLIP] = None
        return onward(turn, "required_by")
    return retry(turn.t(SLIP_NEEDS_PHOTO))


def slip_of(data: dict[str, Any]) -> Attachment | None:
    """Return the slip kept in the conversation's data, None if it was skipped."""
    slip = data.get(SLIP)
    if not isinstance(slip, dict) or not slip.get("url"):
        return None
    return Attachment(str(slip["url"]), str(slip.get("type") or ""))


STEPS = (
    Step("hospital_name", ask_hospital, on_hospital, HOSPITAL_HELP),
    Step("hospital_place", ask_place, on_place, PLACE_HELP),
    Step("ward", ask_ward, on_ward, WARD_HELP),
    Step(SLIP, ask_slip, on_slip, SLIP_HELP),
)
