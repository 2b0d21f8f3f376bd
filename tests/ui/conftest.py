"""UI test fixtures: the main window over a fake service, or over the real one and the demo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from qbsync_desktop.ui import messages, worker

from .fakes import FakeService


@pytest.fixture
def answers(monkeypatch):
    """Blocking questions (confirm) answered by the test: append True/False; default False."""

    class Answers(list):
        asked: list[str]

    queue = Answers()
    asked: list[str] = []

    def confirm(_parent, title, text, **_kw):
        asked.append(f"{title}: {text}")
        return queue.pop(0) if queue else False

    monkeypatch.setattr(messages, "confirm", confirm)
    queue.asked = asked
    return queue


@pytest.fixture
def ui_settings(tmp_path):
    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def fake_svc():
    return FakeService()


@pytest.fixture
def make_window(qtbot, ui_settings, answers):
    from qbsync_desktop.ui.main_window import MainWindow

    made = []

    def make(service, **kw):
        kw.setdefault("use_tray", False)
        window = MainWindow(service, ui_settings, **kw)
        qtbot.addWidget(window)
        made.append(window)
        return window

    yield make
    for window in made:
        for task in list(window.runs.values()):
            task.cancel_event.set()
        if window.wizard is not None:
            window.wizard.abort()
        window._quitting = True
        window.close()
    worker.wait_all(30_000)


@pytest.fixture
def window(make_window, fake_svc):
    w = make_window(fake_svc)
    w.show()
    return w


def drain(qtbot, timeout=10_000):
    """Wait until every background task has delivered its outcome."""
    qtbot.waitUntil(lambda: worker.active_count() == 0, timeout=timeout)
