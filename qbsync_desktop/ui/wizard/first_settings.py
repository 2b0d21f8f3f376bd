"""The First settings page: what to sync, which way, from when, and how often."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
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
    QVBoxLayout,
    QWizardPage,
)

from ...domain import CATEGORY_ORDER, Category, Direction
from ...sync.types import SyncSettingsInfo
from .. import messages
from ..formatting import day_text, mode_text
from ..language import category_label
from ..qtcompat import emit
from .common import set_status

if TYPE_CHECKING:
    from .dialog import ConnectionWizard


class SettingsPage(QWizardPage):
    """R06: categories and directions, automatic or manual, default accounts."""

    def __init__(self, wizard: ConnectionWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle(self.tr("First settings"))
        self.setSubTitle(
            self.tr(
                "What to sync, which way, and how often. You can change all of this "
                "later in the main window."
            )
        )
        self.grid_box = QGroupBox(self.tr("What to sync, which way, and from which date"))
        self.grid = QGridLayout(self.grid_box)
        self.rows: dict[Category, tuple[QCheckBox, QComboBox | None]] = {}
        self.dates: dict[Category, QDateEdit] = {}
        self.dates_reviewed = False
        for row, category in enumerate(CATEGORY_ORDER):
            label = category_label(category)
            check = QCheckBox(label)
            check.setObjectName(f"wizardEnabled_{category.value}")
            self.grid.addWidget(check, row, 0)
            fixed = category.fixed_direction
            combo = None
            if fixed is not None:
                self.grid.addWidget(QLabel(fixed.label), row, 1)
            else:
                combo = QComboBox()
                combo.setObjectName(f"wizardDirection_{category.value}")
                combo.setAccessibleName(self.tr("Direction for {category}").format(category=label))
                for direction in Direction:
                    combo.addItem(direction.label, direction)
                self.grid.addWidget(combo, row, 1)
            self.rows[category] = (check, combo)
            date = QDateEdit()
            date.setObjectName(f"wizardFrom_{category.value}")
            date.setAccessibleName(self.tr("{category}: sync from").format(category=label))
            date.setCalendarPopup(True)
            date.setDisplayFormat("yyyy-MM-dd")  # as the main window's date fields
            self.grid.addWidget(date, row, 2)
            self.dates[category] = date
        self.dates_note = QLabel()
        self.dates_note.setObjectName("wizardDatesNote")
        self.dates_note.setWordWrap(True)

        mode_box = QGroupBox(self.tr("When to sync"))
        mode_layout = QHBoxLayout(mode_box)
        self.automatic = QRadioButton(self.tr("Automatic"))
        self.automatic.setObjectName("wizardAutomatic")
        self.frequency = QComboBox()
        self.frequency.setObjectName("wizardFrequency")
        self.frequency.setAccessibleName(self.tr("How often"))
        for mode in ("hourly", "daily", "weekly"):
            self.frequency.addItem(mode_text(mode), mode)
        self.frequency.setCurrentIndex(1)
        self.manual = QRadioButton(self.tr("Manual"))
        self.manual.setObjectName("wizardManual")
        group = QButtonGroup(self)
        group.addButton(self.automatic)
        group.addButton(self.manual)
        mode_layout.addWidget(self.automatic)
        mode_layout.addWidget(self.frequency)
        mode_layout.addSpacing(24)
        mode_layout.addWidget(self.manual)
        mode_layout.addStretch(1)

        accounts_box = QGroupBox(
            self.tr("Default accounts (from your QuickBooks chart of accounts)")
        )
        accounts = QFormLayout(accounts_box)
        self.income = QComboBox()
        self.income.setObjectName("wizardIncome")
        self.income.setAccessibleName(self.tr("Default income account"))
        self.income.setToolTip(self.tr("Given to new products sent to QuickBooks."))
        self.expense = QComboBox()
        self.expense.setObjectName("wizardExpense")
        self.expense.setAccessibleName(self.tr("Default expense account"))
        self.expense.setToolTip(self.tr("Used on bill lines without a product."))
        accounts.addRow(self.tr("Income account:"), self.income)
        accounts.addRow(self.tr("Expense account:"), self.expense)

        self.error = QLabel()
        self.error.setObjectName("settingsError")
        self.error.setWordWrap(True)
        self.finish_hint = QLabel()
        self.finish_hint.setObjectName("settingsFinishHint")
        self.finish_hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.grid_box)
        layout.addWidget(self.dates_note)
        layout.addWidget(mode_box)
        layout.addWidget(accounts_box)
        layout.addWidget(self.finish_hint)
        layout.addWidget(self.error)
        for w in (self.automatic, self.manual):
            w.toggled.connect(lambda _on: emit(self.completeChanged))
        for combo in (self.income, self.expense):
            combo.currentIndexChanged.connect(lambda _i: emit(self.completeChanged))
        self.automatic.toggled.connect(self.frequency.setEnabled)

    def initializePage(self) -> None:
        cid = self.wiz.connection_id
        if cid is None:
            return
        svc = self.wiz.svc
        configs = {c.category: c for c in svc.categories(cid)}
        for category, (check, combo) in self.rows.items():
            cfg = configs.get(category)
            check.setVisible(cfg is not None)
            self.dates[category].setVisible(cfg is not None)
            if combo is not None:
                combo.setVisible(cfg is not None)
            if cfg is None:
                continue
            check.setChecked(cfg.enabled)
            if cfg.unavailable_reason:
                check.setEnabled(False)
                check.setChecked(False)
                check.setToolTip(messages.plain(cfg.unavailable_reason))
            if combo is not None:
                combo.setCurrentIndex(max(0, combo.findData(cfg.direction)))
            self._show_date(category, cfg)
        floor = next((c.start_date_floor for c in configs.values() if c.start_date_floor), None)
        if floor:
            note = self.tr(
                "Synced from each date on; the earliest is {date}, the day of connecting. "
                "A date is locked once that category's first sync has run."
            ).format(date=day_text(floor))
        else:
            note = self.tr(
                "Synced from each date on; the earliest is the day of connecting. "
                "A date is locked once that category's first sync has run."
            )
        self.dates_note.setText(note)
        settings = svc.sync_settings(cid)
        for combo, purpose, current in (
            (self.income, "income", settings.default_income_account),
            (self.expense, "expense", settings.default_expense_account),
        ):
            combo.clear()
            combo.addItem(self.tr("— choose an account —"), None)
            for acc in svc.accounts(cid, purpose):
                combo.addItem(acc.label, acc.id)
            combo.setCurrentIndex(max(0, combo.findData(current)))
        if settings.mode == "manual":
            self.manual.setChecked(True)
        else:
            self.automatic.setChecked(True)
            self.frequency.setCurrentIndex(max(0, self.frequency.findData(settings.mode)))
        self.frequency.setEnabled(self.automatic.isChecked())

    def _show_date(self, category: Category, cfg) -> None:
        date = self.dates[category]
        floor = cfg.start_date_floor
        if floor is not None:
            date.setMinimumDate(QDate(floor.year, floor.month, floor.day))
        value = cfg.start_date or floor or dt.date.today()
        date.setDate(QDate(value.year, value.month, value.day))
        date.setEnabled(not cfg.start_date_locked)
        date.setToolTip(
            self.tr("Locked: this category's first sync has run.")
            if cfg.start_date_locked
            else self.tr("{category} dated on or after this day are synced.").format(
                category=category_label(category)
            )
        )

    def start_dates(self) -> dict[Category, dt.date]:
        out = {}
        for category, date in self.dates.items():
            if not date.isHidden() and date.isEnabled():
                q = date.date()
                out[category] = dt.date(q.year(), q.month(), q.day())
        return out

    def isComplete(self) -> bool:
        missing = []
        if not (self.automatic.isChecked() or self.manual.isChecked()):
            missing.append(self.tr("choose Automatic or Manual"))
        if self.income.currentData() is None:
            missing.append(self.tr("choose an income account"))
        if self.expense.currentData() is None:
            missing.append(self.tr("choose an expense account"))
        # Why Finish is not available yet, said next to the settings that are missing.
        if len(missing) > 1:
            items = self.tr("{first} and {last}").format(
                first=", ".join(missing[:-1]), last=missing[-1]
            )
        else:
            items = "".join(missing)
        self.finish_hint.setText(
            self.tr("To finish, {items}.").format(items=items) if missing else ""
        )
        return not missing

    def validatePage(self) -> bool:
        cid = self.wiz.connection_id
        svc = self.wiz.svc
        try:
            for category, (check, combo) in self.rows.items():
                if not check.isVisible() or not check.isEnabled():
                    continue
                direction = combo.currentData() if combo is not None else None
                svc.update_category(
                    cid,
                    category,
                    enabled=check.isChecked(),
                    direction=direction,
                    start_date=self.start_dates().get(category),
                )
            current = svc.sync_settings(cid)
            svc.save_sync_settings(
                cid,
                SyncSettingsInfo(
                    mode=self.frequency.currentData() if self.automatic.isChecked() else "manual",
                    background_mode=current.background_mode,
                    default_income_account=self.income.currentData(),
                    default_expense_account=self.expense.currentData(),
                    bills_without_tax=current.bills_without_tax,
                    attachments_mode=current.attachments_mode,
                ),
            )
            missing = svc.settings_complete(cid)
        except Exception as exc:  # noqa: BLE001 - SettingsInvalid and others: stay and say why
            set_status(self.error, messages.describe(exc), "error")
            return False
        if missing:
            set_status(
                self.error,
                self.tr("Still needed: {items}").format(items="; ".join(missing)),
                "error",
            )
            return False
        set_status(self.error, "")
        self.dates_reviewed = True
        return True
