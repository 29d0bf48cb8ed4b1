"""Run `bloodbot run` as a child process, kill it with SIGKILL at random moments, restart it."""

from __future__ import annotations

import asyncio
import random
import signal
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx

from bench.environment import bot_environment

STARTUP_SECONDS = 300.0
"""How long a (re)started bot may take to answer /healthz (ours: generous, so that a slow
start is measured rather than cut short)."""
STOP_SECONDS = 30.0
"""How long SIGTERM may take before the bot is killed after all."""
MAX_EXITS = 20
"""Exits by itself after which the bot is not restarted again (a crash loop)."""


def bot_command() -> list[str]:
    """Return the `bloodbot run` command of this interpreter's environment."""
    script = Path(sys.executable).with_name("bloodbot")
    if script.exists():
        return [str(script), "run"]
    return [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())", "run"]


@dataclass
class BotProcess:
    """One `bloodbot run` at a time, restarted like a supervisor would if it exits by itself."""

    settings: Mapping[str, str]
    workdir: Path
    port: int
    webhooks_set: Callable[[], int] = lambda: 0
    """How many setWebhook calls the fake has seen: the last step of the channel's start."""
    starts: int = 0
    kills: int = 0
    exits: list[int] = field(default_factory=list)
    """Exit codes of the exits nobody asked for (a crash, a failed start)."""
    ready_seconds: list[float] = field(default_factory=list)
    """For each start that got that far: seconds from launch until the webhook was set."""
    gave_up: str | None = None
    """Why the bot could not be kept running, if it could not."""
    _process: asyncio.subprocess.Process | None = None
    _log: IO[bytes] | None = None
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _watchers: set[asyncio.Task[None]] = field(default_factory=set)

    @property
    def url(self) -> str:
        """Return the base URL of the bot's web app."""
        return f"http://127.0.0.1:{self.port}"

    def environment(self) -> dict[str, str]:
        """Return the caller's environment without its bot settings, plus the soak's."""
        return bot_environment({**self.settings, "WEB_HOST": "127.0.0.1",
                                "WEB_PORT": str(self.port)})

    async def start(self) -> None:
        """Start the bot and wait until its /healthz answers (or it exits by itself)."""
        async with self._lock:
            await self._launch()

    async def _launch(self) -> None:
        if self._log is None:
            self._log = (self.workdir / "bot.log").open("ab")
        self._log.write(f"----- start {self.starts + 1} -----\n".encode())
        self._log.flush()
        launched, webhooks = time.monotonic(), self.webhooks_set()
        self._process = process = await asyncio.create_subprocess_exec(
            *bot_command(), cwd=self.workdir, env=self.environment(),
            stdin=asyncio.subprocess.DEVNULL, stdout=self._log, stderr=self._log)
        self.starts += 1
        for job in (self._watch_ready(process, launched, webhooks), self._supervise(process)):
            watcher = asyncio.create_task(job)
            self._watchers.add(watcher)
            watcher.add_done_callback(self._watchers.discard)
        await self._healthy(process)

    async def _watch_ready(self, process: asyncio.subprocess.Process, launched: float,
                           webhooks: int) -> None:
        """Note how long this launch took to set its webhook, unless it ends first."""
        while self._process is process and process.returncode is None:
            if self.webhooks_set() > webhooks:
                self.ready_seconds.append(time.monotonic() - launched)
                return
            await asyncio.sleep(0.05)

    async def _supervise(self, process: asyncio.subprocess.Process) -> None:
        """Restart the bot if this launch exits without being killed or stopped."""
        code = await process.wait()
        if self._process is not process:
            return
        self.exits.append(code)
        if len(self.exits) > MAX_EXITS:
            self.gave_up = f"the bot exited by itself {len(self.exits)} times"
            return
        async with self._lock:
            if self._process is process:
                await self._launch()

    async def _healthy(self, process: asyncio.subprocess.Process) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        async with httpx.AsyncClient(timeout=2.0) as client:
            while time.monotonic() < deadline and process.returncode is None:
                try:
                    if (await client.get(self.url + "/healthz")).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.05)
        if process.returncode is None:
            self.gave_up = f"the bot did not answer /healthz in {STARTUP_SECONDS:.0f} s"

    async def kill(self) -> None:
        """SIGKILL the bot: no shutdown code runs, as when a machine loses power."""
        async with self._lock:
            process, self._process = self._process, None
            if process is None:
                return
            if process.returncode is None:
                process.send_signal(signal.SIGKILL)
            await process.wait()
            self.kills += 1

    async def stop(self) -> bool:
        """Stop the bot with SIGTERM; True if it exited cleanly in time."""
        async with self._lock:
            process, self._process = self._process, None
            clean = process is None or await _terminate(process)
            if self._log is not None:
                self._log.close()
                self._log = None
            return clean


async def _terminate(process: asyncio.subprocess.Process) -> bool:
    """SIGTERM a process, SIGKILL it after STOP_SECONDS; True if it exited with 0 in time."""
    if process.returncode is not None:
        return False  # it had already exited by itself
    process.send_signal(signal.SIGTERM)
    try:
        return await asyncio.wait_for(process.wait(), STOP_SECONDS) == 0
    except TimeoutError:
        process.send_signal(signal.SIGKILL)
        await process.wait()
        return False


async def killer(bot: BotProcess, kills: int, progress: Callable[[], float],
                 rng: random.Random, done: asyncio.Event) -> None:
    """Kill and restart the bot `kills` times, each when the run's progress passes a random mark.

    `progress` goes from 0 to 1 as the users' messages are answered; the marks are spread
    uniformly over it, so kills land early, midway and late whatever the run's speed. A
    jitter of up to 0.3 s moves each kill off the poll that noticed the mark. Marks that the
    users' progress never reached (it is an estimate) are killed after `done`, while the
    outbox drains.
    """
    for mark in sorted(rng.uniform(0.02, 0.98) for _ in range(kills)):
        while progress() < mark and not done.is_set():
            await asyncio.sleep(0.02)
        await asyncio.sleep(rng.uniform(0.0, 0.3))
        await bot.kill()
        await bot.start()
