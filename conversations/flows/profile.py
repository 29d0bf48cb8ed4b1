"""My profile flow: see my data, then change availability, area or last donation, pause
alerts, withdraw or give a consent, or delete me. Each action saves only once complete."""

from __future__ import annotations

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
from conversations.flows import profile_edits, profile_privacy
from conversations.flows.profile_edits import GONE, HELP_PICK, stored_profile
from conversations.flows.signup_choices import YES, YES_NO
from conversations.flows.signup_record import (
    details_text,
    eligibility_note,
    paused_until_local,
    profile_to_data,
)
from conversations.i18n import _

NOT_REGISTERED = _("You are not registered as a blood donor yet. Would you like to register "
                   "now?")
YOUR_DETAILS = _("Your donor profile:")
PAUSED_LINE = _("Alerts are paused until {date}.")
ASK_ACTION = _("What would you like to do?")
HELP_OVERVIEW = _("Choose what to do with your donor profile, or 'Back to menu'.")

ACTIONS = (
    Option("availability", _("Change availability")),
    Option("location", _("Update my area")),
    Option("last_donation", _("Update my last donation")),
    Option("pause", _("Pause or resume alerts"), ("pause",)),
    Option("consents", _("Withdraw or give a consent"), ("consent", "withdraw")),
    Option("edit", _("Change other details")),
    Option("delete", _("Delete me"), ("delete",)),
    Option("done", _("Back to menu")),
)


def start(turn: Turn) -> Transition:
    """Show the profile, or offer to register when there is none."""
    profile = stored_profile(turn)
    if profile is None:
        return goto("not_registered")
    turn.data["dob"] = profile.date_of_birth.isoformat()  # for the first-time donor's age
    return goto("overview")


def on_not_registered(turn: Turn, answer: Answer) -> Transition:
    """Open the sign-up flow, or go back to the menu."""
    return switch("signup") if answer.choice == YES else finish()


def ask_action(turn: Turn) -> Prompt:
    """Show the donor's data and when they may donate, with what can be done."""
    profile = stored_profile(turn)
    if profile is None:
        return Prompt(turn.t(GONE), ACTIONS[-1:])
    data = profile_to_data(profile)
    paused = paused_until_local(data, turn)
    lines = [turn.t(YOUR_DETAILS), details_text(turn, data)]
    lines += [turn.t(PAUSED_LINE, date=paused)] if paused else []
    lines += ["", eligibility_note(turn, data), "", turn.t(ASK_ACTION)]
    return Prompt("\n".join(lines), ACTIONS)


def on_action(turn: Turn, answer: Answer) -> Transition:
    """Open the chosen action."""
    if answer.choice == "edit":
        return switch("signup")
    if answer.choice == "done" or stored_profile(turn) is None:
        return finish()
    return goto(answer.choice or "overview")


FLOW = Flow(
    name="profile",
    title=_("My profile"),
    start=start,
    steps=[
        Step("overview", ask_action, on_action, HELP_OVERVIEW),
        Step("not_registered", lambda turn: Prompt(turn.t(NOT_REGISTERED), YES_NO),
             on_not_registered, HELP_PICK),
        *profile_edits.STEPS,
        *profile_privacy.STEPS,
    ],
)
