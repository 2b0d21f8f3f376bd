"""History tab: the runs of the selected connection, newest first."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .formatting import RESULT_ICON, run_status_text, when_text
from .language import QT_TRANSLATE_NOOP, translate
from .resources import icon

TRIGGER_TEXT = {
    "manual": QT_TRANSLATE_NOOP("HistoryPanel", "Manual"),
    "automatic": QT_TRANSLATE_NOOP("HistoryPanel", "Automatic"),
    "connect": QT_TRANSLATE_NOOP("HistoryPanel", "Accounts and tax rates pulled on connecting"),
    "preview": QT_TRANSLATE_NOOP("HistoryPanel", "Preview"),
    "cli": QT_TRANSLATE_NOOP("HistoryPanel", "Command line"),
    "review": QT_TRANSLATE_NOOP("HistoryPanel", "Review"),
    "single": QT_TRANSLATE_NOOP("HistoryPanel", "Documents"),
    "import_preview": QT_TRANSLATE_NOOP("HistoryPanel", "Preview of an import of older documents"),
    "import": QT_TRANSLATE_NOOP("HistoryPanel", "Import of older documents"),
}
COLUMNS = (
    QT_TRANSLATE_NOOP("HistoryPanel", "Started"),
    QT_TRANSLATE_NOOP("HistoryPanel", "Trigger"),
    QT_TRANSLATE_NOOP("HistoryPanel", "Result"),
    QT_TRANSLATE_NOOP("HistoryPanel", "Created"),
    QT_TRANSLATE_NOOP("HistoryPanel", "Updated"),
    QT_TRANSLATE_NOOP("HistoryPanel", "Held"),
    QT_TRANSLATE_NOOP("HistoryPanel", "Failed"),
    QT_TRANSLATE_NOOP("HistoryPanel", "Message"),
)


def trigger_text(trigger: str) -> str:
    text = TRIGGER_TEXT.get(trigger)
    return translate("HistoryPanel", text) if text else trigger.capitalize()


def run_message(run) -> str:
    """A connect-time pull is not a sync of documents: say what it was."""
    if run.trigger == "connect" and run.status in ("ok", "review"):
        return translate(
            "HistoryPanel",
            "Pulled the chart of accounts and tax rates from QuickBooks into Scoro "
            "({created} new, {updated} updated). No documents were synced.",
        ).format(created=run.created, updated=run.updated)
    return run.message


class HistoryPanel(QWidget):
    def __init__(self, service, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.svc = service
        self.connection_id: int | None = None
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("historyTable")
        self.table.setAccessibleName(self.tr("Sync history"))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.hint = QLabel(
            self.tr("Double-click a run, or select it and press Enter, to see its log.")
        )
        self.hint.setObjectName("historyHint")
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.hint)
        self.runs: list = []
        self.dialog: QDialog | None = None
        self.table.cellDoubleClicked.connect(lambda row, _col: self.open_run(row))
        self.table.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if (
            obj is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.open_run(self.table.currentRow())
            return True
        return super().eventFilter(obj, event)

    def open_run(self, row: int) -> QDialog | None:
        """One run: its counts and its own log lines."""
        if not 0 <= row < len(self.runs):
            return None
        run = self.runs[row]
        lines = [
            entry
            for entry in self.svc.log(self.connection_id, limit=5000)
            if entry.at >= run.started_at
            and (run.finished_at is None or entry.at <= run.finished_at)
        ]
        dialog = QDialog(self)
        dialog.setObjectName("runDialog")
        when = when_text(run.started_at)
        trigger = trigger_text(run.trigger)
        dialog.setWindowTitle(self.tr("Sync of {when}").format(when=when))
        counts = QLabel(
            f"{trigger} · {run_status_text(run.status, run.status)}\n"
            + self.tr(
                "{created} created, {updated} updated, {held} to review, {failed} failed"
            ).format(created=run.created, updated=run.updated, held=run.held, failed=run.failed)
            + f"\n{run_message(run)}"
        )
        counts.setObjectName("runCounts")
        counts.setWordWrap(True)
        text = QPlainTextEdit()
        text.setObjectName("runLog")
        text.setReadOnly(True)
        text.setPlainText(
            "\n".join(f"{e.at.astimezone():%H:%M:%S}  {e.message}" for e in lines)
            or self.tr("No log lines were kept for this run.")
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        box = QVBoxLayout(dialog)
        box.addWidget(counts)
        box.addWidget(text, 1)
        box.addWidget(buttons)
        dialog.resize(720, 420)
        self.dialog = dialog
        dialog.show()
        return dialog

    def set_connection(self, connection_id: int | None) -> None:
        self.connection_id = connection_id
        self.refresh()

    def refresh(self) -> None:
        self.runs = []
        self.table.setRowCount(0)
        if self.connection_id is None:
            return
        self.runs = list(self.svc.history(self.connection_id, limit=200))
        for row, run in enumerate(self.runs):
            self.table.insertRow(row)
            status = run_status_text(run.status, run.status)
            if run.dry_run:
                status = self.tr("Preview · {status}").format(status=status)
            values = (
                when_text(run.started_at),
                trigger_text(run.trigger),
                status,
                str(run.created),
                str(run.updated),
                str(run.held),
                str(run.failed),
                run_message(run),
            )
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                if col == 2 and run.status in RESULT_ICON:
                    item.setIcon(icon(RESULT_ICON[run.status]))
                if col == 7:
                    item.setToolTip(run.message)
                self.table.setItem(row, col, item)
