"""The strip above the tabs: which entity is paired with which company, how it stands, and
the buttons that change that (Connect, Reconnect, Disconnect, Check currencies)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ..sync.types import ConnectionInfo, ConnectionStatus, ScoroEntity
from . import messages
from .formatting import STATUS_ICON, escape_html, run_status_text, status_text, when_text
from .resources import icon

SYSTEM_STYLE = "<span style='font-weight:normal; font-size:small'>"


class ConnectionHeader(QWidget):
    """Entity ⇄ company, currencies, status; Reconnect and Disconnect."""

    reconnect_clicked = Signal()
    connect_entity_clicked = Signal()
    disconnect_clicked = Signal()
    check_currencies_clicked = Signal()
    # The Disconnect button, under the name tests click; it hides QObject.disconnect.
    disconnect: QPushButton  # type: ignore[assignment]  # a button replaces the method

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("connectionHeader")
        self.title = QLabel()
        self.title.setObjectName("connectionTitle")
        self.title.setTextFormat(Qt.TextFormat.RichText)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title.setFont(font)
        self.status_icon = QLabel()
        self.status = QLabel()
        self.status.setObjectName("connectionStatus")
        self.status.setWordWrap(True)
        self.reconnect = QPushButton(self.tr("Reconnect…"))
        self.reconnect.setObjectName("reconnectButton")
        self.reconnect.setToolTip(
            self.tr("Authorize QuickBooks again; nothing synced so far is lost.")
        )
        self.currencies = QPushButton(self.tr("Check currencies again"))
        self.currencies.setObjectName("headerCheckCurrencies")
        self.connect_entity = QPushButton(self.tr("Connect…"))
        self.connect_entity.setObjectName("connectEntityButton")
        self.connect_entity.setToolTip(
            self.tr("Pair this Scoro entity with a QuickBooks Online company")
        )
        self.disconnect = QPushButton(self.tr("Disconnect…"))
        self.disconnect.setObjectName("disconnectButton")
        self.disconnect.setToolTip(
            self.tr("Stop syncing this pair and revoke QuickBooks' authorization. Links are kept.")
        )
        row = QHBoxLayout()
        row.addWidget(self.status_icon)
        row.addWidget(self.status, 1)
        row.addWidget(self.currencies)
        row.addWidget(self.connect_entity)
        row.addWidget(self.reconnect)
        row.addWidget(self.disconnect)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addLayout(row)
        self.reconnect.clicked.connect(self.reconnect_clicked)
        self.connect_entity.clicked.connect(self.connect_entity_clicked)
        self.disconnect.clicked.connect(self.disconnect_clicked)
        self.currencies.clicked.connect(self.check_currencies_clicked)
        self.show_connection(None)

    def show_connection(self, info: ConnectionInfo | None, *, running: bool = False) -> None:
        if info is None:
            self.title.setText(self.tr("<b>No connection yet</b>"))
            self.status.setText(
                self.tr(
                    "Click “Connect an entity” to pair a Scoro entity with a QuickBooks Online "
                    "company."
                )
            )
            self.status_icon.clear()
            for b in (self.reconnect, self.disconnect, self.currencies, self.connect_entity):
                b.setVisible(False)
            return
        self.connect_entity.setVisible(False)
        qbo = info.qbo_company_name or self.tr("not connected")
        qbo_cur = f" · {info.qbo_currency}" if info.qbo_currency else ""
        multi = " " + self.tr("(multicurrency)") if info.multicurrency else ""
        # Each side names its system first: company names often repeat the entity's name.
        self.title.setText(
            f"{SYSTEM_STYLE}Scoro</span> <b>{escape_html(info.entity_name)}</b> · "
            f"{escape_html(info.scoro_currency)} &nbsp;⇄&nbsp; {SYSTEM_STYLE}QuickBooks</span> "
            f"<b>{escape_html(qbo)}</b>{escape_html(qbo_cur)}{multi}"
        )
        parts = [status_text(info.status, str(info.status))]
        if running:
            parts.append(self.tr("synchronizing…"))
        elif info.last_run_at:
            result = run_status_text(info.last_run_status, info.last_run_status or "")
            last = self.tr("last sync {when}").format(when=when_text(info.last_run_at))
            parts.append(last + (f" ({result.lower()})" if result else ""))
        else:
            parts.append(self.tr("not synced yet"))
        if info.open_reviews:
            parts.append(self.tr("{count} to review").format(count=info.open_reviews))
        text = " · ".join(parts)
        if info.status_message and info.status is not ConnectionStatus.ACTIVE:
            text += f"\n{messages.plain(info.status_message)}"
        if not info.secrets_secure:
            text += "\n" + self.tr(
                "The QuickBooks and Scoro keys are kept in a plain file in the data folder "
                "(no keyring was available)."
            )
        self.status.setText(text)
        self.status_icon.setPixmap(icon(STATUS_ICON.get(info.status, "info")).pixmap(18, 18))
        self.reconnect.setVisible(
            info.status
            in (
                ConnectionStatus.RECONNECT_NEEDED,
                ConnectionStatus.DISCONNECTED,
                ConnectionStatus.DRAFT,
            )
        )
        self.reconnect.setText(
            self.tr("Reconnect…")
            if info.status is ConnectionStatus.RECONNECT_NEEDED
            else self.tr("Connect…")
        )
        self.currencies.setVisible(info.status is ConnectionStatus.CURRENCY_BLOCKED)
        self.disconnect.setVisible(info.status is not ConnectionStatus.DISCONNECTED)
        self.disconnect.setEnabled(not running)

    def show_entity(self, site: str, entity: ScoroEntity) -> None:
        """A Scoro entity without a connection: say so and offer to connect it; rule R03."""
        not_connected = self.tr("not connected")
        self.title.setText(
            f"{SYSTEM_STYLE}Scoro</span> <b>{escape_html(entity.name)}</b> · "
            f"{escape_html(entity.base_currency)} &nbsp;⇄&nbsp; {SYSTEM_STYLE}QuickBooks</span> "
            f"<i>{not_connected}</i>"
        )
        self.status.setText(
            self.tr(
                "This entity of {site} is not connected to QuickBooks Online yet. Click "
                "Connect… to pair it with a QuickBooks company."
            ).format(site=site)
        )
        self.status_icon.setPixmap(icon("disconnected").pixmap(18, 18))
        for b in (self.reconnect, self.disconnect, self.currencies):
            b.setVisible(False)
        self.connect_entity.setVisible(True)
