"""The two options next to the Automatic sync setting: "Also sync when the app is closed" and
"Start in the tray at login", driven by clicks on the real settings panel over the real
service and sandboxes.

Where the computer's scheduler is needed the one stand-in is the command runner (systemctl):
this machine has no systemd user session, and a test must not install a timer in the real
user's session anyway. The unit files are real, under the test's own home folder.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from qbsync_desktop.osjobs import OsJobs
from qbsync_desktop.osjobs import definitions as d
from qbsync_desktop.osjobs.install import Result
from qbsync_desktop.ui import closed_sync
from qbsync_desktop.ui.overview import SyncSettingsPanel
from tests.support.ui_runs import drain

from ..unit.test_osjobs_install import RecordingRunner


@pytest.fixture
def panel_with(qtbot, connected, monkeypatch):
    """make(jobs_for_service) -> the sync settings panel of the connected demo company."""

    def make(jobs_for):
        monkeypatch.setattr(closed_sync, "make_jobs", jobs_for)
        panel = SyncSettingsPanel(connected.svc)
        qtbot.addWidget(panel)
        panel.set_connection(connected.info.id)
        panel.show()
        drain(qtbot)
        return panel

    return make


def boxes(panel):
    options = panel.findChild(closed_sync.ClosedSyncOptions)
    return options, options.when_closed, options.at_login


def test_on_this_machine_without_a_scheduler_the_box_is_disabled_and_says_why(panel_with):
    # The real machine, the real runner: with the keys in a file a job would be possible.
    probe = OsJobs(Path("."), "file")
    why = probe.sync_unavailable()
    if not why:
        pytest.skip("this machine can run scheduled syncs; nothing is unavailable to show")
    panel = panel_with(lambda svc: OsJobs(svc.data_dir, "file"))
    _options, when_closed, _at_login = boxes(panel)
    assert not when_closed.isEnabled()
    assert when_closed.toolTip() == why
    assert not when_closed.isChecked()


def test_the_demo_keeps_its_sign_ins_in_memory_so_it_cannot_sync_closed(panel_with):
    panel = panel_with(closed_sync.make_jobs)  # the app's own choice: a memory store here
    _options, when_closed, at_login = boxes(panel)
    assert not when_closed.isEnabled() and "only while the app is open" in when_closed.toolTip()
    assert not at_login.isEnabled()


@pytest.fixture
def linux_jobs(tmp_path):
    runner = RecordingRunner()
    home = tmp_path / "home of Anne"
    home.mkdir()

    def jobs_for(svc):
        return OsJobs(
            svc.data_dir, "file", platform="linux", home=home, env={}, runner=runner,
            frozen=False,
        )  # fmt: skip

    units = home / ".config" / "systemd" / "user"
    return {"make": jobs_for, "runner": runner, "units": units, "home": home}


def timer_frequency(units: Path) -> str:
    text = (units / "qbsync-sync.timer").read_text("utf-8")
    return next(line.split("=", 1)[1] for line in text.splitlines() if line.startswith("OnCal"))


def test_sync_when_closed_follows_the_automatic_setting(panel_with, linux_jobs, qtbot):
    panel = panel_with(linux_jobs["make"])
    options, when_closed, _at_login = boxes(panel)
    # The demo company syncs manually: nothing for the computer to run yet.
    assert not when_closed.isEnabled()
    assert when_closed.toolTip().startswith("Choose Automatic first")

    panel.frequency.setCurrentIndex(panel.frequency.findData("daily"))
    panel.automatic.click()
    assert when_closed.isEnabled() and "while QBSync is closed" in when_closed.toolTip()

    when_closed.click()
    drain(qtbot)
    assert when_closed.isChecked()
    assert timer_frequency(linux_jobs["units"]) == "daily"
    assert ("systemctl", "--user", "enable", "--now", "qbsync-sync.timer") in (
        linux_jobs["runner"].calls
    )

    # Hourly in the app: the computer's timer follows.
    panel.frequency.setCurrentIndex(panel.frequency.findData("hourly"))
    panel.frequency.activated.emit(panel.frequency.currentIndex())
    drain(qtbot)
    assert timer_frequency(linux_jobs["units"]) == "hourly"
    assert options.installed_frequency == "hourly"

    # A new panel (the app opened again) shows what the computer has.
    again = panel_with(linux_jobs["make"])
    assert boxes(again)[1].isChecked()

    when_closed.click()
    drain(qtbot)
    assert not when_closed.isChecked()
    assert not (linux_jobs["units"] / "qbsync-sync.timer").exists()


def test_a_refusal_by_the_computer_is_shown_and_the_box_shows_the_truth(
    panel_with, linux_jobs, qtbot, connected, monkeypatch
):
    shown = []
    monkeypatch.setattr(
        closed_sync.messages, "show_error", lambda _p, what, exc: shown.append((what, str(exc)))
    )
    linux_jobs["runner"].answers[("systemctl", "--user", "enable")] = Result(
        1, "", "Unit qbsync-sync.timer is masked."
    )
    panel = panel_with(linux_jobs["make"])
    panel.automatic.click()
    _options, when_closed, _at_login = boxes(panel)
    when_closed.click()
    drain(qtbot)
    assert shown and shown[0][0] == "Syncing with the app closed was not set up."
    assert "masked" in shown[0][1]
    # The unit files were written before systemd refused: the box says "installed", as
    # `qbsync schedule status` would, so the bookkeeper can remove them with one click.
    assert when_closed.isChecked() == (linux_jobs["units"] / "qbsync-sync.timer").exists()


def test_start_in_the_tray_at_login(panel_with, linux_jobs, qtbot):
    panel = panel_with(linux_jobs["make"])
    _options, _when_closed, at_login = boxes(panel)
    assert at_login.isEnabled() and not at_login.isChecked()
    at_login.click()
    drain(qtbot)
    entry = linux_jobs["home"] / ".config" / "autostart" / d.AUTOSTART_FILE
    assert "--tray" in entry.read_text("utf-8")
    assert at_login.isChecked()
    at_login.click()
    drain(qtbot)
    assert not entry.exists() and not at_login.isChecked()


@pytest.mark.parametrize("has_tray", [True, False])
def test_started_at_login_the_app_waits_in_the_tray(has_tray, tmp_path, monkeypatch, answers):
    """`--tray` (what the login start runs): no window, only the tray icon; with no tray to
    come back from, the window shows after all. The offscreen test display has no tray, so
    whether there is one is the test's to say."""
    from PySide6.QtWidgets import QApplication

    from qbsync_desktop import app
    from qbsync_desktop.ui import main_window

    monkeypatch.setattr(main_window, "tray_available", lambda: has_tray)
    seen = {}
    # Windows of earlier tests may linger (closed, hidden): the one made here is the new one.
    before = set(QApplication.topLevelWidgets())

    def fake_exec(self=None):
        (window,) = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, main_window.MainWindow) and w not in before
        ]
        seen["visible"] = window.isVisible()
        seen["tray"] = window.tray is not None
        if window.wizard is not None:
            window.wizard.abort()
        window._quitting = True
        window.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", fake_exec)
    argv = ["--tray", "--data-dir", str(tmp_path / "data"), "--insecure-file-secrets"]
    assert app.main(argv) == 0
    assert seen == {"visible": not has_tray, "tray": has_tray}
