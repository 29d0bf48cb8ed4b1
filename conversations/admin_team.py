"""Commands about people and numbers: /grant, /revoke, /block, /unblock, /stats and /report."""

from __future__ import annotations

from conversations.admin_access import (
    BAD_CODE,
    BAD_PHONE,
    USAGE,
    AdminCommand,
    parse_code,
    say,
    take_phone,
    usage,
)
from conversations.admin_outcomes import NOT_FOUND
from conversations.admin_records import stats_text
from conversations.commands import CommandReply
from conversations.flow import Turn
from conversations.i18n import Translator, _
from conversations.text import fold
from storage.domain.admin import Grant, Role

REPORT_CHARS = 500  # our choice: room for what happened, not for a whole chat

ROLE_WORDS: dict[str, Role] = {
    "super_admin": Role.SUPER_ADMIN, "superadmin": Role.SUPER_ADMIN, "super": Role.SUPER_ADMIN,
    "district_admin": Role.DISTRICT_ADMIN, "districtadmin": Role.DISTRICT_ADMIN,
    "district": Role.DISTRICT_ADMIN, "admin": Role.DISTRICT_ADMIN, "verifier": Role.VERIFIER,
}
ROLE_NAMES: dict[Role, str] = {
    Role.SUPER_ADMIN: _("a super-admin"), Role.DISTRICT_ADMIN: _("a district admin"),
    Role.VERIFIER: _("a verifier"),
}
UNKNOWN_ROLE = _("'{role}' is not a role. Roles: super_admin, district_admin, verifier. For "
                 "example: {usage}")
NEEDS_DISTRICT = _("A district admin or verifier needs at least one district. For example: "
                   "{usage}")
UNKNOWN_DISTRICT = _("I could not find the district '{name}'. Separate several districts with "
                     "commas, for example: {usage}")
NOT_YOURSELF = _("You cannot change your own role; ask another super-admin.")
GRANTED = _("{phone} is now {role}.")
GRANTED_IN = _("{phone} is now {role} for {districts}.")
REVOKED = _("{phone} is no longer an admin.")
WAS_NO_ADMIN = _("{phone} had no admin role; nothing changed.")
BLOCKED = _("{phone} is blocked: it can no longer sign up or file requests, and gets a neutral "
            "reply.")
WAS_BLOCKED = _("{phone} was already blocked.")
UNBLOCKED = _("{phone} is unblocked.")
WAS_NOT_BLOCKED = _("{phone} was not blocked; nothing changed.")
NOT_YOUR_DISTRICT = _("{district} is not one of your districts.")
REPORT_TOO_LONG = _("Please keep the report within {limit} characters.")
REPORTED = _("Thank you. Your report about {code} is recorded, and a volunteer will look into "
             "it. Never pay anyone for blood.")


def _district(turn: Turn, name: str) -> str | None:
    place = turn.services.resolve_place(name)
    return place.district if place is not None else None


def grant(turn: Turn, mine: Grant, args: list[str]) -> CommandReply:
    """Give a phone a role, with its districts (names are separated by commas)."""
    phone, rest = take_phone(args)
    if args and phone is None:
        return say(turn.t(BAD_PHONE, text=args[0], usage=turn.t(USAGE["grant"])))
    if phone is None or not rest:
        return usage(turn, "grant")
    role = ROLE_WORDS.get(fold(rest[0]).replace("-", "_"))
    if role is None:
        return say(turn.t(UNKNOWN_ROLE, role=rest[0], usage=turn.t(USAGE["grant"])))
    if phone == mine.phone:
        return say(turn.t(NOT_YOURSELF))
    names = [name.strip() for name in " ".join(rest[1:]).split(",") if name.strip()]
    if role is not Role.SUPER_ADMIN and not names:
        return say(turn.t(NEEDS_DISTRICT, usage=turn.t(USAGE["grant"])))
    districts: list[str] = []
    for name in names if role is not Role.SUPER_ADMIN else []:
        district = _district(turn, name)
        if district is None:
            return say(turn.t(UNKNOWN_DISTRICT, name=name, usage=turn.t(USAGE["grant"])))
        districts.append(district)
    turn.services.admin.grant(Grant(phone, role, frozenset(districts)), turn.address, turn.now)
    if not districts:
        return say(turn.t(GRANTED, phone=phone, role=turn.t(ROLE_NAMES[role])))
    return say(turn.t(GRANTED_IN, phone=phone, role=turn.t(ROLE_NAMES[role]),
                      districts=", ".join(sorted(set(districts)))))


def _phone_command(command: str, done: str, unchanged: str) -> AdminCommand:
    """Build /revoke, /block or /unblock: one phone, one change, a sentence either way."""
    def run(turn: Turn, grant: Grant, args: list[str]) -> CommandReply:
        phone, rest = take_phone(args)
        if not args:
            return usage(turn, command)
        if phone is None or rest:
            return say(turn.t(BAD_PHONE, text=" ".join(args), usage=turn.t(USAGE[command])))
        if command == "revoke" and phone == grant.phone:
            return say(turn.t(NOT_YOURSELF))
        admin = turn.services.admin
        change = {"revoke": admin.revoke, "block": admin.block, "unblock": admin.unblock}
        changed = change[command](phone, turn.address, turn.now)
        return say(turn.t(done if changed else unchanged, phone=phone))
    return run


def stats(turn: Turn, grant: Grant, args: list[str]) -> CommandReply:
    """Show the counts for one district, or for every district the admin covers."""
    tr = Translator(turn.lang)
    if args:
        name = " ".join(args)
        district = _district(turn, name)
        if district is None:
            return say(turn.t(UNKNOWN_DISTRICT, name=name, usage=USAGE["stats"]))
        if not grant.covers(district):
            return say(turn.t(NOT_YOUR_DISTRICT, district=district))
        return say(stats_text(tr, district, turn.services.admin.stats(district)))
    if grant.role is Role.SUPER_ADMIN:
        return say(stats_text(tr, None, turn.services.admin.stats(None)))
    return say(*(stats_text(tr, d, turn.services.admin.stats(d)) for d in sorted(grant.districts)))


def report(turn: Turn, args: list[str]) -> CommandReply:
    """Record anyone's report of a scam or a fake request; admins see it in /pending."""
    if not args:
        return usage(turn, "report")
    code = parse_code(args[0])
    if code is None:
        return say(turn.t(BAD_CODE, text=args[0], usage=turn.t(USAGE["report"])))
    text = " ".join(args[1:])
    if len(text) > REPORT_CHARS:
        return say(turn.t(REPORT_TOO_LONG, limit=REPORT_CHARS))
    if not turn.services.admin.report(code, turn.address, text, turn.now):
        return say(turn.t(NOT_FOUND, code=code))
    return say(turn.t(REPORTED, code=code))


TEAM_COMMANDS: dict[str, AdminCommand] = {
    "grant": grant,
    "revoke": _phone_command("revoke", REVOKED, WAS_NO_ADMIN),
    "block": _phone_command("block", BLOCKED, WAS_BLOCKED),
    "unblock": _phone_command("unblock", UNBLOCKED, WAS_NOT_BLOCKED),
    "stats": stats,
}
