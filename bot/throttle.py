"""Slow down a user who sends too many messages: a sliding one-minute window per address."""

from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta

WINDOW = timedelta(minutes=1)
PRUNE_AT = 10_000
"""Forget idle addresses once this many are tracked, so memory stays bounded."""


class Throttle:
    """Count each address's messages in the last minute (per process)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._seen: dict[str, deque[datetime]] = {}
        self._warned: dict[str, datetime] = {}

    def admit(self, key: str, now: datetime) -> bool:
        """Record a message and tell whether it may be handled."""
        if len(self._seen) > PRUNE_AT:
            self._prune(now)
        times = self._seen.setdefault(key, deque())
        while times and now - times[0] >= WINDOW:
            times.popleft()
        times.append(now)
        if len(times) <= self.limit:
            self._warned.pop(key, None)
            return True
        return False

    def _prune(self, now: datetime) -> None:
        idle = [key for key, times in self._seen.items() if not times or now - times[-1] >= WINDOW]
        for key in idle:
            del self._seen[key]
            self._warned.pop(key, None)

    def should_warn(self, key: str, now: datetime) -> bool:
        """Tell whether to send the slow-down notice: once per window, not for every message."""
        last = self._warned.get(key)
        if last is not None and now - last < WINDOW:
            return False
        self._warned[key] = now
        return True
