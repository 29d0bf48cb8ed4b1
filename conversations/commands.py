"""Slash commands beyond the global ones (admin commands, /report): parsing and results."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from conversations.flow import Turn
from conversations.i18n import _
from conversations.messages import Outbound

UNKNOWN_COMMAND = _("I do not know that command. Send 'menu' to see what I can do.")
"""The one reply for any command the sender may not use, so admin commands stay invisible."""


@dataclass(frozen=True)
class CommandReply:
    """What a command answered, and optionally a flow to open (e.g. the approval checklist)."""

    replies: tuple[Outbound, ...] = ()
    enter: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


SlashHandler = Callable[[Turn, list[str]], CommandReply | None]
"""Run a command with its arguments; None means "not for this sender" (shown as unknown)."""

SlashCommands = Mapping[str, SlashHandler]


def parse_slash(text: str) -> tuple[str, list[str]] | None:
    """Split "/approve@bloodbot R-4821 note" into ("approve", ["R-4821", "note"])."""
    stripped = text.strip()
    if not stripped.startswith("/") or len(stripped) < 2:
        return None
    head, *args = stripped[1:].split()
    name = head.split("@", 1)[0].casefold()
    return (name, args) if name else None
