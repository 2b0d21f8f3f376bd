"""The Qt side of start-up: QApplication, remembered settings, the main window, the tray."""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from ..secrets import NoSecureStorageError
from .language import install_translators, translate
from .messages import describe
from .resources import icon

log = logging.getLogger(__name__)

ORGANIZATION = "qbsync"
APPLICATION = "QBSync"
SETTINGS_FILE = "qbsync-desktop.ini"


def make_app(qt_args: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    # A plain QCoreApplication cannot show windows; Qt refuses to make a second one anyway.
    app = (
        existing
        if isinstance(existing, QApplication)
        else QApplication([sys.argv[0], *(qt_args or [])])
    )
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APPLICATION)
    app.setDesktopFileName("io.github.qbsync.Desktop")
    app.setWindowIcon(icon("app"))
    install_translators(app)
    return app


def open_settings(config_dir) -> QSettings:
    """Window geometry and view choices; an ini file in our own folder, not the registry."""
    return QSettings(str(config_dir / SETTINGS_FILE), QSettings.Format.IniFormat)


def run_gui(
    service,
    paths,
    *,
    demo=None,
    startup_error: BaseException | None = None,
    qt_args: list[str] | None = None,
    start_hidden: bool = False,
) -> int:
    app = make_app(qt_args)
    if startup_error is not None or service is None:
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            APPLICATION,
            translate("Application", "QBSync could not start."),
        )
        text = (
            describe(startup_error)
            if startup_error
            else translate("Application", "The sync service is missing.")
        )
        if isinstance(startup_error, NoSecureStorageError):
            text += "\n\n" + translate(
                "Application",
                "Start QBSync with --insecure-file-secrets to keep the keys in a file "
                "in the data folder instead (only on a computer you alone use).",
            )
        box.setInformativeText(text)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.exec()
        return 2

    from .main_window import MainWindow
    from .worker import pool

    settings = open_settings(paths.config)
    window = MainWindow(service, settings, demo=demo, log_dir=paths.logs)
    # Started at login: only the tray icon, unless there is no tray to come back from.
    if not (start_hidden and window.tray is not None):
        window.show()
    window.start()
    code = app.exec()
    window.save_settings()
    # Cancelled runs stop at the next record; give them a moment to write their state.
    pool().waitForDone(15_000)
    return code
