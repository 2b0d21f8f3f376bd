"""An answer that arrives after its widget is gone (the window closed, the rows rebuilt) is
dropped, not delivered to a deleted widget."""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtWidgets import QLabel

from qbsync_desktop.ui import worker


def test_an_answer_for_a_deleted_widget_is_dropped(qtbot):
    label = QLabel("waiting")
    release = threading.Event()
    delivered: list[object] = []

    task = worker.run_task(
        lambda: release.wait(10) and "answer",
        lambda result: delivered.append(label.setText(result)),
        name="slow answer",
        owner=label,
    )
    shiboken6.delete(label)  # the window closed while the call was still running
    release.set()
    qtbot.waitUntil(lambda: task.is_finished, timeout=10_000)

    assert delivered == []
    assert task.result == "answer"  # it ran; only the delivery was dropped


def test_an_answer_for_a_live_widget_is_delivered(qtbot):
    label = QLabel("waiting")
    task = worker.run_task(lambda: "answer", label.setText, name="answer", owner=label)
    qtbot.waitUntil(lambda: task.is_finished, timeout=10_000)
    assert label.text() == "answer"
