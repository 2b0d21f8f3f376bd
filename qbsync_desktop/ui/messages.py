"""Every error the bookkeeper sees says what happened and what to do next."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from ..domain.errors import (
    AuthenticationFailed,
    QuotaExhausted,
    ReconnectNeeded,
    RemoteError,
    ServiceUnavailable,
)

log = logging.getLogger(__name__)


def advice(exc: BaseException) -> str:
    """What to do about `exc`, for errors whose message does not already say it."""
    if isinstance(exc, ReconnectNeeded):
        return "Click Reconnect and authorize QuickBooks again. Nothing has been lost."
    if isinstance(exc, QuotaExhausted):
        return "Scoro's daily request quota is used up. The sync continues tomorrow."
    if isinstance(exc, AuthenticationFailed):
        if getattr(exc, "side", "") == "scoro":
            return (
                "Check the site address and the API key (Scoro: Settings > External "
                "connections > API)."
            )
        return "Check the QuickBooks app's client id and secret, then try again."
    if isinstance(exc, ServiceUnavailable):
        return (
            "Check your internet connection and try again in a few minutes. "
            "Nothing was lost; unfinished work is retried on the next sync."
        )
    if isinstance(exc, RemoteError):
        return ""
    if type(exc).__name__ == "SettingsInvalid":
        return ""
    return "If this keeps happening, export the log (Export CSV) and send it to support."


def describe(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    extra = advice(exc)
    # The service often names the Scoro menu itself; saying it twice reads like a glitch.
    if "External connections" in text and "External connections" in extra:
        extra = ""
    if extra and extra not in text:
        text = f"{text}\n\n{extra}"
    return text


def show_error(parent: QWidget | None, what: str, exc: BaseException) -> QMessageBox:
    """Non-blocking (window-modal) so the event loop, and with it any running sync, go on."""
    if not isinstance(exc, RemoteError | ValueError) and type(exc).__name__ != "SettingsInvalid":
        log.error("%s", what, exc_info=exc)
    else:
        log.warning("%s: %s", what, exc)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("QBSync")
    box.setText(what)
    box.setInformativeText(describe(exc))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setObjectName("errorMessage")
    box.open()
    return box


def show_problem(parent: QWidget | None, what: str, details: str) -> QMessageBox:
    """A problem the service already reported as a result (no exception): what, then why."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("QBSync")
    box.setText(what)
    box.setInformativeText(details)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setObjectName("errorMessage")
    box.open()
    return box


def show_info(parent: QWidget | None, title: str, text: str) -> QMessageBox:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(title)
    box.setText(text)
    box.setObjectName("infoMessage")
    box.open()
    return box


def confirm(
    parent: QWidget | None, title: str, text: str, *, yes: str = "Yes", no: str = "No"
) -> bool:
    """A blocking question; tests replace this function."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    yes_btn = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(yes_btn)
    box.exec()
    return box.clickedButton() is yes_btn
