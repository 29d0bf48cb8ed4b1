"""The donor sign-up flow end to end: consents, what is saved, editing, resuming, Hindi."""

from __future__ import annotations

from datetime import date

from conversations.flows.signup_steps import ASK_NAME, NOTICE
from conversations.i18n import Translator
from conversations.state import ConversationState
from storage.domain.blood import BloodGroup
from storage.domain.eligibility import DonationKind
from storage.domain.people import Sex
from storage.domain.records import Availability
from tests.conversations.chat import NOW, Chat
from tests.conversations.signup_chat import (
    LUCKNOW,
    fake_services,
    registered,
    saved,
    signup_chat,
    walk,
)


def test_the_privacy_notice_says_what_why_who_and_how_to_withdraw() -> None:
    chat = Chat(fake_services())
    text = chat.say("2")
    assert "What we keep" in text and "Why" in text and "Who sees it" in text
    assert "send 'stop'" in text and "Consent 1 of 3" in text


def test_a_confirmed_sign_up_stores_every_answer() -> None:
    profile = saved(registered())
    assert (profile.name, profile.phone) == ("Asha Verma", "+919812345678")
    assert profile.blood_group == BloodGroup.from_code("B+") and profile.sex is Sex.FEMALE
    assert profile.date_of_birth == date(1990, 1, 25) and not profile.dob_is_estimate
    assert profile.weight_ok and profile.place == LUCKNOW
    assert profile.last_donation is not None
    assert (profile.last_donation.on, profile.last_donation.kind) == (
        date(2026, 10, 15), DonationKind.WHOLE_BLOOD)
    assert profile.deferrals == () and profile.availability is Availability.ANY_TIME


def test_consents_are_recorded_separately_at_the_confirm_time() -> None:
    consents = saved(registered(alerts="2", share_phone="1")).consents
    assert (consents.registry, consents.alerts, consents.share_phone) == (True, False, True)
    assert consents.recorded_at == NOW


def test_declining_the_registry_ends_politely_and_stores_nothing() -> None:
    chat = signup_chat()
    text = chat.say("2")
    assert "nothing was stored" in text and chat.step == (None, None)
    assert chat.services.donors == {}


def test_alerts_and_sharing_may_each_be_declined() -> None:
    chat = signup_chat()
    text = walk(chat, alerts="2", share_phone="2")
    assert "You chose not to get alerts" in text
    assert not saved(chat).consents.alerts and not saved(chat).consents.share_phone


def test_the_thanks_says_what_happens_next() -> None:
    text = walk(signup_chat())
    assert "Thank you, Asha Verma! You are now registered" in text
    assert "only after our volunteers have verified" in text and "'stop'" in text
    assert "Blood donation is free. Never pay anyone — donor, agent or 'blood bank'." in text


def test_the_summary_shows_every_answer_and_the_eligibility_note() -> None:
    chat = signup_chat()
    text = walk(chat, until="summary")
    for shown in ("Asha Verma", "+919812345678", "B+", "Female", "25/01/1990",
                  "Lucknow, Uttar Pradesh 226003", "15/10/2026", "Any time"):
        assert shown in text
    assert "may donate again from 12/02/2027" in text
    assert text.count("Final eligibility is decided at the blood centre.") == 1


def test_a_phone_from_the_channel_skips_the_phone_question() -> None:
    chat = signup_chat(phone="whatsapp:+919812345678")
    walk(chat, until="name")
    chat.say("Asha Verma")
    assert chat.step == ("signup", "blood_group")
    walk(chat)
    assert saved(chat).phone == "+919812345678"


def test_a_shared_contact_answers_the_phone_question() -> None:
    chat = signup_chat()
    walk(chat, until="phone")
    chat.send("", phone="+91 99887 76655")
    assert chat.step == ("signup", "blood_group")


def test_signing_up_again_shows_the_stored_details_to_change() -> None:
    chat = registered()
    text = chat.say("2")
    assert "You are already registered" in text and "Asha Verma" in text
    assert chat.step == ("signup", "summary")


def test_changing_one_detail_returns_to_the_summary_and_replaces_the_profile() -> None:
    chat = registered()
    chat.say("2", "2")
    assert "Your blood group" in chat.say("3") and chat.step == ("signup", "blood_group")
    text = chat.say("O-")
    assert chat.step == ("signup", "summary") and "O−" in text
    assert "Your donor profile is updated" in chat.say("1")
    assert saved(chat).blood_group == BloodGroup.from_code("O-")
    assert saved(chat).name == "Asha Verma" and len(chat.services.donors) == 1


def test_changing_the_last_donation_asks_its_kind_too() -> None:
    chat = registered()
    chat.say("2", "2", "8")
    chat.say("01/11/2026")
    assert chat.step == ("signup", "component")
    chat.say("2", "1")
    last = saved(chat).last_donation
    assert last is not None and last.kind is DonationKind.APHERESIS


def test_changing_the_consents_asks_both_alerts_and_sharing() -> None:
    chat = registered()
    chat.say("2", "2", "11")
    assert chat.step == ("signup", "alerts")
    chat.say("2", "2")
    assert chat.step == ("signup", "summary")
    chat.say("1")
    assert not saved(chat).consents.alerts and not saved(chat).consents.share_phone


def test_an_updated_weight_under_45_kg_changes_nothing() -> None:
    chat = registered()
    chat.say("2", "2", "6")
    assert "nothing was changed" in chat.say("2")
    assert saved(chat).weight_ok and chat.step == (None, None)


def test_a_channel_phone_is_not_offered_for_change() -> None:
    chat = signup_chat(phone="+919812345678")
    walk(chat, until="summary")
    assert "Phone" not in chat.say("2").split("change?")[1]


def test_a_restart_mid_flow_continues_at_the_same_step() -> None:
    chat = signup_chat()
    walk(chat, until="location")
    resumed = Chat(chat.services)
    resumed.state = ConversationState.from_json(chat.state.to_json())
    assert "PIN code" in resumed.say("help")
    walk(resumed)
    assert saved(resumed).place == LUCKNOW and saved(resumed).name == "Asha Verma"


def test_a_hindi_sign_up_asks_in_hindi_and_reads_hindi_answers() -> None:
    chat = signup_chat(lang="hi")
    text = walk(chat, until="name")
    assert Translator("hi").t(ASK_NAME) in text and "छोटा नाम भी चलेगा" in chat.say("help")
    walk(chat, blood_group="बी पॉजिटिव", sex="महिला", weight="हाँ", deferrals="कोई नहीं")
    assert saved(chat).blood_group == BloodGroup.from_code("B+") and saved(chat).language == "hi"


def test_the_hindi_notice_is_translated_and_repeated_by_help() -> None:
    chat = Chat(fake_services(), lang="hi")
    assert Translator("hi").t(NOTICE) in chat.say("2")
    assert Translator("hi").t(NOTICE) in chat.say("help")
