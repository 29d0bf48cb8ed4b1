"""Delete at Twilio the slip photos of erased requests, from the queue erasure fills.

`storage.erasure` queues each erased request's Twilio photo (`storage.media_deletions`) in
the erasure's own transaction. The WhatsApp channel runs a `MediaEraser`: it claims due rows
for a lease (so several processes never delete the same photo at once, and a process that
dies mid-way lets another retry), DELETEs the Media resource, and drops the row. A failure is
retried with a growing wait, never given up: the photo shows a patient's name.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from aiohttp import ClientError
from sqlalchemy import Engine as DbEngine
from sqlmodel import Session
from twilio.base.exceptions import TwilioRestException  # type: ignore[import-untyped]

from storage import media_deletions
from storage.media_deletions import PendingDeletion

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)  # our choice: far longer than one DELETE takes
BATCH = 20
EVERY_SECONDS = 60.0  # our choice: an erased photo is gone from Twilio within about a minute
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)
ALREADY_GONE = 404


def retry_wait(attempts: int) -> timedelta:
    """Return the wait after failed attempt number `attempts`: 1, 2, 4 … minutes, at most 1 h."""
    wait: timedelta = FIRST_RETRY * 2 ** max(attempts - 1, 0)
    return min(wait, LONGEST_RETRY)


def masked_sid(sid: str) -> str:
    """Shorten a SID for logs."""
    return sid[:6] + "…"


class MediaEraser:
    """Drain the media deletion queue through the twilio client."""

    def __init__(self, *, db: DbEngine, clock: Callable[[], datetime],
                 client: Callable[[], Awaitable[Any]]) -> None:
        """Take the database, the clock and a coroutine returning the twilio `Client`."""
        self.db = db
        self.clock = clock
        self.client = client

    async def delete_due(self) -> int:
        """Delete every due photo at Twilio; return how many are gone."""
        claimed = await asyncio.to_thread(self._claim)
        gone = 0
        for item in claimed:
            error = await self._delete(item)
            await asyncio.to_thread(self._settle, item, error)
            gone += error is None
        return gone

    async def run_forever(self) -> None:
        """Delete due photos now and every EVERY_SECONDS, until cancelled."""
        while True:
            try:
                await self.delete_due()
            except Exception:  # the database may be briefly unavailable; try again later
                log.exception("deleting erased media failed")
            await asyncio.sleep(EVERY_SECONDS)

    def _claim(self) -> list[PendingDeletion]:
        with Session(self.db) as session, session.begin():
            return media_deletions.claim_due(session, now=self.clock(), limit=BATCH,
                                             lease=LEASE)

    async def _delete(self, item: PendingDeletion) -> str | None:
        """DELETE the Media resource; return why it failed, None when it is gone."""
        try:
            client = await self.client()
            await client.messages(item.message_sid).media(item.media_sid).delete_async()
        except TwilioRestException as error:
            if error.status == ALREADY_GONE:
                return None
            return f"Twilio refused: HTTP {error.status}, error {error.code}"
        except (ClientError, TimeoutError) as error:
            return f"Twilio unreachable: {type(error).__name__}"
        return None

    def _settle(self, item: PendingDeletion, error: str | None) -> None:
        with Session(self.db) as session, session.begin():
            if error is None:
                media_deletions.mark_deleted(session, item.media_sid)
                log.info("deleted erased media %s at Twilio", masked_sid(item.media_sid))
                return
            wait = retry_wait(item.attempts)
            media_deletions.retry_later(session, item.media_sid, due=self.clock() + wait,
                                        error=error)
        log.warning("could not delete erased media %s (%s); trying again in %s",
                    masked_sid(item.media_sid), error, wait)
