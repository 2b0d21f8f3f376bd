"""The log pane: what each sync did, filterable by level and text, exportable as CSV."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import cast

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..domain import Category
from ..sync.types import Event
from . import messages
from .formatting import local
from .language import QT_TRANSLATE_NOOP, category_label, translate
from .resources import icon

LEVELS = {"debug": 10, "info": 20, "warning": 30, "error": 40, "critical": 50}
LEVEL_TEXT = {
    "debug": QT_TRANSLATE_NOOP("LogPane", "Debug"),
    "info": QT_TRANSLATE_NOOP("LogPane", "Info"),
    "warning": QT_TRANSLATE_NOOP("LogPane", "Warning"),
    "error": QT_TRANSLATE_NOOP("LogPane", "Error"),
    "critical": QT_TRANSLATE_NOOP("LogPane", "Critical"),
}
LEVEL_FILTERS = (
    (QT_TRANSLATE_NOOP("LogPane", "All levels"), 0),
    (QT_TRANSLATE_NOOP("LogPane", "Information and above"), 20),
    (QT_TRANSLATE_NOOP("LogPane", "Warnings and errors"), 30),
    (QT_TRANSLATE_NOOP("LogPane", "Errors only"), 40),
)
# English in the exported CSV (it goes to support); translated on screen.
COLUMNS = (
    QT_TRANSLATE_NOOP("LogPane", "Time"),
    QT_TRANSLATE_NOOP("LogPane", "Level"),
    QT_TRANSLATE_NOOP("LogPane", "Category"),
    QT_TRANSLATE_NOOP("LogPane", "Message"),
)
MAX_ROWS = 5000
LEVEL_ROLE = Qt.ItemDataRole.UserRole + 1
WHEN_ROLE = Qt.ItemDataRole.UserRole + 2


def level_no(level: str) -> int:
    return LEVELS.get((level or "info").lower(), 20)


# Log categories that are not sync categories, in the bookkeeper's words.
CATEGORY_TEXT = {
    "single": QT_TRANSLATE_NOOP("LogPane", "One document"),
    "review": QT_TRANSLATE_NOOP("LogPane", "Review"),
    "background": QT_TRANSLATE_NOOP("LogPane", "Background"),
}


def category_text(category: str) -> str:
    if not category:
        return ""
    if category in CATEGORY_TEXT:
        return translate("LogPane", CATEGORY_TEXT[category])
    try:
        return category_label(Category(category))
    except ValueError:
        return category.replace("_", " ").capitalize()


def level_text(level: str) -> str:
    text = LEVEL_TEXT.get((level or "info").lower())
    return translate("LogPane", text) if text else (level or "").capitalize()


class _Filter(QSortFilterProxyModel):
    def __init__(self) -> None:
        super().__init__()
        self.min_level = 0
        self.text = ""

    def set(self, min_level: int, text: str) -> None:
        self.min_level = min_level
        self.text = text.casefold()
        self.invalidate()

    def filterAcceptsRow(self, row: int, parent) -> bool:
        # The pane sets its QStandardItemModel as the source, and only that.
        model = cast(QStandardItemModel, self.sourceModel())
        if (model.item(row, 1).data(LEVEL_ROLE) or 0) < self.min_level:
            return False
        if not self.text:
            return True
        # Time, category and message: "15:21" finds that minute's lines.
        return any(self.text in (model.item(row, c).text() or "").casefold() for c in (0, 2, 3))


class LogPane(QWidget):
    # The find box, under the name tests type into; it hides the static QWidget.find.
    find: QLineEdit  # type: ignore[assignment]  # a line edit replaces the method

    def __init__(self, service, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("logPane")
        self.svc = service
        self.connection_id: int | None = None
        self.model = QStandardItemModel(0, len(COLUMNS))
        self.model.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.proxy = _Filter()
        self.proxy.setSourceModel(self.model)

        bar = QHBoxLayout()
        title = QLabel(self.tr("<b>Log</b>"))
        self.level = QComboBox()
        self.level.setObjectName("logLevel")
        self.level.setAccessibleName(self.tr("Log level"))
        for text, value in LEVEL_FILTERS:
            self.level.addItem(self.tr(text), value)
        self.find = QLineEdit()
        self.find.setObjectName("logFind")
        self.find.setPlaceholderText(self.tr("Find… (Ctrl+F)"))
        self.find.setAccessibleName(self.tr("Find in log"))
        self.find.setClearButtonEnabled(True)
        self.export_button = QPushButton(self.tr("Export CSV…"))
        self.export_button.setObjectName("logExport")
        self.export_button.setToolTip(self.tr("Save the lines shown as a CSV file (for support)"))
        bar.addWidget(title)
        bar.addWidget(self.level)
        bar.addWidget(self.find, 1)
        bar.addWidget(self.export_button)

        self.view = QTableView()
        self.view.setObjectName("logView")
        self.view.setAccessibleName(self.tr("Log lines"))
        self.view.setModel(self.proxy)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 6)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view)

        self.level.currentIndexChanged.connect(self._refilter)
        self.find.textChanged.connect(self._refilter)
        self.export_button.clicked.connect(self._export_clicked)

    def focus_find(self) -> None:
        self.find.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find.selectAll()

    def set_connection(self, connection_id: int | None) -> None:
        self.connection_id = connection_id
        self.reload()

    def reload(self) -> None:
        self.model.removeRows(0, self.model.rowCount())
        entries = list(self.svc.log(self.connection_id, limit=1000))
        entries.sort(key=lambda e: e.at)
        for entry in entries:
            self._append(entry.at, entry.level, entry.category, entry.message)
        self.view.scrollToBottom()

    def add_event(self, ev: Event) -> None:
        if self.connection_id is not None and ev.connection_id not in (None, self.connection_id):
            return
        at_bottom = self._at_bottom()
        self._append(ev.at, ev.level, ev.category, ev.message)
        if at_bottom:
            self.view.scrollToBottom()

    def _at_bottom(self) -> bool:
        bar = self.view.verticalScrollBar()
        return bar.value() >= bar.maximum() - 2

    def _append(self, at: dt.datetime, level: str, category: str, message: str) -> None:
        when = local(at)
        time_item = QStandardItem(f"{when:%Y-%m-%d %H:%M:%S}")
        time_item.setData(at, WHEN_ROLE)
        level_item = QStandardItem(level_text(level))
        number = level_no(level)
        level_item.setData(number, LEVEL_ROLE)
        if number >= 40:
            level_item.setIcon(icon("error"))
        elif number >= 30:
            level_item.setIcon(icon("warning"))
        category_item = QStandardItem(category_text(category))
        message = messages.plain(message)
        message_item = QStandardItem(message)
        message_item.setToolTip(message)
        self.model.appendRow([time_item, level_item, category_item, message_item])
        overflow = self.model.rowCount() - MAX_ROWS
        if overflow > 0:
            self.model.removeRows(0, overflow)

    def _refilter(self, *_args) -> None:
        self.proxy.set(self.level.currentData() or 0, self.find.text())

    def visible_rows(self) -> list[list[str]]:
        return [
            [self.proxy.index(r, c).data() or "" for c in range(len(COLUMNS))]
            for r in range(self.proxy.rowCount())
        ]

    def export_csv(self, path: Path) -> int:
        rows = self.visible_rows()
        with Path(path).open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(COLUMNS)
            writer.writerows(rows)
        return len(rows)

    def _export_clicked(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export log"),
            str(Path.home() / "qbsync-log.csv"),
            self.tr("CSV files (*.csv)"),
        )
        if not name:
            return
        try:
            count = self.export_csv(Path(name))
        except OSError as exc:
            messages.show_error(self, self.tr("The log could not be saved."), exc)
            return
        messages.show_info(
            self,
            self.tr("Export log"),
            self.tr("%n lines saved to {file}.", "", count).format(file=name),
        )
