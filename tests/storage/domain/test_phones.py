"""Test phone normalisation to E.164 and masking for display and logs."""

from __future__ import annotations

import pytest

from storage.domain.phones import mask_phone, mask_phones_in_text, normalize_phone


@pytest.mark.parametrize(
    "text",
    ["98123 45678", "09812345678", "919812345678", "+91 98123-45678", "whatsapp:+919812345678",
     "+91 (981) 234-5678", "WhatsApp:+91 98123 45678", "  +919812345678  ", "९८१२३ ४५६७८"],
)
def test_every_common_way_of_writing_one_number_gives_one_e164(text: str) -> None:
    assert normalize_phone(text) == "+919812345678"


@pytest.mark.parametrize(
    "text", ["", "981234", "98123abc45", "1800FLOWERS", "+91 11 2345 678", "phone please"]
)
def test_invalid_numbers_are_refused(text: str) -> None:
    assert normalize_phone(text) is None


def test_valid_landline_and_foreign_numbers_are_kept() -> None:
    assert normalize_phone("011 2345 6789") == "+911123456789"
    assert normalize_phone("+44 7911 123456") == "+447911123456"


def test_region_decides_numbers_written_without_a_country_code() -> None:
    assert normalize_phone("07911 123456", region="GB") == "+447911123456"


def test_mask_keeps_country_code_and_last_two_digits() -> None:
    assert mask_phone("+919812345678") == "+91********78"
    assert mask_phone("+447911123456") == "+44********56"


@pytest.mark.parametrize(
    ("text", "masked"),
    [("call +91 98123-45678 now", "call +91********78 now"),
     ("from whatsapp:+919812345678", "from whatsapp:+91********78"),
     ("alt 09812345678, or (981) 234-5678.", "alt *********78, or ********78."),
     ("chat 123456789 wrote", "chat *******89 wrote")],
)
def test_phone_like_runs_in_text_are_masked(text: str, masked: str) -> None:
    assert mask_phones_in_text(text) == masked


@pytest.mark.parametrize(
    "text", ["PIN 110001, 2 units", "due 2025-06-01 10:30:00", "request R-4821", "id 1234567"]
)
def test_short_numbers_and_dates_are_left_alone(text: str) -> None:
    assert mask_phones_in_text(text) == text
