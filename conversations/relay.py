"""The relay: `/msg R-4821 text` passes a message between a donor who pledged and the family.

Issue 4: the attendant gets a donor's phone only with the donor's consent; otherwise the bot
relays messages between them. Phone numbers in a relayed text are masked unless the sender
is a donor who consented to share theirs; each relay is audited, its text never kept.
"""

from __future__ import annotations

from conversations.admin_access import BAD_CODE, USE_LIKE, parse_code, say
from conversations.commands import CommandReply
from conversations.flow import Turn
from conversations.flows.request_summary import ANTI_SCAM
from conversations.i18n import Translator, _
from conversations.messages import Outbound
from storage.domain.admin import Contact
from storage.domain.phones import mask_phones_in_text
from storage.domain.relay import RelayRoute, RelaySide

RELAY = "msg"
"""The slash command that relays a message: `/msg R-4821 your text`."""
USAGE = _("/msg R-4821 your message")
FROM_DONOR = _("Message from the donor for {code}: {text}")
FROM_FAMILY = _("Message from the family for {code}: {text}")
HOW_TO_ANSWER = _("To answer, send /msg {code} followed by your message.")
SENT_TO_FAMILY = _("Your message about {code} was passed on to the family.")
SENT_TO_DONORS = _("Your message about {code} was passed on to the donors coming for it "
                   "({count}).")
DONOR_HINT = _("Your number is not shared with the family. To write to them through me, send "
               "/msg {code} followed by your message.")
FAMILY_HINT = _("To write to the donor through me, send /msg {code} followed by your message.")
PHONES_HIDDEN = _("Phone numbers in it were hidden.")
NOT_A_PARTY = _("I can pass on messages about {code} only between the family and a donor who "
                "has promised to come. Please check the code.")


def message_text(text: str) -> str:
    """Return what follows the command and the code, keeping the sender's line breaks."""
    parts = text.strip().split(None, 2)
    return parts[2].strip() if len(parts) == 3 else ""


def relayed(contact: Contact, route: RelayRoute, text: str) -> Outbound:
    """Render a relayed message in the recipient's language, with how to answer it."""
    tr = Translator(contact.language)
    said = FROM_DONOR if route.sender is RelaySide.DONOR else FROM_FAMILY
    lines = [tr.t(said, code=route.code, text=text), tr.t(HOW_TO_ANSWER, code=route.code)]
    if route.sender is RelaySide.DONOR:  # money demands reach families, not donors
        lines.append(tr.t(ANTI_SCAM))
    return Outbound("\n\n".join(lines))


def relay(turn: Turn, args: list[str]) -> CommandReply:
    """Pass the sender's message to the other side of their pledge, masked and audited."""
    text = message_text(turn.inbound.text)
    code = parse_code(args[0]) if args else None
    if not args or not text:
        return say(turn.t(USE_LIKE, usage=turn.t(USAGE)))
    if code is None:
        return say(turn.t(BAD_CODE, text=args[0], usage=turn.t(USAGE)))
    route = turn.services.broadcast.relay_route(turn.address, code)
    if route is None:
        return say(turn.t(NOT_A_PARTY, code=code))
    shown = text if route.shows_phones else mask_phones_in_text(text)
    for contact in route.recipients:
        turn.notify(contact.address, relayed(contact, route, shown), kind="relay",
                    idempotency_key=f"relay:{turn.address.key}:{turn.inbound.external_id}:"
                                    f"{contact.address.key}")
    turn.services.broadcast.record_relay(turn.address, route, turn.now)
    done = (turn.t(SENT_TO_FAMILY, code=code) if route.sender is RelaySide.DONOR
            else turn.t(SENT_TO_DONORS, code=code, count=len(route.recipients)))
    return say(done if shown == text else f"{done} {turn.t(PHONES_HIDDEN)}")
