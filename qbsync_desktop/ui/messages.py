"""Every error the bookkeeper sees says what happened and what to do next."""

from __future__ import annotations

import logging
import re

from PySide6.QtWidgets import QMessageBox, QWidget

from ..domain.errors import (
    AuthenticationFailed,
    ConnectionBusy,
    QuotaExhausted,
    ReconnectNeeded,
    RemoteError,
    ServiceUnavailable,
    SettingsInvalid,
)
from .language import translate

log = logging.getLogger(__name__)

# Rule numbers in parentheses (R43, R50, R51, a range like R01 to R06) are for the log file
# and the docs.
RULE_IDS = re.compile(r"\s*\(\s*R\d\d(?:\s*[,–-]\s*R\d\d)*\s*\)")
SCORO_SITE_EXAMPLE = "https://acme.scoro.com"


def support() -> str:
    return translate(
        "Messages", "If this keeps happening, export the log (Export CSV) and send it to support."
    )


def not_full_address(text: str) -> str:
    return translate(
        "Messages",
        "“{text}” is not a full Scoro address. Enter the address you open Scoro with, "
        "for example {example}",
    ).format(text=text, example=SCORO_SITE_EXAMPLE)


def plain(text: str) -> str:
    """A service message as the bookkeeper reads it: without rule numbers."""
    return RULE_IDS.sub("", text or "")


def site_problem(site: str) -> str:
    """What is wrong with a typed Scoro address, or "" (the demo's http://127.0.0.1 is fine)."""
    text = site.strip()
    if not text:
        return translate("Messages", "Enter your Scoro address, for example {example}").format(
            example=SCORO_SITE_EXAMPLE
        )
    lowered = text.lower()
    local = lowered.startswith(("http://127.0.0.1", "http://localhost", "http://[::1]"))
    if not lowered.startswith("https://") and not local:
        if lowered.startswith("http://"):
            return translate(
                "Messages", "Your Scoro address must start with https://, for example {example}"
            ).format(example=SCORO_SITE_EXAMPLE)
        return not_full_address(text)
    host = text.split("//", 1)[1].split("/", 1)[0]
    if not host or ("." not in host and not local):
        return not_full_address(text)
    return ""


def advice(exc: BaseException) -> str:
    """What to do about `exc`, for errors whose message does not already say it."""
    if isinstance(exc, ReconnectNeeded):
        return translate(
            "Messages", "Click Reconnect and authorize QuickBooks again. Nothing has been lost."
        )
    if isinstance(exc, QuotaExhausted):
        return translate(
            "Messages", "Scoro's daily request quota is used up. The sync continues tomorrow."
        )
    if isinstance(exc, AuthenticationFailed):
        if getattr(exc, "side", "") == "scoro":
            return translate(
                "Messages",
                "Check the site address and the API key (Scoro: Settings > External "
                "connections > API).",
            )
        return translate(
            "Messages", "Check the QuickBooks app's client id and secret, then try again."
        )
    if isinstance(exc, ServiceUnavailable):
        return translate(
            "Messages",
            "Check your internet connection and try again in a few minutes. "
            "Nothing was lost; unfinished work is retried on the next sync.",
        )
    if isinstance(exc, RemoteError):
        return ""
    if isinstance(exc, SettingsInvalid | ConnectionBusy):
        return ""
    return support()


def describe(exc: BaseException) -> str:
    text = plain(str(exc).strip()) or type(exc).__name__
    text = text[:1].upper() + text[1:]
    extra = advice(exc)
    # The service often names the Scoro menu itself; saying it twice reads like a glitch.
    if "External connections" in text and "External connections" in extra:
        extra = ""
    if extra and extra not in text:
        text = f"{text}\n\n{extra}"
    return text


def show_error(parent: QWidget | None, what: str, exc: BaseException) -> QMessageBox:
    """Non-blocking (window-modal) so the event loop, and with it any running sync, go on."""
    if not isinstance(exc, RemoteError | ValueError | SettingsInvalid):
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
    box.setInformativeText(plain(details))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setObjectName("errorMessage")
    box.open()
    return box


def show_info(parent: QWidget | None, title: str, text: str) -> QMessageBox:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(title)
    box.setText(plain(text))
    box.setObjectName("infoMessage")
    box.open()
    return box


def confirm(
    parent: QWidget | None,
    title: str,
    text: str,
    *,
    yes: str | None = None,
    no: str | None = None,
    destructive: bool = False,
) -> bool:
    """A blocking question; tests replace this function. A destructive question (Disconnect)
    has the safe answer as its default, so Enter never destroys anything."""
    box = question_box(parent, title, text, yes=yes, no=no, destructive=destructive)
    box.exec()
    # The yes button is the box's only AcceptRole button; Escape clicks the no button.
    clicked = box.clickedButton()
    return clicked is not None and box.buttonRole(clicked) == QMessageBox.ButtonRole.AcceptRole


def question_box(
    parent: QWidget | None,
    title: str,
    text: str,
    *,
    yes: str | None = None,
    no: str | None = None,
    destructive: bool = False,
) -> QMessageBox:
    yes = yes or translate("Messages", "Yes")
    no = no or translate("Messages", "No")
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    yes_btn = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    yes_btn.setObjectName("questionYes")
    no_btn = box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    no_btn.setObjectName("questionNo")
    box.setDefaultButton(no_btn if destructive else yes_btn)
    box.setEscapeButton(no_btn)
    box.setObjectName("question")
    return box
