"""The running server sends wave 1 right after an approval commits, not at the next tick."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from starlette.routing import BaseRoute

from bot.jobs import TICK_SECONDS
from bot.server import serve
from conversations.messages import Inbound
from handlers.sending import Sender
from tests.bot.broadcast_app import ADMIN, Network, build_network
from tests.bot.conftest import FakeClock, RecordingSender
from tests.handlers.conftest import free_port


class TelegramStandIn:
    """A channel named telegram whose sender only records (the donors are on Telegram)."""

    name = "telegram"

    def __init__(self) -> None:
        self.recorder = RecordingSender()
        self.sender: Sender = self.recorder

    @property
    def routes(self) -> Sequence[BaseRoute]:
        """Serve no webhooks."""
        return []

    async def start(self) -> None:
        """Nothing to start."""

    async def stop(self) -> None:
        """Nothing to stop."""


def alerted(channel: TelegramStandIn) -> set[str]:
    """Return the Telegram chats an alert was sent to."""
    return {user for user, message in channel.recorder.sent
            if message.text.startswith("Blood is needed near you")}


async def approve_while_serving(network: Network, channel: TelegramStandIn) -> float:
    """Approve through the runtime while serving; return the seconds until both alerts left."""
    app, stop, loop = network.app, asyncio.Event(), asyncio.get_running_loop()
    server = asyncio.create_task(serve(app, [channel], stop=stop, port=free_port()))
    try:
        for n, text in enumerate(["hello", "1", f"/approve {network.code}", "1", "1", "1",
                                  "skip"]):
            await app.runtime.handle(Inbound(ADMIN, f"s{n}", app.clock(), text,
                                             phone=ADMIN.user_id))
        approved = loop.time()
        while len(alerted(channel)) < 2:
            assert loop.time() - approved < TICK_SECONDS / 3, "the alerts waited for a tick"
            await asyncio.sleep(0.02)
        return loop.time() - approved
    finally:
        stop.set()
        await server


def test_wave_one_leaves_after_the_approval_commits_not_at_the_next_tick(
        db_url: str, clock: FakeClock) -> None:
    # How fast is measured by bench/, not here: this only checks the commit hook drives it.
    network, channel = build_network(db_url, clock), TelegramStandIn()
    try:
        asyncio.run(approve_while_serving(network, channel))
    finally:
        network.app.db.dispose()
    assert alerted(channel) == {network.keys[name].split(":")[1] for name in ("near", "o_neg")}
