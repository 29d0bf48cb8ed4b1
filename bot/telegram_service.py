"""Run the Telegram channel: a python-telegram-bot Application, polling or behind a webhook."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
from itertools import count
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from telegram import BotCommand, Update
from telegram.error import BadRequest, InvalidToken, TelegramError
from telegram.ext import Application, ContextTypes, TypeHandler

from bot.app import App
from bot.settings import Settings
from bot.slips import SlipFetcher
from bot.telegram_startup import (
    BAD_TOKEN,
    DEFAULT_BACKOFF,
    Backoff,
    TelegramStartFailed,
    persist,
)
from handlers.sending import Sender
from handlers.telegram_channel import (
    CHANNEL,
    TelegramSender,
    TelegramUpdates,
    mask_chat,
)
from handlers.telegram_render import file_url

log = logging.getLogger(__name__)

TelegramApp = Application[Any, Any, Any, Any, Any, Any]

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = (Update.MESSAGE, Update.CALLBACK_QUERY)
COMMANDS: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (("menu", "Main menu"),
           ("help", "Help with this question"),
           ("cancel", "Stop what you are doing; nothing is saved"),
           ("language", "Change language / भाषा बदलें"),
           ("stop", "Stop blood request alerts")),
    "hi": (("menu", "मुख्य मेनू"),
           ("help", "इस सवाल पर मदद"),
           ("cancel", "जो कर रहे हैं उसे रोकें; कुछ सेव नहीं होगा"),
           ("language", "भाषा बदलें / Change language"),
           ("stop", "ब्लड रिक्वेस्ट अलर्ट बंद करें")),
}
"""The command menu in each language: only the commands the engine obeys at every step."""

NOT_READY_RETRY_AFTER = "5"
"""Seconds, in Retry-After, for a webhook that comes while the channel starts or stops."""
STOP_GRACE_SECONDS = 5.0
"""How long `stop` waits for webhook updates already being handled."""
def webhook_secret(settings: Settings) -> str:
    """Return TELEGRAM_WEBHOOK_SECRET, or one derived from the token when it is unset."""
    if settings.telegram_webhook_secret:
        return settings.telegram_webhook_secret
    token = (settings.telegram_bot_token or "").encode()
    return hmac.new(token, b"bloodbot telegram webhook", hashlib.sha256).hexdigest()


def build_application(settings: Settings, *, webhook: bool,
                      timeout: float | None = None) -> TelegramApp:
    """Build the Application against TELEGRAM_API_BASE_URL; a webhook needs no Updater.

    `timeout` bounds connecting and each answer, in seconds (None: the library's 5 s).
    """
    base_url = settings.telegram_api_base_url
    builder = (Application.builder().token(settings.telegram_bot_token or "")
               .base_url(base_url).base_file_url(file_url(base_url)).job_queue(None))
    if timeout is not None:
        builder = builder.connect_timeout(timeout).read_timeout(timeout)
    if webhook:
        builder = builder.updater(None)
    # httpx logs every request URL at INFO, and the URL holds the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    application: TelegramApp = builder.build()
    return application


class TelegramService:
    """Receive Telegram updates (polling, or a webhook when PUBLIC_BASE_URL is set) and send.

    `start` keeps trying while Telegram is slow or unreachable (waits from `backoff`);
    `timeout` bounds each Bot API call (None: the library's default).
    """

    name = CHANNEL

    def __init__(self, app: App, *, backoff: Backoff = DEFAULT_BACKOFF,
                 timeout: float | None = None) -> None:
        settings = app.settings
        base = settings.public_base_url
        self.webhook_url = base.rstrip("/") + WEBHOOK_PATH if base else None
        self.backoff = backoff
        self.application = build_application(settings, webhook=self.webhook_url is not None,
                                             timeout=timeout)
        self.telegram_sender = TelegramSender(self.application.bot,
                                              fetch_media=SlipFetcher(settings))
        self.sender: Sender = self.telegram_sender
        updates = TelegramUpdates(on_inbound=app.runtime.handle, sender=self.telegram_sender)
        self.application.add_handler(TypeHandler(Update, updates.on_update))
        self.application.add_error_handler(self._on_error)
        self._secret = webhook_secret(settings)
        self._failed: set[int] = set()
        self._accepting = False
        self._busy = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._menu: asyncio.Task[None] | None = None

    @property
    def routes(self) -> list[BaseRoute]:
        """Return the webhook route in webhook mode; none when polling."""
        if self.webhook_url is None:
            return []
        return [Route(WEBHOOK_PATH, self._webhook, methods=["POST"])]

    async def start(self) -> None:
        """Connect, publish the command menu, then poll or register the webhook.

        Retries until Telegram answers (cancel to give up); a refused token or webhook URL
        raises TelegramStartFailed at once.
        """
        application, bot = self.application, self.application.bot
        try:
            await persist("reach Telegram", application.initialize, self.backoff)  # getMe
        except InvalidToken:
            raise TelegramStartFailed(BAD_TOKEN) from None  # the library's message shows it
        self.telegram_sender.ready = True
        if not await self._publish_menu():
            self._menu = asyncio.create_task(self._publish_menu_later(), name="telegram menu")
        updater = application.updater
        if self.webhook_url is None and updater is not None:
            await persist("start polling", lambda: updater.start_polling(
                allowed_updates=list(ALLOWED_UPDATES)), self.backoff)
        await application.start()
        self._accepting = True
        if self.webhook_url is not None:
            await self._set_webhook(self.webhook_url)
        log.info("telegram bot @%s %s", bot.username,
                 "polling" if self.webhook_url is None else "on its webhook")

    async def stop(self) -> None:
        """Stop polling and close the connections; a webhook stays set for the next start.

        Safe after a start that failed or was cancelled half-way.
        """
        self._accepting = False
        self.telegram_sender.ready = False
        if self._menu is not None:
            self._menu.cancel()
            await asyncio.gather(self._menu, return_exceptions=True)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._idle.wait(), STOP_GRACE_SECONDS)
        application = self.application
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        await application.shutdown()
        await application.bot.shutdown()  # an initialize cut short leaves its connections

    async def _set_webhook(self, url: str) -> None:
        """Register the webhook, retrying while Telegram is unreachable."""
        try:
            await persist("register the webhook", lambda: self.application.bot.set_webhook(
                url, secret_token=self._secret, allowed_updates=list(ALLOWED_UPDATES)),
                self.backoff)
        except BadRequest as error:
            raise TelegramStartFailed(f"Telegram refused the webhook {url} "
                                      f"({error.message}): check PUBLIC_BASE_URL") from None

    async def _publish_menu(self) -> bool:
        """Publish the command menu in each language once; False if Telegram failed."""
        bot = self.application.bot
        try:
            for lang, commands in COMMANDS.items():
                await bot.set_my_commands([BotCommand(c, d) for c, d in commands],
                                          language_code=None if lang == "en" else lang)
        except TelegramError as error:
            log.warning("could not publish the command menu (%s); the bot works without it",
                        error.message[:80])
            return False
        return True

    async def _publish_menu_later(self) -> None:
        """Publish the command menu in the background, waiting longer after each failure."""
        for attempt in count(1):
            await asyncio.sleep(self.backoff.wait(attempt))
            if await self._publish_menu():
                log.info("published the command menu")
                return

    async def _webhook(self, request: Request) -> Response:
        """Take one update from Telegram; answer 200 only once its turn is committed."""
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self._secret.encode()):
            log.warning("refused a Telegram webhook call without the right secret")
            return Response(status_code=403)
        try:
            update = Update.de_json(await request.json(), self.application.bot)
        except (ValueError, TypeError, KeyError):
            log.warning("refused a Telegram webhook call that is not an update")
            return Response(status_code=400)
        if not self._accepting:  # starting or stopping: Telegram delivers it again later
            log.info("telegram update %s postponed: the channel is not running",
                     update.update_id)
            return Response(status_code=503, headers={"Retry-After": NOT_READY_RETRY_AFTER})
        self._busy += 1
        self._idle.clear()
        try:
            await self.application.process_update(update)
        finally:
            self._busy -= 1
            if not self._busy:
                self._idle.set()
        if update.update_id in self._failed:
            self._failed.discard(update.update_id)
            return Response(status_code=500)  # nothing was committed: Telegram sends it again
        return Response(status_code=200)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log a failed update by its masked chat id; the user never sees the error."""
        chat = update.effective_chat if isinstance(update, Update) else None
        where = mask_chat(chat.id) if chat else "no chat"
        log.error("telegram update failed (chat %s)", where, exc_info=context.error)
        if isinstance(update, Update) and self.webhook_url is not None:
            self._failed.add(update.update_id)
