"""Reconcile tab: do Scoro and QuickBooks agree? Differences document by document, the open
balance per contact, and what can be done about each difference."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..sync.reconcile import ACTION_LABELS, WHAT_WORDS
from . import messages
from .language import QT_TRANSLATE_NOOP, translate
from .qtcompat import emit
from .worker import run_task

COLUMNS = (
    QT_TRANSLATE_NOOP("ReconcilePanel", "Document"),
    QT_TRANSLATE_NOOP("ReconcilePanel", "Difference"),
    "Scoro",
    "QuickBooks",
    QT_TRANSLATE_NOOP("ReconcilePanel", "Contact"),
    QT_TRANSLATE_NOOP("ReconcilePanel", "Details"),
)
CONTACT_COLUMNS = (
    QT_TRANSLATE_NOOP("ReconcilePanel", "Contact"),
    QT_TRANSLATE_NOOP("ReconcilePanel", "Currency"),
    QT_TRANSLATE_NOOP("ReconcilePanel", "Open in Scoro"),
    QT_TRANSLATE_NOOP("ReconcilePanel", "Open in QuickBooks"),
    "",
)
ACTIONS = ("send", "pull", "link", "review", "ignore")
# The ui's words for sync.reconcile's ACTION_LABELS and WHAT_WORDS (same keys).
ACTION_TEXT = {
    "send": QT_TRANSLATE_NOOP("ReconcilePanel", "Send Scoro's version to QuickBooks"),
    "pull": QT_TRANSLATE_NOOP("ReconcilePanel", "Bring QuickBooks' version into Scoro"),
    "link": QT_TRANSLATE_NOOP("ReconcilePanel", "Link the two"),
    "review": QT_TRANSLATE_NOOP("ReconcilePanel", "Open the review item"),
    "ignore": QT_TRANSLATE_NOOP("ReconcilePanel", "Ignore…"),
}
# On the buttons, short enough for five in a row at 1024 pixels; the full words are the tooltip.
BUTTON_TEXT = {
    "send": QT_TRANSLATE_NOOP("ReconcilePanel", "Send to QuickBooks"),
    "pull": QT_TRANSLATE_NOOP("ReconcilePanel", "Bring into Scoro"),
    "link": QT_TRANSLATE_NOOP("ReconcilePanel", "Link the two"),
    "review": QT_TRANSLATE_NOOP("ReconcilePanel", "Open review item"),
    "ignore": QT_TRANSLATE_NOOP("ReconcilePanel", "Ignore…"),
}
WHAT_TEXT = {
    "only_scoro": QT_TRANSLATE_NOOP("ReconcilePanel", "Only in Scoro"),
    "only_quickbooks": QT_TRANSLATE_NOOP("ReconcilePanel", "Only in QuickBooks"),
    "not_linked": QT_TRANSLATE_NOOP("ReconcilePanel", "Not linked"),
    "differs": QT_TRANSLATE_NOOP("ReconcilePanel", "Differs"),
    "contact_balance": QT_TRANSLATE_NOOP("ReconcilePanel", "Open balance"),
}


def words(text: str) -> str:
    return translate("ReconcilePanel", text) if text else ""


def action_text(name: str) -> str:
    return words(ACTION_TEXT[name]) if name in ACTION_TEXT else ACTION_LABELS[name]


def what_text(what: str) -> str:
    return words(WHAT_TEXT[what]) if what in WHAT_TEXT else WHAT_WORDS[what]


def ask_reason(parent: QWidget, label: str) -> str | None:
    """The reason a difference is ignored; None when the bookkeeper cancels."""
    text, ok = QInputDialog.getText(
        parent,
        translate("ReconcilePanel", "Ignore this difference"),
        translate("ReconcilePanel", "Why is {document} ignored? (kept with it)").format(
            document=label
        ),
    )
    return text.strip() if ok and text.strip() else None


def ask_csv_path(parent: QWidget) -> str | None:
    path, _ = QFileDialog.getSaveFileName(
        parent,
        translate("ReconcilePanel", "Export the differences"),
        "reconcile.csv",
        translate("ReconcilePanel", "CSV files (*.csv)"),
    )
    return path or None


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class ReconcilePanel(QWidget):
    review_requested = Signal(int)  # an open review item's id
    finished = Signal(object)  # Reconciliation
    action_finished = Signal(object)  # RunResult | None

    def __init__(self, service, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.svc = service
        self.connection_id: int | None = None
        self.result = None
        self.busy = False

        today = dt.date.today()
        self.date_from = QDateEdit(_qdate(today.replace(month=1, day=1)))
        self.date_from.setObjectName("reconcileFrom")
        self.date_from.setCalendarPopup(True)
        self.date_from.setDisplayFormat("yyyy-MM-dd")
        self.date_from.setAccessibleName(self.tr("First document date"))
        self.date_to = QDateEdit(_qdate(today))
        self.date_to.setObjectName("reconcileTo")
        self.date_to.setCalendarPopup(True)
        self.date_to.setDisplayFormat("yyyy-MM-dd")
        self.date_to.setAccessibleName(self.tr("Last document date"))
        self.check_button = QPushButton(self.tr("Check now"))
        self.check_button.setObjectName("reconcileCheck")
        self.check_button.setToolTip(
            self.tr(
                "Compare the invoices, credit notes, bills and receipts dated between these dates"
            )
        )
        self.export_button = QPushButton(self.tr("Export CSV…"))
        self.export_button.setObjectName("reconcileExport")
        self.export_button.setEnabled(False)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Documents dated from")))
        top.addWidget(self.date_from)
        top.addWidget(QLabel(self.tr("to")))
        top.addWidget(self.date_to)
        top.addWidget(self.check_button)
        top.addStretch(1)
        top.addWidget(self.export_button)

        self.summary = QLabel(self.tr("Press Check now to compare Scoro and QuickBooks."))
        self.summary.setObjectName("reconcileSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("reconcileTable")
        self.table.setAccessibleName(self.tr("Differences between Scoro and QuickBooks"))
        self.table.setHorizontalHeaderLabels([words(c) for c in COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

        self.buttons: dict[str, QPushButton] = {}
        actions = QHBoxLayout()
        for name in ACTIONS:
            button = QPushButton(words(BUTTON_TEXT[name]))
            button.setToolTip(action_text(name))
            button.setAccessibleName(action_text(name))
            button.setObjectName(f"reconcile_{name}")
            button.setEnabled(False)
            button.clicked.connect(lambda _c=False, n=name: self.act(n))
            self.buttons[name] = button
            actions.addWidget(button)
        actions.addStretch(1)

        self.contacts = QTableWidget(0, len(CONTACT_COLUMNS))
        self.contacts.setObjectName("reconcileContacts")
        self.contacts.setAccessibleName(self.tr("Open balance per contact"))
        self.contacts.setHorizontalHeaderLabels([words(c) for c in CONTACT_COLUMNS])
        self.contacts.verticalHeader().setVisible(False)
        self.contacts.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        cheader = self.contacts.horizontalHeader()
        cheader.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        cheader.setStretchLastSection(True)

        upper = QWidget()
        up = QVBoxLayout(upper)
        up.setContentsMargins(0, 0, 0, 0)
        up.addWidget(self.table, 1)
        up.addLayout(actions)
        lower = QWidget()
        low = QVBoxLayout(lower)
        low.setContentsMargins(0, 0, 0, 0)
        low.addWidget(QLabel(self.tr("<b>Open balance per contact</b> (documents in these dates)")))
        low.addWidget(self.contacts, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(upper)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)

        self.check_button.clicked.connect(self.check)
        self.export_button.clicked.connect(self.export)
        self.table.itemSelectionChanged.connect(self._update_buttons)

    # -- state ---------------------------------------------------------------------------
    def set_connection(self, connection_id: int | None) -> None:
        if connection_id != self.connection_id:
            self.result = None
            self._fill()
            self.summary.setText(self.tr("Press Check now to compare Scoro and QuickBooks."))
        self.connection_id = connection_id
        self.check_button.setEnabled(connection_id is not None and not self.busy)

    def current(self):
        row = self.table.currentRow()
        if self.result is None or not 0 <= row < len(self.result.differences):
            return None
        return self.result.differences[row]

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.busy = busy
        self.check_button.setEnabled(not busy and self.connection_id is not None)
        if text:
            self.summary.setText(text)
        self._update_buttons()

    def _update_buttons(self) -> None:
        d = self.current()
        for name, button in self.buttons.items():
            button.setEnabled(not self.busy and d is not None and name in d.actions)

    # -- checking ------------------------------------------------------------------------
    def check(self) -> None:
        if self.connection_id is None or self.busy:
            return
        cid = self.connection_id
        start, end = _pydate(self.date_from.date()), _pydate(self.date_to.date())
        self._set_busy(True, self.tr("Comparing Scoro and QuickBooks…"))

        def done(result) -> None:
            self._set_busy(False)
            if cid != self.connection_id:
                return
            self.result = result
            self._fill()
            emit(self.finished, result)

        def failed(exc) -> None:
            self._set_busy(
                False,
                self.tr("Could not compare: {reason}").format(reason=messages.describe(exc)),
            )
            messages.show_error(self, self.tr("Could not compare the books"), exc)

        run_task(lambda: self.svc.reconcile(cid, start, end), done, failed, name="reconcile")

    def _fill(self) -> None:
        self.table.setRowCount(0)
        self.contacts.setRowCount(0)
        result = self.result
        self.export_button.setEnabled(result is not None)
        if result is None:
            self._update_buttons()
            return
        head, _, rest = result.summary.partition(" (")
        self.summary.setText(f"<b>{head}</b> ({rest}" if rest else f"<b>{head}</b>")
        warn = QBrush(QColor(200, 60, 40))
        for row, d in enumerate(result.differences):
            self.table.insertRow(row)
            values = (
                d.label,
                what_text(d.what),
                _side_text(d.scoro),
                _side_text(d.quickbooks),
                d.contact or (d.scoro or d.quickbooks).contact_name,
                d.description,
            )
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                if col == 5:
                    item.setToolTip(value)
                if col == 1:
                    item.setForeground(warn)
                self.table.setItem(row, col, item)
        for row, c in enumerate(result.contacts):
            self.contacts.insertRow(row)
            values = (
                c.name,
                c.currency,
                f"{c.scoro:,.2f}",
                f"{c.quickbooks:,.2f}",
                self.tr("Agrees") if c.agrees else self.tr("Differs"),
            )
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                if col in (2, 3):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if col == 4 and not c.agrees:
                    item.setForeground(warn)
                self.contacts.setItem(row, col, item)
        if result.differences:
            self.table.selectRow(0)
        self._update_buttons()

    # -- acting --------------------------------------------------------------------------
    def act(self, name: str) -> None:
        d = self.current()
        if d is None or self.busy or name not in d.actions:
            return
        if name == "review":
            emit(self.review_requested, d.review_id)
            return
        reason = ""
        if name == "ignore":
            asked = ask_reason(self, d.label)
            if asked is None:
                return
            reason = asked
        cid = self.connection_id

        def done(result) -> None:
            self._set_busy(False)
            emit(self.action_finished, result)
            if result is not None and result.status in ("failed", "reconnect_needed"):
                messages.show_problem(self, not_done, result.message)
            self.check()

        def failed(exc) -> None:
            self._set_busy(False)
            messages.show_error(self, not_done, exc)

        label = action_text(name)
        not_done = self.tr("{action}: not done").format(action=label)
        self._set_busy(True, f"{label.rstrip('…')}: {d.label}…")
        run_task(
            lambda: self.svc.resolve_difference(cid, d, name, reason),
            done,
            failed,
            name=f"reconcile {name}",
        )

    def export(self, path: str | None = None) -> str | None:
        if self.result is None:
            return None
        path = path or ask_csv_path(self)
        if not path:
            return None
        Path(path).write_text(self.result.to_csv(), encoding="utf-8", newline="")
        self.summary.setText(
            f"{self.summary.text()} " + self.tr("Exported to {file}.").format(file=path)
        )
        return path


def _side_text(row) -> str:
    if row is None:
        return "—"
    parts = [row.number or ""]
    parts.append(f"{row.total:,.2f} {row.currency}".strip())
    return " · ".join(p for p in parts if p)
