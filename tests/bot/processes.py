"""Several real `bloodbot run` processes on one database, against one fake Bot API.

The fake Bot API (tests/handlers/fake_bot_api.py) runs in a thread of the test process.
Each bot process gets the fake's address under its own prefix (`/a/bot…`, `/b/bot…`), so
the fake can tell who sent each message, and stamps the time every message arrived.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from starlette.types import Receive, Scope, Send

from bot.telegram_service import SECRET_HEADER, WEBHOOK_PATH
from tests.handlers.conftest import free_port
from tests.handlers.fake_bot_api import TOKEN, FakeBotApi

SECRET = "scale-out-secret"
TICK_SECONDS = 0.5
"""How often the processes' scheduler jobs fire here (30 s in production)."""

RUN_COUNTING_TICKS = """
import pathlib, sys
import bot.jobs
ticks, real = pathlib.Path(sys.argv[1]), bot.jobs.escalate_pending
def counted(app):
    with ticks.open("a") as log:
        log.write("tick\\n")
    return real(app)
bot.jobs.escalate_pending = counted
bot.jobs.TICK_SECONDS = float(sys.argv[2])
from bot.cli import main
sys.exit(main(["run"]))
"""
"""`bloodbot run`, with faster ticks and every escalation tick written to a file."""


@dataclass
class BotApi:
    """The fake Bot API, and when and from which process each sendMessage arrived."""

    fake: FakeBotApi
    port: int = 0
    sends: list[tuple[str, float]] = field(default_factory=list)

    def base_url(self, process: str) -> str:
        """Return the TELEGRAM_API_BASE_URL that marks calls as coming from `process`."""
        return f"http://127.0.0.1:{self.port}/{process}/bot"

    def delivered(self) -> list[int]:
        """Return the chat id of every message delivered, in order."""
        return [int(call.params["chat_id"]) for call in self.fake.called("sendMessage")]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Strip the process prefix from the path, note a sendMessage, and answer as the fake."""
        if scope["type"] == "http":
            _empty, process, rest = scope["path"].split("/", 2)
            if rest.endswith("/sendMessage"):
                self.sends.append((process, time.monotonic()))
            scope = {**scope, "path": f"/{rest}", "raw_path": f"/{rest}".encode()}
        await self.fake.app(scope, receive, send)


@contextmanager
def bot_api() -> Iterator[BotApi]:
    """Serve the fake Bot API from a thread, on 127.0.0.1 at a random port."""
    api = BotApi(FakeBotApi())
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    api.port = api.fake.port = int(sock.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(api, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[sock])))
    thread.start()
    while not server.started:
        time.sleep(0.01)
    try:
        yield api
    finally:
        server.should_exit = True
        thread.join()
        sock.close()


@dataclass
class BotProcess:
    """One `bloodbot run` process: its name, web port, and the file its ticks are counted in."""

    name: str
    port: int
    ticks: Path
    log: Path
    popen: subprocess.Popen[bytes]

    def health(self) -> dict[str, Any] | None:
        """Return /healthz's answer, or None while the process does not answer."""
        try:
            body: dict[str, Any] = httpx.get(f"http://127.0.0.1:{self.port}/healthz",
                                             timeout=2).json()
        except httpx.HTTPError:
            return None
        return body

    def leads(self) -> bool:
        """Tell whether the process says it holds the scheduler lease."""
        return bool((self.health() or {}).get("leader"))

    def tick_count(self) -> int:
        """Return how many scheduler ticks this process ran."""
        return len(self.ticks.read_text().splitlines()) if self.ticks.exists() else 0

    def post(self, body: dict[str, Any]) -> int:
        """Deliver an update to this process's webhook as Telegram would; return the status."""
        response = httpx.post(f"http://127.0.0.1:{self.port}{WEBHOOK_PATH}", json=body,
                              headers={SECRET_HEADER: SECRET}, timeout=30)
        return response.status_code

    def kill(self) -> None:
        """Kill the process at once (SIGKILL): no clean shutdown, its lease is left to expire."""
        self.popen.send_signal(signal.SIGKILL)
        self.popen.wait(timeout=10)


@contextmanager
def bot_processes(db_url: str, api: BotApi, workdir: Path, names: tuple[str, ...] = ("a", "b"),
                  **settings: str) -> Iterator[list[BotProcess]]:
    """Start one `bloodbot run` per name on `db_url`; wait until all answer; stop them after."""
    processes = [_start(name, db_url, api, workdir, settings) for name in names]
    try:
        deadline = time.monotonic() + 60
        while not all(process.health() for process in processes):
            for process in processes:
                assert process.popen.poll() is None, process.log.read_text()[-3000:]
            assert time.monotonic() < deadline, "the bot processes did not start"
            time.sleep(0.1)
        yield processes
    finally:
        for process in processes:
            if process.popen.poll() is None:
                process.popen.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.popen.kill()


SOURCE = str(Path(__file__).resolve().parents[2])
"""The checkout under test: the children run its code, not whichever copy is installed."""


def _start(name: str, db_url: str, api: BotApi, workdir: Path,
           settings: dict[str, str]) -> BotProcess:
    port, ticks, log = free_port(), workdir / f"ticks-{name}.log", workdir / f"{name}.log"
    env = {**os.environ, "PYTHONPATH": SOURCE, "DATABASE_URL": db_url, "TELEGRAM_BOT_TOKEN": TOKEN,
           "TELEGRAM_API_BASE_URL": api.base_url(name), "TELEGRAM_WEBHOOK_SECRET": SECRET,
           "PUBLIC_BASE_URL": "https://bot.example.org", "WEB_PORT": str(port),
           "LOG_LEVEL": "WARNING", **{key.upper(): value for key, value in settings.items()}}
    with log.open("wb") as output:  # the child keeps its own copy of the descriptor
        popen = subprocess.Popen(
            [sys.executable, "-c", RUN_COUNTING_TICKS, str(ticks), str(TICK_SECONDS)],
            cwd=workdir, env=env, stdout=output, stderr=subprocess.STDOUT)
    return BotProcess(name, port, ticks, log, popen)


def wait_for(condition: Any, seconds: float, what: str) -> float:
    """Poll `condition` until it holds; return how long that took, or fail after `seconds`."""
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < seconds, f"{what} did not happen in {seconds} s"
        time.sleep(0.05)
    return time.monotonic() - start
