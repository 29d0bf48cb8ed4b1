"""The console channel: talk to the bot in a terminal, or script it through piped stdin."""

from __future__ import annotations

import asyncio
import mimetypes
import sys
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TextIO

from conversations.messages import Address, GeoPoint, Inbound, Media, Outbound, is_kept_media

CHANNEL = "console"
PROMPT = "> "
DEFAULT_PHOTO_TYPE = "image/jpeg"
"""The type of a /photo whose address names none (no known extension)."""
USAGE = {"/location": "(usage: /location LAT LON)\n",
         "/photo": "(usage: /photo URL, a photo or a PDF)\n"}
BANNER = (
    "bloodbot console. You are '{user}'. Type messages as that user.\n"
    "  /as NAME_OR_PHONE   switch to another user (donor, requester, admin)\n"
    "  /location LAT LON   share a location, e.g. /location 25.4358 81.8463\n"
    "  /photo URL          send a photo or PDF by its address, e.g. a requisition slip:\n"
    "                      /photo https://example.org/slip.jpg\n"
    "  /quit               leave (Ctrl-D works too)\n"
)

InboundHandler = Callable[[Inbound], Awaitable[None]]


def render(message: Outbound) -> str:
    """Render an Outbound as plain text with choices as a numbered list.

    A terminal shows no photo: an attachment becomes the note saying where to see it.
    """
    return message.without_attachment().as_plain_text()


class ConsoleSender:
    """Print messages; those for another user come under a header naming the recipient."""

    channel = CHANNEL

    def __init__(self, out: TextIO, current_user: Callable[[], str]) -> None:
        self._out = out
        self._current_user = current_user

    async def send(self, user_id: str, message: Outbound) -> None:
        """Print one message."""
        if user_id != self._current_user():
            self._out.write(f"\n----- message to {user_id} -----\n")
        self._out.write(render(message) + "\n")
        self._out.flush()


class ConsoleChannel:
    """Read lines as one user at a time and hand them to the runtime."""

    def __init__(self, *, user: str, on_inbound: InboundHandler,
                 after_turn: Callable[[], Awaitable[None]],
                 phone_of: Callable[[str], str | None],
                 stdin: TextIO | None = None, out: TextIO | None = None) -> None:
        self.user = user
        self._on_inbound = on_inbound
        self._after_turn = after_turn
        self._phone_of = phone_of
        self._in = stdin or sys.stdin
        self._out = out or sys.stdout
        self.sender = ConsoleSender(self._out, lambda: self.user)

    def _inbound(self, text: str, location: GeoPoint | None = None,
                 media: tuple[Media, ...] = ()) -> Inbound:
        return Inbound(
            address=Address(CHANNEL, self.user), external_id=uuid.uuid4().hex,
            received_at=datetime.now(UTC), text=text, location=location,
            phone=self._phone_of(self.user), display_name=self.user, media=media,
        )

    async def run(self) -> None:
        """Loop until end of input or /quit."""
        self._out.write(BANNER.format(user=self.user))
        while True:
            self._out.write(PROMPT)
            self._out.flush()
            line = await asyncio.to_thread(self._in.readline)
            if not line:
                self._out.write("\n")
                return
            text = line.rstrip("\r\n")
            if text.strip() in {"/quit", "/exit"}:
                return
            if text.startswith("/as "):
                self.user = text[4:].strip() or self.user
                self._out.write(f"(you are now '{self.user}')\n")
                continue
            inbound = self._parse(text)
            if inbound is None:
                self._out.write(USAGE[text.split()[0]])
                continue
            await self._on_inbound(inbound)
            await self._after_turn()

    def _parse(self, text: str) -> Inbound | None:
        parts = text.split()
        command = parts[0] if parts else ""
        if command == "/photo":
            return self._photo(parts[1:])
        if command != "/location":
            return self._inbound(text)
        try:
            return self._inbound("", GeoPoint(float(parts[1]), float(parts[2])))
        except (IndexError, ValueError):
            return None

    def _photo(self, args: list[str]) -> Inbound | None:
        """Send the file at a URL as a media message, typed by its extension."""
        if len(args) != 1:
            return None
        kind = mimetypes.guess_type(args[0])[0] or DEFAULT_PHOTO_TYPE
        if not is_kept_media(kind):
            return None
        return self._inbound("", media=(Media(args[0], kind),))
