"""Render an Outbound as Telegram messages: text parts, inline buttons and request buttons."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from conversations.engine import command_of
from conversations.messages import Choice, Outbound

ReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove

MAX_TEXT_UNITS = 4096  # Bot API sendMessage: text is 1-4096 characters (UTF-16 code units)
MAX_CAPTION_UNITS = 1024  # Bot API sendPhoto/sendDocument: a caption is 0-1024 characters
MAX_CALLBACK_BYTES = 64  # Bot API InlineKeyboardButton: callback_data is 1-64 bytes
SHORT_LABEL = 12
"""Labels up to this many characters share a row of buttons; longer ones get a row each."""
ROW_WIDTH = 4

FILE_PREFIX = "telegram-file:"
"""Names a file by its Bot API file_id: its download URL holds the bot token, so never keep it."""

# The Outbound does not say which language the user reads, so these labels carry both.
SEND_LOCATION = "📍 Send my location / मेरी लोकेशन भेजें"
SHARE_PHONE = "📞 Share my number / मेरा नंबर भेजें"


@dataclass(frozen=True)
class Part:
    """One Telegram message: a slice of the text and the keyboard that goes with it."""

    text: str
    markup: ReplyMarkup | None = None


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _hard_split(line: str, limit: int) -> list[str]:
    pieces: list[str] = []
    piece = ""
    for char in line:
        if _units(piece + char) > limit:
            pieces.append(piece)
            piece = ""
        piece += char
    return [*pieces, piece]


def split_text(text: str, limit: int = MAX_TEXT_UNITS) -> list[str]:
    """Cut `text` into parts Telegram accepts, at line ends where possible."""
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if _units(candidate) <= limit:
            current = candidate
            continue
        if current:
            parts.append(current)
        *whole, current = _hard_split(line, limit)
        parts.extend(whole)
    return [*parts, current] if current or not parts else parts


def callback_data(choice: Choice, position: int) -> str:
    """Return what a press of this button sends: the option key, else its number.

    A key the engine would read as a global command ("hi" is a greeting as well as Hindi's
    key) or one too long for Telegram is replaced by the choice's 1-based number.
    """
    key = choice.key
    if not key or len(key.encode()) > MAX_CALLBACK_BYTES or command_of(key)[0] is not None:
        return str(position)
    return key


def _rows(labels: Sequence[str]) -> list[list[int]]:
    rows: list[list[int]] = []
    for index, label in enumerate(labels):
        short = len(label) <= SHORT_LABEL
        last = rows[-1] if rows else None
        if short and last and len(last) < ROW_WIDTH and len(labels[last[0]]) <= SHORT_LABEL:
            last.append(index)
        else:
            rows.append([index])
    return rows


def inline_keyboard(choices: Sequence[Choice]) -> InlineKeyboardMarkup:
    """Lay the choices out as buttons: short labels side by side, long ones a row each."""
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(choices[i].label, callback_data=callback_data(choices[i], i + 1))
         for i in row]
        for row in _rows([choice.label for choice in choices])
    ])


def request_keyboard(message: Outbound) -> ReplyKeyboardMarkup:
    """Offer a location or contact button, with any choices as buttons that send their label."""
    first = KeyboardButton(SEND_LOCATION, request_location=True) if message.ask_location \
        else KeyboardButton(SHARE_PHONE, request_contact=True)
    rows = [[first]]
    if message.ask_location and message.ask_phone:
        rows.append([KeyboardButton(SHARE_PHONE, request_contact=True)])
    rows.extend([KeyboardButton(choice.label)] for choice in message.choices)
    return ReplyKeyboardMarkup(rows, resize_keyboard=True, one_time_keyboard=True)


def asks_for_device_data(message: Outbound) -> bool:
    """Tell whether the message shows a location or contact keyboard."""
    return message.ask_location or message.ask_phone


def render(message: Outbound, *, clear_reply_keyboard: bool = False) -> list[Part]:
    """Turn one Outbound into Telegram messages; the keyboard goes on the last part.

    With `clear_reply_keyboard`, an earlier location or contact keyboard is removed on the
    first part that carries no other keyboard (one message holds one keyboard at most).
    """
    texts = split_text(message.text)
    markups: list[ReplyMarkup | None] = [None] * len(texts)
    if asks_for_device_data(message):
        markups[-1] = request_keyboard(message)
    elif message.choices:
        markups[-1] = inline_keyboard(message.choices)
    if clear_reply_keyboard and not asks_for_device_data(message) and None in markups:
        markups[markups.index(None)] = ReplyKeyboardRemove()
    return [Part(text, markup) for text, markup in zip(texts, markups, strict=True)]


def file_id_of(reference: str) -> str | None:
    """Return the Bot API file_id that a `telegram-file:` reference names; None for others."""
    return reference.removeprefix(FILE_PREFIX) if reference.startswith(FILE_PREFIX) else None


def shows_as_photo(content_type: str) -> bool:
    """Tell whether an attachment goes as a photo (any image) rather than as a document."""
    return content_type.strip().lower().startswith("image/")


def caption_of(parts: Sequence[Part]) -> Part | None:
    """Return the one part that can be an attachment's caption, None if the text is too long."""
    if len(parts) == 1 and _units(parts[0].text) <= MAX_CAPTION_UNITS:
        return parts[0]
    return None


def file_url(base_url: str) -> str:
    """Return the file download URL that goes with a Bot API base URL."""
    head, slash, tail = base_url.rstrip("/").rpartition("/")
    return f"{head}{slash}file/{tail}" if tail.startswith("bot") else base_url
