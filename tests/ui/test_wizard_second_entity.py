"""A second entity of a connected Scoro site: the wizard reuses the saved API key and client
secret (SyncService.begin_authorization(copy_secrets_from=...)), over the real service and both
sandboxes. The widgets never hold the saved secrets; the keyring of the new connection does."""

from __future__ import annotations

from PySide6.QtCore import Qt

from qbsync_desktop.sync.types import ConnectionStatus
from qbsync_desktop.sync.wiring import QBO_CLIENT_SECRET, SCORO_API_KEY, connection_key
from qbsync_desktop.ui import wizard as wizard_mod
from tests.support.demo import realm_of
from tests.support.ui_runs import drain, sync

ENTER_THE_KEY = (
    "Enter the API key first. In Scoro it is under Settings > External connections > API."
)


def authorize_and_finish(qtbot, wiz, browser, company: str) -> None:
    """From the QuickBooks app page: sign in, pass the currency check, first settings, Finish."""
    wiz.next()
    assert wiz.currentId() == wizard_mod.PAGE_AUTHORIZE
    browser["company"] = company
    wiz.auth_page.open_button.click()
    status = wiz.auth_page.status
    qtbot.waitUntil(
        lambda: wiz.currentId() == wizard_mod.PAGE_CURRENCY or status.property("kind") == "error",
        timeout=30_000,
    )
    assert wiz.currentId() == wizard_mod.PAGE_CURRENCY, status.text()
    qtbot.waitUntil(wiz.currency_page.isComplete, timeout=20_000)
    wiz.next()
    settings = wiz.settings_page
    settings.manual.setChecked(True)
    settings.income.setCurrentIndex(1)
    settings.expense.setCurrentIndex(1)
    wiz.accept()
    qtbot.waitUntil(lambda: not wiz.isVisible())
    drain(qtbot)


def assert_keys_copied(world, connection_id: int) -> None:
    secrets, key = world.svc.secrets, connection_key(connection_id)
    assert secrets.get(key, SCORO_API_KEY) == world.env.scoro_api_key
    assert secrets.get(key, QBO_CLIENT_SECRET) == world.env.client_secret


def scoro_page(qtbot, make_window, world):
    """The wizard opened from Add connection, on its Scoro page."""
    window = make_window(world.svc)
    window.show()
    window.open_wizard()
    wiz = window.wizard
    qtbot.waitUntil(wiz.isVisible)
    wiz.next()
    return wiz, wiz.scoro_page


def test_second_entity_of_a_connected_site_reuses_the_saved_keys(
    qtbot, make_window, connected, browser
):
    """Add connection, same site typed differently, key and secret left empty."""
    world = connected
    window = make_window(world.svc)  # no demo pre-fill: nothing typed for the bookkeeper
    window.show()
    drain(qtbot)
    window.open_wizard()
    wiz = window.wizard
    qtbot.waitUntil(wiz.isVisible)
    wiz.next()
    page = wiz.scoro_page
    assert page.saved_key_note.isHidden()
    # Case and a trailing slash do not make it another site.
    qtbot.keyClicks(page.site, f" {world.env.scoro_url.upper()}/")
    assert not page.saved_key_note.isHidden()
    note = page.saved_key_note.text()
    assert "API key saved for Acme OÜ will be used" in note, note
    assert page.api_key.accessibleDescription() == note  # read out with the field
    assert not page.api_key.text()
    qtbot.keyClicks(page.company, "acme_us")
    qtbot.keyClick(page.company, Qt.Key.Key_Return)  # Enter tests, as the Test button does
    qtbot.waitUntil(lambda: page.status.property("kind") in ("ok", "error"), timeout=20_000)
    assert page.status.property("kind") == "ok", page.status.text()
    page.select_entity("acme_us")
    assert page.isComplete()
    taken = [page.entities.item(i).text() for i in range(page.entities.count())]
    assert any("Acme OÜ" in t and "already connected" in t for t in taken), taken
    assert not page.api_key.text()  # the saved key was never put into the widget

    wiz.next()
    app = wiz.app_page
    assert wiz.currentId() == wizard_mod.PAGE_APP
    # The sibling's QuickBooks app is offered; its secret is used, not shown.
    assert app.client_id.text() == world.info.qbo_client_id
    assert app.local_url.text() == world.env.qbo_url
    assert not app.client_secret.text()
    assert not app.saved_secret_note.isHidden()
    assert "client secret saved for Acme OÜ will be used" in app.saved_secret_note.text()
    assert app.isComplete()
    # A secret belongs to one app: another client id needs its own.
    app.client_id.setText("another-app")
    assert app.saved_secret_note.isHidden() and not app.isComplete()
    app.client_id.setText(world.info.qbo_client_id)
    assert app.isComplete()

    authorize_and_finish(qtbot, wiz, browser, "acme_us")
    connections = world.svc.connections()
    assert len(connections) == 2
    second = next(c for c in connections if c.company_account_id == "acme_us")
    assert second.id != world.info.id
    assert second.status is ConnectionStatus.ACTIVE
    assert second.qbo_realm_id == realm_of("acme_us")
    # Stored under the site as first saved, so the entity list shows one site, not two.
    assert second.scoro_site_url == world.info.scoro_site_url
    assert_keys_copied(world, second.id)
    assert window.current().id == second.id
    window.load_site_entities()
    drain(qtbot)
    texts = [window.entity_list.item(i).text() for i in range(window.entity_list.count())]
    assert sum("not connected" in t for t in texts) == 1, texts  # only Acme Ltd is left
    assert sync(qtbot, window).status in ("ok", "review")


def test_connect_on_a_not_connected_entity_needs_no_keys_typed(
    qtbot, make_window, connected, browser
):
    """R03: Connect on the entity list's Acme Inc; the saved keys of Acme OÜ are used."""
    world = connected
    window = make_window(world.svc)
    window.show()
    qtbot.waitUntil(lambda: window.entity_list.count() == 3, timeout=20_000)
    texts = [window.entity_list.item(i).text() for i in range(3)]
    window.entity_list.setCurrentRow(next(i for i, t in enumerate(texts) if "Acme Inc" in t))
    window.header.connect_entity.click()
    wiz = window.wizard
    qtbot.waitUntil(wiz.isVisible)
    assert wiz.currentId() == wizard_mod.PAGE_SCORO
    page = wiz.scoro_page
    assert not page.api_key.text()
    assert not page.saved_key_note.isHidden()
    page.test_button.click()
    qtbot.waitUntil(page.isComplete, timeout=20_000)
    assert page.entity().company_account_id == "acme_us"
    wiz.next()
    assert not wiz.app_page.client_secret.text()
    assert wiz.app_page.isComplete()
    authorize_and_finish(qtbot, wiz, browser, "acme_us")
    assert len(world.svc.connections()) == 2
    assert window.current().company_account_id == "acme_us"
    assert window.current().status is ConnectionStatus.ACTIVE
    assert_keys_copied(world, window.current().id)


def test_another_site_with_an_empty_key_is_asked_for_the_key(qtbot, make_window, connected):
    world = connected
    wiz, page = scoro_page(qtbot, make_window, world)
    page.site.setText(world.env.scoro_url)
    assert not page.saved_key_note.isHidden()
    page.site.setText("https://bluebird.scoro.com")
    assert page.saved_key_note.isHidden()
    assert not page.api_key.placeholderText()
    assert not page.api_key.accessibleDescription()
    page.company.setText("acme_us")
    page.test_button.click()
    assert page.status.property("kind") == "error"
    assert page.status.text() == ENTER_THE_KEY
    assert not page.isComplete()
    wiz.reject()


def test_a_disconnected_connection_lends_no_key(qtbot, make_window, connected):
    """Disconnect deleted Acme OÜ's keys: the same site asks for the key again."""
    world = connected
    world.svc.disconnect(world.info.id)
    wiz, page = scoro_page(qtbot, make_window, world)
    page.site.setText(world.env.scoro_url)
    page.company.setText("acme_us")
    assert page.saved_key_note.isHidden()
    page.test_button.click()
    assert page.status.text() == ENTER_THE_KEY
    wiz.reject()
