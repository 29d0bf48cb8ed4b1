"""Logs never contain a full phone number."""

from __future__ import annotations

import io
import logging

from bot.logs import MaskPhonesFilter


def test_phone_numbers_in_log_arguments_are_masked() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(MaskPhonesFilter())
    logger = logging.getLogger("tests.masking")
    logger.addHandler(handler)
    logger.warning("could not reach %s or %s", "+919812345678", "98123 45679")
    logger.removeHandler(handler)
    line = stream.getvalue()
    assert "9812345678" not in line and "98123 45679" not in line
    assert "78" in line and "could not reach" in line
