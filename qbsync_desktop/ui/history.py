"""History tab: the runs of the selected connection, newest first."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .formatting import RESULT_ICON, RUN_STATUS_TEXT, when_text
from .resources import icon

TRIGGER_TEXT = {
    "manual": "Manual",
    "automatic": "Automatic",
    "connect": "On connecting",
    "preview": "Preview",
    "cli": "Command line",
    "review": "Review",
    "single": "Documents",
}
COLUMNS = ("Started", "Trigger", "Result", "Created", "Updated", "To review", "Failed", "Message")


class HistoryPanel(QWidget):
    def __init__(self, service, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.svc = service
        self.connection_id: int | None = None
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("historyTable")
        self.table.setAccessibleName("Sync history")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)

    def set_connection(self, connection_id: int | None) -> None:
        self.connection_id = connection_id
        self.refresh()

    def refresh(self) -> None:
        self.table.setRowCount(0)
        if self.connection_id is None:
            return
        for row, run in enumerate(self.svc.history(self.connection_id, limit=200)):
            self.table.insertRow(row)
            status = RUN_STATUS_TEXT.get(run.status, run.status)
            if run.dry_run:
                status = f"Preview · {status}"
            values = (
                when_text(run.started_at),
                TRIGGER_TEXT.get(run.trigger, run.trigger.capitalize()),
                status,
                str(run.created),
                str(run.updated),
                str(run.held),
                str(run.failed),
                run.message,
            )
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                if col == 2 and run.status in RESULT_ICON:
                    item.setIcon(icon(RESULT_ICON[run.status]))
                if col == 7:
                    item.setToolTip(run.message)
                self.table.setItem(row, col, item)
