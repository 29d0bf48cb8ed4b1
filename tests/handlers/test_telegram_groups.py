"""On Telegram, an admin registers a donor group; requests are posted there, edited on closing."""

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
from tests.handlers.fake_bot_api import FakeBotApi, contact, group_message, private_message
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


async def post_and_close(bot: Bot, clock: FakeClock) -> str:
    """Register the group, broadcast a request there, then close the request as fulfilled."""
    await sign_in_admin(bot)
    await bot.turn(group_message(GROUP, STRANGER, "/registergroup Lucknow"))
    assert bot.fake.texts(GROUP) == [] == bot.fake.texts(STRANGER)
    await bot.turn(group_message(GROUP, ADMIN, "/registergroup@blood_test_bot Lucknow"))
    code = broadcast_request(bot, clock)
    await tick_jobs(bot)
    with Session(bot.app.db) as session, session.begin():
        close_by_requester(session, code=code, requester=FAMILY,
                           status=RequestStatus.FULFILLED, now=clock.now)
    await tick_jobs(bot)
    return code


def test_a_registered_group_gets_a_phone_free_post_edited_when_it_closes(
        tmp_path: Path, clock: FakeClock) -> None:
    async def scenario() -> tuple[str, FakeBotApi]:
        async with running_bot(tmp_path, clock, admin_phones=[PHONE]) as bot:
            return await post_and_close(bot, clock), bot.fake
    code, fake = asyncio.run(scenario())
    [registered, post] = fake.texts(GROUP)
    assert "will now get verified blood requests for Lucknow" in registered
    assert code in post and "KGMU Trauma Centre" in post
    assert not any(digits in post for digits in ("98765", "+91"))
    [edit] = fake.edits(GROUP)
    post_id = fake.sent(GROUP)[1].params["message_id"]
    assert edit.params["message_id"] == post_id
    assert f"Update on {code}: fulfilled" in fake.messages[(GROUP, post_id)]


def test_a_post_that_cannot_be_edited_gets_a_new_message(tmp_path: Path,
                                                          clock: FakeClock) -> None:
    async def scenario() -> tuple[str, FakeBotApi]:
        async with running_bot(tmp_path, clock, admin_phones=[PHONE]) as bot:
            bot.fake.fail_next("editMessageText", 400,
                               "Bad Request: message can't be edited")
            return await post_and_close(bot, clock), bot.fake
    code, fake = asyncio.run(scenario())
    assert fake.edits(GROUP) == [] and len(fake.called("editMessageText")) == 1
    assert f"Update on {code}: fulfilled" in fake.texts(GROUP)[-1]
