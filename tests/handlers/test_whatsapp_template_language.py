"""WhatsApp templates in the recipient's language: Hindi speakers get the Hindi template."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session

from bot.settings import Settings
from conversations.messages import Address, Outbound
from handlers.whatsapp_channel import template_sid
from storage.services import SqlServices
from tests.handlers.fake_twilio import PHONE, TEMPLATES, WhatsAppBot
from tests.storage.samples import DONOR, FakePlaces

HINDI = {"alert": "HX" + "c" * 32, "notice": "HX" + "d" * 32}
ALERT = Outbound("B+ खून की ज़रूरत है, SRN अस्पताल, प्रयागराज (R-4821)।\nक्या आप मदद कर सकते हैं?")
ENGLISH, HINDI_CHOICE = "1", "2"  # the numbered answers to "Please choose your language."


@pytest.fixture
def bot(tmp_path: Path) -> Iterator[WhatsAppBot]:
    built = WhatsAppBot(tmp_path, whatsapp_template_alert_hi=HINDI["alert"],
                        whatsapp_template_notice_hi=HINDI["notice"])
    yield built
    built.close()


def late_alert(bot: WhatsAppBot, language_choice: str) -> dict[str, str]:
    """Have the user pick a language, fall silent 25 hours, then get an alert; return it."""
    bot.say("hi")
    bot.say(language_choice)
    bot.clock.advance(hours=25)
    bot.enqueue("alert", ALERT)
    assert bot.drain() == 1
    return bot.fake.calls[-1]


def test_a_hindi_speaker_silent_for_25_hours_gets_the_hindi_alert(bot: WhatsAppBot) -> None:
    call = late_alert(bot, HINDI_CHOICE)
    assert call["ContentSid"] == HINDI["alert"] and "Body" not in call
    assert json.loads(call["ContentVariables"]) == {"1": " ".join(ALERT.text.split())}


def test_an_english_speaker_gets_the_english_alert(bot: WhatsAppBot) -> None:
    assert late_alert(bot, ENGLISH)["ContentSid"] == TEMPLATES["alert"]


def test_a_hindi_speaker_gets_the_english_alert_when_no_hindi_one_is_set(
        tmp_path: Path) -> None:
    bot = WhatsAppBot(tmp_path)
    try:
        assert late_alert(bot, HINDI_CHOICE)["ContentSid"] == TEMPLATES["alert"]
    finally:
        bot.close()


def test_a_donor_who_never_chose_here_gets_her_profiles_language(bot: WhatsAppBot) -> None:
    bot.say("hi")  # her profile says Hindi; this address never answered the language question
    with Session(bot.app.db) as session, session.begin():
        SqlServices(session, FakePlaces()).save_donor_profile(
            Address("whatsapp", PHONE), DONOR, bot.clock())
    bot.clock.advance(hours=25)
    bot.enqueue("notice", Outbound("आपका अनुरोध R-4821 जाँच लिया गया।"))
    assert bot.drain() == 1 and bot.fake.calls[-1]["ContentSid"] == HINDI["notice"]


def test_error_63016_resends_in_the_hindi_template(bot: WhatsAppBot) -> None:
    bot.say("hi")
    bot.say(HINDI_CHOICE)
    failed = bot.fake.calls[-1]
    bot.status(failed["sid"], "undelivered", 63016)
    assert bot.drain() == 1
    resent = bot.fake.calls[-1]
    assert resent["ContentSid"] == HINDI["notice"] and resent["To"] == failed["To"]
    assert json.loads(resent["ContentVariables"])["1"].startswith(failed["Body"].split("\n")[0])


def test_a_language_without_its_own_template_falls_back_to_english_then_to_any() -> None:
    assert template_sid({"en": "HX-en", "hi": "HX-hi"}, "hi") == "HX-hi"
    assert template_sid({"en": "HX-en", "hi": "HX-hi"}, "ta") == "HX-en"
    assert template_sid({"en": "HX-en"}, None) == "HX-en"
    assert template_sid({"hi": "HX-hi"}, "en") == "HX-hi"


def test_template_settings_are_read_by_kind_and_language(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WHATSAPP_TEMPLATE_ALERT", "HX-alert")
    monkeypatch.setenv("WHATSAPP_TEMPLATE_ALERT_HI", "HX-alert-hi")
    monkeypatch.setenv("WHATSAPP_TEMPLATE_NOTICE_HI", "HX-notice-hi")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.whatsapp_template_sids == {
        "alert": {"en": "HX-alert", "hi": "HX-alert-hi"}, "notice": {"hi": "HX-notice-hi"}}
    # an English speaker gets the Hindi notice when no English one is set
    assert template_sid(settings.whatsapp_template_sids["notice"], "en") == "HX-notice-hi"
