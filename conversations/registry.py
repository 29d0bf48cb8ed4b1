"""The flows and slash commands the engine runs; one place to register a new one."""

from __future__ import annotations

from conversations.admin_commands import ADMIN_COMMANDS
from conversations.commands import SlashHandler
from conversations.donor_commands import DONOR_COMMANDS
from conversations.flow import Flow
from conversations.flows import approve, language, profile, request, respond, signup
from conversations.followup_commands import FOLLOWUP_COMMANDS


def all_flows() -> list[Flow]:
    """Return every flow the menu, deep links and commands can open."""
    return [language.FLOW, signup.FLOW, request.FLOW, profile.FLOW, approve.FLOW,
            respond.FLOW]


def all_commands() -> dict[str, SlashHandler]:
    """Return every slash command beyond the global ones: admin, follow-up and donor ones."""
    return {**ADMIN_COMMANDS, **FOLLOWUP_COMMANDS, **DONOR_COMMANDS}
