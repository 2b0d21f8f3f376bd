"""Run blocking service calls off the GUI thread; get the result or the exception back on it.

Picard's pattern (util/thread.py): the callable runs on a QThreadPool; its outcome travels back
through a signal whose receiver lives on the GUI thread, so callbacks never run on the worker.
Exceptions are never swallowed: a task without an error callback logs the traceback.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot

from .qtcompat import emit

log = logging.getLogger(__name__)

_pool: QThreadPool | None = None
# Tasks keep themselves alive until their outcome has been delivered; otherwise a task whose
# caller dropped the handle could be collected while its runnable still runs.
_live: set[Task] = set()


def pool() -> QThreadPool:
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        # Authorization waits for minutes; a run holds a thread for the whole sync. Enough
        # threads that a wait never starves a quick lookup.
        _pool.setMaxThreadCount(8)
    return _pool


def active_count() -> int:
    return len(_live)


def wait_all(msecs: int = 10_000) -> bool:
    """For shutdown and tests: wait until every started task has finished."""
    return pool().waitForDone(msecs)


class _Carrier(QObject):
    """Created on the GUI thread, emitted from the worker: Qt queues the delivery."""

    succeeded = Signal(object)
    failed = Signal(object)


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[], Any], carrier: _Carrier) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._fn = fn
        self._carrier = carrier

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as exc:  # noqa: BLE001 - every failure must reach the GUI
            emit(self._carrier.failed, exc)
        else:
            emit(self._carrier.succeeded, result)


class Task(QObject):
    """Handle of one background call. `done(result)` or `error(exception)`, then `finished()`."""

    done = Signal(object)
    error = Signal(object)
    finished = Signal()

    def __init__(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], object] | None = None,
        on_error: Callable[[BaseException], object] | None = None,
        *,
        name: str = "",
        owner: QObject | None = None,
    ) -> None:
        super().__init__()
        self.name = name or getattr(fn, "__name__", "task")
        # The widget the callbacks update: when Qt has deleted it by the time the answer comes
        # (the window closed, the rows rebuilt), the answer is dropped instead of delivered.
        self._owner = owner
        self.cancel_event = threading.Event()
        self.result: Any = None
        self.exception: BaseException | None = None
        self.is_finished = False
        self._on_done = on_done
        self._on_error = on_error
        self._carrier = _Carrier()
        self._carrier.succeeded.connect(self._deliver_result, Qt.ConnectionType.QueuedConnection)
        self._carrier.failed.connect(self._deliver_error, Qt.ConnectionType.QueuedConnection)
        self._runnable = _Runnable(fn, self._carrier)

    def start(self) -> Task:
        _live.add(self)
        pool().start(self._runnable)
        return self

    def cancel(self) -> None:
        self.cancel_event.set()

    def _owner_gone(self) -> bool:
        return self._owner is not None and not shiboken6.isValid(self._owner)

    @Slot(object)
    def _deliver_result(self, result: Any) -> None:
        self.result = result
        try:
            if self._on_done is not None and not self._owner_gone():
                self._on_done(result)
            emit(self.done, result)
        finally:
            self._finish()

    @Slot(object)
    def _deliver_error(self, exc: BaseException) -> None:
        self.exception = exc
        try:
            if self._owner_gone():
                log.info("%s failed after its window closed: %s", self.name, exc)
            elif self._on_error is not None:
                self._on_error(exc)
            else:
                log.error("%s failed", self.name, exc_info=exc)
            emit(self.error, exc)
        finally:
            self._finish()

    def _finish(self) -> None:
        self.is_finished = True
        emit(self.finished)
        # Let go of the task only after this slot has returned: dropping the last reference
        # inside its own slot deletes the QObject while Qt is still delivering to it.
        QTimer.singleShot(0, lambda: _live.discard(self))


def run_task(
    fn: Callable[[], Any],
    on_done: Callable[[Any], object] | None = None,
    on_error: Callable[[BaseException], object] | None = None,
    *,
    name: str = "",
    owner: QObject | None = None,
) -> Task:
    """Run `fn()` on the pool; `on_done(result)` / `on_error(exc)` are called on the GUI thread,
    unless `owner` (the widget they update) has been deleted by then."""
    return Task(fn, on_done, on_error, name=name, owner=owner).start()
