"""Blood request summary: show every answer, then save, change a part, or cancel."""

from __future__ import annotations

from datetime import datetime

from conversations.abuse import (
    NEUTRAL_REFUSAL,
    OPEN_REQUESTS_PER_ATTENDANT,
    any_blocked,
    channel_phone,
)
from conversations.admin_notices import alert_new_request
from conversations.flow import Answer, Option, Prompt, Step, Transition, Turn, finish, goto, retry
from conversations.flows.request_attendant import RELATION_OPTIONS
from conversations.flows.request_hospital import slip_of
from conversations.flows.request_need import (
    BOMBAY_LABEL,
    COMPONENT_OPTIONS,
    KIND_OPTIONS,
    UNKNOWN_LABEL,
)
from conversations.flows.request_patient import SEX_OPTIONS
from conversations.flows.request_route import (
    CONFIRM,
    EDITING,
    LIMITS,
    SECTIONS,
    number_of,
    text_of,
)
from conversations.flows.request_when import format_when
from conversations.i18n import _
from conversations.menu import CANCELLED
from storage.domain.blood import Abo, BloodGroup, Component
from storage.domain.people import Sex
from storage.domain.places import Place
from storage.domain.records import RequestDraft, RequestKind, RequestStatus

SUMMARY = _("Please check the request:\n"
            "Patient: {patient}, {age}, {sex}\n"
            "Blood group: {group}\n"
            "Needed: {units} × {component}, {kind}\n"
            "Hospital: {hospital}, {place}\n"
            "Ward / bed: {ward}\n"
            "Requisition slip: {slip}\n"
            "Needed by: {when}\n"
            "Attendant: {attendant} ({relation}), {phone}\n\n"
            "Is everything correct?")
AGE_YEARS = _("{age} years")
AGE_BABY = _("under 1 year")
NOT_GIVEN = _("not given")
SLIP_SENT = _("received")
SLIP_NOT_SENT = _("not sent")
CONFIRM_HINT = _("Please send 1 to send the request, 2 to change something, or 3 to cancel.")
CONFIRM_HELP = _("Nothing is saved until you send 1. A volunteer then checks the request before "
                 "any donor is contacted.")
CONFIRM_OPTIONS = (
    Option("confirm", _("Confirm and send"),
           ("yes", "ok", "confirm", "send", "haan", "han", "sahi", "हाँ", "हां", "सही", "भेजें")),
    Option("change", _("Change something"), ("change", "edit", "badlo", "बदलें")),
    Option("cancel", _("Cancel"), ("no", "nahi", "नहीं")),
)

ASK_CHANGE = _("What do you want to change?")
CHANGE_HINT = _("Please send the number of the part to change, for example 3 for the hospital.")
CHANGE_HELP = _("Pick a part: I will ask its questions again and then show the summary.")
CHANGE_OPTIONS = (
    Option("patient", _("Patient: name, age, sex")),
    Option("need", _("Blood group, component and units")),
    Option("hospital", _("Hospital and its location")),
    Option("when", _("When it is needed")),
    Option("attendant", _("Attendant: name, phone, relation")),
    Option("back", _("Nothing: back to the summary"), ("back",)),
)

SAVED = _("Your request {code} is saved and waiting for verification.\n"
          "What happens next: a volunteer will verify it (they may call the attendant and check "
          "the hospital's requisition slip) before any donor is contacted. Keep the code {code} "
          "to ask about this request.")
ANTI_SCAM = _("Blood donation is free. Never pay anyone — donor, agent or 'blood bank'. Report "
              "anyone who asks for money.")
DUPLICATE = _("This request was already sent in the last {hours} hours: {code}, {status}. No new "
              "request was made. Keep the code {code} to ask about it.")
TOO_MANY_OPEN = _("Nothing was saved: the attendant's number {phone} already has {count} open "
                  "blood requests, and at most {limit} can be open at once. When one is no "
                  "longer needed, ask the volunteer who called you to close it.")
YOUR_OPEN = _("Your open requests: {codes}. Keep these codes to ask about them.")
STATUS_LABELS: dict[RequestStatus, str] = {
    RequestStatus.PENDING_VERIFICATION: _("waiting for a volunteer to verify it"),
    RequestStatus.VERIFIED: _("verified"),
    RequestStatus.BROADCASTING: _("donors are being contacted"),
    RequestStatus.PARTLY_FULFILLED: _("some donors have been found"),
    RequestStatus.FULFILLED: _("fulfilled"),
    RequestStatus.EXPIRED: _("expired"),
    RequestStatus.REJECTED: _("not accepted"),
    RequestStatus.CANCELLED: _("cancelled"),
}


def _label(turn: Turn, options: tuple[Option, ...], key: str) -> str:
    """Show a stored choice by its option's label; typed words are shown as they are."""
    return next((turn.t(o.label) for o in options if o.key == key), key)


def _group_label(turn: Turn, code: str) -> str:
    group = BloodGroup.from_code(code)
    if group.abo is Abo.UNKNOWN:
        return turn.t(UNKNOWN_LABEL)
    if group.abo is Abo.BOMBAY:
        return turn.t(BOMBAY_LABEL) + code.removeprefix(Abo.BOMBAY.value)
    return code


def draft_of(turn: Turn) -> RequestDraft:
    """Build the request from the answers kept in the conversation's data."""
    data = turn.data
    return RequestDraft(
        patient_name=text_of(data, "patient_name"), patient_age=number_of(data, "patient_age"),
        patient_sex=Sex(text_of(data, "patient_sex")),
        patient_group=BloodGroup.from_code(text_of(data, "group")),
        component=Component(text_of(data, "component")), units=number_of(data, "units"),
        kind=RequestKind(text_of(data, "kind")), hospital_name=text_of(data, "hospital_name"),
        hospital_place=Place.from_json(data["hospital_place"]),
        required_by=datetime.fromisoformat(text_of(data, "required_by")),
        attendant_name=text_of(data, "attendant_name"),
        attendant_phone=text_of(data, "attendant_phone"),
        attendant_relation=text_of(data, "attendant_relation"),
        ward=data.get("ward") or None, language=turn.lang, slip=slip_of(data),
    )


def summary_text(turn: Turn, draft: RequestDraft) -> str:
    """Describe the whole request in the user's language, attendant's number included."""
    age = draft.patient_age
    return turn.t(
        SUMMARY, patient=draft.patient_name,
        age=turn.t(AGE_YEARS, age=age) if age else turn.t(AGE_BABY),
        sex=_label(turn, SEX_OPTIONS, draft.patient_sex.value),
        group=_group_label(turn, draft.patient_group.code), units=draft.units,
        component=_label(turn, COMPONENT_OPTIONS, draft.component.value),
        kind=_label(turn, KIND_OPTIONS, draft.kind.value), hospital=draft.hospital_name,
        place=draft.hospital_place.label, ward=draft.ward or turn.t(NOT_GIVEN),
        slip=turn.t(SLIP_SENT if draft.slip else SLIP_NOT_SENT),
        when=format_when(turn, draft.required_by.isoformat()),
        attendant=draft.attendant_name, phone=draft.attendant_phone,
        relation=_label(turn, RELATION_OPTIONS, draft.attendant_relation),
    )


def ask_confirm(turn: Turn) -> Prompt:
    """Show the summary with Confirm, Change and Cancel."""
    return Prompt(summary_text(turn, draft_of(turn)), CONFIRM_OPTIONS, free_text=True)


def on_confirm(turn: Turn, answer: Answer) -> Transition:
    """Save the request (unless the same one exists), or change a part, or cancel."""
    if answer.choice == "change":
        return goto("change")
    if answer.choice == "cancel":
        return finish(turn.t(CANCELLED))
    if answer.choice != "confirm":
        return retry(turn.t(CONFIRM_HINT))
    draft = draft_of(turn)
    if any_blocked(turn, channel_phone(turn), draft.attendant_phone):
        return finish(turn.t(NEUTRAL_REFUSAL))
    existing = turn.services.find_recent_request(
        patient_name=draft.patient_name, hospital_name=draft.hospital_name,
        attendant_phone=draft.attendant_phone, since=turn.now - LIMITS.duplicate_window)
    if existing is not None:
        hours = int(LIMITS.duplicate_window.total_seconds() // 3600)
        status = turn.t(STATUS_LABELS[existing.status])
        return finish(turn.t(DUPLICATE, hours=hours, code=existing.code, status=status),
                      turn.t(ANTI_SCAM))
    count = turn.services.admin.open_requests_for_attendant(draft.attendant_phone)
    if count >= OPEN_REQUESTS_PER_ATTENDANT:
        return finish(*too_many_open(turn, draft.attendant_phone, count))
    saved = turn.services.create_request(turn.address, draft, turn.now)
    view = turn.services.admin.view(saved.code)
    if view is not None:
        alert_new_request(turn, view)
    return finish(turn.t(SAVED, code=saved.code), turn.t(ANTI_SCAM))


def too_many_open(turn: Turn, phone: str, count: int) -> tuple[str, ...]:
    """Explain the open-request limit, listing the sender's own open requests for `phone`."""
    said = turn.t(TOO_MANY_OPEN, phone=phone, count=count, limit=OPEN_REQUESTS_PER_ATTENDANT)
    codes = [s.code for s in turn.services.requests_by(turn.address)
             if s.status.is_open and s.draft.attendant_phone == phone]
    return (said, turn.t(YOUR_OPEN, codes=", ".join(codes))) if codes else (said,)


def ask_change(turn: Turn) -> Prompt:
    """Ask which part of the request to change."""
    return Prompt(turn.t(ASK_CHANGE), CHANGE_OPTIONS, free_text=True)


def on_change(turn: Turn, answer: Answer) -> Transition:
    """Ask the chosen part's questions again, then come back to the summary."""
    if answer.choice is None:
        return retry(turn.t(CHANGE_HINT))
    if answer.choice == "back":
        return goto(CONFIRM)
    turn.data[EDITING] = answer.choice
    return goto(SECTIONS[answer.choice][0])


STEPS = (
    Step(CONFIRM, ask_confirm, on_confirm, CONFIRM_HELP),
    Step("change", ask_change, on_change, CHANGE_HELP),
)
