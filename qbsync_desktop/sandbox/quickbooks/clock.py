"""The sandbox's notion of "now": an injectable base clock plus an offset the control plane moves.

Token lifetimes, MetaData times and the CDC window follow this clock. Rate limiting does not:
it uses the real monotonic clock so a frozen test clock cannot make every request land in the
same second.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

try:
    from zoneinfo import ZoneInfo

    PACIFIC: dt.tzinfo = ZoneInfo("America/Los_Angeles")
except Exception:  # noqa: BLE001 - no tz database: QBO's usual winter offset is close enough
    PACIFIC = dt.timezone(dt.timedelta(hours=-8))


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class SandboxClock:
    def __init__(self, base: Callable[[], dt.datetime] | None = None) -> None:
        self._base = base or _utcnow
        self._offset = dt.timedelta(0)
        self._lock = threading.Lock()

    def now(self) -> dt.datetime:
        current = self._base()
        if current.tzinfo is None:
            current = current.replace(tzinfo=dt.UTC)
        with self._lock:
            return current.astimezone(dt.UTC) + self._offset

    def advance(self, seconds: float) -> dt.datetime:
        with self._lock:
            self._offset += dt.timedelta(seconds=seconds)
        return self.now()

    def set_now(self, when: dt.datetime) -> dt.datetime:
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        base = self._base()
        if base.tzinfo is None:
            base = base.replace(tzinfo=dt.UTC)
        with self._lock:
            self._offset = when - base
        return self.now()

    def reset(self) -> None:
        with self._lock:
            self._offset = dt.timedelta(0)


def qbo_datetime(when: dt.datetime) -> str:
    """MetaData style: ``2015-01-16T15:08:12-08:00`` (company time, seconds precision)."""
    return when.astimezone(PACIFIC).replace(microsecond=0).isoformat()


def qbo_time(when: dt.datetime) -> str:
    """Envelope ``time`` style: ``2015-11-16T11:43:06.064-08:00``."""
    local = when.astimezone(PACIFIC)
    return local.isoformat(timespec="milliseconds")


def parse_datetime(text: str) -> dt.datetime | None:
    """Parse the date/time literals QBO accepts (``Z``, ``-0700``, ``-07:00``, bare dates)."""
    value = text.strip()
    if not value:
        return None
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    # "-0700" offsets appear in Intuit's own examples.
    if len(value) > 5 and value[-5] in "+-" and value[-4:].isdigit() and "T" in value:
        value = value[:-2] + ":" + value[-2:]
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        # Naive literals are company (Pacific) time in QBO.
        parsed = parsed.replace(tzinfo=PACIFIC)
    return parsed
