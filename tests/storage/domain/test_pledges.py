"""Request codes as donors type them, and the first name another user is shown."""

from __future__ import annotations

import pytest

from storage.domain.pledges import first_name, parse_request_code


@pytest.mark.parametrize("typed", ["R-4821", "r4821", "R 4821", " r-4821. ", "#R-4821"])
def test_a_code_typed_many_ways_reads_the_same(typed: str) -> None:
    assert parse_request_code(typed) == "R-4821"


@pytest.mark.parametrize("typed", ["4821", "R-48", "R-4821 yes", "hello", "1", ""])
def test_anything_else_is_not_a_code(typed: str) -> None:
    assert parse_request_code(typed) is None


def test_only_the_first_name_is_shown() -> None:
    assert first_name("Asha Verma") == "Asha" and first_name("  ") == ""
