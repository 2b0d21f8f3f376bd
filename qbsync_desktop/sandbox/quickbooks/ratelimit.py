"""Sliding-window throttles, on the real monotonic clock."""

from __future__ import annotations

import time
from collections import deque

from .settings import Settings


class RateLimiter:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._windows: dict[tuple, deque[float]] = {}

    def reset(self) -> None:
        self._windows.clear()

    def _window(self, key: tuple, span: float, limit: int, now: float) -> bool:
        hits = self._windows.setdefault(key, deque())
        while hits and hits[0] <= now - span:
            hits.popleft()
        return len(hits) < limit

    def allow(self, realm_id: str, client_id: str, is_batch: bool) -> bool:
        """Record the request and say whether it is within every limit."""
        s = self.settings
        if not s.enabled:
            return True
        now = time.monotonic()
        checks = [
            (("minute", realm_id), 60.0, s.per_minute),
            (("second", realm_id, client_id), 1.0, s.per_second),
        ]
        if is_batch:
            checks.append((("batch", realm_id, client_id), 60.0, s.batch_per_minute))
            checks.append((("batch-realm", realm_id), 60.0, s.batch_per_minute_realm))
        if not all(self._window(key, span, limit, now) for key, span, limit in checks):
            return False
        for key, _span, _limit in checks:
            self._windows[key].append(now)
        return True
