"""The WhatsApp channel through Twilio: webhook forms to Inbounds, Outbounds to Twilio messages."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from aiohttp import ClientError
from twilio.base.exceptions import TwilioRestException  # type: ignore[import-untyped]

from conversations.i18n import DEFAULT_LANGUAGE
from conversations.messages import Address, GeoPoint, Inbound, Media, Outbound, is_kept_media
from handlers.sending import DeliveryFailed, RecipientGone
from storage.domain.phones import mask_phone, normalize_phone

log = logging.getLogger(__name__)

CHANNEL = "whatsapp"
PREFIX = "whatsapp:"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'

# The WhatsApp Business Platform's rules as Twilio applies them (DOMAIN.md, "Channels";
# twilio.com/docs/whatsapp/key-concepts, twilio.com/docs/api/errors).
SESSION_WINDOW = timedelta(hours=24)  # free-form messages only this long after the user wrote
MAX_BODY_CHARS = 1600  # Twilio: the longest message body
PREVIEW_CHARS = 100  # our choice: how much of a notice a generic template carries
OUTSIDE_WINDOW = 63016  # free-form message outside the 24-hour window
UNSUBSCRIBED = 21610  # the user unsubscribed (blocked) the sender
DAILY_LIMIT = 63018  # the sender's daily tier of business-initiated conversations is used up
GONE_CODES = frozenset({UNSUBSCRIBED, 21211, 21614})  # unsubscribed, invalid or not a mobile
MAX_MEDIA = 10  # Twilio: at most 10 media files on one incoming message


@dataclass(frozen=True)
class StatusReport:
    """A message status callback: which message, what became of it, and Twilio's error code."""

    sid: str
    status: str
    error_code: int | None


@dataclass(frozen=True)
class SentMessage:
    """A message Twilio accepted, and the template kind it was sent as (None: free-form)."""

    sid: str
    status: str
    template: str | None


def sender_phone(form: Mapping[str, str], region: str = "IN") -> str | None:
    """Return the E.164 number of a WhatsApp sender ("whatsapp:+91…"), else None."""
    sender = form.get("From", "")
    if not sender.startswith(PREFIX):
        return None
    return normalize_phone(sender, region) or normalize_phone("+" + form.get("WaId", ""), region)


def parse_inbound(form: Mapping[str, str], received_at: datetime,
                  region: str = "IN") -> Inbound | None:
    """Turn an incoming-message webhook form into an Inbound; None if it is not WhatsApp."""
    phone = sender_phone(form, region)
    sid = form.get("MessageSid") or form.get("SmsMessageSid")
    if phone is None or not sid:
        return None
    location: GeoPoint | None
    try:
        location = GeoPoint(float(form["Latitude"]), float(form["Longitude"]))
    except (KeyError, ValueError):
        location = None
    text = form.get("ButtonPayload") or form.get("ButtonText") or form.get("Body", "")
    return Inbound(address=Address(CHANNEL, phone), external_id=sid, received_at=received_at,
                   text="" if location else text, location=location, phone=phone,
                   display_name=form.get("ProfileName") or None, media=media_of(form))


def media_of(form: Mapping[str, str]) -> tuple[Media, ...]:
    """Return the photos and PDFs attached to an incoming message, kept by URL and type."""
    try:
        count = int(form.get("NumMedia", "0"))
    except ValueError:
        count = 0
    found = ((form.get(f"MediaUrl{i}", ""), form.get(f"MediaContentType{i}", ""))
             for i in range(min(count, MAX_MEDIA)))
    return tuple(Media(url, kind) for url, kind in found if url and is_kept_media(kind))


def parse_status(form: Mapping[str, str]) -> StatusReport | None:
    """Turn a status-callback form into a StatusReport; None if it names no message."""
    sid, status = form.get("MessageSid", ""), form.get("MessageStatus", "")
    if not sid or not status:
        return None
    code = form.get("ErrorCode", "")
    return StatusReport(sid, status, int(code) if code.isdigit() else None)


def render_body(message: Outbound) -> str:
    """Render an Outbound as text: choices numbered, commands listed to type."""
    return message.as_plain_text()


def split_body(body: str, limit: int = MAX_BODY_CHARS) -> list[str]:
    """Cut a long body into messages Twilio accepts, between lines where possible."""
    parts: list[str] = []
    current = ""
    for line in body.split("\n"):
        for piece in [line[i:i + limit] for i in range(0, len(line), limit)] or [""]:
            candidate = f"{current}\n{piece}" if current else piece
            if len(candidate) > limit:
                parts.append(current)
                candidate = piece
            current = candidate
    return [*parts, current]


def template_variables(message: Outbound) -> dict[str, str]:
    """Return the template's variables: the message's own, else a one-line preview as "1"."""
    if message.template_vars:  # WhatsApp refuses variables with line breaks or tabs
        return {key: " ".join(value.split()) for key, value in message.template_vars.items()}
    line = " ".join(message.text.split())
    preview = line if len(line) <= PREVIEW_CHARS else line[:PREVIEW_CHARS - 1].rstrip() + "…"
    return {"1": preview}


def template_sid(sids: Mapping[str, str], language: str | None) -> str:
    """Pick a template's content SID by language: the recipient's, else English, else any."""
    for wanted in (language, DEFAULT_LANGUAGE, *sids):
        if wanted and wanted in sids:
            return sids[wanted]
    raise ValueError("no content SID for this template in any language")


def daily_limit_resets_at(now: datetime) -> datetime:
    """Return when a daily sending tier is assumed to reset: the next midnight UTC."""
    return datetime.combine(now.astimezone(UTC).date() + timedelta(days=1), time(), UTC)


class Pacer:
    """Space sends out to at most `per_second` messages a second (Twilio queues the rest)."""

    def __init__(self, per_second: float) -> None:
        self._interval = 1.0 / per_second if per_second > 0 else 0.0
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        """Return when the next message may go."""
        async with self._lock:
            now = asyncio.get_running_loop().time()
            if self._next > now:
                await asyncio.sleep(self._next - now)
            self._next = max(now, self._next) + self._interval


MediaLink = Callable[[Media], str | None]
"""Return a public URL Twilio can fetch an attachment from, None when there can be none."""


class WhatsAppSender:
    """Send Outbounds through Twilio: free-form inside the 24-hour window, templates outside.

    A template goes in the recipient's language when it is registered in it, else in English.
    """

    channel = CHANNEL

    def __init__(self, *, client: Callable[[], Awaitable[Any]], from_: str,
                 status_callback: str | None, templates: Mapping[str, Mapping[str, str]],
                 last_inbound_at: Callable[[str], Awaitable[datetime | None]],
                 clock: Callable[[], datetime], per_second: float = 0.0,
                 media_link: MediaLink | None = None,
                 language_of: Callable[[str], Awaitable[str | None]] | None = None) -> None:
        """Take a coroutine returning the twilio `Client` and content SIDs by kind and language.

        `templates` maps a kind ("alert", "notice") to its SIDs by language code ("en", "hi");
        `language_of` tells a recipient's language, asked only when a template is sent
        (without it, or when it knows none, the English SID is used).
        `media_link` gives attachments a public URL (Twilio fetches outbound media itself);
        without it, or when it gives none, the attachment's note is sent instead.
        """
        self._client = client
        self.media_link = media_link
        self._from = from_ if from_.startswith(PREFIX) else PREFIX + from_
        self._status_callback = status_callback
        self._templates = {kind: dict(sids) for kind, sids in templates.items() if sids}
        self._last_inbound_at = last_inbound_at
        self._language_of = language_of
        self._clock = clock
        self._pacer = Pacer(per_second)

    async def send(self, user_id: str, message: Outbound) -> None:
        """Deliver to the E.164 number `user_id`, or raise DeliveryFailed/RecipientGone."""
        await self.deliver(user_id, message)

    async def deliver(self, user_id: str, message: Outbound, *,
                      template: str = "notice") -> list[SentMessage]:
        """Send `message`; outside the window as the template it names, else as `template`."""
        kind = await self._template_kind(user_id, message, template)
        if kind is None:
            link = self._link(message.attachment)
            if message.attachment is not None and link is None:
                message = message.without_attachment()
            bodies = split_body(render_body(message))
            return [await self._create(user_id, None, media=link if index == 0 else None,
                                       body=body) for index, body in enumerate(bodies)]
        language = await self._language_of(user_id) if self._language_of else None
        sid = template_sid(self._templates[kind], language)
        variables = json.dumps(template_variables(message), ensure_ascii=False)
        return [await self._create(user_id, kind, content_sid=sid,
                                   content_variables=variables)]

    async def _template_kind(self, user_id: str, message: Outbound,
                             fallback: str) -> str | None:
        """Return the template kind to send as, None for free-form; refuse what cannot go."""
        if message.template and message.template in self._templates:
            return message.template  # a template asked for by name is always used
        last = await self._last_inbound_at(user_id)
        if last is not None and self._clock() - last < SESSION_WINDOW:
            return None
        kind = message.template or fallback
        if kind in self._templates:
            return kind
        log.error("no WhatsApp template %r configured: cannot reach %s outside the 24-hour "
                  "window", kind, mask_phone(user_id))
        raise DeliveryFailed(f"outside the 24-hour window and no template {kind!r} configured "
                             f"(set WHATSAPP_TEMPLATE_{kind.upper()})")

    def _link(self, media: Media | None) -> str | None:
        """Return the public URL of an attachment, None without one or a way to make one."""
        if media is None or self.media_link is None:
            return None
        return self.media_link(media)

    async def _create(self, user_id: str, template: str | None, *, media: str | None = None,
                      **content: str) -> SentMessage:
        await self._pacer.wait()
        client = await self._client()
        options: dict[str, Any] = {"media_url": [media]} if media else {}
        if self._status_callback:
            options["status_callback"] = self._status_callback
        try:
            sent = await client.messages.create_async(to=PREFIX + user_id, from_=self._from,
                                                      **options, **content)
        except TwilioRestException as error:
            raise self._refusal(error) from error
        except (ClientError, TimeoutError) as error:
            raise DeliveryFailed(f"Twilio unreachable: {type(error).__name__}") from error
        return SentMessage(str(sent.sid), str(sent.status or "queued"), template)

    def _refusal(self, error: TwilioRestException) -> Exception:
        """Map a Twilio error to what the courier should do (its text may hold the number)."""
        code, status = error.code, error.status
        if code in GONE_CODES:
            return RecipientGone(f"Twilio error {code}")
        if code == DAILY_LIMIT:
            now = self._clock()
            wait = (daily_limit_resets_at(now) - now).total_seconds()
            return DeliveryFailed(f"Twilio error {code}: daily limit reached", retry_after=wait)
        return DeliveryFailed(f"Twilio refused the message: HTTP {status}, error {code}")
