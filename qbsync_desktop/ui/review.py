"""Review panel: conflicts and warnings, each with what happened, what to do, and the fixes."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..sync.types import ReviewInfo
from . import messages
from .formatting import when_text
from .qtcompat import emit
from .resources import icon
from .worker import run_task

log = logging.getLogger(__name__)

RESOLUTION_TEXT = {
    "take_source": "Send Scoro's version",
    "keep_target": "Keep QuickBooks' version",
    "dismiss": "Dismiss",
    "retry": "Try again",
}
RESOLUTION_TIP = {
    "take_source": "Overwrite QuickBooks with what Scoro holds now.",
    "keep_target": "Keep what QuickBooks holds and copy it back to Scoro where it flows that way.",
    "dismiss": "Hide this item. It comes back only if the record changes. Nothing is changed "
    "in either system.",
    "retry": "Sync this record again now (after fixing the cause).",
}
TYPE_TEXT = {
    "conflict": "Conflict",
    "currency_mismatch": "Currency",
    "multiple_projects": "Projects",
    "outdated_tax_rate": "Tax rate",
    "class_tracking_off": "Classes",
    "paid_document": "Paid",
    "validation_error": "Rejected",
    "deleted_at_source": "Deleted",
    "unsupported_content": "Cannot copy",
    "totals_differ": "Totals differ",
    "write_failed": "Refused",
}
FIX_TEXT = {
    "map_tax_rate": "Use this rate and send again",
    "currency_contact": "Make the separate contact and send again",
}
INFO_TYPES = {"multiple_projects"}
DISMISS_MEANS = "Dismiss: Hide this item. It comes back only if the record changes."
FILTERS = (("All", None), ("Conflicts", "conflict"), ("Warnings", "warning"))


def type_text(kind: str) -> str:
    return TYPE_TEXT.get(kind, kind.replace("_", " ").capitalize())


def _label(name) -> str:
    text = str(name or "").replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _cell(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


class ReviewPanel(QWidget):
    count_changed = Signal(int)
    resolved = Signal(object)  # RunResult | None

    def __init__(self, service, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewPanel")
        self.svc = service
        self.connection_id: int | None = None
        self.items: list[ReviewInfo] = []
        self._busy_ids: set[int] = set()

        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        filter_row = QHBoxLayout()
        self.title = QLabel("<b>Review</b>")
        self.filter = QComboBox()
        self.filter.setObjectName("reviewFilter")
        self.filter.setAccessibleName("Show")
        for text, key in FILTERS:
            self.filter.addItem(text, key)
        filter_row.addWidget(self.title)
        filter_row.addStretch(1)
        filter_row.addWidget(self.filter)
        left_box.addLayout(filter_row)
        self.list = QListWidget()
        self.list.setObjectName("reviewList")
        self.list.setAccessibleName("Items to review")
        left_box.addWidget(self.list)
        splitter.addWidget(left)

        right = QWidget()
        right_box = QVBoxLayout(right)
        right_box.setContentsMargins(8, 0, 0, 0)
        self.heading = QLabel()
        self.heading.setObjectName("reviewHeading")
        self.heading.setWordWrap(True)
        heading_font = self.heading.font()
        heading_font.setBold(True)
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.1)
        self.heading.setFont(heading_font)
        self.message = QLabel()
        self.message.setObjectName("reviewMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fields = QTableWidget(0, 4)
        self.fields.setObjectName("conflictFields")
        self.fields.setAccessibleName("Values in each system")
        self.fields.setHorizontalHeaderLabels(["", "Scoro", "Last synced", "QuickBooks"])
        self.fields.verticalHeader().setVisible(False)
        self.fields.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.fields.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.fields.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.legend = QLabel("Highlighted: changed since the last sync.")
        self.legend.setObjectName("conflictLegend")
        self.buttons_row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text in RESOLUTION_TEXT.items():
            button = QPushButton(text)
            button.setObjectName(f"resolve_{key}")
            button.setToolTip(RESOLUTION_TIP[key])
            button.clicked.connect(lambda _=False, k=key: self.resolve_current(k))
            self.buttons[key] = button
            self.buttons_row.addWidget(button)
        self.buttons_row.addStretch(1)
        self.dismiss_note = QLabel(DISMISS_MEANS)
        self.dismiss_note.setObjectName("dismissNote")
        self.dismiss_note.setWordWrap(True)
        self._build_fix_box()
        self.empty = QLabel("Nothing to review. Conflicts and warnings from syncs appear here.")
        self.empty.setObjectName("reviewEmpty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.fields.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.fields.setSizeAdjustPolicy(QAbstractItemView.SizeAdjustPolicy.AdjustToContents)
        right_box.addWidget(self.empty)
        right_box.addWidget(self.heading)
        right_box.addWidget(self.message)
        right_box.addSpacing(4)
        right_box.addWidget(self.fields)
        right_box.addWidget(self.legend)
        right_box.addSpacing(4)
        right_box.addWidget(self.fix_box)
        right_box.addLayout(self.buttons_row)
        right_box.addWidget(self.dismiss_note)
        # The decision sits right under the values it is about, not at the window's bottom.
        right_box.addStretch(1)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        # Wide enough for "Totals differ · Invoice 1020" at 1024 pixels wide.
        self.list.setMinimumWidth(self.list.fontMetrics().horizontalAdvance("M" * 22) + 40)
        splitter.setSizes([2 * 10_000, 3 * 10_000])
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(splitter)

        self.filter.currentIndexChanged.connect(self._fill_list)
        self.list.currentRowChanged.connect(self._show_current)
        self._show(None)

    # data

    def set_connection(self, connection_id: int | None) -> None:
        self.connection_id = connection_id
        self.refresh()

    def refresh(self) -> None:
        self._fix_for = None
        if self.connection_id is None:
            self.items = []
        else:
            self.items = list(self.svc.review_items(self.connection_id, status="open"))
        self._fill_list()
        emit(self.count_changed, len(self.items))

    def count(self) -> int:
        return len(self.items)

    def visible_items(self) -> list[ReviewInfo]:
        key = self.filter.currentData()
        if key is None:
            # Conflicts first: they wait for a decision; the notes below only inform.
            return sorted(self.items, key=lambda i: (i.type != "conflict", i.type in INFO_TYPES))
        if key == "conflict":
            return [i for i in self.items if i.type == "conflict"]
        return [i for i in self.items if i.type != "conflict"]

    def _fill_list(self) -> None:
        selected = self.current_item()
        self.list.blockSignals(True)
        self.list.clear()
        row_to_select = 0
        for row, item in enumerate(self.visible_items()):
            name = "info" if item.type in INFO_TYPES else "warning"
            text = f"{type_text(item.type)} · {item.object_label}"
            entry = QListWidgetItem(icon(name), text)
            entry.setData(Qt.ItemDataRole.UserRole, item.id)
            entry.setToolTip(messages.plain(item.message))
            self.list.addItem(entry)
            if selected is not None and item.id == selected.id:
                row_to_select = row
        self.list.blockSignals(False)
        self.title.setText(f"<b>Review ({len(self.items)})</b>")
        if self.list.count():
            self.list.setCurrentRow(row_to_select)
        self._show_current()

    def current_item(self) -> ReviewInfo | None:
        entry = self.list.currentItem()
        if entry is None:
            return None
        rid = entry.data(Qt.ItemDataRole.UserRole)
        return next((i for i in self.items if i.id == rid), None)

    def select(self, review_id: int) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == review_id:
                self.list.setCurrentRow(row)
                return

    # detail

    def _show_current(self, *_args) -> None:
        self._show(self.current_item())

    def _show(self, item: ReviewInfo | None) -> None:
        has = item is not None
        self.empty.setVisible(not has)
        for w in (self.heading, self.message):
            w.setVisible(has)
        if item is None:
            self.fields.setVisible(False)
            self.legend.setVisible(False)
            for button in self.buttons.values():
                button.setVisible(False)
            self.fix_box.setVisible(False)
            self.dismiss_note.setVisible(False)
            return
        since = when_text(item.created_at)
        if item.type == "conflict":
            self.heading.setText(f"{item.object_label} changed in both systems ({since})")
        else:
            self.heading.setText(f"{type_text(item.type)}: {item.object_label} ({since})")
        self.message.setText(messages.plain(item.message))
        self._fill_fields(item)
        busy = item.id in self._busy_ids
        for key, button in self.buttons.items():
            button.setVisible(key in item.resolutions)
            button.setEnabled(not busy)
        self.dismiss_note.setVisible("dismiss" in item.resolutions)
        self._show_fix(item, busy)

    def _fill_fields(self, item: ReviewInfo) -> None:
        rows = item.details.get("fields") if isinstance(item.details, dict) else None
        self.fields.setRowCount(0)
        if isinstance(rows, list) and rows:
            self.fields.setColumnCount(4)
            self.fields.setHorizontalHeaderLabels(["", "Scoro", "Last synced", "QuickBooks"])
            highlight = self._highlight_brush()
            for r, field in enumerate(rows):
                self.fields.insertRow(r)
                name = QTableWidgetItem(_label(field.get("field", "")))
                self.fields.setItem(r, 0, name)
                base = field.get("base")
                for c, key in ((1, "scoro"), (2, "base"), (3, "quickbooks")):
                    value = field.get(key)
                    cell = QTableWidgetItem(_cell(value))
                    if key != "base" and value != base:
                        cell.setBackground(highlight)
                        bold = QFont(cell.font())
                        bold.setBold(True)
                        cell.setFont(bold)
                        cell.setToolTip("Changed since the last sync")
                        cell.setData(Qt.ItemDataRole.UserRole, "changed")
                    self.fields.setItem(r, c, cell)
            self.fields.setVisible(True)
            self.legend.setVisible(True)
            self._fit_fields()
            return
        # Warnings carry free-form details: show them as a two-column list.
        others = {
            k: v
            for k, v in (item.details or {}).items()
            if k not in ("fields", "fingerprint", "marker")  # internal: not for the reader
        }
        if others:
            self.fields.setColumnCount(2)
            self.fields.setHorizontalHeaderLabels(["", "Value"])
            for r, (key, value) in enumerate(others.items()):
                self.fields.insertRow(r)
                self.fields.setItem(r, 0, QTableWidgetItem(_label(key)))
                self.fields.setItem(r, 1, QTableWidgetItem(_cell(value)))
        self.fields.setVisible(bool(others))
        self.legend.setVisible(False)
        self._fit_fields()

    def _fit_fields(self) -> None:
        """As tall as its rows (up to a point), so the buttons stay close to the values."""
        table = self.fields
        rows = sum(table.rowHeight(r) for r in range(min(table.rowCount(), 12)))
        height = table.horizontalHeader().height() + rows + 2 * table.frameWidth() + 2
        table.setFixedHeight(max(height, 40))

    def _highlight_brush(self) -> QBrush:
        # Derived from the system palette so it reads on light and dark themes alike.
        color = QColor(self.palette().color(QPalette.ColorRole.Highlight))
        color.setAlpha(70)
        return QBrush(color)

    # actions

    def resolve_current(self, resolution: str, choice: str | None = None) -> None:
        item = self.current_item()
        if item is None or self.connection_id is None:
            return
        self._busy_ids.add(item.id)
        self._show(item)
        label = RESOLUTION_TEXT.get(resolution) or FIX_TEXT.get(resolution, resolution)

        def done(result):
            self._busy_ids.discard(item.id)
            self.refresh()
            still = next((i for i in self.items if i.id == item.id), None)
            held = result is not None and getattr(result, "held", 0)
            if resolution == "retry" and still is not None and held:
                # Not fixed yet: it stays here, selected, with what is still wrong.
                self.select(still.id)
                messages.show_info(
                    self,
                    "Still needs review",
                    f"{still.object_label} is still held for review: "
                    f"{messages.plain(still.message)}",
                )
            elif result is not None and getattr(result, "status", "") == "failed":
                messages.show_info(self, "Review", result.message or f"{label} did not succeed.")
            emit(self.resolved, result)

        def failed(exc):
            self._busy_ids.discard(item.id)
            self.refresh()
            messages.show_error(self, f"{label} for {item.object_label} did not work.", exc)

        def work():
            if choice is None:
                return self.svc.resolve(item.id, resolution)
            return self.svc.resolve(item.id, resolution, choice)

        run_task(work, done, failed, name="resolve")

    # "Fix it here" ------------------------------------------------------------------------

    def _build_fix_box(self) -> None:
        self.fix_box = QGroupBox("Fix it here")
        self.fix_box.setObjectName("fixBox")
        box = QVBoxLayout(self.fix_box)
        self.fix_text = QLabel()
        self.fix_text.setObjectName("fixText")
        self.fix_text.setWordWrap(True)
        box.addWidget(self.fix_text)
        row = QHBoxLayout()
        self.tax_choice = QComboBox()
        self.tax_choice.setObjectName("taxRateChoice")
        self.tax_choice.setAccessibleName("Current QuickBooks tax rate")
        self.tax_choice.setToolTip("A current QuickBooks tax rate to send instead of the old one.")
        row.addWidget(self.tax_choice)
        self.fix_button = QPushButton()
        self.fix_button.setObjectName("fixButton")
        self.fix_button.clicked.connect(self._fix_clicked)
        row.addWidget(self.fix_button)
        row.addStretch(1)
        box.addLayout(row)
        self.fix_other = QLabel()
        self.fix_other.setObjectName("fixOther")
        self.fix_other.setWordWrap(True)
        box.addWidget(self.fix_other)
        self._fix_key = ""
        self._fix_for: int | None = None
        self._ready = False
        self.tax_choice.currentIndexChanged.connect(self._tax_choice_changed)

    def _show_fix(self, item: ReviewInfo, busy: bool) -> None:
        key = next((k for k in FIX_TEXT if k in item.resolutions), "")
        self._fix_key = key
        self.fix_box.setVisible(bool(key))
        if not key:
            return
        self.tax_choice.setEnabled(not busy)
        if self._fix_for != item.id:
            self._fix_for = item.id
            self._ready = False
            if key == "map_tax_rate":
                self._show_tax_fix(item)
            else:
                self._show_currency_fix(item)
        self._update_fix_button()

    def _update_fix_button(self) -> None:
        if self._fix_key == "map_tax_rate":
            self._ready = self.tax_choice.currentData() is not None
        self.fix_button.setEnabled(self._ready and self._fix_for not in self._busy_ids)

    def _show_tax_fix(self, item: ReviewInfo) -> None:
        fix = self.svc.tax_rate_fix(item.id)
        old = fix.get("old_name") or "the old rate"
        self.fix_text.setText(
            f"Send {old} to QuickBooks as a current rate. The choice is remembered for this "
            "connection, so other documents with this rate go the same way."
        )
        self.tax_choice.blockSignals(True)
        self.tax_choice.clear()
        self.tax_choice.addItem("— choose a current rate —", None)
        for qbo_id, name in fix.get("choices", []):
            self.tax_choice.addItem(name, qbo_id)
        current = fix.get("current")
        self.tax_choice.setCurrentIndex(max(0, self.tax_choice.findData(current)))
        self.tax_choice.blockSignals(False)
        self.tax_choice.setVisible(True)
        self.fix_button.setText(FIX_TEXT["map_tax_rate"])
        self.fix_button.setToolTip(
            f"Remember this rate for {old} and send {item.object_label} to QuickBooks again."
        )
        self.fix_other.setText(
            f"Or change the line's tax rate in Scoro (open {item.object_label}, pick a current "
            "rate on the line, save), then choose Try again."
        )
        self._tax_choice_changed()

    def _tax_choice_changed(self, *_args) -> None:
        self._update_fix_button()

    def _show_currency_fix(self, item: ReviewInfo) -> None:
        self.tax_choice.setVisible(False)
        currency = item.details.get("document_currency", "") if item.details else ""
        contact_currency = item.details.get("contact_currency", "") if item.details else ""
        self.fix_text.setText(
            "QuickBooks allows one currency per contact. Bookkeepers keep a separate contact "
            f"for each currency, named like “Müller GmbH ({currency or 'USD'})”."
        )
        self.fix_button.setText(FIX_TEXT["currency_contact"])
        target = contact_currency or "the contact's currency"
        self.fix_other.setText(
            f"Or change the document's currency in Scoro: open {item.object_label}, set its "
            f"currency to {target} (top of the document), save, then choose Try again."
        )
        wanted = item.id

        def done(fix: dict) -> None:
            if self._fix_for != wanted:
                return
            if not fix.get("possible"):
                self.fix_box.setVisible(False)
                return
            name = fix["new_name"]
            if fix.get("made"):
                self.fix_text.setText(
                    f"{name} is already in QuickBooks. Send {item.object_label} to it again."
                )
                self.fix_button.setText("Send again to " + name)
            else:
                self.fix_text.setText(
                    "QuickBooks allows one currency per contact. Make a separate "
                    f"{fix['currency']} contact, {name}, in QuickBooks and send "
                    f"{item.object_label} to it."
                )
                self.fix_button.setText(f"Create {name} and send again")
            self.fix_button.setToolTip(
                f"Creates the customer {name} in {fix['currency']} in QuickBooks (if it is not "
                f"there yet) and sends {item.object_label} to it."
            )
            self._ready = True
            self._update_fix_button()

        def failed(exc) -> None:
            if self._fix_for == wanted:
                self.fix_text.setText(
                    "The contact could not be read from Scoro: " + messages.describe(exc)
                )

        run_task(lambda: self.svc.currency_fix(wanted), done, failed, name="currency_fix")

    def _fix_clicked(self) -> None:
        if self._fix_key == "map_tax_rate":
            choice = self.tax_choice.currentData()
            if choice is None:
                return
            self.resolve_current("map_tax_rate", choice)
        elif self._fix_key == "currency_contact":
            self.resolve_current("currency_contact")
