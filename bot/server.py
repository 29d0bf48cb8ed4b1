"""The long-running server: channels, web app, courier loop and scheduler ticks together."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import UTC

import uvicorn
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.app import App
from bot.channels import Channel
from bot.jobs import register_jobs
from bot.web import build_web

log = logging.getLogger(__name__)


async def serve(app: App, channels: Sequence[Channel], *, stop: asyncio.Event | None = None,
                port: int | None = None) -> None:
    """Run until `stop` is set (or the process is interrupted)."""
    stop = stop or asyncio.Event()
    courier = app.courier({channel.name: channel.sender for channel in channels})
    app.runtime.on_committed = courier.wake
    scheduler = AsyncIOScheduler(timezone=UTC)
    register_jobs(scheduler, app, courier.wake)
    scheduler.start()
    routes = [route for channel in channels for route in channel.routes]
    web = build_web(app, routes, scheduler_running=lambda: bool(scheduler.running))
    config = uvicorn.Config(web, host=app.settings.web_host, port=port or app.settings.web_port,
                            log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    tasks = [asyncio.create_task(courier.run_forever(stop), name="courier"),
             asyncio.create_task(server.serve(), name="web")]
    tasks[1].add_done_callback(lambda _task: stop.set())  # uvicorn exits on SIGINT/SIGTERM
    try:
        for channel in channels:
            await channel.start()
        log.info("serving %s", ", ".join(c.name for c in channels) or "no channels")
        await stop.wait()
    finally:
        for channel in channels:
            await channel.stop()
        server.should_exit = True
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        scheduler.shutdown(wait=False)
