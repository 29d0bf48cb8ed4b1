"""The alert a donor gets about a verified request: phone-free, with the ways to answer."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from conversations.admin_views import component_text, group_text, when_text
from conversations.flows.request_summary import ANTI_SCAM
from conversations.i18n import Translator, _
from conversations.messages import Choice, Outbound
from storage.domain.blood import Abo
from storage.domain.phones import mask_phones_in_text
from storage.domain.records import RequestKind, RequestSummary

RESPOND = "respond"
"""The slash command that answers an alert: `/respond R-4821 yes`."""
WITHDRAW = "withdraw"
"""The slash command that takes back a pledge: `/withdraw R-4821`."""

ALERT = _("Blood is needed near you — request {code}\n"
          "{need}\n"
          "Needed: {units} × {component}\n"
          "Hospital: {hospital}, {place} — {km} km from you\n"
          "Needed by: {when}")
NEED_GROUP = _("Blood group: {group} (your blood group can give)")
NEED_ANY = _("Any blood group: replacement donors for the blood bank")
ASK = _("Can you donate? Choose an answer.")
OR_SEND = _("Or send {code} to answer.")
BRIEF = _("{code}: {units} × {component}, {hospital}, {place}, {km} km away, by {when}. Send "
          "{code} to answer.")
CAN_DONATE = _("I can donate")
NOT_NOW = _("Not now")
NOT_ELIGIBLE = _("I'm not eligible")
ANSWERS = (("yes", CAN_DONATE), ("no", NOT_NOW), ("ineligible", NOT_ELIGIBLE))
"""The three answers: the word after `/respond CODE`, and the label shown."""


def need_text(tr: Translator, summary: RequestSummary) -> str:
    """Say which donors may help: one group, or any group for a replacement request."""
    group = summary.draft.patient_group
    if summary.draft.kind is RequestKind.REPLACEMENT or group.abo is Abo.UNKNOWN:
        return tr.t(NEED_ANY)
    return tr.t(NEED_GROUP, group=group_text(tr, group))


def km_text(distance_km: float) -> str:
    """Show a distance to a tenth of a kilometre."""
    return f"{distance_km:.1f}"


def answer_choices(tr: Translator, code: str) -> tuple[Choice, ...]:
    """Return the answers as commands a button sends: `/respond R-4821 yes`."""
    return tuple(Choice(f"/{RESPOND} {code} {word}", tr.t(label)) for word, label in ANSWERS)


def _values(tr: Translator, summary: RequestSummary, distance_km: float,
            zone: ZoneInfo) -> dict[str, object]:
    draft = summary.draft
    return {"code": summary.code, "units": draft.units,
            "component": component_text(tr, draft.component),
            "hospital": mask_phones_in_text(draft.hospital_name),
            "place": draft.hospital_place.label, "km": km_text(distance_km),
            "when": when_text(tr, zone, draft.required_by)}


def alert_text(tr: Translator, summary: RequestSummary, distance_km: float,
               zone: ZoneInfo) -> str:
    """Describe the request to a donor: group, component, units, hospital, distance, time."""
    return tr.t(ALERT, need=need_text(tr, summary), **_values(tr, summary, distance_km, zone))


def alert_message(summary: RequestSummary, distance_km: float, lang: str,
                  zone: ZoneInfo) -> Outbound:
    """Render the alert in the donor's language: no phone, no patient name, anti-scam last."""
    tr, code = Translator(lang), summary.code
    text = "\n\n".join([alert_text(tr, summary, distance_km, zone),
                        f"{tr.t(ASK)}\n{tr.t(OR_SEND, code=code)}", tr.t(ANTI_SCAM)])
    brief = tr.t(BRIEF, **_values(tr, summary, distance_km, zone))
    return Outbound(text, answer_choices(tr, code), choices_are_commands=True,
                    template_vars={"1": brief})
