"""Import older documents: one category's records from a chosen day, before its start date.

The bookkeeper picks the From date and sees a preview (what would be created, linked to a
document already in both, or held and why). Import writes only what that preview listed;
Cancel, or closing the dialog, writes nothing.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QSize, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..domain import Category
from . import messages
from .geometry import MIN_DIALOG, fit_window
from .language import QT_TRANSLATE_NOOP, category_label, translate
from .qtcompat import emit
from .worker import Task, run_task

GROUPS = (
    (
        "create",
        QT_TRANSLATE_NOOP("HistoryImportDialog", "To create"),
        QT_TRANSLATE_NOOP("HistoryImportDialog", "Created"),
    ),
    (
        "link",
        QT_TRANSLATE_NOOP("HistoryImportDialog", "To match (already in both)"),
        QT_TRANSLATE_NOOP("HistoryImportDialog", "Matched (already in both)"),
    ),
    (
        "hold",
        QT_TRANSLATE_NOOP("HistoryImportDialog", "Held for review"),
        QT_TRANSLATE_NOOP("HistoryImportDialog", "Held for review"),
    ),
)


def _qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class HistoryImportDialog(QDialog):
    imported = Signal(object)  # the HistoryImport written

    def __init__(
        self,
        service,
        connection_id: int,
        category: Category,
        start_date: dt.date | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.svc = service
        self.connection_id = connection_id
        self.category = category
        self.preview_result = None
        self.import_result = None
        self.task: Task | None = None
        self.setObjectName("historyImportDialog")
        what = category_label(category).lower()
        self.setWindowTitle(self.tr("Import older {category}").format(category=what))
        fit_window(self, QSize(760, 520), MIN_DIALOG, centre=False)

        start_text = (
            self.tr("its start date, {date}").format(date=f"{start_date:%Y-%m-%d}")
            if start_date
            else self.tr("its start date")
        )
        intro = QLabel(
            self.tr(
                "Bring in {category} made or changed before {start}. Choose the first day to "
                "import, then Preview. Documents already in both are matched, not copied. "
                "Nothing is changed until you press Import, and the start date stays as it is."
            ).format(category=what, start=start_text)
        )
        intro.setWordWrap(True)

        today = dt.date.today()
        self.from_date = QDateEdit()
        self.from_date.setObjectName("historyFrom")
        self.from_date.setAccessibleName(self.tr("Import from"))
        self.from_date.setCalendarPopup(True)
        self.from_date.setDisplayFormat("yyyy-MM-dd")
        self.from_date.setMaximumDate(_qdate(today))
        self.from_date.setDate(_qdate((start_date or today).replace(day=1) - dt.timedelta(365)))
        self.from_date.dateChanged.connect(self._date_changed)
        self.preview_button = QPushButton(self.tr("&Preview"))
        self.preview_button.setObjectName("historyPreview")
        self.preview_button.clicked.connect(self.preview)
        form = QFormLayout()
        from_label = QLabel(self.tr("&From:"))
        from_label.setBuddy(self.from_date)
        pick = QHBoxLayout()
        pick.addWidget(self.from_date)
        pick.addWidget(self.preview_button)
        pick.addStretch(1)
        form.addRow(from_label, pick)

        self.summary = QLabel(self.tr("Choose the From date, then Preview."))
        self.summary.setObjectName("historySummary")
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("historyTree")
        self.tree.setAccessibleName(self.tr("What the import does"))
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([self.tr("Document"), self.tr("Detail")])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(True)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)

        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton(
            self.tr("&Import"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setObjectName("historyImport")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.start_import)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setObjectName("historyCancel")
        self.cancel_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.buttons)
        self.from_date.setFocus()

    # ------------------------------------------------------------------ actions
    def preview(self) -> None:
        if self.task is not None:
            return
        start = _date(self.from_date.date())
        self.preview_result = None
        self._busy(self.tr("Preparing the preview (nothing is changed)…"))
        self.task = run_task(
            lambda: self.svc.import_history(self.connection_id, self.category, start, dry_run=True),
            self._previewed,
            lambda exc: self._failed(self.tr("The preview could not be prepared"), exc),
            name="history-preview",
        )

    def start_import(self) -> None:
        preview = self.preview_result
        if self.task is not None or preview is None or not preview.to_write:
            return
        self._busy(self.tr("Importing…"))
        self.task = run_task(
            lambda: self.svc.import_history(
                self.connection_id,
                self.category,
                preview.start,
                dry_run=False,
                only=preview.records,
            ),
            self._imported,
            lambda exc: self._failed(self.tr("The import did not run"), exc),
            name="history-import",
        )

    # ------------------------------------------------------------------ outcomes
    def _previewed(self, result) -> None:
        self.task = None
        self._idle()
        self.preview_result = result
        self._show(result)
        self.import_button.setEnabled(bool(result.to_write) and result.status in ("ok", "review"))
        if self.import_button.isEnabled():
            self.import_button.setFocus()

    def _imported(self, result) -> None:
        self.task = None
        self._idle()
        self.import_result = result
        self.preview_result = None
        self._show(result)
        self.import_button.setEnabled(False)
        self.cancel_button.setText(self.tr("Close"))
        emit(self.imported, result)

    def _failed(self, what: str, exc: BaseException) -> None:
        self.task = None
        self._idle()
        self.summary.setText(messages.plain(f"{what}: {exc}"))

    def _show(self, result) -> None:
        self.summary.setText(messages.plain(result.summary()))
        self.tree.clear()
        for action, before, after in GROUPS:
            items = result.items(action)
            if not items:
                continue
            title = translate("HistoryImportDialog", before if result.dry_run else after)
            group = QTreeWidgetItem([title, str(len(items))])
            self.tree.addTopLevelItem(group)
            for planned in items:
                detail = "" if action == "create" else planned.detail
                leaf = QTreeWidgetItem([planned.label, detail])
                leaf.setToolTip(1, detail)
                group.addChild(leaf)
            group.setExpanded(True)

    def _date_changed(self, _value) -> None:
        # A preview is for one date: another date needs its own before anything is imported.
        if self.preview_result is not None:
            self.preview_result = None
            self.import_button.setEnabled(False)
            self.summary.setText(self.tr("The date changed: press Preview again."))
            self.tree.clear()

    def _busy(self, text: str) -> None:
        self.summary.setText(text)
        for w in (self.preview_button, self.import_button, self.from_date):
            w.setEnabled(False)

    def _idle(self) -> None:
        self.preview_button.setEnabled(True)
        self.from_date.setEnabled(True)
