"""Tray icon: the app keeps syncing with its window closed, and says when something needs you."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from .qtcompat import emit
from .resources import icon


def tray_available() -> bool:
    return QSystemTrayIcon.isSystemTrayAvailable()


class Tray(QObject):
    open_requested = Signal()
    sync_requested = Signal()
    review_requested = Signal()
    quit_requested = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.icon = QSystemTrayIcon(icon("app"), self)
        self.icon.setToolTip("QBSync")
        self.menu = QMenu()
        self.open_action = QAction(self.tr("Open QBSync"), self.menu)
        self.sync_action = QAction(icon("sync"), self.tr("Synchronize now"), self.menu)
        self.review_action = QAction(icon("review"), self.tr("Review"), self.menu)
        self.quit_action = QAction(self.tr("Quit"), self.menu)
        for action in (self.open_action, self.sync_action, self.review_action):
            self.menu.addAction(action)
        self.menu.addSeparator()
        self.menu.addAction(self.quit_action)
        self.icon.setContextMenu(self.menu)
        self.open_action.triggered.connect(self.open_requested)
        self.sync_action.triggered.connect(self.sync_requested)
        self.review_action.triggered.connect(self.review_requested)
        self.quit_action.triggered.connect(self.quit_requested)
        self.icon.activated.connect(self._activated)
        self.icon.messageClicked.connect(self._message_clicked)
        self.notifications: list[tuple[str, str]] = []
        self._message_opens_review = False
        self.icon.show()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            emit(self.open_requested)

    def set_status(self, text: str, review_count: int) -> None:
        self.icon.setToolTip(self.tr("QBSync — {status}").format(status=text))
        self.review_action.setText(
            self.tr("Review ({count})").format(count=review_count)
            if review_count
            else self.tr("Review")
        )
        self.icon.setIcon(icon("app"))

    def _message_clicked(self) -> None:
        emit(self.review_requested if self._message_opens_review else self.open_requested)

    def notify(
        self, title: str, text: str, *, warning: bool = False, opens_review: bool = False
    ) -> None:
        """A desktop notification; clicking it opens the Review tab, or else the window."""
        self.notifications.append((title, text))
        self._message_opens_review = opens_review
        kind = (
            QSystemTrayIcon.MessageIcon.Warning
            if warning
            else QSystemTrayIcon.MessageIcon.Information
        )
        self.icon.showMessage(title, text, kind, 10_000)

    def hide(self) -> None:
        self.icon.hide()
