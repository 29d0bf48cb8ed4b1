"""The server: the web app answers /healthz while the courier and scheduler run."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from sqlmodel import Session

from bot.app import App
from bot.leader import SCHEDULER_LEASE
from bot.server import serve
from storage.leases import lease_holder
from tests.handlers.conftest import free_port


async def _health(app: App, port: int) -> httpx.Response:
    """Serve the app; answer its /healthz once the process has taken the scheduler lease."""
    stop = asyncio.Event()
    server = asyncio.create_task(serve(app, [], stop=stop, port=port))
    try:
        async with httpx.AsyncClient() as client:
            for _ in range(100):
                try:
                    response = await client.get(f"http://127.0.0.1:{port}/healthz")
                    if response.json().get("leader"):
                        return response
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.05)
            raise AssertionError("the server never answered as the leader")
    finally:
        stop.set()
        await server


def test_healthz_reports_database_scheduler_and_leadership(app: App) -> None:
    response = asyncio.run(_health(app, free_port()))
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "scheduler": "running", "leader": True}


def test_a_server_stopping_in_order_hands_the_scheduler_lease_over(app: App) -> None:
    asyncio.run(_health(app, free_port()))
    with Session(app.db) as session:
        assert lease_holder(session, name=SCHEDULER_LEASE, now=app.clock()) is None


SERVE_UNTIL_SIGNAL = """
import asyncio, sys
from bot.app import build_app
from bot.leader import SCHEDULER_LEASE
from bot.server import serve
from storage.leases import lease_holder
from bot.settings import Settings
app = build_app(Settings(database_url=sys.argv[1]))
print("serving", flush=True)
asyncio.run(serve(app, [], port=int(sys.argv[2])))
print("stopped in order", flush=True)
"""


def test_sigterm_stops_the_server_in_order_and_exits_cleanly(tmp_path: Path) -> None:
    server = subprocess.Popen(
        [sys.executable, "-c", SERVE_UNTIL_SIGNAL, f"sqlite:///{tmp_path / 'bot.db'}",
         str(free_port())], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert server.stdout is not None and server.stdout.readline() == "serving\n"
    time.sleep(0.5)
    server.send_signal(signal.SIGTERM)
    out, err = server.communicate(timeout=30)
    assert server.returncode == 0, err
    assert "stopped in order" in out
