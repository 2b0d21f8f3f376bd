"""Next to the Automatic sync setting: "Also sync when the app is closed" (the computer's own
scheduler runs `qbsync sync`) and "Start in the tray at login". Both go through osjobs."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QCheckBox, QVBoxLayout, QWidget

from ..osjobs import OsJobs
from ..osjobs.frequency import job_frequency
from . import messages
from .worker import run_task

log = logging.getLogger(__name__)


def make_jobs(service) -> OsJobs:
    """The OS jobs for the app's data folder and secret store (tests replace the machine)."""
    return OsJobs.for_service(service)


class ClosedSyncOptions(QWidget):
    """The two check boxes. What the OS has installed is read in the background (asking
    Task Scheduler can take a second); until then both are disabled."""

    def __init__(self, service, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("closedSync")
        self.svc = service
        self.jobs = make_jobs(service)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.when_closed = QCheckBox(self.tr("Also sync when the app is closed"))
        self.when_closed.setObjectName("syncWhenClosed")
        self.at_login = QCheckBox(self.tr("Start in the tray at login"))
        self.at_login.setObjectName("startAtLogin")
        layout.addWidget(self.when_closed)
        layout.addWidget(self.at_login)
        # None until the OS has answered; then "" (available) or why not.
        self.sync_unavailable: str | None = None
        self.login_unavailable: str | None = None
        self.installed_frequency: str | None = None
        self.busy = False
        for box in (self.when_closed, self.at_login):
            box.setEnabled(False)
            box.setToolTip(self.tr("Checking what this computer has set up…"))
        # clicked, not toggled: only the bookkeeper's own clicks install or remove.
        self.when_closed.clicked.connect(self._when_closed_clicked)
        self.at_login.clicked.connect(self._at_login_clicked)
        self.reload()

    @classmethod
    def for_panel(cls, panel) -> ClosedSyncOptions:
        """Below the Automatic choice of the sync settings panel: follows its saves."""
        options = cls(panel.svc, panel)
        panel.changed.connect(options.settings_changed)
        return options

    # ---------------------------------------------------------------- reading the OS
    def reload(self) -> None:
        jobs = self.jobs

        def probe():
            why = jobs.sync_unavailable()
            status = jobs.status() if jobs.platform else None
            return why, status, jobs.autostart_unavailable(), jobs.autostart_enabled()

        self.busy = True
        run_task(probe, self._probed, self._probe_failed, name="os jobs", owner=self)

    def _probed(self, answer) -> None:
        self.sync_unavailable, status, self.login_unavailable, login_on = answer
        self.installed_frequency = status.frequency if status and status.installed else None
        self.when_closed.setChecked(bool(status and status.installed))
        self.at_login.setChecked(login_on)
        self.busy = False
        self._update()

    def _probe_failed(self, exc: BaseException) -> None:
        log.warning("could not read the scheduled sync: %s", exc)
        self.sync_unavailable = self.login_unavailable = self.tr(
            "The computer could not be asked ({error})."
        ).format(error=exc)
        self.busy = False
        self._update()

    def wanted_frequency(self) -> str | None:
        return job_frequency(self.svc)

    def _update(self) -> None:
        if self.sync_unavailable is None:
            return
        sync_why = self.sync_unavailable
        if not sync_why and not self.when_closed.isChecked() and not self.wanted_frequency():
            sync_why = self.tr(
                "Choose Automatic first: the computer then syncs at that frequency while the "
                "app is closed."
            )
        # An installed job can always be removed, even once it could not be installed again.
        self.when_closed.setEnabled(
            not self.busy and (not sync_why or self.when_closed.isChecked())
        )
        self.when_closed.setToolTip(
            sync_why
            or self.tr(
                "Your computer runs the automatic sync at its frequency while QBSync is closed. "
                "Never at the same time as the app: a connection the app is syncing is left "
                "alone."
            )
        )
        self.at_login.setEnabled(not self.busy and not self.login_unavailable)
        self.at_login.setToolTip(
            self.login_unavailable
            or self.tr(
                "QBSync starts hidden in the tray when you log in; click the icon to open it."
            )
        )

    # ---------------------------------------------------------------- the bookkeeper's clicks
    def settings_changed(self) -> None:
        """The panel saved: a job installed at another frequency follows the new one."""
        wanted = self.wanted_frequency()
        if self.when_closed.isChecked() and wanted and wanted != self.installed_frequency:
            self._run(
                lambda: self.jobs.install(wanted),
                self.tr("The sync with the app closed was not changed."),
                wanted,
            )
        else:
            self._update()

    def _when_closed_clicked(self, on: bool) -> None:
        if on:
            wanted = self.wanted_frequency()
            if not wanted:
                self.when_closed.setChecked(False)
                self._update()
                return
            self._run(
                lambda: self.jobs.install(wanted),
                self.tr("Syncing with the app closed was not set up."),
                wanted,
            )
        else:
            self._run(
                self.jobs.remove,
                self.tr("Syncing with the app closed was not turned off."),
                None,
            )

    def _run(self, fn, failure: str, frequency: str | None) -> None:
        self.busy = True
        self._update()

        def done(_plan) -> None:
            self.installed_frequency = frequency
            self.when_closed.setChecked(frequency is not None)
            self.busy = False
            self._update()

        def failed(exc: BaseException) -> None:
            self.busy = False
            messages.show_error(self, failure, exc)
            self.reload()

        run_task(fn, done, failed, name="scheduled sync", owner=self)

    def _at_login_clicked(self, on: bool) -> None:
        self.busy = True
        self._update()

        def done(_plan) -> None:
            self.busy = False
            self._update()

        def failed(exc: BaseException) -> None:
            self.busy = False
            messages.show_error(self, self.tr("Starting at login was not changed."), exc)
            self.reload()

        run_task(
            lambda: self.jobs.set_autostart(on), done, failed, name="start at login", owner=self
        )
