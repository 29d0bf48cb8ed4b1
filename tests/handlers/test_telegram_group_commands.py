"""On Telegram, only an admin's command in a group manages that group; no one else hears back."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlmodel import Session, select

from storage.followup_tables import DonorGroup
from tests.bot.conftest import FakeClock
from tests.handlers.conftest import Bot, running_bot
from tests.handlers.fake_bot_api import Call, group_message, private_message
from tests.handlers.test_telegram_groups import ADMIN, GROUP, PHONE, STRANGER, sign_in_admin

MEMBER = 4004
"""A user who started the bot and chose a language, but is no admin."""
OTHER_GROUP = -100123
USAGE = "Send this in the group itself: /registergroup Lucknow"


def registered(bot: Bot) -> dict[str, bool]:
    """Return every group ever registered, and whether it still gets requests."""
    with Session(bot.app.db) as session:
        return {row.address_key: row.active for row in session.exec(select(DonorGroup))}


async def say(bot: Bot, chat_id: int, *texts: str) -> None:
    for text in texts:
        await bot.turn(private_message(chat_id, text))


def test_a_non_admins_group_command_gets_no_message_anywhere(tmp_path: Path,
                                                             clock: FakeClock) -> None:
    async def scenario() -> tuple[list[Call], dict[str, bool]]:
        async with running_bot(tmp_path, clock, admin_phones=[PHONE]) as bot:
            await say(bot, MEMBER, "/start", "1")
            before = len(bot.fake.called("sendMessage"))
            for who in (STRANGER, MEMBER):  # one never started the bot, one did
                await bot.turn(group_message(GROUP, who, "/registergroup Lucknow"))
                await bot.turn(group_message(GROUP, who, "/unregistergroup@blood_test_bot"))
            return bot.fake.called("sendMessage")[before:], registered(bot)
    sent, groups = asyncio.run(scenario())
    assert sent == [] and groups == {}


def test_an_admins_group_commands_answer_in_the_group_and_a_stranger_cannot_undo_them(
        tmp_path: Path, clock: FakeClock) -> None:
    async def scenario() -> tuple[list[Call], dict[str, bool], dict[str, bool]]:
        async with running_bot(tmp_path, clock, admin_phones=[PHONE]) as bot:
            await sign_in_admin(bot)
            before = len(bot.fake.called("sendMessage"))
            await bot.turn(group_message(GROUP, ADMIN, "/registergroup Lucknow"))
            await bot.turn(group_message(GROUP, STRANGER, "/unregistergroup"))
            kept = registered(bot)
            await bot.turn(group_message(GROUP, ADMIN, "/unregistergroup"))
            return bot.fake.called("sendMessage")[before:], kept, registered(bot)
    sent, kept, stopped = asyncio.run(scenario())
    assert [call.params["chat_id"] for call in sent] == [GROUP, GROUP]
    assert "will now get verified blood requests for Lucknow" in sent[0].params["text"]
    assert "will no longer get blood requests" in sent[1].params["text"]
    assert kept == {f"telegram:{GROUP}": True} and stopped == {f"telegram:{GROUP}": False}


def test_a_group_id_typed_in_a_private_chat_names_no_group(tmp_path: Path,
                                                           clock: FakeClock) -> None:
    async def scenario() -> tuple[list[str], list[str], dict[str, bool]]:
        async with running_bot(tmp_path, clock, admin_phones=[PHONE]) as bot:
            await sign_in_admin(bot)
            await bot.turn(group_message(GROUP, ADMIN, "/registergroup Lucknow"))
            await say(bot, ADMIN, f"/registergroup group:{OTHER_GROUP} Lucknow",
                      f"/unregistergroup group:{GROUP}")
            return bot.fake.texts(ADMIN)[-2:], bot.fake.texts(OTHER_GROUP), registered(bot)
    replies, other, groups = asyncio.run(scenario())
    assert all(reply.startswith(USAGE) for reply in replies)
    assert other == [] and groups == {f"telegram:{GROUP}": True}


def test_a_non_admins_group_command_in_private_is_unknown_like_any_admin_command(
        tmp_path: Path, clock: FakeClock) -> None:
    async def scenario() -> list[str]:
        async with running_bot(tmp_path, clock, admin_phones=[PHONE]) as bot:
            await say(bot, MEMBER, "/start", "1")
            answers = []
            for text in ("/approve R-4821", f"/registergroup group:{GROUP} Lucknow",
                         "/unregistergroup"):
                before = len(bot.fake.texts(MEMBER))
                await say(bot, MEMBER, text)
                answers.append("\n".join(bot.fake.texts(MEMBER)[before:]))
            return answers
    approve, register, unregister = asyncio.run(scenario())
    assert approve.startswith("I do not know that command")
    assert register == approve and unregister == approve
