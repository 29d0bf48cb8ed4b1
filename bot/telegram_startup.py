"""Start the Telegram channel through a slow or briefly unreachable Telegram.

A timeout, no connection, a 5xx or flood control is retried with a growing wait; a wrong token
or a refused webhook URL is not, and says what to fix.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from itertools import count

from telegram.error import BadRequest, NetworkError, RetryAfter

from handlers.telegram_channel import retry_seconds

log = logging.getLogger(__name__)

BAD_TOKEN = ("Telegram rejected TELEGRAM_BOT_TOKEN: copy the token from @BotFather again "
             "(a 404 can also mean a wrong TELEGRAM_API_BASE_URL)")


class TelegramStartFailed(RuntimeError):
    """The channel cannot start and retrying will not help (a wrong token, a refused URL)."""


@dataclass(frozen=True)
class Backoff:
    """Waits between start-up attempts: `first` seconds, doubling up to `most`."""

    first: float = 1.0
    most: float = 60.0

    def wait(self, attempt: int) -> float:
        """Return the wait after failed attempt number `attempt` (1 for the first)."""
        return min(self.most, self.first * 2.0 ** (attempt - 1))


async def persist(what: str, call: Callable[[], Awaitable[object]], backoff: Backoff) -> None:
    """Await `call` until Telegram answers, warning and waiting longer after each failure.

    Only a timeout, no connection, a 5xx or flood control is retried; other errors are raised.
    """
    for attempt in count(1):
        try:
            await call()
            return
        except RetryAfter as error:
            wait = max(retry_seconds(error), backoff.wait(attempt))
            reason = "flood control"
        except BadRequest:
            raise
        except NetworkError as error:  # TimedOut, no connection, a 5xx from Telegram or a proxy
            wait, reason = backoff.wait(attempt), error.message[:80]
        log.warning("could not %s (%s); trying again in %.1f s", what, reason, wait)
        await asyncio.sleep(wait)


DEFAULT_BACKOFF = Backoff()
"""1 s after the first failure, doubling to a minute."""
