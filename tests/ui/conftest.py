"""UI test fixtures: real widgets over the real SyncService and both sandboxes (`world`).

Only two things are played by the test: the OS keyring (MemorySecretStore, in `world`) and the
person at the keyboard - the system browser approving QuickBooks' consent page, and the answers
to blocking questions.
"""

from __future__ import annotations

import threading

import pytest
import shiboken6
from PySide6.QtCore import QSettings

from qbsync_desktop.sandbox.browser import consent
from qbsync_desktop.ui import language, messages, worker
from qbsync_desktop.ui.wizard import authorize as authorize_page
from tests.support.demo import realm_of
from tests.support.ui_runs import drain


@pytest.fixture(scope="session", autouse=True)
def window_language(qapp):
    """What start-up does (ui/application.make_app): the catalogues for the chosen language,
    English here (tests/conftest.py), with its plural forms ("1 entity", "2 entities")."""
    return language.install_translators(qapp)


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
def browser(monkeypatch):
    """The system browser, approving the company the test names on the sandbox consent page."""
    state = {"company": "acme_ee", "opened": []}

    def open_url(url) -> bool:
        state["opened"].append(url.toString())
        threading.Thread(
            target=consent, args=(url.toString(), realm_of(state["company"])), daemon=True
        ).start()
        return True

    monkeypatch.setattr(authorize_page, "open_url", open_url)
    return state


@pytest.fixture
def ui_settings(tmp_path):
    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_window(qtbot, ui_settings, answers, world_factory):
    # world_factory first: its worlds (service, sandboxes) close after every window is gone.
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
    worker.wait_all(30_000)
    # Deliver every finished task's outcome now, while its widgets still exist: delivered
    # after they are closed, or in a later test's event loop, a callback would reach a
    # deleted widget and crash Qt.
    qtbot.waitUntil(lambda: worker.active_count() == 0, timeout=30_000)
    for window in made:
        if not shiboken6.isValid(window):
            continue  # already gone (the test closed it, or Qt deleted it on close)
        window._quitting = True
        window.close()


@pytest.fixture
def connected(world):
    """The demo world with Acme OÜ (EUR) connected and its first settings chosen."""
    world.info = world.connect("acme_ee")
    return world


@pytest.fixture
def window(make_window, connected, qtbot):
    w = make_window(connected.svc, demo=connected.env)
    w.show()
    drain(qtbot)
    return w
