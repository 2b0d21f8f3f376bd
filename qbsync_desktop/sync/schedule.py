"""When automatic syncs and background items are due; rules R38 and R41. Pure: no clock of
its own."""

from __future__ import annotations

import datetime as dt

INTERVALS = {
    "hourly": dt.timedelta(hours=1),
    "daily": dt.timedelta(days=1),
    "weekly": dt.timedelta(weeks=1),
}
MODES = ("manual", *INTERVALS)


def interval(mode: str) -> dt.timedelta | None:
    if mode == "manual":
        return None
    try:
        return INTERVALS[mode]
    except KeyError:
        raise ValueError(
            f"unknown sync mode {mode!r}; expected one of {', '.join(MODES)}"
        ) from None


def next_due(mode: str, last_run: dt.datetime | None, now: dt.datetime) -> dt.datetime | None:
    """The moment the next automatic run is due; None in manual mode.

    Never run before: due now (an overdue or first sync runs at launch)."""
    step = interval(mode)
    if step is None:
        return None
    if last_run is None:
        return now
    return last_run + step


def is_due(
    mode: str,
    last_run: dt.datetime | None,
    now: dt.datetime,
    *,
    running: bool = False,
) -> bool:
    """True when an automatic run should start now. Never two runs of one connection at once."""
    if running:
        return False
    due = next_due(mode, last_run, now)
    return due is not None and due <= now
