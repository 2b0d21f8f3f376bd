"""The Currencies page: Scoro's base currency against QuickBooks' home currency."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWizardPage

from ...sync.types import CurrencyCheck
from .. import messages
from ..qtcompat import emit
from ..resources import icon
from ..worker import run_task
from .common import PAGE_SETTINGS

if TYPE_CHECKING:
    from .dialog import ConnectionWizard


class CurrencyPage(QWizardPage):
    def __init__(self, wizard: ConnectionWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle(self.tr("Currencies"))
        self.setSubTitle(
            self.tr(
                "Scoro's base currency must match QuickBooks' home currency, unless "
                "QuickBooks multicurrency is on."
            )
        )
        self.icon = QLabel()
        self.result = QLabel()
        self.result.setObjectName("currencyResult")
        self.result.setWordWrap(True)
        font = self.result.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.result.setFont(font)
        self.fixes = QLabel(
            self.tr(
                "To connect them, do one of these, then click <b>Check again</b>:"
                "<ol>"
                "<li>In Scoro, change the entity's base currency under "
                "<i>Settings &gt; Sales and finance &gt; Currencies</i>; or</li>"
                "<li>In QuickBooks, change the home currency or turn on multicurrency under "
                "<i>Settings &gt; Advanced &gt; Currency</i>.</li>"
                "</ol>"
            )
        )
        self.fixes.setObjectName("currencyFixes")
        self.fixes.setWordWrap(True)
        self.check_button = QPushButton(self.tr("Check again"))
        self.check_button.setObjectName("checkAgain")
        self.check_button.setToolTip(
            self.tr("Read both currencies again from Scoro and QuickBooks")
        )
        row = QHBoxLayout()
        row.addWidget(self.icon)
        row.addWidget(self.result, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.fixes)
        layout.addWidget(self.check_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self.check: CurrencyCheck | None = None
        self._checking = False
        self.check_button.clicked.connect(self.run_check)

    def initializePage(self) -> None:
        self.run_check()

    def run_check(self) -> None:
        cid = self.wiz.connection_id
        if cid is None:
            return
        self._checking = True
        self.check_button.setEnabled(False)
        self.icon.clear()
        self.result.setText(self.tr("Checking both currencies…"))
        self.fixes.setVisible(False)
        emit(self.completeChanged)

        def done(check: CurrencyCheck):
            self._checking = False
            self.check_button.setEnabled(True)
            self.show_check(check)

        def failed(exc):
            self._checking = False
            self.check_button.setEnabled(True)
            self.icon.setPixmap(icon("error").pixmap(24, 24))
            self.result.setText(
                self.tr("The currencies could not be read. {reason}").format(
                    reason=messages.describe(exc)
                )
            )
            emit(self.completeChanged)

        self.wiz.track(
            run_task(
                lambda: self.wiz.svc.check_currencies(cid), done, failed, name="check_currencies"
            )
        )

    def show_check(self, check: CurrencyCheck) -> None:
        self.check = check
        if check.ok:
            self.icon.setPixmap(icon("ok").pixmap(24, 24))
            if check.scoro_currency == check.qbo_currency:
                text = self.tr("✓ {currency} in both Scoro and QuickBooks.").format(
                    currency=check.scoro_currency
                )
            else:
                text = self.tr(
                    "✓ Scoro uses {scoro}, QuickBooks {quickbooks} with multicurrency on."
                ).format(scoro=check.scoro_currency, quickbooks=check.qbo_currency)
            self.result.setText(text)
            self.fixes.setVisible(False)
            self.check_button.setVisible(False)
        else:
            self.icon.setPixmap(icon("error").pixmap(24, 24))
            # The fixes are listed below; the service's full sentence stays in the tooltip.
            text = self.tr(
                "Scoro's base currency is {scoro} but QuickBooks' home currency is "
                "{quickbooks}, and QuickBooks multicurrency is off, so this connection cannot "
                "be activated yet."
            ).format(scoro=check.scoro_currency, quickbooks=check.qbo_currency)
            self.result.setToolTip(check.message)
            self.result.setText(f"✗ {text}")
            self.fixes.setVisible(True)
            self.check_button.setVisible(True)
        emit(self.completeChanged)

    def isComplete(self) -> bool:
        return self.check is not None and self.check.ok and not self._checking

    def nextId(self) -> int:
        # Reconnecting keeps the settings the bookkeeper already chose.
        return -1 if self.wiz.reconnect_info is not None else PAGE_SETTINGS
