"""Respond flow, the time: when a donor who can donate will reach the hospital.

A time is kept only if it is still ahead and no later than the required-by time; then the
pledge is stored and contacts are exchanged (DOMAIN.md "Broadcasts and contact").
"""

from __future__ import annotations

from datetime import datetime, timedelta

from conversations.admin_views import when_text
from conversations.flow import Answer, Option, Prompt, Step, Transition, Turn, finish, retry
from conversations.flows.request_route import text_of
from conversations.i18n import Translator, _
from conversations.pledge_notices import (
    NO_LONGER_NEEDED,
    directions,
    tell_attendant_coming,
    withdraw,
)
from storage.domain.broadcast import AlertResponse
from storage.domain.pledges import AlertView
from storage.domain.when import parse_when

ETA_HOURS = {"1h": 1, "2h": 2, "4h": 4}  # issue 4: "within 1 hour, 2 hours, 4 hours"
ETA_OPTIONS = (
    Option("1h", _("Within 1 hour")), Option("2h", _("Within 2 hours")),
    Option("4h", _("Within 4 hours")),
    Option("no", _("I cannot come after all"), ("no", "nahi", "नहीं")),
)
ASK_ETA = _("When can you reach the hospital? The blood is needed by {needed}.\nChoose one, or "
            "type a time, for example '3:30 pm' or '2 ghante mein'.")
ETA_HINT = _("I could not read that time. Choose a number, or type a time like '3:30 pm', "
             "'in 2 hours' or 'shaam 6 baje'.")
ETA_PAST = _("That time has already passed ({when}). Please send a time from now on.")
ETA_TOO_LATE = _("The blood is needed by {needed}, so {when} is too late. Please send an "
                 "earlier time, or choose 'I cannot come after all'.")
ETA_HELP = _("Give the time you can really be at the hospital: the family plans around it.")
DECLINED = _("Thank you for answering. We will ask other donors. If things change, send {code}.")


def alert_of(turn: Turn) -> AlertView | None:
    """Return the sender's alert about the request this conversation is answering."""
    return turn.services.broadcast.alert_for(turn.address, text_of(turn.data, "code"))


def shown(turn: Turn, moment: datetime) -> str:
    """Show a time in the donor's language and zone."""
    return when_text(Translator(turn.lang), turn.zone, moment)


def decline(turn: Turn) -> Transition:
    """Record 'not now' and thank the donor."""
    code = text_of(turn.data, "code")
    turn.services.broadcast.respond(turn.address, code, AlertResponse.DECLINED, turn.now)
    return finish(turn.t(DECLINED, code=code))


def ask_eta(turn: Turn) -> Prompt:
    """Ask when the donor can reach the hospital."""
    alert = alert_of(turn)
    needed = "" if alert is None else shown(turn, alert.summary.draft.required_by)
    return Prompt(turn.t(ASK_ETA, needed=needed), ETA_OPTIONS, free_text=True)


def on_eta(turn: Turn, answer: Answer) -> Transition:
    """Check the time, store the pledge, and exchange contacts (both ways, audited)."""
    alert = alert_of(turn)
    if alert is None or not alert.still_needed:
        return finish(turn.t(NO_LONGER_NEEDED, code=text_of(turn.data, "code")))
    if answer.choice == "no":
        return finish(withdraw(turn, alert)) if alert.pledged_eta else decline(turn)
    hours = ETA_HOURS.get(answer.choice or "")
    eta = (turn.now + timedelta(hours=hours) if hours is not None
           else parse_when(answer.text, now=turn.now, tz=turn.zone))
    if eta is None:
        return retry(turn.t(ETA_HINT))
    needed = alert.summary.draft.required_by
    if eta <= turn.now:
        return retry(turn.t(ETA_PAST, when=shown(turn, eta)))
    if eta > needed:
        return retry(turn.t(ETA_TOO_LATE, needed=shown(turn, needed), when=shown(turn, eta)))
    code = alert.summary.code
    if not turn.services.broadcast.pledge(turn.address, code, eta, turn.now):
        return finish(turn.t(NO_LONGER_NEEDED, code=code))
    told = directions(turn, code, eta)
    tell_attendant_coming(turn, alert, eta)
    return finish(*([told] if told else []))


STEP = Step("eta", ask_eta, on_eta, ETA_HELP)
