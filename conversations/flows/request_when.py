"""Blood request steps about time: by when the blood is needed, as choices or free text."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from babel.dates import format_datetime

from conversations.flow import Answer, Option, Prompt, Step, Transition, Turn, goto, retry
from conversations.flows.request_route import LIMITS, onward, text_of
from conversations.i18n import _
from storage.domain.when import parse_when

ASK_WHEN = _("By when is the blood needed?\nChoose one, or type a day and time, for example "
             "'today 6pm' or 'kal subah 10 baje'.")
WHEN_HINT = _("I could not read that day and time. Please type it like 'today 6pm', 'tomorrow "
              "morning', 'kal subah 10 baje' or '12 Dec 10am'.")
WHEN_PAST = _("That time has already passed ({when}). Please send a time from now on, for "
              "example 'today 6pm' or 'tomorrow morning'.")
WHEN_HELP = _("The time the hospital needs the blood by. Donors are asked in order of urgency, "
              "so please give the real time, not an earlier one.")
WHEN_OPTIONS = (
    Option("soon", _("Within 6 hours"), ("urgent", "emergency", "asap", "turant", "abhi")),
    Option("today", _("Today"), ("today", "aaj")),
    Option("tomorrow", _("Tomorrow"), ("tomorrow", "kal")),
    Option("other", _("Another date"), ("date", "other", "another day")),
)

ASK_TIME_TODAY = _("At what time today? Choose one, or type a time, for example 4:30 pm.")
ASK_TIME_TOMORROW = _("At what time tomorrow? Choose one, or type a time, for example 4:30 pm.")
TIME_HINT = _("I could not read that time. Please send it like '6 pm', '10:30' or 'shaam 6 "
              "baje', or choose a number.")
TIME_HELP = _("The time the hospital needs the blood by, on the day you chose. Morning is 10 am, "
              "afternoon 2 pm, evening 6 pm and night 9 pm.")
TIME_OPTIONS = (
    Option("10:00", _("Morning (10 am)"), ("morning", "subah")),
    Option("14:00", _("Afternoon (2 pm)"), ("afternoon", "dopahar")),
    Option("18:00", _("Evening (6 pm)"), ("evening", "shaam", "sham")),
    Option("21:00", _("Night (9 pm)"), ("night", "raat")),
)

ASK_DATE = _("Please type the date and time, for example '12 Dec 10am' or '15/12 evening'.")
DATE_HELP = _("Type the day and the time the hospital needs the blood by, for example "
              "'12 Dec 10am'.")


def format_when(turn: Turn, iso: str) -> str:
    """Show a stored time in the user's language and zone: "Fri 4 Dec, 6:00 PM"."""
    moment = datetime.fromisoformat(iso)
    return format_datetime(moment, "EEE d MMM, h:mm a", tzinfo=turn.zone, locale=turn.lang)


def _store(turn: Turn, moment: datetime | None, hint: str) -> Transition:
    """Keep a future time and move on; re-ask with `hint` or refuse the past otherwise."""
    if moment is None:
        return retry(turn.t(hint))
    iso = moment.astimezone(UTC).isoformat()
    if moment <= turn.now:
        return retry(turn.t(WHEN_PAST, when=format_when(turn, iso)))
    turn.data["required_by"] = iso
    turn.data.pop("day", None)
    return onward(turn, "attendant_name")


def ask_when(turn: Turn) -> Prompt:
    """Ask by when the blood is needed."""
    return Prompt(turn.t(ASK_WHEN), WHEN_OPTIONS, free_text=True)


def on_when(turn: Turn, answer: Answer) -> Transition:
    """Store a time read from choices or text, or ask for the time or the date next."""
    if answer.choice == "soon":
        return _store(turn, turn.now + LIMITS.soon, WHEN_HINT)
    if answer.choice in ("today", "tomorrow"):
        today = turn.now.astimezone(turn.zone).date()
        day = today + timedelta(days=0 if answer.choice == "today" else 1)
        turn.data["day"] = day.isoformat()
        return goto("required_time")
    if answer.choice == "other":
        return goto("required_date")
    return _store(turn, parse_when(answer.text, now=turn.now, tz=turn.zone), WHEN_HINT)


def ask_time(turn: Turn) -> Prompt:
    """Ask at what time on the chosen day."""
    today = turn.now.astimezone(turn.zone).date()
    is_today = text_of(turn.data, "day") == today.isoformat()
    return Prompt(turn.t(ASK_TIME_TODAY if is_today else ASK_TIME_TOMORROW), TIME_OPTIONS,
                  free_text=True)


def on_time(turn: Turn, answer: Answer) -> Transition:
    """Combine the chosen day with the time picked or typed."""
    day = date.fromisoformat(text_of(turn.data, "day"))
    if answer.choice is not None:
        at: time | None = time.fromisoformat(answer.choice)
    else:
        parsed = parse_when(answer.text, now=turn.now, tz=turn.zone)
        at = parsed.astimezone(turn.zone).time() if parsed else None
    moment = datetime.combine(day, at, turn.zone) if at is not None else None
    return _store(turn, moment, TIME_HINT)


def ask_date(turn: Turn) -> Prompt:
    """Ask for a date and time typed as text."""
    return Prompt(turn.t(ASK_DATE))


def on_date(turn: Turn, answer: Answer) -> Transition:
    """Store the typed date and time."""
    return _store(turn, parse_when(answer.text, now=turn.now, tz=turn.zone), WHEN_HINT)


STEPS = (
    Step("required_by", ask_when, on_when, WHEN_HELP),
    Step("required_time", ask_time, on_time, TIME_HELP),
    Step("required_date", ask_date, on_date, DATE_HELP),
)
