"""Overview tab: what syncs which way from when (the category table) and the sync settings."""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..domain import IMPORTABLE_CATEGORIES, Category, Direction
from ..sync.types import BookmarkChoice, CategoryConfig, SyncSettingsInfo
from . import messages
from .closed_sync import ClosedSyncOptions
from .formatting import RESULT_ICON, mode_text, result_key, when_text
from .language import category_label, translate
from .qtcompat import emit
from .resources import icon
from .worker import run_task

if TYPE_CHECKING:
    from .history_import import HistoryImportDialog

log = logging.getLogger(__name__)

# R50: a bookmark selects which invoices, bills and contacts are pushed to QuickBooks.
BOOKMARK_CATEGORIES = (Category.CONTACTS, Category.INVOICES, Category.BILLS)


def filters_note() -> str:
    return translate("Overview", "The bookmark's user and status filters are not applied.")


def no_bookmark() -> str:
    return translate("Overview", "All (no bookmark)")


def to_qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class CategoryRow:
    """The widgets of one row; kept together so a refresh updates them in place."""

    def __init__(self, table: CategoryTable, category: Category, row: int) -> None:
        self.category = category
        self.row = row  # the grid row; the row below holds the result when the table is narrow
        grid = table.grid
        label = category_label(category)
        self.enabled = QCheckBox(label)
        self.enabled.setObjectName(f"enabled_{category.value}")
        self.enabled.setAccessibleName(
            translate("Overview", "Sync {category}").format(category=label)
        )
        grid.addWidget(self.enabled, row, 0)

        self.direction_combo = QComboBox()
        self.direction_combo.setObjectName(f"direction_{category.value}")
        self.direction_combo.setAccessibleName(
            translate("Overview", "Direction for {category}").format(category=label)
        )
        for direction in Direction:
            self.direction_combo.addItem(direction.label, direction)
        self.direction_label = QLabel()
        self.direction_label.setObjectName(f"direction_text_{category.value}")
        self.direction_label.setToolTip(
            translate("Overview", "This category always syncs this way.")
        )
        holder = QWidget()
        box = QHBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.direction_combo)
        box.addWidget(self.direction_label)
        grid.addWidget(holder, row, 1)
        self.widgets: list[QWidget] = [self.enabled, holder]

        self.start_date = QDateEdit()
        self.start_date.setObjectName(f"start_{category.value}")
        self.start_date.setAccessibleName(
            translate("Overview", "Start date for {category}").format(category=label)
        )
        self.start_date.setCalendarPopup(True)
        self.start_date.setDisplayFormat("yyyy-MM-dd")
        grid.addWidget(self.start_date, row, 2)
        self.widgets.append(self.start_date)

        self.bookmark_combo: QComboBox | None = None
        self.bookmark_info: QLabel | None = None
        if category in BOOKMARK_CATEGORIES:
            bm = QWidget()
            bm_box = QHBoxLayout(bm)
            bm_box.setContentsMargins(0, 0, 0, 0)
            self.bookmark_combo = QComboBox()
            self.bookmark_combo.setObjectName(f"bookmark_{category.value}")
            self.bookmark_combo.setAccessibleName(
                translate("Overview", "Scoro bookmark for {category}").format(category=label)
            )
            self.bookmark_combo.setToolTip(
                translate("Overview", "Send only what this Scoro bookmark (saved filter) selects.")
            )
            self.bookmark_combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            self.bookmark_combo.setMinimumContentsLength(14)
            self.bookmark_info = QLabel()
            self.bookmark_info.setPixmap(icon("info").pixmap(16, 16))
            self.bookmark_info.setObjectName(f"bookmark_note_{category.value}")
            self.bookmark_info.setToolTip(filters_note())
            self.bookmark_info.setAccessibleName(translate("Overview", "About bookmarks"))
            self.bookmark_info.setAccessibleDescription(filters_note())
            bm_box.addWidget(self.bookmark_combo, 1)
            bm_box.addWidget(self.bookmark_info)
            grid.addWidget(bm, row, 3)
            self.widgets.append(bm)

        result = QWidget()
        result_box = QHBoxLayout(result)
        result_box.setContentsMargins(0, 0, 0, 0)
        self.result_icon = QLabel()
        self.result_text = QLabel()
        self.result_text.setObjectName(f"result_{category.value}")
        self.result_text.setWordWrap(True)
        result_box.addWidget(self.result_icon)
        result_box.addWidget(self.result_text, 1)
        self.result = result
        grid.addWidget(result, row, 4)

        self.sync_button = QToolButton()
        self.sync_button.setObjectName(f"sync_{category.value}")
        self.sync_button.setIcon(icon("sync"))
        self.sync_button.setToolTip(
            translate("Overview", "Synchronize {category} now").format(category=label.lower())
        )
        self.sync_button.setAccessibleName(
            translate("Overview", "Synchronize {category} now").format(category=label)
        )
        grid.addWidget(self.sync_button, row, 5)
        self.widgets += [result, self.sync_button]
        self.import_button: QToolButton | None = None
        if category in IMPORTABLE_CATEGORIES:
            self.import_button = QToolButton()
            self.import_button.setObjectName(f"import_{category.value}")
            self.import_button.setText(translate("Overview", "Import older…"))
            self.import_button.setToolTip(
                translate(
                    "Overview",
                    "Import older documents: {category} from before the start date, after "
                    "a preview",
                ).format(category=label.lower())
            )
            self.import_button.setAccessibleName(
                translate("Overview", "Import older {category}").format(category=label)
            )
            self.import_button.clicked.connect(lambda: table._import_history(self))
            grid.addWidget(self.import_button, row, 6)
            self.widgets.append(self.import_button)

        self.config: CategoryConfig | None = None
        self.enabled.toggled.connect(lambda on: table._enabled_changed(self, on))
        self.direction_combo.activated.connect(lambda _i: table._direction_changed(self))
        self.start_date.editingFinished.connect(lambda: table._start_changed(self))
        if self.bookmark_combo is not None:
            self.bookmark_combo.activated.connect(lambda _i: table._bookmark_changed(self))
        self.sync_button.clicked.connect(lambda: emit(table.sync_requested, [self.category]))

    def apply(self, cfg: CategoryConfig, *, busy: bool) -> None:
        self.config = cfg
        widgets = (self.enabled, self.direction_combo, self.start_date, self.bookmark_combo)
        for w in widgets:
            if w is not None:
                w.blockSignals(True)
        try:
            self.enabled.setChecked(cfg.enabled)
            self.enabled.setEnabled(not busy and not cfg.unavailable_reason)
            fixed = cfg.direction_fixed or self.category.fixed_direction is not None
            direction = self.category.fixed_direction or cfg.direction
            self.direction_combo.setVisible(not fixed)
            self.direction_label.setVisible(fixed)
            self.direction_label.setText(direction.label)
            self.direction_combo.setCurrentIndex(self.direction_combo.findData(cfg.direction))
            self.direction_combo.setEnabled(not busy and cfg.enabled)

            floor = cfg.start_date_floor
            self.start_date.setMinimumDate(to_qdate(floor) if floor else QDate(2000, 1, 1))
            shown = cfg.start_date or floor or dt.date.today()
            self.start_date.setDate(to_qdate(shown))
            if cfg.start_date_locked:
                self.start_date.setEnabled(False)
                self.start_date.setToolTip(
                    translate(
                        "Overview",
                        "Locked: this category's first sync has run, so its start date can no "
                        "longer change.",
                    )
                )
            else:
                self.start_date.setEnabled(not busy and cfg.enabled)
                tip = translate(
                    "Overview", "Objects created or modified on or after this date are synced."
                )
                if floor:
                    tip += " " + translate(
                        "Overview", "It cannot be before {date}, when this connection was made."
                    ).format(date=f"{floor:%Y-%m-%d}")
                self.start_date.setToolTip(tip)

            if self.bookmark_combo is not None:
                pushes = cfg.direction is Direction.SCORO_TO_QBO
                self.bookmark_combo.setEnabled(not busy and cfg.enabled and pushes)
                if not pushes:
                    self.bookmark_combo.setToolTip(
                        translate(
                            "Overview",
                            "Bookmarks choose what is sent from Scoro; this category comes from "
                            "QuickBooks.",
                        )
                    )
                if self.bookmark_combo.count() == 0:
                    self.bookmark_combo.addItem(no_bookmark(), None)
                if cfg.bookmark_id and self.bookmark_combo.findData(cfg.bookmark_id) < 0:
                    self.bookmark_combo.addItem(
                        cfg.bookmark_name or cfg.bookmark_id, cfg.bookmark_id
                    )
                self.bookmark_combo.setCurrentIndex(
                    max(0, self.bookmark_combo.findData(cfg.bookmark_id))
                )
        finally:
            for w in widgets:
                if w is not None:
                    w.blockSignals(False)

        if cfg.unavailable_reason:
            self.result_icon.setPixmap(icon("warning").pixmap(16, 16))
            self.result_text.setText(messages.plain(cfg.unavailable_reason))
        elif cfg.last_run_at or cfg.last_result:
            key = result_key(cfg.last_result)
            name = RESULT_ICON.get(key)
            self.result_icon.setPixmap(icon(name).pixmap(16, 16) if name else QLabel().pixmap())
            text = when_text(cfg.last_run_at) if cfg.last_run_at else ""
            if cfg.last_result and cfg.last_result.lower() != "ok":
                text = f"{text} · {cfg.last_result}" if text else cfg.last_result
            self.result_text.setText(messages.plain(text))
        else:
            self.result_icon.clear()
            self.result_text.setText(translate("Overview", "not synced yet"))
        self.result_text.setToolTip(messages.plain(cfg.last_result or cfg.unavailable_reason))
        self.sync_button.setEnabled(not busy and cfg.enabled and not cfg.unavailable_reason)
        if self.import_button is not None:
            self.import_button.setEnabled(not busy and not cfg.unavailable_reason)

    def set_bookmarks(self, choices: list[BookmarkChoice]) -> None:
        combo = self.bookmark_combo
        if combo is None:
            return
        current = self.config.bookmark_id if self.config else None
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(no_bookmark(), None)
        notes: dict[str | None, str] = {}
        for choice in choices:
            combo.addItem(choice.name, choice.id)
            notes[choice.id] = choice.note
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.blockSignals(False)
        note = notes.get(current) or filters_note()
        if self.bookmark_info is not None:
            self.bookmark_info.setToolTip(note)
            self.bookmark_info.setAccessibleDescription(note)


class CategoryTable(QGroupBox):
    """One row per category, in the order a run takes them."""

    sync_requested = Signal(object)
    changed = Signal()

    def __init__(self, service, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("What to sync"))
        self.setObjectName("categoryTable")
        self.svc = service
        self.connection_id: int | None = None
        self.busy = False
        self.grid = QGridLayout(self)
        self.grid.setHorizontalSpacing(10)
        self.headers: list[QLabel] = []
        for col, title in enumerate(
            (
                self.tr("Category"),
                self.tr("Direction"),
                self.tr("From"),
                self.tr("Scoro bookmark"),
                self.tr("Last sync"),
                "",
            )
        ):
            header = QLabel(f"<b>{title}</b>" if title else "")
            self.grid.addWidget(header, 0, col)
            self.headers.append(header)
        self.grid.setColumnStretch(4, 1)
        self.rows: dict[Category, CategoryRow] = {}
        from ..domain import CATEGORY_ORDER

        for i, category in enumerate(CATEGORY_ORDER):
            self.rows[category] = CategoryRow(self, category, 1 + 2 * i)
        self.wide = True
        self.history_dialog: HistoryImportDialog | None = None

    def set_wide(self, wide: bool) -> None:
        """Wide: "Last sync" is a column. Narrow (a small screen): it goes under its row, so
        nothing is cut off or needs scrolling sideways, and its text is not one word a line."""
        if wide == self.wide:
            return
        self.wide = wide
        grid = self.grid
        self.headers[4].setVisible(wide)
        for row in self.rows.values():
            # "Background items (tax rates, accounts)" on two lines: the widest label.
            label = category_label(row.category)
            row.enabled.setText(label if wide else label.replace(" (", "\n("))
            if row.bookmark_combo is not None:
                row.bookmark_combo.setMinimumContentsLength(14 if wide else 9)
            grid.removeWidget(row.result)
            grid.removeWidget(row.sync_button)
            if wide:
                grid.addWidget(row.result, row.row, 4)
                grid.addWidget(row.sync_button, row.row, 5)
            else:
                grid.addWidget(row.result, row.row + 1, 1, 1, 4)
                grid.addWidget(row.sync_button, row.row, 5)
            if row.import_button is not None:
                # Narrow, it goes under the category's name: a column of its own is too wide.
                grid.removeWidget(row.import_button)
                if wide:
                    grid.addWidget(row.import_button, row.row, 6)
                else:
                    grid.addWidget(row.import_button, row.row + 1, 0, Qt.AlignmentFlag.AlignLeft)
        grid.setColumnStretch(4, 1 if wide else 0)
        grid.setColumnStretch(3, 0 if wide else 1)

    def set_connection(self, connection_id: int | None) -> None:
        changed = connection_id != self.connection_id
        self.connection_id = connection_id
        if changed:
            for row in self.rows.values():
                if row.bookmark_combo is not None:
                    row.bookmark_combo.clear()
        self.refresh()
        if changed and connection_id is not None:
            self._load_bookmarks()

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        for row in self.rows.values():
            if row.config is not None:
                row.apply(row.config, busy=busy)

    def refresh(self) -> None:
        if self.connection_id is None:
            self.setEnabled(False)
            return
        self.setEnabled(True)
        configs = {c.category: c for c in self.svc.categories(self.connection_id)}
        for category, row in self.rows.items():
            cfg = configs.get(category)
            visible = cfg is not None
            for widget in row.widgets:
                widget.setVisible(visible)
            if cfg is not None:
                row.apply(cfg, busy=self.busy)

    def _load_bookmarks(self) -> None:
        cid = self.connection_id
        for category in BOOKMARK_CATEGORIES:
            row = self.rows[category]

            def done(choices, row=row, cid=cid):
                if cid == self.connection_id:
                    row.set_bookmarks(list(choices))

            def failed(exc, row=row):
                log.warning("bookmarks for %s: %s", row.category, exc)
                if row.bookmark_combo is not None:
                    row.bookmark_combo.setToolTip(
                        self.tr(
                            "Scoro's bookmarks could not be loaded: {reason}. Press F5 to try "
                            "again."
                        ).format(reason=exc)
                    )

            # The answer may come after the window closed or the rows were rebuilt.
            run_task(
                partial(self.svc.bookmarks, cid, category),
                done,
                failed,
                name="bookmarks",
                owner=row.bookmark_combo,
            )

    def reload_bookmarks(self) -> None:
        if self.connection_id is not None:
            self._load_bookmarks()

    def _update(self, row: CategoryRow, what: str, **changes) -> None:
        """`what`: the sentence saying which change failed, with {category}."""
        try:
            self.svc.update_category(self.connection_id, row.category, **changes)
        except Exception as exc:  # noqa: BLE001 - SettingsInvalid and anything else: say why
            messages.show_error(self, what.format(category=category_label(row.category)), exc)
        self.refresh()
        emit(self.changed)

    def _enabled_changed(self, row: CategoryRow, on: bool) -> None:
        self._update(row, self.tr("{category}: the setting was not changed."), enabled=on)

    def _direction_changed(self, row: CategoryRow) -> None:
        self._update(
            row,
            self.tr("{category}: the direction was not changed."),
            direction=row.direction_combo.currentData(),
        )

    def _start_changed(self, row: CategoryRow) -> None:
        value = from_qdate(row.start_date.date())
        if row.config is not None and value == row.config.start_date:
            return
        self._update(row, self.tr("{category}: the start date was not changed."), start_date=value)

    def _import_history(self, row: CategoryRow) -> None:
        from .history_import import HistoryImportDialog

        if self.connection_id is None or row.config is None:
            return
        self.history_dialog = HistoryImportDialog(
            self.svc, self.connection_id, row.category, row.config.start_date, self
        )
        self.history_dialog.imported.connect(self._imported)
        self.history_dialog.open()

    def _imported(self, _result) -> None:
        self.refresh()
        emit(self.changed)

    def _bookmark_changed(self, row: CategoryRow) -> None:
        assert row.bookmark_combo is not None
        self._update(
            row,
            self.tr("{category}: the bookmark was not changed."),
            bookmark_id=row.bookmark_combo.currentData(),
        )


class SyncSettingsPanel(QWidget):
    """Automatic or manual, background schedule, default accounts, attachments, tax details."""

    changed = Signal()

    def __init__(self, service, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncSettings")
        self.svc = service
        self.connection_id: int | None = None
        self._loading = False
        self.outer = outer = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        outer.setContentsMargins(0, 0, 0, 0)

        sync_box = QGroupBox(self.tr("Sync"))
        sync_form = QFormLayout(sync_box)
        self.automatic = QRadioButton(self.tr("Automatic"))
        self.automatic.setObjectName("modeAutomatic")
        self.frequency = QComboBox()
        self.frequency.setObjectName("frequency")
        self.frequency.setAccessibleName(self.tr("How often to sync automatically"))
        for mode in ("hourly", "daily", "weekly"):
            self.frequency.addItem(mode_text(mode), mode)
        self.manual = QRadioButton(self.tr("Manual (only when I click Synchronize now)"))
        self.manual.setObjectName("modeManual")
        self.mode_group = QButtonGroup(self)
        self.mode_group.addButton(self.automatic)
        self.mode_group.addButton(self.manual)
        auto_row = QHBoxLayout()
        auto_row.addWidget(self.automatic)
        auto_row.addWidget(self.frequency)
        auto_row.addStretch(1)
        sync_form.addRow(auto_row)
        sync_form.addRow(self.manual)
        sync_form.addRow(ClosedSyncOptions.for_panel(self))
        self.background = QComboBox()
        self.background.setObjectName("backgroundMode")
        self.background.setAccessibleName(self.tr("Background items schedule"))
        for mode in ("manual", "hourly", "daily", "weekly"):
            self.background.addItem(mode_text(mode), mode)
        self.background.setToolTip(
            self.tr("Tax rates, accounts and classes come from QuickBooks on their own schedule.")
        )
        background_row = QHBoxLayout()
        background_row.addWidget(self.background)
        background_row.addStretch(1)
        sync_form.addRow(self.tr("Background items:"), background_row)
        outer.addWidget(sync_box, 1)

        defaults = QGroupBox(self.tr("Defaults"))
        form = QFormLayout(defaults)
        self.income = QComboBox()
        self.income.setObjectName("incomeAccount")
        self.income.setAccessibleName(self.tr("Default income account"))
        self.income.setToolTip(
            self.tr(
                "Given to new products sent from Scoro to QuickBooks; each product can still "
                "have its own."
            )
        )
        self.expense = QComboBox()
        self.expense.setObjectName("expenseAccount")
        self.expense.setAccessibleName(self.tr("Default expense account"))
        self.expense.setToolTip(self.tr("Used on a synced bill line that has no product."))
        for combo in (self.income, self.expense):
            # Long account names must not widen the window: they show in full when open.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(18)
        form.addRow(self.tr("Income account:"), self.income)
        form.addRow(self.tr("Expense account:"), self.expense)
        att_row = QHBoxLayout()
        self.att_auto = QRadioButton(self.tr("with their documents"))
        self.att_auto.setObjectName("attachmentsAutomatic")
        self.att_manual = QRadioButton(self.tr("manually, per document"))
        self.att_manual.setObjectName("attachmentsManual")
        self.att_group = QButtonGroup(self)
        self.att_group.addButton(self.att_auto)
        self.att_group.addButton(self.att_manual)
        att_row.addWidget(self.att_auto)
        att_row.addWidget(self.att_manual)
        att_row.addStretch(1)
        form.addRow(self.tr("Attachments:"), att_row)
        self.no_tax = QCheckBox(self.tr("Bills from QuickBooks without tax details"))
        self.no_tax.setObjectName("billsWithoutTax")
        self.no_tax.setToolTip(self.tr("Bills brought into Scoro carry only their subtotal."))
        form.addRow(self.no_tax)
        outer.addWidget(defaults, 1)

        for signal in (
            self.automatic.toggled,
            self.att_auto.toggled,
            self.no_tax.toggled,
        ):
            signal.connect(self._save)
        for combo in (self.frequency, self.background, self.income, self.expense):
            combo.activated.connect(self._save)
        # A click on the radio that is already checked toggles nothing, yet it is the
        # bookkeeper's choice (R06 waits for it): save on every click too.
        self.mode_group.buttonClicked.connect(self._save)

    def set_wide(self, wide: bool) -> None:
        """Sync and Defaults side by side, or one above the other on a small screen."""
        self.outer.setDirection(
            QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        )

    def set_connection(self, connection_id: int | None) -> None:
        self.connection_id = connection_id
        self.refresh()

    def refresh(self) -> None:
        if self.connection_id is None:
            self.setEnabled(False)
            return
        self.setEnabled(True)
        self._loading = True
        try:
            info = self.svc.sync_settings(self.connection_id)
            for combo, purpose in ((self.income, "income"), (self.expense, "expense")):
                combo.clear()
                combo.addItem(self.tr("— choose an account —"), None)
                for acc in self.svc.accounts(self.connection_id, purpose):
                    combo.addItem(acc.label, acc.id)
            self.income.setCurrentIndex(max(0, self.income.findData(info.default_income_account)))
            self.expense.setCurrentIndex(
                max(0, self.expense.findData(info.default_expense_account))
            )
            automatic = info.mode != "manual"
            self.automatic.setChecked(automatic)
            self.manual.setChecked(not automatic)
            shown = info.mode if automatic else "daily"
            self.frequency.setCurrentIndex(max(0, self.frequency.findData(shown)))
            self.frequency.setEnabled(automatic)
            self.background.setCurrentIndex(max(0, self.background.findData(info.background_mode)))
            self.att_auto.setChecked(info.attachments_mode == "automatic")
            self.att_manual.setChecked(info.attachments_mode != "automatic")
            self.no_tax.setChecked(info.bills_without_tax)
        finally:
            self._loading = False

    def current(self) -> SyncSettingsInfo:
        return SyncSettingsInfo(
            mode=self.frequency.currentData() if self.automatic.isChecked() else "manual",
            background_mode=self.background.currentData(),
            default_income_account=self.income.currentData(),
            default_expense_account=self.expense.currentData(),
            bills_without_tax=self.no_tax.isChecked(),
            attachments_mode="automatic" if self.att_auto.isChecked() else "manual",
        )

    def _save(self, *_args) -> None:
        if self._loading or self.connection_id is None:
            return
        self.frequency.setEnabled(self.automatic.isChecked())
        try:
            self.svc.save_sync_settings(self.connection_id, self.current())
        except Exception as exc:  # noqa: BLE001 - SettingsInvalid (R06) and the rest: say why
            messages.show_error(self, self.tr("The sync settings were not saved."), exc)
            self.refresh()
        emit(self.changed)


class OverviewScroll(QScrollArea):
    """Scrolls the Overview up and down, never sideways: below WIDE_WIDTH the panel reflows
    (results under their rows, settings stacked) instead."""

    WIDE_WIDTH = 900

    def __init__(self, panel: OverviewPanel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("overviewScroll")
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(panel)
        self.panel = panel

    def resizeEvent(self, event) -> None:
        self.panel.set_wide(self.viewport().width() >= self.WIDE_WIDTH)
        super().resizeEvent(event)


class OverviewPanel(QWidget):
    sync_requested = Signal(object)
    changed = Signal()

    def __init__(self, service, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.svc = service
        layout = QVBoxLayout(self)
        self.missing = QLabel()
        self.missing.setObjectName("settingsMissing")
        self.missing.setWordWrap(True)
        self.missing.setVisible(False)
        layout.addWidget(self.missing)
        self.table = CategoryTable(service)
        self.settings = SyncSettingsPanel(service)
        layout.addWidget(self.table)
        layout.addWidget(self.settings)
        layout.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.table.sync_requested.connect(self.sync_requested)
        self.table.changed.connect(self._changed)
        self.settings.changed.connect(self._changed)
        self.connection_id: int | None = None

    def set_connection(self, connection_id: int | None) -> None:
        self.connection_id = connection_id
        self.table.set_connection(connection_id)
        self.settings.set_connection(connection_id)
        self._update_missing()

    def refresh(self) -> None:
        self.table.refresh()
        self.settings.refresh()
        self._update_missing()

    def set_wide(self, wide: bool) -> None:
        self.table.set_wide(wide)
        self.settings.set_wide(wide)

    def set_busy(self, busy: bool) -> None:
        self.table.set_busy(busy)
        self.settings.setEnabled(not busy and self.connection_id is not None)

    def missing_settings(self) -> list[str]:
        if self.connection_id is None:
            return []
        return list(self.svc.settings_complete(self.connection_id))

    def _update_missing(self) -> None:
        missing = self.missing_settings()
        self.missing.setVisible(bool(missing))
        if missing:
            items = "".join(f"<li>{m}</li>" for m in missing)
            heading = self.tr("Before the first sync, please set:")
            self.missing.setText(f"<b>{heading}</b><ul style='margin-top:2px'>{items}</ul>")

    def _changed(self) -> None:
        self._update_missing()
        emit(self.changed)
