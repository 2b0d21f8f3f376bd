"""The connection wizard itself: which pages, where it starts, what it fills in."""

from __future__ import annotations

import logging

from PySide6.QtCore import QSize, QUrl
from PySide6.QtWidgets import QWidget, QWizard

from ...sync.types import ConnectionInfo, ConnectionStatus, ScoroEntity, site_key
from ..geometry import MIN_DIALOG, fit_window
from ..resources import icon
from ..worker import Task
from .authorize import AuthorizePage
from .common import (
    PAGE_APP,
    PAGE_AUTHORIZE,
    PAGE_CURRENCY,
    PAGE_SCORO,
    PAGE_SETTINGS,
    PAGE_WELCOME,
    reconnect_all_saved,
)
from .currencies import CurrencyPage
from .first_settings import SettingsPage
from .quickbooks_app import AppPage
from .scoro_page import ScoroPage
from .welcome import WelcomePage

log = logging.getLogger(__name__)


def is_loopback_redirect(uri: str) -> bool:
    """A redirect this app made up for one sign-in (its port is gone); not worth keeping."""
    url = QUrl(uri)
    return url.scheme() == "http" and url.host() in ("localhost", "127.0.0.1")


def demo_entity(demo) -> str:
    pairs = getattr(demo, "pairs", None) or getattr(demo, "entities", None) or ()
    first = next(iter(pairs), None)
    if first is None:
        return ""
    return getattr(first, "company_account_id", None) or first.get("company_account_id", "")


class ConnectionWizard(QWizard):
    def __init__(
        self,
        service,
        *,
        demo=None,
        reconnect: ConnectionInfo | None = None,
        existing: list[ConnectionInfo] | tuple = (),
        entity: tuple[str, ScoroEntity] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("connectionWizard")
        self.svc = service
        self.demo = demo
        self.reconnect_info = reconnect
        self.existing = list(existing)
        # (site, entity) when the bookkeeper chose "Connect" on a not-yet-connected entity.
        self.entity_choice = entity
        self.info: ConnectionInfo | None = None
        self.connection_id: int | None = reconnect.id if reconnect else None
        self.tasks: list[Task] = []
        # Which keys Reconnect can reuse: the keyring may have lost them (a restarted demo
        # keeps them in memory only), and then this wizard asks for them.
        self.saved_key, self.saved_secret = True, True
        if reconnect is not None and reconnect.status is not ConnectionStatus.DISCONNECTED:
            try:
                self.saved_key, self.saved_secret = service.saved_secrets(reconnect.id)
            except Exception:
                log.warning("could not read the saved keys", exc_info=True)
                self.saved_key, self.saved_secret = False, False
        if reconnect:
            title = self.tr("Reconnect {name}").format(name=reconnect.entity_name)
        elif entity:
            title = self.tr("Connect {name} to QuickBooks Online").format(name=entity[1].name)
        else:
            title = self.tr("Connect a Scoro entity to QuickBooks Online")
        self.setWindowTitle(title)
        self.setWindowIcon(icon("app"))
        fit_window(self, QSize(760, 620), MIN_DIALOG, centre=False)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, False)
        self.setPage(PAGE_WELCOME, WelcomePage())
        self.scoro_page = ScoroPage(self)
        self.app_page = AppPage(self)
        self.auth_page = AuthorizePage(self)
        self.currency_page = CurrencyPage(self)
        self.settings_page = SettingsPage(self)
        self.setPage(PAGE_SCORO, self.scoro_page)
        self.setPage(PAGE_APP, self.app_page)
        self.setPage(PAGE_AUTHORIZE, self.auth_page)
        self.setPage(PAGE_CURRENCY, self.currency_page)
        self.setPage(PAGE_SETTINGS, self.settings_page)
        if self.reuses_secrets():
            start = PAGE_APP  # the entity is known and its keys are saved: only sign in again
        elif reconnect or entity:
            start = PAGE_SCORO
        else:
            start = PAGE_WELCOME
        self.setStartId(start)
        self._prefill()

    def reuses_secrets(self) -> bool:
        """Reconnect keeps the saved keys; Disconnect deleted them, so they are asked again."""
        info = self.reconnect_info
        return info is not None and info.status is not ConnectionStatus.DISCONNECTED

    def reconnect_id(self, site: str, company_account_id: str) -> int | None:
        """The connection this sign-in renews: Reconnect's, or one chosen again in the entity
        list because its sign-in is gone."""
        if self.reconnect_info is not None:
            return self.reconnect_info.id
        return next(
            (
                c.id
                for c in self.existing
                if c.status is ConnectionStatus.RECONNECT_NEEDED
                and c.company_account_id == company_account_id
                and site_key(c.scoro_site_url) == site_key(site)
            ),
            None,
        )

    def reconnect_text(self) -> str:
        if self.saved_key and self.saved_secret:
            return reconnect_all_saved()
        if not (self.saved_key or self.saved_secret):
            return self.tr(
                "This computer no longer has the Scoro API key and the QuickBooks client "
                "secret of this connection (for example after the demo was restarted, or on "
                "another computer). Type them below."
            )
        if not self.saved_key:
            return self.tr(
                "This computer no longer has the Scoro API key of this connection (for "
                "example after the demo was restarted, or on another computer). Type it below."
            )
        return self.tr(
            "This computer no longer has the QuickBooks client secret of this connection (for "
            "example after the demo was restarted, or on another computer). Type it below."
        )

    def site_sibling(self, site_url: str) -> ConnectionInfo | None:
        """Another connection of the Scoro site `site_url` with its keys saved: a second entity
        of a connected site need not have the API key and client secret typed again."""
        wanted = site_key(site_url)
        if not wanted or self.reuses_secrets():
            return None  # Reconnect uses this connection's own keys
        own = self.reconnect_info.id if self.reconnect_info is not None else None
        return next(
            (
                c
                for c in self.existing
                if c.id != own and c.has_saved_keys and site_key(c.scoro_site_url) == wanted
            ),
            None,
        )

    def secrets_source(self) -> ConnectionInfo | None:
        """The connection whose saved keys fill an empty API key or client secret, if any."""
        return self.site_sibling(self.scoro_page.site.text())

    def preferred_entity(self) -> str | None:
        if self.reconnect_info is not None:
            return self.reconnect_info.company_account_id
        if self.entity_choice is not None:
            return self.entity_choice[1].company_account_id
        return None

    def scoro_choice(self) -> tuple[str, str, str] | None:
        """(site, API key, company account id) to authorize; the key is empty on Reconnect."""
        info = self.reconnect_info
        if info is not None and self.reuses_secrets():
            # Empty: the saved key; typed only when the keyring lost it.
            key = "" if self.saved_key else self.app_page.scoro_key.text().strip()
            return info.scoro_site_url, key, info.company_account_id
        entity = self.scoro_page.entity()
        if entity is None:
            return None
        site, key, _company = self.scoro_page.inputs()
        source = self.secrets_source()
        if source is not None:
            # The site as first saved, so both entities are listed under one site.
            site = source.scoro_site_url
        return site, key, entity.company_account_id

    def _prefill(self) -> None:
        demo, reconnect = self.demo, self.reconnect_info
        scoro, app = self.scoro_page, self.app_page
        if demo is not None:
            scoro.site.setText(demo.scoro_url)
            scoro.api_key.setText(demo.scoro_api_key)
            scoro.company.setText(demo_entity(demo))
            app.environment.setCurrentIndex(app.environment.findData("local"))
            app.client_id.setText(demo.client_id)
            app.client_secret.setText(demo.client_secret)
            app.local_url.setText(demo.qbo_url)
            app.scoro_key.setText(demo.scoro_api_key)
        if self.entity_choice is not None:
            site, entity = self.entity_choice
            scoro.site.setText(site)
            scoro.company.setText(entity.company_account_id)
            # Usually the same QuickBooks app serves every entity of a site.
            sibling = next((c for c in self.existing if c.scoro_site_url == site), None)
            if sibling is not None:
                self.prefill_app(sibling)
        if reconnect is not None:
            scoro.site.setText(reconnect.scoro_site_url or scoro.site.text())
            scoro.company.setText(reconnect.company_account_id)
            self.prefill_app(reconnect)
            if self.reuses_secrets() and self.saved_secret:
                app.client_secret.clear()
            if self.saved_key:
                app.scoro_key.clear()

    def prefill_app(self, info: ConnectionInfo) -> None:
        app = self.app_page
        index = app.environment.findData(info.environment)
        if index >= 0:
            app.environment.setCurrentIndex(index)
        if info.qbo_client_id:
            app.client_id.setText(info.qbo_client_id)
        if info.qbo_local_url:
            app.local_url.setText(info.qbo_local_url)
        if info.redirect_uri and not is_loopback_redirect(info.redirect_uri):
            app.redirect.setText(info.redirect_uri)

    def track(self, task: Task) -> Task:
        self.tasks = [t for t in self.tasks if not t.is_finished]
        self.tasks.append(task)
        return task

    def busy(self) -> bool:
        return any(not t.is_finished for t in self.tasks)

    def abort(self) -> None:
        self.auth_page.abort()

    def reject(self) -> None:
        self.abort()
        super().reject()

    def done(self, result: int) -> None:
        self.abort()
        super().done(result)
