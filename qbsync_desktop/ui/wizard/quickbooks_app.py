"""The QuickBooks app page: the app's keys and where QuickBooks answers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QWizardPage

from ...sync.types import ConnectionInfo, QuickBooksAppConfig
from ..language import QT_TRANSLATE_NOOP
from ..qtcompat import emit
from .common import reconnect_all_saved, set_status, show_borrowed, sibling_placeholder

if TYPE_CHECKING:
    from .dialog import ConnectionWizard

ENVIRONMENTS = (
    (QT_TRANSLATE_NOOP("AppPage", "Production"), "production"),
    (QT_TRANSLATE_NOOP("AppPage", "Intuit sandbox (development keys)"), "intuit_sandbox"),
    (QT_TRANSLATE_NOOP("AppPage", "Local demo"), "local"),
)


class AppPage(QWizardPage):
    def __init__(self, wizard: ConnectionWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle(self.tr("QuickBooks app"))
        self.setSubTitle(
            self.tr(
                "The keys of your QuickBooks app, from the Intuit developer portal "
                "(Keys & credentials)."
            )
        )
        self.environment = QComboBox()
        self.environment.setObjectName("qboEnvironment")
        self.environment.setAccessibleName(self.tr("QuickBooks environment"))
        for text, value in ENVIRONMENTS:
            self.environment.addItem(self.tr(text), value)
        self.client_id = QLineEdit()
        self.client_id.setObjectName("qboClientId")
        self.client_id.setAccessibleName(self.tr("Client id"))
        self.client_secret = QLineEdit()
        self.client_secret.setObjectName("qboClientSecret")
        self.client_secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.client_secret.setAccessibleName(self.tr("Client secret"))
        self.redirect = QLineEdit()
        self.redirect.setObjectName("qboRedirect")
        self.redirect.setAccessibleName(self.tr("Redirect address"))
        self.redirect.setPlaceholderText(self.tr("Leave empty unless you use production keys"))
        self.redirect_label = QLabel(self.tr("Redirect address:"))
        self.redirect_help = QLabel()
        self.redirect_help.setWordWrap(True)
        self.local_url = QLineEdit()
        self.local_url.setObjectName("qboLocalUrl")
        self.local_url.setAccessibleName(self.tr("Local demo QuickBooks address"))
        self.local_label = QLabel(self.tr("Demo server:"))
        self.error = QLabel()
        self.error.setObjectName("appError")
        self.error.setWordWrap(True)
        self.reconnect_note = QLabel(reconnect_all_saved())
        self.reconnect_note.setObjectName("reconnectNote")
        self.reconnect_note.setWordWrap(True)
        self.reconnect_note.setVisible(False)
        self.saved_secret_note = QLabel()
        self.saved_secret_note.setObjectName("savedSecretNote")
        self.saved_secret_note.setWordWrap(True)
        self.saved_secret_note.setVisible(False)
        # Reconnect when the keyring no longer holds the Scoro API key (a restarted demo,
        # another computer): asked here, on the page Reconnect opens on.
        self.scoro_key = QLineEdit()
        self.scoro_key.setObjectName("reconnectScoroKey")
        self.scoro_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.scoro_key.setAccessibleName(self.tr("Scoro API key"))
        self.scoro_key.setToolTip(self.tr("In Scoro: Settings > External connections > API"))
        self.form = form = QFormLayout(self)
        form.addRow(self.reconnect_note)
        form.addRow(self.tr("Scoro API key:"), self.scoro_key)
        form.setRowVisible(self.scoro_key, False)
        form.addRow(self.tr("Environment:"), self.environment)
        form.addRow(self.tr("Client id:"), self.client_id)
        form.addRow(self.tr("Client secret:"), self.client_secret)
        form.addRow("", self.saved_secret_note)
        form.addRow(self.redirect_label, self.redirect)
        form.addRow("", self.redirect_help)
        form.addRow(self.local_label, self.local_url)
        form.addRow(self.error)
        self.environment.currentIndexChanged.connect(self._environment_changed)
        for edit in (
            self.client_id,
            self.client_secret,
            self.redirect,
            self.local_url,
            self.scoro_key,
        ):
            edit.textChanged.connect(lambda _t: emit(self.completeChanged))
        self.client_id.textChanged.connect(self._show_saved_secret)
        self._environment_changed()

    def _environment_changed(self, *_args) -> None:
        env = self.environment.currentData()
        local = env == "local"
        self.local_url.setVisible(local)
        self.local_label.setVisible(local)
        # The demo answers on this computer by itself: no redirect address to think about.
        for widget in (self.redirect_label, self.redirect, self.redirect_help):
            widget.setVisible(not local)
        if env == "production":
            self.redirect_help.setText(
                self.tr(
                    "Intuit accepts a localhost redirect only for development keys. With "
                    "production keys enter the https address registered in your app; after you "
                    "authorize, paste the address the browser shows."
                )
            )
        else:
            self.redirect_help.setText(
                self.tr(
                    "Leave empty: QuickBooks sends its answer straight back to this computer. "
                    "Your app's redirect URIs in the Intuit developer portal must include "
                    "http://localhost."
                )
            )
        emit(self.completeChanged)

    def config(self) -> QuickBooksAppConfig:
        return QuickBooksAppConfig(
            client_id=self.client_id.text().strip(),
            client_secret=self.client_secret.text().strip(),
            environment=self.environment.currentData(),
            redirect_uri=self.redirect.text().strip(),
            local_base_url=self.local_url.text().strip()
            if self.environment.currentData() == "local"
            else "",
        )

    def initializePage(self) -> None:
        reconnecting = self.wiz.reuses_secrets()
        self.reconnect_note.setVisible(reconnecting)
        self.reconnect_note.setText(self.wiz.reconnect_text())
        self.form.setRowVisible(self.scoro_key, reconnecting and not self.wiz.saved_key)
        source = self.wiz.secrets_source()
        if source is not None and not self.client_id.text().strip():
            # Usually the same QuickBooks app serves every entity of a site.
            self.wiz.prefill_app(source)
        self._show_saved_secret()

    def secret_source(self) -> ConnectionInfo | None:
        """The other connection of this Scoro site whose saved client secret an empty secret
        stands for: only while the client id is that connection's (a secret fits one app)."""
        source = self.wiz.secrets_source()
        if source is None or source.qbo_client_id != self.client_id.text().strip():
            return None
        return source

    def _show_saved_secret(self, *_args) -> None:
        source = self.secret_source()
        show_borrowed(
            self.saved_secret_note,
            self.client_secret,
            source,
            self.tr(
                "The client secret saved for {name} will be used. Type a secret only to use "
                "another."
            ),
        )
        if self.wiz.reuses_secrets() and self.wiz.saved_secret:
            self.client_secret.setPlaceholderText(
                self.tr("saved — leave empty to keep the saved one")
            )
        elif source is not None:
            self.client_secret.setPlaceholderText(sibling_placeholder(source.entity_name))
        else:
            self.client_secret.setPlaceholderText("")

    def isComplete(self) -> bool:
        cfg = self.config()
        if not cfg.client_id:
            return False
        reconnecting = self.wiz.reuses_secrets()
        if not cfg.client_secret and not (
            (reconnecting and self.wiz.saved_secret) or self.secret_source() is not None
        ):
            return False
        if reconnecting and not self.wiz.saved_key and not self.scoro_key.text().strip():
            return False
        return not (cfg.environment == "local" and not cfg.local_base_url)

    def validatePage(self) -> bool:
        cfg = self.config()
        redirect = cfg.redirect_uri
        if cfg.environment == "production" and not redirect.startswith("https://"):
            set_status(
                self.error,
                self.tr(
                    "Production keys need an https redirect address: enter the one "
                    "registered in your QuickBooks app."
                ),
                "error",
            )
            return False
        if redirect and not (
            redirect.startswith("https://") or redirect.startswith("http://localhost")
        ):
            set_status(
                self.error,
                self.tr(
                    "The redirect address must start with https:// (or be "
                    "http://localhost… for development keys)."
                ),
                "error",
            )
            return False
        set_status(self.error, "")
        return True
