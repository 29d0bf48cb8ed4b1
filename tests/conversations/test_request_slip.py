"""The requisition slip step: a photo is kept by reference, or skipped where none can be sent."""

from __future__ import annotations

from conversations.messages import Media
from storage.domain.records import Attachment
from tests.conversations.chat import Chat
from tests.conversations.request_chat import fake_services, request_chat, stored, walk

SLIP = Media("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1",
             "image/jpeg")


def test_a_slip_photo_is_acknowledged_shown_in_the_summary_and_stored() -> None:
    chat = request_chat()
    walk(chat, until="slip")
    said = chat.text(chat.send(media=(SLIP,)))
    assert "the slip is received" in said and chat.step == ("request", "required_by")
    assert "Requisition slip: received" in walk(chat, until="confirm")
    walk(chat)
    assert stored(chat)[0].draft.slip == Attachment(SLIP.url, "image/jpeg")


def test_a_skipped_slip_is_shown_as_not_sent_and_stores_nothing() -> None:
    chat = request_chat()
    assert "send a photo of the hospital's requisition slip" in walk(chat, until="slip")
    assert "Requisition slip: not sent" in walk(chat, until="confirm")
    walk(chat)
    assert stored(chat)[0].draft.slip is None


def test_text_instead_of_a_photo_is_re_asked_explaining_a_photo_is_needed() -> None:
    chat = request_chat()
    walk(chat, until="slip")
    said = chat.say("I have the slip")
    assert "Please send the slip as a photo" in said and chat.step == ("request", "slip")
    assert "requisition slip" in said


def test_a_photo_at_a_text_step_is_re_asked_not_taken_as_an_answer() -> None:
    chat = request_chat()
    said = chat.text(chat.send(media=(SLIP,)))
    assert "I did not receive any text" in said and chat.step == ("request", "patient_name")


def test_a_photo_outside_any_flow_shows_the_menu_and_is_not_a_shared_contact() -> None:
    chat = Chat(fake_services(), channel="whatsapp", user="+919812345678",
                phone="+919812345678")
    said = chat.text(chat.send(media=(SLIP,)))
    assert said.startswith("What would you like to do?") and "saved as verified" not in said


def test_cancel_at_the_slip_step_saves_nothing() -> None:
    chat = request_chat()
    walk(chat, until="slip")
    assert "Nothing was saved" in chat.say("cancel")
    assert chat.step == (None, None) and stored(chat) == []


def test_in_hindi_the_slip_is_asked_and_summarised_in_hindi() -> None:
    chat = request_chat(lang="hi")
    assert "माँग पर्ची" in walk(chat, until="slip", required_by="आज शाम 6 बजे")
    assert "पर्ची मिल गई" in chat.text(chat.send(media=(SLIP,)))
    assert "माँग पर्ची: मिल गई" in walk(chat, until="confirm", required_by="आज शाम 6 बजे")


def test_skip_in_hindi_skips_the_slip() -> None:
    chat = request_chat(lang="hi")
    walk(chat, until="slip")
    chat.say("छोड़ें")
    assert chat.step == ("request", "required_by")


def test_changing_the_hospital_asks_for_the_slip_again_then_returns_to_the_summary() -> None:
    chat = request_chat()
    walk(chat, until="confirm")
    chat.say("2", "3", "City Hospital", "Lucknow", "skip")
    assert chat.step == ("request", "slip")
    text = chat.text(chat.send(media=(SLIP,)))
    assert chat.step == ("request", "confirm") and "Requisition slip: received" in text
