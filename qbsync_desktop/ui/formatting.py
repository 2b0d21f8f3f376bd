"""How dates, statuses and results read in the UI."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QLocale

from ..sync.types import ConnectionStatus
from .language import QT_TRANSLATE_NOOP, translate

# English here; shown through status_text(), run_status_text() and mode_text().
STATUS_TEXT = {
    ConnectionStatus.DRAFT: QT_TRANSLATE_NOOP("Formatting", "Not connected yet"),
    ConnectionStatus.CURRENCY_BLOCKED: QT_TRANSLATE_NOOP(
        "Formatting", "Blocked: currencies differ"
    ),
    ConnectionStatus.ACTIVE: QT_TRANSLATE_NOOP("Formatting", "Connected"),
    ConnectionStatus.RECONNECT_NEEDED: QT_TRANSLATE_NOOP("Formatting", "Reconnect needed"),
    ConnectionStatus.DISCONNECTED: QT_TRANSLATE_NOOP("Formatting", "Disconnected"),
}

STATUS_ICON = {
    ConnectionStatus.DRAFT: "disconnected",
    ConnectionStatus.CURRENCY_BLOCKED: "warning",
    ConnectionStatus.ACTIVE: "ok",
    ConnectionStatus.RECONNECT_NEEDED: "error",
    ConnectionStatus.DISCONNECTED: "disconnected",
}

RUN_STATUS_TEXT = {
    "ok": QT_TRANSLATE_NOOP("Formatting", "Finished"),
    "review": QT_TRANSLATE_NOOP("Formatting", "Finished, items to review"),
    "failed": QT_TRANSLATE_NOOP("Formatting", "Failed"),
    "cancelled": QT_TRANSLATE_NOOP("Formatting", "Cancelled"),
    "reconnect_needed": QT_TRANSLATE_NOOP("Formatting", "Stopped: reconnect needed"),
    "running": QT_TRANSLATE_NOOP("Formatting", "Running"),
}

RESULT_ICON = {
    "ok": "ok",
    "review": "warning",
    "failed": "error",
    "cancelled": "warning",
    "reconnect_needed": "error",
}

MODE_TEXT = {
    "manual": QT_TRANSLATE_NOOP("Formatting", "Manual"),
    "hourly": QT_TRANSLATE_NOOP("Formatting", "Hourly"),
    "daily": QT_TRANSLATE_NOOP("Formatting", "Daily"),
    "weekly": QT_TRANSLATE_NOOP("Formatting", "Weekly"),
}


def status_text(status, default: str = "") -> str:
    text = STATUS_TEXT.get(status)
    return translate("Formatting", text) if text else default


def run_status_text(status: str | None, default: str = "") -> str:
    text = RUN_STATUS_TEXT.get(status or "")
    return translate("Formatting", text) if text else default


def mode_text(mode: str) -> str:
    text = MODE_TEXT.get(mode)
    return translate("Formatting", text) if text else mode.capitalize()


def day_text(day: dt.date) -> str:
    """ "3 Mar 2025" in the window's language."""
    return QLocale().toString(QDate(day.year, day.month, day.day), "d MMM yyyy")


def local(when: dt.datetime) -> dt.datetime:
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone()


def when_text(when: dt.datetime | None, *, now: dt.datetime | None = None) -> str:
    if when is None:
        return translate("Formatting", "never")
    loc = local(when)
    today = (now or dt.datetime.now().astimezone()).date()
    if loc.date() == today:
        return translate("Formatting", "today {time}").format(time=f"{loc:%H:%M}")
    if loc.date() == today - dt.timedelta(days=1):
        return translate("Formatting", "yesterday {time}").format(time=f"{loc:%H:%M}")
    return f"{loc:%Y-%m-%d %H:%M}"


def result_key(result: str) -> str:
    """A category's `last_result` is a status word, a sentence starting with one, or counts
    ("4 created, 2 held"): reduce it to a key of RESULT_ICON."""
    text = (result or "").strip().lower()
    head = text.split(" ", 1)[0].split(":", 1)[0]
    if head in RESULT_ICON:
        return head
    if "failed" in text:
        return "failed"
    if "held" in text or "review" in text or "differ" in text:
        return "review"
    return "ok" if text else ""


def escape_html(text: str) -> str:
    """A name shown inside rich text: its &, < and > as text, not markup."""
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
