"""Erasing a family deletes their slip photo at Twilio, retrying until it is gone."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session

from bot.media_eraser import MediaEraser
from bot.slips import SlipLinks
from conversations.messages import Address, Media
from storage.domain.records import Attachment
from storage.services import SqlServices
from tests.handlers.fake_twilio import ACCOUNT_SID, PHONE, PUBLIC_URL, WhatsAppBot
from tests.storage.samples import REQUEST, FakePlaces

FAMILY = Address("whatsapp", PHONE)
QUEUED = "SELECT attempts, last_error FROM media_deletion"


@pytest.fixture
def bot(tmp_path: Path) -> Iterator[WhatsAppBot]:
    built = WhatsAppBot(tmp_path)
    yield built
    built.close()


def file_with_slip(bot: WhatsAppBot) -> str:
    """Store the family's request with a slip kept at the fake Twilio; return the slip's URL."""
    url = bot.fake.add_media(b"slip photo")
    with Session(bot.app.db) as session, session.begin():
        SqlServices(session, FakePlaces()).create_request(
            FAMILY, dataclasses.replace(REQUEST, slip=Attachment(url, "image/jpeg")), bot.clock())
    return url


def erase(bot: WhatsAppBot) -> None:
    with Session(bot.app.db) as session, session.begin():
        SqlServices(session, FakePlaces()).delete_person(FAMILY, bot.clock())


def test_erasure_deletes_the_photo_at_twilio_and_never_logs_the_account(
        bot: WhatsAppBot, caplog: pytest.LogCaptureFixture) -> None:
    url = file_with_slip(bot)
    erase(bot)
    caplog.set_level(logging.DEBUG)
    assert bot.run(bot.service.media_eraser.delete_due()) == 1
    assert bot.fake.deleted == [url.rsplit("/", 1)[1]] and bot.fake.media == {}
    assert bot.rows(QUEUED) == [] and ACCOUNT_SID not in caplog.text


def test_a_failed_deletion_is_retried_after_a_restart(bot: WhatsAppBot) -> None:
    file_with_slip(bot)
    erase(bot)
    bot.fake.delete_errors.append(503)
    assert bot.run(bot.service.media_eraser.delete_due()) == 0
    assert bot.rows(QUEUED) == [(1, "Twilio refused: HTTP 503, error 20500")]
    restarted = MediaEraser(db=bot.app.db, clock=bot.clock, client=bot.service.client)
    assert bot.run(restarted.delete_due()) == 0  # not due yet
    bot.clock.advance(minutes=2)
    assert bot.run(restarted.delete_due()) == 1 and bot.fake.media == {}


def test_a_photo_already_gone_at_twilio_leaves_the_queue(bot: WhatsAppBot) -> None:
    file_with_slip(bot)
    erase(bot)
    bot.fake.media.clear()
    assert bot.run(bot.service.media_eraser.delete_due()) == 1
    assert bot.rows(QUEUED) == []


def test_an_erased_slip_is_no_longer_served_by_its_link(bot: WhatsAppBot) -> None:
    url = file_with_slip(bot)
    link = SlipLinks(bot.app.settings, bot.clock)(Media(url, "image/jpeg"))
    assert link is not None
    assert get(bot, link).content == b"slip photo"
    erase(bot)
    assert get(bot, link).status_code == 404


def get(bot: WhatsAppBot, link: str) -> httpx.Response:
    """Fetch a link from the bot's web app, as Twilio would."""
    async def fetch() -> httpx.Response:
        transport = httpx.ASGITransport(app=bot.web)
        async with httpx.AsyncClient(transport=transport, base_url=PUBLIC_URL) as client:
            return await client.get(link.removeprefix(PUBLIC_URL))
    response: httpx.Response = bot.run(fetch())
    return response
