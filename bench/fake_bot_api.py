"""A local fake Telegram Bot API that enforces Telegram's rate limits, run as its own process.

`python -m bench.fake_bot_api --per-second 30 --per-chat 1 --speed 10` prints "port N" and
serves on 127.0.0.1:N. More than `per_second` messages in any second, or more than `per_chat`
to one chat in any second, is answered 429 with `retry_after`, as Telegram does; 0 turns a
limit off. `--speed` runs its clock that many times faster (the benchmark speeds the bot's
clock up alike).
Besides the Bot API: GET /stats, POST /reset (the counts), POST /watch {"text": TEXT} (note
when a message containing TEXT arrives) and POST /updates {update} (for getUpdates).
It runs in a process of its own so that its work is not counted against the bot's.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import socket
import sys
import time
from collections import deque
from itertools import count

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.handlers.fake_bot_api import UpdateQueue

BOT = {"id": 123456, "is_bot": True, "first_name": "Blood Bot", "username": "blood_bench_bot"}
TOKEN = "123456:BENCH-token"
WINDOW = 1.0
"""Seconds (on the fake's clock) over which both limits count messages."""
LONG_POLL_CAP = 0.5


class SlidingWindow:
    """Allow at most `limit` events in any `WINDOW` seconds; a limit of 0 allows any number."""

    def __init__(self, limit: float) -> None:
        self.limit = max(1, math.floor(limit)) if limit > 0 else None
        self.times: deque[float] = deque()

    def wait(self, now: float) -> float:
        """Return 0 if an event may happen now, else the seconds until one may."""
        if self.limit is None:
            return 0.0
        while self.times and self.times[0] <= now - WINDOW:
            self.times.popleft()
        return 0.0 if len(self.times) < self.limit else self.times[0] + WINDOW - now

    def count(self, now: float) -> None:
        """Record an event at `now`."""
        if self.limit is not None:
            self.times.append(now)


class FakeBotApi:
    """Answer the Bot API methods the bot calls; count what was sent and what was refused."""

    def __init__(self, *, per_second: float, per_chat: float, speed: float) -> None:
        self.per_second, self.per_chat, self.speed = per_second, per_chat, speed
        self._ids = count(1)
        self._updates = UpdateQueue(LONG_POLL_CAP)
        self.overall = SlidingWindow(per_second)
        self.chats: dict[int, SlidingWindow] = {}
        self.reset()
        self.look_for(None)
        self.app = Starlette(routes=[
            Route("/bot{token}/{method}", self._call, methods=["GET", "POST"]),
            Route("/stats", self._stats), Route("/reset", self._reset, methods=["POST"]),
            Route("/watch", self._watch, methods=["POST"]),
            Route("/updates", self._push, methods=["POST"])])

    def reset(self) -> None:
        """Zero the counts (the limits' windows go on)."""
        self.sent = self.refused = 0
        self.first_at: float | None = None
        self.last_at: float | None = None

    def look_for(self, watch: str | None) -> None:
        """Note when the first message containing `watch` arrives from now on."""
        self.watch = watch
        self.watched_at: float | None = None

    def clock(self) -> float:
        """Return the fake's (scaled) time in seconds."""
        return time.monotonic() * self.speed

    async def _call(self, request: Request) -> JSONResponse:
        method = request.path_params["method"]
        params = {key: value for key, value in (await request.form()).items()
                  if isinstance(value, str)}
        if method == "getMe":
            return _ok(BOT)
        if method == "getUpdates":
            return _ok(await self._updates.get(int(params.get("offset", 0)),
                                               float(params.get("timeout", 0))))
        if method == "sendMessage":
            return self._send(int(params["chat_id"]), params.get("text", ""))
        return _ok(True)

    def _send(self, chat_id: int, text: str) -> JSONResponse:
        now, arrived = self.clock(), time.monotonic()
        chat = self.chats.setdefault(chat_id, SlidingWindow(self.per_chat))
        wait = max(self.overall.wait(now), chat.wait(now))
        if wait > 0:
            self.refused += 1
            retry = max(1, math.ceil(wait))
            return JSONResponse({"ok": False, "error_code": 429,
                                 "description": f"Too Many Requests: retry after {retry}",
                                 "parameters": {"retry_after": retry}}, status_code=429)
        self.overall.count(now)
        chat.count(now)
        self.sent += 1
        self.first_at = self.first_at or arrived
        self.last_at = arrived
        if self.watch and self.watched_at is None and self.watch in text:
            self.watched_at = arrived
        chat_type = "private" if chat_id > 0 else "group"
        return _ok({"message_id": next(self._ids), "date": int(time.time()), "text": text,
                    "chat": {"id": chat_id, "type": chat_type}, "from": BOT})

    async def _stats(self, _request: Request) -> JSONResponse:
        return JSONResponse({"sent": self.sent, "refused": self.refused,
                             "first_at": self.first_at, "last_at": self.last_at,
                             "watched_at": self.watched_at, "chats": len(self.chats)})

    async def _reset(self, _request: Request) -> JSONResponse:
        self.reset()
        return JSONResponse({"ok": True})

    async def _watch(self, request: Request) -> JSONResponse:
        self.look_for((await request.json()).get("text"))
        return JSONResponse({"ok": True})

    async def _push(self, request: Request) -> JSONResponse:
        update = await request.json()
        update.setdefault("update_id", next(self._ids))
        if "message" in update:
            update["message"] = {"message_id": next(self._ids), "date": int(time.time()),
                                 **update["message"]}
        self._updates.push(update)
        return JSONResponse({"ok": True})


def _ok(result: object) -> JSONResponse:
    return JSONResponse({"ok": True, "result": result})


def main(argv: list[str] | None = None) -> None:
    """Serve the fake on a free loopback port, printing "port N" first."""
    parser = argparse.ArgumentParser(prog="python -m bench.fake_bot_api")
    parser.add_argument("--per-second", type=float, default=30.0)
    parser.add_argument("--per-chat", type=float, default=1.0)
    parser.add_argument("--speed", type=float, default=1.0)
    args = parser.parse_args(argv)
    fake = FakeBotApi(per_second=args.per_second, per_chat=args.per_chat, speed=args.speed)
    # IPPROTO_TCP, so that asyncio sets TCP_NODELAY on accepted connections (else +40 ms a call)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    print(f"port {sock.getsockname()[1]}", flush=True)
    server = uvicorn.Server(uvicorn.Config(fake.app, log_level="warning", lifespan="off"))
    asyncio.run(server.serve(sockets=[sock]))


if __name__ == "__main__":
    main(sys.argv[1:])
