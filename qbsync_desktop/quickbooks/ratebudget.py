"""A client-side request budget per QuickBooks company, shared by every thread.

Waiting a few hundred milliseconds here is far cheaper than a 429, after which Intuit asks for a
full minute's pause.

Intuit counts a request when it arrives, which is some time after we send it: how long varies
(network, a busy server). A request is therefore counted from when it is sent until its
answer is back, and only then for the window's length: it cannot have arrived later than that.
The windows then hold whatever the delays, where a fixed allowance (50 ms was tried) still drew
a 429 in the 5,000-invoice benchmark.

Several requests may be in flight at once (single writes sent beside a batch when the batch
quota is spent): each admitted request holds a ticket, and its answer moves that ticket's
stamps, wherever they are in the windows.
"""

from __future__ import annotations

import bisect
import itertools
import threading
import time
from collections.abc import Callable

# Requests one company may have on the wire at once (Intuit once capped it at 10).
CONCURRENT = 4


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
        self._lock = threading.Lock()
        # Held while a request is on the wire (transport): at most CONCURRENT at once.
        self.sending = threading.BoundedSemaphore(CONCURRENT)
        # Each window holds (stamp, ticket), oldest first.
        self._minute: list[tuple[float, int]] = []
        self._second: list[tuple[float, int]] = []
        self._batch: list[tuple[float, int]] = []
        self._tickets = itertools.count(1)
        self._local = threading.local()  # the ticket this thread's request holds
        self.waited = 0.0

    def _delay(self, now: float, batch: bool) -> float:
        minute = 60.0 + self._margin
        second = 1.0 + self._margin
        for window, span in ((self._minute, minute), (self._second, second), (self._batch, minute)):
            gone = 0
            while gone < len(window) and now - window[gone][0] >= span:
                gone += 1
            del window[:gone]
        delay = 0.0
        # The window frees a place when its oldest stamps beyond the limit expire.
        if len(self._minute) >= self.per_minute:
            delay = max(delay, self._minute[-self.per_minute][0] + minute - now)
        if len(self._second) >= self.per_second:
            delay = max(delay, self._second[-self.per_second][0] + second - now)
        if batch and len(self._batch) >= self.batch_per_minute:
            delay = max(delay, self._batch[-self.batch_per_minute][0] + minute - now)
        return delay

    def batch_ready(self) -> bool:
        """Whether a batch request would go now without waiting for the batch quota."""
        with self._lock:
            now = self._clock()
            span = 60.0 + self._margin
            return sum(1 for t, _ in self._batch if now - t < span) < self.batch_per_minute

    def acquire(self, *, batch: bool = False) -> float:
        """Block until one more request fits; returns how long it waited."""
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                delay = self._delay(now, batch)
                if delay <= 0:
                    ticket = next(self._tickets)
                    for window in (self._minute, self._second) + ((self._batch,) if batch else ()):
                        bisect.insort(window, (now, ticket))
                    self._local.ticket = ticket
                    self.waited += waited
                    return waited
            self._sleep(delay)
            waited += delay

    def settle(self) -> None:
        """This thread's request last admitted is answered (or failed): it counts from now
        on, since it reached the server at the latest now. Call it while still holding
        `sending`."""
        ticket = getattr(self._local, "ticket", None)
        if ticket is None:
            return
        self._local.ticket = None
        with self._lock:
            now = self._clock()
            for window in (self._minute, self._second, self._batch):
                for i in range(len(window) - 1, -1, -1):
                    stamp, held = window[i]
                    if held == ticket:
                        del window[i]
                        bisect.insort(window, (max(stamp, now), ticket))
                        break


_shared: dict[str, RateBudget] = {}
_shared_lock = threading.Lock()


def budget_for_realm(realm_id: str) -> RateBudget:
    """One budget per company for the whole process: limits are per realm, not per object."""
    with _shared_lock:
        if realm_id not in _shared:
            _shared[realm_id] = RateBudget()
        return _shared[realm_id]
