"""Normalise what people type so that matching ignores case, spacing and digit scripts."""

from __future__ import annotations

import re
import unicodedata

_DEVANAGARI_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")
_SPACES = re.compile(r"\s+")
_EDGE_PUNCT = " \t.,;:!?)(]['\""


def fold(text: str) -> str:
    """Return `text` case-folded, NFC-normalised, with ASCII digits and single spaces."""
    text = unicodedata.normalize("NFC", text).translate(_DEVANAGARI_DIGITS)
    return _SPACES.sub(" ", text).strip(_EDGE_PUNCT).casefold()


def has_letters_or_digits(text: str) -> bool:
    """Tell whether `text` holds anything but emoji, symbols and spaces."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)
