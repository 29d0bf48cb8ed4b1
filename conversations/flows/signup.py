"""Donor sign-up flow: privacy notice, three consents, details, health answers, a summary.

Nothing is written until the donor confirms the summary, so `cancel` at any step saves nothing.
Signing up again loads the stored profile into the summary, where any detail can be changed.
"""

from __future__ import annotations

from conversations import menu
from conversations.abuse import NEUTRAL_REFUSAL, any_blocked
from conversations.flow import (
    Answer,
    Flow,
    Option,
    Prompt,
    Retry,
    Step,
    Transition,
    Turn,
    finish,
    goto,
)
from conversations.flows import signup_history, signup_steps
from conversations.flows.signup_answers import read_place
from conversations.flows.signup_choices import AVAILABILITY_OPTIONS
from conversations.flows.signup_record import (
    details_text,
    eligibility_note,
    profile_from_data,
    profile_to_data,
)
from conversations.flows.signup_steps import NOTICE, proceed
from conversations.i18n import _
from storage.domain.phones import normalize_phone

UPDATING = _("You are already registered. Here are your details: you can change any of them "
             "and confirm.")
ASK_LOCATION = _("So nearby donors can be found: send your location, or type your PIN code "
                 "(for example 110001) or your district.")
ASK_AVAILABILITY = _("When can you usually come to donate? We send alerts to match.")
ASK_CONFIRM = _("Please check your details:")
CONFIRM_QUESTION = _("Is everything correct?")
ASK_CHANGE = _("What would you like to change?")
REGISTERED = _("Thank you, {name}! You are now registered as a blood donor.")
UPDATED = _("Thank you, {name}! Your donor profile is updated.")
NEXT_STEPS = _(
    "What happens next:\n"
    "• We alert you only after our volunteers have verified a patient's request.\n"
    "• Send 'stop' at any time to stop alerts.\n"
    "• Blood donation is free. Never pay anyone — donor, agent or 'blood bank'. Report "
    "anyone who asks for money."
)
NO_ALERTS_NOTE = _("You chose not to get alerts. You can turn them on in 'My profile'.")

HELP_LOCATION = _("We use your area only to find patients near you. Share your location, or "
                  "type a PIN code like 110001 or a district like Lucknow.")
HELP_AVAILABILITY = _("Choose when you can usually come. You can change it at any time in "
                      "'My profile'.")
HELP_CONFIRM = _("Choose 'Confirm' to save these details, 'Change something' to correct one, "
                 "or 'Cancel' to save nothing.")
HELP_CHANGE = _("Choose the detail to correct; you come back to this summary afterwards.")

CONFIRM_OPTIONS = (
    Option("confirm", _("Confirm"), ("ok", "yes", "haan", "save", "हाँ", "ठीक है")),
    Option("change", _("Change something"), ("change", "edit", "badlo", "बदलें")),
    Option("cancel", _("Cancel"), ()),
)
CHANGE_OPTIONS = (
    Option("name", _("Name")),
    Option("phone", _("Phone")),
    Option("blood_group", _("Blood group")),
    Option("sex", _("Sex")),
    Option("birth", _("Date of birth or age")),
    Option("weight", _("Weight")),
    Option("location", _("Area")),
    Option("last_donation", _("Last donation")),
    Option("deferrals", _("Health answers")),
    Option("availability", _("Availability")),
    Option("alerts", _("Alerts and sharing my number")),
    Option("summary", _("Nothing, go back")),
)


def start(turn: Turn) -> Transition:
    """Take the phone from the channel if it gives one; load a stored profile for editing."""
    channel_phone = normalize_phone(turn.inbound.phone or "")
    if any_blocked(turn, channel_phone):
        return finish(turn.t(NEUTRAL_REFUSAL))
    stored = turn.services.donor_profile(turn.address)
    if stored is not None:
        turn.data.update(profile_to_data(stored), updating=True)
    if channel_phone:
        turn.data.update(phone=channel_phone, phone_from_channel=True)
    if stored is not None:
        return goto("summary", turn.t(UPDATING))
    return goto("registry", turn.t(NOTICE))


def on_location(turn: Turn, answer: Answer) -> Transition:
    """Store the resolved place and ask about the last donation."""
    place = read_place(turn, answer)
    if isinstance(place, Retry):
        return place
    turn.data["place"] = place.to_json()
    return proceed(turn, "location")


def on_availability(turn: Turn, answer: Answer) -> Transition:
    """Store when the donor can come and show the summary."""
    turn.data["availability"] = answer.choice
    return proceed(turn, "availability")


def ask_confirm(turn: Turn) -> Prompt:
    """Show every answer with what it means for donating, and ask to confirm."""
    text = "\n\n".join((turn.t(ASK_CONFIRM), details_text(turn, turn.data),
                        eligibility_note(turn, turn.data), turn.t(CONFIRM_QUESTION)))
    return Prompt(text, CONFIRM_OPTIONS)


def on_confirm(turn: Turn, answer: Answer) -> Transition:
    """Save the profile on confirm; otherwise change a detail or end saving nothing."""
    if answer.choice == "change":
        return goto("change")
    if answer.choice != "confirm":
        return finish(turn.t(menu.CANCELLED))
    data = turn.data
    if any_blocked(turn, normalize_phone(turn.inbound.phone or ""), data.get("phone")):
        return finish(turn.t(NEUTRAL_REFUSAL))
    profile = profile_from_data(data, now=turn.now, lang=turn.lang)
    turn.services.save_donor_profile(turn.address, profile, turn.now)
    thanks = turn.t(UPDATED if data.get("updating") else REGISTERED, name=profile.name)
    notes = () if profile.consents.alerts else (turn.t(NO_ALERTS_NOTE),)
    return finish(thanks, turn.t(NEXT_STEPS), *notes)


def ask_change(turn: Turn) -> Prompt:
    """Offer the details that can be changed (not a phone the channel vouches for)."""
    hide = {"phone"} if turn.data.get("phone_from_channel") else set()
    return Prompt(turn.t(ASK_CHANGE), tuple(o for o in CHANGE_OPTIONS if o.key not in hide))


def on_change(turn: Turn, answer: Answer) -> Transition:
    """Ask the chosen step again; it returns to the summary when answered."""
    turn.data["editing"] = True
    return goto(answer.choice or "summary")


FLOW = Flow(
    name="signup",
    title=_("Register as a blood donor"),
    start=start,
    steps=[
        *signup_steps.STEPS,
        Step("location", lambda turn: Prompt(turn.t(ASK_LOCATION), ask_location=True),
             on_location, HELP_LOCATION),
        *signup_history.STEPS,
        Step("availability", lambda turn: Prompt(turn.t(ASK_AVAILABILITY),
                                                 AVAILABILITY_OPTIONS),
             on_availability, HELP_AVAILABILITY),
        Step("summary", ask_confirm, on_confirm, HELP_CONFIRM),
        Step("change", ask_change, on_change, HELP_CHANGE),
    ],
)
