"""Convert a donor profile to and from the flow's JSON data, and show it to its owner."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from conversations.flow import Turn
from conversations.flows.signup_answers import local_today
from conversations.flows.signup_choices import (
    AVAILABILITY_LABELS,
    BOMBAY_GROUP,
    BOMBAY_LABEL,
    DEFERRAL_LABELS,
    DONT_KNOW,
    KIND_LABELS,
    SEX_OPTIONS,
    group_label,
)
from conversations.i18n import _
from storage.domain.blood import UNKNOWN_GROUP, BloodGroup, Sex
from storage.domain.eligibility import (
    DEFAULT_RULES,
    Deferral,
    DeferralKind,
    Donation,
    DonationKind,
    age_on,
    check_eligibility,
)
from storage.domain.places import Place
from storage.domain.records import Availability, Consents, DonorProfile

DETAILS = _(
    "Name: {name}\nPhone: {phone}\nBlood group: {group}\nSex: {sex}\n{birth}\n"
    "Weight {kg} kg or more: {weight}\nArea: {place}\nLast donation: {last}\n"
    "Health answers: {health}\nAvailable: {availability}\nAlerts: {alerts}\n"
    "Share my number with verified attendants: {share}"
)
BORN_ON = _("Date of birth: {date}")
AGE_ABOUT = _("Age: about {age}")
LAST_DONATION = _("{date}, {kind}")
NEVER_DONATED = _("never")
NOTHING_DECLARED = _("none")
YES_WORD = _("yes")
NO_WORD = _("no")
MAY_DONATE_NOW = _("From what you told us, you may donate now. "
                   "Final eligibility is decided at the blood centre.")
MAY_DONATE_FROM = _("From what you told us, you may donate again from {date}. "
                    "Final eligibility is decided at the blood centre.")
MAY_NOT_DONATE = _("From what you told us, you cannot donate for now; tell us when that "
                   "changes. Final eligibility is decided at the blood centre.")


def show_date(day: date) -> str:
    """Write a date the way Indian users do: 25/01/1990."""
    return day.strftime("%d/%m/%Y")


def profile_to_data(profile: DonorProfile) -> dict[str, Any]:
    """Return the flow data (JSON values only) that describes `profile`."""
    last = profile.last_donation
    return {
        "consent_registry": profile.consents.registry,
        "consent_alerts": profile.consents.alerts,
        "consent_share": profile.consents.share_phone,
        "name": profile.name,
        "phone": profile.phone,
        "group": profile.blood_group.code,
        "sex": profile.sex.value,
        "dob": profile.date_of_birth.isoformat(),
        "dob_estimate": profile.dob_is_estimate,
        "weight_ok": profile.weight_ok,
        "place": profile.place.to_json(),
        "last_donation": last and {"on": last.on.isoformat(), "kind": last.kind.value},
        "deferrals": [{"kind": d.kind.value, "since": d.since.isoformat(), "ongoing": d.ongoing}
                      for d in profile.deferrals],
        "availability": profile.availability.value,
        "paused_until": profile.paused_until and profile.paused_until.isoformat(),
    }


def last_donation_of(data: dict[str, Any]) -> Donation | None:
    """Return the last donation held in the data, if any."""
    last = data.get("last_donation")
    if not last or last.get("kind") is None:
        return None
    return Donation(date.fromisoformat(last["on"]), DonationKind(last["kind"]))


def deferrals_of(data: dict[str, Any]) -> tuple[Deferral, ...]:
    """Return the declared deferrals held in the data."""
    return tuple(Deferral(DeferralKind(d["kind"]), date.fromisoformat(d["since"]),
                          bool(d.get("ongoing"))) for d in data.get("deferrals", []))


def profile_from_data(data: dict[str, Any], *, now: datetime, lang: str) -> DonorProfile:
    """Build the profile the donor confirmed; consents are recorded at `now`."""
    paused = data.get("paused_until")
    return DonorProfile(
        name=data["name"],
        phone=data["phone"],
        blood_group=BloodGroup.from_code(data["group"]),
        sex=Sex(data["sex"]),
        date_of_birth=date.fromisoformat(data["dob"]),
        dob_is_estimate=bool(data["dob_estimate"]),
        weight_ok=bool(data["weight_ok"]),
        place=Place.from_json(data["place"]),
        last_donation=last_donation_of(data),
        deferrals=deferrals_of(data),
        availability=Availability(data["availability"]),
        consents=Consents(registry=True, alerts=bool(data["consent_alerts"]),
                          share_phone=bool(data["consent_share"]), recorded_at=now),
        paused_until=datetime.fromisoformat(paused) if paused else None,
        language=lang,
    )


def _group_text(turn: Turn, code: str) -> str:
    group = BloodGroup.from_code(code)
    if group == UNKNOWN_GROUP:
        return turn.t(DONT_KNOW)
    return turn.t(BOMBAY_LABEL) if group == BOMBAY_GROUP else group_label(group)


def details_text(turn: Turn, data: dict[str, Any]) -> str:
    """Show every detail the donor gave, in their language."""
    sex_label = next(o.label for o in SEX_OPTIONS if o.key == data["sex"])
    dob = date.fromisoformat(data["dob"])
    if data["dob_estimate"]:
        birth = turn.t(AGE_ABOUT, age=age_on(dob, local_today(turn)))
    else:
        birth = turn.t(BORN_ON, date=show_date(dob))
    last = last_donation_of(data)
    health = [turn.t(DEFERRAL_LABELS[d.kind]) for d in deferrals_of(data)]
    yes_no = {True: turn.t(YES_WORD), False: turn.t(NO_WORD)}
    return turn.t(
        DETAILS, name=data["name"], phone=data["phone"], group=_group_text(turn, data["group"]),
        sex=turn.t(sex_label), birth=birth, kg=f"{DEFAULT_RULES.min_weight_kg:g}",
        weight=yes_no[bool(data["weight_ok"])],
        place=Place.from_json(data["place"]).label,
        last=turn.t(LAST_DONATION, date=show_date(last.on), kind=turn.t(KIND_LABELS[last.kind]))
        if last else turn.t(NEVER_DONATED),
        health="; ".join(health) or turn.t(NOTHING_DECLARED),
        availability=turn.t(AVAILABILITY_LABELS[Availability(data["availability"])]),
        alerts=yes_no[bool(data["consent_alerts"])], share=yes_no[bool(data["consent_share"])],
    )


def eligibility_note(turn: Turn, data: dict[str, Any]) -> str:
    """Say from when the donor may give, by the rules and what they declared."""
    last = last_donation_of(data)
    today = local_today(turn)
    found = check_eligibility(
        sex=Sex(data["sex"]), date_of_birth=date.fromisoformat(data["dob"]),
        history=[last] if last else [], deferrals=deferrals_of(data), needed_on=today,
    )
    if found.eligible:
        return turn.t(MAY_DONATE_NOW)
    if found.next_date is not None:
        return turn.t(MAY_DONATE_FROM, date=show_date(found.next_date))
    return turn.t(MAY_NOT_DONATE)


def paused_until_local(data: dict[str, Any], turn: Turn) -> str | None:
    """Return the local date alerts are paused until, if they still are."""
    paused = data.get("paused_until")
    if not paused or datetime.fromisoformat(paused) <= turn.now:
        return None
    return show_date(datetime.fromisoformat(paused).astimezone(turn.zone).date())
