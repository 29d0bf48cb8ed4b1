"""The list of flows the engine runs; one place to register a new flow."""

from __future__ import annotations

from conversations.flow import Flow
from conversations.flows import language, profile, request, signup


def all_flows() -> list[Flow]:
    """Return every flow the menu and deep links can open."""
    return [language.FLOW, signup.FLOW, request.FLOW, profile.FLOW]
