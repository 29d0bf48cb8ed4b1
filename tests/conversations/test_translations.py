"""Every user-facing message has a Hindi translation that keeps its placeholders."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir

from conversations.i18n import Translator, load_catalogue, placeholders

PACKAGE = Path(__file__).resolve().parents[2] / "conversations"


def extracted_ids() -> set[str]:
    """Extract every message id marked with `_()` or passed to `t()` in conversations/."""
    found = extract_from_dir(str(PACKAGE), method_map=[("**.py", "python")],
                             keywords={"_": None, "t": None})
    return {msgid for _file, _line, msgid, _comments, _ctx in found if isinstance(msgid, str)}


def test_extraction_finds_the_menu() -> None:
    assert "What would you like to do? Send the number of your choice." in extracted_ids()


def test_every_message_has_a_hindi_translation() -> None:
    hindi = load_catalogue("hi")
    missing = sorted(msgid for msgid in extracted_ids() if not hindi.get(msgid))
    assert missing == []


def test_hindi_keeps_every_placeholder() -> None:
    hindi = load_catalogue("hi")
    broken = [m for m in extracted_ids()
              if m in hindi and placeholders(m) != placeholders(hindi[m])]
    assert broken == []


def test_hindi_menu_is_in_devanagari() -> None:
    text = Translator("hi").t("Request blood for a patient")
    assert any("\u0900" <= ch <= "\u097f" for ch in text)
