"""WhatsApp webhooks: signed forms to the real web app, replies through the real twilio client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session

from conversations.messages import Address, Inbound
from storage.services import SqlServices
from tests.handlers.fake_twilio import PHONE, WhatsAppBot
from tests.storage.samples import DONOR, FakePlaces

SIGNUP = ["hi", "1", "2", "1", "1", "1", "Asha Verma", "O+", "2", "28", "1", "211001", "never",
          "8", "1", "1"]
REQUEST = ["hi", "1", "1", "Ramesh Kumar", "45", "1", "B+", "2", "2", "1", "SRN Hospital"]
AFTER_LOCATION = ["Ward 5 bed 12", "skip", "1", "Sunita Devi", "98123 45679", "3", "1"]
STORED = ["inbound_message", "address", "conversation", "outbox"]
SLIP_URL = "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1"


@pytest.fixture
def bot(tmp_path: Path) -> Iterator[WhatsAppBot]:
    built = WhatsAppBot(tmp_path)
    yield built
    built.close()


def test_a_donor_signs_up_without_being_asked_for_their_number(bot: WhatsAppBot) -> None:
    replies = [body for text in SIGNUP for body in bot.say(text)]
    assert any("You are now registered as a blood donor" in body for body in replies[-4:])
    assert not any("mobile number" in body.lower() for body in replies)
    assert bot.rows("SELECT p.phone, p.verified_phone, d.blood_group, d.consent_alerts "
                    "FROM donor d JOIN person p ON p.id = d.person_id") == [
        (PHONE, PHONE, "O+", 1)]


def test_a_request_takes_the_hospital_from_a_shared_location(bot: WhatsAppBot) -> None:
    for text in REQUEST:
        bot.say(text)
    assert "Hospital area" in bot.say(Latitude="25.4358", Longitude="81.8463")[0]
    replies = [body for text in AFTER_LOCATION for body in bot.say(text)]
    assert any("waiting for verification" in body for body in replies)
    assert bot.rows("SELECT hospital_district, requester_address_key FROM blood_request") == [
        ("Prayagraj", f"whatsapp:{PHONE}")]


def test_a_slip_photo_at_the_slip_step_is_kept_on_the_request(bot: WhatsAppBot) -> None:
    for text in [*REQUEST, "211001", "Ward 5 bed 12"]:
        bot.say(text)
    said = bot.say(NumMedia="1", MediaUrl0=SLIP_URL, MediaContentType0="image/jpeg")
    assert any("the slip is received" in body for body in said)
    replies = [body for text in AFTER_LOCATION[2:] for body in bot.say(text)]
    assert any("Requisition slip: received" in body for body in replies)
    assert bot.rows("SELECT slip_url, slip_content_type FROM blood_request") == [
        (SLIP_URL, "image/jpeg")]


def test_a_forged_signature_is_refused_and_nothing_is_stored(bot: WhatsAppBot) -> None:
    response = bot.post("/whatsapp/inbound", bot.message("hi"), signature="forged")
    assert response.status_code == 403
    assert [bot.rows(f"SELECT count(*) FROM {table}")[0][0] for table in STORED] == [0, 0, 0, 0]
    assert bot.drain() == 0 and bot.fake.calls == []


def test_a_redelivered_message_is_answered_once(bot: WhatsAppBot) -> None:
    form = bot.message("hi")
    first, again = bot.post("/whatsapp/inbound", form), bot.post("/whatsapp/inbound", form)
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.text.endswith("<Response></Response>")
    assert again.headers["content-type"].startswith("text/xml")
    assert bot.drain() == 1 and len(bot.fake.calls) == 1


def test_choices_arrive_as_a_numbered_list_from_our_number(bot: WhatsAppBot) -> None:
    bot.say("hi")
    call = bot.fake.calls[-1]
    assert "\n1. English" in call["Body"] and "\n2. हिन्दी" in call["Body"]
    assert call["From"] == "whatsapp:+14155238886"
    assert call["StatusCallback"] == "https://bot.example.org/whatsapp/status"


def test_a_telegram_user_with_the_same_phone_is_one_person(bot: WhatsAppBot) -> None:
    telegram = Address("telegram", "5550001")
    bot.run(bot.app.runtime.handle(Inbound(telegram, "u1", bot.clock(), "hi", phone=PHONE)))
    with Session(bot.app.db) as session, session.begin():
        SqlServices(session, FakePlaces()).save_donor_profile(telegram, DONOR, bot.clock())
    bot.say("hi")
    assert bot.rows("SELECT count(*), count(DISTINCT person_id) FROM address "
                    "WHERE person_id IS NOT NULL") == [(2, 1)]
