"""Scoro's two request budgets, read from its response headers.

A short window (`x-ratelimit-limit/-remaining/-reset`, seconds) and a daily quota
(`x-daily-requests-limit/-remaining/-reset`). Waiting for the short window before the limit
is hit costs less than a 429 and its retry; a spent daily quota cannot be waited out within
a run, so it stops the run instead.

Several requests may be in flight (document views run on a few threads). Once the last
window's worth of requests reaches half the limit, requests are spaced evenly, a little under
the limit's rate (the window's length is the longest reset seen): Scoro's window is fixed and
its reset comes in whole seconds, so waiting for a spent window to end would overshoot its
end by up to a second each time, while even spacing never spends it. A header's `remaining`
is read less the requests sent after that request and still unanswered (it cannot have
counted them).
"""

from __future__ import annotations

import bisect
import datetime as dt
import threading
from collections import deque
from collections.abc import Callable, Mapping
from decimal import ROUND_CEILING, Decimal

# Longest short-window wait we honour from a header; longer values are treated as bogus.
MAX_WINDOW_WAIT = 60.0


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def header_int(value: object) -> int | None:
    """A count or a number of seconds from a header, rounded up to a whole one (a wait a
    fraction too long is harmless, one too short draws a 429); None when unreadable."""
    if value is None:
        return None
    try:
        return int(Decimal(str(value).strip()).to_integral_value(rounding=ROUND_CEILING))
    except (ArithmeticError, ValueError):
        return None


def _number(headers: Mapping[str, str], name: str) -> int | None:
    return header_int(headers.get(name))


class RateBudget:
    def __init__(
        self,
        *,
        clock: Callable[[], float],
        sleep: Callable[[float], None],
        wall_clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._wall = wall_clock or _utcnow
        self._lock = threading.Lock()
        self.window_limit: int | None = None
        self.window_remaining: int | None = None
        self._window_end: float | None = None
        self.daily_limit: int | None = None
        self.daily_remaining: int | None = None
        self._daily_reset_at: dt.datetime | None = None
        self.waited = 0.0
        self._period = 0.0  # the window's length as far as seen: the longest reset
        self._last_remaining: int | None = None
        self._sent: deque[float] = deque()  # send times within the last period
        self._next_slot = 0.0
        self._resume_at = 0.0
        self._inflight: list[float] = []  # send times of requests not yet answered
        self._local = threading.local()

    def observe(self, headers: Mapping[str, str]) -> None:
        with self._lock:
            limit = _number(headers, "x-ratelimit-limit")
            remaining = _number(headers, "x-ratelimit-remaining")
            reset = _number(headers, "x-ratelimit-reset")
            if remaining is not None:
                self.window_limit = limit
                sent_at = getattr(self._local, "sent_at", None)
                later = 0
                if sent_at is not None:
                    later = len(self._inflight) - bisect.bisect_right(self._inflight, sent_at)
                self.window_remaining = remaining - later
                wait = min(max(reset or 1.0, 0.0), MAX_WINDOW_WAIT)
                now = self._clock()
                end = now + wait
                # Each answer says the window ends no later than its arrival plus its reset
                # (whole seconds, rounded up): within one window the earliest such end is the
                # closest. A `remaining` higher than the last one seen means a new window.
                window_end, last = self._window_end, self._last_remaining
                if (
                    window_end is not None
                    and window_end > now
                    and last is not None
                    and remaining <= last + 2
                ):
                    end = min(window_end, end)  # the same window
                self._window_end = end
                self._last_remaining = remaining
                self._period = max(self._period, wait)
            daily_remaining = _number(headers, "x-daily-requests-remaining")
            if daily_remaining is not None:
                self.daily_limit = _number(headers, "x-daily-requests-limit")
                self.daily_remaining = daily_remaining
                self._daily_reset_at = self._parse_daily_reset(
                    headers.get("x-daily-requests-reset")
                )

    def _parse_daily_reset(self, value: str | None) -> dt.datetime | None:
        if value is None:
            return None
        text = str(value).strip()
        number = header_int(text)
        if number is None:
            try:
                when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
            except ValueError:
                return None
            return when if when.tzinfo else when.replace(tzinfo=dt.UTC)
        # Large numbers are epoch seconds, small ones seconds from now.
        if number > 1_000_000_000:
            return dt.datetime.fromtimestamp(number, dt.UTC)
        return self._wall() + dt.timedelta(seconds=number)

    def before_request(self, quota_error: Callable[[], Exception]) -> None:
        if self.quota_spent() is not None:
            raise quota_error()
        with self._lock:
            now = self._clock()
            if self.window_remaining is not None and self.window_remaining <= 0:
                # Spent: nobody sends until the window has ended.
                self._resume_at = max(self._resume_at, self._window_end or now)
                self.window_remaining = None
            elif self.window_remaining is not None:
                self.window_remaining -= 1
            start = max(now, self._resume_at)
            limit = self.window_limit or 0
            if limit > 1 and self._period > 0:
                while self._sent and self._sent[0] <= now - self._period:
                    self._sent.popleft()
                if len(self._sent) >= limit // 2:
                    start = max(start, self._next_slot)
                self._next_slot = max(self._next_slot, start) + self._period / (limit - 1)
                self._sent.append(start)
            self._finish()  # a request this thread left unanswered (an exception) is over
            self._local.sent_at = start
            bisect.insort(self._inflight, start)
        wait = start - now
        if wait > 0:
            self.waited += wait
            self._sleep(wait)

    def finished(self) -> None:
        """This thread's request is answered (or failed): call after `observe`."""
        with self._lock:
            self._finish()

    def _finish(self) -> None:
        sent_at = getattr(self._local, "sent_at", None)
        if sent_at is None:
            return
        self._local.sent_at = None
        i = bisect.bisect_left(self._inflight, sent_at)
        if i < len(self._inflight) and self._inflight[i] == sent_at:
            del self._inflight[i]

    def quota_spent(self) -> dt.datetime | None:
        """The reset instant (or `datetime.max`) when the daily quota is spent, else None."""
        with self._lock:
            if self.daily_remaining is None or self.daily_remaining > 0:
                return None
            reset = self._daily_reset_at
            if reset is not None and self._wall() >= reset:
                self.daily_remaining = None
                return None
            return reset or dt.datetime.max.replace(tzinfo=dt.UTC)

    def quota_reset_at(self) -> dt.datetime | None:
        with self._lock:
            return self._daily_reset_at

    def window_reset(self) -> float | None:
        with self._lock:
            if self._window_end is None:
                return None
            return max(0.0, self._window_end - self._clock())
