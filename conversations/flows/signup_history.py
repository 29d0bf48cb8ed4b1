"""Sign-up steps about the donor's history: last donation, its kind, and declared deferrals."""

from __future__ import annotations

from datetime import date

from conversations.flow import Answer, Prompt, Retry, Step, Transition, Turn, goto, retry
from conversations.flows.signup_answers import local_today, read_deferrals, read_past_date
from conversations.flows.signup_choices import (
    DEFERRAL_OPTIONS,
    KIND_OPTIONS,
    NEVER,
    NEVER_OPTION,
    NOT_SURE,
    NOT_SURE_OPTION,
    ONGOING,
    ONGOING_OPTIONS,
)
from conversations.flows.signup_steps import proceed
from conversations.i18n import _
from storage.domain.eligibility import DEFAULT_RULES, DeferralKind, age_on

ASK_LAST = _("When did you last donate blood? This tells us when you may give again.\n"
             "Send the date (for example 15/08/2025), or choose 'Never donated'.")
FIRST_TIMER_TOO_OLD = _("First-time donors can be at most {max_age} years old. If you have "
                        "donated before, send the date of your last donation (for example "
                        "15/08/2025); otherwise send 'cancel'. "
                        "Final eligibility is decided at the blood centre.")
ASK_KIND = _("What did you give that time?")
ASK_DEFERRALS = _("A few health questions, so that we do not call you when you should not "
                  "donate.\nDo any of these apply to you? Send all the numbers that apply "
                  "(for example: 1, 3).")
WHEN_ASKED: dict[DeferralKind, str] = {
    DeferralKind.TATTOO_PIERCING: _("When did you get the tattoo or piercing? Send the date, "
                                    "for example 15/08/2025."),
    DeferralKind.MAJOR_SURGERY: _("When was the surgery? Send the date, for example "
                                  "15/08/2025."),
    DeferralKind.TRANSFUSION: _("When did you receive blood? Send the date, for example "
                                "15/08/2025."),
    DeferralKind.TYPHOID: _("When did you recover from typhoid? Send the date, for example "
                            "15/08/2025."),
    DeferralKind.MALARIA: _("When were you cured of malaria? Send the date, for example "
                            "15/08/2025, or choose 'Not cured yet'."),
    DeferralKind.PREGNANCY: _("When was your baby born? Send the date, for example "
                              "15/08/2025, or choose 'Pregnant now'."),
}
HELP_LAST = _("Send the date of your last blood donation, like 15/08/2025. Choose 'Never "
              "donated' if you have not given blood before.")
HELP_KIND = _("Choose whole blood for a usual donation of one bag; choose the machine if you "
              "gave only platelets or plasma.")
HELP_DEFERRALS = _("Each of these means waiting a while before donating. Send the numbers "
                   "that apply, like 1, 3, or 8 if none apply. The blood centre asks again "
                   "before you donate.")
HELP_WHEN = _("Send the date, like 15/08/2025. If you do not remember it, choose 'Not sure of "
              "the date': we then count from today.")


def too_old_for_first_time(turn: Turn) -> bool:
    """Tell whether the donor, now known to be a first-timer, is past the first-time age."""
    dob = turn.data.get("dob")
    if not isinstance(dob, str):
        return False
    return age_on(date.fromisoformat(dob), local_today(turn)) > DEFAULT_RULES.first_time_max_age


def on_last_donation(turn: Turn, answer: Answer) -> Transition:
    """Store the last donation's date (or never) and ask what was given."""
    if answer.choice == NEVER:
        if too_old_for_first_time(turn):
            return retry(turn.t(FIRST_TIMER_TOO_OLD, max_age=DEFAULT_RULES.first_time_max_age))
        turn.data["last_donation"] = None
        return proceed(turn, "last_donation")
    day = read_past_date(turn, answer.text)
    if isinstance(day, Retry):
        return day
    turn.data["last_donation"] = {"on": day.isoformat(), "kind": None}
    return proceed(turn, "last_donation")


def on_kind(turn: Turn, answer: Answer) -> Transition:
    """Store whether the last donation was whole blood or apheresis."""
    turn.data["last_donation"] = {**turn.data["last_donation"], "kind": answer.choice}
    return proceed(turn, "component")


def on_deferrals(turn: Turn, answer: Answer) -> Transition:
    """Store the declared deferrals; ask when each began, except illness today."""
    kinds = read_deferrals(turn, answer)
    if isinstance(kinds, Retry):
        return kinds
    today = local_today(turn).isoformat()
    turn.data["deferrals"] = [{"kind": kind, "since": today, "ongoing": False}
                              for kind in kinds if kind == DeferralKind.ILLNESS_TODAY]
    turn.data["deferral_queue"] = [k for k in kinds if k != DeferralKind.ILLNESS_TODAY]
    return proceed(turn, "deferrals")


def ask_deferral_date(turn: Turn) -> Prompt:
    """Ask when the first deferral still waiting for a date began."""
    kind = DeferralKind(turn.data["deferral_queue"][0])
    ongoing = (ONGOING_OPTIONS[kind],) if kind in ONGOING_OPTIONS else ()
    return Prompt(turn.t(WHEN_ASKED[kind]), (*ongoing, NOT_SURE_OPTION), free_text=True)


def on_deferral_date(turn: Turn, answer: Answer) -> Transition:
    """Store when this deferral began (today if not sure), then ask about the next one."""
    queue = list(turn.data["deferral_queue"])
    if answer.choice in (NOT_SURE, ONGOING):
        since = local_today(turn)  # not sure: counting from today can only wait longer
    else:
        day = read_past_date(turn, answer.text)
        if isinstance(day, Retry):
            return day
        since = day
    deferral = {"kind": queue.pop(0), "since": since.isoformat(),
                "ongoing": answer.choice == ONGOING}
    turn.data["deferrals"] = [*turn.data.get("deferrals", []), deferral]
    turn.data["deferral_queue"] = queue
    return goto("deferral_date") if queue else proceed(turn, "deferral_date")


STEPS = (
    Step("last_donation",
         lambda turn: Prompt(turn.t(ASK_LAST), (NEVER_OPTION,), free_text=True),
         on_last_donation, HELP_LAST),
    Step("component", lambda turn: Prompt(turn.t(ASK_KIND), KIND_OPTIONS), on_kind, HELP_KIND),
    Step("deferrals", lambda turn: Prompt(turn.t(ASK_DEFERRALS), DEFERRAL_OPTIONS,
                                          free_text=True), on_deferrals, HELP_DEFERRALS),
    Step("deferral_date", ask_deferral_date, on_deferral_date, HELP_WHEN),
)
"""The history steps, in order."""
