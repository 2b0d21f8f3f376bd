"""Connection wizard: Scoro entity → QuickBooks app → authorize in the browser → currencies →
first settings (R01–R06). Every network call runs on the worker pool."""

from __future__ import annotations

import datetime as dt
import logging
import threading

from PySide6.QtCore import QDate, QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from ..domain import CATEGORY_ORDER, Category, Direction
from ..sync.types import (
    AuthorizationRequest,
    ConnectionInfo,
    ConnectionStatus,
    CurrencyCheck,
    QboAppConfig,
    ScoroEntity,
    SyncSettingsInfo,
    site_key,
)
from . import messages
from .geometry import MIN_DIALOG, fit_window
from .qtcompat import emit
from .resources import icon
from .worker import Task, run_task

log = logging.getLogger(__name__)

AUTH_TIMEOUT_SECONDS = 300.0
PAGE_WELCOME, PAGE_SCORO, PAGE_APP, PAGE_AUTHORIZE, PAGE_CURRENCY, PAGE_SETTINGS = range(6)

ENVIRONMENTS = (
    ("Production", "production"),
    ("Intuit sandbox (development keys)", "intuit_sandbox"),
    ("Local demo", "local"),
)

R04_FIXES = (
    "To connect them, do one of these, then click <b>Check again</b>:"
    "<ol>"
    "<li>In Scoro, change the entity's base currency under "
    "<i>Settings &gt; Sales and finance &gt; Currencies</i>; or</li>"
    "<li>In QuickBooks, change the home currency or turn on multicurrency under "
    "<i>Settings &gt; Advanced &gt; Currency</i>.</li>"
    "</ol>"
)


RECONNECT_ALL_SAVED = (
    "The Scoro API key and the QuickBooks client secret saved for this connection are "
    "used again. Type a secret only if it was changed in the Intuit developer portal."
)
RECONNECT_MISSING = (
    "This computer no longer has {what} of this connection (for example after the demo was "
    "restarted, or on another computer). Type {it} below."
)


COMPANY_HINT = (
    "Shown next to the API key in Scoro, Settings > External connections > API; usually your "
    "site's name."
)
COMPANY_PLACEHOLDER = "usually your site's name, e.g. yourcompany"
SAVED_PLACEHOLDER = "saved — leave empty to keep the saved one"
SIBLING_PLACEHOLDER = "saved for {name} — leave empty to use it"


def _show_borrowed(
    note: QLabel, field: QLineEdit, source: ConnectionInfo | None, what: str, short: str
) -> None:
    """Say (and tell screen readers) that an empty `field` stands for `source`'s saved one."""
    text = (
        f"The {what} saved for {source.entity_name} will be used. Type a {short} only to use "
        "another."
        if source is not None
        else ""
    )
    note.setText(text)
    note.setVisible(source is not None)
    field.setAccessibleDescription(text)


def site_name(site_url: str) -> str:
    """yourcompany.scoro.com -> yourcompany: Scoro's default company account id."""
    text = site_url.strip()
    host = QUrl(text if "//" in text else f"https://{text}").host()
    if not host or host == "localhost" or host.replace(".", "").isdigit():
        return ""
    return host.split(".")[0]


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


def open_url(url: QUrl) -> bool:
    """Indirection so tests can play the browser."""
    return QDesktopServices.openUrl(url)


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def connected_text(svc, info: ConnectionInfo) -> str:
    """R05 said out loud: what was pulled on connecting, and that documents wait for Finish."""
    try:
        pulled = svc.pulled_on_connect(info.id)
    except Exception:  # noqa: BLE001 - a count is a courtesy; never block connecting on it
        pulled = {}
    accounts, rates = pulled.get("account", 0), pulled.get("tax_rate", 0)
    return (
        f"Connected to {info.qbo_company_name}. Pulled from QuickBooks: "
        f"{plural(accounts, 'account', 'accounts')}, {plural(rates, 'tax rate', 'tax rates')}. "
        "No documents are synced until you finish the first settings."
    )


def _status(label: QLabel, text: str, kind: str = "") -> None:
    label.setText(text)
    label.setProperty("kind", kind)
    if kind == "error":
        label.setStyleSheet(
            "color: palette(bright-text); background: #b3261e; padding: 4px; border-radius: 3px;"
        )
    else:
        label.setStyleSheet("")


class WelcomePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Connect Scoro to QuickBooks Online")
        text = QLabel(
            "<p>This assistant pairs one Scoro entity (company account) with one QuickBooks "
            "Online company. You will need:</p>"
            "<ul><li>your Scoro site address and an API key;</li>"
            "<li>the client id and secret of your QuickBooks app (Intuit developer portal);</li>"
            "<li>to sign in to QuickBooks in your browser and choose the company.</li></ul>"
            "<p>Nothing is synced until you have checked the settings at the end.</p>"
            "<p><b>QuickBooks Online only — QuickBooks Desktop is not supported.</b></p>"
            "<p>A Scoro site with several entities can connect each entity to a different "
            "QuickBooks company: run this assistant once per entity.</p>"
        )
        text.setObjectName("welcomeText")
        text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addStretch(1)


class ScoroPage(QWizardPage):
    def __init__(self, wizard: ConnectionWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Scoro")
        self.setSubTitle("Your Scoro site, an API key, and the entity to connect.")
        self.site = QLineEdit()
        self.site.setObjectName("scoroSite")
        self.site.setPlaceholderText("https://yourcompany.scoro.com")
        self.site.setAccessibleName("Scoro site address")
        self.api_key = QLineEdit()
        self.api_key.setObjectName("scoroApiKey")
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.api_key.setAccessibleName("Scoro API key")
        self.company = QLineEdit()
        self.company.setObjectName("scoroCompanyAccount")
        self.company.setAccessibleName("Scoro company account id")
        self.company.setToolTip(COMPANY_HINT)
        help_text = QLabel(
            "Where to find them: in Scoro, <i>Settings &gt; External connections &gt; "
            "API</i>. The company account id is shown next to the API key; it is usually your "
            "site's name. The key is kept in your system keyring, never in a file."
        )
        help_text.setObjectName("scoroHelp")
        help_text.setWordWrap(True)
        self.saved_key_note = QLabel()
        self.saved_key_note.setObjectName("scoroSavedKeyNote")
        self.saved_key_note.setWordWrap(True)
        self.saved_key_note.setVisible(False)
        self.test_button = QPushButton("Test")
        self.test_button.setObjectName("scoroTest")
        self.test_button.setToolTip("Connect to Scoro and list its entities")
        self.status = QLabel()
        self.status.setObjectName("scoroStatus")
        self.status.setWordWrap(True)
        self.entities = QListWidget()
        self.entities.setObjectName("scoroEntities")
        self.entities.setAccessibleName("Entities found")
        # Room above each name: without it the dots of "OÜ" are cut off and read "OU".
        self.entities.setStyleSheet("QListWidget#scoroEntities::item { padding: 3px 2px; }")
        form = QFormLayout()
        form.addRow("Site address:", self.site)
        form.addRow("API key:", self.api_key)
        form.addRow("", self.saved_key_note)
        company_row = QHBoxLayout()
        company_row.addWidget(self.company, 1)
        company_row.addWidget(self.test_button)
        form.addRow("Company account id:", company_row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(help_text)
        layout.addSpacing(8)
        layout.addWidget(self.status)
        layout.addWidget(QLabel("Entity to connect:"))
        layout.addWidget(self.entities, 1)
        self.next_hint = QLabel()
        self.next_hint.setObjectName("scoroNextHint")
        self.next_hint.setWordWrap(True)
        layout.addWidget(self.next_hint)
        self.found: list[ScoroEntity] = []
        self._tested_with: tuple[str, str, str] | None = None
        self.test_button.clicked.connect(self.test)
        self.api_key.returnPressed.connect(self.test)
        self.company.returnPressed.connect(self.test)
        self.entities.currentRowChanged.connect(lambda _r: emit(self.completeChanged))
        for edit in (self.site, self.api_key, self.company):
            edit.textChanged.connect(self._inputs_changed)
        self._inputs_changed()

    def _inputs_changed(self, *_args) -> None:
        # The service falls back to the site's name; show that default rather than hide it.
        guess = site_name(self.site.text())
        self.company.setPlaceholderText(
            f"{guess} (from the site address)" if guess else COMPANY_PLACEHOLDER
        )
        # A second entity of a connected site: the key saved for the first one serves it too.
        source = self.wiz.site_sibling(self.site.text())
        _show_borrowed(self.saved_key_note, self.api_key, source, "API key", "key")
        self.api_key.setPlaceholderText(
            SIBLING_PLACEHOLDER.format(name=source.entity_name) if source is not None else ""
        )
        emit(self.completeChanged)

    def inputs(self) -> tuple[str, str, str]:
        return (
            self.site.text().strip(),
            self.api_key.text().strip(),
            self.company.text().strip(),
        )

    def test(self) -> None:
        site, key, company = self.inputs()
        source = self.wiz.site_sibling(site)
        problem = messages.site_problem(site)
        if problem:
            _status(self.status, problem, "error")
            self.site.setFocus()
            return
        if not (key or source is not None):
            _status(
                self.status,
                "Enter the API key first. In Scoro it is under Settings > External "
                "connections > API.",
                "error",
            )
            self.api_key.setFocus()
            return
        # An empty key means the one saved for `source`; the service reads it from the keyring.
        source_id = source.id if source is not None else None
        self.test_button.setEnabled(False)
        _status(self.status, "Connecting to Scoro…")
        self.entities.clear()

        def done(found):
            self.test_button.setEnabled(True)
            self.found = list(found)
            self._tested_with = (site, key, company)
            self._fill()
            _status(
                self.status,
                f"Connected. {len(self.found)} entit"
                f"{'y' if len(self.found) == 1 else 'ies'} found.",
                "ok",
            )

        def failed(exc):
            self.test_button.setEnabled(True)
            self.found = []
            self._tested_with = None
            _status(self.status, messages.describe(exc), "error")
            emit(self.completeChanged)

        self.wiz.track(
            run_task(
                lambda: self.wiz.svc.test_scoro(
                    site, key, company or None, connection_id=source_id
                ),
                done,
                failed,
                name="test_scoro",
            )
        )

    def _fill(self) -> None:
        self.entities.clear()
        # A connection whose sign-in is gone (reconnect needed) is not taken: choosing its
        # entity here signs it in again, as Reconnect does.
        connected = {
            c.company_account_id
            for c in self.wiz.existing
            if c.status not in (ConnectionStatus.DISCONNECTED, ConnectionStatus.RECONNECT_NEEDED)
        }
        expired = {
            c.company_account_id
            for c in self.wiz.existing
            if c.status is ConnectionStatus.RECONNECT_NEEDED
        }
        preferred = self.wiz.preferred_entity()
        select = -1
        for row, ent in enumerate(self.found):
            currencies = ent.base_currency
            label = f"{ent.name} — {currencies}"
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, ent.company_account_id)
            taken = ent.company_account_id in connected and ent.company_account_id != preferred
            if taken:
                item.setText(f"{label} (already connected)")
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip("Choose it in the main window to change its settings.")
            elif ent.company_account_id in expired:
                item.setText(f"{label} (needs to sign in again)")
                item.setToolTip("Choose it to sign in to QuickBooks again; its settings stay.")
            if not taken and (select < 0 or ent.company_account_id == preferred):
                select = row
            self.entities.addItem(item)
        if select >= 0:
            self.entities.setCurrentRow(select)
        emit(self.completeChanged)

    def entity(self) -> ScoroEntity | None:
        row = self.entities.currentRow()
        if 0 <= row < len(self.found):
            item = self.entities.item(row)
            if item.flags() & Qt.ItemFlag.ItemIsEnabled:
                return self.found[row]
        return None

    def select_entity(self, company_account_id: str) -> None:
        for row, ent in enumerate(self.found):
            if ent.company_account_id == company_account_id:
                self.entities.setCurrentRow(row)

    def isComplete(self) -> bool:
        done = self._tested_with == self.inputs() and self.entity() is not None
        # Say why Next is not available yet, next to it, instead of leaving it grey.
        if done:
            hint = ""
        elif self._tested_with != self.inputs():
            hint = "To go on, click Test: it checks the address and key and lists the entities."
        else:
            hint = "To go on, choose the entity to connect in the list."
        self.next_hint.setText(hint)
        return done


class AppPage(QWizardPage):
    def __init__(self, wizard: ConnectionWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("QuickBooks app")
        self.setSubTitle(
            "The keys of your QuickBooks app, from the Intuit developer portal "
            "(Keys & credentials)."
        )
        self.environment = QComboBox()
        self.environment.setObjectName("qboEnvironment")
        self.environment.setAccessibleName("QuickBooks environment")
        for text, value in ENVIRONMENTS:
            self.environment.addItem(text, value)
        self.client_id = QLineEdit()
        self.client_id.setObjectName("qboClientId")
        self.client_id.setAccessibleName("Client id")
        self.client_secret = QLineEdit()
        self.client_secret.setObjectName("qboClientSecret")
        self.client_secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.client_secret.setAccessibleName("Client secret")
        self.redirect = QLineEdit()
        self.redirect.setObjectName("qboRedirect")
        self.redirect.setAccessibleName("Redirect address")
        self.redirect.setPlaceholderText("Leave empty unless you use production keys")
        self.redirect_label = QLabel("Redirect address:")
        self.redirect_help = QLabel()
        self.redirect_help.setWordWrap(True)
        self.local_url = QLineEdit()
        self.local_url.setObjectName("qboLocalUrl")
        self.local_url.setAccessibleName("Local demo QuickBooks address")
        self.local_label = QLabel("Demo server:")
        self.error = QLabel()
        self.error.setObjectName("appError")
        self.error.setWordWrap(True)
        self.reconnect_note = QLabel(RECONNECT_ALL_SAVED)
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
        self.scoro_key.setAccessibleName("Scoro API key")
        self.scoro_key.setToolTip("In Scoro: Settings > External connections > API")
        self.form = form = QFormLayout(self)
        form.addRow(self.reconnect_note)
        form.addRow("Scoro API key:", self.scoro_key)
        form.setRowVisible(self.scoro_key, False)
        form.addRow("Environment:", self.environment)
        form.addRow("Client id:", self.client_id)
        form.addRow("Client secret:", self.client_secret)
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
                "Intuit accepts a localhost redirect only for development keys. With production "
                "keys enter the https address registered in your app; after you authorize, "
                "paste the address the browser shows."
            )
        else:
            self.redirect_help.setText(
                "Leave empty: QuickBooks sends its answer straight back to this computer. "
                "Your app's redirect URIs in the Intuit developer portal must include "
                "http://localhost."
            )
        emit(self.completeChanged)

    def config(self) -> QboAppConfig:
        return QboAppConfig(
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
        _show_borrowed(
            self.saved_secret_note, self.client_secret, source, "client secret", "secret"
        )
        if self.wiz.reuses_secrets() and self.wiz.saved_secret:
            self.client_secret.setPlaceholderText(SAVED_PLACEHOLDER)
        elif source is not None:
            self.client_secret.setPlaceholderText(
                SIBLING_PLACEHOLDER.format(name=source.entity_name)
            )
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
            _status(
                self.error,
                "Production keys need an https redirect address: enter the one "
                "registered in your QuickBooks app.",
                "error",
            )
            return False
        if redirect and not (
            redirect.startswith("https://") or redirect.startswith("http://localhost")
        ):
            _status(
                self.error,
                "The redirect address must start with https:// (or be "
                "http://localhost… for development keys).",
                "error",
            )
            return False
        _status(self.error, "")
        return True


class AuthorizePage(QWizardPage):
    def __init__(self, wizard: ConnectionWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Authorize")
        self.setSubTitle(
            "Sign in to QuickBooks in your browser, choose the company and click "
            "Connect. Then come back here."
        )
        self.open_button = QPushButton(icon("app"), "Open QuickBooks in your browser")
        self.open_button.setObjectName("openBrowser")
        self.open_button.setDefault(True)
        self.waiting = QWidget()
        wait_row = QHBoxLayout(self.waiting)
        wait_row.setContentsMargins(0, 0, 0, 0)
        self.spinner = QProgressBar()
        self.spinner.setRange(0, 0)
        self.spinner.setMaximumWidth(120)
        self.wait_label = QLabel("Waiting for you to authorize in the browser…")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("cancelAuthorization")
        wait_row.addWidget(self.spinner)
        wait_row.addWidget(self.wait_label, 1)
        wait_row.addWidget(self.cancel_button)
        self.waiting.setVisible(False)

        self.copy_row = QWidget()
        copy_box = QHBoxLayout(self.copy_row)
        copy_box.setContentsMargins(0, 0, 0, 0)
        copy_box.addWidget(QLabel("Browser didn't open?"))
        self.copy_button = QPushButton("Copy link")
        self.copy_button.setObjectName("copyLink")
        self.copy_button.setToolTip("Copy the QuickBooks address; paste it into your browser")
        copy_box.addWidget(self.copy_button)
        copy_box.addStretch(1)
        self.copy_row.setVisible(False)

        self.paste = QLineEdit()
        self.paste.setObjectName("pastedAddress")
        self.paste.setAccessibleName("The address you were sent to")
        self.paste.setPlaceholderText("https://…?code=…&state=…&realmId=…")
        self.paste_button = QPushButton("Continue")
        self.paste_button.setObjectName("usePastedAddress")
        paste_box = QGroupBox("Paste the address you were sent to")
        paste_layout = QHBoxLayout(paste_box)
        paste_layout.addWidget(self.paste, 1)
        paste_layout.addWidget(self.paste_button)
        self.paste_help = QLabel(
            "If the browser ends on a page that does not load, copy the whole address from the "
            "browser's address bar and paste it here."
        )
        self.paste_help.setWordWrap(True)

        self.status = QLabel()
        self.status.setObjectName("authStatus")
        self.status.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.waiting)
        layout.addWidget(self.copy_row)
        layout.addSpacing(12)
        layout.addWidget(paste_box)
        layout.addWidget(self.paste_help)
        layout.addWidget(self.status)
        layout.addStretch(1)

        self.request: AuthorizationRequest | None = None
        self._wait_cancel: threading.Event | None = None
        self._busy = False
        self.open_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel_wait)
        self.copy_button.clicked.connect(self.copy_link)
        self.paste_button.clicked.connect(self.use_pasted)
        self.paste.returnPressed.connect(self.use_pasted)

    def initializePage(self) -> None:
        if self.wiz.info is None:
            _status(self.status, "")

    def isComplete(self) -> bool:
        return self.wiz.info is not None and not self._busy

    def start(self) -> None:
        self.cancel_wait()
        choice = self.wiz.scoro_choice()
        app = self.wiz.page(PAGE_APP).config()
        if choice is None:
            _status(self.status, "Choose a Scoro entity first (Back).", "error")
            return
        site, key, company_account_id = choice
        reconnect_id = self.wiz.reconnect_id(site, company_account_id)
        source = self.wiz.secrets_source()
        copy_from = source.id if source is not None else None
        self.open_button.setEnabled(False)
        _status(self.status, "Preparing the QuickBooks sign-in…")

        def begin():
            # An empty key or secret means "the one saved for this connection" on Reconnect,
            # or "the one saved for the other entity of this site" (copy_from).
            return self.wiz.svc.begin_authorization(
                site,
                key,
                company_account_id,
                app,
                connection_id=reconnect_id,
                copy_secrets_from=copy_from,
            )

        def failed(exc):
            self.open_button.setEnabled(True)
            _status(self.status, messages.describe(exc), "error")

        self.wiz.track(run_task(begin, self._begun, failed, name="begin_authorization"))

    def _begun(self, request: AuthorizationRequest) -> None:
        self.request = request
        self.open_button.setEnabled(True)
        self.open_button.setText("Open QuickBooks in your browser again")
        self.copy_row.setVisible(True)
        opened = open_url(QUrl(request.url))
        if not opened:
            _status(
                self.status,
                "Your browser did not open. Click Copy link and paste the link into your browser.",
                "error",
            )
        else:
            _status(self.status, "")
        if request.uses_loopback:
            self._wait(request)
        else:
            _status(
                self.status,
                "After you click Connect in QuickBooks, copy the address the "
                "browser shows and paste it below.",
            )

    def _wait(self, request: AuthorizationRequest) -> None:
        cancel = threading.Event()
        self._wait_cancel = cancel
        self.waiting.setVisible(True)
        svc = self.wiz.svc

        def work():
            url = svc.wait_for_callback(request, AUTH_TIMEOUT_SECONDS, cancel)
            if cancel.is_set():
                return None
            return svc.complete_authorization(request, url)

        def done(info):
            if self._wait_cancel is cancel:
                self.waiting.setVisible(False)
                self._wait_cancel = None
            if info is not None:
                self._connected(info)

        def failed(exc):
            if self._wait_cancel is cancel:
                self.waiting.setVisible(False)
                self._wait_cancel = None
            if cancel.is_set():
                return
            text = messages.describe(exc)
            if isinstance(exc, TimeoutError) or "timed out" in text.lower():
                text = (
                    "No answer from QuickBooks in time. Click “Open QuickBooks in your "
                    "browser” to try again, or paste the address you were sent to."
                )
            _status(self.status, text, "error")

        self.wiz.track(run_task(work, done, failed, name="wait_for_callback"))

    def cancel_wait(self) -> None:
        cancel, self._wait_cancel = self._wait_cancel, None
        self.waiting.setVisible(False)
        if cancel is None:
            return
        cancel.set()
        request = self.request
        if request is not None:
            svc = self.wiz.svc
            run_task(
                lambda: svc.cancel_authorization(request),
                None,
                lambda e: log.info("cancel_authorization: %s", e),
                name="cancel_auth",
            )
        _status(self.status, "Cancelled. Click “Open QuickBooks in your browser” to start again.")

    def copy_link(self) -> None:
        if self.request is not None:
            QGuiApplication.clipboard().setText(self.request.url)
            _status(self.status, "Link copied. Paste it into your browser's address bar.")

    def use_pasted(self) -> None:
        url = self.paste.text().strip()
        request = self.request
        if request is None:
            _status(self.status, "Click “Open QuickBooks in your browser” first.", "error")
            return
        if not url:
            _status(self.status, "Paste the whole address from the browser first.", "error")
            return
        if self._wait_cancel is not None:
            self._wait_cancel.set()
            self._wait_cancel = None
            self.waiting.setVisible(False)
        self._busy = True
        self.paste_button.setEnabled(False)
        _status(self.status, "Connecting…")

        def failed(exc):
            self._busy = False
            self.paste_button.setEnabled(True)
            _status(self.status, messages.describe(exc), "error")
            emit(self.completeChanged)

        def done(info):
            self._busy = False
            self.paste_button.setEnabled(True)
            self._connected(info)

        self.wiz.track(
            run_task(
                lambda: self.wiz.svc.complete_authorization(request, url),
                done,
                failed,
                name="complete_authorization",
            )
        )

    def _connected(self, info: ConnectionInfo) -> None:
        self.wiz.info = info
        self.wiz.connection_id = info.id
        _status(self.status, connected_text(self.wiz.svc, info), "ok")
        self.open_button.setEnabled(False)
        emit(self.completeChanged)
        if self.wiz.currentId() == PAGE_AUTHORIZE:
            self.wiz.next()

    def abort(self) -> None:
        if self._wait_cancel is not None:
            self.cancel_wait()


class CurrencyPage(QWizardPage):
    def __init__(self, wizard: ConnectionWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Currencies")
        self.setSubTitle(
            "Scoro's base currency must match QuickBooks' home currency, unless "
            "QuickBooks multicurrency is on."
        )
        self.icon = QLabel()
        self.result = QLabel()
        self.result.setObjectName("currencyResult")
        self.result.setWordWrap(True)
        font = self.result.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.result.setFont(font)
        self.fixes = QLabel(R04_FIXES)
        self.fixes.setObjectName("currencyFixes")
        self.fixes.setWordWrap(True)
        self.check_button = QPushButton("Check again")
        self.check_button.setObjectName("checkAgain")
        self.check_button.setToolTip("Read both currencies again from Scoro and QuickBooks")
        row = QHBoxLayout()
        row.addWidget(self.icon)
        row.addWidget(self.result, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.fixes)
        layout.addWidget(self.check_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self.check: CurrencyCheck | None = None
        self._checking = False
        self.check_button.clicked.connect(self.run_check)

    def initializePage(self) -> None:
        self.run_check()

    def run_check(self) -> None:
        cid = self.wiz.connection_id
        if cid is None:
            return
        self._checking = True
        self.check_button.setEnabled(False)
        self.icon.clear()
        self.result.setText("Checking both currencies…")
        self.fixes.setVisible(False)
        emit(self.completeChanged)

        def done(check: CurrencyCheck):
            self._checking = False
            self.check_button.setEnabled(True)
            self.show_check(check)

        def failed(exc):
            self._checking = False
            self.check_button.setEnabled(True)
            self.icon.setPixmap(icon("error").pixmap(24, 24))
            self.result.setText(f"The currencies could not be read. {messages.describe(exc)}")
            emit(self.completeChanged)

        self.wiz.track(
            run_task(
                lambda: self.wiz.svc.check_currencies(cid), done, failed, name="check_currencies"
            )
        )

    def show_check(self, check: CurrencyCheck) -> None:
        self.check = check
        if check.ok:
            self.icon.setPixmap(icon("ok").pixmap(24, 24))
            if check.scoro_currency == check.qbo_currency:
                text = f"✓ {check.scoro_currency} in both Scoro and QuickBooks."
            else:
                text = (
                    f"✓ Scoro uses {check.scoro_currency}, QuickBooks {check.qbo_currency} "
                    "with multicurrency on."
                )
            self.result.setText(text)
            self.fixes.setVisible(False)
            self.check_button.setVisible(False)
        else:
            self.icon.setPixmap(icon("error").pixmap(24, 24))
            # The fixes are listed below; the service's full sentence stays in the tooltip.
            text = (
                f"Scoro's base currency is {check.scoro_currency} but QuickBooks' home currency "
                f"is {check.qbo_currency}, and QuickBooks multicurrency is off, so this "
                "connection cannot be activated yet."
            )
            self.result.setToolTip(check.message)
            self.result.setText(f"✗ {text}")
            self.fixes.setVisible(True)
            self.check_button.setVisible(True)
        emit(self.completeChanged)

    def isComplete(self) -> bool:
        return self.check is not None and self.check.ok and not self._checking

    def nextId(self) -> int:
        # Reconnecting keeps the settings the bookkeeper already chose.
        return -1 if self.wiz.reconnect_info is not None else PAGE_SETTINGS


class SettingsPage(QWizardPage):
    """R06: categories and directions, automatic or manual, default accounts."""

    def __init__(self, wizard: ConnectionWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("First settings")
        self.setSubTitle(
            "What to sync, which way, and how often. You can change all of this "
            "later in the main window."
        )
        self.grid_box = QGroupBox("What to sync, which way, and from which date")
        self.grid = QGridLayout(self.grid_box)
        self.rows: dict[Category, tuple[QCheckBox, QComboBox | None]] = {}
        self.dates: dict[Category, QDateEdit] = {}
        self.dates_reviewed = False
        for row, category in enumerate(CATEGORY_ORDER):
            check = QCheckBox(category.label)
            check.setObjectName(f"wizardEnabled_{category.value}")
            self.grid.addWidget(check, row, 0)
            fixed = category.fixed_direction
            combo = None
            if fixed is not None:
                self.grid.addWidget(QLabel(fixed.label), row, 1)
            else:
                combo = QComboBox()
                combo.setObjectName(f"wizardDirection_{category.value}")
                combo.setAccessibleName(f"Direction for {category.label}")
                for direction in Direction:
                    combo.addItem(direction.label, direction)
                self.grid.addWidget(combo, row, 1)
            self.rows[category] = (check, combo)
            date = QDateEdit()
            date.setObjectName(f"wizardFrom_{category.value}")
            date.setAccessibleName(f"{category.label}: sync from")
            date.setCalendarPopup(True)
            date.setDisplayFormat("d MMM yyyy")
            self.grid.addWidget(date, row, 2)
            self.dates[category] = date
        self.dates_note = QLabel()
        self.dates_note.setObjectName("wizardDatesNote")
        self.dates_note.setWordWrap(True)

        mode_box = QGroupBox("When to sync")
        mode_layout = QHBoxLayout(mode_box)
        self.automatic = QRadioButton("Automatic")
        self.automatic.setObjectName("wizardAutomatic")
        self.frequency = QComboBox()
        self.frequency.setObjectName("wizardFrequency")
        self.frequency.setAccessibleName("How often")
        for mode in ("hourly", "daily", "weekly"):
            self.frequency.addItem(mode.capitalize(), mode)
        self.frequency.setCurrentIndex(1)
        self.manual = QRadioButton("Manual")
        self.manual.setObjectName("wizardManual")
        group = QButtonGroup(self)
        group.addButton(self.automatic)
        group.addButton(self.manual)
        mode_layout.addWidget(self.automatic)
        mode_layout.addWidget(self.frequency)
        mode_layout.addSpacing(24)
        mode_layout.addWidget(self.manual)
        mode_layout.addStretch(1)

        accounts_box = QGroupBox("Default accounts (from your QuickBooks chart of accounts)")
        accounts = QFormLayout(accounts_box)
        self.income = QComboBox()
        self.income.setObjectName("wizardIncome")
        self.income.setAccessibleName("Default income account")
        self.income.setToolTip("Given to new products sent to QuickBooks.")
        self.expense = QComboBox()
        self.expense.setObjectName("wizardExpense")
        self.expense.setAccessibleName("Default expense account")
        self.expense.setToolTip("Used on bill lines without a product.")
        accounts.addRow("Income account:", self.income)
        accounts.addRow("Expense account:", self.expense)

        self.error = QLabel()
        self.error.setObjectName("settingsError")
        self.error.setWordWrap(True)
        self.finish_hint = QLabel()
        self.finish_hint.setObjectName("settingsFinishHint")
        self.finish_hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.grid_box)
        layout.addWidget(self.dates_note)
        layout.addWidget(mode_box)
        layout.addWidget(accounts_box)
        layout.addWidget(self.finish_hint)
        layout.addWidget(self.error)
        for w in (self.automatic, self.manual):
            w.toggled.connect(lambda _on: emit(self.completeChanged))
        for combo in (self.income, self.expense):
            combo.currentIndexChanged.connect(lambda _i: emit(self.completeChanged))
        self.automatic.toggled.connect(self.frequency.setEnabled)

    def initializePage(self) -> None:
        cid = self.wiz.connection_id
        if cid is None:
            return
        svc = self.wiz.svc
        configs = {c.category: c for c in svc.categories(cid)}
        for category, (check, combo) in self.rows.items():
            cfg = configs.get(category)
            check.setVisible(cfg is not None)
            self.dates[category].setVisible(cfg is not None)
            if combo is not None:
                combo.setVisible(cfg is not None)
            if cfg is None:
                continue
            check.setChecked(cfg.enabled)
            if cfg.unavailable_reason:
                check.setEnabled(False)
                check.setChecked(False)
                check.setToolTip(messages.plain(cfg.unavailable_reason))
            if combo is not None:
                combo.setCurrentIndex(max(0, combo.findData(cfg.direction)))
            self._show_date(category, cfg)
        floor = next((c.start_date_floor for c in configs.values() if c.start_date_floor), None)
        self.dates_note.setText(
            "Synced from each date on; the earliest is "
            + (f"{floor.day} {floor:%b %Y}, " if floor else "")
            + "the day of connecting. A date is locked once that category's first sync has run."
        )
        settings = svc.sync_settings(cid)
        for combo, purpose, current in (
            (self.income, "income", settings.default_income_account),
            (self.expense, "expense", settings.default_expense_account),
        ):
            combo.clear()
            combo.addItem("— choose an account —", None)
            for acc in svc.accounts(cid, purpose):
                combo.addItem(acc.label, acc.id)
            combo.setCurrentIndex(max(0, combo.findData(current)))
        if settings.mode == "manual":
            self.manual.setChecked(True)
        else:
            self.automatic.setChecked(True)
            self.frequency.setCurrentIndex(max(0, self.frequency.findData(settings.mode)))
        self.frequency.setEnabled(self.automatic.isChecked())

    def _show_date(self, category: Category, cfg) -> None:
        date = self.dates[category]
        floor = cfg.start_date_floor
        if floor is not None:
            date.setMinimumDate(QDate(floor.year, floor.month, floor.day))
        value = cfg.start_date or floor or dt.date.today()
        date.setDate(QDate(value.year, value.month, value.day))
        date.setEnabled(not cfg.start_date_locked)
        date.setToolTip(
            "Locked: this category's first sync has run."
            if cfg.start_date_locked
            else f"{category.label} dated on or after this day are synced."
        )

    def start_dates(self) -> dict[Category, dt.date]:
        out = {}
        for category, date in self.dates.items():
            if not date.isHidden() and date.isEnabled():
                q = date.date()
                out[category] = dt.date(q.year(), q.month(), q.day())
        return out

    def isComplete(self) -> bool:
        missing = []
        if not (self.automatic.isChecked() or self.manual.isChecked()):
            missing.append("choose Automatic or Manual")
        if self.income.currentData() is None:
            missing.append("choose an income account")
        if self.expense.currentData() is None:
            missing.append("choose an expense account")
        # Why Finish is not available yet, said next to the settings that are missing.
        self.finish_hint.setText(
            "To finish, "
            + ", ".join(missing[:-1])
            + (" and " if len(missing) > 1 else "")
            + missing[-1]
            + "."
            if missing
            else ""
        )
        return not missing

    def validatePage(self) -> bool:
        cid = self.wiz.connection_id
        svc = self.wiz.svc
        try:
            for category, (check, combo) in self.rows.items():
                if not check.isVisible() or not check.isEnabled():
                    continue
                direction = combo.currentData() if combo is not None else None
                svc.update_category(
                    cid,
                    category,
                    enabled=check.isChecked(),
                    direction=direction,
                    start_date=self.start_dates().get(category),
                )
            current = svc.sync_settings(cid)
            svc.save_sync_settings(
                cid,
                SyncSettingsInfo(
                    mode=self.frequency.currentData() if self.automatic.isChecked() else "manual",
                    background_mode=current.background_mode,
                    default_income_account=self.income.currentData(),
                    default_expense_account=self.expense.currentData(),
                    bills_without_tax=current.bills_without_tax,
                    attachments_mode=current.attachments_mode,
                ),
            )
            missing = svc.settings_complete(cid)
        except Exception as exc:  # noqa: BLE001 - SettingsInvalid and others: stay and say why
            _status(self.error, messages.describe(exc), "error")
            return False
        if missing:
            _status(self.error, "Still needed: " + "; ".join(missing), "error")
            return False
        _status(self.error, "")
        self.dates_reviewed = True
        return True


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
            title = f"Reconnect {reconnect.entity_name}"
        elif entity:
            title = f"Connect {entity[1].name} to QuickBooks Online"
        else:
            title = "Connect a Scoro entity to QuickBooks Online"
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
        missing = [
            what
            for what, saved in (
                ("the Scoro API key", self.saved_key),
                ("the QuickBooks client secret", self.saved_secret),
            )
            if not saved
        ]
        if not missing:
            return RECONNECT_ALL_SAVED
        return RECONNECT_MISSING.format(
            what=" and ".join(missing), it="it" if len(missing) == 1 else "they"
        ).replace("Type they", "Type them")

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
        if self.reuses_secrets():
            info = self.reconnect_info
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
