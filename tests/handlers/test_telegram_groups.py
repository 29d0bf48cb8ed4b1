"""On Telegram, an admin registers a donor group; verified requests are posted there."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlmodel import Session

from bot.followup_jobs import run_followups
from storage.broadcast import start_broadcast
from storage.domain.records import RequestStatus
from storage.followups import close_by_requester
from tests.bot.conftest import FakeClock
from tests.bot.followup_world import FAMILY
from tests.handlers.conftest import Bot, running_bot
from tests.handlers.fake_bot_api import contact, group_message, private_message
from tests.storage.broadcast_world import World
from tests.storage.wave_runner import tick

ADMIN, STRANGER, GROUP = 2002, 3003, -500
PHONE = "+919000000001"


async def sign_in_admin(bot: Bot) -> None:
    for text in ("/start", "1"):
        await bot.turn(private_message(ADMIN, text))
    await bot.turn(contact(ADMIN, PHONE, owner=ADMIN))


async def tick_jobs(bot: Bot) -> None:
    await asyncio.to_thread(run_followups, bot.app)
    assert bot.app.runtime.on_committed is not None
    bot.app.runtime.on_committed()
    await bot.wait_sent()


def broadcast_request(bot: Bot, clock: FakeClock) -> str:
    with Session(bot.app.db) as session, session.begin():
        code = World(session).request()
        start_broadcast(session, request_code=code, now=clock.now)
        tick(session, clock.now)
    return code


def test_a_registered_group_gets_a_phone_free_post_and_hears_when_it_closes(
        tmp_path: Path, clock: FakeClock) -> None:
    async def scenario() -> tuple[list[str], str]:
        async with running_bot(tmp_path, clock, admin_phones=[PHONE]) as bot:
            await sign_in_admin(bot)
            await bot.turn(group_message(GROUP, STRANGER, "/registergroup Lucknow"))
            assert bot.fake.texts(GROUP) == []
            await bot.turn(group_message(GROUP, ADMIN, "/registergroup@blood_test_bot Lucknow"))
            code = broadcast_request(bot, clock)
            await tick_jobs(bot)
            with Session(bot.app.db) as session, session.begin():
                close_by_requester(session, code=code, requester=FAMILY,
                                   status=RequestStatus.FULFILLED, now=clock.now)
            await tick_jobs(bot)
            return bot.fake.texts(GROUP), code
    texts, code = asyncio.run(scenario())
    assert "will now get verified blood requests for Lucknow" in texts[0]
    assert code in texts[1] and "KGMU Trauma Centre" in texts[1]
    assert not any(digits in text for text in texts for digits in ("98765", "+91"))
    assert f"Update on {code}: fulfilled" in texts[2]
