"""The WhatsApp adapter's translations: Twilio forms in, message text and templates out."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

from conversations.messages import Choice, GeoPoint, Outbound
from handlers.whatsapp_channel import (
    Media,
    Pacer,
    StatusReport,
    daily_limit_resets_at,
    media_of,
    parse_inbound,
    parse_status,
    render_body,
    split_body,
    template_variables,
)

NOW = datetime(2026, 12, 4, 8, 30, tzinfo=UTC)
FORM = {"From": "whatsapp:+919812345670", "Body": "hello", "MessageSid": "SM1",
        "ProfileName": "Asha", "WaId": "919812345670"}


def test_a_message_comes_from_the_verified_whatsapp_number() -> None:
    inbound = parse_inbound(FORM, NOW)
    assert inbound is not None and inbound.address.key == "whatsapp:+919812345670"
    assert (inbound.phone, inbound.external_id, inbound.text) == ("+919812345670", "SM1", "hello")
    assert parse_inbound({**FORM, "From": "+919812345670"}, NOW) is None


def test_a_shared_location_and_a_quick_reply_become_what_the_flow_reads() -> None:
    located = parse_inbound({**FORM, "Body": "", "Latitude": "25.43", "Longitude": "81.84"}, NOW)
    assert located is not None and located.location == GeoPoint(25.43, 81.84)
    pressed = parse_inbound({**FORM, "ButtonText": "I can help", "ButtonPayload": "yes"}, NOW)
    assert pressed is not None and pressed.text == "yes"


def test_a_slip_photo_is_kept_as_a_reference() -> None:
    form = {**FORM, "NumMedia": "1", "MediaUrl0": "https://api.twilio.com/m/ME1",
            "MediaContentType0": "image/jpeg"}
    assert media_of(form) == (Media("https://api.twilio.com/m/ME1", "image/jpeg"),)
    assert media_of(FORM) == ()


def test_a_message_carries_its_photos_and_pdfs_but_not_voice_notes() -> None:
    form = {**FORM, "Body": "", "NumMedia": "3", "MediaUrl0": "https://api.twilio.com/m/ME1",
            "MediaContentType0": "audio/ogg", "MediaUrl1": "https://api.twilio.com/m/ME2",
            "MediaContentType1": "application/pdf", "MediaUrl2": "https://api.twilio.com/m/ME3",
            "MediaContentType2": "image/png"}
    inbound = parse_inbound(form, NOW)
    assert inbound is not None and inbound.text == ""
    assert inbound.media == (Media("https://api.twilio.com/m/ME2", "application/pdf"),
                             Media("https://api.twilio.com/m/ME3", "image/png"))


def test_choices_are_a_numbered_list_and_long_text_is_split_between_lines() -> None:
    message = Outbound("Blood group?", (Choice("a+", "A+"), Choice("b+", "B+")))
    assert render_body(message) == "Blood group?\n1. A+\n2. B+"
    parts = split_body("\n".join(["x" * 900] * 3))
    assert [len(part) for part in parts] == [900, 900, 900]
    assert split_body("y" * 3300) == ["y" * 1600, "y" * 1600, "y" * 100]


def test_a_template_carries_a_one_line_preview_or_the_message_variables() -> None:
    assert template_variables(Outbound("Verified.\nThank you")) == {"1": "Verified. Thank you"}
    long = template_variables(Outbound("word " * 40))["1"]
    assert len(long) == 100 and long.endswith("…")
    assert template_variables(Outbound("x", template_vars={"2": "SRN\nHospital"})) == {
        "2": "SRN Hospital"}


def test_status_callbacks_and_the_daily_limit_reset() -> None:
    assert parse_status({"MessageSid": "SM9", "MessageStatus": "failed", "ErrorCode": "63016"}) \
        == StatusReport("SM9", "failed", 63016)
    assert parse_status({"MessageSid": "SM9", "MessageStatus": "read"}) \
        == StatusReport("SM9", "read", None)
    assert daily_limit_resets_at(NOW) == datetime(2026, 12, 5, tzinfo=UTC)


def test_the_pacer_spaces_messages_out() -> None:
    async def three() -> float:
        pacer, started = Pacer(per_second=50), time.monotonic()
        for _ in range(3):
            await pacer.wait()
        return time.monotonic() - started

    assert 0.04 <= asyncio.run(three()) < 0.5
