"""After a pledge: tell the donor where to go and whom to call, and the attendant who comes.

Every phone shown to someone else is audited. The donor's phone reaches the attendant only
with the donor's consent (c); otherwise the attendant hears that a donor will call them.
"""

from __future__ import annotations

from datetime import datetime

from conversations.admin_views import when_text
from conversations.flow import Turn
from conversations.flows.request_summary import ANTI_SCAM
from conversations.i18n import Translator, _
from conversations.messages import Outbound
from conversations.relay import DONOR_HINT, FAMILY_HINT
from storage.domain.phones import mask_phones_in_text
from storage.domain.pledges import AlertView, Reveal

DIRECTIONS = _("Thank you! Please reach the hospital by {eta}.\n"
               "Request: {code}\n"
               "Hospital: {hospital}, {place}\n"
               "Ward / bed: {ward}\n"
               "Attendant: {attendant}, {phone}\n\n"
               "Call the attendant before you set out, and tell the blood bank that you are "
               "donating for {code}. Final eligibility is decided at the blood centre.\n"
               "If you cannot come after all, send /withdraw {code} so that the family can "
               "find another donor.")
WARD_NOT_GIVEN = _("ask the attendant")
DONOR_COMING = _("Good news about request {code}: {name}, a blood donor, will reach {hospital} "
                 "by {eta}. Their phone: {phone}. They have your number too: please guide "
                 "them to the blood bank.")
DONOR_COMING_PRIVATE = _("Good news about request {code}: a blood donor will reach {hospital} "
                         "by {eta}. They have your number and will call you: please keep your "
                         "phone with you.")
DONOR_WITHDREW = _("A donor who was coming for request {code} by {eta} can no longer come. We "
                   "will tell you when another donor agrees to come.")
WITHDRAWN = _("Your pledge for {code} is withdrawn and the family has been told. Thank you for "
              "letting them know.")
NO_PLEDGE = _("You have no pledge for {code} to withdraw.")
NO_LONGER_NEEDED = _("Thank you! Request {code} no longer needs donors.")


def directions(turn: Turn, code: str, eta: datetime) -> str | None:
    """Show the donor who pledged the hospital, ward and attendant's phone, and audit it."""
    contact = turn.services.broadcast.contact_for_donor(code)
    if contact is None:
        return None
    turn.services.broadcast.record_reveal(turn.address, code, Reveal.ATTENDANT_PHONE, turn.now)
    text = turn.t(DIRECTIONS, eta=when_text(Translator(turn.lang), turn.zone, eta), code=code,
                  hospital=contact.hospital_name, place=contact.place_label,
                  ward=contact.ward or turn.t(WARD_NOT_GIVEN), attendant=contact.attendant_name,
                  phone=contact.attendant_phone)
    hint = "" if _shares_phone(turn) else f"\n\n{turn.t(DONOR_HINT, code=code)}"
    return f"{text}{hint}\n\n{turn.t(ANTI_SCAM)}"


def _shares_phone(turn: Turn) -> bool:
    """Tell whether the family gets the sender's phone: they are a donor who consented (c)."""
    card = turn.services.broadcast.donor_card(turn.address)
    return card is not None and card.share_phone and bool(card.phone)


def tell_attendant_coming(turn: Turn, alert: AlertView, eta: datetime) -> None:
    """Tell the attendant a donor is coming: their first name and phone only with consent."""
    code = alert.summary.code
    contact = turn.services.admin.requester_of(code)
    if contact is None:
        return
    card = turn.services.broadcast.donor_card(turn.address)
    tr = Translator(contact.language)
    values = {"code": code, "hospital": mask_phones_in_text(alert.summary.draft.hospital_name),
              "eta": when_text(tr, turn.zone, eta)}
    if card is not None and card.share_phone and card.phone:
        turn.services.broadcast.record_reveal(turn.address, code, Reveal.DONOR_PHONE, turn.now)
        text = tr.t(DONOR_COMING, name=card.first_name, phone=card.phone, **values)
    else:
        text = f"{tr.t(DONOR_COMING_PRIVATE, **values)}\n\n{tr.t(FAMILY_HINT, code=code)}"
    turn.notify(contact.address, Outbound(f"{text}\n\n{tr.t(ANTI_SCAM)}"), kind="donor_coming")


def withdraw(turn: Turn, alert: AlertView) -> str:
    """Withdraw the donor's pledge, tell the attendant, and return the donor's reply."""
    code, eta = alert.summary.code, alert.pledged_eta
    if eta is None or not turn.services.broadcast.withdraw(turn.address, code, turn.now):
        return turn.t(NO_PLEDGE, code=code)
    contact = turn.services.admin.requester_of(code)
    if contact is not None:
        tr = Translator(contact.language)
        text = tr.t(DONOR_WITHDREW, code=code, eta=when_text(tr, turn.zone, eta))
        turn.notify(contact.address, Outbound(text), kind="donor_withdrew")
    return turn.t(WITHDRAWN, code=code)
