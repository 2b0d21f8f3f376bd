"""The main window over the real SyncService, both sandboxes and real HTTP.

Each test gets its own demo world (about 0.3 s), Acme OÜ connected through the real OAuth
flow (`connected`), and checks what the bookkeeper sees and what ends up in QuickBooks/Scoro.
"""

from __future__ import annotations

import csv
import datetime as dt
import threading

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from qbsync_desktop.domain import Category, Direction
from qbsync_desktop.sync.types import ConnectionStatus
from qbsync_desktop.ui import worker
from qbsync_desktop.ui.overview import from_qdate, to_qdate
from tests.fixtures.event_loop import LoopGaps
from tests.support.demo import realm_of
from tests.support.ui_runs import drain, sync

REALM = realm_of("acme_ee")


def configs(world):
    return {c.category: c for c in world.svc.categories(world.info.id)}


def qbo_objects(world, entity, realm=REALM) -> list[dict]:
    return world.qbo_ctl("GET", f"objects/{realm}/{entity}")[entity]


def qbo_counts(world, realm=REALM) -> dict:
    return world.qbo_ctl("GET", "stats")["objects"][realm]


def scoro_id_of(world, module, field, value) -> str:
    return next(
        str(r.get("id") or r.get("product_id") or r.get("contact_id"))
        for r in world.scoro_list(module)
        if r.get(field) == value
    )


def make_product_conflict(world) -> None:
    """The same product edited in QuickBooks and in Scoro since the last sync."""
    item = next(i for i in qbo_objects(world, "Item") if i["Name"] == "Hosting (monthly)")
    world.qbo_ctl("POST", f"objects/{REALM}/Item", Id=item["Id"], UnitPrice=45)
    pid = scoro_id_of(world, "products", "name", "Hosting (monthly)")
    world.scoro_edit("products", pid, price="59.90")


def visible_boxes(window) -> list[QMessageBox]:
    return [b for b in window.findChildren(QMessageBox) if b.isVisible()]


# --- entities and the category table ------------------------------------------------------


def test_entity_list_shows_connected_and_not_connected_entities_R03(window, qtbot):
    qtbot.waitUntil(lambda: window.entity_list.count() == 3, timeout=20_000)
    texts = [window.entity_list.item(i).text() for i in range(3)]
    assert "Acme OÜ" in texts[0] and "EUR ⇄ EUR" in texts[0] and "Connected" in texts[0]
    assert sorted(t.split("\n")[0] for t in texts[1:]) == ["Acme Inc", "Acme Ltd"]
    assert all("not connected" in t for t in texts[1:])
    assert window.connection_id == window.connections[0].id  # the connection stays selected


def test_fixed_directions_are_text_not_combos(window):
    rows = window.overview.table.rows
    for category in (Category.PROJECTS, Category.CLASSES, Category.BACKGROUND):
        row = rows[category]
        assert row.direction_combo.isHidden()
        assert not row.direction_label.isHidden()
        assert row.direction_label.text() == category.fixed_direction.label
    contacts = rows[Category.CONTACTS]
    assert not contacts.direction_combo.isHidden()
    assert contacts.direction_label.isHidden()


def test_direction_change_goes_to_the_service(window, connected):
    row = window.overview.table.rows[Category.CONTACTS]
    index = row.direction_combo.findData(Direction.QBO_TO_SCORO)
    row.direction_combo.setCurrentIndex(index)
    row.direction_combo.activated.emit(index)
    assert configs(connected)[Category.CONTACTS].direction is Direction.QBO_TO_SCORO


def test_R40_start_date_floor_then_locked_after_the_first_sync(window, connected, qtbot):
    floor = connected.svc.connection(connected.info.id).first_connected_at.date()
    row = window.overview.table.rows[Category.INVOICES]
    assert from_qdate(row.start_date.minimumDate()) == floor
    row.start_date.setDate(to_qdate(floor - dt.timedelta(days=30)))
    assert from_qdate(row.start_date.date()) == floor  # the widget cannot go below the floor
    later = floor + dt.timedelta(days=3)
    row.start_date.setDate(to_qdate(later))
    row.start_date.editingFinished.emit()
    assert configs(connected)[Category.INVOICES].start_date == later
    assert row.start_date.isEnabled()
    row.start_date.setDate(to_qdate(floor))  # back, so the demo invoices are in range
    row.start_date.editingFinished.emit()
    assert sync(qtbot, window, [Category.INVOICES]).status in ("ok", "review")
    assert configs(connected)[Category.INVOICES].start_date_locked
    assert not row.start_date.isEnabled()
    assert "Locked" in row.start_date.toolTip() and "R40" not in row.start_date.toolTip()
    # Categories that have not run yet keep their date editable.
    assert window.overview.table.rows[Category.BILLS].config.start_date_locked is False


def test_R37_unavailable_category_says_why(make_window, world, qtbot):
    world.qbo_ctl("POST", f"company/{REALM}", class_tracking="off")
    world.info = world.connect("acme_ee")
    window = make_window(world.svc)
    row = window.overview.table.rows[Category.CLASSES]
    assert "class tracking" in row.result_text.text().lower()
    assert not row.enabled.isEnabled()
    assert not row.sync_button.isEnabled()


def test_R50_R51_bookmark_picker_with_note(window, qtbot):
    row = window.overview.table.rows[Category.INVOICES]
    qtbot.waitUntil(lambda: row.bookmark_combo.count() > 1, timeout=20_000)
    names = [row.bookmark_combo.itemText(i) for i in range(row.bookmark_combo.count())]
    assert names[0] == "All (no bookmark)" and len(names) > 1
    assert "not applied" in row.bookmark_info.toolTip()
    assert window.overview.table.rows[Category.PRODUCTS].bookmark_combo is None


def test_R06_sync_disabled_until_the_settings_are_complete(make_window, world, qtbot):
    world.info = world.connect("acme_ee", settings=False)
    window = make_window(world.svc)
    window.show()
    assert not window.sync_action.isEnabled()
    assert window.overview.missing.isVisibleTo(window)
    assert "income account" in window.overview.missing.text()
    panel = window.overview.settings
    panel.manual.click()
    panel.income.setCurrentIndex(1)
    panel.income.activated.emit(1)
    assert not window.sync_action.isEnabled()
    panel.expense.setCurrentIndex(1)
    panel.expense.activated.emit(1)
    assert world.svc.settings_complete(world.info.id) == []
    assert window.sync_action.isEnabled()
    assert not window.overview.missing.isVisibleTo(window)


def test_R41_R46_R55_settings_are_saved(window, connected):
    panel = window.overview.settings
    panel.frequency.setCurrentIndex(panel.frequency.findData("weekly"))
    panel.automatic.click()
    assert connected.svc.sync_settings(connected.info.id).mode == "weekly"
    panel.manual.click()
    assert connected.svc.sync_settings(connected.info.id).mode == "manual"
    panel.no_tax.click()
    panel.att_manual.click()
    saved = connected.svc.sync_settings(connected.info.id)
    assert saved.bills_without_tax is True and saved.attachments_mode == "manual"


# --- running ------------------------------------------------------------------------------


def test_R42_ctrl_r_syncs_on_a_worker_with_progress_in_the_status_bar(window, connected, qtbot):
    shown = []
    window.bridge.progress.connect(
        lambda _ev: shown.append((window.status_label.text(), window.progress.isVisible()))
    )
    gui = threading.current_thread()
    threads = []
    connected.svc.add_listener(lambda _ev: threads.append(threading.current_thread()))
    ticker = LoopGaps()
    ticker.start()
    with qtbot.waitSignal(window.run_done, timeout=60_000) as blocker:
        qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
        assert not window.sync_action.isEnabled()
        assert window.cancel_action.isEnabled()
        assert window.progress.isVisible()
    ticker.stop()
    drain(qtbot)
    assert ticker.longest < 0.25, f"the event loop stalled for {ticker.longest * 1000:.0f} ms"
    result = blocker.args[0]
    assert result.status in ("ok", "review"), result.message
    assert result.created > 0
    assert any(text.startswith("Syncing ") and visible for text, visible in shown), shown[:5]
    assert threads and all(t is not gui for t in threads)  # the service ran off the GUI thread
    assert "created" in window.status_label.text()
    assert window.sync_action.isEnabled() and not window.progress.isVisible()
    assert window.history.table.rowCount() >= 1
    assert window.log_pane.model.rowCount() > 0
    assert len(qbo_objects(connected, "Invoice")) > 0


def test_R42_button_sync_and_row_sync_button(window, connected, qtbot):
    with qtbot.waitSignal(window.run_done, timeout=60_000):
        window.overview.table.rows[Category.PRODUCTS].sync_button.click()
    drain(qtbot)
    cfg = configs(connected)
    assert cfg[Category.PRODUCTS].last_run_at is not None
    assert cfg[Category.INVOICES].last_run_at is None  # only the row's category ran
    products = window.overview.table.rows[Category.PRODUCTS]
    assert products.result_text.text() and products.result_text.text() != "not synced yet"
    # The toolbar button runs everything enabled.
    button = window.toolbar.widgetForAction(window.sync_action)
    with qtbot.waitSignal(window.run_done, timeout=60_000) as blocker:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    drain(qtbot)
    assert blocker.args[0].status in ("ok", "review")
    assert configs(connected)[Category.INVOICES].last_run_at is not None


def test_cancel_stops_the_run(window, connected, qtbot):
    connected.qbo_ctl("POST", "faults", type="slow", seconds=0.2, count=200)
    with qtbot.waitSignal(window.run_done, timeout=60_000) as blocker:
        window.synchronize_now()
        qtbot.waitUntil(lambda: window.status_label.text().startswith("Syncing"), timeout=20_000)
        window.cancel_action.trigger()
        assert "Cancelling" in window.status_label.text()
    drain(qtbot)
    connected.qbo_ctl("DELETE", "faults")
    assert blocker.args[0].status == "cancelled"
    assert not window.runs and window.sync_action.isEnabled()
    assert "Cancelled" in window.status_label.text()


def test_preview_shows_the_plan_and_changes_nothing(window, connected, qtbot):
    before = qbo_counts(connected)
    scoro_before = connected.scoro_ctl("GET", "stats")["objects"]
    with qtbot.waitSignal(window.run_done, timeout=60_000):
        window.preview_action.trigger()
    drain(qtbot)
    dialog = window.preview_dialog
    assert dialog is not None and dialog.isVisible()
    assert "Nothing has been changed" in dialog.summary.text()
    assert "to create" in dialog.summary.text()
    labels = [dialog.tree.topLevelItem(i).text(0) for i in range(dialog.tree.topLevelItemCount())]
    assert "Invoices and credit notes" in labels and "Contacts" in labels
    assert qbo_counts(connected) == before
    assert connected.scoro_ctl("GET", "stats")["objects"] == scoro_before
    runs = connected.svc.history(connected.info.id)
    assert all(r.dry_run or r.trigger == "connect" for r in runs)
    dialog.close()


def test_R41_automatic_sync_runs_what_is_due(window, connected, qtbot):
    panel = window.overview.settings
    panel.frequency.setCurrentIndex(panel.frequency.findData("hourly"))
    panel.automatic.click()
    due = connected.svc.due(dt.datetime.now(dt.UTC))
    assert [cid for cid, _ in due] == [connected.info.id]
    with qtbot.waitSignal(window.run_done, timeout=60_000) as blocker:
        window.start()  # at launch an overdue sync runs right away, then every minute a check
    drain(qtbot)
    assert window.auto_timer.isActive() and window.auto_timer.interval() == 60_000
    assert blocker.args[0].status in ("ok", "review")
    assert connected.svc.history(connected.info.id)[0].trigger == "automatic"
    assert connected.svc.due(dt.datetime.now(dt.UTC)) == []  # not due again within the hour


# --- review -------------------------------------------------------------------------------


def test_review_panel_lists_real_items_and_dismiss_updates_the_badge(window, connected, qtbot):
    assert sync(qtbot, window).status == "review"
    review = window.review
    types = sorted(i.type for i in review.items)
    assert types == ["currency_mismatch", "multiple_projects", "outdated_tax_rate"]
    assert window.tabs.tabText(1) == "Review (3)"
    assert window.review_action.text() == "Review (3)"
    window.show_review()
    currency = next(i for i in review.items if i.type == "currency_mismatch")
    review.select(currency.id)
    assert "one currency per contact" in review.message.text()
    assert review.fields.isHidden() or review.fields.columnCount() == 2
    visible = [k for k, b in review.buttons.items() if not b.isHidden()]
    assert sorted(visible) == ["dismiss", "retry"]
    projects = next(i for i in review.items if i.type == "multiple_projects")
    review.select(projects.id)
    with qtbot.waitSignal(review.resolved, timeout=20_000):
        review.buttons["dismiss"].click()
    drain(qtbot)
    assert review.count() == 2
    assert connected.svc.review_count(connected.info.id) == 2
    assert window.tabs.tabText(1) == "Review (2)"
    assert "2 to review" in window.entity_list.item(0).text()


def test_conflict_side_by_side_and_send_scoros_version(window, connected, qtbot):
    sync(qtbot, window)
    make_product_conflict(connected)
    assert sync(qtbot, window, [Category.PRODUCTS]).status == "review"
    review = window.review
    conflict = next(i for i in review.items if i.type == "conflict")
    count = review.count()
    window.show_review()
    review.filter.setCurrentIndex(review.filter.findData("conflict"))
    assert review.list.count() == 1
    review.select(conflict.id)
    assert "changed in both systems" in review.heading.text()
    assert not review.fields.isHidden()
    headers = [review.fields.horizontalHeaderItem(i).text() for i in range(4)]
    assert headers == ["", "Scoro", "Last synced", "QuickBooks"]
    rows = {review.fields.item(r, 0).text(): r for r in range(review.fields.rowCount())}
    r = rows["Unit price"]
    assert [review.fields.item(r, c).text() for c in (1, 2, 3)] == ["59.9", "49.9", "45"]
    changed = [review.fields.item(r, c).data(Qt.ItemDataRole.UserRole) for c in (1, 2, 3)]
    assert changed == ["changed", None, "changed"]  # both sides moved away from the base
    visible = [k for k, b in review.buttons.items() if not b.isHidden()]
    assert visible == ["take_source", "keep_target", "dismiss"]
    assert review.buttons["take_source"].text() == "Send Scoro's version"
    with qtbot.waitSignal(review.resolved, timeout=60_000):
        review.buttons["take_source"].click()
    drain(qtbot)
    item = next(i for i in qbo_objects(connected, "Item") if i["Name"] == "Hosting (monthly)")
    assert str(item["UnitPrice"]) == "59.9"
    assert review.count() == count - 1
    assert window.tabs.tabText(1) == f"Review ({count - 1})"


# --- log and documents --------------------------------------------------------------------


def test_log_level_filter_find_and_export(window, tmp_path, qtbot):
    assert sync(qtbot, window).status == "review"
    pane = window.log_pane
    everything = pane.visible_rows()
    assert len(everything) > 3
    pane.level.setCurrentIndex(pane.level.findData(30))  # warnings and errors
    warnings = pane.visible_rows()
    assert 0 < len(warnings) < len(everything)
    assert all(row[1] in ("Warning", "Error", "Critical") for row in warnings)
    pane.level.setCurrentIndex(0)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.focusWidget() is pane.find or pane.find.hasFocus()
    pane.find.setText("1004")
    rows = pane.visible_rows()
    assert rows and all("1004" in row[3] or "1004" in row[2] for row in rows)
    out = tmp_path / "log.csv"
    assert pane.export_csv(out) == len(rows)
    with out.open(encoding="utf-8", newline="") as fh:
        data = list(csv.reader(fh))
    assert data[0] == ["Time", "Level", "Category", "Message"]
    assert data[1:] == rows
    assert any("USD" in row[3] for row in data[1:])  # Invoice 1004's currency hold


def test_R43_documents_search_send_and_a_paid_one_refused(window, connected, qtbot):
    # Contacts and products first, so one invoice can then be sent on its own.
    sync(qtbot, window, [Category.CONTACTS, Category.PRODUCTS, Category.PROJECTS])
    docs = window.documents
    window.tabs.setCurrentIndex(2)
    docs.search()
    qtbot.waitUntil(
        lambda: docs.search_button.isEnabled() and docs.table.rowCount() > 0, timeout=20_000
    )
    numbers = [docs.table.item(r, 0).text() for r in range(docs.table.rowCount())]
    assert "1001" in numbers and "1005" in numbers
    paid = numbers.index("1001")
    docs.table.selectRow(paid)
    assert not docs.send_button.isEnabled()
    assert "payment" in docs.status.text().lower() and "R43" not in docs.status.text()
    assert docs.receipts_button.isEnabled()
    before = len(qbo_objects(connected, "Invoice"))
    docs.table.clearSelection()
    docs.table.selectRow(numbers.index("1005"))
    assert docs.send_button.isEnabled()
    with qtbot.waitSignal(docs.action_finished, timeout=60_000) as blocker:
        docs.send_button.click()
    drain(qtbot)
    assert blocker.args[0].status in ("ok", "review"), blocker.args[0].message
    assert len(qbo_objects(connected, "Invoice")) == before + 1
    row = [docs.table.item(r, 0).text() for r in range(docs.table.rowCount())].index("1005")
    assert docs.table.item(row, 5).text().startswith("#")  # now linked in QuickBooks


def test_R43_sending_a_paid_invoice_is_refused_with_the_message(window, connected, qtbot):
    """Even when the list is out of date, the service's refusal reaches the bookkeeper."""
    sync(qtbot, window)
    docs = window.documents
    docs.search()
    qtbot.waitUntil(
        lambda: docs.search_button.isEnabled() and docs.table.rowCount() > 0, timeout=20_000
    )
    numbers = [docs.table.item(r, 0).text() for r in range(docs.table.rowCount())]
    # Pretend the list was read before the payment arrived: the button lets it through.
    row = numbers.index("1001")
    docs.results[row] = type(docs.results[row])(
        **{**docs.results[row].__dict__, "can_send": True, "why_not": ""}
    )
    docs.table.selectRow(row)
    with qtbot.waitSignal(docs.action_finished, timeout=60_000) as blocker:
        docs.send_button.click()
    drain(qtbot)
    assert blocker.args[0].status == "failed"
    assert "payment" in blocker.args[0].message.lower()
    assert "1001" in docs.status.text() and "payment" in docs.status.text().lower()


# --- connection actions, errors, settings -------------------------------------------------


def test_currency_blocked_connection_cannot_sync_until_fixed(make_window, world, qtbot):
    world.info = world.connect("acme_uk")
    window = make_window(world.svc)
    window.show()
    assert window.current().status is ConnectionStatus.CURRENCY_BLOCKED
    assert not window.sync_action.isEnabled()
    assert not window.header.currencies.isHidden()
    assert "currencies differ" in window.header.status.text()
    world.qbo_ctl("POST", f"company/{realm_of('acme_uk')}", multicurrency=True)
    window.header.currencies.click()
    qtbot.waitUntil(lambda: window.current().status is ConnectionStatus.ACTIVE, timeout=20_000)
    drain(qtbot)
    assert window.header.currencies.isHidden()


def test_disconnect_asks_first(window, connected, answers, qtbot):
    answers.append(False)
    window.header.disconnect.click()
    assert answers.asked and "Disconnect" in answers.asked[0]
    assert connected.svc.connection(connected.info.id).status is ConnectionStatus.ACTIVE
    answers.append(True)
    window.header.disconnect.click()
    qtbot.waitUntil(
        lambda: connected.svc.connection(connected.info.id).status is ConnectionStatus.DISCONNECTED,
        timeout=20_000,
    )
    drain(qtbot)
    assert "Disconnected" in window.entity_list.item(0).text()
    assert not window.sync_action.isEnabled()
    assert window.header.reconnect.text() == "Connect…"  # keys are gone: asked again


def test_errors_say_what_happened_and_what_to_do(window, connected, qtbot):
    """QuickBooks unreachable: the run stops and the message says nothing is lost."""
    connected.env.qbo.stop()
    result = sync(qtbot, window)
    assert result.status == "failed"
    boxes = visible_boxes(window)
    assert boxes
    assert boxes[-1].text() == "The sync did not finish."
    details = boxes[-1].informativeText()
    assert "QuickBooks could not be reached" in details  # what happened
    assert "Nothing was lost" in details and "Synchronize now" in details  # what to do
    assert "Failed" in window.status_label.text()
    for b in boxes:
        b.close()


def test_geometry_and_choices_remembered(make_window, connected, qtbot):
    connected.connect("acme_us")
    w = make_window(connected.svc)
    w.show()
    w.resize(w.width(), 580)  # the offscreen screen is 800×600
    w.log_pane.level.setCurrentIndex(2)
    second = w.connections[1].id
    w.select_connection(second)
    w.tabs.setCurrentIndex(3)
    w.close()
    w2 = make_window(connected.svc)
    assert w2.log_pane.level.currentIndex() == 2
    assert w2.connection_id == second
    assert w2.size().height() == 580
    assert w2.tabs.currentIndex() == 3


def test_worker_delivers_on_the_gui_thread(qtbot):
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
