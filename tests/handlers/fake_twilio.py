"""A fake Twilio Messages API on 127.0.0.1, and a WhatsApp bot wired to it for tests."""

from __future__ import annotations

import asyncio
import base64
import socket
import sqlite3
import uuid
from email.utils import formatdate
from itertools import count
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from sqlmodel import Session
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from twilio.request_validator import RequestValidator

from bot.app import build_app
from bot.settings import Settings
from bot.web import build_web
from bot.whatsapp_service import WhatsAppService
from conversations.messages import Outbound
from storage import outbox
from tests.bot.conftest import FakeClock

ACCOUNT_SID = "AC" + "1" * 32
AUTH_TOKEN = "test-auth-token"
PUBLIC_URL = "https://bot.example.org"
BOT_NUMBER = "whatsapp:+14155238886"
TEMPLATES = {"alert": "HX" + "a" * 32, "notice": "HX" + "b" * 32}
PHONE = "+919812345670"
TWILIO_API = "https://api.twilio.com"


class FakeTwilio:
    """Twilio's Messages and Media resources: records each call and answers like Twilio."""

    def __init__(self) -> None:
        self.calls: list[dict[str, str]] = []
        self.errors: list[tuple[int, int]] = []  # (HTTP status, Twilio code) for the next calls
        self.media: dict[str, bytes] = {}
        """Incoming media files by media SID: fetched with GET, removed with DELETE."""
        self.deleted: list[str] = []
        """The media SIDs deleted, in order."""
        self.delete_errors: list[int] = []  # HTTP statuses for the next Media DELETE calls
        path = "/2010-04-01/Accounts/{account}/Messages.json"
        media = "/2010-04-01/Accounts/{account}/Messages/{message}/Media/{media}"
        self.web = Starlette(routes=[Route(path, self._create, methods=["POST"]),
                                     Route(media, self._media, methods=["GET", "DELETE"])])
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None

    async def _create(self, request: Request) -> JSONResponse:
        auth = "Basic " + base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
        if request.headers.get("authorization") != auth \
                or request.path_params["account"] != ACCOUNT_SID:
            return JSONResponse({"code": 20003, "message": "Authenticate", "status": 401}, 401)
        form = {key: str(value) for key, value in (await request.form()).items()}
        if self.errors:
            status, code = self.errors.pop(0)
            self.calls.append({**form, "error": str(code)})
            return JSONResponse({"code": code, "message": f"Error {code}", "status": status,
                                 "more_info": f"https://www.twilio.com/docs/errors/{code}"},
                                status)
        sid = "SM" + uuid.uuid4().hex
        self.calls.append({**form, "sid": sid})
        return JSONResponse({"sid": sid, "status": "queued", "account_sid": ACCOUNT_SID,
                             "to": form["To"], "from": form["From"], "body": form.get("Body"),
                             "date_created": formatdate(usegmt=True), "num_segments": "1"},
                            201)

    def add_media(self, content: bytes) -> str:
        """Keep a file as if a user had sent it; return its URL as a webhook names it."""
        message, media = "MM" + uuid.uuid4().hex, "ME" + uuid.uuid4().hex
        self.media[media] = content
        return f"{TWILIO_API}/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{message}/Media/{media}"

    async def _media(self, request: Request) -> Response:
        auth = "Basic " + base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
        if request.headers.get("authorization") != auth:
            return JSONResponse({"code": 20003, "message": "Authenticate", "status": 401}, 401)
        sid = request.path_params["media"].removesuffix(".json")
        if request.method == "DELETE" and self.delete_errors:
            status = self.delete_errors.pop(0)
            return JSONResponse({"code": 20500, "message": "Error", "status": status}, status)
        if sid not in self.media:
            return JSONResponse({"code": 20404, "message": "Not found", "status": 404}, 404)
        if request.method == "DELETE":
            del self.media[sid]
            self.deleted.append(sid)
            return Response(status_code=204)
        return Response(self.media[sid], media_type="image/jpeg")

    async def start(self) -> str:
        """Serve on a random free port and return the base URL."""
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        config = uvicorn.Config(self.web, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]))
        while not self._server.started:
            await asyncio.sleep(0.005)
        return f"http://127.0.0.1:{sock.getsockname()[1]}"

    async def stop(self) -> None:
        """Stop serving."""
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            await self._task


class WhatsAppBot:
    """The real web app, runtime, courier and twilio client, on a SQLite file, driven in sync."""

    def __init__(self, tmp_path: Path, **settings: Any) -> None:
        self.loop = asyncio.new_event_loop()
        self.clock = FakeClock()
        self.fake = FakeTwilio()
        self.db_path = tmp_path / "bot.db"
        base_url = self.run(self.fake.start())
        options: dict[str, Any] = {
            "database_url": f"sqlite:///{self.db_path}", "public_base_url": PUBLIC_URL,
            "twilio_account_sid": ACCOUNT_SID, "twilio_auth_token": AUTH_TOKEN,
            "twilio_whatsapp_from": BOT_NUMBER, "twilio_api_base_url": base_url,
            "whatsapp_template_alert": TEMPLATES["alert"],
            "whatsapp_template_notice": TEMPLATES["notice"], "whatsapp_mps": 0, **settings}
        self.app = build_app(Settings(**options), clock=self.clock)
        self.service = WhatsAppService(self.app)
        self.web = build_web(self.app, self.service.routes)
        self.courier = self.app.courier({"whatsapp": self.service.sender})
        self._sids = count(1)

    def run(self, coroutine: Any) -> Any:
        """Run a coroutine on the bot's event loop."""
        return self.loop.run_until_complete(coroutine)

    def close(self) -> None:
        """Close the twilio client, the fake server, the loop and the database."""
        self.run(self.service.stop())
        self.run(self.fake.stop())
        self.loop.close()
        self.app.db.dispose()

    def post(self, path: str, form: dict[str, str],
             signature: str | None = None) -> httpx.Response:
        """POST a form to the web app, signed as Twilio signs it unless `signature` is given."""
        signed = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC_URL + path, form)

        async def post() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.web)
            async with httpx.AsyncClient(transport=transport, base_url=PUBLIC_URL) as client:
                return await client.post(path, data=form,
                                         headers={"X-Twilio-Signature": signature or signed})

        response: httpx.Response = self.run(post())
        return response

    def message(self, text: str = "", phone: str = PHONE, **fields: str) -> dict[str, str]:
        """Return the form Twilio posts for an incoming WhatsApp message."""
        return {"From": f"whatsapp:{phone}", "To": BOT_NUMBER, "Body": text,
                "MessageSid": f"SM{next(self._sids):032d}", "ProfileName": "Asha",
                "WaId": phone.lstrip("+"), "NumMedia": "0", **fields}

    def say(self, text: str = "", phone: str = PHONE, **fields: str) -> list[str]:
        """Send a message as `phone`, deliver what it caused, and return the bodies sent back."""
        before = len(self.fake.calls)
        assert self.post("/whatsapp/inbound", self.message(text, phone, **fields)).status_code \
            == 200
        self.drain()
        return [call.get("Body", "") for call in self.fake.calls[before:]
                if call["To"] == f"whatsapp:{phone}"]

    def status(self, sid: str, status: str, error_code: int | None = None) -> httpx.Response:
        """POST a signed status callback for message `sid`."""
        form = {"MessageSid": sid, "MessageStatus": status, "AccountSid": ACCOUNT_SID}
        return self.post("/whatsapp/status", form | ({"ErrorCode": str(error_code)}
                                                      if error_code else {}))

    def enqueue(self, kind: str, message: Outbound, phone: str = PHONE) -> None:
        """Queue a message for `phone` directly, as a broadcast would."""
        with Session(self.app.db) as session, session.begin():
            outbox.enqueue(session, address_key=f"whatsapp:{phone}", payload=message.to_json(),
                           kind=kind, now=self.clock(), idempotency_key=uuid.uuid4().hex)

    def drain(self) -> int:
        """Send every due outbox row; return how many were sent."""
        sent: int = self.run(self.courier.drain())
        return sent

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        """Run a query on the database file."""
        with sqlite3.connect(self.db_path) as connection:
            return connection.execute(sql).fetchall()
