"""How the bookkeeper learns how a sync ended when not looking at the window: a desktop
notification through the tray (none when all went well), the fallback without a tray, and a
run the OS scheduler made while the app was closed, found in History and the log on start.

The wording is decided in qbsync_desktop/ui/notices.py (tests/unit/test_notices.py); here the
real window, service and sandboxes deliver it. Offscreen Qt has no system tray
(QSystemTrayIcon.isSystemTrayAvailable() is False), so the tray tests ask for one with
use_tray=True: the QSystemTrayIcon is real, only the desktop that would draw the bubble is
missing, and Tray records each message it shows."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from qbsync_desktop import cli
from qbsync_desktop.demo import DemoEnvironment
from qbsync_desktop.domain import Category
from qbsync_desktop.secrets.factory import SECRETS_FILE_NAME
from qbsync_desktop.secrets.file import FileSecretStore
from qbsync_desktop.sync.service import SyncService
from qbsync_desktop.ui.main_window import TAB_HISTORY, TAB_REVIEW
from qbsync_desktop.ui.qtcompat import emit
from qbsync_desktop.ui.tray import tray_available
from tests.fixtures.world import FAST_CLIENT, FAST_QBO, FAST_SCORO
from tests.support.ui_runs import drain, sync

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def tray_window(make_window, connected, qtbot):
    w = make_window(connected.svc, use_tray=True)
    w.show()
    drain(qtbot)
    yield w
    QApplication.instance().setQuitOnLastWindowClosed(True)


def close_boxes(window) -> None:
    for box in window.findChildren(QMessageBox):
        box.close()


def test_items_to_review_notify_and_a_click_opens_the_review_tab(tray_window, qtbot):
    w = tray_window
    w.tabs.setCurrentIndex(TAB_HISTORY)
    assert sync(qtbot, w).status == "review"  # the demo holds invoices 1003 and 1004
    title, text = w.tray.notifications[-1]
    assert title == "3 items need your review"
    assert "Acme OÜ" in text and "Review tab" in text
    w.hide()
    emit(w.tray.icon.messageClicked)
    assert w.isVisible() and w.tabs.currentIndex() == TAB_REVIEW


def test_a_revoked_sign_in_notifies_that_quickbooks_needs_reconnecting(
    tray_window, connected, qtbot
):
    w = tray_window
    connected.qbo_ctl(
        "POST",
        "faults",
        faults=[{"type": "revoke_refresh_token"}, {"type": "expire_access_token"}],
    )
    assert sync(qtbot, w).status == "reconnect_needed"
    close_boxes(w)
    title, text = w.tray.notifications[-1]
    assert title == "QuickBooks needs reconnecting"
    assert "Acme OÜ" in text and "Reconnect" in text
    w.tabs.setCurrentIndex(TAB_HISTORY)
    w.hide()
    emit(w.tray.icon.messageClicked)  # nothing to review: the window, as it was
    assert w.isVisible() and w.tabs.currentIndex() == TAB_HISTORY


def test_a_failed_sync_notifies_with_the_reason(tray_window, connected, qtbot):
    w = tray_window
    connected.env.qbo.stop()
    assert sync(qtbot, w).status == "failed"
    close_boxes(w)
    title, text = w.tray.notifications[-1]
    assert title == "The sync failed"
    assert text.startswith("The sync of Acme OÜ failed: ")
    assert "QuickBooks could not be reached" in text and "Nothing was lost" in text


def test_no_notification_when_all_is_well(tray_window, qtbot):
    w = tray_window
    before = list(w.tray.notifications)
    result = sync(qtbot, w, [Category.CONTACTS])
    assert result.status == "ok", result.message
    assert w.tray.notifications == before
    assert w.last_notice is None


def test_without_a_system_tray_the_window_says_it_and_nothing_breaks(
    make_window, connected, qtbot, caplog
):
    assert not tray_available()  # offscreen, as on a Linux desktop without a tray
    w = make_window(connected.svc, use_tray=None)
    w.show()
    drain(qtbot)
    assert w.tray is None
    assert QApplication.instance().quitOnLastWindowClosed()  # closing the window quits
    with caplog.at_level(logging.INFO, logger="qbsync_desktop.ui"):
        assert sync(qtbot, w).status == "review"
    assert w.last_notice is not None and w.last_notice.title == "3 items need your review"
    said = [r.getMessage() for r in caplog.records if r.name.startswith("qbsync_desktop.ui")]
    assert any(m.startswith("3 items need your review: The sync of Acme OÜ") for m in said)
    assert "3 to review" in w.status_label.text()


@pytest.fixture
def scheduled(tmp_path):
    """A data folder whose only sync ran from `qbsync sync` in another process (as the OS
    scheduler runs it) before the app was started. Keys in the file store, which a second
    process can read; the in-memory one of the other tests cannot be shared."""
    env = DemoEnvironment(None, qbo_kwargs=FAST_QBO, scoro_kwargs=FAST_SCORO).start()
    data = tmp_path / "scheduled"

    def service() -> SyncService:
        store = FileSecretStore(data / SECRETS_FILE_NAME)
        return SyncService(data, store, connector_options=FAST_CLIENT)

    try:
        svc = service()
        env.connect(svc, next(p for p in env.pairs if p.company_account_id == "acme_ee"))
        svc.close()
        pythonpath = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
        command = ["-m", "qbsync_desktop.cli", "sync", "--data-dir", str(data), "--secrets"]
        proc = subprocess.run(
            [sys.executable, *command, "file"],
            capture_output=True,
            text=True,
            timeout=240,
            env={**os.environ, "PYTHONPATH": pythonpath},
            cwd=REPO,
            check=False,
        )
        assert proc.returncode == cli.EXIT_REVIEW, proc.stdout + proc.stderr
        svc = service()
        yield svc
        svc.close()
    finally:
        env.stop()


# `scheduled` before `make_window`: its service closes after the window is gone.
def test_a_sync_run_while_the_app_was_closed_shows_in_history_and_log(
    scheduled, make_window, qtbot
):
    w = make_window(scheduled)
    w.show()
    drain(qtbot)
    w.tabs.setCurrentIndex(TAB_HISTORY)
    table = w.history.table
    rows = [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]
    cli_rows = [r for r in rows if r[1] == "Command line"]
    assert len(cli_rows) == 1, rows
    _started, _trigger, status, created, _updated, held, failed, message = cli_rows[0]
    assert status == "Finished, items to review"
    assert int(created) > 0 and int(held) > 0 and failed == "0"
    log_messages = [w.log_pane.model.item(r, 3).text() for r in range(w.log_pane.model.rowCount())]
    assert message in log_messages  # the run's own summary line is in the log pane
    assert w.current().open_reviews == 3
    assert "to review" in w.header.status.text()
