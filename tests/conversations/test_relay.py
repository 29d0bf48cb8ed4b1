"""The relay: a donor whose number stays private and the family write through the bot."""

from __future__ import annotations

from tests.conversations.admin_chat import FAMILY, sent_to
from tests.conversations.chat import Chat
from tests.conversations.donor_chat import actions, donor, verified

OTHER_PHONE = "98765 43210"


def pledged(share: bool = False, lang: str = "en") -> tuple[Chat, Chat, str]:
    """Return a donor who pledged for a verified request, the family's chat, and the code."""
    services, code = verified()
    asha = donor(services, code, share=share, lang=lang)
    asha.say(f"/respond {code} yes", "1")
    return asha, Chat(services, user=FAMILY.user_id), code


def test_after_a_private_pledge_each_side_is_told_how_to_write() -> None:
    services, code = verified()
    asha = donor(services, code, share=False)
    said = asha.say(f"/respond {code} yes", "1")
    assert "Your number is not shared with the family" in said and f"/msg {code}" in said
    [(_family, heard)] = sent_to(asha)
    assert f"To write to the donor through me, send /msg {code}" in heard


def test_the_donors_message_reaches_the_family_with_phones_hidden() -> None:
    asha, _family, code = pledged(share=False)
    said = asha.say(f"/msg {code} Reaching at 3.\nCall my brother on {OTHER_PHONE}")
    assert "passed on to the family" in said and "Phone numbers in it were hidden" in said
    [(to, text)] = sent_to(asha)
    assert to == FAMILY and text.startswith(f"Message from the donor for {code}: Reaching at 3.")
    assert "98765" not in text and "on ********10" in text
    assert f"To answer, send /msg {code}" in text and "Never pay anyone" in text


def test_the_familys_answer_reaches_the_donor_and_each_relay_is_audited() -> None:
    asha, family, code = pledged(share=False)
    said = family.say(f"/msg {code} Come to gate 2")
    assert "passed on to the donors coming for it (1)" in said
    [(to, text)] = sent_to(family)
    assert to == asha.address and f"Message from the family for {code}: Come to gate 2" in text
    asha.say(f"/msg {code} OK")
    assert actions(family.services, code)[-2:] == ["relay.from_family", "relay.from_donor"]
    assert all("Come" not in str(line.detail) for line in family.services.admin.history(code))


def test_a_donor_who_shares_their_number_is_relayed_unmasked() -> None:
    asha, _family, code = pledged(share=True)
    asha.say(f"/msg {code} My other number is {OTHER_PHONE}")
    [(_to, text)] = sent_to(asha)
    assert OTHER_PHONE in text


def test_only_the_parties_of_an_active_pledge_may_relay() -> None:
    asha, family, code = pledged()
    stranger = Chat(family.services, user="stranger")
    assert "only between the family and a donor" in stranger.say(f"/msg {code} hello")
    asha.say(f"/withdraw {code}")
    assert "only between the family" in asha.say(f"/msg {code} hello")
    assert "only between the family" in family.say(f"/msg {code} hello")
    assert sent_to(family) == [] and "Please send it like this" in asha.say(f"/msg {code}")


def test_a_hindi_donor_reads_the_familys_message_in_hindi() -> None:
    _asha, family, code = pledged(lang="hi")
    family.say(f"/msg {code} Gate 2")
    [(_to, text)] = sent_to(family)
    assert text.startswith(f"{code} के लिए परिवार का संदेश: Gate 2")


def test_a_withdrawn_pledge_restarts_the_broadcast() -> None:
    asha, _family, code = pledged()
    asha.say(f"/withdraw {code}")
    assert code in asha.services.broadcast.resumed
