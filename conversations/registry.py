"""The flows and slash commands the engine runs; one place to register a new one."""

from __future__ import annotations

from conversations.admin_commands import ADMIN_COMMANDS
from conversations.commands import SlashHandler
from conversations.flow import Flow
from conversations.flows import approve, language, profile, request, signup


def all_flows() -> list[Flow]:
    """Return every flow the menu, deep links and commands can open."""
    return [language.FLOW, signup.FLOW, request.FLOW, profile.FLOW, approve.FLOW]


def all_commands() -> dict[str, SlashHandler]:
    """Return every slash command beyond the global ones (admin commands and /report)."""
    return dict(ADMIN_COMMANDS)
