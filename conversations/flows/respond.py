"""Respond flow: a donor answers an alert — can donate (by when), not now, or not eligible.

Opened by `/respond R-4821 [yes|no|ineligible]` (the alert's buttons) or by sending just the
code. Steps: choose, eta, ineligible, pledged. Contacts are exchanged only after a pledge
with a concrete time (DOMAIN.md "Broadcasts and contact").
"""

from __future__ import annotations

from conversations.alerts import ASK, CAN_DONATE, NOT_ELIGIBLE, NOT_NOW, alert_text
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
    switch,
)
from conversations.flows import respond_eta
from conversations.flows.request_route import text_of
from conversations.flows.respond_eta import alert_of, decline, shown
from conversations.flows.signup_choices import YES, YES_NO
from conversations.i18n import Translator, _
from conversations.pledge_notices import NO_LONGER_NEEDED, withdraw
from storage.domain.broadcast import AlertResponse

CHOICES = (
    Option("yes", CAN_DONATE, ("yes", "y", "haan", "han", "ha", "हाँ", "हां", "donate")),
    Option("no", NOT_NOW, ("no", "n", "nahi", "नहीं", "not now", "later")),
    Option("ineligible", NOT_ELIGIBLE, ("ineligible", "not eligible")),
)
PLEDGED_OPTIONS = (
    Option("keep", _("Keep it")), Option("change", _("Change the time")),
    Option("withdraw", _("Withdraw my pledge"), ("withdraw",)),
)

CHOICE_HELP = _("Choose 'I can donate' if you can reach the hospital before the blood is "
                "needed: I will ask when. Your number reaches the family only if you agreed to "
                "share it.")
ASK_UPDATE = _("Thank you for telling us. People may not donate for a while after a donation, "
               "an illness, a tattoo or an operation; final eligibility is decided at the blood "
               "centre.\nWould you like to update your profile, so that we ask you only when "
               "you can donate?")
UPDATE_HELP = _("Your profile holds your last donation and anything that stops you donating for "
                "a while. Send 1 to update it, or 2 to leave it.")
NO_UPDATE = _("Thank you. We will not ask you about {code} again.")
ASK_PLEDGED = _("You promised to reach the hospital for {code} by {eta}. What would you like to "
                "do?")
PLEDGED_HELP = _("Keep your pledge, move it to another time, or withdraw it: the family is told "
                 "either way.")
KEPT = _("Thank you! The family expects you by {eta}.")


def start(turn: Turn) -> Transition:
    """Stop if the donor cannot answer; else take the answer the button gave, or ask."""
    alert, code = alert_of(turn), text_of(turn.data, "code")
    if alert is None or not alert.still_needed:
        return finish(turn.t(NO_LONGER_NEEDED, code=code))
    if alert.pledged_eta is not None:
        return goto("pledged")
    answer = turn.data.pop("answer", None)
    return _answered(turn, answer) if isinstance(answer, str) else goto("choose")


def _answered(turn: Turn, choice: str | None) -> Transition:
    code = text_of(turn.data, "code")
    if choice == "yes":
        return goto("eta")
    if choice == "ineligible":
        turn.services.broadcast.respond(turn.address, code, AlertResponse.NOT_ELIGIBLE, turn.now)
        return goto("ineligible")
    return decline(turn)


def ask_choice(turn: Turn) -> Prompt:
    """Show the request again (no phones) and ask whether the donor can donate."""
    alert = alert_of(turn)
    brief = "" if alert is None else alert_text(Translator(turn.lang), alert.summary,
                                                 alert.distance_km, turn.zone) + "\n\n"
    return Prompt(brief + turn.t(ASK), CHOICES)


def on_choice(turn: Turn, answer: Answer) -> Transition:
    """Go on to the time, or record 'not now' or 'not eligible'."""
    return _answered(turn, answer.choice)


def on_ineligible(turn: Turn, answer: Answer) -> Transition:
    """Open the profile, or leave it."""
    if answer.choice == YES:
        return switch("profile")
    return finish(turn.t(NO_UPDATE, code=text_of(turn.data, "code")))


def ask_pledged(turn: Turn) -> Prompt:
    """Remind the donor of their pledge and ask what to do with it."""
    alert = alert_of(turn)
    eta = "" if alert is None or alert.pledged_eta is None else shown(turn, alert.pledged_eta)
    return Prompt(turn.t(ASK_PLEDGED, code=text_of(turn.data, "code"), eta=eta),
                  PLEDGED_OPTIONS)


def on_pledged(turn: Turn, answer: Answer) -> Transition:
    """Keep the pledge, ask for a new time, or withdraw it and tell the attendant."""
    alert = alert_of(turn)
    if alert is None or alert.pledged_eta is None:
        return finish(turn.t(NO_LONGER_NEEDED, code=text_of(turn.data, "code")))
    if answer.choice == "change":
        return goto("eta")
    if answer.choice == "withdraw":
        return finish(withdraw(turn, alert))
    return finish(turn.t(KEPT, eta=shown(turn, alert.pledged_eta)))


FLOW = Flow(
    name="respond",
    title=_("Answer a blood request"),
    start=start,
    steps=[
        Step("choose", ask_choice, on_choice, CHOICE_HELP),
        respond_eta.STEP,
        Step("ineligible", lambda turn: Prompt(turn.t(ASK_UPDATE), YES_NO), on_ineligible,
             UPDATE_HELP),
        Step("pledged", ask_pledged, on_pledged, PLEDGED_HELP),
    ],
)
