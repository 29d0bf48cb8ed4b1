"""My profile steps that correct the donor's data: availability, area and last donation."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date

from conversations.flow import Answer, Prompt, Retry, Step, Transition, Turn, finish, goto, retry
from conversations.flows.signup_answers import read_past_date, read_place
from conversations.flows.signup_choices import (
    AVAILABILITY_LABELS,
    AVAILABILITY_OPTIONS,
    KIND_OPTIONS,
    NEVER,
    NEVER_OPTION,
)
from conversations.flows.signup_history import (
    ASK_KIND,
    ASK_LAST,
    FIRST_TIMER_TOO_OLD,
    HELP_KIND,
    HELP_LAST,
    too_old_for_first_time,
)
from conversations.flows.signup_record import eligibility_note, profile_to_data
from conversations.i18n import _
from storage.domain.eligibility import DEFAULT_RULES, Donation, DonationKind
from storage.domain.records import Availability, DonorProfile

Handler = Callable[[Turn, Answer], Transition]
Change = Callable[[Turn, Answer, DonorProfile], Transition]

GONE = _("Your donor profile was not found. It may have been deleted.")
ASK_AVAILABILITY = _("When can you usually come to donate?")
SAVED_AVAILABILITY = _("Saved. Availability: {availability}.")
ASK_LOCATION = _("So that we alert you for patients near you: send your location, or type "
                 "your PIN code (for example 110001) or district.")
SAVED_PLACE = _("Saved. Your area is now {place}.")
SAVED_LAST = _("Saved. Your last donation is updated.")
HELP_AREA = _("Share your location, or type a PIN code like 110001 or a district like Lucknow.")
HELP_PICK = _("Choose one of the options.")


def stored_profile(turn: Turn) -> DonorProfile | None:
    """Return the sender's donor profile as stored now."""
    return turn.services.donor_profile(turn.address)


def save_and_finish(turn: Turn, profile: DonorProfile, *say: str) -> Transition:
    """Store the changed profile and end the flow saying `say`."""
    turn.services.save_donor_profile(turn.address, profile, turn.now)
    return finish(*say)


def with_profile(change: Change) -> Handler:
    """Give a handler the stored profile; end politely if it has gone meanwhile."""
    def handle(turn: Turn, answer: Answer) -> Transition:
        profile = stored_profile(turn)
        return finish(turn.t(GONE)) if profile is None else change(turn, answer, profile)

    return handle


@with_profile
def on_availability(turn: Turn, answer: Answer, profile: DonorProfile) -> Transition:
    """Save when the donor can come."""
    availability = Availability(str(answer.choice))
    label = turn.t(AVAILABILITY_LABELS[availability])
    return save_and_finish(turn, dataclasses.replace(profile, availability=availability),
                           turn.t(SAVED_AVAILABILITY, availability=label))


@with_profile
def on_location(turn: Turn, answer: Answer, profile: DonorProfile) -> Transition:
    """Save the donor's new area."""
    place = read_place(turn, answer)
    if isinstance(place, Retry):
        return place
    return save_and_finish(turn, dataclasses.replace(profile, place=place),
                           turn.t(SAVED_PLACE, place=place.label))


def _save_last(turn: Turn, profile: DonorProfile, last: Donation | None) -> Transition:
    updated = dataclasses.replace(profile, last_donation=last)
    note = eligibility_note(turn, profile_to_data(updated))
    return save_and_finish(turn, updated, turn.t(SAVED_LAST), note)


@with_profile
def on_last_donation(turn: Turn, answer: Answer, profile: DonorProfile) -> Transition:
    """Save "never", or keep the date and ask what was given."""
    if answer.choice == NEVER:
        if too_old_for_first_time(turn):
            return retry(turn.t(FIRST_TIMER_TOO_OLD, max_age=DEFAULT_RULES.first_time_max_age))
        return _save_last(turn, profile, None)
    day = read_past_date(turn, answer.text)
    if isinstance(day, Retry):
        return day
    turn.data["last_on"] = day.isoformat()
    return goto("component")


@with_profile
def on_kind(turn: Turn, answer: Answer, profile: DonorProfile) -> Transition:
    """Save the last donation with its kind."""
    last = Donation(date.fromisoformat(turn.data["last_on"]), DonationKind(str(answer.choice)))
    return _save_last(turn, profile, last)


STEPS = (
    Step("availability", lambda turn: Prompt(turn.t(ASK_AVAILABILITY), AVAILABILITY_OPTIONS),
         on_availability, HELP_PICK),
    Step("location", lambda turn: Prompt(turn.t(ASK_LOCATION), ask_location=True),
         on_location, HELP_AREA),
    Step("last_donation", lambda turn: Prompt(turn.t(ASK_LAST), (NEVER_OPTION,), free_text=True),
         on_last_donation, HELP_LAST),
    Step("component", lambda turn: Prompt(turn.t(ASK_KIND), KIND_OPTIONS), on_kind, HELP_KIND),
)
"""The steps that correct data, each saving when it completes."""
