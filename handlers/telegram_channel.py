"""The Telegram channel: updates become Inbound messages, Outbound messages become sendMessage."""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from warnings import catch_warnings

from telegram import (
    Bot,
    CallbackQuery,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    ReplyKeyboardRemove,
    Update,
)
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import ContextTypes
from telegram.warnings import PTBDeprecationWarning

from conversations.menu import MAX_MESSAGE_CHARS
from conversations.messages import Address, GeoPoint, Inbound, Media, Outbound, is_kept_media
from handlers.sending import DeliveryFailed, RecipientGone
from handlers.telegram_render import (
    FILE_PREFIX,
    Part,
    asks_for_device_data,
    caption_of,
    file_id_of,
    render,
    shows_as_photo,
)
from storage.domain.phones import normalize_phone

log = logging.getLogger(__name__)

CHANNEL = "telegram"
STALE_BUTTON = ("⌛ This question has passed: please answer the latest message.\n"
                "यह सवाल पुराना है: कृपया सबसे नए संदेश का जवाब दें।")

NOT_FETCHED = ("⚠️ The photo could not be fetched from WhatsApp (Twilio): it may have been "
               "deleted, or the bot's Twilio settings are missing. Call the attendant to see it.\n"
               "⚠️ फ़ोटो WhatsApp (Twilio) से नहीं लाई जा सकी: शायद वह हटा दी गई है, या बॉट की "
               "Twilio सेटिंग नहीं है। उसे देखने के लिए अटेंडेंट को फ़ोन करें।")
"""Said instead of an attachment kept at Twilio that could not be fetched (in both languages:
the Outbound's own note is about channels that cannot show files, not about this)."""

FORGET_AT = 100_000
"""Chats remembered for the button guard and keyboards before the memory is cleared."""

InboundHandler = Callable[[Inbound], Awaitable[object]]
MediaFetcher = Callable[[str], Awaitable[bytes | None]]
"""Fetch the bytes of an attachment kept by URL (a slip at Twilio); None when it cannot be
had at all. A fetch that may work later raises `handlers.sending.DeliveryFailed`."""
FileInput = str | InputFile
"""A file to send: a Bot API file_id, or bytes being uploaded."""


def mask_chat(chat_id: int | str) -> str:
    """Return a chat id shortened for logs."""
    return f"{str(chat_id)[:3]}…"  # as the runtime shows addresses


def command_text(text: str, username: str | None) -> str:
    """Drop this bot's "@name" from a leading command ("/start@blood_bot donate")."""
    word, space, rest = text.partition(" ")
    command, at, target = word.partition("@")
    if command.startswith("/") and at and username and target.lower() == username.lower():
        return command + space + rest
    return text


def own_phone(message: Message) -> str | None:
    """Return the shared contact's number in E.164 only if it is the sender's own contact."""
    contact, sender = message.contact, message.from_user
    if contact is None or sender is None or contact.user_id != sender.id:
        return None
    digits = "".join(ch for ch in contact.phone_number if ch.isdigit())
    return normalize_phone("+" + digits)  # Telegram always includes the country code


PHOTO_TYPE = "image/jpeg"  # Bot API: photos are always re-encoded as JPEG


def media_of(message: Message) -> tuple[Media, ...]:
    """Return a photo (its largest size) or an image or PDF document, as a file_id reference."""
    if message.photo:
        largest = max(message.photo, key=lambda size: size.width * size.height)
        return (Media(FILE_PREFIX + largest.file_id, PHOTO_TYPE),)
    document = message.document
    if document is not None and is_kept_media(document.mime_type or ""):
        return (Media(FILE_PREFIX + document.file_id, str(document.mime_type)),)
    return ()


GROUP_COMMANDS = frozenset({"/registergroup", "/unregistergroup"})
"""The only messages read in group chats: an admin (re)registering the group itself."""


def group_command_of(update: Update, username: str | None = None) -> Inbound | None:
    """Map a group command to an Inbound from the sender's own chat, naming the group.

    The sender's private address carries their verified phone, so the engine checks their
    role as for any admin command; `Inbound.group` tells the command where it was sent.
    The text stays as typed: no one can name a group by typing it in a private chat.
    """
    chat, user, message = update.effective_chat, update.effective_user, update.message
    if chat is None or user is None or message is None or user.is_bot:
        return None
    text = command_text(message.text or "", username)
    if text.partition(" ")[0].casefold() not in GROUP_COMMANDS \
            or len(text) > MAX_MESSAGE_CHARS:  # the engine would answer that in private
        return None
    return Inbound(Address(CHANNEL, str(user.id)), f"g:{chat.id}:{message.message_id}",
                   message.date, text=text, display_name=user.first_name,
                   group=Address(CHANNEL, str(chat.id)))


def inbound_of(update: Update, username: str | None = None) -> Inbound | None:
    """Map a private chat's message or button press to an Inbound; None for anything else."""
    chat, user = update.effective_chat, update.effective_user
    if chat is not None and chat.type in {ChatType.GROUP, ChatType.SUPERGROUP}:
        return group_command_of(update, username)
    if chat is None or chat.type != ChatType.PRIVATE:
        return None
    address = Address(CHANNEL, str(chat.id))
    name = user.first_name if user else None
    query = update.callback_query
    if query is not None:
        return Inbound(address, f"cb:{query.id}", datetime.now(UTC), text=query.data or "",
                       display_name=name)
    message = update.message
    if message is None:
        return None
    where = message.location
    return Inbound(
        address, f"m:{chat.id}:{message.message_id}", message.date,
        text=command_text(message.text or message.caption or "", username),
        location=GeoPoint(where.latitude, where.longitude) if where else None,
        phone=own_phone(message), display_name=name, media=media_of(message),
    )


def retry_seconds(error: RetryAfter) -> float:
    """Return how long Telegram asked us to wait, in seconds."""
    with catch_warnings(action="ignore", category=PTBDeprecationWarning):
        wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


class TelegramSender:
    """Send Outbound messages with python-telegram-bot's Bot; map its errors for the courier."""

    channel = CHANNEL

    def __init__(self, bot: Bot, *, fetch_media: MediaFetcher | None = None) -> None:
        self._bot = bot
        self.ready = False
        """Set once the bot is initialised; until then sends are postponed."""
        self.fetch_media = fetch_media
        """Fetches attachments that are not Telegram files (set by the bot layer); without
        it such an attachment is replaced by its note."""
        self._latest: dict[int, int] = {}
        self._reply_keyboards: set[int] = set()

    def latest_message_id(self, chat_id: int) -> int | None:
        """Return the id of the last message this process sent to the chat, if any."""
        return self._latest.get(chat_id)

    async def send(self, user_id: str, message: Outbound) -> str | None:
        """Send one Outbound as one or more Telegram messages; return the first one's id.

        With `edit_of` set, that earlier message is edited instead; when Telegram will not
        edit it (deleted, too old, a reply keyboard), a new message is sent.
        """
        if not self.ready:
            raise DeliveryFailed("the Telegram bot is not started yet", retry_after=2.0)
        try:
            chat_id = int(user_id)
        except ValueError:
            raise RecipientGone("not a Telegram chat id") from None
        file = await self._file_of(message)
        if message.attachment is not None and file is None:
            message = replace(message, attachment_note=NOT_FETCHED).without_attachment()
        parts = render(message, clear_reply_keyboard=chat_id in self._reply_keyboards)
        if len(self._latest) > FORGET_AT:  # forgetting only lets an old button through
            self._latest.clear()
            self._reply_keyboards.clear()
        first: int | None = None
        try:
            if message.edit_of is not None and file is None \
                    and await self._edited(chat_id, message.edit_of, parts):
                return message.edit_of
            caption = None if file is None else caption_of(parts)  # else the text goes first
            for part in parts if caption is None else []:
                sent = await self._bot.send_message(chat_id, part.text, reply_markup=part.markup)
                self._latest[chat_id] = sent.message_id
                first = sent.message_id if first is None else first
            if file is not None and message.attachment is not None:
                sent = await self._send_file(chat_id, file, message.attachment, caption)
                self._latest[chat_id] = sent.message_id
                first = sent.message_id if first is None else first
        except RetryAfter as error:
            raise DeliveryFailed("Telegram flood control", retry_after=retry_seconds(error)) \
                from error
        except Forbidden as error:
            raise RecipientGone(f"Telegram refused: {error.message}") from error
        except BadRequest as error:
            if "chat not found" in error.message.lower():
                raise RecipientGone("Telegram chat not found") from error
            raise DeliveryFailed(f"Telegram bad request: {error.message}") from error
        except TelegramError as error:  # TimedOut, NetworkError, a server error
            raise DeliveryFailed(f"Telegram unavailable: {error.message}") from error
        if asks_for_device_data(message):
            self._reply_keyboards.add(chat_id)
        elif any(isinstance(part.markup, ReplyKeyboardRemove) for part in parts):
            self._reply_keyboards.discard(chat_id)
        return None if first is None else str(first)

    async def _file_of(self, message: Outbound) -> FileInput | None:
        """Return the attachment as Telegram takes it: its file_id, or the fetched bytes."""
        media = message.attachment
        if media is None:
            return None
        file_id = file_id_of(media.url)
        if file_id is not None:
            return file_id
        data = None if self.fetch_media is None else await self.fetch_media(media.url)
        if data is None:  # the URL is not logged: a Twilio one names the account
            log.warning("an attachment kept by URL could not be fetched for Telegram%s",
                        "" if self.fetch_media else " (no fetcher is set)")
            return None
        extension = mimetypes.guess_extension(media.content_type) or ""
        return InputFile(data, filename="attachment" + extension)

    async def _send_file(self, chat_id: int, file: FileInput, media: Media,
                         caption: Part | None) -> Message:
        """Send a photo, or a document (a PDF, or an image Telegram will not take as a photo)."""
        text, markup = (caption.text, caption.markup) if caption else (None, None)
        if shows_as_photo(media.content_type):
            try:
                return await self._bot.send_photo(chat_id, file, caption=text,
                                                  reply_markup=markup)
            except BadRequest as error:  # a document's file_id, or too large for a photo
                if "chat not found" in error.message.lower():
                    raise
                log.info("Telegram refused a photo (%s): sending it as a document",
                         error.message)
        return await self._bot.send_document(chat_id, file, caption=text, reply_markup=markup)

    async def _edited(self, chat_id: int, message_id: str, parts: list[Part]) -> bool:
        """Replace an earlier message's text; False when Telegram cannot or will not."""
        markup = parts[0].markup
        if len(parts) != 1 or not message_id.isdigit() or not isinstance(
                markup, InlineKeyboardMarkup | None):
            return False
        try:
            await self._bot.edit_message_text(parts[0].text, chat_id=chat_id,
                                              message_id=int(message_id), reply_markup=markup)
        except BadRequest as error:
            reason = error.message.lower()
            if "chat not found" in reason:
                raise
            if "not modified" not in reason:  # deleted, or too old to edit
                log.info("could not edit message %s in chat %s (%s): sending a new one",
                         message_id, mask_chat(chat_id), error.message)
                return False
        return True


class TelegramUpdates:
    """Hand private chats' updates to the runtime; answer and retire pressed buttons."""

    def __init__(self, *, on_inbound: InboundHandler, sender: TelegramSender) -> None:
        self._on_inbound = on_inbound
        self._sender = sender

    async def on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Handle one update (python-telegram-bot handler callback); groups only register."""
        query = update.callback_query
        if query is not None and not await self._settle_button(query):
            return
        inbound = inbound_of(update, context.bot.username)
        if inbound is not None:
            await self._on_inbound(inbound)

    async def _settle_button(self, query: CallbackQuery) -> bool:
        """Answer a press and remove its buttons; False when it should not reach the runtime."""
        message = query.message
        chat = message.chat if message else None
        if message is None or chat is None or chat.type != ChatType.PRIVATE:
            await self._quietly(query.answer(), query)
            return False
        if (query.data or "").startswith("/"):
            # A command button ("/approve R-4821") stands on its own: it never goes stale and
            # stays, so an admin can press /show and then /approve on the same alert.
            await self._quietly(query.answer(), query)
            return True
        latest = self._sender.latest_message_id(chat.id)
        stale = latest is not None and message.message_id < latest
        await self._quietly(query.answer(STALE_BUTTON if stale else None), query)
        await self._quietly(query.edit_message_reply_markup(None), query)
        if stale:
            log.info("ignored a press on an old message in chat %s", mask_chat(chat.id))
        return not stale

    @staticmethod
    async def _quietly(call: Awaitable[object], query: CallbackQuery) -> None:
        """Await a cosmetic Bot API call; its failure must not lose the user's answer."""
        try:
            await call
        except TelegramError as error:
            log.info("Telegram could not settle button %s: %s", query.id, error.message)
