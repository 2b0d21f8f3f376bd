"""The Scoro page: site address, API key, and the entity to connect."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWizardPage,
)

from ...sync.types import ConnectionStatus, ScoroEntity
from .. import messages
from ..qtcompat import emit
from ..worker import run_task
from .common import set_status, show_borrowed, sibling_placeholder

if TYPE_CHECKING:
    from .dialog import ConnectionWizard


def site_name(site_url: str) -> str:
    """yourcompany.scoro.com -> yourcompany: Scoro's default company account id."""
    text = site_url.strip()
    host = QUrl(text if "//" in text else f"https://{text}").host()
    if not host or host == "localhost" or host.replace(".", "").isdigit():
        return ""
    return host.split(".")[0]


class ScoroPage(QWizardPage):
    def __init__(self, wizard: ConnectionWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Scoro")
        self.setSubTitle(self.tr("Your Scoro site, an API key, and the entity to connect."))
        self.site = QLineEdit()
        self.site.setObjectName("scoroSite")
        self.site.setPlaceholderText(self.tr("https://yourcompany.scoro.com"))
        self.site.setAccessibleName(self.tr("Scoro site address"))
        self.api_key = QLineEdit()
        self.api_key.setObjectName("scoroApiKey")
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.api_key.setAccessibleName(self.tr("Scoro API key"))
        self.company = QLineEdit()
        self.company.setObjectName("scoroCompanyAccount")
        self.company.setAccessibleName(self.tr("Scoro company account id"))
        self.company.setToolTip(
            self.tr(
                "Shown next to the API key in Scoro, Settings > External connections > API; "
                "usually your site's name."
            )
        )
        help_text = QLabel(
            self.tr(
                "Where to find them: in Scoro, <i>Settings &gt; External connections &gt; "
                "API</i>. The company account id is shown next to the API key; it is usually "
                "your site's name. The key is kept in your system keyring, never in a file."
            )
        )
        help_text.setObjectName("scoroHelp")
        help_text.setWordWrap(True)
        self.saved_key_note = QLabel()
        self.saved_key_note.setObjectName("scoroSavedKeyNote")
        self.saved_key_note.setWordWrap(True)
        self.saved_key_note.setVisible(False)
        self.test_button = QPushButton(self.tr("Test"))
        self.test_button.setObjectName("scoroTest")
        self.test_button.setToolTip(self.tr("Connect to Scoro and list its entities"))
        self.status = QLabel()
        self.status.setObjectName("scoroStatus")
        self.status.setWordWrap(True)
        self.entities = QListWidget()
        self.entities.setObjectName("scoroEntities")
        self.entities.setAccessibleName(self.tr("Entities found"))
        # Room above each name: without it the dots of "OÜ" are cut off and read "OU".
        self.entities.setStyleSheet("QListWidget#scoroEntities::item { padding: 3px 2px; }")
        form = QFormLayout()
        form.addRow(self.tr("Site address:"), self.site)
        form.addRow(self.tr("API key:"), self.api_key)
        form.addRow("", self.saved_key_note)
        company_row = QHBoxLayout()
        company_row.addWidget(self.company, 1)
        company_row.addWidget(self.test_button)
        form.addRow(self.tr("Company account id:"), company_row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(help_text)
        layout.addSpacing(8)
        layout.addWidget(self.status)
        layout.addWidget(QLabel(self.tr("Entity to connect:")))
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
            self.tr("{name} (from the site address)").format(name=guess)
            if guess
            else self.tr("usually your site's name, e.g. yourcompany")
        )
        # A second entity of a connected site: the key saved for the first one serves it too.
        source = self.wiz.site_sibling(self.site.text())
        show_borrowed(
            self.saved_key_note,
            self.api_key,
            source,
            self.tr("The API key saved for {name} will be used. Type a key only to use another."),
        )
        self.api_key.setPlaceholderText(
            sibling_placeholder(source.entity_name) if source is not None else ""
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
            set_status(self.status, problem, "error")
            self.site.setFocus()
            return
        if not (key or source is not None):
            set_status(
                self.status,
                self.tr(
                    "Enter the API key first. In Scoro it is under Settings > External "
                    "connections > API."
                ),
                "error",
            )
            self.api_key.setFocus()
            return
        # An empty key means the one saved for `source`; the service reads it from the keyring.
        source_id = source.id if source is not None else None
        self.test_button.setEnabled(False)
        set_status(self.status, self.tr("Connecting to Scoro…"))
        self.entities.clear()

        def done(found):
            self.test_button.setEnabled(True)
            self.found = list(found)
            self._tested_with = (site, key, company)
            self._fill()
            set_status(
                self.status, self.tr("Connected. %n entities found.", "", len(self.found)), "ok"
            )

        def failed(exc):
            self.test_button.setEnabled(True)
            self.found = []
            self._tested_with = None
            set_status(self.status, messages.describe(exc), "error")
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
                item.setText(self.tr("{entity} (already connected)").format(entity=label))
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip(self.tr("Choose it in the main window to change its settings."))
            elif ent.company_account_id in expired:
                item.setText(self.tr("{entity} (needs to sign in again)").format(entity=label))
                item.setToolTip(
                    self.tr("Choose it to sign in to QuickBooks again; its settings stay.")
                )
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
            hint = self.tr(
                "To go on, click Test: it checks the address and key and lists the entities."
            )
        else:
            hint = self.tr("To go on, choose the entity to connect in the list.")
        self.next_hint.setText(hint)
        return done
