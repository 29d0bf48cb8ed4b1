"""Telegram updates as the engine sees them: private chats only, own contacts only."""

from __future__ import annotations

from typing import Any

from telegram import Update

from conversations.messages import Inbound, Media
from handlers.telegram_channel import inbound_of
from tests.handlers.fake_bot_api import (
    FakeBotApi,
    contact,
    group_message,
    location,
    private_message,
)

ASHA = 1001
FAKE = FakeBotApi()


def inbound(body: dict[str, Any]) -> Inbound | None:
    return inbound_of(Update.de_json(FAKE.update(body), None), "blood_test_bot")


def test_a_shared_contact_is_the_phone_only_when_it_is_the_senders_own() -> None:
    own = inbound(contact(ASHA, "919812345678", owner=ASHA))
    someone_else = inbound(contact(ASHA, "919812345679", owner=2002))
    unknown_owner = inbound(contact(ASHA, "919812345679", owner=0))
    assert own is not None and own.phone == "+919812345678"
    assert someone_else is not None and someone_else.phone is None
    assert unknown_owner is not None and unknown_owner.phone is None


def test_a_command_addressed_to_this_bot_loses_the_bot_name() -> None:
    named = inbound(private_message(ASHA, "/start@blood_test_bot donate"))
    other = inbound(private_message(ASHA, "/start@other_bot donate"))
    assert named is not None and named.text == "/start donate"
    assert other is not None and other.text == "/start@other_bot donate"


def test_a_location_becomes_coordinates_from_the_chat_address() -> None:
    shared = inbound(location(ASHA, 26.85, 80.95))
    assert shared is not None and shared.location is not None
    assert (shared.location.latitude, shared.address.key) == (26.85, "telegram:1001")
    assert shared.display_name == "Asha"


def test_group_messages_and_edits_never_reach_the_engine() -> None:
    assert inbound(group_message(-2002, ASHA, "/start donate")) is None
    edited = private_message(ASHA, "hello")
    assert inbound({"edited_message": {"message_id": 9, "date": 0, **edited["message"]}}) is None


def test_a_group_command_comes_from_the_senders_chat_naming_the_group_as_typed() -> None:
    named = inbound(group_message(-2002, ASHA, "/registergroup@blood_test_bot 226001 15"))
    other_bot = inbound(group_message(-2002, ASHA, "/registergroup@other_bot Lucknow"))
    too_long = inbound(group_message(-2002, ASHA, "/registergroup " + "x" * 2000))
    assert named is not None and named.text == "/registergroup 226001 15"
    assert named.address.key == "telegram:1001"
    assert named.group is not None and named.group.key == "telegram:-2002"
    assert other_bot is None and too_long is None


def test_a_private_message_names_no_group_whatever_it_says() -> None:
    typed = inbound(private_message(ASHA, "/registergroup group:-2002 Lucknow"))
    assert typed is not None and typed.group is None
    assert typed.text == "/registergroup group:-2002 Lucknow"


def test_a_redelivered_update_keeps_its_key_and_every_other_gets_its_own() -> None:
    update = FAKE.update(FAKE.press_data(ASHA, 5, "yes"))
    again = [inbound_of(Update.de_json(dict(update), None)) for _ in range(2)]
    first, second = (inbound(private_message(ASHA, "hi")) for _ in range(2))
    assert again[0] is not None and again[1] is not None and again[0].text == "yes"
    assert again[0].external_id == again[1].external_id
    assert first is not None and second is not None
    assert len({first.external_id, second.external_id, again[0].external_id}) == 3


def attachment(chat_id: int, **fields: Any) -> dict[str, Any]:
    """Return an update body: a message with a photo or document and no text."""
    body = private_message(chat_id, **fields)
    del body["message"]["text"]
    return body


def test_a_photo_is_kept_as_its_largest_size_by_file_id_never_by_url() -> None:
    sizes = [{"file_id": f"AgAD{side}", "file_unique_id": f"u{side}", "width": side,
              "height": side, "file_size": side * 100} for side in (90, 1280, 320)]
    shared = inbound(attachment(ASHA, photo=sizes, caption="slip"))
    assert shared is not None and shared.text == "slip"
    assert shared.media == (Media("telegram-file:AgAD1280", "image/jpeg"),)


def test_a_pdf_document_is_kept_and_other_files_are_not() -> None:
    pdf = {"file_id": "BQADpdf", "file_unique_id": "p", "mime_type": "application/pdf"}
    song = {"file_id": "BQADmp3", "file_unique_id": "s", "mime_type": "audio/mpeg"}
    sent = inbound(attachment(ASHA, document=pdf))
    other = inbound(attachment(ASHA, document=song))
    assert sent is not None and sent.media == (Media("telegram-file:BQADpdf", "application/pdf"),)
    assert other is not None and other.media == () and other.text == ""
