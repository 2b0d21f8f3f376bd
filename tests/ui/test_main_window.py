"""Main window rules over the fake service: fast and deterministic."""

from __future__ import annotations

import datetime as dt
import threading

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from qbsync_desktop.domain import Category, Direction
from qbsync_desktop.ui import worker
from qbsync_desktop.ui.overview import from_qdate, to_qdate

from .conftest import drain
from .fakes import FLOOR


def test_entity_list_shows_each_connection_with_status_R03(window):
    texts = [window.entity_list.item(i).text() for i in range(window.entity_list.count())]
    assert len(texts) == 2
    assert "Acme OÜ" in texts[0] and "EUR ⇄ EUR" in texts[0] and "Connected" in texts[0]
    assert "Acme Ltd" in texts[1] and "Blocked: currencies differ" in texts[1]


def test_fixed_directions_are_text_not_combos(window):
    rows = window.overview.table.rows
    for category in (
        Category.PROJECTS,
        Category.CLASSES,
        Category.BACKGROUND,
        Category.ATTACHMENTS,
    ):
        row = rows[category]
        assert row.direction_combo.isHidden()
        assert not row.direction_label.isHidden()
        assert row.direction_label.text() == category.fixed_direction.label
    contacts = rows[Category.CONTACTS]
    assert not contacts.direction_combo.isHidden()
    assert contacts.direction_label.isHidden()


def test_direction_change_goes_to_service(window, fake_svc):
    row = window.overview.table.rows[Category.CONTACTS]
    index = row.direction_combo.findData(Direction.QBO_TO_SCORO)
    row.direction_combo.setCurrentIndex(index)
    row.direction_combo.activated.emit(index)
    assert fake_svc.cats[1][Category.CONTACTS].direction is Direction.QBO_TO_SCORO


def test_R40_start_date_floor_is_first_connection(window, fake_svc):
    row = window.overview.table.rows[Category.INVOICES]
    assert from_qdate(row.start_date.minimumDate()) == FLOOR
    row.start_date.setDate(to_qdate(FLOOR - dt.timedelta(days=30)))
    assert from_qdate(row.start_date.date()) == FLOOR  # the widget cannot go below the floor
    row.start_date.setDate(to_qdate(FLOOR + dt.timedelta(days=3)))
    row.start_date.editingFinished.emit()
    assert fake_svc.cats[1][Category.INVOICES].start_date == FLOOR + dt.timedelta(days=3)


def test_R40_start_date_locked_after_initial_sync(window, fake_svc, qtbot):
    row = window.overview.table.rows[Category.INVOICES]
    assert row.start_date.isEnabled()
    window.start_run(1, [Category.INVOICES])
    drain(qtbot)
    assert not row.start_date.isEnabled()
    assert "Locked" in row.start_date.toolTip() and "R40" in row.start_date.toolTip()


def test_R37_unavailable_category_says_why(window):
    row = window.overview.table.rows[Category.CLASSES]
    assert "class tracking" in row.result_text.text()
    assert not row.enabled.isEnabled()
    assert not row.sync_button.isEnabled()


def test_R50_R51_bookmark_picker_with_note(window, qtbot):
    row = window.overview.table.rows[Category.INVOICES]
    qtbot.waitUntil(lambda: row.bookmark_combo.count() == 2)
    assert row.bookmark_combo.itemText(1) == "Sent invoices"
    assert "not applied" in row.bookmark_info.toolTip()
    assert window.overview.table.rows[Category.PRODUCTS].bookmark_combo is None


def test_R42_synchronize_now_shortcut_runs_with_progress(window, fake_svc, qtbot):
    fake_svc.run_seconds = 0.5
    seen = []
    window.bridge.progress.connect(lambda ev: seen.append(window.progress.value()))
    with qtbot.waitSignal(window.run_done, timeout=10_000) as blocker:
        qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
        assert not window.sync_action.isEnabled()
        assert window.cancel_action.isEnabled()
    assert blocker.args[0].status == "ok"
    assert seen and max(seen) > 0
    assert fake_svc.calls[-1][0] == "run" and fake_svc.calls[-1][2] is None
    # the run happened on a worker thread, never on the GUI thread
    assert fake_svc.run_threads[-1] != threading.current_thread().name
    assert "created" in window.status_label.text()
    assert window.sync_action.isEnabled() and not window.progress.isVisible()
    assert window.history.table.rowCount() == 1


def test_R42_row_sync_button_syncs_one_category(window, fake_svc, qtbot):
    with qtbot.waitSignal(window.run_done, timeout=10_000):
        window.overview.table.rows[Category.PRODUCTS].sync_button.click()
    assert fake_svc.calls[-1][:3] == ("run", 1, [Category.PRODUCTS])


def test_cancel_stops_the_run(window, fake_svc, qtbot):
    fake_svc.run_seconds = 5.0
    with qtbot.waitSignal(window.run_done, timeout=10_000) as blocker:
        window.synchronize_now()
        qtbot.waitUntil(lambda: window.progress.maximum() > 0)
        window.cancel_action.trigger()
    assert blocker.args[0].status == "cancelled"


def test_preview_shows_plan_and_changes_nothing(window, fake_svc, qtbot):
    with qtbot.waitSignal(window.run_done, timeout=10_000):
        window.preview_action.trigger()
    assert fake_svc.calls[-1][3] is True  # dry_run
    dialog = window.preview_dialog
    assert dialog is not None and dialog.isVisible()
    top = dialog.tree.topLevelItem(0)
    assert top.text(0) in {c.label for c in Category}
    assert "Nothing has been changed" in dialog.summary.text()
    assert not fake_svc.runs  # no real run recorded
    dialog.close()


def test_R06_sync_disabled_until_settings_complete(window, fake_svc):
    panel = window.overview.settings
    panel.income.setCurrentIndex(0)
    panel.income.activated.emit(0)
    assert fake_svc.settings[1].default_income_account is None
    assert not window.sync_action.isEnabled()
    assert window.overview.missing.isVisibleTo(window)
    assert "income account" in window.overview.missing.text()
    panel.income.setCurrentIndex(1)
    panel.income.activated.emit(1)
    assert window.sync_action.isEnabled()


def test_R41_automatic_mode_saved(window, fake_svc):
    panel = window.overview.settings
    panel.frequency.setCurrentIndex(panel.frequency.findData("weekly"))
    panel.automatic.setChecked(True)
    assert fake_svc.settings[1].mode == "weekly"
    panel.manual.setChecked(True)
    assert fake_svc.settings[1].mode == "manual"


def test_R46_bills_without_tax_and_R55_attachment_mode(window, fake_svc):
    panel = window.overview.settings
    panel.no_tax.setChecked(True)
    panel.att_manual.setChecked(True)
    assert fake_svc.settings[1].bills_without_tax is True
    assert fake_svc.settings[1].attachments_mode == "manual"


def test_review_badge_and_conflict_side_by_side(window):
    assert window.tabs.tabText(1) == "Review (2)"
    assert window.review_action.text() == "Review (2)"
    window.show_review()
    review = window.review
    review.select(11)
    assert not review.fields.isHidden()
    assert [review.fields.horizontalHeaderItem(i).text() for i in range(4)] == [
        "",
        "Scoro",
        "Last synced",
        "QuickBooks",
    ]
    # Due date changed on both sides: both highlighted; base not
    assert review.fields.item(0, 1).data(Qt.ItemDataRole.UserRole) == "changed"
    assert review.fields.item(0, 3).data(Qt.ItemDataRole.UserRole) == "changed"
    assert review.fields.item(0, 2).data(Qt.ItemDataRole.UserRole) is None
    # quantity changed only in Scoro
    assert review.fields.item(1, 1).data(Qt.ItemDataRole.UserRole) == "changed"
    assert review.fields.item(1, 3).data(Qt.ItemDataRole.UserRole) is None
    visible = [k for k, b in review.buttons.items() if not b.isHidden()]
    assert visible == ["take_source", "keep_target", "dismiss"]
    assert review.buttons["take_source"].text() == "Send Scoro's version"
    assert review.buttons["keep_target"].text() == "Keep QuickBooks'"


def test_resolve_conflict_from_review_panel(window, fake_svc, qtbot):
    window.review.select(11)
    with qtbot.waitSignal(window.review.resolved, timeout=5000):
        window.review.buttons["take_source"].click()
    assert ("resolve", 11, "take_source") in fake_svc.calls
    assert window.review.count() == 1
    assert window.tabs.tabText(1) == "Review (1)"


def test_warning_details_and_retry(window, fake_svc, qtbot):
    window.review.select(12)
    assert window.review.fields.columnCount() == 2
    assert [k for k, b in window.review.buttons.items() if not b.isHidden()] == ["dismiss", "retry"]


def test_log_level_filter_find_and_export(window, tmp_path, qtbot):
    pane = window.log_pane
    assert len(pane.visible_rows()) == 3
    pane.level.setCurrentIndex(2)  # warnings and errors
    assert len(pane.visible_rows()) == 2
    pane.level.setCurrentIndex(0)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert pane.find.hasFocus() or window.focusWidget() is pane.find
    pane.find.setText("INV-1043")
    rows = pane.visible_rows()
    assert len(rows) == 1 and "two projects" in rows[0][3]
    out = tmp_path / "log.csv"
    assert pane.export_csv(out) == 1
    text = out.read_text("utf-8")
    assert text.splitlines()[0] == "Time,Level,Category,Message"
    assert "INV-1043" in text


def test_R43_R53_R55_documents_send_pull_attach(window, fake_svc, qtbot):
    docs = window.documents
    window.tabs.setCurrentIndex(2)
    docs.text.setText("INV")
    docs.search()
    qtbot.waitUntil(lambda: docs.table.rowCount() == 2)
    docs.table.selectRow(1)  # paid: cannot be sent (R43)
    assert not docs.send_button.isEnabled()
    assert docs.receipts_button.isEnabled()
    docs.table.clearSelection()
    docs.table.selectRow(0)
    assert docs.send_button.isEnabled()
    docs.send_button.click()
    qtbot.waitUntil(lambda: any(c[0] == "send_one" for c in fake_svc.calls))
    drain(qtbot)
    docs.table.clearSelection()
    docs.table.selectRow(0)
    docs.attachments_button.click()
    qtbot.waitUntil(lambda: any(c[0] == "send_attachments" for c in fake_svc.calls))
    drain(qtbot)
    docs.table.clearSelection()
    docs.table.selectRow(0)
    docs.receipts_button.click()
    qtbot.waitUntil(lambda: any(c[0] == "pull_receipts" for c in fake_svc.calls))
    drain(qtbot)


def test_R41_automatic_sync_runs_what_is_due(window, fake_svc, qtbot):
    fake_svc.due_answer = [(1, [Category.BACKGROUND])]
    with qtbot.waitSignal(window.run_done, timeout=10_000):
        window.check_due()
    run = next(c for c in fake_svc.calls if c[0] == "run")
    assert run[2] == [Category.BACKGROUND] and run[4] == "automatic"


def test_overdue_sync_runs_at_launch(make_window, fake_svc, qtbot):
    fake_svc.due_answer = [(1, None)]
    w = make_window(fake_svc)
    w.show()
    with qtbot.waitSignal(w.run_done, timeout=10_000):
        w.start()
    assert w.auto_timer.isActive() and w.auto_timer.interval() == 60_000
    assert ("run", 1, None, False, "automatic") in fake_svc.calls


def test_currency_blocked_connection_cannot_sync(window):
    window.select_connection(2)
    assert window.connection_id == 2
    assert not window.sync_action.isEnabled()
    assert window.header.currencies.isVisibleTo(window)
    assert "currencies differ" in window.header.status.text()


def test_disconnect_asks_first(window, fake_svc, answers, qtbot):
    answers.append(False)
    window.header.disconnect.click()
    assert answers.asked and "Disconnect" in answers.asked[0]
    assert ("disconnect", 1) not in fake_svc.calls
    answers.append(True)
    window.header.disconnect.click()
    qtbot.waitUntil(lambda: ("disconnect", 1) in fake_svc.calls)
    drain(qtbot)
    assert "Disconnected" in window.entity_list.item(0).text()


def test_errors_say_what_happened_and_what_to_do(window, fake_svc, qtbot, monkeypatch):
    from qbsync_desktop.domain.errors import ServiceUnavailable

    def broken(*a, **k):
        raise ServiceUnavailable("QuickBooks did not answer.", side="quickbooks")

    monkeypatch.setattr(fake_svc, "run", broken)
    with qtbot.waitSignal(window.run_done, timeout=5000):
        window.synchronize_now()
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert boxes
    text = boxes[-1].text() + boxes[-1].informativeText()
    assert "QuickBooks did not answer." in text and "try again" in text
    for b in boxes:
        b.close()


def test_geometry_and_choices_remembered(make_window, fake_svc, ui_settings):
    w = make_window(fake_svc)
    w.resize(700, 500)
    w.log_pane.level.setCurrentIndex(2)
    w.select_connection(2)
    w.save_settings()
    w2 = make_window(fake_svc)
    assert w2.log_pane.level.currentIndex() == 2
    assert w2.connection_id == 2
    assert w2.size().width() == 700


def test_worker_delivers_on_gui_thread(qtbot):
    main = threading.current_thread()
    seen = {}

    def work():
        seen["worker"] = threading.current_thread()
        return 42

    task = worker.run_task(work, lambda r: seen.setdefault("callback", threading.current_thread()))
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert seen["worker"] is not main and seen["callback"] is main and task.result == 42

    errors = []
    task = worker.run_task(lambda: 1 / 0, None, errors.append)
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert isinstance(errors[0], ZeroDivisionError)


def test_accessible_names_and_tooltips(window):
    for widget in (
        window.entity_list,
        window.log_pane.find,
        window.log_pane.level,
        window.review.list,
        window.documents.text,
    ):
        assert widget.accessibleName()
    for action in (window.sync_action, window.preview_action, window.cancel_action):
        assert action.toolTip()
    assert window.sync_action.shortcut().toString() == "Ctrl+R"
    assert window.refresh_action.shortcut().toString() == "F5"
