"""Settings from the environment or a `.env` file; `.env.example` documents each one."""

from __future__ import annotations

from datetime import time
from functools import cached_property
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from conversations.i18n import DEFAULT_LANGUAGE
from storage.domain.broadcast import DEFAULT_BROADCAST_RULES as _RULES

TEMPLATE_PREFIX = "whatsapp_template_"


class Settings(BaseSettings):
    """Every knob of the bot; built once in the composition root and passed down."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8",
                                      extra="ignore")

    database_url: str = Field(default_factory=lambda: f"sqlite:///{Path.cwd() / 'bloodbot.db'}")
    default_region: str = "IN"
    timezone: str = "Asia/Kolkata"
    admin_phones: Annotated[list[str], NoDecode] = Field(default_factory=list)
    public_base_url: str | None = None
    telegram_bot_token: str | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_webhook_secret: str | None = None
    # Telegram's limits per bot (DOMAIN.md "Channels"; core.telegram.org/bots/faq); 0 = off.
    telegram_max_per_second: float = 30
    telegram_max_per_chat_per_second: float = 1
    telegram_max_per_group_per_minute: float = 20
    twilio_account_sid: str | None = None
    twilio_auth_token: str | None = None
    twilio_whatsapp_from: str | None = None
    twilio_api_base_url: str | None = None
    # Content SIDs of approved WhatsApp templates: `whatsapp_template_<kind>` is in the default
    # language, English (and is the fallback); `whatsapp_template_<kind>_<language code>` is the
    # same template in that language. A field named so is all a new language needs.
    whatsapp_template_alert: str | None = None
    whatsapp_template_notice: str | None = None
    whatsapp_template_alert_hi: str | None = None
    whatsapp_template_notice_hi: str | None = None
    whatsapp_mps: float = 20.0
    verify_escalate_minutes: int = 15
    # Broadcasts and the donors' fatigue budget; the defaults and their sources are in
    # `storage.domain.broadcast.BroadcastRules` (`bot.app.broadcast_rules` applies these).
    wave_minutes: int = Field(default=_RULES.wave_minutes, ge=1)
    critical_wave_minutes: int = Field(default=_RULES.critical_wave_minutes, ge=1)
    alerts_per_unit: int = Field(default=_RULES.alerts_per_unit, ge=1)
    max_alerts_per_week: int = Field(default=_RULES.max_alerts_per_week, ge=1)
    quiet_hours_start: time = _RULES.quiet_start
    quiet_hours_end: time = _RULES.quiet_end
    max_messages_per_minute: int = 20
    web_host: str = "127.0.0.1"
    web_port: int = 8080
    courier_batch_size: int = 50
    courier_max_attempts: int = 8
    # Several processes on one database: the one holding this lease ticks the scheduler; a
    # dead holder's lease runs out and another takes over within lease + lease/3 (60 s).
    leader_lease_seconds: float = 45
    log_level: str = "INFO"

    @field_validator("admin_phones", mode="before")
    @classmethod
    def _split_phones(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @cached_property
    def zone(self) -> ZoneInfo:
        """Return the zone users' times are shown in."""
        return ZoneInfo(self.timezone)

    @property
    def telegram_enabled(self) -> bool:
        """Tell whether Telegram credentials are configured."""
        return bool(self.telegram_bot_token)

    @property
    def whatsapp_template_sids(self) -> dict[str, dict[str, str]]:
        """Return the configured template content SIDs by kind, then by language code."""
        found: dict[str, dict[str, str]] = {}
        for name in type(self).model_fields:
            sid = getattr(self, name)
            if name.startswith(TEMPLATE_PREFIX) and isinstance(sid, str) and sid.strip():
                kind, _, language = name.removeprefix(TEMPLATE_PREFIX).partition("_")
                found.setdefault(kind, {})[language or DEFAULT_LANGUAGE] = sid.strip()
        return found

    @property
    def whatsapp_enabled(self) -> bool:
        """Tell whether Twilio WhatsApp credentials are configured."""
        return bool(self.twilio_account_sid and self.twilio_auth_token
                    and self.twilio_whatsapp_from)
