"""The sandbox's notion of "now", and Scoro's two date-time spellings.

Time is a base clock (real UTC time, or one a test passes in) plus an offset moved by
``POST /_sandbox/clock``, so tests can age deleted records past 30 days or cross midnight for
the daily quota without waiting.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from zoneinfo import ZoneInfo

UTC = dt.UTC
# Scoro writes naive "YYYY-mm-dd HH:ii:ss" in the site's time zone. The demo site is in
# Tallinn, so a client that takes those strings for UTC is off by two or three hours.
DEFAULT_SITE_TZ = "Europe/Tallinn"


def _real_now() -> dt.datetime:
    return dt.datetime.now(UTC)


class SandboxClock:
    def __init__(self, base: Callable[[], dt.datetime] | None = None) -> None:
        self._base = base or _real_now
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> dt.datetime:
        base = self._base()
        if base.tzinfo is None:
            raise ValueError("the sandbox clock must return an aware datetime")
        with self._lock:
            offset = self._offset
        return (base + dt.timedelta(seconds=offset)).astimezone(UTC).replace(microsecond=0)

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._offset += seconds

    def set_now(self, target: dt.datetime) -> None:
        if target.tzinfo is None:
            target = target.replace(tzinfo=UTC)
        with self._lock:
            self._offset = (target - self._base()).total_seconds()

    @property
    def offset(self) -> float:
        with self._lock:
            return self._offset

    def monotonic(self) -> float:
        """Real elapsed time plus the offset: short rate windows pass by waiting or advancing."""
        return time.monotonic() + self.offset


def parse_iso(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class SiteTime:
    """Formats instants the way Scoro does for one site time zone."""

    def __init__(self, tz_name: str = DEFAULT_SITE_TZ) -> None:
        self.tz_name = tz_name
        self.tz = ZoneInfo(tz_name)

    def naive(self, when: dt.datetime) -> str:
        return when.astimezone(self.tz).strftime("%Y-%m-%d %H:%M:%S")

    def iso(self, when: dt.datetime) -> str:
        return when.astimezone(self.tz).isoformat(timespec="seconds")

    def fmt(self, when: dt.datetime | None, style: str) -> str | None:
        if when is None:
            return None
        return self.naive(when) if style == "naive" else self.iso(when)

    def local_date(self, when: dt.datetime) -> dt.date:
        return when.astimezone(self.tz).date()
