"""Waiting on the window the way a bookkeeper does: until background tasks are done, or a sync
started from the window has finished. Qt: only the UI tests import this."""

from __future__ import annotations

from qbsync_desktop.ui import worker


def drain(qtbot, timeout=20_000):
    """Wait until every background task has delivered its outcome."""
    qtbot.waitUntil(lambda: worker.active_count() == 0, timeout=timeout)


def sync(qtbot, window, categories=None, timeout=60_000):
    """Run a sync from the window, as the bookkeeper would, and wait for its result."""
    with qtbot.waitSignal(window.run_done, timeout=timeout) as blocker:
        if categories is None:
            window.sync_action.trigger()
        else:
            window.sync_categories(categories)
    drain(qtbot)
    return blocker.args[0]
