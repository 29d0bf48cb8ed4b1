"""The environment a benchmark gives the `bloodbot run` it starts: this checkout, own settings."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

SOURCE = str(Path(__file__).resolve().parents[1])
"""This checkout: the bot runs its code, not whichever copy is installed."""
BOT_SETTINGS = ("DATABASE_URL", "ADMIN_PHONES", "PUBLIC_BASE_URL", "TELEGRAM_", "TWILIO_",
                "WHATSAPP_", "WEB_", "LOG_LEVEL")
"""The caller's settings the bot must not inherit (no real token, no webhook, no database)."""


def bot_environment(settings: Mapping[str, str]) -> dict[str, str]:
    """Return the caller's environment without its bot settings, plus `settings`."""
    kept = {key: value for key, value in os.environ.items()
            if not key.upper().startswith(BOT_SETTINGS)}
    return {**kept, "PYTHONPATH": SOURCE, **settings}
