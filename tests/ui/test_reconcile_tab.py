"""The Reconcile tab: real widgets over the real service and both sandboxes."""

from __future__ import annotations

import datetime as dt
import os

from PySide6.QtCore import QDate

from qbsync_desktop.ui import reconcile as reconcile_mod
from qbsync_desktop.ui.main_window import TAB_REVIEW
from tests.support.ui_runs import drain, sync


def check(qtbot, panel, start: dt.date, end: dt.date):
    panel.date_from.setDate(QDate(start.year, start.month, start.day))
    panel.date_to.setDate(QDate(end.year, end.month, end.day))
    with qtbot.waitSignal(panel.finished, timeout=60_000) as blocker:
        panel.check_button.click()
    drain(qtbot)
    return blocker.args[0]


def rows(table) -> list[list[str]]:
    return [
        [table.item(r, c).text() if table.item(r, c) else "" for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def test_reconcile_tab_shows_differences_acts_on_them_and_exports(
    window, connected, qtbot, tmp_path, monkeypatch
):
    sync(qtbot, window)
    panel = window.reconcile
    assert window.tabs.tabText(window.tabs.indexOf(panel)) == "Reconcile"
    window.tabs.setCurrentWidget(panel)

    result = check(qtbot, panel, dt.date(2026, 1, 1), dt.date.today())
    assert not result.agrees
    shown = rows(panel.table)
    assert len(shown) == len(result.differences)
    assert panel.summary.text().startswith(f"<b>{len(result.differences)} difference")
    labels = {r[0]: r for r in shown}
    # Held by the sync (outdated tax rate): only in Scoro, with its review item offered.
    held = labels["Invoice 1003"]
    assert held[1] == "Only in Scoro"
    row = [r[0] for r in shown].index("Invoice 1003")
    panel.table.selectRow(row)
    assert panel.buttons["review"].isEnabled() and panel.buttons["send"].isEnabled()
    assert not panel.buttons["pull"].isEnabled()
    # No rule ids or internal names on screen.
    text = " ".join(" ".join(r) for r in shown) + panel.summary.text()
    for word in ("R34", "R40", "only_scoro", "qbo_id", "None"):
        assert word not in text
    assert panel.contacts.rowCount() > 0

    if os.environ.get("QBSYNC_SHOTS"):
        window.resize(1280, 800)
        drain(qtbot)
        window.grab().save(os.path.join(os.environ["QBSYNC_SHOTS"], "reconcile-tab.png"))

    # Opening the review item switches to the Review tab with the item selected.
    panel.buttons["review"].click()
    assert window.tabs.currentIndex() == TAB_REVIEW
    assert window.review.current_item().id == result.differences[row].review_id
    window.tabs.setCurrentWidget(panel)

    # Export CSV.
    out = panel.export(str(tmp_path / "diff.csv"))
    assert "Invoice 1003" in open(out, encoding="utf-8").read()

    # Ignore with a reason: it leaves the list and stays ignored.
    only_qbo = next(i for i, r in enumerate(shown) if r[1] == "Only in QuickBooks")
    label = shown[only_qbo][0]
    panel.table.selectRow(only_qbo)
    monkeypatch.setattr(reconcile_mod, "ask_reason", lambda *_a: "Made before we connected")
    with qtbot.waitSignal(panel.finished, timeout=60_000):
        panel.buttons["ignore"].click()
    drain(qtbot)
    assert label not in [r[0] for r in rows(panel.table)]
    assert len(panel.result.ignored) == 1
    assert panel.result.ignored[0].reason == "Made before we connected"


def test_reconcile_tab_says_books_agree_on_a_window_that_agrees(window, qtbot):
    sync(qtbot, window)
    result = check(qtbot, window.reconcile, dt.date(2019, 1, 1), dt.date(2019, 12, 31))
    assert result.agrees
    assert window.reconcile.summary.text().startswith("<b>Books agree</b>")
    assert window.reconcile.table.rowCount() == 0
    assert not any(b.isEnabled() for b in window.reconcile.buttons.values())


def test_the_action_buttons_fit_a_1024_pixel_window(window, connected, qtbot):
    """Five buttons in a row: at 1024 pixels wide each shows its whole label."""
    window.resize(1024, 728)
    panel = window.reconcile
    window.tabs.setCurrentWidget(panel)
    qtbot.wait(50)
    cut = [
        b.text()
        for b in panel.buttons.values()
        if b.width() < b.fontMetrics().horizontalAdvance(b.text()) + 8
    ]
    assert cut == []
    assert all(b.toolTip() for b in panel.buttons.values())  # the full words, on hover
