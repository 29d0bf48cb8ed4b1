"""Admin commands on requests: /pending, /show, /approve, /reject, /fulfilled, /close, /audit.

`ADMIN_COMMANDS` holds every admin command (and /report, open to anyone); the roles that may
use each are in `conversations.admin_access.COMMAND_ROLES`.
"""

from __future__ import annotations

from conversations.admin_access import (
    AdminCommand,
    find_request,
    guarded,
    say,
    usage,
)
from conversations.admin_edit import edit
from conversations.admin_notices import tell_requester
from conversations.admin_outcomes import refusal_text
from conversations.admin_records import history_text
from conversations.admin_team import TEAM_COMMANDS, report
from conversations.admin_views import (
    SECOND_CHECK,
    brief_text,
    details_text,
    pending_line,
    reasons_text,
    slip_message,
)
from conversations.commands import CommandReply, SlashHandler
from conversations.flow import Turn
from conversations.i18n import Translator, _
from conversations.messages import Outbound
from storage.domain.admin import ActionResult, Grant, Outcome, Role
from storage.domain.phones import mask_phones_in_text
from storage.domain.records import RequestStatus

PENDING_SHOWN = 20  # our choice: one message an admin can read on a phone
REASON_CHARS = 300  # our choice: a reason is a sentence or two

PENDING_HEAD = _("Waiting for an admin, oldest first ({count}):")
PENDING_NONE = _("Nothing is waiting for verification in your districts.")
PENDING_MORE = _("…and {count} more.")
PENDING_FOOT = _("Send /show CODE for the details of one.")
SHOW_NEXT = _("Next: /approve {code} · /reject {code} REASON · /edit {code} FIELD VALUE · "
              "/audit {code}")
APPROVING = _("Approving {brief}")
REASON_TOO_LONG = _("Please keep the reason within {limit} characters.")
REJECTED = _("{code} is rejected. The requester has been told the reason.")
REQUESTER_REJECTED = _("Your request {code} was not accepted by our volunteers. Reason: "
                       "{reason}\nIf a detail was wrong, you can file a new request with the "
                       "correct details. If the patient needs blood urgently, please also contact "
                       "the hospital's blood bank.")
FULFILLED = _("{code} is marked fulfilled. Thank you!")
CLOSED = _("{code} is closed.")


def pending(turn: Turn, grant: Grant, _args: list[str]) -> CommandReply:
    """List the requests waiting in the admin's districts, oldest first, without phones."""
    views = turn.services.admin.pending(
        None if grant.role is Role.SUPER_ADMIN else grant.districts)
    if not views:
        return say(turn.t(PENDING_NONE))
    tr = Translator(turn.lang)
    lines = [turn.t(PENDING_HEAD, count=len(views))]
    lines += [pending_line(tr, turn.zone, view) for view in views[:PENDING_SHOWN]]
    if len(views) > PENDING_SHOWN:
        lines.append(turn.t(PENDING_MORE, count=len(views) - PENDING_SHOWN))
    return say("\n".join(lines), turn.t(PENDING_FOOT))


def show(turn: Turn, grant: Grant, args: list[str]) -> CommandReply:
    """Show every detail of a request, the phone and the slip photo included; audit the view.

    The slip comes as its own photo (or PDF) message, so that a volunteer sees the paper
    itself; one audit entry records that the details, phone and slip were shown.
    """
    view = find_request(turn, grant, "show", args)
    if isinstance(view, CommandReply):
        return view
    code, tr = view.summary.code, Translator(turn.lang)
    turn.services.admin.record_reveal(code, turn.address, turn.now)
    slip = slip_message(tr, view)
    return CommandReply((Outbound(details_text(tr, turn.zone, view)),
                         *((slip,) if slip is not None else ()),
                         Outbound(turn.t(SHOW_NEXT, code=code))))


def approve(turn: Turn, grant: Grant, args: list[str]) -> CommandReply:
    """Open the approval checklist for a request that this admin may still approve."""
    view = find_request(turn, grant, "approve", args)
    if isinstance(view, CommandReply):
        return view
    summary, tr = view.summary, Translator(turn.lang)
    status = summary.status
    if status is not RequestStatus.PENDING_VERIFICATION:
        outcome = Outcome.ALREADY_DONE if status.is_open else Outcome.WRONG_STATE
    else:
        outcome = Outcome.SAME_ADMIN if grant.phone in view.approvals else Outcome.DONE
    refused = refusal_text(tr, "approve", summary.code, ActionResult(outcome, summary, status),
                           approved_by_me=grant.phone in view.approvals)
    if refused is not None:
        return say(refused)
    texts = [turn.t(APPROVING, brief=brief_text(tr, turn.zone, summary))]
    if view.second_check:
        texts.append(turn.t(SECOND_CHECK, reasons=reasons_text(tr, view.second_check)))
    return CommandReply((Outbound("\n".join(texts)),), enter="approve",
                        data={"code": summary.code})


def reject(turn: Turn, grant: Grant, args: list[str]) -> CommandReply:
    """Reject a request with a reason, and tell the requester the reason."""
    view = find_request(turn, grant, "reject", args)
    if isinstance(view, CommandReply):
        return view
    reason = " ".join(args[1:])
    if not reason:
        return usage(turn, "reject")
    if len(reason) > REASON_CHARS:
        return say(turn.t(REASON_TOO_LONG, limit=REASON_CHARS))
    code = view.summary.code
    result = turn.services.admin.reject(code, turn.address, reason, turn.now)
    refused = refusal_text(Translator(turn.lang), "reject", code, result)
    if refused is not None:
        return say(refused)
    shown = mask_phones_in_text(reason)  # DESIGN.md: never pass on someone else's number
    tell_requester(turn, code, lambda tr: tr.t(REQUESTER_REJECTED, code=code, reason=shown),
                   kind="request_rejected")
    return say(turn.t(REJECTED, code=code))


def _move(command: str, done: str) -> AdminCommand:
    """Build /fulfilled or /close: move the request and say so, or say why not."""
    def run(turn: Turn, grant: Grant, args: list[str]) -> CommandReply:
        view = find_request(turn, grant, command, args)
        if isinstance(view, CommandReply):
            return view
        code, admin = view.summary.code, turn.services.admin
        result = (admin.mark_fulfilled if command == "fulfilled" else admin.close)(
            code, turn.address, turn.now)
        refused = refusal_text(Translator(turn.lang), command, code, result)
        return say(refused or turn.t(done, code=code))
    return run


def audit(turn: Turn, grant: Grant, args: list[str]) -> CommandReply:
    """Show a request's history: every admin action and every view of the phone."""
    view = find_request(turn, grant, "audit", args)
    if isinstance(view, CommandReply):
        return view
    code = view.summary.code
    return say(history_text(Translator(turn.lang), turn.zone, code,
                            turn.services.admin.history(code)))


REQUEST_COMMANDS: dict[str, AdminCommand] = {
    "pending": pending, "show": show, "approve": approve, "reject": reject, "edit": edit,
    "fulfilled": _move("fulfilled", FULFILLED), "close": _move("close", CLOSED),
    "audit": audit,
}

ADMIN_COMMANDS: dict[str, SlashHandler] = {
    **{name: guarded(name, run) for name, run in {**REQUEST_COMMANDS, **TEAM_COMMANDS}.items()},
    "report": report,
}
"""Every slash command this module family answers, by name."""
