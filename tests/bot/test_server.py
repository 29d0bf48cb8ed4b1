"""The server: the web app answers /healthz while the courier and scheduler run."""

from __future__ import annotations

import asyncio
import socket

import httpx

from bot.app import App
from bot.server import serve


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _health(app: App, port: int) -> httpx.Response:
    stop = asyncio.Event()
    server = asyncio.create_task(serve(app, [], stop=stop, port=port))
    try:
        async with httpx.AsyncClient() as client:
            for _ in range(100):
                try:
                    return await client.get(f"http://127.0.0.1:{port}/healthz")
                except httpx.TransportError:
                    await asyncio.sleep(0.05)
            raise AssertionError("the server never answered")
    finally:
        stop.set()
        await server


def test_healthz_reports_database_and_scheduler(app: App) -> None:
    response = asyncio.run(_health(app, free_port()))
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "scheduler": "running"}
