"""Describe requests to admins: one-line briefs without phones, full details, status words."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from conversations.flow import Option
from conversations.flows.request_attendant import RELATION_OPTIONS
from conversations.flows.request_need import BOMBAY_LABEL, COMPONENT_OPTIONS, KIND_OPTIONS
from conversations.flows.request_patient import SEX_OPTIONS
from conversations.i18n import Translator, _
from conversations.messages import Media, Outbound
from storage.domain.admin import MORE_UNITS_THAN, AdminView
from storage.domain.blood import Abo, BloodGroup, Component
from storage.domain.records import RequestStatus, RequestSummary

STATUS_WORDS: dict[RequestStatus, str] = {
    RequestStatus.PENDING_VERIFICATION: _("pending verification"),
    RequestStatus.VERIFIED: _("verified"),
    RequestStatus.BROADCASTING: _("broadcasting to donors"),
    RequestStatus.PARTLY_FULFILLED: _("partly fulfilled"),
    RequestStatus.FULFILLED: _("fulfilled"),
    RequestStatus.EXPIRED: _("expired"),
    RequestStatus.REJECTED: _("rejected"),
    RequestStatus.CANCELLED: _("closed"),
}
REASON_WORDS: dict[str, str] = {
    "rare_group": _("a rare blood group (Rh-negative or Bombay)"),
    "many_units": _("more than {units} units"),
    "first_request": _("the first request from this attendant's number"),
}
GROUP_NOT_KNOWN = _("group not known")
BRIEF = _("{code} · {group}, {kind} · {units} × {component} · {hospital}, {place} · needed by "
          "{when}")
DETAILS = _("{code}: {status}\n"
            "Patient: {patient}, age {age}, {sex}\n"
            "Blood group: {group}\n"
            "Needed: {units} × {component}, {kind}\n"
            "Hospital: {hospital}, {place}\n"
            "Ward / bed: {ward}\n"
            "Needed by: {when}\n"
            "Attendant: {attendant} ({relation}), {phone}\n"
            "Filed: {filed}\n"
            "Approvals: {approvals} of {needed} · Reports: {reports}")
NOT_GIVEN = _("not given")
SLIP_BELOW = _("Requisition slip: sent in the next message")
NO_SLIP = _("Requisition slip: none sent")
HAS_SLIP = _("📎 slip")
SLIP_CAPTION = _("Requisition slip of {code}: check the patient's name, the hospital and the "
                 "blood group against the request.")
SLIP_NOT_SHOWN = _("This chat cannot show the slip yet: it can be seen on Telegram, or on "
                   "WhatsApp once the bot's PUBLIC_BASE_URL is set.")
SECOND_CHECK = _("A second admin must also approve it: {reasons}.")
REPORTED = _("reports: {count}")
APPROVED_ONCE = _("approved once, needs a second admin")
WHEN_FORMAT = "EEE d MMM, h:mm a"


def when_text(tr: Translator, zone: ZoneInfo, moment: datetime) -> str:
    """Show a time in the reader's language and zone: "Fri 4 Dec, 6:00 PM"."""
    return format_datetime(moment, WHEN_FORMAT, tzinfo=zone, locale=tr.lang)


def status_text(tr: Translator, status: RequestStatus) -> str:
    """Name a request's status for admins."""
    return tr.t(STATUS_WORDS[status])


def _label(tr: Translator, options: Sequence[Option], key: str) -> str:
    return next((tr.t(o.label) for o in options if o.key == key), key)


def group_text(tr: Translator, group: BloodGroup) -> str:
    """Show a blood group: "B+", "Bombay (hh)", or that it is not known."""
    if group.abo is Abo.UNKNOWN:
        return tr.t(GROUP_NOT_KNOWN)
    if group.abo is Abo.BOMBAY:
        return tr.t(BOMBAY_LABEL) + group.code.removeprefix(Abo.BOMBAY.value)
    return group.code


def component_text(tr: Translator, component: Component) -> str:
    """Name a component as the request flow does."""
    return _label(tr, COMPONENT_OPTIONS, component.value)


def reasons_text(tr: Translator, reasons: Sequence[str]) -> str:
    """Say why a second admin must approve, in words."""
    return "; ".join(tr.t(REASON_WORDS.get(r, r), units=MORE_UNITS_THAN) for r in reasons)


def brief_text(tr: Translator, zone: ZoneInfo, summary: RequestSummary) -> str:
    """Describe a request in one line with no phone and no patient name."""
    draft = summary.draft
    return tr.t(BRIEF, code=summary.code, group=group_text(tr, draft.patient_group),
                kind=_label(tr, KIND_OPTIONS, draft.kind.value), units=draft.units,
                component=component_text(tr, draft.component), hospital=draft.hospital_name,
                place=draft.hospital_place.label,
                when=when_text(tr, zone, draft.required_by))


def pending_line(tr: Translator, zone: ZoneInfo, view: AdminView) -> str:
    """Describe one request of /pending: its brief and what needs an admin's eye."""
    flags = [] if view.summary.status is RequestStatus.PENDING_VERIFICATION else [
        status_text(tr, view.summary.status)]
    if view.reports:
        flags.append(tr.t(REPORTED, count=view.reports))
    if view.approvals and view.second_check:
        flags.append(tr.t(APPROVED_ONCE))
    if view.summary.draft.slip is not None:
        flags.append(tr.t(HAS_SLIP))
    return " · ".join([brief_text(tr, zone, view.summary), *flags])


def details_text(tr: Translator, zone: ZoneInfo, view: AdminView) -> str:
    """Describe every detail of a request, the phone and the slip included (audit it)."""
    summary, draft = view.summary, view.summary.draft
    text = tr.t(
        DETAILS, code=summary.code, status=status_text(tr, summary.status),
        patient=draft.patient_name, age=draft.patient_age,
        sex=_label(tr, SEX_OPTIONS, draft.patient_sex.value),
        group=group_text(tr, draft.patient_group), units=draft.units,
        component=component_text(tr, draft.component),
        kind=_label(tr, KIND_OPTIONS, draft.kind.value), hospital=draft.hospital_name,
        place=draft.hospital_place.label, ward=draft.ward or tr.t(NOT_GIVEN),
        when=when_text(tr, zone, draft.required_by), attendant=draft.attendant_name,
        relation=_label(tr, RELATION_OPTIONS, draft.attendant_relation),
        phone=draft.attendant_phone, filed=when_text(tr, zone, summary.created_at),
        approvals=len(view.approvals), needed=2 if view.second_check else 1,
        reports=view.reports)
    text += "\n" + tr.t(SLIP_BELOW if draft.slip else NO_SLIP)
    if view.second_check:
        text += "\n" + tr.t(SECOND_CHECK, reasons=reasons_text(tr, view.second_check))
    return text


def slip_message(tr: Translator, view: AdminView) -> Outbound | None:
    """Return the requisition slip as a photo (or PDF) for an admin, None if none was sent."""
    slip = view.summary.draft.slip
    if slip is None:
        return None
    return Outbound(tr.t(SLIP_CAPTION, code=view.summary.code),
                    attachment=Media(slip.url, slip.content_type),
                    attachment_note=tr.t(SLIP_NOT_SHOWN))
