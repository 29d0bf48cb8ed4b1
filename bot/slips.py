"""Requisition slips for admins: fetch the file where it is kept, and serve it by a signed link.

A slip is kept by reference: `telegram-file:<file_id>` (Telegram) or Twilio's media URL
(WhatsApp), which only our credentials open. A Telegram admin gets the bytes uploaded (see
`SlipFetcher`); Twilio must fetch outbound media from a public URL, so a WhatsApp admin's
message carries `PUBLIC_BASE_URL/slips/<token>`: the reference and an expiry time, signed
with a key derived from TWILIO_AUTH_TOKEN. The route serves only a slip some request still
holds, so an erased slip stops being served at once.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

import httpx
from sqlmodel import Session, col, select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.app import App
from bot.settings import Settings
from conversations.messages import Media
from handlers.sending import DeliveryFailed
from handlers.telegram_render import file_id_of, file_url
from storage.media_deletions import twilio_media_sids
from storage.tables import BloodRequest

log = logging.getLogger(__name__)

SLIPS_PATH = "/slips"
LINK_LIFETIME = timedelta(hours=1)  # our choice: Twilio fetches at once; a resend signs anew
FETCH_TIMEOUT_SECONDS = 20.0
TWILIO_API = "https://api.twilio.com"
GONE = frozenset({400, 401, 403, 404, 410})
"""Answers after which fetching again will not help (an unknown file, wrong credentials)."""


def slip_secret(settings: Settings) -> bytes | None:
    """Derive the key that signs slip links from TWILIO_AUTH_TOKEN; None without one."""
    token = settings.twilio_auth_token
    if not token:
        return None
    return hmac.new(token.encode(), b"bloodbot slip links", hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _mac(secret: bytes, body: str) -> str:
    return _b64(hmac.new(secret, body.encode(), hashlib.sha256).digest())


def sign_link(reference: str, *, secret: bytes, expires_at: datetime) -> str:
    """Return a token naming `reference` until `expires_at`: "<payload>.<signature>"."""
    payload = json.dumps([reference, int(expires_at.timestamp())], separators=(",", ":"))
    body = _b64(payload.encode())
    return f"{body}.{_mac(secret, body)}"


def read_link(token: str, *, secret: bytes, now: datetime) -> str | None:
    """Return the reference a token names; None if it was tampered with or has expired."""
    body, _dot, mac = token.partition(".")
    if not hmac.compare_digest(mac.encode(), _mac(secret, body).encode()):
        return None
    try:
        reference, expires = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except ValueError:
        return None
    if not isinstance(reference, str) or not isinstance(expires, int):
        return None
    return reference if now.timestamp() < expires else None


class SlipLinks:
    """Give a slip the public URL Twilio fetches it from (`WhatsAppSender.media_link`)."""

    def __init__(self, settings: Settings, clock: Callable[[], datetime]) -> None:
        self._base = (settings.public_base_url or "").rstrip("/")
        self._secret = slip_secret(settings)
        self._clock = clock

    def __call__(self, media: Media) -> str | None:
        """Return a signed link valid for LINK_LIFETIME; None without PUBLIC_BASE_URL."""
        fetchable = file_id_of(media.url) or twilio_media_sids(media.url)
        if not (self._base and self._secret and fetchable):
            return None
        token = sign_link(media.url, secret=self._secret,
                          expires_at=self._clock() + LINK_LIFETIME)
        return f"{self._base}{SLIPS_PATH}/{token}"


class SlipFetcher:
    """Fetch a slip's bytes with the bot's own credentials (`TelegramSender.fetch_media`)."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        # httpx logs every request URL at INFO, and a Telegram file URL holds the bot token.
        logging.getLogger("httpx").setLevel(logging.WARNING)

    async def __call__(self, reference: str) -> bytes | None:
        """Return the file's bytes; None when it is gone or cannot be fetched from here.

        Raises DeliveryFailed when Telegram or Twilio is unreachable for now.
        """
        try:
            async with httpx.AsyncClient(timeout=FETCH_TIMEOUT_SECONDS) as client:
                file_id = file_id_of(reference)
                if file_id is not None:
                    return await self._telegram(client, file_id)
                return await self._twilio(client, reference)
        except httpx.HTTPError as error:
            raise DeliveryFailed(f"slip not fetched: {type(error).__name__}") from error

    async def _telegram(self, client: httpx.AsyncClient, file_id: str) -> bytes | None:
        """Download a Telegram file: getFile for its path, then the file itself."""
        token, base = self._settings.telegram_bot_token, self._settings.telegram_api_base_url
        if not token:
            return None
        answer = await client.post(f"{base}{token}/getFile", data={"file_id": file_id})
        path = answer.json().get("result", {}).get("file_path") if answer.is_success else None
        if not path:
            return self._refused("Telegram getFile", answer)
        download = await client.get(f"{file_url(base)}{token}/{path}")
        return download.content if download.is_success else self._refused("Telegram", download)

    async def _twilio(self, client: httpx.AsyncClient, url: str) -> bytes | None:
        """Download a Twilio media file with basic auth; Twilio redirects to its storage."""
        settings = self._settings
        base = (settings.twilio_api_base_url or TWILIO_API).rstrip("/")
        if url.startswith(TWILIO_API):
            url = base + url[len(TWILIO_API):]
        if not (url.startswith(base + "/") and twilio_media_sids(url)
                and settings.twilio_account_sid and settings.twilio_auth_token):
            return None  # never send our credentials anywhere but to Twilio
        answer = await client.get(url, follow_redirects=True,
                                  auth=(settings.twilio_account_sid, settings.twilio_auth_token))
        return answer.content if answer.is_success else self._refused("Twilio", answer)

    @staticmethod
    def _refused(where: str, answer: httpx.Response) -> None:
        """Log a refused download; raise DeliveryFailed if trying again later may help."""
        if answer.status_code not in GONE:
            raise DeliveryFailed(f"{where} answered HTTP {answer.status_code}")
        log.warning("%s refused a slip download: HTTP %s", where, answer.status_code)


def kept_type(app: App, reference: str) -> str | None:
    """Return the MIME type of a slip some request still holds; None once it is erased."""
    with Session(app.db) as session:
        found = session.exec(select(BloodRequest.id, BloodRequest.slip_content_type).where(
            col(BloodRequest.slip_url) == reference).limit(1)).first()
    return None if found is None else (found[1] or "application/octet-stream")


def slip_routes(app: App) -> list[BaseRoute]:
    """Return GET /slips/<token>: the slip a valid link names, for Twilio to fetch."""
    fetcher = SlipFetcher(app.settings)

    async def serve(request: Request) -> Response:
        secret = slip_secret(app.settings)
        token = str(request.path_params["token"])
        reference = None if secret is None else read_link(token, secret=secret,
                                                          now=app.clock())
        if reference is None:
            return Response("invalid or expired link", status_code=403)
        content_type = await asyncio.to_thread(kept_type, app, reference)
        if content_type is None:
            return Response("not found", status_code=404)
        try:
            data = await fetcher(reference)
        except DeliveryFailed as failed:
            log.warning("could not serve a slip: %s", failed)
            return Response("slip unavailable, try again", status_code=502)
        if data is None:
            return Response("not found", status_code=404)
        return Response(data, media_type=content_type,
                        headers={"Cache-Control": "private, no-store"})

    return [Route(SLIPS_PATH + "/{token}", serve, methods=["GET"])]
