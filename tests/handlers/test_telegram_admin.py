"""On Telegram, a family files a request and an admin in another chat verifies it."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlmodel import Session, select

from storage.tables import BloodRequest
from tests.bot.conftest import FakeClock
from tests.handlers.conftest import ASHA, Bot, running_bot
from tests.handlers.fake_bot_api import Call, contact, private_message

ADMINS = {2002: "+919000000001", 2003: "+919000000002"}
"""An attendant's first request needs two different admins (the second check)."""
REQUEST = ["/start request", "1", "Ramesh Kumar", "45", "1", "B+", "2", "2", "1",
           "SRN Hospital", "211001", "Ward 5", "skip", "1", "Sunita Devi", "98123 45679", "3", "1"]


async def say(bot: Bot, chat_id: int, *texts: str) -> None:
    for text in texts:
        await bot.turn(private_message(chat_id, text))


def request_code(bot: Bot) -> str:
    with Session(bot.app.db) as session:
        return session.exec(select(BloodRequest.code)).one()


def test_an_admin_in_another_chat_approves_and_the_family_hears(
        tmp_path: Path, clock: FakeClock) -> None:
    async def scenario() -> tuple[list[str], list[str]]:
        async with running_bot(tmp_path, clock, admin_phones=list(ADMINS.values())) as bot:
            await say(bot, ASHA, *REQUEST)
            code = request_code(bot)
            for chat, phone in ADMINS.items():
                await say(bot, chat, "/start", "1")
                await bot.turn(contact(chat, phone, owner=chat))
                await say(bot, chat, "/pending", f"/approve {code}", "1", "1", "1", "skip")
            return bot.fake.texts(2003), bot.fake.texts(ASHA)
    admin, family = asyncio.run(scenario())
    assert any("Waiting for an admin" in text for text in admin)
    assert any("is verified" in text for text in admin)
    assert any("has been verified by a volunteer" in text for text in family)


def test_a_slip_photo_reaches_the_admin_as_the_photo_itself(
        tmp_path: Path, clock: FakeClock) -> None:
    photo = private_message(ASHA, photo=[{"file_id": "AgADslip", "file_unique_id": "u",
                                          "width": 1280, "height": 960}])
    del photo["message"]["text"]
    slip = REQUEST.index("skip")

    async def scenario() -> tuple[list[str], list[Call]]:
        async with running_bot(tmp_path, clock, admin_phones=list(ADMINS.values())) as bot:
            await say(bot, ASHA, *REQUEST[:slip])
            await bot.turn(photo)
            await say(bot, ASHA, *REQUEST[slip + 1:])
            await say(bot, 2002, "/start", "1")
            await bot.turn(contact(2002, ADMINS[2002], owner=2002))
            await say(bot, 2002, f"/show {request_code(bot)}")
            return bot.fake.texts(2002), bot.fake.sent_files(2002)
    texts, [sent] = asyncio.run(scenario())
    assert "Requisition slip: sent in the next message" in texts[-2]
    assert sent.method == "sendPhoto" and sent.params["photo"] == "AgADslip"
    assert "Requisition slip of R-" in sent.params["caption"]
    assert not any("AgADslip" in text for text in texts)
