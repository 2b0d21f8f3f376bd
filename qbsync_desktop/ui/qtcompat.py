"""Work-arounds for Qt binding bugs, in one place.

PySide6 6.12.0: every `Signal.emit()` called from Python drops one reference to `True`
(signals emitted by Qt itself are fine). CPython 3.11 starts with a few hundred references,
so after that many emits the interpreter aborts with "bool_dealloc: deallocating True or
False". A sync emits one signal per service event, so the app would die in its first long
run. `emit()` below measures the loss once and gives the references back; on a binding
without the bug the measured loss is 0 and it is a plain emit.
"""

from __future__ import annotations

import ctypes
import sys
import threading

from PySide6.QtCore import QObject, Signal

_lost_per_emit: int | None = None
_probe_lock = threading.Lock()
_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None


class _Probe(QObject):
    ping = Signal()


def _measure() -> int:
    probe = _Probe()
    rounds = 64
    before = sys.getrefcount(True)
    for _ in range(rounds):
        probe.ping.emit()
    lost = before - sys.getrefcount(True)
    # Other threads may take or drop references to True meanwhile: round to whole emits and
    # never "give back" references that were not lost.
    per_emit = round(lost / rounds)
    if per_emit > 0:
        for _ in range(lost):
            _incref(True)
    return max(per_emit, 0)


def lost_per_emit() -> int:
    global _lost_per_emit
    if _lost_per_emit is None:
        with _probe_lock:
            if _lost_per_emit is None:
                _lost_per_emit = _measure()
    return _lost_per_emit


def emit(signal, *args) -> None:
    """`signal.emit(*args)`, without the PySide6 6.12.0 reference leak."""
    signal.emit(*args)
    for _ in range(lost_per_emit()):
        _incref(True)
