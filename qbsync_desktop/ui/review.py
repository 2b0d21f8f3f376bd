"""Review panel: conflicts and warnings, each with what happened, what to do, and the fixes."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..sync.types import ReviewInfo
from . import messages
from .formatting import when_text
from .language import QT_TRANSLATE_NOOP, translate
from .qtcompat import emit
from .resources import icon
from .worker import run_task

log = logging.getLogger(__name__)

RESOLUTION_TEXT = {
    "take_source": QT_TRANSLATE_NOOP("ReviewPanel", "Send Scoro's version"),
    "keep_target": QT_TRANSLATE_NOOP("ReviewPanel", "Keep QuickBooks' version"),
    "dismiss": QT_TRANSLATE_NOOP("ReviewPanel", "Dismiss"),
    "retry": QT_TRANSLATE_NOOP("ReviewPanel", "Try again"),
}
RESOLUTION_TIP = {
    "take_source": QT_TRANSLATE_NOOP(
        "ReviewPanel", "Overwrite QuickBooks with what Scoro holds now."
    ),
    "keep_target": QT_TRANSLATE_NOOP(
        "ReviewPanel",
        "Keep what QuickBooks holds and copy it back to Scoro where it flows that way.",
    ),
    "dismiss": QT_TRANSLATE_NOOP(
        "ReviewPanel",
        "Hide this item. It comes back only if the record changes. Nothing is changed "
        "in either system.",
    ),
    "retry": QT_TRANSLATE_NOOP(
        "ReviewPanel", "Sync this record again now (after fixing the cause)."
    ),
}
TYPE_TEXT = {
    "conflict": QT_TRANSLATE_NOOP("ReviewPanel", "Conflict"),
    "currency_mismatch": QT_TRANSLATE_NOOP("ReviewPanel", "Currency"),
    "multiple_projects": QT_TRANSLATE_NOOP("ReviewPanel", "Projects"),
    "outdated_tax_rate": QT_TRANSLATE_NOOP("ReviewPanel", "Tax rate"),
    "class_tracking_off": QT_TRANSLATE_NOOP("ReviewPanel", "Classes"),
    "paid_document": QT_TRANSLATE_NOOP("ReviewPanel", "Paid"),
    "validation_error": QT_TRANSLATE_NOOP("ReviewPanel", "Rejected"),
    "deleted_at_source": QT_TRANSLATE_NOOP("ReviewPanel", "Deleted"),
    "unsupported_content": QT_TRANSLATE_NOOP("ReviewPanel", "Cannot copy"),
    "totals_differ": QT_TRANSLATE_NOOP("ReviewPanel", "Totals differ"),
    "write_failed": QT_TRANSLATE_NOOP("ReviewPanel", "Refused"),
}
FIX_TEXT = {
    "map_tax_rate": QT_TRANSLATE_NOOP("ReviewPanel", "Use this rate and send again"),
    "currency_contact": QT_TRANSLATE_NOOP(
        "ReviewPanel", "Make the separate contact and send again"
    ),
}
INFO_TYPES = {"multiple_projects"}
FILTERS = (
    (QT_TRANSLATE_NOOP("ReviewPanel", "All"), None),
    (QT_TRANSLATE_NOOP("ReviewPanel", "Conflicts"), "conflict"),
    (QT_TRANSLATE_NOOP("ReviewPanel", "Warnings"), "warning"),
)


def words(text: str) -> str:
    """One of the English words above, in the window's language."""
    return translate("ReviewPanel", text)


def type_text(kind: str) -> str:
    text = TYPE_TEXT.get(kind)
    return words(text) if text else kind.replace("_", " ").capitalize()


def _label(name) -> str:
    text = str(name or "").replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _cell(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


# Details kept for the app's own use (what "Fix it here" and Try again need), not for reading.
INTERNAL_DETAILS = frozenset(
    {"fields", "fingerprint", "marker", "scoro_tax_rate", "signature", "key"}
)


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
        self.title = QLabel(self.tr("<b>Review</b>"))
        self.filter = QComboBox()
        self.filter.setObjectName("reviewFilter")
        self.filter.setAccessibleName(self.tr("Show"))
        for text, key in FILTERS:
            self.filter.addItem(words(text), key)
        filter_row.addWidget(self.title)
        filter_row.addStretch(1)
        filter_row.addWidget(self.filter)
        left_box.addLayout(filter_row)
        self.list = QListWidget()
        self.list.setObjectName("reviewList")
        self.list.setAccessibleName(self.tr("Items to review"))
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
        self.fields.setAccessibleName(self.tr("Values in each system"))
        self.fields.setHorizontalHeaderLabels(["", "Scoro", self.tr("Last synced"), "QuickBooks"])
        self.fields.verticalHeader().setVisible(False)
        self.fields.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.fields.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.fields.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.legend = QLabel(self.tr("Highlighted: changed since the last sync."))
        self.legend.setObjectName("conflictLegend")
        self.buttons_row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text in RESOLUTION_TEXT.items():
            button = QPushButton(words(text))
            button.setObjectName(f"resolve_{key}")
            button.setToolTip(words(RESOLUTION_TIP[key]))
            button.clicked.connect(lambda _=False, k=key: self.resolve_current(k))
            self.buttons[key] = button
            self.buttons_row.addWidget(button)
        self.buttons_row.addStretch(1)
        self.dismiss_note = QLabel(
            self.tr("Dismiss: Hide this item. It comes back only if the record changes.")
        )
        self.dismiss_note.setObjectName("dismissNote")
        self.dismiss_note.setWordWrap(True)
        self._build_fix_box()
        self.empty = QLabel(
            self.tr("Nothing to review. Conflicts and warnings from syncs appear here.")
        )
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
        # On a small screen (or at 150 %) a long "Fix it here" scrolls instead of being cut off.
        scroll = QScrollArea()
        scroll.setObjectName("reviewDetailScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(right)
        splitter.addWidget(scroll)
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
        self._fix_for: int | None = None
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
        self.title.setText(self.tr("<b>Review ({count})</b>").format(count=len(self.items)))
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
            self.heading.setText(
                self.tr("{record} changed in both systems ({when})").format(
                    record=item.object_label, when=since
                )
            )
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
            self.fields.setHorizontalHeaderLabels(
                ["", "Scoro", self.tr("Last synced"), "QuickBooks"]
            )
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
                        cell.setToolTip(self.tr("Changed since the last sync"))
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
            if k not in INTERNAL_DETAILS and not k.endswith("_id")  # ids: not for the reader
        }
        if others:
            self.fields.setColumnCount(2)
            self.fields.setHorizontalHeaderLabels(["", self.tr("Value")])
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
        english = RESOLUTION_TEXT.get(resolution) or FIX_TEXT.get(resolution)
        label = words(english) if english else resolution

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
                    self.tr("Still needs review"),
                    self.tr("{record} is still held for review: {reason}").format(
                        record=still.object_label, reason=messages.plain(still.message)
                    ),
                )
            elif result is not None and getattr(result, "status", "") == "failed":
                messages.show_info(
                    self,
                    self.tr("Review"),
                    result.message or self.tr("{action} did not succeed.").format(action=label),
                )
            emit(self.resolved, result)

        def failed(exc):
            self._busy_ids.discard(item.id)
            self.refresh()
            messages.show_error(
                self,
                self.tr("{action} for {record} did not work.").format(
                    action=label, record=item.object_label
                ),
                exc,
            )

        def work():
            if choice is None:
                return self.svc.resolve(item.id, resolution)
            return self.svc.resolve(item.id, resolution, choice)

        run_task(work, done, failed, name="resolve")

    # "Fix it here" ------------------------------------------------------------------------

    def _build_fix_box(self) -> None:
        self.fix_box = QGroupBox(self.tr("Fix it here"))
        self.fix_box.setObjectName("fixBox")
        box = QVBoxLayout(self.fix_box)
        self.fix_text = QLabel()
        self.fix_text.setObjectName("fixText")
        self.fix_text.setWordWrap(True)
        box.addWidget(self.fix_text)
        row = QHBoxLayout()
        self.tax_choice = QComboBox()
        self.tax_choice.setObjectName("taxRateChoice")
        self.tax_choice.setAccessibleName(self.tr("Current QuickBooks tax rate"))
        self.tax_choice.setToolTip(
            self.tr("A current QuickBooks tax rate to send instead of the old one.")
        )
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
        self._fix_for = None
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
        old = fix.get("old_name") or self.tr("the old rate")
        self.fix_text.setText(
            self.tr(
                "Send {rate} to QuickBooks as a current rate. The choice is remembered for this "
                "connection, so other documents with this rate go the same way."
            ).format(rate=old)
        )
        self.tax_choice.blockSignals(True)
        self.tax_choice.clear()
        self.tax_choice.addItem(self.tr("— choose a current rate —"), None)
        for qbo_id, name in fix.get("choices", []):
            self.tax_choice.addItem(name, qbo_id)
        current = fix.get("current")
        self.tax_choice.setCurrentIndex(max(0, self.tax_choice.findData(current)))
        self.tax_choice.blockSignals(False)
        self.tax_choice.setVisible(True)
        self.fix_button.setText(words(FIX_TEXT["map_tax_rate"]))
        self.fix_button.setToolTip(
            self.tr("Remember this rate for {rate} and send {record} to QuickBooks again.").format(
                rate=old, record=item.object_label
            )
        )
        self.fix_other.setText(
            self.tr(
                "Or change the line's tax rate in Scoro (open {record}, pick a current "
                "rate on the line, save), then choose Try again."
            ).format(record=item.object_label)
        )
        self._tax_choice_changed()

    def _tax_choice_changed(self, *_args) -> None:
        self._update_fix_button()

    def _show_currency_fix(self, item: ReviewInfo) -> None:
        self.tax_choice.setVisible(False)
        currency = item.details.get("document_currency", "") if item.details else ""
        contact_currency = item.details.get("contact_currency", "") if item.details else ""
        self.fix_text.setText(
            self.tr(
                "QuickBooks allows one currency per contact. Bookkeepers keep a separate contact "
                "for each currency, named like “Müller GmbH ({currency})”."
            ).format(currency=currency or "USD")
        )
        self.fix_button.setText(words(FIX_TEXT["currency_contact"]))
        target = contact_currency or self.tr("the contact's currency")
        self.fix_other.setText(
            self.tr(
                "Or change the document's currency in Scoro: open {record}, set its "
                "currency to {currency} (top of the document), save, then choose Try again."
            ).format(record=item.object_label, currency=target)
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
                    self.tr(
                        "{contact} is already in QuickBooks. Send {record} to it again."
                    ).format(contact=name, record=item.object_label)
                )
                self.fix_button.setText(self.tr("Send again to {contact}").format(contact=name))
            else:
                self.fix_text.setText(
                    self.tr(
                        "QuickBooks allows one currency per contact. Make a separate "
                        "{currency} contact, {contact}, in QuickBooks and send {record} to it."
                    ).format(currency=fix["currency"], contact=name, record=item.object_label)
                )
                self.fix_button.setText(
                    self.tr("Create {contact} and send again").format(contact=name)
                )
            self.fix_button.setToolTip(
                self.tr(
                    "Creates the customer {contact} in {currency} in QuickBooks (if it is not "
                    "there yet) and sends {record} to it."
                ).format(contact=name, currency=fix["currency"], record=item.object_label)
            )
            self._ready = True
            self._update_fix_button()

        def failed(exc) -> None:
            if self._fix_for == wanted:
                self.fix_text.setText(
                    self.tr("The contact could not be read from Scoro: {reason}").format(
                        reason=messages.describe(exc)
                    )
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
