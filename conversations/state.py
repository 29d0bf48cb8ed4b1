"""Conversation state: which flow and step a user is in, with JSON-only data."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

JsonDict = dict[str, Any]


@dataclass
class ConversationState:
    """Where one address stands; saved after every turn, so a restart continues here."""

    lang: str | None = None
    flow: str | None = None
    step: str | None = None
    version: int = 0
    data: JsonDict = field(default_factory=dict)

    def to_json(self) -> str:
        """Serialise to a JSON string (the only form stored)."""
        return json.dumps(
            {
                "lang": self.lang,
                "flow": self.flow,
                "step": self.step,
                "version": self.version,
                "data": self.data,
            },
            ensure_ascii=False,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, raw: str | None) -> ConversationState:
        """Load a stored state; anything unreadable becomes a fresh state."""
        if not raw:
            return cls()
        try:
            obj = json.loads(raw)
            return cls(
                lang=obj.get("lang"),
                flow=obj.get("flow"),
                step=obj.get("step"),
                version=int(obj.get("version", 0)),
                data=dict(obj.get("data") or {}),
            )
        except (ValueError, TypeError, AttributeError):
            return cls()

    def in_flow(self) -> bool:
        """Tell whether the user is inside a flow rather than at the menu."""
        return self.flow is not None and self.step is not None
