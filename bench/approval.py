"""Time an admin's approval to the first alert at the Bot API, on a served app.

The app runs as `bloodbot run` does (`bot.server.serve` with the Telegram channel, polling a
fake Bot API in its own process, real clock), on a copy of a benchmark donor population
with `NEARBY` more donors within a few kilometres of the hospital, so that every run's
first wave has donors to alert. Each run: a different super-admin answers the approval
checklist through the runtime; the clock starts as the last answer is handed to it and
stops when the fake receives the first message naming the request.
"""

from __future__ import annotations

import asyncio
import math
import random
import shutil
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, col, select

from bench.fake_client import FakeProcess, fake_bot_api, free_port
from bench.hospitals import PRAYAGRAJ, file_request
from bench.india import Spot
from bench.population import (
    POPULATION_NOW,
    QUICK_DONORS,
    donor_database,
    indian_group,
    insert_donors,
)
from bot.app import App, build_app
from bot.server import serve
from bot.settings import Settings
from bot.telegram_service import TelegramService
from conversations.messages import Address, Inbound
from storage.domain.places import EARTH_RADIUS_KM
from storage.geo import PlaceResolver
from storage.tables import OutboxRow, Person

DONORS = 100_000
NEARBY, NEARBY_KM = 100, 4.0
NEEDED_IN = timedelta(hours=3)
"""An emergency: never held back by quiet hours, whatever the time of the run."""
TIMEOUT_S = 30.0
SETTLE_S = 1.5


def admin(number: int) -> Address:
    """Return the console address of super-admin `number` (one per run: no throttling)."""
    return Address("console", f"+9190000{number:05d}")


def prepare(app: App, requests: int) -> list[str]:
    """Add donors near the hospital and `requests` pending requests; return their codes.

    The attendant files one request first that nobody approves, so that the timed ones
    need a single approval (a first request from a new attendant needs two).
    """
    centre = PlaceResolver().resolve_pincode(PRAYAGRAJ.pincode)
    assert centre is not None

    def near(rng: random.Random) -> Spot:
        km, angle = NEARBY_KM * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
        lat = centre.latitude + math.degrees(km * math.cos(angle) / EARTH_RADIUS_KM)
        lon = centre.longitude + math.degrees(km * math.sin(angle) / (
            EARTH_RADIUS_KM * math.cos(math.radians(centre.latitude))))
        return Spot(lat, lon, centre.district, centre.state, centre.pincode)

    with Session(app.db) as session, session.begin():
        first = (session.exec(select(func.max(Person.id))).one() or 0) + 1
        insert_donors(session.connection(), ids=range(first, first + NEARBY),
                      rng=random.Random(first), now=POPULATION_NOW, spot=near,
                      group=indian_group)
        codes = [file_request(session, PRAYAGRAJ, now=app.clock(), needed_in=NEEDED_IN).code
                 for _ in range(requests + 1)]
    return codes[1:]


def unsent(app: App) -> int:
    """Count the Telegram rows neither sent nor given up."""
    with Session(app.db) as session:
        return session.exec(select(func.count()).select_from(OutboxRow).where(
            OutboxRow.channel == "telegram", col(OutboxRow.sent_at).is_(None),
            col(OutboxRow.failed_at).is_(None))).one()


async def say(app: App, who: Address, *texts: str) -> None:
    """Hand messages from `who` to the runtime, each committed before the next."""
    for text in texts:
        await app.runtime.handle(Inbound(who, f"bench:{time.monotonic_ns()}", app.clock(), text,
                                         phone=who.user_id))


async def approve(app: App, fake: FakeProcess, who: Address, code: str) -> float:
    """Approve `code` as `who`; return the seconds from the last answer to the first alert."""
    await say(app, who, "hello", "1", f"/approve {code}", "1", "1", "1")
    await fake.watch(code)
    started = time.monotonic()
    await say(app, who, "skip")
    while (arrived := (await fake.stats()).watched_at) is None:
        if time.monotonic() - started > TIMEOUT_S:
            raise RuntimeError(f"no alert for {code} within {TIMEOUT_S:.0f} s")
        await asyncio.sleep(0.005)
    while await asyncio.to_thread(unsent, app):
        await asyncio.sleep(0.05)
    # Approvals come minutes apart, not back to back: the next run must not wait for the
    # one-message-a-second limit of a donor this run alerted.
    await asyncio.sleep(SETTLE_S)
    return arrived - started


async def approval_latencies(directory: Path, *, runs: int, quick: bool,
                             data: Path) -> list[float]:
    """Serve an app on a copy of the population; return each timed approval's latency."""
    path = directory / "approval.db"
    shutil.copy(donor_database(QUICK_DONORS if quick else DONORS, directory=data), path)
    async with fake_bot_api(per_second=30, per_chat=1) as fake:
        settings = Settings(database_url=f"sqlite:///{path}", telegram_bot_token=fake.token,
                            telegram_api_base_url=fake.base_url, public_base_url=None,
                            admin_phones=[admin(n).user_id for n in range(runs + 1)])
        app = build_app(settings)
        codes = prepare(app, runs + 1)
        channel, stop = TelegramService(app), asyncio.Event()
        server = asyncio.create_task(serve(app, [channel], stop=stop, port=free_port()))
        try:
            while not channel.telegram_sender.ready and not server.done():
                await asyncio.sleep(0.01)
            latencies = [await approve(app, fake, admin(n), code)
                         for n, code in enumerate(codes)]
        finally:
            stop.set()
            await server
            app.db.dispose()
    return latencies[1:]  # the first was the warm-up
