"""Talk to the bot's webhook as Telegram does: redeliver each update until it is answered 200."""

from __future__ import annotations

import asyncio
import json
import random
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Any

import httpx

from bot.telegram_service import SECRET_HEADER, WEBHOOK_PATH
from tests.handlers.fake_bot_api import private_message

REDELIVERY_SECONDS = (0.1, 2.0)
"""Telegram's wait before redelivering an unanswered update, doubling from the first to the
cap (ours: far quicker than Telegram, so that a soak does not idle)."""
WEBHOOK_CONNECTIONS = 40
"""Updates Telegram has in flight to one webhook at once (setWebhook max_connections, 40 by
default): an update holds its slot until it is answered 200, redeliveries included."""
MAX_TURNS = 60
"""Messages one conversation may take before the simulated user gives up (ours)."""

Place = tuple[str | None, str | None]
"""Where a conversation stands: (flow, step), both None at the menu."""
BEFORE: Place = ("", None)
"""No place at all: what a conversation is compared with before its first answer."""


@dataclass
class Traffic:
    """What the simulated users saw: updates answered 200, refusals and dead connections."""

    acked: list[tuple[int, int]] = field(default_factory=list)  # (chat, message_id)
    refused: Counter[int] = field(default_factory=Counter)  # HTTP status -> times
    unreachable: int = 0  # connection refused or cut while the bot was down
    no_effect: list[str] = field(default_factory=list)  # answers after which nothing moved
    stuck: list[str] = field(default_factory=list)  # conversations that went off script
    loop_lag: list[float] = field(default_factory=lambda: [0.0])  # the soak's worst, seconds


class States:
    """Read committed conversation states from the SQLite file (a second reader, WAL)."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self._local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.db, timeout=30)
            self._local.connection = connection
        return connection

    def _place(self, chat: int) -> Place:
        row = self._connection().execute(
            "SELECT state FROM conversation WHERE address_key = ?", (f"telegram:{chat}",)
        ).fetchone()
        if row is None:
            return None, None
        state = json.loads(row[0])
        return state.get("flow"), state.get("step")

    async def place(self, chat: int) -> Place:
        """Return the flow and step stored for a chat."""
        return await asyncio.to_thread(self._place, chat)

    def _code(self, chat: int) -> str | None:
        row = self._connection().execute(
            "SELECT code FROM blood_request WHERE requester_address_key = ? ORDER BY id",
            (f"telegram:{chat}",)).fetchone()
        return None if row is None else str(row[0])

    async def request_code(self, chat: int) -> str | None:
        """Return the code of the request a chat filed, if any."""
        return await asyncio.to_thread(self._code, chat)


class Webhook:
    """Post updates to the bot; number them as Telegram would and retry until answered 200."""

    def __init__(self, client: httpx.AsyncClient, url: str, secret: str, rng: random.Random,
                 traffic: Traffic) -> None:
        self.client = client
        self.url = url.rstrip("/") + WEBHOOK_PATH
        self.secret = secret
        self.rng = rng
        self.traffic = traffic
        self._update_ids = count(1)
        self._message_ids: dict[int, count[int]] = {}
        self._slots = asyncio.Semaphore(WEBHOOK_CONNECTIONS)

    async def deliver(self, chat: int, body: Mapping[str, Any]) -> None:
        """Send one message from `chat` (a fake_bot_api body) and return once it is answered."""
        message_id = next(self._message_ids.setdefault(chat, count(1)))
        update = {"update_id": next(self._update_ids),
                  "message": {"message_id": message_id, "date": int(time.time()),
                              **body["message"]}}
        async with self._slots:
            await self._post(update, chat, message_id)

    async def _post(self, update: dict[str, Any], chat: int, message_id: int) -> None:
        headers = {SECRET_HEADER: self.secret}
        first, cap = REDELIVERY_SECONDS
        for tries in count():
            try:
                response = await self.client.post(self.url, json=update, headers=headers)
            except httpx.TransportError:
                self.traffic.unreachable += 1
            else:
                if response.status_code == 200:
                    self.traffic.acked.append((chat, message_id))
                    return
                self.traffic.refused[response.status_code] += 1
            await asyncio.sleep(self.rng.uniform(0.5, 1.0) * min(cap, first * 2 ** tries))

    async def say(self, chat: int, text: str) -> None:
        """Send a text message from `chat`."""
        await self.deliver(chat, private_message(chat, text))


@dataclass(frozen=True)
class Script:
    """One conversation: the opening message, the flow it should enter and each step's answer."""

    opening: str
    flow: str
    answers: Mapping[str, str]
    language: str = "en"


async def converse(webhook: Webhook, states: States, chat: int, script: Script,
                   think: tuple[float, float]) -> bool:
    """Answer whatever step the stored state is at until the flow ends; False if off script."""
    rng, traffic = webhook.rng, webhook.traffic
    await webhook.say(chat, script.opening)
    entered, last = False, BEFORE
    for _turn in range(MAX_TURNS):
        place = await states.place(chat)
        flow, step = place
        if place == last:
            traffic.no_effect.append(f"{chat} {flow}/{step}")
        if flow == script.flow and step is not None and step in script.answers:
            entered, text = True, script.answers[step]
        elif flow == "language" and not entered:
            text = script.language
        elif flow is None and entered:
            return True
        else:
            traffic.stuck.append(f"{chat} at {flow}/{step} ({script.flow})")
            return False
        last = place
        await asyncio.sleep(rng.uniform(*think))
        await webhook.say(chat, text)
    traffic.stuck.append(f"{chat} took over {MAX_TURNS} turns in {script.flow}")
    return False
