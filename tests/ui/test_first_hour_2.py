"""A bookkeeper's first hour, part two: fixes inside the app, a first run that waits for
Finish, counts that agree, a log that reads well, navigation, a dark palette. Driven through
the visible widgets over the real service and both sandboxes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit

from qbsync_desktop.domain import Kind
from qbsync_desktop.store import models as m
from qbsync_desktop.store.migrations import MIGRATIONS
from qbsync_desktop.sync import review as review_mod
from tests.support.ui_runs import drain, sync


def open_item(qtbot, window, item_type: str):
    window.show_review()
    review = window.review
    item = next(i for i in review.items if i.type == item_type)
    review.select(item.id)
    drain(qtbot)
    return review, item


# --- 2. Fix it here -----------------------------------------------------------------------


def test_store_has_the_mapping_table_as_version_4():
    assert len(MIGRATIONS) >= 4
    assert MIGRATIONS[3].__name__ == "_v4_target_mappings"
    assert m.TargetMapping in m.ALL_MODELS


def test_outdated_tax_rate_maps_to_a_current_rate_remembered_per_connection(
    window, connected, qtbot
):
    assert sync(qtbot, window).status == "review"
    review, item = open_item(qtbot, window, "outdated_tax_rate")
    assert review.fix_box.isVisible()
    assert "VAT 22%" in review.fix_text.text()
    # The details name the rate; the Scoro id the app keeps for itself is not shown.
    shown = {review.fields.item(r, 0).text(): review.fields.item(r, 1).text()
             for r in range(review.fields.rowCount())}  # fmt: skip
    assert shown == {"Tax rate": "VAT 22%"}
    combo = review.tax_choice
    assert combo.isVisible()
    names = [combo.itemText(i) for i in range(combo.count())]
    assert "VAT 24%" in names and "VAT 22%" not in names  # only current rates
    assert not review.fix_button.isEnabled()  # nothing chosen yet
    combo.setCurrentIndex(combo.findText("VAT 24%"))
    assert review.fix_button.isEnabled()
    with qtbot.waitSignal(review.resolved, timeout=30_000):
        qtbot.mouseClick(review.fix_button, Qt.MouseButton.LeftButton)
    drain(qtbot)
    conn = m.Connection.get_by_id(connected.info.id)
    mapping = review_mod.tax_rate_mappings(conn)
    vat24 = connected.svc.tax_rate_fix(item.id)["choices"]
    assert list(mapping.values()) == [next(i for i, name in vat24 if name == "VAT 24%")]
    # The engine sends the old Scoro rate as the chosen QuickBooks one.
    from qbsync_desktop.domain import Ref, Side
    from qbsync_desktop.sync.engine import Engine

    scoro_id, qbo_id = next(iter(mapping.items()))
    engine = Engine.__new__(Engine)
    engine.conn = conn
    engine.links = None
    engine.dry_run = False
    resolve = Engine.resolver(engine, Side.SCORO)
    assert resolve(Ref(Kind.TAX_RATE, Side.SCORO, scoro_id)) == Ref(Kind.TAX_RATE, Side.QBO, qbo_id)
    # Shown again, the choice made is preselected.
    review.refresh()
    if any(i.id == item.id for i in review.items):
        review.select(item.id)
        assert review.tax_choice.currentText() == "VAT 24%"
    drain(qtbot)  # the selection reads the choices in the background: let it answer


def test_outdated_tax_rate_mapped_is_sent(window, connected, qtbot):
    assert sync(qtbot, window).status == "review"
    review, item = open_item(qtbot, window, "outdated_tax_rate")
    review.tax_choice.setCurrentIndex(review.tax_choice.findText("VAT 24%"))
    with qtbot.waitSignal(review.resolved, timeout=30_000):
        review.fix_button.click()
    drain(qtbot)
    assert item.id not in [i.id for i in review.items]


def test_currency_item_offers_a_separate_contact_named_like_bookkeepers_do(
    window, connected, qtbot
):
    assert sync(qtbot, window).status == "review"
    review, item = open_item(qtbot, window, "currency_mismatch")
    qtbot.waitUntil(lambda: review.fix_button.isEnabled(), timeout=20_000)
    assert review.fix_box.isVisible()
    assert not review.tax_choice.isVisible()
    assert "Müller GmbH (USD)" in review.fix_button.text()
    assert "Müller GmbH (USD)" in review.fix_text.text()
    other = review.fix_other.text()
    assert "Scoro" in other and "EUR" in other and "Try again" in other
    with qtbot.waitSignal(review.resolved, timeout=30_000):
        review.fix_button.click()
    drain(qtbot)
    realm = connected.info.qbo_realm_id
    sql = "select * from Customer where DisplayName = 'Müller GmbH (USD)'"
    rows = connected.qbo_query(realm, sql)
    made = rows.get("Customer", [])
    assert len(made) == 1 and made[0]["CurrencyRef"]["value"] == "USD"
    conn = m.Connection.get_by_id(connected.info.id)
    assert (
        m.TargetMapping.select()
        .where((m.TargetMapping.connection == conn) & (m.TargetMapping.currency == "USD"))
        .count()
        == 1
    )
    # Asked again, nothing is made twice.
    review.refresh()
    if any(i.id == item.id for i in review.items):
        review.select(item.id)
        qtbot.waitUntil(lambda: "already in QuickBooks" in review.fix_text.text(), timeout=20_000)
    drain(qtbot)


def test_dismiss_says_what_it_means_and_stays_dismissed_until_the_record_changes(
    window, connected, qtbot
):
    assert sync(qtbot, window).status == "review"
    review, item = open_item(qtbot, window, "currency_mismatch")
    dismiss = review.buttons["dismiss"]
    shown = [review.fields.item(r, 0).text() for r in range(review.fields.rowCount())]
    assert "Fingerprint" not in shown and "Marker" not in shown, shown
    assert "comes back only if the record changes" in dismiss.toolTip()
    assert review.dismiss_note.isVisible()
    assert "Hide this item. It comes back only if the record changes." in (
        review.dismiss_note.text()
    )
    with qtbot.waitSignal(review.resolved, timeout=30_000):
        dismiss.click()
    drain(qtbot)
    assert item.id not in [i.id for i in review.items]
    sync(qtbot, window)
    assert not [i for i in review.items if i.type == "currency_mismatch"]
    # The record changes in Scoro: the item is back.
    inv = next(r for r in connected.scoro_list("invoices") if str(r.get("no")) == "1004")
    connected.scoro_edit("invoices", inv["id"], deadline="2027-03-01")
    sync(qtbot, window)
    assert [i for i in review.items if i.type == "currency_mismatch"]


# --- 1. First run -------------------------------------------------------------------------


def test_first_run_says_what_was_pulled_sets_start_dates_and_waits_for_finish(
    qtbot, make_window, world, browser, answers
):
    from qbsync_desktop.domain import Category
    from qbsync_desktop.ui import wizard as wizard_mod

    from .test_first_hour import authorize

    window = make_window(world.svc, demo=world.env)
    window.show()
    window.open_wizard()
    wiz = window.wizard
    qtbot.waitUntil(wiz.isVisible)
    wiz.next()
    wiz.scoro_page.test_button.click()
    qtbot.waitUntil(wiz.scoro_page.isComplete, timeout=20_000)
    wiz.next()
    authorize(qtbot, wiz)
    said = wiz.auth_page.status.text()
    assert "Pulled from QuickBooks:" in said, said
    cid = wiz.connection_id
    pulled = world.svc.pulled_on_connect(cid)
    assert f"{pulled['account']} accounts, {pulled['tax_rate']} tax rates" in said, said
    # No document synced on connecting: only the background pull ran.
    assert [r.trigger for r in world.svc.history(cid)] == ["connect"]
    wiz.next()
    assert wiz.currentId() == wizard_mod.PAGE_SETTINGS
    page = wiz.settings_page
    invoices = page.dates[Category.INVOICES]
    assert invoices.isVisible() and invoices.isEnabled()
    floor = world.svc.categories(cid)[0].start_date_floor
    assert invoices.minimumDate().toPython() == floor  # R40: not before the first day
    assert "locked" in page.dates_note.text()
    later = floor.replace(day=min(floor.day + 1, 28)) if floor.day < 28 else floor
    invoices.setDate(later)
    page.income.setCurrentIndex(1)
    page.expense.setCurrentIndex(1)
    answers.append(False)  # "Later"
    wiz.accept()
    drain(qtbot)
    saved = {c.category: c for c in world.svc.categories(cid)}
    assert saved[Category.INVOICES].start_date == later
    question = answers.asked[-1]
    assert "no documents have been synced yet" in question
    assert f"Invoices and credit notes from {later.day} {later:%b %Y}" in question, question
    assert [r.trigger for r in world.svc.history(cid)] == ["connect"]
    window.tabs.setCurrentWidget(window.history)
    text = window.history.table.item(0, 7).text()
    assert "No documents were synced" in text and "Sync finished" not in text


# --- 3. Counts agree ----------------------------------------------------------------------


def test_summary_counts_what_review_shows_and_says_matched(window, connected, qtbot):
    result = sync(qtbot, window)
    review_count = connected.svc.review_count(connected.info.id)
    assert window.tabs.tabText(window.tabs.indexOf(window.review)) == f"Review ({review_count})"
    status = window.status_label.text()
    assert f"{review_count} to review" in status, status
    assert "linked" not in status
    if result.linked:
        assert "matched" in status
    # The same word on each category's row, and History's column says what it counts.
    rows = [r.result_text.text() for r in window.overview.table.rows.values()]
    assert not any("linked" in text for text in rows), rows
    assert any("matched" in text for text in rows), rows
    history = window.history.table
    headers = [history.horizontalHeaderItem(c).text() for c in range(history.columnCount())]
    assert "Held" in headers and "To review" not in headers


def test_overview_rows_refresh_after_a_review_item_is_resolved(window, connected, qtbot):
    from qbsync_desktop.domain import Category

    sync(qtbot, window)
    row = window.overview.rows[Category.INVOICES] if hasattr(window.overview, "rows") else None
    table = getattr(window.overview, "table", None)
    row = row or table.rows[Category.INVOICES]
    assert "2 held" in row.result_text.text(), row.result_text.text()
    review, _item = open_item(qtbot, window, "currency_mismatch")
    with qtbot.waitSignal(review.resolved, timeout=30_000):
        review.buttons["dismiss"].click()
    drain(qtbot)
    assert "1 held" in row.result_text.text(), row.result_text.text()


# --- 5. Navigation ------------------------------------------------------------------------


def test_history_rows_open_with_their_log_and_counts(window, connected, qtbot):
    sync(qtbot, window)
    history = window.history
    window.tabs.setCurrentWidget(history)
    history.refresh()
    history.table.setCurrentCell(0, 0)
    history.table.setFocus()
    qtbot.keyClick(history.table, Qt.Key.Key_Return)
    dialog = history.dialog
    assert dialog is not None and dialog.isVisible()
    log_text = dialog.findChild(QPlainTextEdit, "runLog")
    lines = log_text.toPlainText()
    assert "Invoice 1001 → QuickBooks created" in lines
    assert "Account" not in lines  # the connect-time pull is another run
    counts = dialog.findChild(QLabel, "runCounts").text()
    assert "created" in counts and "to review" in counts
    dialog.close()
    rect = history.table.visualItemRect(history.table.item(1, 0))
    viewport = history.table.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    assert history.dialog is not dialog and history.dialog.isVisible()
    assert (
        "No documents were synced"
        in history.dialog.findChild(
            type(history.dialog.findChild(object, "runCounts")), "runCounts"
        ).text()
    )


def test_documents_tab_hints_until_the_first_search(window, connected, qtbot):
    docs = window.documents
    window.tabs.setCurrentWidget(docs)
    assert docs.hint.isVisible()
    assert "Search Scoro by number or name, then send one document at a time" in docs.hint.text()
    assert not docs.table.isVisible()
    docs.search_button.click()
    drain(qtbot)
    assert not docs.hint.isVisible() and docs.table.isVisible()


def test_review_list_fits_long_labels_at_1024(window, connected, qtbot):
    window.resize(1024, 700)
    sync(qtbot, window)
    window.show_review()
    qtbot.wait(50)
    lst = window.review.list
    needed = lst.fontMetrics().horizontalAdvance("Totals differ · Invoice 1020") + 40
    assert lst.width() >= needed, (lst.width(), needed)


# --- 6. Dark mode -------------------------------------------------------------------------


def test_dark_palette_keeps_every_label_readable(window, connected, qtbot, qapp):
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QWidget

    from qbsync_desktop.ui.theme import contrast, dark_palette

    sync(qtbot, window)
    light_style, light = qapp.style().name(), qapp.palette()
    qapp.setStyle("Fusion")
    qapp.setPalette(dark_palette())
    try:
        window.show_review()
        item = next(i for i in window.review.items if i.type == "currency_mismatch")
        window.review.select(item.id)
        drain(qtbot)
        qtbot.wait(50)
        window_colour = window.palette().color(QPalette.ColorRole.Window)
        assert window_colour.lightness() < 80  # the palette was followed
        unreadable = []
        for w in window.findChildren(QWidget):
            if not w.isVisible() or not isinstance(w, QLabel) or not w.text():
                continue
            pal = w.palette()
            fg = pal.color(w.foregroundRole())
            bg = pal.color(w.backgroundRole())
            if contrast(fg, bg) < 4.5:
                unreadable.append((w.objectName(), w.text()[:40], fg.name(), bg.name()))
            sheet = w.styleSheet().lower()
            if "color:" in sheet and "palette(" not in sheet:
                unreadable.append((w.objectName(), "hard-coded colour", sheet))
        assert not unreadable, unreadable
        # The entities not connected yet, greyed: still readable on the dark list.
        base = window.entity_list.palette().color(QPalette.ColorRole.Base)
        greyed = [
            window.entity_list.item(r)
            for r in range(window.entity_list.count())
            if window.entity_list.item(r).foreground().style() != Qt.BrushStyle.NoBrush
        ]
        assert greyed, "the demo site has entities not connected yet"
        faint = [(i.text(), i.foreground().color().name()) for i in greyed
                 if contrast(i.foreground().color(), base) < 4.5]  # fmt: skip
        assert not faint, faint
    finally:
        qapp.setStyle(light_style)
        qapp.setPalette(light)


def test_fix_it_here_is_never_cut_off_on_a_small_screen(window, connected, qtbot):
    """On a small screen (1024×768, or more so at 150 %) the currency item's two ways to fix it
    are long: every sentence is shown whole (the detail scrolls), none squeezed below the
    height its words need. The window is made as short as its minimum size allows."""
    from PySide6.QtWidgets import QLabel

    sync(qtbot, window)
    window.resize(1024, 100)  # clamped to the window's minimum height
    review, _item = open_item(qtbot, window, "currency_mismatch")
    qtbot.wait(50)
    assert review.height() < review.sizeHint().height()  # really short of room
    labels = [
        w
        for w in review.findChildren(QLabel)
        if w.isVisible() and w.wordWrap() and w.text() and w.width() > 0
    ]
    assert review.fix_other in labels
    squeezed = [w.text()[:40] for w in labels if w.height() < w.heightForWidth(w.width())]
    assert squeezed == []


def test_switching_back_from_dark_repaints_the_entity_list_light(window, connected, qtbot, qapp):
    """The OS going dark and light again while the app runs: the entity list (which has a style
    sheet, polished once) follows back instead of staying dark with unreadable names."""
    from qbsync_desktop.ui.theme import dark_palette

    light_style, light = qapp.style().name(), qapp.palette()
    qapp.setStyle("Fusion")
    qapp.setPalette(dark_palette())
    qtbot.wait(50)
    qapp.setStyle(light_style)
    qapp.setPalette(light)
    qtbot.wait(50)
    view = window.entity_list.viewport()
    image = view.grab().toImage()
    empty_corner = image.pixelColor(image.width() - 3, image.height() - 3)
    assert empty_corner.lightness() > 150, empty_corner.name()
