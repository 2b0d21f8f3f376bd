"""Request budgets: a short fixed window and a daily quota per API key.

Every authenticated API answer carries ``x-ratelimit-limit/-remaining/-reset`` (the short
window; reset in whole seconds) and ``x-daily-requests-limit/-remaining/-reset`` (reset at
midnight UTC, in seconds). A request over either budget gets HTTP 429 and
``messages.error: ["Too many requests"]`` and is not counted.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import threading
from dataclasses import dataclass
from typing import Any

from .clock import SandboxClock


@dataclass
class Limits:
    enabled: bool = True
    window_seconds: float = 2.0
    # Demo-friendly defaults; the real numbers are UNCONFIRMED (the docs' 500/day is old).
    window_limit: int = 60
    daily_limit: int = 50_000

    def update(self, changes: dict[str, Any]) -> None:
        names = {f.name for f in dataclasses.fields(self)}
        for key, value in changes.items():
            if key not in names:
                raise ValueError(f"unknown limit {key!r}")
            if key == "enabled":
                value = bool(value)
            elif key == "window_seconds":
                value = float(value)
                if value <= 0:
                    raise ValueError("window_seconds must be positive")
            else:
                value = int(value)
                if value < 0:
                    raise ValueError(f"{key} must not be negative")
            setattr(self, key, value)

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


class Limited(Exception):
    def __init__(self, headers: dict[str, str]) -> None:
        super().__init__("Too many requests")
        self.headers = headers


class RateLimiter:
    def __init__(self, clock: SandboxClock, limits: Limits) -> None:
        self.clock = clock
        self.limits = limits
        self._lock = threading.Lock()
        self._window: dict[str, tuple[int, int]] = {}  # key -> (window index, used)
        self._daily: dict[str, tuple[dt.date, int]] = {}

    def reset(self) -> None:
        with self._lock:
            self._window.clear()
            self._daily.clear()

    def headers(self, key: str) -> dict[str, str]:
        with self._lock:
            _, w_used, d_used, window_left, now = self._state(key)
            return self._headers(key, w_used, d_used, window_left, now)

    def _state(self, key: str) -> tuple[int, int, int, float, dt.datetime]:
        lim = self.limits
        mono = self.clock.monotonic()
        index = math.floor(mono / lim.window_seconds)
        w_index, w_used = self._window.get(key, (index, 0))
        if w_index != index:
            w_used = 0
        now = self.clock.now()
        day, d_used = self._daily.get(key, (now.date(), 0))
        if day != now.date():
            d_used = 0
        window_left = (index + 1) * lim.window_seconds - mono
        return index, w_used, d_used, window_left, now

    def _headers(
        self, key: str, w_used: int, d_used: int, window_left: float, now: dt.datetime
    ) -> dict[str, str]:
        lim = self.limits
        midnight = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
        return {
            "x-ratelimit-limit": str(lim.window_limit),
            "x-ratelimit-remaining": str(max(lim.window_limit - w_used, 0)),
            "x-ratelimit-reset": str(max(1, math.ceil(window_left))),
            "x-daily-requests-limit": str(lim.daily_limit),
            "x-daily-requests-remaining": str(max(lim.daily_limit - d_used, 0)),
            "x-daily-requests-reset": str(max(1, math.ceil((midnight - now).total_seconds()))),
        }

    def hit(self, key: str) -> dict[str, str]:
        """Count one request; raise Limited (with headers) when a budget is spent."""
        with self._lock:
            index, w_used, d_used, window_left, now = self._state(key)
            lim = self.limits
            if lim.enabled and (w_used >= lim.window_limit or d_used >= lim.daily_limit):
                raise Limited(self._headers(key, w_used, d_used, window_left, now))
            w_used += 1
            d_used += 1
            self._window[key] = (index, w_used)
            self._daily[key] = (now.date(), d_used)
            return self._headers(key, w_used, d_used, window_left, now)
