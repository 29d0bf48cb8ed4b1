"""The list of flows the engine runs; one place to register a new flow."""

from __future__ import annotations

from conversations.flow import Flow
from conversations.flows import language


def all_flows() -> list[Flow]:
    """Return every flow, imported lazily so a broken flow names itself in the traceback."""
    flows = [language.FLOW]
    for name in ("signup", "request", "profile"):
        try:
            module = __import__(f"conversations.flows.{name}", fromlist=["FLOW"])
        except ModuleNotFoundError:
            continue
        flows.append(module.FLOW)
    return flows
