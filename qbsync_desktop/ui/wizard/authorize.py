"""The Authorize page: signing in to QuickBooks in the browser, or a pasted address."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from ...sync.types import AuthorizationRequest, ConnectionInfo
from .. import messages
from ..qtcompat import emit
from ..resources import icon
from ..worker import run_task
from .common import PAGE_AUTHORIZE, set_status

if TYPE_CHECKING:
    from .dialog import ConnectionWizard

log = logging.getLogger(__name__)

AUTH_TIMEOUT_SECONDS = 300.0


def open_url(url: QUrl) -> bool:
    """Indirection so tests can play the browser."""
    return QDesktopServices.openUrl(url)


class AuthorizePage(QWizardPage):
    def __init__(self, wizard: ConnectionWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle(self.tr("Authorize"))
        self.setSubTitle(
            self.tr(
                "Sign in to QuickBooks in your browser, choose the company and click "
                "Connect. Then come back here."
            )
        )
        self.open_button = QPushButton(icon("app"), self.tr("Open QuickBooks in your browser"))
        self.open_button.setObjectName("openBrowser")
        self.open_button.setDefault(True)
        self.waiting = QWidget()
        wait_row = QHBoxLayout(self.waiting)
        wait_row.setContentsMargins(0, 0, 0, 0)
        self.spinner = QProgressBar()
        self.spinner.setRange(0, 0)
        self.spinner.setMaximumWidth(120)
        self.wait_label = QLabel(self.tr("Waiting for you to authorize in the browser…"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("cancelAuthorization")
        wait_row.addWidget(self.spinner)
        wait_row.addWidget(self.wait_label, 1)
        wait_row.addWidget(self.cancel_button)
        self.waiting.setVisible(False)

        self.copy_row = QWidget()
        copy_box = QHBoxLayout(self.copy_row)
        copy_box.setContentsMargins(0, 0, 0, 0)
        copy_box.addWidget(QLabel(self.tr("Browser didn't open?")))
        self.copy_button = QPushButton(self.tr("Copy link"))
        self.copy_button.setObjectName("copyLink")
        self.copy_button.setToolTip(
            self.tr("Copy the QuickBooks address; paste it into your browser")
        )
        copy_box.addWidget(self.copy_button)
        copy_box.addStretch(1)
        self.copy_row.setVisible(False)

        self.paste = QLineEdit()
        self.paste.setObjectName("pastedAddress")
        self.paste.setAccessibleName(self.tr("The address you were sent to"))
        self.paste.setPlaceholderText("https://…?code=…&state=…&realmId=…")
        self.paste_button = QPushButton(self.tr("Continue"))
        self.paste_button.setObjectName("usePastedAddress")
        paste_box = QGroupBox(self.tr("Paste the address you were sent to"))
        paste_layout = QHBoxLayout(paste_box)
        paste_layout.addWidget(self.paste, 1)
        paste_layout.addWidget(self.paste_button)
        self.paste_help = QLabel(
            self.tr(
                "If the browser ends on a page that does not load, copy the whole address from "
                "the browser's address bar and paste it here."
            )
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
            set_status(self.status, "")

    def isComplete(self) -> bool:
        return self.wiz.info is not None and not self._busy

    def start(self) -> None:
        self.cancel_wait()
        choice = self.wiz.scoro_choice()
        app = self.wiz.app_page.config()
        if choice is None:
            set_status(self.status, self.tr("Choose a Scoro entity first (Back)."), "error")
            return
        site, key, company_account_id = choice
        reconnect_id = self.wiz.reconnect_id(site, company_account_id)
        source = self.wiz.secrets_source()
        copy_from = source.id if source is not None else None
        self.open_button.setEnabled(False)
        set_status(self.status, self.tr("Preparing the QuickBooks sign-in…"))

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
            set_status(self.status, messages.describe(exc), "error")

        self.wiz.track(run_task(begin, self._begun, failed, name="begin_authorization"))

    def _begun(self, request: AuthorizationRequest) -> None:
        self.request = request
        self.open_button.setEnabled(True)
        self.open_button.setText(self.tr("Open QuickBooks in your browser again"))
        self.copy_row.setVisible(True)
        opened = open_url(QUrl(request.url))
        if not opened:
            set_status(
                self.status,
                self.tr(
                    "Your browser did not open. Click Copy link and paste the link into your "
                    "browser."
                ),
                "error",
            )
        else:
            set_status(self.status, "")
        if request.uses_loopback:
            self._wait(request)
        else:
            set_status(
                self.status,
                self.tr(
                    "After you click Connect in QuickBooks, copy the address the "
                    "browser shows and paste it below."
                ),
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
                text = self.tr(
                    "No answer from QuickBooks in time. Click “Open QuickBooks in your "
                    "browser” to try again, or paste the address you were sent to."
                )
            set_status(self.status, text, "error")

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
        set_status(
            self.status,
            self.tr("Cancelled. Click “Open QuickBooks in your browser” to start again."),
        )

    def copy_link(self) -> None:
        if self.request is not None:
            QGuiApplication.clipboard().setText(self.request.url)
            set_status(
                self.status, self.tr("Link copied. Paste it into your browser's address bar.")
            )

    def use_pasted(self) -> None:
        url = self.paste.text().strip()
        request = self.request
        if request is None:
            set_status(
                self.status, self.tr("Click “Open QuickBooks in your browser” first."), "error"
            )
            return
        if not url:
            set_status(
                self.status, self.tr("Paste the whole address from the browser first."), "error"
            )
            return
        if self._wait_cancel is not None:
            self._wait_cancel.set()
            self._wait_cancel = None
            self.waiting.setVisible(False)
        self._busy = True
        self.paste_button.setEnabled(False)
        set_status(self.status, self.tr("Connecting…"))

        def failed(exc):
            self._busy = False
            self.paste_button.setEnabled(True)
            set_status(self.status, messages.describe(exc), "error")
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
        set_status(self.status, self.connected_text(info), "ok")
        self.open_button.setEnabled(False)
        emit(self.completeChanged)
        if self.wiz.currentId() == PAGE_AUTHORIZE:
            self.wiz.next()

    def connected_text(self, info: ConnectionInfo) -> str:
        """R05 said out loud: what was pulled on connecting, and that documents wait for
        Finish."""
        try:
            pulled = self.wiz.svc.pulled_on_connect(info.id)
        except Exception:  # noqa: BLE001 - a count is a courtesy; never block connecting on it
            pulled = {}
        accounts, rates = pulled.get("account", 0), pulled.get("tax_rate", 0)
        return self.tr(
            "Connected to {company}. Pulled from QuickBooks: {accounts}, {rates}. "
            "No documents are synced until you finish the first settings."
        ).format(
            company=info.qbo_company_name,
            # %n messages go through self.tr: lupdate marks only tr() calls as plural.
            accounts=self.tr("%n accounts", "", accounts),
            rates=self.tr("%n tax rates", "", rates),
        )

    def abort(self) -> None:
        if self._wait_cancel is not None:
            self.cancel_wait()
