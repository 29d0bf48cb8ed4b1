"""Translations: gettext catalogues (Babel .po files) with English message ids.

Every user-facing string is written in English in the code, wrapped in `_()` (a marker that
returns its argument) or passed to `Translator.t`. Hindi lives in
`conversations/locale/hi/*.po`, one catalogue per flow so that flows can be edited apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources
from string import Formatter
from typing import Any

from babel.messages.pofile import read_po

LANGUAGES: tuple[str, ...] = ("en", "hi")
DEFAULT_LANGUAGE = "en"
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "hi": "हिन्दी"}


def _(msgid: str) -> str:
    """Mark a string for translation where it is defined; translate it later with `t`."""
    return msgid


@cache
def load_catalogue(lang: str) -> dict[str, str]:
    """Read and merge every `.po` file for `lang` shipped with the package."""
    merged: dict[str, str] = {}
    if lang == DEFAULT_LANGUAGE:
        return merged
    folder = resources.files("conversations").joinpath("locale", lang)
    if not folder.is_dir():
        return merged
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".po"):
            continue
        with entry.open("rb") as handle:
            catalogue = read_po(handle, locale=lang)
        for message in catalogue:
            usable = isinstance(message.id, str) and isinstance(message.string, str)
            if usable and message.id and message.string and not message.fuzzy:
                merged[str(message.id)] = str(message.string)
    return merged


def placeholders(text: str) -> frozenset[str]:
    """Return the `{name}` fields used in a message, to check translations keep them."""
    return frozenset(name for _lit, name, _spec, _conv in Formatter().parse(text) if name)


class Translator:
    """Render English message ids in one language, filling `{name}` placeholders."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
        self._catalogue = load_catalogue(self.lang)

    def t(self, msgid: str, **values: Any) -> str:
        """Translate `msgid` and fill its placeholders; fall back to English if missing."""
        text = self._catalogue.get(msgid, msgid)
        return text.format(**values) if values else text


def translations_of(msgid: str, langs: Iterable[str] = LANGUAGES) -> list[str]:
    """Return `msgid` as it reads in every language, for matching typed answers."""
    return [Translator(lang).t(msgid) for lang in langs]
