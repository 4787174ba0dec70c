"""Logging filter: no full ID number or phone ever reaches a log line; CR/LF neutralised."""

from __future__ import annotations

import logging

from talentpark.core.masking import scrub


class PiiScrubFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(message).replace("\r", "\\r").replace("\n", "\\n")
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        return True


class PiiScrubFormatter(logging.Formatter):
    """Masks ID numbers and phones in the whole formatted line, tracebacks included."""

    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))
