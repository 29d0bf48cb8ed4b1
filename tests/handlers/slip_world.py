"""One bot on Telegram and WhatsApp at once, against both fakes: families and admins across."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import Any

import httpx
from sqlmodel import Session, select
from twilio.request_validator import RequestValidator

from bot.app import App, build_app
from bot.courier import Courier
from bot.settings import Settings
from bot.slips import SlipFetcher
from bot.telegram_service import SECRET_HEADER, WEBHOOK_PATH, TelegramService
from bot.web import build_web
from bot.whatsapp_service import WhatsAppService
from storage.tables import BloodRequest
from tests.bot.conftest import FakeClock
from tests.handlers.conftest import SECRET
from tests.handlers.fake_bot_api import TOKEN, FakeBotApi, contact, private_message, running_fake
from tests.handlers.fake_twilio import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    BOT_NUMBER,
    PUBLIC_URL,
    FakeTwilio,
)

FAMILY_CHAT, ADMIN_CHAT = 1001, 2002
FAMILY_PHONE, ADMIN_PHONE = "+919812345670", "+919000000001"
TELEGRAM_ADMIN_PHONE = "+919000000002"
REQUEST = ["/start request", "1", "Ramesh Kumar", "45", "1", "B+", "2", "2", "1",
           "SRN Hospital", "211001", "Ward 5", "skip", "1", "Sunita Devi", "98123 45679", "3", "1"]
SLIP_STEP = REQUEST.index("skip")
SLIP_BYTES = b"\xff\xd8\xff\xe0 a photo of the requisition slip"
PHOTO = {"photo": [{"file_id": "AgADslip", "file_unique_id": "u", "width": 1280,
                    "height": 960}]}


@dataclass
class World:
    """The app with both channels, the two fakes, the web app and a courier for both."""

    app: App
    telegram: FakeBotApi
    twilio: FakeTwilio
    telegram_service: TelegramService
    whatsapp_service: WhatsAppService
    courier: Courier

    def __post_init__(self) -> None:
        self.web = build_web(self.app, [*self.telegram_service.routes,
                                        *self.whatsapp_service.routes])
        self._sids = count(1)

    async def request(self, method: str, path: str, **options: Any) -> httpx.Response:
        """Call the bot's web app as Twilio, Telegram or anyone would."""
        transport = httpx.ASGITransport(app=self.web)
        async with httpx.AsyncClient(transport=transport, base_url=PUBLIC_URL) as client:
            return await client.request(method, path, **options)

    async def whatsapp(self, phone: str, *texts: str, **fields: str) -> None:
        """Send messages from a WhatsApp user, signed as Twilio signs them; deliver replies."""
        for text in texts:
            form = {"From": f"whatsapp:{phone}", "To": BOT_NUMBER, "Body": text,
                    "MessageSid": f"SM{next(self._sids):032d}", "WaId": phone.lstrip("+"),
                    "NumMedia": "0", **fields}
            path = "/whatsapp/inbound"
            signed = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC_URL + path, form)
            answer = await self.request("POST", path, data=form,
                                        headers={"X-Twilio-Signature": signed})
            assert answer.status_code == 200
            await self.courier.drain()

    async def telegram_update(self, body: dict[str, Any]) -> None:
        """Post one update to the Telegram webhook and deliver what it caused."""
        answer = await self.request("POST", WEBHOOK_PATH, json=self.telegram.update(body),
                                    headers={SECRET_HEADER: SECRET})
        assert answer.status_code == 200
        await self.courier.drain()

    async def tg(self, chat_id: int, *texts: str) -> None:
        """Send text messages from a Telegram user."""
        for text in texts:
            await self.telegram_update(private_message(chat_id, text))

    async def telegram_admin(self, chat_id: int = ADMIN_CHAT,
                             phone: str = TELEGRAM_ADMIN_PHONE) -> None:
        """Start a Telegram chat and verify its phone, an admin's (ADMIN_PHONES)."""
        await self.tg(chat_id, "/start", "1")
        await self.telegram_update(contact(chat_id, phone, owner=chat_id))

    async def telegram_family_files(self, slip: dict[str, Any] = PHOTO) -> str:
        """File the request on Telegram with a slip (a photo unless told); return its code."""
        await self.tg(FAMILY_CHAT, *REQUEST[:SLIP_STEP])
        message = private_message(FAMILY_CHAT, **slip)
        del message["message"]["text"]
        await self.telegram_update(message)
        await self.tg(FAMILY_CHAT, *REQUEST[SLIP_STEP + 1:])
        return self.code()

    def code(self) -> str:
        """Return the code of the one request filed."""
        with Session(self.app.db) as session:
            return session.exec(select(BloodRequest.code)).one()


def settings_for(tmp_path: Path, telegram: FakeBotApi, twilio_url: str) -> Settings:
    """Return settings for both channels against the fakes, with two admins."""
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'bot.db'}", public_base_url=PUBLIC_URL,
        telegram_bot_token=TOKEN, telegram_api_base_url=telegram.base_url,
        telegram_webhook_secret=SECRET, telegram_max_per_chat_per_second=0,
        telegram_max_per_second=0, twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=AUTH_TOKEN, twilio_whatsapp_from=BOT_NUMBER,
        twilio_api_base_url=twilio_url, whatsapp_mps=0,
        admin_phones=[ADMIN_PHONE, TELEGRAM_ADMIN_PHONE])


@asynccontextmanager
async def both_channels(tmp_path: Path, clock: FakeClock) -> AsyncIterator[World]:
    """Run the bot with Telegram (webhook) and WhatsApp against the fakes."""
    async with running_fake() as telegram:
        twilio = FakeTwilio()
        app = build_app(settings_for(tmp_path, telegram, await twilio.start()), clock=clock)
        telegram_service, whatsapp_service = TelegramService(app), WhatsAppService(app)
        # What bot.telegram_service is to do: let the Telegram sender fetch Twilio's files.
        telegram_service.telegram_sender.fetch_media = SlipFetcher(app.settings)
        await telegram_service.start()
        courier = app.courier({"telegram": telegram_service.sender,
                               "whatsapp": whatsapp_service.sender})
        try:
            yield World(app, telegram, twilio, telegram_service, whatsapp_service, courier)
        finally:
            await telegram_service.stop()
            await whatsapp_service.stop()
            await twilio.stop()
            app.db.dispose()
