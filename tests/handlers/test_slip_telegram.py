"""A Telegram admin sees the requisition slip itself, whichever channel the family used."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.bot.conftest import FakeClock
from tests.handlers.fake_bot_api import Call
from tests.handlers.slip_world import (
    ADMIN_CHAT,
    FAMILY_PHONE,
    REQUEST,
    SLIP_BYTES,
    SLIP_STEP,
    World,
    both_channels,
)

STRANGER = 3003


async def whatsapp_family_files_with_slip(world: World, content_type: str = "image/jpeg") -> str:
    """File the request on WhatsApp, the slip attached as Twilio posts it; return its code."""
    url = world.twilio.add_media(SLIP_BYTES)
    await world.whatsapp(FAMILY_PHONE, *REQUEST[:SLIP_STEP])
    await world.whatsapp(FAMILY_PHONE, "", NumMedia="1", MediaUrl0=url,
                         MediaContentType0=content_type)
    await world.whatsapp(FAMILY_PHONE, *REQUEST[SLIP_STEP + 1:])
    return world.code()


def show_on_telegram(tmp_path: Path, clock: FakeClock, content_type: str = "image/jpeg",
                     fetch: bool = True) -> tuple[list[Call], list[str]]:
    """Have a Telegram admin /show a slip sent on WhatsApp; return the files and texts sent."""
    async def scenario() -> tuple[list[Call], list[str]]:
        async with both_channels(tmp_path, clock) as world:
            code = await whatsapp_family_files_with_slip(world, content_type)
            if not fetch:
                world.telegram_service.telegram_sender.fetch_media = None
            await world.telegram_admin()
            await world.tg(ADMIN_CHAT, f"/show {code}")
            return world.telegram.sent_files(ADMIN_CHAT), world.telegram.texts(ADMIN_CHAT)
    return asyncio.run(scenario())


def test_a_slip_sent_on_whatsapp_reaches_a_telegram_admin_as_the_photo(
        tmp_path: Path, clock: FakeClock) -> None:
    files, texts = show_on_telegram(tmp_path, clock)
    [photo] = files
    assert photo.method == "sendPhoto" and photo.params["photo"] == SLIP_BYTES
    assert photo.params["caption"].startswith("Requisition slip of R-")
    assert not any("twilio" in text.lower() or "AC" in text.split() for text in texts)


def test_a_pdf_slip_reaches_a_telegram_admin_as_a_document(
        tmp_path: Path, clock: FakeClock) -> None:
    [document], _texts = show_on_telegram(tmp_path, clock, "application/pdf")
    assert document.method == "sendDocument" and document.params["document"] == SLIP_BYTES


def test_without_a_fetcher_the_admin_is_told_the_photo_could_not_be_fetched(
        tmp_path: Path, clock: FakeClock) -> None:
    files, texts = show_on_telegram(tmp_path, clock, fetch=False)
    assert files == []
    assert any(text.startswith("Requisition slip of R-") and "could not be fetched" in text
               for text in texts)


def test_someone_who_is_not_an_admin_gets_the_unknown_reply_and_no_photo(
        tmp_path: Path, clock: FakeClock) -> None:
    async def scenario() -> tuple[list[str], list[str], list[Call]]:
        async with both_channels(tmp_path, clock) as world:
            code = await whatsapp_family_files_with_slip(world)
            await world.tg(STRANGER, "/start", "1", "/nosuchcommand")
            before = world.telegram.texts(STRANGER)
            await world.tg(STRANGER, f"/show {code}")
            after = world.telegram.texts(STRANGER)[len(before):]
            unknown = before[len(before) - len(after):]
            return unknown, after, world.telegram.sent_files(STRANGER)
    unknown, shown, files = asyncio.run(scenario())
    assert files == [] and shown == unknown
    assert shown[0].startswith("I do not know that command")


def test_an_image_telegram_refuses_as_a_photo_is_sent_as_a_document(
        tmp_path: Path, clock: FakeClock) -> None:
    image = {"document": {"file_id": "BQADslip", "file_unique_id": "u", "mime_type": "image/png"}}

    async def scenario() -> list[Call]:
        async with both_channels(tmp_path, clock) as world:
            code = await world.telegram_family_files(image)
            await world.telegram_admin()
            world.telegram.fail_next("sendPhoto", 400, "Bad Request: type of file mismatch")
            await world.tg(ADMIN_CHAT, f"/show {code}")
            return [c for c in world.telegram.calls if c.params.get("chat_id") == ADMIN_CHAT
                    and c.method in {"sendPhoto", "sendDocument"}]
    refused, document = asyncio.run(scenario())
    assert refused.method == "sendPhoto" and "message_id" not in refused.params
    assert document.method == "sendDocument" and document.params["document"] == "BQADslip"
