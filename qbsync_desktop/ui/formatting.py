"""How dates, statuses and results read in the UI."""

from __future__ import annotations

import datetime as dt

from ..sync.types import ConnectionStatus

STATUS_TEXT = {
    ConnectionStatus.DRAFT: "Not connected yet",
    ConnectionStatus.CURRENCY_BLOCKED: "Blocked: currencies differ",
    ConnectionStatus.ACTIVE: "Connected",
    ConnectionStatus.RECONNECT_NEEDED: "Reconnect needed",
    ConnectionStatus.DISCONNECTED: "Disconnected",
}

STATUS_ICON = {
    ConnectionStatus.DRAFT: "disconnected",
    ConnectionStatus.CURRENCY_BLOCKED: "warning",
    ConnectionStatus.ACTIVE: "ok",
    ConnectionStatus.RECONNECT_NEEDED: "error",
    ConnectionStatus.DISCONNECTED: "disconnected",
}

RUN_STATUS_TEXT = {
    "ok": "Finished",
    "review": "Finished, items to review",
    "failed": "Failed",
    "cancelled": "Cancelled",
    "reconnect_needed": "Stopped: reconnect needed",
    "running": "Running",
}

RESULT_ICON = {
    "ok": "ok",
    "review": "warning",
    "failed": "error",
    "cancelled": "warning",
    "reconnect_needed": "error",
}

MODE_TEXT = {"manual": "Manual", "hourly": "Hourly", "daily": "Daily", "weekly": "Weekly"}


def local(when: dt.datetime) -> dt.datetime:
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone()


def when_text(when: dt.datetime | None, *, now: dt.datetime | None = None) -> str:
    if when is None:
        return "never"
    loc = local(when)
    today = (now or dt.datetime.now().astimezone()).date()
    if loc.date() == today:
        return f"today {loc:%H:%M}"
    if loc.date() == today - dt.timedelta(days=1):
        return f"yesterday {loc:%H:%M}"
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
    if "held" in text or "review" in text:
        return "review"
    return "ok" if text else ""


def escape_html(text: str) -> str:
    """A name shown inside rich text: its &, < and > as text, not markup."""
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
