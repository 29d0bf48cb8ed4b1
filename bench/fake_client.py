"""Start `bench.fake_bot_api` in a process of its own and read what it counted."""

from __future__ import annotations

import asyncio
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from bench.fake_bot_api import TOKEN


def free_port() -> int:
    """Return a loopback port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Stats:
    """What the fake counted since its last reset; times are `time.monotonic()` seconds."""

    sent: int
    refused: int
    first_at: float | None
    last_at: float | None
    watched_at: float | None
    chats: int


class FakeProcess:
    """A running fake Bot API: its URLs, counts, and a queue of updates for getUpdates."""

    def __init__(self, port: int, client: httpx.AsyncClient) -> None:
        self.port = port
        self._client = client
        self._root = f"http://127.0.0.1:{port}"

    @property
    def base_url(self) -> str:
        """Return the URL to give python-telegram-bot (TELEGRAM_API_BASE_URL)."""
        return f"{self._root}/bot"

    token = TOKEN

    async def stats(self) -> Stats:
        """Return the counts since the last reset."""
        response = await self._client.get(f"{self._root}/stats")
        return Stats(**response.json())

    async def reset(self) -> None:
        """Zero the counts; the rate limits' windows go on."""
        await self._client.post(f"{self._root}/reset")

    async def watch(self, text: str) -> None:
        """Note when the first message containing `text` arrives from now on."""
        await self._client.post(f"{self._root}/watch", json={"text": text})

    async def push(self, update: dict[str, Any]) -> None:
        """Queue an update for the bot's next getUpdates."""
        await self._client.post(f"{self._root}/updates", json=update)


@asynccontextmanager
async def fake_bot_api(*, per_second: float = 30.0, per_chat: float = 1.0,
                       speed: float = 1.0) -> AsyncIterator[FakeProcess]:
    """Run the fake in a child process until the block ends."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.fake_bot_api", "--per-second", str(per_second),
        "--per-chat", str(per_chat), "--speed", str(speed), stdout=asyncio.subprocess.PIPE)
    try:
        assert process.stdout is not None
        line = (await process.stdout.readline()).decode()
        if not line.startswith("port "):
            raise RuntimeError("the fake Bot API did not start")
        async with httpx.AsyncClient() as client:
            fake = FakeProcess(int(line.split()[1]), client)
            for _ in range(100):  # uvicorn starts listening a moment after the port is bound
                try:
                    await fake.stats()
                    break
                except httpx.TransportError:
                    await asyncio.sleep(0.05)
            yield fake
    finally:
        if process.returncode is None:
            process.terminate()
            await process.wait()
