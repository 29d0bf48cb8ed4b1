"""A local fake Telegram Bot API over HTTP: records calls, serves updates, fails on demand."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from itertools import count
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

TOKEN = "123456:TEST-token"
BOT = {"id": 123456, "is_bot": True, "first_name": "Blood Bot", "username": "blood_test_bot"}
RAW_FIELDS = {"text", "callback_query_id", "secret_token", "language_code", "url", "caption",
              "photo", "document", "file_id"}
"""Parameters PTB sends as plain strings; every other form field holds JSON."""
LONG_POLL_CAP = 0.1
FILE_METHODS = {"sendPhoto": "photo", "sendDocument": "document"}
"""Methods that send a file, and the parameter holding it (a file_id, or uploaded bytes)."""


class UpdateQueue:
    """Updates waiting for getUpdates, long-polled for at most `cap` seconds a call."""

    def __init__(self, cap: float) -> None:
        self.cap = cap
        self._updates: list[dict[str, Any]] = []
        self._arrived = asyncio.Event()

    def push(self, update: dict[str, Any]) -> None:
        """Queue an update and wake a waiting getUpdates."""
        self._updates.append(update)
        self._arrived.set()

    async def get(self, offset: int, timeout: float) -> list[dict[str, Any]]:
        """Answer getUpdates: forget updates before `offset`, wait a little when none are left."""
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if not self._updates and timeout > 0:
            self._arrived.clear()
            try:
                await asyncio.wait_for(self._arrived.wait(), min(timeout, self.cap))
            except TimeoutError:
                return []
        return list(self._updates)


@dataclass(frozen=True)
class Call:
    """One Bot API method call as the fake received it."""

    method: str
    params: dict[str, Any]


def private_message(chat_id: int, text: str = "", **extra: Any) -> dict[str, Any]:
    """Return an update body: a message from user `chat_id` in their private chat."""
    return {"message": {"chat": {"id": chat_id, "type": "private", "first_name": "Asha"},
                        "from": {"id": chat_id, "is_bot": False, "first_name": "Asha"},
                        "text": text, **extra}}


def group_message(chat_id: int, user_id: int, text: str) -> dict[str, Any]:
    """Return an update body: a message from `user_id` in the group `chat_id`."""
    return {"message": {"chat": {"id": chat_id, "type": "group", "title": "Donors"},
                        "from": {"id": user_id, "is_bot": False, "first_name": "Ravi"},
                        "text": text}}


def contact(chat_id: int, phone: str, owner: int) -> dict[str, Any]:
    """Return an update body: the user shares the contact card of user `owner`."""
    card = {"phone_number": phone, "first_name": "Asha", "user_id": owner}
    body = private_message(chat_id, contact=card)
    del body["message"]["text"]
    return body


def location(chat_id: int, latitude: float, longitude: float) -> dict[str, Any]:
    """Return an update body: the user shares a location."""
    body = private_message(chat_id, location={"latitude": latitude, "longitude": longitude})
    del body["message"]["text"]
    return body


class FakeBotApi:
    """The Bot API methods the bot uses, answered from memory."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.port = 0
        self._ids = count(1)
        self._updates = UpdateQueue(LONG_POLL_CAP)
        self._failures: list[tuple[str, int, str, dict[str, Any]]] = []
        self._delays: dict[str, list[float]] = {}
        self._held: dict[str, asyncio.Event] = {}
        self.token = TOKEN
        """The only token accepted; any other is answered 401 Unauthorized, as Telegram does."""
        self.messages: dict[tuple[int, int], str] = {}
        """The text of every message the bot sent, by (chat id, message id), as edited."""
        self.files: dict[str, bytes] = {}
        """Files users sent, by file_id: served by getFile and the file download URL."""
        self.app = Starlette(routes=[Route("/bot{token}/{method}", self._call,
                                           methods=["GET", "POST"]),
                                     Route("/file/bot{token}/{path:path}", self._download)])

    @property
    def base_url(self) -> str:
        """Return the URL to give python-telegram-bot as its `base_url`."""
        return f"http://127.0.0.1:{self.port}/bot"

    def fail_next(self, method: str, status: int, description: str, **parameters: Any) -> None:
        """Answer the next call of `method` with an error (e.g. 429 with retry_after=1)."""
        self._failures.append((method, status, description, parameters))

    def delay(self, method: str, seconds: float, times: int = 1) -> None:
        """Answer the next `times` calls of `method` only after `seconds` (a slow Telegram)."""
        self._delays.setdefault(method, []).extend([seconds] * times)

    def hold(self, method: str) -> asyncio.Event:
        """Keep every call of `method` waiting until the returned event is set."""
        return self._held.setdefault(method, asyncio.Event())

    def update(self, body: dict[str, Any]) -> dict[str, Any]:
        """Return `body` as a full update with fresh update and message ids."""
        message = body.get("message")
        if message is not None:
            body["message"] = {"message_id": next(self._ids), "date": int(time.time()), **message}
        if "callback_query" in body:
            body["callback_query"].setdefault("id", f"q{next(self._ids)}")
        return {"update_id": next(self._ids), **body}

    def push(self, body: dict[str, Any]) -> dict[str, Any]:
        """Queue an update for getUpdates and return it."""
        update = self.update(body)
        self._updates.push(update)
        return update

    def press(self, chat_id: int, label: str) -> dict[str, Any]:
        """Return the update body for pressing the button `label` on the chat's last keyboard."""
        for call in reversed(self.sent(chat_id)):
            rows = (call.params.get("reply_markup") or {}).get("inline_keyboard", [])
            for button in (button for row in rows for button in row):
                if button["text"] == label:
                    return self.press_data(chat_id, call.params["message_id"],
                                           button["callback_data"])
            if rows:
                break
        raise AssertionError(f"no button {label!r} on the last keyboard sent to {chat_id}")

    @staticmethod
    def press_data(chat_id: int, message_id: int, data: str) -> dict[str, Any]:
        """Return the update body for a press sending `data` from the message `message_id`."""
        message = {"message_id": message_id, "date": int(time.time()), "text": "…",
                   "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"}}
        user = {"id": chat_id, "is_bot": False, "first_name": "Asha"}
        return {"callback_query": {"from": user, "message": message, "chat_instance": "ci",
                                   "data": data}}

    def called(self, method: str) -> list[Call]:
        """Return the calls of one method, oldest first."""
        return [call for call in self.calls if call.method == method]

    def sent(self, chat_id: int) -> list[Call]:
        """Return the sendMessage calls to one chat that succeeded."""
        return [c for c in self.called("sendMessage")
                if c.params.get("chat_id") == chat_id and "message_id" in c.params]

    def texts(self, chat_id: int) -> list[str]:
        """Return the texts delivered to one chat."""
        return [str(call.params["text"]) for call in self.sent(chat_id)]

    def edits(self, chat_id: int) -> list[Call]:
        """Return the editMessageText calls in one chat that succeeded."""
        return [c for c in self.called("editMessageText")
                if c.params.get("chat_id") == chat_id and c.params.get("edited")]

    async def _call(self, request: Request) -> JSONResponse:
        method = request.path_params["method"]
        form = await request.form()
        params = {key: value if key in RAW_FIELDS else _json(value)
                  for key, value in form.items() if isinstance(value, str)}
        params.update({key: await value.read() for key, value in form.items()
                       if isinstance(value, UploadFile)})  # uploaded files, as bytes
        call = Call(method, params)
        self.calls.append(call)
        if method in self._held:
            await self._held[method].wait()
        if self._delays.get(method):
            await asyncio.sleep(self._delays[method].pop(0))
        if request.path_params["token"] != self.token:
            return JSONResponse({"ok": False, "error_code": 401, "description": "Unauthorized"},
                                status_code=401)
        for failure in self._failures:
            if failure[0] == method:
                self._failures.remove(failure)
                _method, status, description, parameters = failure
                body = {"ok": False, "error_code": status, "description": description,
                        **({"parameters": parameters} if parameters else {})}
                return JSONResponse(body, status_code=status)
        try:
            result = await self._result(call)
        except LookupError as missing:
            return JSONResponse({"ok": False, "error_code": 400, "description": str(missing)},
                                status_code=400)
        return JSONResponse({"ok": True, "result": result})

    async def _result(self, call: Call) -> Any:
        params = call.params
        if call.method == "getMe":
            return BOT
        if call.method == "getUpdates":
            return await self._updates.get(int(params.get("offset", 0)),
                                           float(params.get("timeout", 0)))
        if call.method == "sendMessage":
            params["message_id"] = next(self._ids)
            return self._message(int(params["chat_id"]), params["message_id"], params)
        if call.method == "editMessageText":
            where = (int(params["chat_id"]), int(params["message_id"]))
            if where not in self.messages:
                raise LookupError("Bad Request: message to edit not found")
            params["edited"] = True
            return self._message(*where, params)
        if call.method in FILE_METHODS:
            return self._file_message(call)
        if call.method == "getFile":
            return self._file_info(str(params["file_id"]))
        return True

    def sent_files(self, chat_id: int) -> list[Call]:
        """Return the sendPhoto and sendDocument calls to one chat that succeeded."""
        return [c for c in self.calls if c.method in FILE_METHODS
                and c.params.get("chat_id") == chat_id and "message_id" in c.params]

    def _file_message(self, call: Call) -> dict[str, Any]:
        """Answer sendPhoto or sendDocument with a message holding a new file."""
        params, kind = call.params, FILE_METHODS[call.method]
        params["message_id"] = next(self._ids)
        message = self._message(int(params["chat_id"]), params["message_id"], {})
        del message["text"]
        file = {"file_id": f"{kind}-{params['message_id']}", "file_unique_id": "u"}
        if kind == "photo":
            message["photo"] = [{**file, "width": 1280, "height": 960}]
        else:
            message["document"] = file
        return {**message, "caption": params.get("caption", "")}

    def _file_info(self, file_id: str) -> dict[str, Any]:
        """Answer getFile for a known file: where to download it."""
        if file_id not in self.files:
            raise LookupError("Bad Request: invalid file_id")
        return {"file_id": file_id, "file_unique_id": "u", "file_size": len(self.files[file_id]),
                "file_path": f"photos/{file_id}.jpg"}

    async def _download(self, request: Request) -> Response:
        """Serve a file's bytes at the download URL getFile's file_path leads to."""
        file_id = request.path_params["path"].removeprefix("photos/").removesuffix(".jpg")
        if request.path_params["token"] != self.token or file_id not in self.files:
            return Response(status_code=404)
        self.calls.append(Call("download", {"file_id": file_id}))
        return Response(self.files[file_id], media_type="image/jpeg")

    def _message(self, chat_id: int, message_id: int, params: dict[str, Any]) -> dict[str, Any]:
        """Remember a sent or edited message's text and return it as the Bot API does."""
        self.messages[(chat_id, message_id)] = str(params.get("text", ""))
        chat = {"id": chat_id, "type": "private" if chat_id > 0 else "group"}
        return {"message_id": message_id, "date": int(time.time()), "chat": chat, "from": BOT,
                "text": params.get("text", "")}



def _json(value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        return value


@asynccontextmanager
async def running_fake() -> AsyncIterator[FakeBotApi]:
    """Serve a FakeBotApi with uvicorn on 127.0.0.1 at a random port."""
    fake = FakeBotApi()
    # IPPROTO_TCP, so that asyncio sets TCP_NODELAY on accepted connections (else +40 ms a call)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    fake.port = int(sock.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(fake.app, log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        await asyncio.sleep(0.01)
    try:
        yield fake
    finally:
        for held in fake._held.values():
            held.set()  # else a held call would keep the server from stopping
        server.should_exit = True
        await task
        sock.close()
