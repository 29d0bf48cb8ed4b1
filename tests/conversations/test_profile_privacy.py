"""My profile's consents and deletion: withdrawing is one choice, deleting needs a yes."""

from __future__ import annotations

from tests.conversations.chat import NOW, Chat
from tests.conversations.signup_chat import registered, saved


def consents_chat() -> Chat:
    """Return a registered donor's chat at the consents step of My profile."""
    chat = registered()
    chat.later(hours=1)
    chat.say("3", "5")
    assert chat.step == ("profile", "consents")
    return chat


def test_alerts_can_be_withdrawn_and_given_again() -> None:
    chat = consents_chat()
    assert "You will get no more alerts." in chat.say("1")
    assert not saved(chat).consents.alerts
    assert "1. Get alerts again" in chat.say("3", "5")
    chat.say("1")
    assert saved(chat).consents.alerts


def test_sharing_my_number_can_be_withdrawn_and_is_stamped() -> None:
    chat = consents_chat()
    assert "no longer give your phone number" in chat.say("2")
    consents = saved(chat).consents
    assert not consents.share_phone and consents.alerts and consents.recorded_at > NOW


def test_leaving_the_registry_asks_to_confirm_deletion() -> None:
    chat = consents_chat()
    assert "send DELETE" in chat.say("3")
    assert chat.step == ("profile", "delete")


def test_delete_me_needs_an_explicit_yes_and_then_deletes() -> None:
    chat = registered()
    chat.say("3", "7")
    assert "Only anonymous counts remain" in chat.say("help") + chat.say("maybe")
    assert chat.address.key in chat.services.donors
    assert "has been deleted" in chat.say("DELETE")
    assert chat.services.donors == {} and chat.services.deleted == [chat.address.key]


def test_declining_deletion_keeps_everything() -> None:
    chat = registered()
    chat.say("3", "7")
    assert "Nothing was deleted." in chat.say("2")
    assert saved(chat).name == "Asha Verma" and chat.services.deleted == []


def test_cancel_inside_my_profile_changes_nothing() -> None:
    chat = registered()
    before = saved(chat)
    chat.say("3", "4")
    assert "Cancelled. Nothing was saved." in chat.say("cancel")
    assert saved(chat) == before


def test_change_other_details_opens_the_sign_up_summary() -> None:
    chat = registered()
    assert "You are already registered" in chat.say("3", "6")
    assert chat.step == ("signup", "summary")


def test_my_profile_in_hindi() -> None:
    chat = registered(lang="hi")
    text = chat.say("3")
    assert "आपकी रक्तदाता प्रोफ़ाइल" in text and "मेरी जानकारी मिटाएँ" in text
