"""A WhatsApp admin sees the slip through a signed, expiring link that Twilio fetches."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from tests.bot.conftest import FakeClock
from tests.handlers.fake_twilio import PUBLIC_URL
from tests.handlers.slip_world import (
    ADMIN_PHONE,
    SLIP_BYTES,
    World,
    both_channels,
)


async def show_on_whatsapp(world: World) -> dict[str, str]:
    """Have the WhatsApp admin /show the request; return the Twilio call carrying the slip."""
    world.telegram.files["AgADslip"] = SLIP_BYTES
    code = await world.telegram_family_files()
    await world.whatsapp(ADMIN_PHONE, "/start", "1", f"/show {code}")
    [call] = [c for c in world.twilio.calls
              if c["To"] == f"whatsapp:{ADMIN_PHONE}" and "Requisition slip of" in c["Body"]]
    return call


def slip_fetches(tmp_path: Path, clock: FakeClock, *,
                 later: float = 0, tamper: bool = False) -> tuple[str, httpx.Response]:
    """Show the slip on WhatsApp, then fetch its link as Twilio would (`later` minutes on)."""
    async def scenario() -> tuple[str, httpx.Response]:
        async with both_channels(tmp_path, clock) as world:
            link = (await show_on_whatsapp(world)).get("MediaUrl", "")
            clock.advance(minutes=later)
            path = link.removeprefix(PUBLIC_URL) + ("x" if tamper else "")
            return link, await world.request("GET", path)
    return asyncio.run(scenario())


def test_a_slip_sent_on_telegram_reaches_a_whatsapp_admin_by_a_link_to_its_bytes(
        tmp_path: Path, clock: FakeClock) -> None:
    link, fetched = slip_fetches(tmp_path, clock)
    assert link.startswith(f"{PUBLIC_URL}/slips/") and "AgADslip" not in link
    assert fetched.status_code == 200 and fetched.content == SLIP_BYTES
    assert fetched.headers["content-type"] == "image/jpeg"


def test_an_expired_link_is_refused_without_bytes(tmp_path: Path, clock: FakeClock) -> None:
    _link, fetched = slip_fetches(tmp_path, clock, later=61)
    assert fetched.status_code == 403 and SLIP_BYTES not in fetched.content


def test_a_tampered_link_is_refused_without_bytes(tmp_path: Path, clock: FakeClock) -> None:
    _link, fetched = slip_fetches(tmp_path, clock, tamper=True)
    assert fetched.status_code == 403 and SLIP_BYTES not in fetched.content


def test_without_a_public_url_the_whatsapp_admin_is_told_where_to_see_the_slip(
        tmp_path: Path, clock: FakeClock) -> None:
    async def scenario() -> dict[str, str]:
        async with both_channels(tmp_path, clock) as world:
            world.whatsapp_service.twilio.media_link = None
            return await show_on_whatsapp(world)
    call = asyncio.run(scenario())
    assert "MediaUrl" not in call
    assert "it can be seen on Telegram, or on WhatsApp once the bot's PUBLIC_BASE_URL is set" \
        in call["Body"]
