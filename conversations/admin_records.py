"""Show admins a request's audit history and the counts of /stats."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from conversations.admin_views import STATUS_WORDS, group_text, when_text
from conversations.i18n import Translator, _
from storage.domain.admin import AuditLine, Stats
from storage.domain.blood import BloodGroup
from storage.domain.phones import mask_phones_in_text

ACTION_WORDS: dict[str, str] = {
    "request.created": _("filed"),
    "request.phone_revealed": _("viewed the details, the attendant's number and any slip"),
    "request.first_approval": _("approved (first of two)"),
    "request.approved": _("approved: verified"),
    "request.rejected": _("rejected"),
    "request.edited": _("edited"),
    "request.fulfilled": _("marked fulfilled"),
    "request.cancelled": _("closed"),
    "request.reported": _("reported as scam or fake"),
    "request.escalated": _("escalated: waited too long for verification"),
}
HISTORY = _("History of {code}, oldest first:")
NO_HISTORY = _("No history is recorded for {code} yet.")
CHECKLIST = _("ward or blood bank called: {ward}; slip seen: {slip}; name matches: {name}")
SYSTEM = _("the bot")
YES_MARK, NO_MARK = "✓", "✗"

STATS = _("Statistics for {scope}:\n"
          "Requests: {requests}\n"
          "Donors by blood group: {donors}\n"
          "Median time to verify: {median}\n"
          "Lives helped (fulfilled requests): {lives}")
ALL_DISTRICTS = _("all districts")
NONE_YET = _("none yet")
MINUTES = _("{minutes} minutes")
NOTHING_VERIFIED = _("nothing verified yet")


def _detail(tr: Translator, action: str, detail: Mapping[str, Any]) -> str:
    if action == "request.edited":
        return f"{detail.get('field')}: {detail.get('old')} → {detail.get('new')}"
    if "called_ward" in detail:
        def mark(key: str) -> str:
            return YES_MARK if detail.get(key) else NO_MARK
        return tr.t(CHECKLIST, ward=mark("called_ward"), slip=mark("slip_seen"),
                    name=mark("name_matches"))
    return ""


def history_text(tr: Translator, zone: ZoneInfo, code: str, lines: Sequence[AuditLine]) -> str:
    """List who did what to a request and when; phone numbers in actors are masked."""
    if not lines:
        return tr.t(NO_HISTORY, code=code)
    rows = [tr.t(HISTORY, code=code)]
    for line in lines:
        actor = tr.t(SYSTEM) if line.actor == "system" else line.actor
        parts = [when_text(tr, zone, line.at), actor,
                 tr.t(ACTION_WORDS[line.action]) if line.action in ACTION_WORDS
                 else line.action, _detail(tr, line.action, line.detail)]
        rows.append(mask_phones_in_text(" · ".join(part for part in parts if part)))
    return "\n".join(rows)


def _counts(pairs: Sequence[tuple[str, int]]) -> str:
    return ", ".join(f"{name} {count}" for name, count in pairs if count)


def stats_text(tr: Translator, district: str | None, stats: Stats) -> str:
    """Describe requests by status, donors by group, time to verify and lives helped."""
    requests = _counts([(tr.t(word), stats.requests_by_status.get(status.value, 0))
                        for status, word in STATUS_WORDS.items()])
    donors = _counts(sorted((group_text(tr, BloodGroup.from_code(code)), count)
                            for code, count in stats.donors_by_group.items()))
    median = stats.median_minutes_to_verify
    return tr.t(STATS, scope=district or tr.t(ALL_DISTRICTS),
                requests=requests or tr.t(NONE_YET), donors=donors or tr.t(NONE_YET),
                median=tr.t(MINUTES, minutes=round(median)) if median is not None
                else tr.t(NOTHING_VERIFIED),
                lives=stats.lives_helped)
