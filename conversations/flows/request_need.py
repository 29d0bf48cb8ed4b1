"""Blood request steps about the need: blood group, component, units and request kind."""

from __future__ import annotations

import re

from conversations.flow import Answer, Option, Prompt, Step, Transition, Turn, retry
from conversations.flows.request_route import LIMITS, onward, text_of
from conversations.i18n import _
from conversations.text import fold
from storage.domain.blood import Abo, BloodGroup, Component, parse_blood_group
from storage.domain.records import RequestKind

ASK_GROUP = _("What is the patient's blood group, as written by the hospital?\n"
              "If you are not sure, choose 'Don't know': donors of any group can still help.")
GROUP_HINT = _("I could not read that blood group. Send it like B+ or O negative, or choose a "
               "number. If it is not known, send 'don't know'.")
GROUP_HELP = _("Send the group the hospital wrote on the requisition slip. 'Bombay (hh)' is a "
               "very rare group that looks like O in routine tests: choose it only if the "
               "hospital said so. If the group is not known, choose 'Don't know'.")
UNKNOWN_LABEL = _("Don't know")
BOMBAY_LABEL = _("Bombay (hh)")
GROUP_OPTIONS = (
    *(Option(code, code) for code in ("A+", "A-", "B+", "B-", "O+", "O-", "AB+", "AB-")),
    Option("unknown", UNKNOWN_LABEL, ("dont know", "not known", "unknown", "pata nahi")),
    Option("hh", BOMBAY_LABEL, ("bombay", "hh", "bombay hh", "बॉम्बे")),
)

ASK_COMPONENT = _("What has the hospital asked for?")
COMPONENT_HINT = _("Please send the number of what the hospital asked for, for example 1 for "
                   "whole blood. Not sure? Choose whole blood or red cells; the volunteer will "
                   "check.")
PLATELETS_WHICH = _("Which platelets: single donor (SDP, given on a machine) or random donor "
                    "(RDP)? Send 3 or 4. If you are not sure, ask the blood bank.")
COMPONENT_HELP = _("It is written on the hospital's requisition slip. Not sure? Choose 'Whole "
                   "blood' or 'Red cells': they are the most common, and the volunteer will "
                   "check the slip.")
COMPONENT_OPTIONS = (
    Option(Component.WHOLE_BLOOD.value, _("Whole blood"), ("whole", "wb", "blood", "khoon")),
    Option(Component.PRBC.value, _("Red cells (PRBC)"),
           ("prbc", "rbc", "prc", "pcv", "packed cells", "red cells")),
    Option(Component.SDP.value, _("Platelets – single donor (SDP/apheresis)"),
           ("sdp", "apheresis", "single donor", "single donor platelets")),
    Option(Component.RDP.value, _("Platelets – random donor (RDP)"),
           ("rdp", "random donor", "random donor platelets")),
    Option(Component.FFP.value, _("Plasma (FFP)"), ("ffp", "plasma", "प्लाज़्मा", "प्लाज्मा")),
    Option(Component.CRYO.value, _("Cryo"), ("cryo", "cryoprecipitate")),
)
_PLATELET_RE = re.compile(r"platelet|प्लेटलेट")

ASK_UNITS = _("How many units (bags) are needed? Send a number from {low} to {high}.")
UNITS_NOT_NUMBER = _("Please send the number of units in digits, for example 2.")
UNITS_OUT_OF_RANGE = _("Please send a number from {low} to {high}, for example 2. If more are "
                       "needed, tell the volunteer who calls you.")
UNITS_HELP = _("A unit is one bag from one donor. The number is on the requisition slip.")
UNIT_OPTIONS = tuple(Option(str(n), str(n)) for n in range(1, 5))
_UNITS_RE = re.compile(r"(\d{1,3})\s*(?:units?|bags?|bottles?|यूनिट|बोतल|बैग)?")

ASK_KIND = _("Did the blood bank ask for donors of any group, or only of the patient's group?\n"
             "Replacement: the blood bank gives blood from its stock and asks for donors of "
             "any group in return (most requests).\n"
             "Same group: the blood bank has no stock, or it is a rare group or single-donor "
             "platelets.")
KIND_SDP_NOTE = _("Single-donor platelets usually need the same group: choose 2 unless the "
                  "blood bank said otherwise.")
KIND_HINT = _("Please send 1 if donors of any group will do (replacement), or 2 if only the "
              "patient's group will do. If you are not sure, ask the blood bank.")
KIND_HELP = _("Most hospital blood banks give blood from stock and ask the family for "
              "replacement donors of any group. Asking for one group when any would do hides "
              "the request from most donors who could help.")
KIND_UNKNOWN_GROUP = _("As the blood group is not known yet, donors of any group will be asked "
                       "(replacement). The volunteer will add the group when the hospital gives "
                       "it.")
KIND_BOMBAY = _("A Bombay (hh) patient can receive blood only from Bombay (hh) donors, so only "
                "they will be asked.")
KIND_OPTIONS = (
    Option(RequestKind.REPLACEMENT.value, _("Any group (replacement)"),
           ("replacement", "any", "any group", "koi bhi", "कोई भी")),
    Option(RequestKind.GROUP_SPECIFIC.value, _("Same group needed"),
           ("same", "same group", "group specific", "specific", "समान", "वही")),
)


def ask_group(turn: Turn) -> Prompt:
    """Ask for the patient's blood group."""
    return Prompt(turn.t(ASK_GROUP), GROUP_OPTIONS, free_text=True)


def on_group(turn: Turn, answer: Answer) -> Transition:
    """Store the group as its code and ask for the component."""
    choice, text = answer.choice, answer.text
    group = BloodGroup.from_code(choice) if choice else parse_blood_group(text)
    if group is None:
        return retry(turn.t(GROUP_HINT))
    turn.data["group"] = group.code
    return onward(turn, "component")


def ask_component(turn: Turn) -> Prompt:
    """Ask which blood component the hospital asked for."""
    return Prompt(turn.t(ASK_COMPONENT), COMPONENT_OPTIONS, free_text=True)


def on_component(turn: Turn, answer: Answer) -> Transition:
    """Store the component and ask how many units."""
    if answer.choice is None:
        which = _PLATELET_RE.search(fold(answer.text))
        return retry(turn.t(PLATELETS_WHICH if which else COMPONENT_HINT))
    turn.data["component"] = answer.choice
    return onward(turn, "units")


def ask_units(turn: Turn) -> Prompt:
    """Ask how many units are needed."""
    text = turn.t(ASK_UNITS, low=LIMITS.min_units, high=LIMITS.max_units)
    return Prompt(text, UNIT_OPTIONS, free_text=True)


def on_units(turn: Turn, answer: Answer) -> Transition:
    """Store the units, then ask the kind unless the blood group decides it."""
    match = _UNITS_RE.fullmatch(fold(answer.text))
    if match is None:
        return retry(turn.t(UNITS_NOT_NUMBER))
    units = int(match[1])
    if not LIMITS.min_units <= units <= LIMITS.max_units:
        return retry(turn.t(UNITS_OUT_OF_RANGE, low=LIMITS.min_units, high=LIMITS.max_units))
    turn.data["units"] = units
    abo = BloodGroup.from_code(text_of(turn.data, "group")).abo
    if abo is Abo.UNKNOWN:  # DOMAIN.md: an unknown group is a replacement until an admin sets it
        turn.data["kind"] = RequestKind.REPLACEMENT.value
        return onward(turn, "hospital_name", turn.t(KIND_UNKNOWN_GROUP))
    if abo is Abo.BOMBAY:  # DOMAIN.md: an hh patient can receive only hh
        turn.data["kind"] = RequestKind.GROUP_SPECIFIC.value
        return onward(turn, "hospital_name", turn.t(KIND_BOMBAY))
    return onward(turn, "kind")


def ask_kind(turn: Turn) -> Prompt:
    """Ask whether donors of any group will do, explaining both kinds in a line each."""
    text = turn.t(ASK_KIND)
    if turn.data.get("component") == Component.SDP.value:
        text = f"{text}\n{turn.t(KIND_SDP_NOTE)}"
    return Prompt(text, KIND_OPTIONS, free_text=True)


def on_kind(turn: Turn, answer: Answer) -> Transition:
    """Store the kind and ask for the hospital."""
    if answer.choice is None:
        return retry(turn.t(KIND_HINT))
    turn.data["kind"] = answer.choice
    return onward(turn, "hospital_name")


STEPS = (
    Step("blood_group", ask_group, on_group, GROUP_HELP),
    Step("component", ask_component, on_component, COMPONENT_HELP),
    Step("units", ask_units, on_units, UNITS_HELP),
    Step("kind", ask_kind, on_kind, KIND_HELP),
)
