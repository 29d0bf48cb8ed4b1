"""WhatsApp delivery: the 24-hour window, templates, STOP, and Twilio's status callbacks."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session

from conversations.messages import Address, Outbound
from storage.services import SqlServices
from tests.handlers.fake_twilio import PHONE, TEMPLATES, WhatsAppBot
from tests.storage.samples import DONOR, FakePlaces

ALERT = Outbound("B+ blood needed at SRN Hospital, Prayagraj (R-4821).\nCan you help?")
ADDRESS_ROW = f"SELECT unreachable_at IS NOT NULL FROM address WHERE key = 'whatsapp:{PHONE}'"
CONSENT = "SELECT consent_alerts FROM donor"


@pytest.fixture
def bot(tmp_path: Path) -> Iterator[WhatsAppBot]:
    built = WhatsAppBot(tmp_path)
    yield built
    built.close()


def register(bot: WhatsAppBot) -> str:
    """Make the WhatsApp user a donor who consented to alerts; return the last reply's sid."""
    bot.say("hi")
    with Session(bot.app.db) as session, session.begin():
        SqlServices(session, FakePlaces()).save_donor_profile(
            Address("whatsapp", PHONE), DONOR, bot.clock())
    return bot.fake.calls[-1]["sid"]


def test_stop_confirms_and_no_alert_reaches_that_user(bot: WhatsAppBot) -> None:
    register(bot)
    assert "अलर्ट नहीं भेजे जाएँगे" in bot.say("STOP")[0]  # the donor's language: Hindi
    assert bot.rows(CONSENT) == [(0,)]
    calls = len(bot.fake.calls)
    bot.enqueue("alert", ALERT)
    assert bot.drain() == 0 and len(bot.fake.calls) == calls
    assert bot.rows("SELECT last_error FROM outbox WHERE kind = 'alert' "
                    "AND failed_at IS NOT NULL") == [("alerts withdrawn by the recipient (STOP)",)]
    assert bot.say("menu") and bot.rows(ADDRESS_ROW) == [(0,)]


def test_an_alert_to_a_donor_silent_for_25_hours_goes_as_a_template(bot: WhatsAppBot) -> None:
    register(bot)
    bot.clock.advance(hours=25)
    bot.enqueue("alert", ALERT)
    assert bot.drain() == 1
    call = bot.fake.calls[-1]
    assert call["ContentSid"] == TEMPLATES["alert"] and "Body" not in call
    assert json.loads(call["ContentVariables"]) == {"1": " ".join(ALERT.text.split())}


def test_an_alert_inside_the_window_is_plain_text(bot: WhatsAppBot) -> None:
    register(bot)
    bot.clock.advance(hours=23)
    bot.enqueue("alert", ALERT)
    assert bot.drain() == 1 and bot.fake.calls[-1]["Body"] == ALERT.text


def test_error_63016_resends_the_message_as_a_template_once(bot: WhatsAppBot) -> None:
    bot.say("hi")
    failed = bot.fake.calls[-1]
    for _ in range(2):
        assert bot.status(failed["sid"], "undelivered", 63016).status_code == 200
        bot.drain()
    resent = bot.fake.calls[1:]
    assert [call["ContentSid"] for call in resent] == [TEMPLATES["notice"]]
    assert json.loads(resent[0]["ContentVariables"]) == {
        "1": "Please choose your language. कृपया अपनी भाषा चुनें।"}
    assert bot.rows(f"SELECT status, error_code FROM delivery WHERE sid = '{failed['sid']}'") \
        == [("undelivered", 63016)]


def test_error_21610_unsubscribes_the_user(bot: WhatsAppBot) -> None:
    sid = register(bot)
    assert bot.status(sid, "failed", 21610).status_code == 200
    assert bot.rows(ADDRESS_ROW) == [(1,)] and bot.rows(CONSENT) == [(0,)]


def test_delivered_and_read_are_recorded_in_any_order(bot: WhatsAppBot) -> None:
    bot.say("hi")
    sid = bot.fake.calls[-1]["sid"]
    bot.status(sid, "read")
    bot.status(sid, "delivered")
    assert bot.rows("SELECT d.status, d.read_at IS NOT NULL, o.sent_at IS NOT NULL "
                    "FROM delivery d JOIN outbox o ON o.id = d.outbox_id") == [("read", 1, 1)]


def test_error_63018_pauses_alerts_until_midnight_utc(bot: WhatsAppBot) -> None:
    bot.say("hi")
    bot.status(bot.fake.calls[-1]["sid"], "failed", 63018)
    bot.enqueue("alert", ALERT)
    assert bot.drain() == 0 and len(bot.fake.calls) == 1
    bot.clock.advance(hours=15, minutes=31)  # 08:30 + 15:31 = 00:01 UTC the next day
    assert bot.drain() == 1 and bot.fake.calls[-1]["Body"] == ALERT.text


def test_without_a_template_a_late_message_fails_loudly(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    bot = WhatsAppBot(tmp_path, whatsapp_template_notice=None)
    try:
        bot.say("hi")
        bot.clock.advance(hours=25)
        bot.enqueue("notice", Outbound("Your request R-4821 was verified."))
        assert bot.drain() == 0 and len(bot.fake.calls) == 1
        assert "no WhatsApp template 'notice'" in caplog.text
        assert "WHATSAPP_TEMPLATE_NOTICE" in bot.rows("SELECT last_error FROM outbox "
                                                      "WHERE kind = 'notice'")[0][0]
    finally:
        bot.close()


def test_a_number_twilio_reports_unsubscribed_is_not_tried_again(bot: WhatsAppBot) -> None:
    bot.fake.errors.append((400, 21610))
    bot.say("hi")
    assert bot.rows(ADDRESS_ROW) == [(1,)]
    bot.enqueue("notice", Outbound("Your request R-4821 was verified."))
    assert bot.drain() == 0 and len(bot.fake.calls) == 1


def test_error_63018_tells_the_super_admins_once(tmp_path: Path) -> None:
    admin = "+919000000001"
    bot = WhatsAppBot(tmp_path, admin_phones=[admin])
    try:
        bot.say("hi", phone=admin)
        for _ in range(2):
            bot.status(bot.fake.calls[-1]["sid"], "failed", 63018)
        notices = bot.rows("SELECT address_key, payload FROM outbox WHERE kind = 'admin_notice'")
        assert [key for key, _payload in notices] == [f"whatsapp:{admin}"]
        assert "daily limit" in notices[0][1] and "paused until 05:30" in notices[0][1]
    finally:
        bot.close()
