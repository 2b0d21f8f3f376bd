"""A client-side request budget per QuickBooks company, shared by every thread.

Waiting a few hundred milliseconds here is far cheaper than a 429, after which Intuit asks for a
full minute's pause.

Intuit counts a request when it arrives, which is some time after we send it: how long varies
(network, a busy server). A request is therefore counted from when it is sent until its
answer is back, and only then for the window's length: it cannot have arrived later than that.
The windows then hold whatever the delays, where a fixed allowance (50 ms was tried) still drew
a 429 in the 5,000-invoice benchmark.

Several requests may be in flight at once (single writes sent beside batches): each admitted
request holds a ticket, and its answer moves that ticket's stamps, wherever they are in the
windows.

Single writes that stand in for a batch are "spare" requests: they may spend the minute's
budget but for the places the batches still due this minute need (a batch slot carries 30
records, a single write one), and leave one place a second, so a batch never waits behind them.
"""

from __future__ import annotations

import bisect
import itertools
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

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

    def _delay(self, now: float, batch: bool, spare: bool = False) -> float:
        minute = 60.0 + self._margin
        second = 1.0 + self._margin
        for window, span in ((self._minute, minute), (self._second, second), (self._batch, minute)):
            gone = 0
            while gone < len(window) and now - window[gone][0] >= span:
                gone += 1
            del window[:gone]
        delay = 0.0
        per_minute, per_second = self.per_minute, self.per_second
        if spare:
            # Limits where batches alone could spend the minute (test setups) must not
            # starve single writes: at most a quarter of the minute is kept for batches.
            due = min(max(0, self.batch_per_minute - len(self._batch)), per_minute // 4)
            per_minute = max(1, per_minute - due)
            per_second = max(1, per_second - 1)
        # The window frees a place when its oldest stamps beyond the limit expire.
        if len(self._minute) >= per_minute:
            delay = max(delay, self._minute[-per_minute][0] + minute - now)
        if len(self._second) >= per_second:
            delay = max(delay, self._second[-per_second][0] + second - now)
        if batch and len(self._batch) >= self.batch_per_minute:
            delay = max(delay, self._batch[-self.batch_per_minute][0] + minute - now)
        return delay

    def batch_ready(self) -> bool:
        """Whether a batch request would go now without waiting for the batch quota."""
        return self.batch_places() > 0

    def _held_batches(self) -> list[float]:
        now = self._clock()
        span = 60.0 + self._margin
        return [t for t, _ in self._batch if now - t < span]

    def batch_places(self) -> int:
        """Batch requests the quota would let go now."""
        with self._lock:
            return max(0, self.batch_per_minute - len(self._held_batches()))

    def batch_wait(self) -> float:
        """Seconds until the batch quota has a place (0 when it has one now)."""
        with self._lock:
            held = self._held_batches()
            if len(held) < self.batch_per_minute:
                return 0.0
            return held[-self.batch_per_minute] + 60.0 + self._margin - self._clock()

    @contextmanager
    def spare(self) -> Iterator[None]:
        """Requests this thread sends inside are spare (single writes standing in for a
        batch): they leave the batches still due their places."""
        self._local.spare = True
        try:
            yield
        finally:
            self._local.spare = False

    def acquire(self, *, batch: bool = False) -> float:
        """Block until one more request fits; returns how long it waited."""
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                delay = self._delay(now, batch, getattr(self._local, "spare", False))
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
        on, since it reached the server at the latest now."""
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
