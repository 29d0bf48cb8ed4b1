"""/edit CODE FIELD VALUE: correct a request's group, component, units, time or hospital."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from conversations.admin_access import find_request, say, usage
from conversations.admin_notices import tell_requester
from conversations.admin_outcomes import refusal_text
from conversations.admin_views import component_text, group_text, when_text
from conversations.commands import CommandReply
from conversations.engine import match_option
from conversations.flow import Turn
from conversations.flows.request_need import COMPONENT_OPTIONS
from conversations.flows.request_route import LIMITS
from conversations.i18n import Translator, _
from conversations.text import fold, has_letters_or_digits
from storage.domain.admin import UNITS_RANGE, Change, EditField, EditValue, Grant, edit_value_fits
from storage.domain.blood import BloodGroup, Component, parse_blood_group
from storage.domain.when import parse_when

FIELD_WORDS: dict[str, EditField] = {
    "group": EditField.GROUP, "blood_group": EditField.GROUP, "bloodgroup": EditField.GROUP,
    "component": EditField.COMPONENT, "units": EditField.UNITS, "unit": EditField.UNITS,
    "required_by": EditField.REQUIRED_BY, "requiredby": EditField.REQUIRED_BY,
    "needed_by": EditField.REQUIRED_BY, "when": EditField.REQUIRED_BY,
    "hospital": EditField.HOSPITAL,
}
FIELD_LABELS: dict[EditField, str] = {
    EditField.GROUP: _("Blood group"), EditField.COMPONENT: _("Component"),
    EditField.UNITS: _("Units"), EditField.REQUIRED_BY: _("Needed by"),
    EditField.HOSPITAL: _("Hospital"),
}
VALUE_HINTS: dict[EditField, str] = {
    EditField.GROUP: _("'{value}' is not a blood group. For example: /edit {code} group B+"),
    EditField.COMPONENT: _("'{value}' is not a component. Use whole_blood, prbc, sdp, rdp, ffp "
                           "or cryo, for example: /edit {code} component prbc"),
    EditField.UNITS: _("Units must be a number from {low} to {high}, for example: /edit {code} "
                       "units 3"),
    EditField.REQUIRED_BY: _("I could not read '{value}' as a day and time. For example: /edit "
                             "{code} required_by tomorrow 10am"),
    EditField.HOSPITAL: _("Please give the hospital's name in at most {limit} characters, for "
                          "example: /edit {code} hospital KGMU Trauma Centre"),
}
UNKNOWN_FIELD = _("I cannot edit '{field}'. Fields: group, component, units, required_by, "
                  "hospital. For example: /edit {code} units 3")
WHEN_PAST = _("{when} has already passed. Please give a time from now on, for example: /edit "
              "{code} required_by tomorrow 10am")
EDITED = _("{code} is updated: {changes}. The requester has been told.")
UNCHANGED = _("{code} already has that value; nothing was changed.")
REQUESTER_EDITED = _("A volunteer corrected your request {code}:\n{changes}")
CHANGE_LINE = "{label}: {old} → {new}"


def _component(text: str) -> Component | None:
    folded = fold(text).replace(" ", "_")
    if folded.isdigit():
        return None
    if folded in {c.value for c in Component}:
        return Component(folded)
    option = match_option(text, COMPONENT_OPTIONS)
    return Component(option.key) if option else None


def _hospital(text: str) -> str | None:
    fits = has_letters_or_digits(text) and len(text) <= LIMITS.hospital_chars
    return text if fits else None


def parse_value(turn: Turn, field: EditField, text: str) -> EditValue | None:
    """Read `text` as a value of `field`; None when it cannot be read or does not fit."""
    readers: dict[EditField, Callable[[str], EditValue | None]] = {
        EditField.GROUP: parse_blood_group,
        EditField.COMPONENT: _component,
        EditField.UNITS: lambda text: int(text) if text.isdigit() else None,
        EditField.REQUIRED_BY: lambda text: parse_when(text, now=turn.now, tz=turn.zone),
        EditField.HOSPITAL: _hospital,
    }
    value = readers[field](text.strip())
    return value if value is not None and edit_value_fits(field, value) else None


def _shown(tr: Translator, turn: Turn, field: EditField, text: str) -> str:
    """Show a stored edit value (as `storage.domain.admin.shown` wrote it) in words."""
    match field:
        case EditField.GROUP:
            return group_text(tr, BloodGroup.from_code(text))
        case EditField.COMPONENT:
            return component_text(tr, Component(text))
        case EditField.REQUIRED_BY:
            return when_text(tr, turn.zone, datetime.fromisoformat(text))
    return text


def changes_text(tr: Translator, turn: Turn, changes: tuple[Change, ...]) -> str:
    """Describe what an edit changed, one field a line, in the reader's language."""
    return "\n".join(CHANGE_LINE.format(label=tr.t(FIELD_LABELS[c.field]),
                                        old=_shown(tr, turn, c.field, c.old),
                                        new=_shown(tr, turn, c.field, c.new)) for c in changes)


def edit(turn: Turn, grant: Grant, args: list[str]) -> CommandReply:
    """Correct one field of a request and tell the requester what changed."""
    view = find_request(turn, grant, "edit", args)
    if isinstance(view, CommandReply):
        return view
    if len(args) < 3:
        return usage(turn, "edit")
    code, text = view.summary.code, " ".join(args[2:])
    field = FIELD_WORDS.get(fold(args[1]).replace("-", "_"))
    if field is None:
        return say(turn.t(UNKNOWN_FIELD, field=args[1], code=code))
    value = parse_value(turn, field, text)
    if value is None:
        return say(turn.t(VALUE_HINTS[field], value=text, code=code, low=UNITS_RANGE.start,
                          high=UNITS_RANGE.stop - 1, limit=LIMITS.hospital_chars))
    if isinstance(value, datetime) and value <= turn.now:
        when = when_text(Translator(turn.lang), turn.zone, value)
        return say(turn.t(WHEN_PAST, when=when, code=code))
    edited = turn.services.admin.edit(code, turn.address, field, value, turn.now)
    refused = refusal_text(Translator(turn.lang), "edit", code, edited.result)
    if refused is not None:
        return say(refused)
    if not edited.changes:
        return say(turn.t(UNCHANGED, code=code))
    tell_requester(turn, code, lambda tr: tr.t(
        REQUESTER_EDITED, code=code, changes=changes_text(tr, turn, edited.changes)),
        kind="request_edited", once=False)
    mine = changes_text(Translator(turn.lang), turn, edited.changes).replace("\n", "; ")
    return say(turn.t(EDITED, code=code, changes=mine))
