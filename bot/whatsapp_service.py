"""The WhatsApp channel on Twilio: signed webhooks in, the async twilio client out."""

from __future__ import annotations

import asyncio
import base64
import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from aiohttp import ClientSession, ClientTimeout
from sqlalchemy import Engine as DbEngine
from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route
from twilio.http.async_http_client import AsyncTwilioHttpClient  # type: ignore[import-untyped]
from twilio.request_validator import RequestValidator  # type: ignore[import-untyped]
from twilio.rest import Client  # type: ignore[import-untyped]

from bot.app import App
from bot.media_eraser import MediaEraser
from bot.slips import SlipLinks
from conversations.admin_notices import tier_limit_notices
from conversations.messages import Address, Outbound
from handlers.sending import DeliveryFailed, Sender
from handlers.whatsapp_channel import (
    CHANNEL,
    DAILY_LIMIT,
    EMPTY_TWIML,
    OUTSIDE_WINDOW,
    UNSUBSCRIBED,
    SentMessage,
    StatusReport,
    WhatsAppSender,
    daily_limit_resets_at,
    parse_inbound,
    parse_status,
)
from storage import deliveries, outbox, turns
from storage.admin import SqlAdminServices
from storage.services import SqlServices

log = logging.getLogger(__name__)

TWILIO_API = "https://api.twilio.com"
SEND_TIMEOUT_SECONDS = 20.0
INBOUND_PATH = "/whatsapp/inbound"
STATUS_PATH = "/whatsapp/status"
SIGNATURE_HEADER = "X-Twilio-Signature"
ALERT, NOTICE = "alert", "notice"
WITHDRAWN = "alerts withdrawn by the recipient (STOP)"


class RebasedHttpClient(AsyncTwilioHttpClient):  # type: ignore[misc]
    """The twilio async HTTP client, sending to `base_url` instead of api.twilio.com if set."""

    def __init__(self, base_url: str | None, timeout: float = SEND_TIMEOUT_SECONDS) -> None:
        """Open a pooled session; build it inside the event loop that will use it."""
        super().__init__(pool_connections=False)
        self.base_url = base_url.rstrip("/") if base_url else None
        self.session = ClientSession(timeout=ClientTimeout(total=timeout))

    async def request(self, method: str, url: str, params: Mapping[str, object] | None = None,
                      data: Mapping[str, object] | None = None,
                      headers: Mapping[str, str] | None = None,
                      auth: tuple[str, str] | None = None, timeout: float | None = None,
                      allow_redirects: bool = False) -> Any:
        """Rewrite the URL's https://api.twilio.com prefix, then send as twilio does."""
        if self.base_url and url.startswith(TWILIO_API):
            url = self.base_url + url[len(TWILIO_API):]
        if auth is not None:  # aiohttp 3.14 deprecates auth=, which twilio 9 still passes
            token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
            headers = {**(headers or {}), "Authorization": f"Basic {token}"}
        return await super().request(method, url, params=params, data=data, headers=headers,
                                     auth=None, timeout=timeout,
                                     allow_redirects=allow_redirects)


class TrackedSender:
    """The courier's WhatsApp sender: holds back unwanted alerts and records Twilio's receipts.

    The courier does not say which outbox row it is sending, so the row is found again: the
    leased, unsent row for this address with this very message and no receipt yet.
    """

    channel = CHANNEL

    def __init__(self, *, db: DbEngine, clock: Callable[[], datetime],
                 twilio: WhatsAppSender) -> None:
        self.db = db
        self.clock = clock
        self.twilio = twilio

    async def send(self, user_id: str, message: Outbound) -> None:
        """Send one message, unless it is an alert the recipient withdrew or must wait for."""
        key = Address(CHANNEL, user_id).key
        row = await asyncio.to_thread(self._claimed_row, key, message)
        kind = row.kind if row is not None else None
        if row is not None and kind == ALERT:
            await asyncio.to_thread(self._hold_alert, row)
        sent = await self.twilio.deliver(user_id, message,
                                         template=ALERT if kind == ALERT else NOTICE)
        if row is not None:
            await asyncio.to_thread(self._record, row.id, sent)

    def _claimed_row(self, address_key: str, message: Outbound) -> outbox.OutboxItem | None:
        with Session(self.db) as session:
            rows = deliveries.claimed_rows(session, address_key=address_key, now=self.clock())
        return next((row for row in rows if Outbound.from_json(row.payload) == message), None)

    def _hold_alert(self, row: outbox.OutboxItem) -> None:
        """Give up an alert whose recipient sent STOP; delay one while alerts are paused."""
        now = self.clock()
        with Session(self.db) as session, session.begin():
            withdrawn = deliveries.alerts_withdrawn(session, row.address_key)
            if withdrawn:  # given up here, so the courier's retry never comes
                outbox.mark_failed(session, row.id, error=WITHDRAWN, retry_at=None, now=now)
            until = deliveries.paused_until(session, channel=CHANNEL, kind=ALERT, now=now)
        if withdrawn:
            raise DeliveryFailed(WITHDRAWN)
        if until is not None:
            raise DeliveryFailed(f"WhatsApp alerts paused until {until:%Y-%m-%d %H:%M} UTC",
                                 retry_after=(until - now).total_seconds())

    def _record(self, outbox_id: int, sent: list[SentMessage]) -> None:
        with Session(self.db) as session, session.begin():
            for message in sent:
                deliveries.record_send(session, sid=message.sid, outbox_id=outbox_id,
                                       channel=CHANNEL, template=message.template,
                                       status=message.status, now=self.clock())


class WhatsAppService:
    """Serve Twilio's WhatsApp webhooks and send through Twilio's REST API."""

    name = CHANNEL

    def __init__(self, app: App) -> None:
        """Wire the channel to the app; nothing touches the network until it is used."""
        settings = app.settings
        if not (settings.public_base_url and settings.twilio_auth_token
                and settings.twilio_account_sid and settings.twilio_whatsapp_from):
            raise ValueError("WhatsApp needs PUBLIC_BASE_URL, TWILIO_ACCOUNT_SID, "
                             "TWILIO_AUTH_TOKEN and TWILIO_WHATSAPP_FROM")
        self.app = app
        # twilio logs every request's URL at INFO, and the URL names the account (and, for a
        # slip deleted after an erasure, the family's message).
        logging.getLogger("twilio.async_http_client").setLevel(logging.WARNING)
        self.public_base_url = settings.public_base_url.rstrip("/")
        self._validator = RequestValidator(settings.twilio_auth_token)
        self._http: RebasedHttpClient | None = None
        self._client: Any = None
        self.twilio = WhatsAppSender(
            client=self.client, from_=settings.twilio_whatsapp_from,
            status_callback=self.public_base_url + STATUS_PATH,
            templates=settings.whatsapp_template_sids, last_inbound_at=self._last_inbound_at,
            clock=app.clock, per_second=settings.whatsapp_mps,
            media_link=SlipLinks(settings, app.clock), language_of=self._language_of)
        self.sender: Sender = TrackedSender(db=app.db, clock=app.clock, twilio=self.twilio)
        self.media_eraser = MediaEraser(db=app.db, clock=app.clock, client=self.client)
        self._erasing: asyncio.Task[None] | None = None

    @property
    def routes(self) -> Sequence[BaseRoute]:
        """Return the incoming-message and status-callback webhooks."""
        return [Route(INBOUND_PATH, self.inbound, methods=["POST"]),
                Route(STATUS_PATH, self.status, methods=["POST"])]

    async def start(self) -> None:
        """Log the webhook URLs to set in the Twilio console; start deleting erased media."""
        log.info("WhatsApp webhooks: %s%s and %s%s", self.public_base_url, INBOUND_PATH,
                 self.public_base_url, STATUS_PATH)
        self._erasing = asyncio.create_task(self.media_eraser.run_forever(),
                                            name="whatsapp media eraser")

    async def stop(self) -> None:
        """Stop deleting erased media and close the HTTP session of the twilio client."""
        if self._erasing is not None:
            self._erasing.cancel()
            await asyncio.gather(self._erasing, return_exceptions=True)
            self._erasing = None
        if self._http is not None:
            await self._http.close()
        self._http = self._client = None

    async def client(self) -> Any:
        """Return the twilio `Client`, built on first use inside the running event loop."""
        if self._client is None:
            settings = self.app.settings
            self._http = RebasedHttpClient(settings.twilio_api_base_url)
            self._client = Client(settings.twilio_account_sid, settings.twilio_auth_token,
                                  http_client=self._http)
        return self._client

    async def inbound(self, request: Request) -> Response:
        """Handle an incoming message; answer only after the turn is committed."""
        form = await self._verified_form(request)
        if form is None:
            return PlainTextResponse("invalid signature", status_code=403)
        inbound = parse_inbound(form, self.app.clock(), self.app.settings.default_region)
        if inbound is None:
            log.info("ignored a message that is not from a WhatsApp user")
        else:
            await self.app.runtime.handle(inbound)
        return Response(EMPTY_TWIML, media_type="text/xml")

    async def status(self, request: Request) -> Response:
        """Record a message status callback and act on the errors that need it."""
        form = await self._verified_form(request)
        if form is None:
            return PlainTextResponse("invalid signature", status_code=403)
        report = parse_status(form)
        queued = report is not None and await asyncio.to_thread(self.apply_status, report)
        if queued and self.app.runtime.on_committed is not None:
            self.app.runtime.on_committed()
        return Response(EMPTY_TWIML, media_type="text/xml")

    def apply_status(self, report: StatusReport) -> bool:
        """Record the status in one transaction; tell whether a message was queued again.

        63016 (outside the 24-hour window): the same message is queued again as a template.
        21610 (unsubscribed): the address is marked unreachable and alert consent withdrawn.
        63018 (daily tier used up): alerts on WhatsApp pause until the next midnight UTC.
        """
        now = self.app.clock()
        with Session(self.app.db) as session, session.begin():
            update = deliveries.apply_status(session, sid=report.sid, status=report.status,
                                             error_code=report.error_code, now=now)
            if update is None:
                log.info("status %s for unknown message %s", report.status, report.sid)
                return False
            row, code = update.outbox, report.error_code
            if code == OUTSIDE_WINDOW and update.template is None:
                template = ALERT if row.kind == ALERT else NOTICE
                return outbox.enqueue(session, address_key=row.address_key,
                                      payload={**row.payload, "template": template},
                                      kind=row.kind, now=now,
                                      idempotency_key=f"template:{row.id}")
            if code == UNSUBSCRIBED:
                outbox.mark_unreachable(session, row.address_key, now)
                SqlServices(session, self.app.runtime.places).set_alert_consent(
                    Address.from_key(row.address_key), False, now)
            elif code == DAILY_LIMIT:
                until = daily_limit_resets_at(now)
                deliveries.pause(session, channel=CHANNEL, kind=ALERT, until=until,
                                 reason=f"twilio {DAILY_LIMIT}", now=now)
                log.warning("WhatsApp daily limit reached: alerts paused until %s", until)
                admins = SqlAdminServices(session).super_admins()
                for note in tier_limit_notices(admins, until, self.app.settings.zone):
                    outbox.enqueue(session, address_key=note.recipient.key, kind=note.kind,
                                   payload=note.message.to_json(), now=now,
                                   idempotency_key=note.idempotency_key)
        return False

    async def _verified_form(self, request: Request) -> dict[str, str] | None:
        """Return the form fields if Twilio signed them for our public URL, else None."""
        form = await request.form()
        params = {key: value for key, value in form.multi_items() if isinstance(value, str)}
        url = self.public_base_url + request.url.path
        if request.url.query:
            url += "?" + request.url.query
        signature = request.headers.get(SIGNATURE_HEADER, "")
        if signature and self._validator.validate(url, params, signature):
            return params
        log.warning("refused a request to %s with a bad Twilio signature", request.url.path)
        return None

    async def _last_inbound_at(self, user_id: str) -> datetime | None:
        key = Address(CHANNEL, user_id).key

        def read() -> datetime | None:
            with Session(self.app.db) as session:
                return deliveries.last_inbound_at(session, key)

        return await asyncio.to_thread(read)

    async def _language_of(self, user_id: str) -> str | None:
        key = Address(CHANNEL, user_id).key

        def read() -> str | None:
            with Session(self.app.db) as session:
                return turns.language_of(session, key)

        return await asyncio.to_thread(read)
