"""Donor commands: /respond answers an alert, /withdraw takes back a pledge (anyone may send)."""

from __future__ import annotations

from conversations.admin_access import BAD_CODE, USE_LIKE, parse_code, say
from conversations.alerts import ANSWERS, RESPOND, WITHDRAW
from conversations.commands import CommandReply, SlashHandler
from conversations.flow import Turn
from conversations.flows.request_summary import STATUS_LABELS
from conversations.i18n import _
from conversations.pledge_notices import NO_PLEDGE, withdraw
from conversations.relay import RELAY, relay
from conversations.text import fold
from storage.domain.pledges import Volunteering

USAGE = {RESPOND: "/respond R-4821", WITHDRAW: "/withdraw R-4821"}
REFUSALS: dict[Volunteering, str] = {
    Volunteering.NOT_FOUND: _("I found no request {code}. Please check the code and send it "
                              "again."),
    Volunteering.NOT_A_DONOR: _(
        "Request {code} is answered by registered blood donors. To help, and to get alerts "
        "about patients near you, register as a donor: send 'menu' and choose 'Register as a "
        "blood donor'. Thank you for wanting to help!"),
    Volunteering.NOT_NEEDED: _("Request {code} is not looking for donors now. Thank you for "
                               "wanting to help!"),
    Volunteering.WRONG_GROUP: _("Thank you! Request {code} needs a blood group that yours "
                                "cannot give to, so please do not go. We will alert you when "
                                "your group is needed."),
    Volunteering.NOT_ELIGIBLE: _(
        "Thank you! From your profile, you cannot donate by the time request {code} needs "
        "blood. Final eligibility is decided at the blood centre. If your profile is out of "
        "date, update it under 'My profile' in the menu."),
}
"""Why someone who was not alerted about a request cannot answer it."""
YOUR_REQUEST = _("Your request {code}: {status}.")
ANSWER_WORDS = {word for word, _label in ANSWERS}


def _code(turn: Turn, command: str, args: list[str]) -> str | CommandReply:
    """Read the request code of the first argument, or explain how to type the command."""
    if not args:
        return say(turn.t(USE_LIKE, usage=USAGE[command]))
    code = parse_code(args[0])
    if code is None:
        return say(turn.t(BAD_CODE, text=args[0], usage=USAGE[command]))
    return code


def respond(turn: Turn, args: list[str]) -> CommandReply:
    """Open the respond flow for a donor who was alerted or may give; tell others why not."""
    code = _code(turn, RESPOND, args)
    if isinstance(code, CommandReply):
        return code
    broadcast = turn.services.broadcast
    if broadcast.alert_for(turn.address, code) is None:
        mine = [s for s in turn.services.requests_by(turn.address) if s.code == code]
        if mine:  # the family asking about their own request
            return say(turn.t(YOUR_REQUEST, code=code, status=turn.t(STATUS_LABELS[
                mine[0].status])))
        came = broadcast.volunteer(turn.address, code, turn.now, turn.zone)
        if came is not Volunteering.ACCEPTED:
            return say(turn.t(REFUSALS[came], code=code))
    answer = fold(args[1]) if len(args) > 1 else ""
    data = {"code": code, **({"answer": answer} if answer in ANSWER_WORDS else {})}
    return CommandReply(enter="respond", data=data)


def withdraw_pledge(turn: Turn, args: list[str]) -> CommandReply:
    """Withdraw the sender's pledge for a request and tell the attendant."""
    code = _code(turn, WITHDRAW, args)
    if isinstance(code, CommandReply):
        return code
    alert = turn.services.broadcast.alert_for(turn.address, code)
    if alert is None or alert.pledged_eta is None:
        return say(turn.t(NO_PLEDGE, code=code))
    return say(withdraw(turn, alert))


DONOR_COMMANDS: dict[str, SlashHandler] = {RESPOND: respond, WITHDRAW: withdraw_pledge,
                                           RELAY: relay}
"""The commands any user may send about alerts and pledges (and the relay between them)."""
