"""Approval checklist: what an admin checked before a request is verified (opened by /approve).

Steps: called_ward, slip_seen, name_matches, note. A request is approved only when the
patient's name matches and the ward (or blood bank) was called or the requisition slip seen.
"""

from __future__ import annotations

from conversations.admin_notices import alert_second_check, tell_requester
from conversations.admin_outcomes import refusal_text
from conversations.admin_views import reasons_text
from conversations.flow import (
    Answer,
    Flow,
    Option,
    Prompt,
    Step,
    Transition,
    Turn,
    finish,
    goto,
    retry,
)
from conversations.flows.request_route import text_of
from conversations.flows.request_summary import ANTI_SCAM
from conversations.flows.signup_choices import YES, YES_NO
from conversations.i18n import Translator, _
from storage.domain.admin import Checklist, Outcome

NOTE_CHARS = 200  # our choice: a note is a line or two for the other admins

ASK_CALLED = _("Checklist for {code}, 1 of 4: did you call the ward or the blood bank, and did "
               "they confirm that the patient needs this blood?")
ASK_SLIP = _("2 of 4: did you see the hospital's requisition slip (the paper or a photo)?")
ASK_NAME = _("3 of 4: does the patient's name match the hospital's records or the slip?")
ASK_NOTE = _("4 of 4: anything the other admins should know? Type a short note, or send "
             "'skip'.")
NOTE_TOO_LONG = _("Please keep the note within {limit} characters, or send 'skip'.")
HELP_CHECK = _("Answer what you really checked: it is recorded with your approval. Send "
               "'cancel' to stop without approving.")
HELP_NOTE = _("The note is kept with your approval for the other admins; the requester does "
              "not see it.")
NOT_CHECKED = _("{code} was not approved: call the ward or the blood bank, or see the "
                "requisition slip, before approving. Then send /approve {code} again, or send "
                "/reject {code} followed by the reason.")
NAME_MISMATCH = _("{code} was not approved: the patient's name must match the hospital's. If the "
                  "request is not genuine, send /reject {code} followed by the reason. If another "
                  "detail is wrong, correct it with /edit {code} FIELD VALUE first.")
APPROVED = _("{code} is verified. The requester has been told that donors near {place} will be "
             "contacted.")
NEEDS_SECOND = _("Your approval is recorded. {code} needs a second admin because of {reasons}. "
                 "The other admins of its district have been asked.")
NEEDS_SECOND_ASK = _("Your approval is recorded. {code} needs a second admin because of "
                     "{reasons}. No other admin of its district could be alerted: please ask "
                     "another admin to send /approve {code}.")
REQUESTER_APPROVED = _("Good news: your request {code} has been verified by a volunteer. We are "
                       "contacting donors near {place} and will tell you when a donor agrees to "
                       "come.")
SKIP_OPTIONS = (Option("skip", _("Skip"), ("skip", "no", "none", "nahi", "छोड़ें", "नहीं")),)


def _code(turn: Turn) -> str:
    return text_of(turn.data, "code")


def ask_called(turn: Turn) -> Prompt:
    """Ask whether the ward or blood bank confirmed the request."""
    return Prompt(turn.t(ASK_CALLED, code=_code(turn)), YES_NO)


def on_called(turn: Turn, answer: Answer) -> Transition:
    """Record the answer and ask about the requisition slip."""
    turn.data["called_ward"] = answer.choice == YES
    return goto("slip_seen")


def ask_slip(turn: Turn) -> Prompt:
    """Ask whether the admin saw the requisition slip."""
    return Prompt(turn.t(ASK_SLIP), YES_NO)


def on_slip(turn: Turn, answer: Answer) -> Transition:
    """Stop unless the ward was called or the slip seen; else ask about the name."""
    turn.data["slip_seen"] = answer.choice == YES
    if not turn.data["slip_seen"] and not turn.data.get("called_ward"):
        return finish(turn.t(NOT_CHECKED, code=_code(turn)))
    return goto("name_matches")


def ask_name(turn: Turn) -> Prompt:
    """Ask whether the patient's name matches."""
    return Prompt(turn.t(ASK_NAME), YES_NO)


def on_name(turn: Turn, answer: Answer) -> Transition:
    """Stop on a mismatch; else ask for an optional note."""
    if answer.choice != YES:
        return finish(turn.t(NAME_MISMATCH, code=_code(turn)))
    return goto("note")


def ask_note(turn: Turn) -> Prompt:
    """Ask for an optional note."""
    return Prompt(turn.t(ASK_NOTE), SKIP_OPTIONS, free_text=True)


def on_note(turn: Turn, answer: Answer) -> Transition:
    """Approve with the checklist, and tell the requester or the other admins."""
    if answer.choice != "skip" and len(answer.text) > NOTE_CHARS:
        return retry(turn.t(NOTE_TOO_LONG, limit=NOTE_CHARS))
    code, admin = _code(turn), turn.services.admin
    checklist = Checklist(called_ward=bool(turn.data.get("called_ward")),
                          slip_seen=bool(turn.data.get("slip_seen")), name_matches=True,
                          note=None if answer.choice == "skip" else answer.text)
    result = admin.approve(code, turn.address, checklist, turn.now)
    view = admin.view(code)
    if result.outcome is Outcome.DONE and result.summary is not None:
        turn.services.broadcast.start(code, turn.now)
        place = result.summary.draft.hospital_place.label
        tell_requester(turn, code, lambda tr: "\n\n".join(
            (tr.t(REQUESTER_APPROVED, code=code, place=place), tr.t(ANTI_SCAM))),
            kind="request_approved")
        return finish(turn.t(APPROVED, code=code, place=place))
    if result.outcome is Outcome.NEEDS_SECOND_CHECK and view is not None:
        asked = alert_second_check(turn, view)
        reasons = reasons_text(Translator(turn.lang), view.second_check)
        return finish(turn.t(NEEDS_SECOND if asked else NEEDS_SECOND_ASK, code=code,
                             reasons=reasons))
    grant = admin.grant_of(turn.address)
    mine = view is not None and grant is not None and grant.phone in view.approvals
    refused = refusal_text(Translator(turn.lang), "approve", code, result, approved_by_me=mine)
    return finish(refused) if refused else finish()


FLOW = Flow(
    name="approve",
    title=_("Approve a request"),
    steps=[
        Step("called_ward", ask_called, on_called, HELP_CHECK),
        Step("slip_seen", ask_slip, on_slip, HELP_CHECK),
        Step("name_matches", ask_name, on_name, HELP_CHECK),
        Step("note", ask_note, on_note, HELP_NOTE),
    ],
)
