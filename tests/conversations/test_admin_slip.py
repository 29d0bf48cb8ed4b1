"""/show sends the requisition slip itself to admins who may see the request, and only them."""

from __future__ import annotations

import json

from conversations.messages import Media, Outbound
from storage.domain.admin import Role
from storage.domain.records import Attachment
from tests.conversations.admin_chat import (
    KANPUR_ADMIN,
    LUCKNOW_VERIFIER,
    SUPER,
    admin_chat,
    admin_services,
    file_request,
)
from tests.conversations.chat import Chat
from tests.conversations.request_chat import walk

SLIP = Attachment("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1",
                  "image/jpeg")
UNKNOWN = "I do not know that command. Send 'menu' to see what I can do."


def attachments(replies: list[Outbound]) -> list[Media]:
    return [reply.attachment for reply in replies if reply.attachment is not None]


def test_show_sends_the_slip_as_its_own_message_between_details_and_next_steps() -> None:
    services = admin_services()
    code = file_request(services, slip=SLIP)
    details, slip, after = admin_chat(services, SUPER).send(f"/show {code}")
    assert "Requisition slip: sent in the next message" in details.text
    assert slip.attachment == Media(SLIP.url, "image/jpeg") and code in slip.text
    assert "PUBLIC_BASE_URL" in slip.attachment_note and after.text.startswith("Next:")
    assert SLIP.url not in details.text + after.text


def test_a_district_verifier_gets_the_slip_and_every_view_is_audited() -> None:
    services = admin_services()
    code = file_request(services, slip=SLIP)
    verifier = admin_chat(services, LUCKNOW_VERIFIER, Role.VERIFIER, "Lucknow")
    for _ in range(2):
        assert attachments(verifier.send(f"/show {code}")) == [Media(SLIP.url, "image/jpeg")]
    actions = [line.action for line in services.admin.history(code)]
    assert actions == ["request.phone_revealed"] * 2
    assert "and any slip" in admin_chat(services, SUPER).say(f"/audit {code}")


def test_someone_who_is_not_an_admin_gets_the_unknown_command_reply_and_no_slip() -> None:
    services = admin_services()
    code = file_request(services, slip=SLIP)
    stranger = Chat(services, user="+919811122233", phone="+919811122233")
    replies = stranger.send(f"/show {code}")
    assert replies == stranger.send("/nosuchcommand") and attachments(replies) == []
    assert Chat.text(replies).startswith(UNKNOWN)
    assert services.admin.history(code) == []


def test_an_admin_of_another_district_gets_no_slip() -> None:
    services = admin_services()
    code = file_request(services, slip=SLIP)
    replies = admin_chat(services, KANPUR_ADMIN, Role.DISTRICT_ADMIN, "Kanpur Nagar").send(
        f"/show {code}")
    assert Chat.text(replies) == f"{code} is not in your districts, so you cannot act on it."
    assert attachments(replies) == []


def test_a_hindi_admin_gets_the_slip_caption_and_note_in_hindi() -> None:
    services = admin_services()
    code = file_request(services, slip=SLIP)
    _details, slip, _next = admin_chat(services, SUPER, lang="hi").send(f"/show {code}")
    assert slip.text.startswith(f"{code} की माँग पर्ची") and "Telegram" in slip.attachment_note
    assert "पर्ची नहीं दिखा सकती" in slip.attachment_note


def alert_after_filing(*, with_slip: bool) -> str:
    """File a request through the flow (with or without a slip); return the admin alert."""
    services = admin_services()
    admin_chat(services, SUPER)
    family = Chat(services, user="family", phone="+919811111111")
    family.say("1")
    walk(family, until="slip")
    family.send(media=(Media(SLIP.url, "image/jpeg"),)) if with_slip else family.say("skip")
    walk(family)
    assert family.last is not None
    [note] = family.last.notifications
    return note.message.text


def test_the_new_request_alert_says_a_slip_is_waiting_only_when_there_is_one() -> None:
    assert "photo of the requisition slip: /show R-" in alert_after_filing(with_slip=True)
    assert "slip" not in alert_after_filing(with_slip=False)


def test_the_slip_message_survives_the_outbox_and_old_rows_still_load() -> None:
    services = admin_services()
    code = file_request(services, slip=SLIP)
    _details, slip, _next = admin_chat(services, SUPER).send(f"/show {code}")
    assert Outbound.from_json(json.loads(json.dumps(slip.to_json()))) == slip
    queued_before = {"text": "Hi", "choices": [], "ask_location": False, "ask_phone": False}
    assert Outbound.from_json(queued_before) == Outbound("Hi")
