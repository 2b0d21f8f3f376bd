"""Import older documents from the Overview tab: pick a date, see the preview, Import (or
Cancel), over the real service and both sandboxes."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt

from qbsync_desktop.domain import Category
from tests.support.old_documents import (
    make_old_scoro_invoices,
    numbers,
    qbo_invoices,
)
from tests.support.ui_runs import drain, sync


def open_dialog(qtbot, window):
    row = window.overview.table.rows[Category.INVOICES]
    assert row.import_button is not None and row.import_button.isEnabled()
    qtbot.mouseClick(row.import_button, Qt.MouseButton.LeftButton)
    dialog = window.overview.table.history_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def type_date(qtbot, edit, day: dt.date) -> None:
    """The date typed into the field as a bookkeeper would, from its first section."""
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_Home)
    qtbot.keyClicks(edit, day.isoformat())
    assert edit.date() == QDate(day.year, day.month, day.day)


def tree_rows(dialog) -> dict[str, list[str]]:
    out = {}
    for i in range(dialog.tree.topLevelItemCount()):
        group = dialog.tree.topLevelItem(i)
        out[group.text(0)] = [group.child(j).text(0) for j in range(group.childCount())]
    return out


def test_pick_a_date_preview_then_import(window, connected, qtbot):
    sync(qtbot, window)
    make_old_scoro_invoices(connected, ["6601", "6602"])
    before = numbers(qbo_invoices(connected))
    start_before = window.overview.table.rows[Category.INVOICES].config.start_date

    dialog = open_dialog(qtbot, window)
    assert not dialog.import_button.isEnabled()  # nothing to import before a preview
    type_date(qtbot, dialog.from_date, dt.date(2025, 1, 1))
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.preview_result is not None, timeout=30_000)

    assert tree_rows(dialog) == {"To create": ["Invoice 6601", "Invoice 6602"]}
    assert "would create 2" in dialog.summary.text()
    assert numbers(qbo_invoices(connected)) == before  # the preview wrote nothing
    assert dialog.import_button.isEnabled()

    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.import_result is not None, timeout=60_000)
    drain(qtbot)

    assert tree_rows(dialog) == {"Created": ["Invoice 6601", "Invoice 6602"]}
    assert dialog.summary.text().startswith("Imported invoices and credit notes")
    assert numbers(qbo_invoices(connected)) == sorted([*before, "6601", "6602"])
    assert dialog.cancel_button.text() == "Close" and not dialog.import_button.isEnabled()
    row = window.overview.table.rows[Category.INVOICES]
    assert row.config.start_date == start_before


def test_cancel_after_the_preview_writes_nothing(window, connected, qtbot):
    sync(qtbot, window)
    make_old_scoro_invoices(connected, ["6701"])
    before = numbers(qbo_invoices(connected))
    dialog = open_dialog(qtbot, window)
    dialog.from_date.setDate(QDate(2025, 1, 1))
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.preview_result is not None, timeout=30_000)
    assert tree_rows(dialog) == {"To create": ["Invoice 6701"]}
    # Another date needs its own preview before anything can be imported.
    dialog.from_date.setDate(QDate(2025, 2, 1))
    assert not dialog.import_button.isEnabled()

    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    drain(qtbot)

    assert not dialog.isVisible() and dialog.import_result is None
    assert numbers(qbo_invoices(connected)) == before
