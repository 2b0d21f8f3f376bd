"""Documents tab: find one Scoro document or contact and act on it alone.

Rules R43, R53 and R55 in docs/rules.md."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..domain import Kind
from ..sync.types import DocumentSummary
from . import messages
from .language import QT_TRANSLATE_NOOP
from .qtcompat import emit
from .worker import run_task

KINDS = (
    (QT_TRANSLATE_NOOP("DocumentsPanel", "Invoices"), Kind.INVOICE),
    (QT_TRANSLATE_NOOP("DocumentsPanel", "Credit notes"), Kind.CREDIT_NOTE),
    (QT_TRANSLATE_NOOP("DocumentsPanel", "Bills"), Kind.BILL),
    (QT_TRANSLATE_NOOP("DocumentsPanel", "Contacts"), Kind.CUSTOMER),
)
PAYABLE = {Kind.INVOICE.value, Kind.BILL.value}
COLUMNS = (
    QT_TRANSLATE_NOOP("DocumentsPanel", "Number"),
    QT_TRANSLATE_NOOP("DocumentsPanel", "Contact"),
    QT_TRANSLATE_NOOP("DocumentsPanel", "Date"),
    QT_TRANSLATE_NOOP("DocumentsPanel", "Total"),
    QT_TRANSLATE_NOOP("DocumentsPanel", "Currency"),
    QT_TRANSLATE_NOOP("DocumentsPanel", "In QuickBooks"),
    QT_TRANSLATE_NOOP("DocumentsPanel", "Note"),
)


class DocumentsPanel(QWidget):
    action_finished = Signal(object)  # RunResult

    def __init__(self, service, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentsPanel")
        self.svc = service
        self.connection_id: int | None = None
        self.results: list[DocumentSummary] = []
        self._pending = 0
        self._explaining = False

        search_row = QHBoxLayout()
        self.kind = QComboBox()
        self.kind.setObjectName("documentKind")
        self.kind.setAccessibleName(self.tr("What to find"))
        for text, kind in KINDS:
            self.kind.addItem(self.tr(text), kind)
        self.text = QLineEdit()
        self.text.setObjectName("documentSearch")
        self.text.setPlaceholderText(self.tr("Number, contact or name…"))
        self.text.setAccessibleName(self.tr("Search Scoro"))
        self.text.setClearButtonEnabled(True)
        self.search_button = QPushButton(self.tr("Search Scoro"))
        self.search_button.setObjectName("documentSearchButton")
        search_row.addWidget(self.kind)
        search_row.addWidget(self.text, 1)
        search_row.addWidget(self.search_button)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("documentResults")
        self.table.setAccessibleName(self.tr("Documents found"))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)

        action_row = QHBoxLayout()
        self.send_button = QPushButton(self.tr("Send to QuickBooks"))
        self.send_button.setObjectName("sendToQuickBooks")
        self.send_button.setToolTip(
            self.tr(
                "Send the selected documents or contacts now. An invoice or bill can be sent "
                "until a payment is attached to it."
            )
        )
        self.receipts_button = QPushButton(self.tr("Pull receipts"))
        self.receipts_button.setObjectName("pullReceipts")
        self.receipts_button.setToolTip(
            self.tr(
                "Bring the payments recorded in QuickBooks for the selected invoice or bill into "
                "Scoro, until it is fully paid."
            )
        )
        self.attachments_button = QPushButton(self.tr("Send attachments"))
        self.attachments_button.setObjectName("sendAttachments")
        self.attachments_button.setToolTip(
            self.tr("Send the selected document's files from Scoro to QuickBooks.")
        )
        self.status = QLabel()
        self.status.setObjectName("documentStatus")
        self.status.setWordWrap(True)
        action_row.addWidget(self.send_button)
        action_row.addWidget(self.receipts_button)
        action_row.addWidget(self.attachments_button)
        action_row.addWidget(self.status, 1)

        self.hint = QLabel(
            self.tr(
                "Search Scoro by number or name, then send one document at a time. "
                "Leave the box empty and click Search Scoro to list the latest ones."
            )
        )
        self.hint.setObjectName("documentsHint")
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addLayout(search_row)
        layout.addWidget(self.hint, 1)
        layout.addWidget(self.table, 1)
        self.table.setVisible(False)
        layout.addLayout(action_row)

        self.search_button.clicked.connect(lambda: self.search())
        self.text.returnPressed.connect(lambda: self.search())
        self.kind.activated.connect(lambda _i: self.search())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.send_button.clicked.connect(lambda: self._act("send"))
        self.receipts_button.clicked.connect(lambda: self._act("receipts"))
        self.attachments_button.clicked.connect(lambda: self._act("attachments"))
        self._update_buttons()

    def set_connection(self, connection_id: int | None) -> None:
        if connection_id != self.connection_id:
            self.results = []
            self.table.setRowCount(0)
            self.status.clear()
            self.hint.setVisible(True)
            self.table.setVisible(False)
        self.connection_id = connection_id
        self._update_buttons()

    def search(self, note: str = "") -> None:
        """Search Scoro; `note` (what the last action did) stays shown over the count."""
        if self.connection_id is None:
            return
        cid, kind, text = self.connection_id, self.kind.currentData(), self.text.text().strip()
        self.status.setText(self.tr("Searching Scoro…"))
        self.search_button.setEnabled(False)

        def done(found):
            self.search_button.setEnabled(True)
            self.hint.setVisible(False)
            self.table.setVisible(True)
            self.results = list(found)
            self._fill()
            found = (
                self.tr("{count} found.").format(count=len(self.results))
                if self.results
                else self.tr("Nothing found.")
            )
            self.status.setText(note or found)

        def failed(exc):
            self.search_button.setEnabled(True)
            self.status.setText(self.tr("The search did not work."))
            messages.show_error(self, self.tr("Scoro could not be searched."), exc)

        run_task(lambda: self.svc.search_documents(cid, kind, text), done, failed, name="search")

    def _fill(self) -> None:
        self.table.setRowCount(0)
        for row, doc in enumerate(self.results):
            self.table.insertRow(row)
            values = (
                doc.number,
                doc.contact,
                doc.date.isoformat() if doc.date else "",
                doc.total,
                doc.currency,
                f"#{doc.qbo_id}" if doc.qbo_id else self.tr("not yet"),
                doc.why_not,
            )
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                if col == 3:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if doc.why_not:
                    item.setToolTip(doc.why_not)
                self.table.setItem(row, col, item)
        self._update_buttons()

    def selected(self) -> list[DocumentSummary]:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        return [self.results[r] for r in rows if r < len(self.results)]

    def _update_buttons(self) -> None:
        docs = self.selected()
        idle = self._pending == 0 and self.connection_id is not None
        self.send_button.setEnabled(idle and bool(docs) and all(d.can_send for d in docs))
        payable = bool(docs) and all(d.kind in PAYABLE for d in docs)
        self.receipts_button.setEnabled(idle and payable)
        self.attachments_button.setEnabled(idle and payable)
        self.search_button.setEnabled(self._pending == 0 and self.connection_id is not None)
        blocked = [d for d in docs if not d.can_send]
        if idle and blocked:
            # Say why Send is greyed out instead of leaving the bookkeeper to guess (R43).
            self.status.setText(
                "; ".join(
                    self.tr("{number} cannot be sent: {reason}").format(
                        number=d.number, reason=d.why_not or self.tr("not allowed")
                    )
                    for d in blocked
                )
            )
        elif idle and self._explaining:
            self.status.clear()
        self._explaining = idle and bool(blocked)

    def _act(self, action: str) -> None:
        docs = self.selected()
        if not docs or self.connection_id is None:
            return
        cid = self.connection_id
        call = {
            "send": self.svc.send_one,
            "receipts": self.svc.pull_receipts,
            "attachments": self.svc.send_attachments,
        }[action]
        doing = {
            "send": self.tr("Sending {documents}…"),
            "receipts": self.tr("Pulling receipts for {documents}…"),
            "attachments": self.tr("Sending attachments of {documents}…"),
        }[action]
        failure = {
            "send": self.tr("Sending {document} did not work."),
            "receipts": self.tr("Pulling receipts for {document} did not work."),
            "attachments": self.tr("Sending attachments of {document} did not work."),
        }[action]
        self.status.setText(doing.format(documents=", ".join(d.number for d in docs)))

        def work():
            return [call(cid, Kind(d.kind), d.scoro_id) for d in docs]

        def done(results):
            self._pending -= 1
            lines = []
            for d, r in zip(docs, results, strict=False):
                text = messages.plain(r.message or r.status)
                # The service names the document itself ("Invoice 1004 …"); say it once.
                lines.append(text if d.number and d.number in text else f"{d.number}: {text}")
            self.status.setText("; ".join(lines))
            self._update_buttons()
            for r in results:
                emit(self.action_finished, r)
            self.search(note="; ".join(lines))

        def failed(exc):
            self._pending -= 1
            self.status.setText(self.tr("Not done."))
            self._update_buttons()
            messages.show_error(self, failure.format(document=docs[0].number), exc)

        self._pending += 1
        self._update_buttons()
        run_task(work, done, failed, name=action)
