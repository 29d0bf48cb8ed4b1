"""Who may use which admin command; reading the codes and phones that commands name."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from conversations.admin_outcomes import NOT_FOUND, OUT_OF_SCOPE
from conversations.commands import CommandReply, SlashHandler
from conversations.flow import Turn
from conversations.i18n import _
from conversations.messages import Outbound
from conversations.text import fold
from storage.domain.admin import AdminView, Grant, Role
from storage.domain.phones import normalize_phone

EVERY_ROLE = frozenset(Role)
ADMINS = frozenset({Role.SUPER_ADMIN, Role.DISTRICT_ADMIN})
SUPER_ADMINS = frozenset({Role.SUPER_ADMIN})

COMMAND_ROLES: dict[str, frozenset[Role]] = {
    # issue 3 "Roles": a verifier checks requests in their districts; a district admin may do
    # everything there except give or take roles; a super-admin may do everything.
    "pending": EVERY_ROLE,
    "show": EVERY_ROLE,
    "approve": EVERY_ROLE,
    "reject": EVERY_ROLE,
    "edit": EVERY_ROLE,
    "audit": EVERY_ROLE,
    "fulfilled": ADMINS,
    "close": ADMINS,
    "stats": ADMINS,
    "block": ADMINS,
    "unblock": ADMINS,
    "grant": SUPER_ADMINS,
    "revoke": SUPER_ADMINS,
}
"""The roles that may use each admin command; anyone else is answered as for an unknown one."""

USAGE: dict[str, str] = {
    "show": "/show R-4821",
    "approve": "/approve R-4821",
    "reject": _("/reject R-4821 the patient is not in this hospital"),
    "edit": _("/edit R-4821 units 3"),
    "fulfilled": "/fulfilled R-4821",
    "close": "/close R-4821",
    "audit": "/audit R-4821",
    "stats": "/stats Lucknow",
    "grant": _("/grant 98123 45678 district_admin Lucknow, Kanpur Nagar"),
    "revoke": "/revoke 98123 45678",
    "block": "/block 98123 45678",
    "unblock": "/unblock 98123 45678",
    "report": _("/report R-4821 they asked me for money"),
}
"""An example of each command, shown when it is typed wrongly."""

USE_LIKE = _("Please send it like this: {usage}")
BAD_CODE = _("'{text}' is not a request code. Codes look like R-4821, for example: {usage}")
BAD_PHONE = _("'{text}' is not a mobile number I can read. For example: {usage}")

AdminCommand = Callable[[Turn, Grant, list[str]], CommandReply]
"""An admin command's body, run only for a sender whose role may use it."""

_CODE_RE = re.compile(r"#?(?:r\s*-?\s*)?(\d{4,7})")
_PHONE_WORDS = 4
"""A phone may be typed in up to four pieces: "+91 98123 45678"."""


def grant_for(turn: Turn, command: str) -> Grant | None:
    """Return the sender's grant if their role may use `command`, read afresh every time."""
    grant = turn.services.admin.grant_of(turn.address)
    if grant is None or grant.role not in COMMAND_ROLES[command]:
        return None
    return grant


def parse_code(text: str) -> str | None:
    """Read a request code typed as "R-4821", "r4821" or "4821"; return "R-4821" or None."""
    match = _CODE_RE.fullmatch(fold(text))
    return f"R-{match[1]}" if match else None


def take_phone(args: Sequence[str]) -> tuple[str | None, list[str]]:
    """Read a phone from the first words of `args`; return it in E.164 and the words after."""
    for count in range(min(_PHONE_WORDS, len(args)), 0, -1):
        phone = normalize_phone(" ".join(args[:count]))
        if phone is not None:
            return phone, list(args[count:])
    return None, list(args)


def guarded(command: str, run: AdminCommand) -> SlashHandler:
    """Run `run` for senders whose role may use `command`; others get the unknown reply."""
    def handle(turn: Turn, args: list[str]) -> CommandReply | None:
        grant = grant_for(turn, command)
        return None if grant is None else run(turn, grant, args)
    return handle


def say(*texts: str) -> CommandReply:
    """Answer a command with these texts."""
    return CommandReply(tuple(Outbound(text) for text in texts))


def usage(turn: Turn, command: str) -> CommandReply:
    """Show how `command` is typed."""
    return say(turn.t(USE_LIKE, usage=turn.t(USAGE[command])))


def find_request(turn: Turn, grant: Grant, command: str,
                 args: Sequence[str]) -> AdminView | CommandReply:
    """Return the request the first argument names, or the answer explaining why not."""
    if not args:
        return usage(turn, command)
    code = parse_code(args[0])
    if code is None:
        return say(turn.t(BAD_CODE, text=args[0], usage=turn.t(USAGE[command])))
    view = turn.services.admin.view(code)
    if view is None:
        return say(turn.t(NOT_FOUND, code=code))
    if not grant.covers(view.summary.draft.hospital_place.district):
        return say(turn.t(OUT_OF_SCOPE, code=code))
    return view
