"""Messages to people other than the sender: alerts to admins, news to requesters."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from conversations.admin_views import SECOND_CHECK, brief_text, reasons_text
from conversations.flow import Turn
from conversations.i18n import Translator, _
from conversations.messages import Choice, Notification, Outbound
from storage.domain.admin import AdminView, Contact

NEW_REQUEST = _("New blood request waiting for verification:\n{brief}")
ALERT_COMMANDS = _("Send /show {code} for the details and the attendant's number, /approve "
                   "{code} to verify it, or /reject {code} followed by the reason.")
SLIP_WAITING = _("📎 The family sent a photo of the requisition slip: /show {code} sends it "
                 "to you.")
STILL_PENDING = _("Still waiting for verification after {minutes} minutes. A family is "
                  "waiting: please check it now.\n{brief}")
TIER_LIMIT = _("WhatsApp's daily limit for new conversations has been reached. Donor alerts on "
               "WhatsApp are paused until {time} on {date}; Telegram alerts continue. Please "
               "call the most urgent donors or post in your WhatsApp groups (/forward CODE).")
SECOND_APPROVAL = _("{code} has one approval and needs a second, different admin because of "
                    "{reasons}.\n{brief}\nSend /show {code} for the details, then /approve "
                    "{code}.")


def _commands(code: str, *names: str) -> tuple[Choice, ...]:
    return tuple(Choice(f"/{name} {code}", f"/{name} {code}") for name in names)


def alert_new_request(turn: Turn, view: AdminView) -> None:
    """Alert the district's admins (else the super-admins) to a new request, without phones."""
    summary = view.summary
    for contact in turn.services.admin.admins_to_alert(summary.draft.hospital_place.district):
        tr = Translator(contact.language)
        parts = [tr.t(NEW_REQUEST, brief=brief_text(tr, turn.zone, summary))]
        if view.second_check:
            parts.append(tr.t(SECOND_CHECK, reasons=reasons_text(tr, view.second_check)))
        if summary.draft.slip is not None:
            parts.append(tr.t(SLIP_WAITING, code=summary.code))
        parts.append(tr.t(ALERT_COMMANDS, code=summary.code))
        message = Outbound("\n".join(parts), _commands(summary.code, "approve", "reject", "show"),
                           choices_are_commands=True)
        turn.notify(contact.address, message, kind="admin_alert",
                    idempotency_key=f"{summary.code}:admin_alert:{contact.address.key}")


def alert_second_check(turn: Turn, view: AdminView) -> int:
    """Ask the district's other admins for the second approval; return how many were asked."""
    summary, asked = view.summary, 0
    admin = turn.services.admin
    others = [c for c in admin.admins_to_alert(summary.draft.hospital_place.district)
              if c.address != turn.address]
    if not others:  # the district's only admin approved first: widen to the super-admins
        others = [c for c in admin.super_admins() if c.address != turn.address]
    for contact in others:
        tr = Translator(contact.language)
        text = tr.t(SECOND_APPROVAL, code=summary.code, brief=brief_text(tr, turn.zone, summary),
                    reasons=reasons_text(tr, view.second_check))
        message = Outbound(text, _commands(summary.code, "approve", "show"),
                           choices_are_commands=True)
        turn.notify(contact.address, message, kind="admin_second_check",
                    idempotency_key=f"{summary.code}:second_check:{contact.address.key}")
        asked += 1
    return asked


def escalation_notices(view: AdminView, contacts: list[Contact], zone: ZoneInfo,
                       minutes: int) -> list[Notification]:
    """Raise a request still pending after `minutes` again, to each contact in their language."""
    summary = view.summary
    notices = []
    for contact in contacts:
        tr = Translator(contact.language)
        text = "\n".join([tr.t(STILL_PENDING, minutes=minutes,
                               brief=brief_text(tr, zone, summary)),
                          tr.t(ALERT_COMMANDS, code=summary.code)])
        message = Outbound(text, _commands(summary.code, "approve", "reject", "show"),
                           choices_are_commands=True)
        notices.append(Notification(contact.address, message, "admin_escalation",
                                    f"{summary.code}:admin_escalation:{contact.address.key}"))
    return notices


def tier_limit_notices(contacts: list[Contact], until: datetime,
                       zone: ZoneInfo) -> list[Notification]:
    """Tell admins WhatsApp's daily limit was reached and alerts wait until `until`."""
    notices = []
    for contact in contacts:
        tr = Translator(contact.language)
        local = until.astimezone(zone)
        text = tr.t(TIER_LIMIT, time=f"{local:%H:%M}", date=f"{local:%d.%m.%Y}")
        notices.append(Notification(contact.address, Outbound(text), "admin_notice",
                                    f"whatsapp_tier:{until.date()}:{contact.address.key}"))
    return notices


def tell_requester(turn: Turn, code: str, render: Callable[[Translator], str], *,
                   kind: str, once: bool = True) -> None:
    """Send the person who filed `code` a message rendered in the request's language.

    With `once`, a second message of the same kind about the same request is never queued.
    """
    contact = turn.services.admin.requester_of(code)
    if contact is None:
        return
    key = f"{code}:{kind}:{contact.address.key}" if once else None
    turn.notify(contact.address, Outbound(render(Translator(contact.language))), kind=kind,
                idempotency_key=key)
