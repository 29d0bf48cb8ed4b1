"""The long-running server: channels, web app, courier loop and scheduler ticks together."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import threading
from collections.abc import Generator, Sequence
from datetime import UTC, timedelta

import uvicorn
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.app import App
from bot.channels import Channel
from bot.jobs import register_jobs
from bot.leader import Leadership
from bot.web import build_web

log = logging.getLogger(__name__)

SHUTDOWN_GRACE_SECONDS = 10.0
"""How long a stopping server waits for the courier to finish what it is sending."""


async def serve(app: App, channels: Sequence[Channel], *, stop: asyncio.Event | None = None,
                port: int | None = None) -> None:
    """Run until `stop` is set (or the process is interrupted)."""
    stop = stop or asyncio.Event()
    courier = app.courier({channel.name: channel.sender for channel in channels})
    scheduler = AsyncIOScheduler(timezone=UTC)
    leadership = Leadership(db=app.db, clock=app.clock,
                            lease=timedelta(seconds=app.settings.leader_lease_seconds))
    run_waves_soon = register_jobs(scheduler, app, courier.wake, guard=leadership.guard)

    def committed() -> None:
        courier.wake()
        run_waves_soon()  # an approval's first wave is due at once

    app.runtime.on_committed = committed
    scheduler.start()
    routes = [route for channel in channels for route in channel.routes]
    web = build_web(app, routes, scheduler_running=lambda: bool(scheduler.running),
                    leading=lambda: leadership.leading)
    config = uvicorn.Config(web, host=app.settings.web_host, port=port or app.settings.web_port,
                            log_level="warning", lifespan="off")
    server = _Server(config)
    signals = _stop_on_signals(stop)
    channels_started = asyncio.Event()

    async def deliver_once_started() -> None:
        await channels_started.wait()
        await courier.run_forever(stop)

    courier_task = asyncio.create_task(deliver_once_started(), name="courier")
    leader_task = asyncio.create_task(leadership.run_forever(stop), name="leadership")
    web_task = asyncio.create_task(server.serve(), name="web")
    web_task.add_done_callback(lambda _task: stop.set())
    starting = asyncio.create_task(_start(channels), name="channels")
    stopping = asyncio.create_task(stop.wait(), name="stop")
    try:
        # A channel may keep retrying while its platform is unreachable: a stop ends that.
        await asyncio.wait((starting, stopping), return_when=asyncio.FIRST_COMPLETED)
        if starting.done():
            starting.result()  # a channel that cannot start stops the server
            channels_started.set()
            log.info("serving %s", ", ".join(c.name for c in channels) or "no channels")
            await stop.wait()
    finally:
        # Stop taking webhooks, let the courier finish the message in hand, then close the
        # channels' connections: a reply cut off mid-way would be sent again after a restart,
        # and an alert given up.
        stop.set()
        for task in (starting, stopping):
            task.cancel()
        await asyncio.gather(starting, stopping, return_exceptions=True)
        channels_started.set()
        server.should_exit = True
        try:
            await asyncio.wait_for(courier_task, SHUTDOWN_GRACE_SECONDS)
        except (TimeoutError, asyncio.CancelledError):
            log.warning("the courier did not stop in time; unsent rows stay in the outbox")
        for channel in channels:
            await channel.stop()
        await asyncio.gather(web_task, return_exceptions=True)
        scheduler.shutdown(wait=False)
        await asyncio.gather(leader_task, return_exceptions=True)  # gives the lease up
        for sig in signals:
            asyncio.get_running_loop().remove_signal_handler(sig)


async def _start(channels: Sequence[Channel]) -> None:
    """Start each channel in turn; log and re-raise the reason one cannot start."""
    for channel in channels:
        try:
            await channel.start()
        except Exception as error:
            log.error("the %s channel could not start: %s", channel.name, error)
            raise


class _Server(uvicorn.Server):
    """Uvicorn without its own signal handling: `serve` stops everything in order instead.

    Uvicorn re-raises SIGINT/SIGTERM after its own shutdown, which would kill the process
    before the courier and the channels have stopped.
    """

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        """Leave signals to `serve`."""
        yield


def _stop_on_signals(stop: asyncio.Event) -> list[signal.Signals]:
    """Set `stop` on SIGINT and SIGTERM (main thread only); return the signals handled."""
    if threading.current_thread() is not threading.main_thread():
        return []
    loop = asyncio.get_running_loop()
    handled: list[signal.Signals] = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):
            continue
        handled.append(sig)
    return handled
