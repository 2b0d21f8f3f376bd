"""Every record of the app's loggers, kept for a test to read."""

from __future__ import annotations

import logging


class LogCapture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def messages(self, prefix: str = "") -> list[str]:
        return [r.getMessage() for r in self.records if r.getMessage().startswith(prefix)]
