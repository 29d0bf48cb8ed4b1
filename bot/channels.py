"""The running channels: what each contributes to the server (sender, webhooks, start/stop)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from starlette.routing import BaseRoute

from bot.app import App
from bot.telegram_service import TelegramService
from bot.whatsapp_service import WhatsAppService
from handlers.sending import Sender


class Channel(Protocol):
    """A channel the server runs: Telegram, WhatsApp."""

    name: str
    sender: Sender

    @property
    def routes(self) -> Sequence[BaseRoute]:
        """Return the webhook routes this channel serves (none when polling)."""

    async def start(self) -> None:
        """Start receiving (polling or registering a webhook)."""

    async def stop(self) -> None:
        """Stop receiving and release network resources."""


def build_channels(app: App) -> list[Channel]:
    """Build every channel whose credentials are configured."""
    channels: list[Channel] = []
    if app.settings.telegram_enabled:
        channels.append(TelegramService(app))
    if app.settings.whatsapp_enabled:
        channels.append(WhatsAppService(app))
    return channels
