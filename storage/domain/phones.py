"""Normalise phone numbers to E.164 and mask them wherever they would be shown or logged."""

from __future__ import annotations

import re

import phonenumbers

_PREFIX_RE = re.compile(r"^\s*(?:whatsapp|tel):", re.IGNORECASE)
_LETTER_RE = re.compile(r"[^\W\d_]")  # any letter, in any script
# An optional "+", then at least 8 digits, each pair joined by at most two of space, hyphen
# or brackets: "+91 (981) 234-5678". Not inside a longer digit run; an ISO date is left alone.
_PHONE_RUN_RE = re.compile(
    r"(?<!\d)(?!\d{4}-\d\d-\d\d(?!\d))\+?\(?\d(?:[ \t()-]{0,2}\d){7,}"
)
_KEEP_LAST = 2


def normalize_phone(text: str, region: str = "IN") -> str | None:
    """Return the number in E.164 ("+919812345678"), or None if it is not a valid number.

    Accepts spaces, hyphens, brackets, a leading 0 or country code without "+", and a
    "whatsapp:" or "tel:" prefix. Letters are refused rather than read as a vanity number.
    """
    candidate = _PREFIX_RE.sub("", text).strip()
    if not candidate or _LETTER_RE.search(candidate):
        return None
    try:
        number = phonenumbers.parse(candidate, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask_phone(e164: str) -> str:
    """Hide all but the country code and the last two digits: "+91********78"."""
    digits = re.sub(r"\D", "", e164)
    country = ""
    if e164.lstrip().startswith("+"):
        try:
            country = str(phonenumbers.parse("+" + digits).country_code)
        except phonenumbers.NumberParseException:
            country = ""
    hidden = max(len(digits) - len(country) - _KEEP_LAST, 0)
    shown = digits[len(country) + hidden:]
    return ("+" + country if country else "") + "*" * hidden + shown


def mask_phones_in_text(text: str) -> str:
    """Mask every phone-like run of 8 or more digits in free text, for logs."""
    return _PHONE_RUN_RE.sub(lambda match: mask_phone(match[0]), text)
