"""Blood request steps about the attendant: name, phone number and relation to the patient."""

from __future__ import annotations

from conversations.flow import Answer, Option, Prompt, Step, Transition, Turn, retry
from conversations.flows.request_route import CONFIRM, LIMITS, checked_text, name_step, onward
from conversations.i18n import _
from storage.domain.phones import normalize_phone

ASK_NAME = _("Who is with the patient? Send the attendant's name: the volunteer and the donors "
             "will talk to this person.\nFor example: Ramesh Kumar")
NAME_EXAMPLE = _("Ramesh Kumar")
NAME_HELP = _("The attendant is the family member or friend at the hospital. The volunteer "
              "calls them to verify the request.")

ASK_PHONE = _("What is the attendant's mobile number?\nFor example: 98123 45678")
USE_THIS_NUMBER = _("Use this number ({phone})")
PHONE_HINT = _("That does not look like a valid mobile number. Please send it with 10 digits, "
               "for example 98123 45678 or +91 98123 45678.")
PHONE_HELP = _("The volunteer calls this number to verify the request, and donors who agree to "
               "come are given it. Use a number that will be answered.")

ASK_RELATION = _("How is the attendant related to the patient?")
RELATION_EXAMPLE = _("neighbour")
RELATION_TYPE_IT = _("Please type the relation in a few words, for example 'neighbour' or "
                     "'uncle'.")
RELATION_HELP = _("It helps the volunteer when they call. Choose one, or type it, for example "
                  "'uncle'.")
RELATION_OPTIONS = (
    Option("parent", _("Parent"), ("father", "mother", "papa", "mummy", "maa", "pita", "mata")),
    Option("child", _("Son or daughter"), ("son", "daughter", "child", "beta", "beti")),
    Option("spouse", _("Husband or wife"), ("husband", "wife", "spouse", "pati", "patni")),
    Option("sibling", _("Brother or sister"), ("brother", "sister", "bhai", "behen", "bahan")),
    Option("relative", _("Other relative"), ("relative", "rishtedar")),
    Option("friend", _("Friend"), ("friend", "dost", "mitra")),
    Option("other", _("Other"), ("other",)),
)


def _channel_phone(turn: Turn) -> str | None:
    """Return the sender's own number as the channel gave it, in E.164, if known."""
    return normalize_phone(turn.inbound.phone) if turn.inbound.phone else None


def ask_phone(turn: Turn) -> Prompt:
    """Ask for the number, offering the sender's own when the channel knows it."""
    own = _channel_phone(turn)
    if own is None:
        return Prompt(turn.t(ASK_PHONE), ask_phone=True)
    mine = Option("self", turn.t(USE_THIS_NUMBER, phone=own), ("this", "same", "mine"))
    return Prompt(turn.t(ASK_PHONE), (mine,), free_text=True)


def on_phone(turn: Turn, answer: Answer) -> Transition:
    """Store the number in E.164 and ask the relation."""
    if answer.choice == "self":
        phone = _channel_phone(turn)
    else:
        # What the user typed wins: the channel's number is only used when nothing was typed
        # (a shared contact card arrives with no text).
        phone = normalize_phone(answer.text or answer.phone or "")
    if phone is None:
        return retry(turn.t(PHONE_HINT))
    turn.data["attendant_phone"] = phone
    return onward(turn, "attendant_relation")


def ask_relation(turn: Turn) -> Prompt:
    """Ask how the attendant is related to the patient."""
    return Prompt(turn.t(ASK_RELATION), RELATION_OPTIONS, free_text=True)


def on_relation(turn: Turn, answer: Answer) -> Transition:
    """Store the relation (a choice's key or the typed words) and show the summary."""
    if answer.choice == "other":
        return retry(turn.t(RELATION_TYPE_IT))
    relation = answer.choice or checked_text(
        turn, answer.text, limit=LIMITS.relation_chars, example=RELATION_EXAMPLE, letters=True)
    if not isinstance(relation, str):
        return relation
    turn.data["attendant_relation"] = relation
    return onward(turn, CONFIRM)


STEPS = (
    name_step("attendant_name", ask=ASK_NAME, example=NAME_EXAMPLE, then="attendant_phone",
              help_text=NAME_HELP),
    Step("attendant_phone", ask_phone, on_phone, PHONE_HELP),
    Step("attendant_relation", ask_relation, on_relation, RELATION_HELP),
)
