"""Logging set-up: phone numbers are masked in every record before it is written."""

from __future__ import annotations

import logging

from storage.domain.phones import mask_phones_in_text


class MaskPhonesFilter(logging.Filter):
    """Replace phone-number-like digit runs in log messages with masked forms."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Render the message once, mask it, and keep the record."""
        record.msg = mask_phones_in_text(record.getMessage())
        record.args = None
        return True


def configure_logging(level: str = "INFO") -> None:
    """Send logs to stderr with masking on every handler."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(MaskPhonesFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
