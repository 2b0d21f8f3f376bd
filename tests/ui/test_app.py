"""Start-up: --version without a display, --demo with the sandboxes, and the tray."""

from __future__ import annotations

import subprocess
import sys

from PySide6.QtWidgets import QApplication

from qbsync_desktop import app
from tests.support.ui_runs import drain


def test_version_prints_and_exits_without_a_window(capsys):
    assert app.main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("qbsync-desktop ")


def test_version_needs_no_display():
    env = {"QT_QPA_PLATFORM": "nonexistent-platform", "PATH": ""}
    out = subprocess.run(
        [sys.executable, "main.py", "--version"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert out.returncode == 0 and "qbsync-desktop" in out.stdout


def test_demo_start_up(qtbot, tmp_path, monkeypatch, answers):
    """`--demo`: both sandboxes start, the window opens with the wizard pre-filled."""
    seen = {}

    def fake_exec(self=None):
        from qbsync_desktop.ui.main_window import MainWindow

        # Visible: windows of earlier tests may linger hidden, in no particular order.
        windows = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
        ]
        window = windows[-1]
        qtbot.waitUntil(lambda: window.wizard is not None and window.wizard.isVisible())
        seen["title"] = window.windowTitle()
        seen["site"] = window.wizard.scoro_page.site.text()
        seen["client_id"] = window.wizard.app_page.client_id.text()
        window.wizard.reject()
        window._quitting = True
        window.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", fake_exec)
    code = app.main(["--demo", "--data-dir", str(tmp_path / "demo")])
    assert code == 0
    assert "(demo)" in seen["title"]
    assert seen["site"].startswith("http://127.0.0.1:")
    assert seen["client_id"]
    assert (tmp_path / "demo" / "logs").is_dir()


def test_tray_keeps_app_running_with_one_time_notice(make_window, connected, qtbot):
    w = make_window(connected.svc, use_tray=True)
    w.show()
    assert w.tray is not None
    assert not QApplication.instance().quitOnLastWindowClosed()
    w.close()
    assert not w.isVisible()
    assert [t for t, _ in w.tray.notifications] == ["QBSync keeps running"]
    w.show()
    w.close()
    assert len(w.tray.notifications) == 1  # only once
    w.tray.open_action.trigger()
    assert w.isVisible()
    QApplication.instance().setQuitOnLastWindowClosed(True)


def test_tray_notifies_when_a_sync_ends_with_items_to_review(make_window, connected, qtbot):
    w = make_window(connected.svc, use_tray=True)
    with qtbot.waitSignal(w.run_done, timeout=60_000) as blocker:
        w.tray.sync_action.trigger()
    drain(qtbot)
    assert blocker.args[0].status == "review"  # the demo holds invoices 1003 and 1004
    title, text = w.tray.notifications[-1]
    assert title == "3 items need your review" and "Acme OÜ" in text
    assert w.tray.review_action.text() == "Review (3)"
    QApplication.instance().setQuitOnLastWindowClosed(True)


def test_qtcompat_emit_does_not_leak_references_to_true():
    from PySide6.QtCore import QObject, Signal

    from qbsync_desktop.ui.qtcompat import emit

    class Source(QObject):
        ping = Signal(object)

    source = Source()
    source.ping.connect(lambda _v: None)
    before = sys.getrefcount(True)
    for _ in range(2000):  # more than CPython 3.11 has references to True at start-up
        emit(source.ping, 1)
    assert abs(sys.getrefcount(True) - before) < 20
