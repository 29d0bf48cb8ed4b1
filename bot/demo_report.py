"""Tell the operator what `bloodbot demo` created and the commands to try next."""

from __future__ import annotations

from collections.abc import Mapping
from zoneinfo import ZoneInfo

from bot.demo import DemoSummary
from storage.domain.admin import AdminView, Grant, Role
from storage.domain.blood import Component
from storage.domain.records import RequestKind

COMPONENT_NAMES = {
    Component.WHOLE_BLOOD: "whole blood", Component.PRBC: "red cells (PRBC)",
    Component.SDP: "platelets (SDP)", Component.RDP: "platelets (RDP)",
    Component.FFP: "plasma (FFP)", Component.CRYO: "cryo",
}
LANGUAGE_NAMES = {"en": "English", "hi": "Hindi"}
ROLE_NAMES = {Role.SUPER_ADMIN: "super-admin", Role.DISTRICT_ADMIN: "district admin",
              Role.VERIFIER: "verifier"}


def counts(found: Mapping[str, int]) -> str:
    """Write counts as "O+ 105, B+ 91", largest first."""
    return ", ".join(f"{name} {n}" for name, n in sorted(found.items(), key=lambda i: -i[1]))


def admin_line(grant: Grant) -> str:
    """Describe one admin: phone, role and districts."""
    where = ", ".join(sorted(grant.districts))
    return f"  {grant.phone}  {ROLE_NAMES[grant.role]}" + (f" ({where})" if where else "")


def request_line(view: AdminView, zone: ZoneInfo) -> str:
    """Describe one pending request in a line."""
    draft = view.summary.draft
    kind = "any group" if draft.kind is RequestKind.REPLACEMENT else "group-specific"
    by = draft.required_by.astimezone(zone).strftime("%d/%m %H:%M")
    second = " — needs two admins" if view.second_check else ""
    return (f"  {view.summary.code}  {draft.patient_group.code} "
            f"{COMPONENT_NAMES[draft.component]}, {draft.units} units, {kind}, "
            f"{draft.hospital_name}, {draft.hospital_place.district}, by {by}{second}")


def describe(summary: DemoSummary, zone: ZoneInfo) -> str:
    """Return the report printed after seeding: what was created, then what to try."""
    first, last = summary.donor_phones
    lines = [
        f"Demo network ready: {summary.donors} donors, {len(summary.admins)} admins, "
        f"{len(summary.pending)} pending requests.",
        f"Donors by district: {counts(summary.by_district)}",
        f"Donors by group: {counts(summary.by_group)}",
        f"Languages: {counts({LANGUAGE_NAMES[k]: n for k, n in summary.by_language.items()})}; "
        f"{summary.apheresis} apheresis donors, {summary.deferred} with a deferral, "
        f"{summary.paused} paused, {summary.alerts_off} with alerts turned off.",
        f"Donor phones: {first} … {last} (a made-up block: never point live channels at "
        "this database).",
        "Admins:", *(admin_line(grant) for grant in summary.admins),
        "Pending requests:", *(request_line(view, zone) for view in summary.pending),
        "", "Try it:",
        f"  bloodbot chat --as {summary.admins[0].phone}",
        "    /pending",
    ]
    if summary.pending:
        request = summary.pending[0].summary
        lines.append(f"    /approve {request.code}    then answer the checklist: yes, yes, yes, "
                     "skip")
        lines += [f"  bloodbot chat --as {example.phone}    {example.group} donor, "
                  f"{example.km:g} km from {request.draft.hospital_name}, "
                  f"{LANGUAGE_NAMES[example.language]}" for example in summary.examples]
    lines.append("  (messages to other users print under '----- message to … -----' lines)")
    for view in summary.pending:
        district = view.summary.draft.hospital_place.district
        second = [g for g in summary.admins if g.role is not Role.SUPER_ADMIN
                  and g.covers(district)]
        if view.second_check and second:
            lines.append(f"  {view.summary.code} needs two admins: /approve it as "
                         f"{summary.admins[0].phone}, then /as {second[0].phone} and again.")
    return "\n".join(lines)
