"""Service events (emitted on whichever worker thread runs the service) as Qt signals.

The service knows nothing of Qt: it calls a plain listener. The listener only emits a signal;
the bridge object lives on the GUI thread and the connection is queued, so every slot that
reacts to an event runs on the GUI thread, in order.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal, Slot

from ..sync.types import Event, EventType
from .qtcompat import emit


class ServiceBridge(QObject):
    # Every Event. Not named `event`: that would hide QObject.event, which Qt calls.
    any_event = Signal(object)
    progress = Signal(object)  # PROGRESS, CATEGORY_STARTED, RECORD_* (for the status bar)
    log_line = Signal(object)  # LOG, RECORD_HELD, RECORD_FAILED, RECORD_DONE with a message
    run_started = Signal(object)
    run_finished = Signal(object)
    category_finished = Signal(object)
    connection_status = Signal(object)

    _incoming = Signal(object)

    def __init__(self, service, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._incoming.connect(self._dispatch, Qt.ConnectionType.QueuedConnection)
        service.add_listener(self._listener)

    def detach(self) -> None:
        try:
            self._service.remove_listener(self._listener)
        except (ValueError, KeyError):
            pass

    def _listener(self, ev: Event) -> None:
        # Runs on the service's thread: touch nothing, just hand the event over.
        emit(self._incoming, ev)

    @Slot(object)
    def _dispatch(self, ev: Event) -> None:
        emit(self.any_event, ev)
        t = ev.type
        if t in (
            EventType.PROGRESS,
            EventType.CATEGORY_STARTED,
            EventType.RECORD_DONE,
            EventType.RECORD_HELD,
            EventType.RECORD_FAILED,
        ):
            emit(self.progress, ev)
        # Records' own events are progress only: their words are already in the log (the
        # engine notes each one), so showing them too doubled lines and left bare labels.
        quiet = (
            EventType.PROGRESS,
            EventType.CONNECTION_STATUS,
            EventType.RECORD_DONE,
            EventType.RECORD_HELD,
            EventType.RECORD_FAILED,
        )
        if ev.message and t not in quiet:
            emit(self.log_line, ev)
        if t is EventType.RUN_STARTED:
            emit(self.run_started, ev)
        elif t is EventType.RUN_FINISHED:
            emit(self.run_finished, ev)
        elif t is EventType.CATEGORY_FINISHED:
            emit(self.category_finished, ev)
        elif t is EventType.CONNECTION_STATUS:
            emit(self.connection_status, ev)
