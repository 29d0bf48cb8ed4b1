"""Sign-up steps from the consents to the weight, and the order all steps follow."""

from __future__ import annotations

from datetime import date

from conversations.abuse import NEUTRAL_REFUSAL, any_blocked
from conversations.flow import (
    Answer,
    Prompt,
    Retry,
    Step,
    Transition,
    Turn,
    finish,
    goto,
    retry,
)
from conversations.flows.signup_answers import local_today, read_group, read_name, read_phone
from conversations.flows.signup_choices import GROUP_OPTIONS, SEX_OPTIONS, YES, YES_NO
from conversations.i18n import _
from storage.domain.eligibility import DEFAULT_RULES, add_months, age_on
from storage.domain.when import parse_birth_date_or_age

ORDER = ("registry", "alerts", "share_phone", "name", "phone", "blood_group", "sex", "birth",
         "weight", "location", "last_donation", "component", "deferrals", "deferral_date",
         "availability", "summary")
"""Every step in the order a first sign-up asks them."""

FOLLOW_UPS = frozenset({"share_phone", "component", "deferral_date"})
"""Steps that belong to the step before them: asked after it even when only it is changed."""

NOTICE = _(
    "Before you register, please read this short notice.\n"
    "• What we keep: your name, phone number, blood group, sex, date of birth, area, last "
    "donation, health answers and when you can come.\n"
    "• Why: to tell you when a patient near you needs blood that you can give.\n"
    "• Who sees it: only our volunteers. A patient's family gets your number only if you "
    "allow it and agree to help.\n"
    "• How to withdraw: send 'stop' to stop alerts at once, or open 'My profile' to withdraw "
    "a consent or delete everything."
)
ASK_REGISTRY = _("Consent 1 of 3.\nMay we keep your details in our donor registry, as "
                 "described above? You cannot register without this.")
ASK_ALERTS = _("Consent 2 of 3.\nMay we send you alerts when a verified patient near you "
               "needs blood?")
ASK_SHARE = _("Consent 3 of 3.\nWhen you agree to help a verified patient, may we give your "
              "phone number to the patient's attendant?")
DECLINED = _("No problem. We cannot register you without this consent, so nothing was stored. "
             "You can still request blood for a patient from the menu.")
ASK_NAME = _("Your name, so volunteers know whom they are talking to.\nFor example: Asha Verma")
ASK_PHONE = _("Your mobile number, so a patient's family can reach you if you agree to help.\n"
              "Type it (for example 98123 45678) or share your number.")
ASK_GROUP = _("Your blood group, so we alert you only for patients you can help.\n"
              "Choose one or type it (for example B+).")
ASK_SEX = _("Your sex: how often you may donate depends on it.")
ASK_BIRTH = _("Your date of birth (for example 25/01/1990) or your age in years (for example "
              "34). Donors must be {min_age} to {max_age} years old.")
BAD_BIRTH = _("I could not read a date of birth or an age. Send it like 25/01/1990, or your "
              "age like 34.")
TOO_YOUNG = _("Blood donors must be at least {min_age} years old. If you typed it wrongly, "
              "send your date of birth again, for example 25/01/1990. "
              "Final eligibility is decided at the blood centre.")
TOO_OLD = _("Blood donors can be at most {max_age} years old. If you typed it wrongly, send "
            "your date of birth again, for example 25/01/1990. "
            "Final eligibility is decided at the blood centre.")
FIRST_TIMER_TOO_OLD = _("First-time donors can be at most {max_age} years old, and you told "
                        "us you have never donated. If you typed your age wrongly, send your "
                        "date of birth again, for example 25/01/1990. "
                        "Final eligibility is decided at the blood centre.")
ASK_WEIGHT = _("Do you weigh at least {kg} kg? Giving blood is safe only from this weight.")
UNDERWEIGHT = _("Thank you for wanting to help. Donors must weigh at least {kg} kg, so we "
                "cannot register you now. Nothing was saved. "
                "Final eligibility is decided at the blood centre.")
UNDERWEIGHT_REGISTERED = _("Donors must weigh at least {kg} kg, so nothing was changed. To "
                           "get no more alerts, send 'stop'; to remove your details, open 'My "
                           "profile'. Final eligibility is decided at the blood centre.")

HELP_CONSENT = _("Answer Yes or No. You can withdraw any consent later from 'My profile'.")
HELP_NAME = _("Type your name as volunteers should call you. A short form is fine.")
HELP_PHONE = _("Type your 10-digit mobile number, for example 98123 45678. It is shared only "
               "as you allowed.")
HELP_GROUP = _("Your blood group is on a donor card or a lab report. If you do not know it, "
               "choose 'Don't know': you can still help as a replacement donor.")
HELP_SEX = _("The rules on how often you may give blood differ for men and women.")
HELP_BIRTH = _("Send your date of birth like 25/01/1990, or just your age like 34.")
HELP_WEIGHT = _("Answer Yes or No. The blood centre weighs you again before you donate.")


def proceed(turn: Turn, done: str, *say: str) -> Transition:
    """Go to the step after `done`, or back to the summary when one detail is being changed."""
    data = turn.data
    for name in ORDER[ORDER.index(done) + 1:]:
        if name in FOLLOW_UPS:
            if _follow_up_needed(data, name):
                return goto(name, *say)
            continue
        if data.get("editing"):
            break
        if name == "phone" and data.get("phone_from_channel"):
            continue
        return goto(name, *say)
    return goto("summary", *say)


def _follow_up_needed(data: dict[str, object], name: str) -> bool:
    if name == "component":
        last = data.get("last_donation")
        return isinstance(last, dict) and last.get("kind") is None
    if name == "deferral_date":
        return bool(data.get("deferral_queue"))
    return True


def _kg() -> str:
    return f"{DEFAULT_RULES.min_weight_kg:g}"


def _consent(key: str, question: str, step: str, help_text: str = HELP_CONSENT) -> Step:
    def ask(turn: Turn) -> Prompt:
        return Prompt(turn.t(question), YES_NO)

    def handle(turn: Turn, answer: Answer) -> Transition:
        turn.data[key] = answer.choice == YES
        if key == "consent_registry" and answer.choice != YES:
            return finish(turn.t(DECLINED))
        return proceed(turn, step)

    return Step(step, ask, handle, help_text)


def on_name(turn: Turn, answer: Answer) -> Transition:
    """Store the name and ask for the phone number."""
    name = read_name(turn, answer.text)
    if isinstance(name, Retry):
        return name
    turn.data["name"] = name
    return proceed(turn, "name")


def on_phone(turn: Turn, answer: Answer) -> Transition:
    """Store the phone number in E.164 and ask for the blood group."""
    phone = read_phone(turn, answer)
    if isinstance(phone, Retry):
        return phone
    if any_blocked(turn, phone):
        return finish(turn.t(NEUTRAL_REFUSAL))
    turn.data["phone"] = phone
    return proceed(turn, "phone")


def on_group(turn: Turn, answer: Answer) -> Transition:
    """Store the blood group (or "unknown") and ask for the sex."""
    group = read_group(turn, answer)
    if isinstance(group, Retry):
        return group
    turn.data["group"] = group.code
    return proceed(turn, "blood_group")


def on_sex(turn: Turn, answer: Answer) -> Transition:
    """Store the sex and ask for the date of birth."""
    turn.data["sex"] = answer.choice
    return proceed(turn, "sex")


def ask_birth(turn: Turn) -> Prompt:
    """Ask for the date of birth or the age."""
    return Prompt(turn.t(ASK_BIRTH, min_age=DEFAULT_RULES.min_age,
                         max_age=DEFAULT_RULES.max_age))


def on_birth(turn: Turn, answer: Answer) -> Transition:
    """Store the date of birth (estimated from an age) if the age is allowed."""
    today = local_today(turn)
    found = parse_birth_date_or_age(answer.text, today=today)
    if found is None or (isinstance(found, date) and found > today):
        return retry(turn.t(BAD_BIRTH))
    # An age alone puts the birthday half a year back: the middle of the possible range.
    dob = found if isinstance(found, date) else add_months(today, -12 * found - 6)
    age, rules = age_on(dob, today), DEFAULT_RULES
    if age < rules.min_age:
        return retry(turn.t(TOO_YOUNG, min_age=rules.min_age))
    if age > rules.max_age:
        return retry(turn.t(TOO_OLD, max_age=rules.max_age))
    if "last_donation" in turn.data and turn.data["last_donation"] is None \
            and age > rules.first_time_max_age:
        return retry(turn.t(FIRST_TIMER_TOO_OLD, max_age=rules.first_time_max_age))
    turn.data.update(dob=dob.isoformat(), dob_estimate=not isinstance(found, date))
    return proceed(turn, "birth")


def on_weight(turn: Turn, answer: Answer) -> Transition:
    """Go on if the donor weighs enough; otherwise end politely, saving nothing."""
    if answer.choice != YES:
        ending = UNDERWEIGHT_REGISTERED if turn.data.get("updating") else UNDERWEIGHT
        return finish(turn.t(ending, kg=_kg()))
    turn.data["weight_ok"] = True
    return proceed(turn, "weight")


STEPS = (
    _consent("consent_registry", ASK_REGISTRY, "registry", NOTICE),
    _consent("consent_alerts", ASK_ALERTS, "alerts"),
    _consent("consent_share", ASK_SHARE, "share_phone"),
    Step("name", lambda turn: Prompt(turn.t(ASK_NAME)), on_name, HELP_NAME),
    Step("phone", lambda turn: Prompt(turn.t(ASK_PHONE), ask_phone=True), on_phone, HELP_PHONE),
    Step("blood_group", lambda turn: Prompt(turn.t(ASK_GROUP), GROUP_OPTIONS, free_text=True),
         on_group, HELP_GROUP),
    Step("sex", lambda turn: Prompt(turn.t(ASK_SEX), SEX_OPTIONS), on_sex, HELP_SEX),
    Step("birth", ask_birth, on_birth, HELP_BIRTH),
    Step("weight", lambda turn: Prompt(turn.t(ASK_WEIGHT, kg=_kg()), YES_NO), on_weight,
         HELP_WEIGHT),
)
"""The steps this module defines, in order."""
