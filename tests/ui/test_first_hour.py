"""A bookkeeper's first hour: the dead ends a newcomer met, driven through the visible widgets
over the real service and both sandboxes."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QComboBox, QListWidget, QMessageBox, QTabWidget, QWidget

from qbsync_desktop.demo import rebind
from qbsync_desktop.domain.errors import (
    AuthenticationFailed,
    ReconnectNeeded,
    RemoteError,
    SettingsInvalid,
)
from qbsync_desktop.quickbooks.tokens import REFRESH_TOKEN_NAME
from qbsync_desktop.sync.types import ConnectionStatus
from qbsync_desktop.sync.wiring import QBO_CLIENT_SECRET, SCORO_API_KEY, connection_key
from qbsync_desktop.ui import geometry, messages
from qbsync_desktop.ui import wizard as wizard_mod
from tests.support.ui_runs import drain, sync


def restart(world) -> None:
    """What a restart of the demo does: the memory keyring is empty, the sign-in is gone."""
    key = connection_key(world.info.id)
    for name in (REFRESH_TOKEN_NAME, QBO_CLIENT_SECRET, SCORO_API_KEY):
        world.svc.secrets.delete(key, name)
    world.svc.forget_gateways()
    rebind(world.svc, world.env)


def authorize(qtbot, wiz) -> None:
    wiz.next()
    assert wiz.currentId() == wizard_mod.PAGE_AUTHORIZE
    wiz.auth_page.open_button.click()
    status = wiz.auth_page.status
    qtbot.waitUntil(
        lambda: wiz.currentId() == wizard_mod.PAGE_CURRENCY or status.property("kind") == "error",
        timeout=30_000,
    )
    assert wiz.currentId() == wizard_mod.PAGE_CURRENCY, status.text()
    qtbot.waitUntil(wiz.currency_page.isComplete, timeout=20_000)


@pytest.mark.parametrize("demo", [True, False], ids=["demo", "keyring-lost"])
def test_reconnect_after_a_restart_asks_for_the_keys_it_lacks(
    qtbot, make_window, connected, browser, demo
):
    world = connected
    restart(world)
    window = make_window(world.svc, demo=world.env if demo else None)
    window.show()
    drain(qtbot)
    assert window.current().status is ConnectionStatus.RECONNECT_NEEDED
    window.header.reconnect.click()
    wiz = window.wizard
    qtbot.waitUntil(wiz.isVisible)
    assert wiz.currentId() == wizard_mod.PAGE_APP
    page = wiz.app_page
    note = page.reconnect_note.text()
    assert "used again" not in note, note
    assert "Scoro API key" in note and "client secret" in note, note
    assert page.scoro_key.isVisible()
    if demo:
        # The demo fills in its own keys: nothing to type.
        assert page.isComplete()
        assert wiz.button(wiz.WizardButton.NextButton).isEnabled()
    else:
        assert not page.isComplete()
        qtbot.keyClicks(page.scoro_key, world.env.scoro_api_key)
        assert not page.isComplete()  # the client secret is missing too
        qtbot.keyClicks(page.client_secret, world.env.client_secret)
        assert page.isComplete()
    authorize(qtbot, wiz)
    wiz.accept()
    drain(qtbot)
    assert len(window.connections) == 1
    assert window.current().status is ConnectionStatus.ACTIVE
    assert world.svc.saved_secrets(world.info.id) == (True, True)
    assert sync(qtbot, window).status in ("ok", "review")


def test_connect_an_entity_offers_one_whose_sign_in_is_gone(qtbot, make_window, connected, browser):
    world = connected
    restart(world)
    window = make_window(world.svc, demo=world.env)
    window.show()
    drain(qtbot)
    window.connect_button.click()
    wiz = window.wizard
    qtbot.waitUntil(wiz.isVisible)
    wiz.next()
    page = wiz.scoro_page
    page.test_button.click()
    qtbot.waitUntil(lambda: page.entities.count() > 0, timeout=20_000)
    rows = {
        page.entities.item(i).text(): page.entities.item(i) for i in range(page.entities.count())
    }
    acme = next(item for text, item in rows.items() if text.startswith("Acme OÜ"))
    assert "already connected" not in acme.text()
    assert acme.flags() & acme.flags().ItemIsEnabled
    page.select_entity("acme_ee")
    assert page.isComplete()
    wiz.next()
    authorize(qtbot, wiz)
    wiz.next()
    settings = wiz.settings_page
    assert settings.isComplete()  # the settings chosen before the restart are kept
    wiz.accept()
    drain(qtbot)
    assert len(window.connections) == 1
    assert window.current().status is ConnectionStatus.ACTIVE


def small_screen(monkeypatch, width: int, height: int = 768) -> QRect:
    """A screen of width×height with a 40-pixel taskbar."""
    area = QRect(0, 0, width, height - 40)
    monkeypatch.setattr(geometry, "available_geometry", lambda _w=None: area)
    return area


@pytest.mark.parametrize("width", [1024, 1366])
def test_main_window_fits_a_small_screen_and_the_overview_reflows(
    qtbot, make_window, connected, monkeypatch, width
):
    area = small_screen(monkeypatch, width)
    window = make_window(connected.svc)
    assert area.contains(QRect(window.pos(), window.size())), window.geometry()
    assert window.minimumSize().width() <= 1024 and window.minimumSize().height() <= 728
    window.show()
    drain(qtbot)
    window.resize(area.size())  # maximized on that screen
    qtbot.waitUntil(lambda: window.width() == area.width())
    scroll = window.overview_scroll
    viewport = scroll.viewport()
    qtbot.waitUntil(lambda: window.overview.width() <= viewport.width())
    assert scroll.horizontalScrollBar().maximum() == 0
    for row in window.overview.table.rows.values():
        if row.sync_button.isHidden():
            continue
        right = row.sync_button.mapTo(viewport, QPoint(row.sync_button.width(), 0)).x()
        assert right <= viewport.width(), row.category
        assert row.enabled.mapTo(viewport, QPoint(0, 0)).x() >= 0  # names not scrolled away
        # the result is wide enough for a few words a line, not one
        assert row.result_text.width() >= 150, (row.category, row.result_text.width())


def test_remembered_geometry_is_clamped_to_the_current_screen(
    qtbot, make_window, connected, monkeypatch, ui_settings
):
    small_screen(monkeypatch, 1920, 1200)
    big = make_window(connected.svc)
    big.show()
    big.setGeometry(700, 300, 1180, 820)
    big.save_settings()
    area = small_screen(monkeypatch, 1024)
    window = make_window(connected.svc)
    window.show()
    assert area.contains(window.geometry()), window.geometry()


def test_try_again_on_an_unfixed_item_keeps_it_in_review(window, connected, qtbot):
    assert sync(qtbot, window).status == "review"
    review = window.review
    window.show_review()
    currency = next(i for i in review.items if i.type == "currency_mismatch")
    before = review.count()
    review.select(currency.id)
    with qtbot.waitSignal(review.resolved, timeout=30_000):
        review.buttons["retry"].click()
    drain(qtbot)
    assert currency.id in [i.id for i in review.items]
    assert review.count() == before
    assert review.current_item().id == currency.id
    assert connected.svc.review_count(connected.info.id) == before
    notes = [b for b in review.findChildren(QMessageBox, "infoMessage") if b.isVisible()]
    assert notes and "still held" in notes[-1].text()


# --- words ------------------------------------------------------------------------------

RULE_ID = re.compile(r"\bR\d\d\b")


def widget_texts(root: QWidget) -> list[str]:
    """Every string a bookkeeper can see or hear on `root` and its children."""
    out: list[str] = []
    for w in [root, *root.findChildren(QWidget)]:
        out += [w.toolTip(), w.accessibleName(), w.accessibleDescription(), w.windowTitle()]
        for getter in ("text", "placeholderText", "title", "subTitle"):
            fn = getattr(w, getter, None)
            if callable(fn):
                try:
                    value = fn()
                except TypeError:
                    continue
                if isinstance(value, str):
                    out.append(value)
        if isinstance(w, QComboBox):
            out += [w.itemText(i) for i in range(w.count())]
        if isinstance(w, QListWidget):
            for i in range(w.count()):
                out += [w.item(i).text(), w.item(i).toolTip()]
        if isinstance(w, QTabWidget):
            out += [w.tabText(i) for i in range(w.count())]
        for action in w.actions():
            out += [action.text(), action.toolTip()]
    return [t for t in out if t]


def no_rule_ids(texts: list[str]) -> None:
    bad = [t for t in texts if RULE_ID.search(t)]
    assert not bad, bad


def test_no_rule_ids_in_what_the_bookkeeper_reads(qtbot, make_window, connected, browser):
    window = make_window(connected.svc, demo=connected.env)
    window.show()
    drain(qtbot)
    assert sync(qtbot, window).status in ("ok", "review")
    texts = widget_texts(window)
    for tab in range(window.tabs.count()):
        window.tabs.setCurrentIndex(tab)
        texts += widget_texts(window)
    review = window.review
    for item in review.items:  # every review message, as shown
        review.select(item.id)
        texts.append(review.message.text())
    log = window.log_pane
    texts += [log.model.item(r, c).text() for r in range(log.model.rowCount()) for c in range(4)]
    no_rule_ids(texts)
    assert "Single" not in [log.model.item(r, 2).text() for r in range(log.model.rowCount())]
    # every wizard page, new connection and reconnect
    for reconnect in (None, window.current()):
        window.open_wizard(reconnect)
        wiz = window.wizard
        qtbot.waitUntil(wiz.isVisible)
        for page_id in wiz.pageIds():
            no_rule_ids(widget_texts(wiz.page(page_id)))
        no_rule_ids(widget_texts(wiz))
        wiz.reject()
        qtbot.waitUntil(lambda w=wiz: not w.isVisible())
    # the messages module: its sentences and its advice for every kind of error
    no_rule_ids([v for v in vars(messages).values() if isinstance(v, str)])
    for exc in (
        ReconnectNeeded("x"),
        AuthenticationFailed("x", side="scoro"),
        AuthenticationFailed("x", side="quickbooks"),
        RemoteError("Refused (R57)."),
        SettingsInvalid("The start date is locked (R40)."),
    ):
        no_rule_ids([messages.describe(exc)])


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("", "Enter your Scoro address, for example https://acme.scoro.com"),
        ("acme", "is not a full Scoro address"),
        ("http://acme.scoro.com", "must start with https://, for example https://acme.scoro.com"),
    ],
)
def test_a_wrong_site_address_says_what_to_type(qtbot, make_window, world, typed, expected):
    window = make_window(world.svc)
    window.show()
    window.open_wizard()
    wiz = window.wizard
    qtbot.waitUntil(wiz.isVisible)
    wiz.next()
    page = wiz.scoro_page
    qtbot.keyClicks(page.site, typed)
    qtbot.keyClicks(page.api_key, "some key")
    page.test_button.click()
    drain(qtbot)
    text = page.status.text()
    assert page.status.property("kind") == "error"
    assert expected in text, text
    assert text[:1].isupper() or text.startswith("“")
    assert "export the log" not in text and "support" not in text
    wiz.reject()


def test_support_sentence_only_for_unexpected_errors():
    assert "support" not in messages.describe(SettingsInvalid("Enter the API key."))
    assert "support" in messages.describe(KeyError("boom"))


# --- disconnect -------------------------------------------------------------------------


def test_disconnect_defaults_to_keep_connected_and_names_the_company(
    window, connected, qtbot, monkeypatch
):
    asked = {}

    def confirm(_parent, title, text, **kw):
        asked.update(kw, text=text)
        return False

    monkeypatch.setattr(messages, "confirm", confirm)
    window.header.disconnect.click()
    assert asked["destructive"] is True
    assert "is revoked" not in asked["text"] and "will revoke" in asked["text"]
    assert "Acme OÜ" in asked["text"]
    box = messages.question_box(
        window,
        "Disconnect",
        asked["text"],
        yes="Disconnect",
        no="Keep connected",
        destructive=True,
    )
    assert box.defaultButton().text() == "Keep connected"
    box.show()
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert box.clickedButton().text() == "Keep connected"  # Enter does not disconnect
    assert window.current().status is ConnectionStatus.ACTIVE


# --- one document -----------------------------------------------------------------------


def search_and_select(qtbot, docs, number: str) -> None:
    docs.search()
    qtbot.waitUntil(
        lambda: docs.search_button.isEnabled() and docs.table.rowCount() > 0, timeout=20_000
    )
    numbers = [docs.table.item(r, 0).text() for r in range(docs.table.rowCount())]
    docs.table.clearSelection()
    docs.table.selectRow(numbers.index(number))


def test_one_document_messages_name_it_by_number_with_the_real_reason(window, connected, qtbot):
    sync(qtbot, window)
    held = {i.object_label: i for i in window.review.items}
    label = next(k for k in held if "1004" in k)
    window.tabs.setCurrentIndex(2)
    docs = window.documents
    search_and_select(qtbot, docs, "1004")
    with qtbot.waitSignal(docs.action_finished, timeout=60_000):
        docs.attachments_button.click()
    drain(qtbot)
    text = docs.status.text()
    assert "Invoice 1004" in text and "Invoice 4 " not in text, text
    assert "held for review" in text and "send it first" not in text, text
    assert held[label].message.split(".")[0][:30] in text or "currenc" in text.lower(), text
    # A document already the same in QuickBooks: say nothing was sent, not "0 created".
    sent = next(d.number for d in docs.results if d.qbo_id and d.can_send and d.number != "1004")
    search_and_select(qtbot, docs, sent)
    with qtbot.waitSignal(docs.action_finished, timeout=60_000):
        docs.send_button.click()
    drain(qtbot)
    text = docs.status.text()
    assert f"Nothing to send: invoice {sent} is already the same in QuickBooks" in text, text
    assert "0 created" not in text


# --- reasons and navigation -------------------------------------------------------------


def test_disabled_next_and_finish_say_why(qtbot, make_window, world, browser):
    window = make_window(world.svc, demo=world.env)
    window.show()
    window.open_wizard()
    wiz = window.wizard
    qtbot.waitUntil(wiz.isVisible)
    wiz.next()
    page = wiz.scoro_page
    next_button = wiz.button(wiz.WizardButton.NextButton)
    assert not next_button.isEnabled()
    assert "click Test" in page.next_hint.text() and page.next_hint.isVisible()
    page.test_button.click()
    qtbot.waitUntil(page.isComplete, timeout=20_000)
    assert next_button.isEnabled() and not page.next_hint.text()
    wiz.next()
    authorize(qtbot, wiz)
    wiz.next()
    settings = wiz.settings_page
    settings.income.setCurrentIndex(0)
    settings.expense.setCurrentIndex(0)
    assert not wiz.button(wiz.WizardButton.FinishButton).isEnabled()
    hint = settings.finish_hint.text()
    assert "income account" in hint and "expense account" in hint, hint
    settings.income.setCurrentIndex(1)
    settings.expense.setCurrentIndex(1)
    assert wiz.button(wiz.WizardButton.FinishButton).isEnabled()
    assert not settings.finish_hint.text()
    wiz.reject()


def test_menu_bar_and_toolbar_tooltips_show_the_shortcuts(window, monkeypatch):
    from qbsync_desktop.ui import window_actions

    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles == ["File", "Sync", "View", "Help"]
    sync_menu = window.menuBar().actions()[1].menu()
    assert window.sync_action in sync_menu.actions()
    assert window.sync_action.shortcut().toString() == "Ctrl+R"
    for action in window.toolbar.actions():
        if action.isSeparator() or window.toolbar.widgetForAction(action) is None:
            continue
        if not action.text():
            continue  # the spacer
        assert action.toolTip() and action.toolTip() != action.text(), action.text()
        if not action.shortcut().isEmpty():
            assert action.shortcut().toString() in action.toolTip(), action.toolTip()
    opened = []
    monkeypatch.setattr(window_actions, "open_folder", lambda url: opened.append(url) or True)
    help_menu = window.menuBar().actions()[3].menu()
    folder = next(a for a in help_menu.actions() if a.text() == "Open log folder")
    folder.trigger()
    assert opened and opened[0].toLocalFile() == str(window.log_dir)
    about = next(a for a in help_menu.actions() if a.text().startswith("About"))
    about.trigger()
    boxes = [b for b in window.findChildren(QMessageBox, "infoMessage") if b.isVisible()]
    assert boxes and "QBSync" in boxes[-1].text()
