"""A client-side request budget per QuickBooks company, shared by every thread.

Waiting a few hundred milliseconds here is far cheaper than a 429, after which Intuit asks for a
full minute's pause (reference §6).

Intuit counts a request when it arrives, which is some time after we send it: how long varies
(network, a busy server). A request is therefore counted from when it is sent until its
answer is back, and only then for the window's length: it cannot have arrived later than that.
The windows then hold whatever the delays, where a fixed allowance (50 ms was tried) still drew
a 429 in the 5,000-invoice benchmark.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable


class RateBudget:
    def __init__(
        self,
        per_minute: int = 500,
        per_second: int = 10,
        batch_per_minute: int = 40,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        margin: float = 0.005,
    ) -> None:
        self.per_minute = per_minute
        self.per_second = per_second
        self.batch_per_minute = batch_per_minute
        self._clock = clock
        self._sleep = sleep
        # Clock granularity only: arrival delays are covered by `settle`.
        self._margin = margin
        self._open: tuple[bool, float] | None = None
        self._lock = threading.Lock()
        self.sending = threading.Lock()  # held while a request is on the wire (transport)
        self._minute: deque[float] = deque()
        self._second: deque[float] = deque()
        self._batch: deque[float] = deque()
        self.waited = 0.0

    def _delay(self, now: float, batch: bool) -> float:
        minute = 60.0 + self._margin
        second = 1.0 + self._margin
        for window, span in ((self._minute, minute), (self._second, second), (self._batch, minute)):
            while window and now - window[0] >= span:
                window.popleft()
        delay = 0.0
        if len(self._minute) >= self.per_minute:
            delay = max(delay, self._minute[0] + minute - now)
        if len(self._second) >= self.per_second:
            delay = max(delay, self._second[0] + second - now)
        if batch and len(self._batch) >= self.batch_per_minute:
            delay = max(delay, self._batch[0] + minute - now)
        return delay

    def acquire(self, *, batch: bool = False) -> float:
        """Block until one more request fits; returns how long it waited."""
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                delay = self._delay(now, batch)
                if delay <= 0:
                    self._minute.append(now)
                    self._second.append(now)
                    if batch:
                        self._batch.append(now)
                    self._open = (batch, now)
                    self.waited += waited
                    return waited
            self._sleep(delay)
            waited += delay

    def settle(self) -> None:
        """The request last admitted is answered (or failed): it counts from now on, since
        it reached the server at the latest now. Call it while still holding `sending`."""
        with self._lock:
            if self._open is None:
                return
            batch, stamp = self._open
            self._open = None
            now = self._clock()
            windows = (self._minute, self._second) + ((self._batch,) if batch else ())
            for window in windows:
                # The newest stamp is this request's while requests go one at a time.
                if window and window[-1] == stamp:
                    window[-1] = max(stamp, now)


_shared: dict[str, RateBudget] = {}
_shared_lock = threading.Lock()


def budget_for_realm(realm_id: str) -> RateBudget:
    """One budget per company for the whole process: limits are per realm, not per object."""
    with _shared_lock:
        if realm_id not in _shared:
            _shared[realm_id] = RateBudget()
        return _shared[realm_id]
