"""How writes reach QuickBooks: in batches while the batch quota has a place, and beside them
as single writes on the rest of the minute's budget.

Intuit allows 40 batches (30 records each) and 500 requests a minute: a minute carries 1,200
records in batches and up to 460 more as single writes, and both allowances are lost when not
used. So every write waits in one queue, oldest first, and two lanes drain it at once: the
batch lane takes the 30 oldest whenever a batch place is free, and a few single writes take
the oldest one each whenever the budget lets another go (it keeps the batches' places, see
ratebudget). The engine hands several chunks at once (from as many threads); each caller's
thread does the sending, for any caller's records, until its own are written. Oldest first
in both lanes, so chunks finish in about the order the engine books them.

Single writes go from the start, oldest first, whenever the budget lets one more go: the
minute's requests beyond its batches are lost when not spent. Batches take 30 at a time
whenever a place is free (part-full only while places are plenty), so at Intuit's limits
about 40 a minute carry what the single writes do not. Every record keeps its own requestid
(a batch's is made from its records'), so a retry never writes it twice.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

from ..domain.errors import ServiceUnavailable
from ..domain.ports import WriteOutcome
from .faults import SIDE

BATCH_SIZE = 30
# Single writes in flight at once beside the batches (the budget paces them).
SINGLE_WRITERS = 3
# A batch goes part-full only while more than 1/PLENTY of the minute's places are free.
PLENTY = 3
# Longest wait (s) before a caller looks again whether a batch place has freed.
LOOK_AGAIN = 0.2

Item = tuple  # (index, op, entity, operation, body), as the gateway prepared it
Done = list[tuple[int, WriteOutcome]]


class _Job:
    __slots__ = ("done", "error", "item", "outcome")

    def __init__(self, item: Item) -> None:
        self.item = item
        self.outcome: WriteOutcome | None = None
        self.error: BaseException | None = None
        self.done = False


class WriteLanes:
    # Chunks the engine may hand at once, each from its own thread (their threads are the
    # ones that send, so one batch and a few single writes can be on the wire together).
    lanes = 8

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._queue: deque[_Job] = deque()
        self._batch_busy = False
        self._singles = 0

    def write(
        self,
        items: Sequence[Item],
        rate: Any,
        batch: Callable[[Sequence[Item]], Done],
        one: Callable[[Item], WriteOutcome],
    ) -> Done:
        """The items' outcomes (by index), written by `batch` (up to 30 in one request) or by
        `one` each. An error that is not about a record (QuickBooks unreachable) is raised
        once every item of this call is settled; items not yet sent then fail with it."""
        if rate is None or not hasattr(rate, "batch_places"):
            done: Done = []
            for start in range(0, len(items), BATCH_SIZE):
                done.extend(batch(items[start : start + BATCH_SIZE]))
            return done
        jobs = [_Job(item) for item in items]
        with self._cond:
            self._queue.extend(jobs)
            self._cond.notify_all()
        while True:
            with self._cond:
                if all(job.done for job in jobs):
                    break
                task = self._take(rate)
                if task is None:
                    # Woken by news (records queued, a request answered), or when a batch
                    # place frees for what waits.
                    wait = LOOK_AGAIN
                    if self._queue and not self._batch_busy:
                        wait = min(max(rate.batch_wait(), 0.01), LOOK_AGAIN)
                    self._cond.wait(timeout=wait)
                    continue
            self._run(task, rate, batch, one)
        failure = next((job.error for job in jobs if job.error is not None), None)
        if failure is not None:
            raise failure
        return [(job.item[0], job.outcome) for job in jobs]  # type: ignore[misc]

    def drop_waiting(self) -> None:
        """Writes not yet sent fail unsent (the sync is stopping): their outbox rows are
        replayed next run, so a stop does not wait for a queue the budget may take a while
        to drain."""
        with self._cond:
            for job in self._queue:
                job.error = ServiceUnavailable(
                    "This record was not sent: the sync stopped first.", side=SIDE
                )
                job.done = True
            self._queue.clear()
            self._cond.notify_all()

    def _take(self, rate: Any) -> tuple[str, list[_Job]] | None:
        """The next request to send, taken off the queue (the lock is held)."""
        if not self._queue:
            return None
        places = rate.batch_places()
        if not self._batch_busy and places > 0:
            # Part-full only while places are plenty: one is worth 30 records.
            if len(self._queue) >= BATCH_SIZE or places > rate.batch_per_minute // PLENTY:
                self._batch_busy = True
                take = min(BATCH_SIZE, len(self._queue))
                return "batch", [self._queue.popleft() for _ in range(take)]
        if (places == 0 or _singles_pay(rate)) and self._singles < SINGLE_WRITERS:
            self._singles += 1
            return "one", [self._queue.popleft()]
        return None

    def _run(self, task: tuple[str, list[_Job]], rate: Any, batch, one) -> None:
        lane, jobs = task
        # By position: a batch may carry records of several callers, whose indexes repeat.
        results: dict[int, WriteOutcome] = {}
        failure: BaseException | None = None
        try:
            if lane == "batch":
                results = dict(batch([(n, *job.item[1:]) for n, job in enumerate(jobs)]))
            else:
                with rate.spare():
                    results = {0: one(jobs[0].item)}
        except BaseException as exc:  # noqa: BLE001 - handed to the caller that owns it
            failure = exc
        with self._cond:
            if lane == "batch":
                self._batch_busy = False
            else:
                self._singles -= 1
            if failure is not None:
                # Nothing more goes to a service that failed this way: what waits fails too
                # (unsent, so its outbox rows replay next run).
                jobs = jobs + list(self._queue)
                self._queue.clear()
            for n, job in enumerate(jobs):
                job.outcome = results.get(n)
                job.error = failure
                if job.outcome is None and failure is None:
                    job.error = ServiceUnavailable(
                        "QuickBooks did not answer for this record", side=SIDE
                    )
                job.done = True
            self._cond.notify_all()


def _singles_pay(rate: Any) -> bool:
    """Whether the budget has requests the batches cannot use (Intuit's: 500 a minute, at
    most 10 a second, for 40 batches): then single writes carry records from the start,
    beside the batches, or that part of the minute is lost. Where requests are the scarcer
    (every request a batch could carry 30), single writes wait for the batch quota to run
    out."""
    per_minute = min(rate.per_minute, 60 * rate.per_second)
    return per_minute > rate.batch_per_minute
