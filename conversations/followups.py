"""Follow-up messages: outcome questions, thanks, still-needed checks, reminders, group posts.

Pure builders: each takes what it shows and the reader's language, and returns an Outbound.
Group posts and /forward texts carry no phone number and read in English and Hindi, since a
group has no single language.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime

from conversations.flows.request_need import BOMBAY_LABEL, COMPONENT_OPTIONS, UNKNOWN_LABEL
from conversations.flows.request_summary import ANTI_SCAM, STATUS_LABELS
from conversations.i18n import LANGUAGES, Translator, _
from conversations.messages import Choice, Outbound
from storage.domain.blood import Abo
from storage.domain.followups import DEFAULT_FOLLOWUP_RULES, Ask, FollowupKind
from storage.domain.records import RequestKind, RequestStatus, RequestSummary

FINAL_SAY = _("Final eligibility is decided at the blood centre.")
DONOR_ASK = _("Did you donate blood for {code} at {hospital}? Please tell me, so the family "
              "knows and I can remind you when you may give again.")
YES_DONATED = _("Yes, I donated")
NOT_DONATED = _("No, I could not")
ATTENDANT_ASK = _("Did {name} donate blood for {code}?")
DONOR_CAME = _("Yes, {name} donated")
DONOR_NO_SHOW = _("No, {name} did not come")
THANKS = _("Thank you for donating blood for {code} at {hospital}! You helped save a life.")
AGAIN_FROM = _("You may donate again from {date}; I will remind you that day.")
NOTED = _("Thank you for telling me. Noted for {code}.")
STILL_NEEDED_ASK = _("Is blood still needed for {code} at {hospital}? If I do not hear from "
                     "you, the request closes {hours} hours after the time it was needed by.")
STILL_NEEDED = _("Still needed")
GOT_BLOOD = _("We got the blood")
NOT_NEEDED = _("No longer needed")
KEEP_LOOKING = _("I will keep looking for donors for {code} until {when}.")
FULFILLED_DONE = _("{code} is marked fulfilled. No more donors will be contacted. We wish the "
                   "patient a quick recovery.")
CANCELLED_DONE = _("{code} is closed. No more donors will be contacted.")
EXPIRED_NOTICE = _("{code} has closed because its time passed with no answer. If blood is "
                   "still needed, please send a new request.")
REMINDER = _("You may donate blood again from today, {date}. Thank you for being a donor!")
CHECK_IN = _("You have not answered the last {count} blood requests, so I have paused alerts "
             "for {days} days. Are you still able to donate? Send /resume to get alerts "
             "again, or 'stop' to stop them.")
RESUMED = _("Alerts are on again. Thank you for being a donor!")
GROUP_POST = _("🩸 Blood needed: {need}, {units} unit(s) of {component}\n"
               "Hospital: {hospital}, {place}\nNeeded by: {when}\n"
               "To help, send {code} to the bot in a private chat.")
ANY_GROUP = _("any blood group (replacement)")
GROUP_CLOSED = _("Update on {code}: {status}. No more donors are needed for it. Thank you!")


def _commands(*pairs: tuple[str, str]) -> tuple[Choice, ...]:
    return tuple(Choice(key, label) for key, label in pairs)


def ask_message(ask: Ask, zone: ZoneInfo) -> Outbound:
    """Render a scheduled question or reminder in its recipient's language."""
    tr, code = Translator(ask.language), ask.code
    if ask.kind is FollowupKind.DONOR_OUTCOME:
        return Outbound(tr.t(DONOR_ASK, code=code, hospital=ask.hospital), _commands(
            (f"/donated {code}", tr.t(YES_DONATED)),
            (f"/notdonated {code}", tr.t(NOT_DONATED))), choices_are_commands=True)
    if ask.kind is FollowupKind.ATTENDANT_OUTCOME:
        name = ask.donor_name
        return Outbound(tr.t(ATTENDANT_ASK, name=name, code=code), _commands(
            (f"/donorcame {code} {ask.donor}", tr.t(DONOR_CAME, name=name)),
            (f"/noshow {code} {ask.donor}", tr.t(DONOR_NO_SHOW, name=name))),
            choices_are_commands=True)
    if ask.kind is FollowupKind.STILL_NEEDED:
        text = tr.t(STILL_NEEDED_ASK, code=code, hospital=ask.hospital,
                    hours=DEFAULT_FOLLOWUP_RULES.expire_grace_hours)
        return Outbound(text, _commands(
            (f"/stillneeded {code}", tr.t(STILL_NEEDED)), (f"/gotblood {code}", tr.t(GOT_BLOOD)),
            (f"/notneeded {code}", tr.t(NOT_NEEDED))), choices_are_commands=True)
    on = ask.on or date.min
    return Outbound("\n".join([tr.t(REMINDER, date=long_date(on, tr.lang)), tr.t(FINAL_SAY)]))


def long_date(day: date, lang: str) -> str:
    """Show a date as "4 March 2027" in the reader's language."""
    return format_date(day, "d MMMM y", locale=lang)


def short_time(moment: datetime, zone: ZoneInfo, lang: str) -> str:
    """Show a time as "Fri 4 Dec, 6:00 PM" in the reader's language and zone."""
    return format_datetime(moment, "EEE d MMM, h:mm a", tzinfo=zone, locale=lang)


def thanks_text(tr: Translator, code: str, hospital: str, again: date | None) -> str:
    """Thank a donor by the hospital's name and say from when they may give again."""
    parts = [tr.t(THANKS, code=code, hospital=hospital)]
    if again is not None:
        parts.append(tr.t(AGAIN_FROM, date=long_date(again, tr.lang)))
    parts.append(tr.t(FINAL_SAY))
    return "\n".join(parts)


def check_in(language: str, count: int, days: int) -> Outbound:
    """Tell a donor their alerts are paused after ignored ones, and how to resume."""
    return Outbound(Translator(language).t(CHECK_IN, count=count, days=days))


def closed_notice(language: str, code: str) -> Outbound:
    """Tell a requester their request expired unanswered."""
    return Outbound(Translator(language).t(EXPIRED_NOTICE, code=code))


def _need(tr: Translator, summary: RequestSummary) -> str:
    draft = summary.draft
    if draft.kind is RequestKind.REPLACEMENT:
        return tr.t(ANY_GROUP)
    if draft.patient_group.abo is Abo.UNKNOWN:
        return tr.t(UNKNOWN_LABEL)
    if draft.patient_group.abo is Abo.BOMBAY:
        return tr.t(BOMBAY_LABEL)
    return draft.patient_group.code


def group_post(summary: RequestSummary, zone: ZoneInfo) -> Outbound:
    """Describe a verified request for a group, without any phone number, in both languages."""
    draft = summary.draft
    parts = []
    for lang in LANGUAGES:
        tr = Translator(lang)
        component = next(tr.t(o.label) for o in COMPONENT_OPTIONS
                         if o.key == draft.component.value)
        parts.append(tr.t(GROUP_POST, need=_need(tr, summary), units=draft.units,
                          component=component, hospital=draft.hospital_name,
                          place=draft.hospital_place.label, code=summary.code,
                          when=short_time(draft.required_by, zone, lang)))
        parts.append(tr.t(ANTI_SCAM))
    return Outbound("\n\n".join(parts))


def group_closed(summary: RequestSummary, status: RequestStatus) -> Outbound:
    """Tell a group that a request it saw is closed, in both languages."""
    return Outbound("\n\n".join(
        Translator(lang).t(GROUP_CLOSED, code=summary.code,
                           status=Translator(lang).t(STATUS_LABELS[status]))
        for lang in LANGUAGES))
