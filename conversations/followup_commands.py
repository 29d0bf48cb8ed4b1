"""Follow-up commands: outcome answers, the attendant's lifecycle commands, groups, /forward.

The scheduled questions carry these as command buttons ("/donated R-4821"), so the answer
needs no open flow. Anything a sender may not use is answered as an unknown command, or
not at all when it was sent in a group.
"""

from __future__ import annotations

from conversations.admin_access import parse_code, say
from conversations.commands import CommandReply, SlashHandler
from conversations.flow import Turn
from conversations.followups import (
    CANCELLED_DONE,
    FULFILLED_DONE,
    KEEP_LOOKING,
    NOTED,
    RESUMED,
    group_post,
    short_time,
    thanks_text,
)
from conversations.i18n import Translator, _
from conversations.messages import Outbound
from storage.domain.records import RequestStatus

NOT_ASKED = _("I have no open question about {code} for you.")
REGISTER_USAGE = _("Send this in the group itself: /registergroup Lucknow (a district) or "
                   "/registergroup 226001 15 (a PIN code and a radius in km).")
UNKNOWN_AREA = _("I could not find '{text}'. Send a district name or a 6-digit PIN code.")
GROUP_REGISTERED = _("This group will now get verified blood requests for {area}.")
GROUP_STOPPED = _("This group will no longer get blood requests.")
FORWARD_USAGE = _("Send /forward with a verified request's code, e.g. /forward R-4821: you get "
                  "a text without phone numbers to paste into WhatsApp groups.")
MAX_GROUP_RADIUS_KM = 100.0  # ours: wider than the last broadcast wave (50 km) helps no one


def _code(args: list[str]) -> str | None:
    return parse_code(args[0]) if args else None


def _outcome(donated: bool) -> SlashHandler:
    def handle(turn: Turn, args: list[str]) -> CommandReply | None:
        code = _code(args)
        if code is None:
            return None
        answer = turn.services.followups.answer_outcome(code, turn.address, donated, turn.now,
                                                        turn.zone)
        if answer is None:
            return say(turn.t(NOT_ASKED, code=code))
        if not donated:
            return say(turn.t(NOTED, code=code))
        return say(thanks_text(Translator(turn.lang), code, answer.hospital,
                               answer.eligible_again))
    return handle


def _attendant_outcome(donated: bool) -> SlashHandler:
    def handle(turn: Turn, args: list[str]) -> CommandReply | None:
        code = _code(args)
        if code is None or len(args) < 2 or not args[1].isdigit():
            return None
        answer = turn.services.followups.answer_outcome(code, turn.address, donated, turn.now,
                                                        turn.zone, donor_person=int(args[1]))
        if answer is None:
            return say(turn.t(NOT_ASKED, code=code))
        if donated and answer.donor is not None:
            text = thanks_text(Translator(answer.donor_language), code, answer.hospital,
                               answer.eligible_again)
            turn.notify(answer.donor, Outbound(text), kind="donation_thanks",
                        idempotency_key=f"{code}:thanks:{answer.donor.key}")
        return say(turn.t(NOTED, code=code))
    return handle


def still_needed(turn: Turn, args: list[str]) -> CommandReply | None:
    """Keep the attendant's request open for longer and broadcast again."""
    code = _code(args)
    if code is None:
        return None
    until = turn.services.followups.still_needed(code, turn.address, turn.now)
    if until is None:
        return say(turn.t(NOT_ASKED, code=code))
    return say(turn.t(KEEP_LOOKING, code=code, when=short_time(until, turn.zone, turn.lang)))


def _close(status: RequestStatus, done: str) -> SlashHandler:
    def handle(turn: Turn, args: list[str]) -> CommandReply | None:
        code = _code(args)
        if code is None:
            return None
        closed = turn.services.followups.close_by_requester(code, turn.address, status,
                                                            turn.now)
        return say(turn.t(done if closed else NOT_ASKED, code=code))
    return handle


def resume(turn: Turn, args: list[str]) -> CommandReply | None:
    """Lift the sender's alert pause."""
    if not turn.services.followups.resume_alerts(turn.address):
        return None
    return say(turn.t(RESUMED))


def _refused(turn: Turn) -> CommandReply | None:
    """Answer a sender who may not manage groups: silence in a group, as unknown elsewhere.

    The bot ignores everything else said in groups, so silence is what a stranger's command
    gets there; answering in their private chat would surprise them (or fail: a stranger
    may never have started the bot).
    """
    return None if turn.inbound.group is None else CommandReply()


def register_group(turn: Turn, args: list[str]) -> CommandReply | None:
    """Register the group the command was sent in to a district or a PIN and radius."""
    grant = turn.services.admin.grant_of(turn.address)
    if grant is None:
        return _refused(turn)
    group = turn.inbound.group  # set by the channel only: typing a chat id names no group
    if group is None or not args:
        return say(turn.t(REGISTER_USAGE))
    radius = None
    if len(args) >= 2 and args[0].isdigit() and args[1].replace(".", "", 1).isdigit():
        radius = min(float(args[1]), MAX_GROUP_RADIUS_KM)
        args = args[:1]
    place = turn.services.resolve_place(" ".join(args))
    tr = Translator(turn.lang)
    if place is None or not grant.covers(place.district):
        turn.notify(group, Outbound(tr.t(UNKNOWN_AREA, text=" ".join(args))), kind="group")
        return CommandReply()
    turn.services.followups.register_group(group, place, radius, turn.address, turn.now)
    area = place.label if radius is None else f"{place.label} + {radius:g} km"
    turn.notify(group, Outbound(tr.t(GROUP_REGISTERED, area=area)), kind="group")
    return CommandReply()


def unregister_group(turn: Turn, args: list[str]) -> CommandReply | None:
    """Stop posting to the group the command was sent in."""
    if turn.services.admin.grant_of(turn.address) is None:
        return _refused(turn)
    group = turn.inbound.group
    if group is None:
        return say(turn.t(REGISTER_USAGE))
    if turn.services.followups.unregister_group(group, turn.address, turn.now):
        turn.notify(group, Outbound(turn.t(GROUP_STOPPED)), kind="group")
    return CommandReply()


def forward(turn: Turn, args: list[str]) -> CommandReply | None:
    """Give an admin a phone-free text about a verified request to paste into groups."""
    grant = turn.services.admin.grant_of(turn.address)
    code = _code(args)
    if grant is None or code is None:
        return None if grant is None else say(turn.t(FORWARD_USAGE))
    view = turn.services.admin.view(code)
    if view is None or not grant.covers(view.summary.draft.hospital_place.district):
        return say(turn.t(NOT_ASKED, code=code))
    return CommandReply((group_post(view.summary, turn.zone),))


FOLLOWUP_COMMANDS: dict[str, SlashHandler] = {
    "donated": _outcome(True),
    "notdonated": _outcome(False),
    "donorcame": _attendant_outcome(True),
    "noshow": _attendant_outcome(False),
    "stillneeded": still_needed,
    "gotblood": _close(RequestStatus.FULFILLED, FULFILLED_DONE),
    "notneeded": _close(RequestStatus.CANCELLED, CANCELLED_DONE),
    "resume": resume,
    "registergroup": register_group,
    "unregistergroup": unregister_group,
    "forward": forward,
}
"""Every follow-up command by name, for `conversations.registry`."""
