"""My profile steps that control contact: pause alerts, withdraw or give consents, delete me."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from conversations.flow import Answer, Option, Prompt, Step, Transition, Turn, finish, goto
from conversations.flows.profile_edits import GONE, save_and_finish, stored_profile, with_profile
from conversations.flows.signup_record import NO_WORD, YES_WORD, show_date
from conversations.flows.signup_steps import HELP_CONSENT
from conversations.i18n import _
from storage.domain.records import DonorProfile

PAUSE_DAYS: dict[str, int] = {"week": 7, "month": 30, "three_months": 90}
"""DOMAIN.md "Broadcasts and contact": snooze 1 week / 1 month / 3 months (30 and 90 days)."""

ASK_PAUSE = _("For how long should we pause alerts? Paused alerts start again by themselves.")
PAUSED = _("Alerts are paused until {date}. Open 'My profile' to resume them earlier.")
RESUMED = _("Alerts are on again.")
RESUMED_BUT_NO_CONSENT = _("The pause is over, but you have withdrawn consent to alerts. "
                           "Choose 'Withdraw or give a consent' to get alerts again.")
ASK_CONSENT = _("Your consents:\nAlerts: {alerts}\nShare my number with verified attendants: "
                "{share}\nWhat would you like to change?")
ALERTS_OFF = _("You will get no more alerts. Your profile stays; you can turn alerts on here "
               "again.")
ALERTS_ON = _("You will get alerts again when a verified patient near you needs blood.")
SHARE_OFF = _("We will no longer give your phone number to patients' attendants.")
SHARE_ON = _("When you agree to help a verified patient, we will give your number to the "
             "patient's attendant.")
ASK_DELETE = _("This deletes your name, phone number and all your donor details for good. "
               "Only anonymous counts remain.\nTo confirm, send DELETE or choose 'Yes, "
               "delete everything'.")
DELETED = _("All your personal data has been deleted. Thank you for being a donor.")
KEPT = _("Nothing was deleted.")
HELP_PAUSE = _("Pausing stops alerts for a while without changing anything else.")
HELP_DELETE = _("Deleting cannot be undone. You can register again at any time.")

PAUSE_OPTIONS = (
    Option("week", _("1 week")),
    Option("month", _("1 month")),
    Option("three_months", _("3 months")),
    Option("resume", _("Resume alerts now"), ("resume",)),
)
DELETE_OPTIONS = (
    Option("delete", _("Yes, delete everything"), ("delete", "डिलीट", "हटाएं")),
    Option("keep", _("No, keep my profile"), ("keep", "no", "नहीं")),
)


@with_profile
def on_pause(turn: Turn, answer: Answer, profile: DonorProfile) -> Transition:
    """Pause alerts for the chosen time, or resume them."""
    if answer.choice not in PAUSE_DAYS:
        turn.services.set_alerts_paused_until(turn.address, None)
        return finish(turn.t(RESUMED if profile.consents.alerts else RESUMED_BUT_NO_CONSENT))
    until = turn.now + timedelta(days=PAUSE_DAYS[answer.choice])
    turn.services.set_alerts_paused_until(turn.address, until)
    return finish(turn.t(PAUSED, date=show_date(until.astimezone(turn.zone).date())))


def _consent_options(profile: DonorProfile) -> tuple[Option, ...]:
    consents = profile.consents
    return (
        Option("alerts_off", _("Stop alerts")) if consents.alerts
        else Option("alerts_on", _("Get alerts again")),
        Option("share_off", _("Stop sharing my number")) if consents.share_phone
        else Option("share_on", _("Share my number with verified attendants")),
        Option("registry_off", _("Leave the registry (deletes your data)")),
    )


def ask_consent(turn: Turn) -> Prompt:
    """Show the consents as they stand and offer to change each."""
    profile = stored_profile(turn)
    if profile is None:
        return Prompt(turn.t(GONE))
    yes_no = {True: turn.t(YES_WORD), False: turn.t(NO_WORD)}
    text = turn.t(ASK_CONSENT, alerts=yes_no[profile.consents.alerts],
                  share=yes_no[profile.consents.share_phone])
    return Prompt(text, _consent_options(profile))


@with_profile
def on_consent(turn: Turn, answer: Answer, profile: DonorProfile) -> Transition:
    """Withdraw or give the chosen consent; leaving the registry means deleting."""
    if answer.choice == "registry_off":
        return goto("delete")
    if answer.choice in ("alerts_on", "alerts_off"):
        given = answer.choice == "alerts_on"
        turn.services.set_alert_consent(turn.address, given, turn.now)
        return finish(turn.t(ALERTS_ON if given else ALERTS_OFF))
    share = answer.choice == "share_on"
    consents = dataclasses.replace(profile.consents, share_phone=share, recorded_at=turn.now)
    return save_and_finish(turn, dataclasses.replace(profile, consents=consents),
                           turn.t(SHARE_ON if share else SHARE_OFF))


def on_delete(turn: Turn, answer: Answer) -> Transition:
    """Hard-delete the person's data after an explicit confirmation."""
    if answer.choice != "delete":
        return finish(turn.t(KEPT))
    turn.services.delete_person(turn.address, turn.now)
    return finish(turn.t(DELETED))


STEPS = (
    Step("pause", lambda turn: Prompt(turn.t(ASK_PAUSE), PAUSE_OPTIONS), on_pause, HELP_PAUSE),
    Step("consents", ask_consent, on_consent, HELP_CONSENT),
    Step("delete", lambda turn: Prompt(turn.t(ASK_DELETE), DELETE_OPTIONS), on_delete,
         HELP_DELETE),
)
"""The steps about contact and consent, each acting when it completes."""
