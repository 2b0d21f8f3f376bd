"""The main window's actions (toolbar, menus, shortcuts) and the Help menu's answers."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence

from . import messages
from .language import translate
from .resources import icon
from .window_base import WindowBase


def open_folder(url: QUrl) -> bool:
    """Indirection so tests need not open a file manager."""
    return QDesktopServices.openUrl(url)


def with_shortcut(text: str, action: QAction) -> str:
    """ "Synchronize now (Ctrl+R)": a tooltip that shows the keyboard shortcut."""
    keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    if not keys or keys in text:
        return text
    return f"{text} ({keys})"


class WindowActions(WindowBase):
    """Part of MainWindow: its QActions and menus. Uses the window's log_dir and log_pane, and
    connects the actions to the window's slots."""

    def _build_actions(self) -> None:
        self.sync_action = QAction(icon("sync"), translate("MainWindow", "Synchronize now"), self)
        self.sync_action.setObjectName("syncNow")
        self.sync_action.setShortcut(QKeySequence("Ctrl+R"))
        self.sync_action.setToolTip(
            translate("MainWindow", "Synchronize every enabled category now (Ctrl+R)")
        )
        self.sync_action.triggered.connect(self.synchronize_now)
        self.preview_action = QAction(icon("preview"), translate("MainWindow", "Preview"), self)
        self.preview_action.setObjectName("preview")
        self.preview_action.setToolTip(
            translate("MainWindow", "See what a sync would change, without changing anything")
        )
        self.preview_action.triggered.connect(self.preview)
        self.cancel_action = QAction(icon("cancel"), translate("MainWindow", "Cancel"), self)
        self.cancel_action.setObjectName("cancel")
        self.cancel_action.setShortcut(QKeySequence("Esc"))
        self.cancel_action.setToolTip(
            translate("MainWindow", "Stop the running sync after the record in progress")
        )
        self.cancel_action.triggered.connect(self.cancel)
        self.review_action = QAction(icon("review"), translate("MainWindow", "Review"), self)
        self.review_action.setObjectName("reviewAction")
        self.review_action.setToolTip(
            translate("MainWindow", "Conflicts and warnings that need you")
        )
        self.review_action.triggered.connect(self.show_review)
        self.connect_action = QAction(translate("MainWindow", "Connect an entity…"), self)
        self.connect_action.setObjectName("connectAction")
        self.connect_action.setShortcut(QKeySequence.StandardKey.New)
        self.connect_action.setToolTip(
            translate("MainWindow", "Pair a Scoro entity with a QuickBooks Online company")
        )
        self.connect_action.triggered.connect(lambda: self.open_wizard())
        self.refresh_action = QAction(translate("MainWindow", "Refresh"), self)
        self.refresh_action.setObjectName("refresh")
        self.refresh_action.setShortcut(QKeySequence("F5"))
        self.refresh_action.triggered.connect(self.refresh_all)
        self.find_action = QAction(translate("MainWindow", "Find in log"), self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(lambda: self.log_pane.focus_find())
        self.quit_action = QAction(translate("MainWindow", "Quit"), self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.quit)
        for action in (self.refresh_action, self.find_action, self.quit_action):
            self.addAction(action)
        self.export_action = QAction(translate("MainWindow", "Export log as CSV…"), self)
        self.export_action.setObjectName("exportLog")
        self.export_action.triggered.connect(lambda: self.log_pane.export_button.click())
        self.log_folder_action = QAction(translate("MainWindow", "Open log folder"), self)
        self.log_folder_action.setObjectName("openLogFolder")
        self.log_folder_action.setToolTip(
            translate("MainWindow", "Show the folder with the log files, e.g. for support")
        )
        self.log_folder_action.triggered.connect(self.open_log_folder)
        self.about_action = QAction(translate("MainWindow", "About QBSync"), self)
        self.about_action.setObjectName("about")
        self.about_action.triggered.connect(self.show_about)
        # The shortcut is part of what the toolbar shows on hover.
        for action in (
            self.sync_action,
            self.preview_action,
            self.cancel_action,
            self.review_action,
            self.connect_action,
        ):
            action.setToolTip(with_shortcut(action.toolTip() or action.text(), action))

    def _build_menus(self) -> None:
        bar = self.menuBar()
        bar.setObjectName("menuBar")
        menus = (
            (
                "File",
                translate("MainWindow", "&File"),
                (
                    self.connect_action,
                    None,
                    self.export_action,
                    self.log_folder_action,
                    None,
                    self.quit_action,
                ),
            ),
            (
                "Sync",
                translate("MainWindow", "&Sync"),
                (
                    self.sync_action,
                    self.preview_action,
                    self.cancel_action,
                    None,
                    self.review_action,
                ),
            ),
            ("View", translate("MainWindow", "&View"), (self.refresh_action, self.find_action)),
            (
                "Help",
                translate("MainWindow", "&Help"),
                (self.log_folder_action, None, self.about_action),
            ),
        )
        for name, title, actions in menus:
            menu = bar.addMenu(title)
            menu.setObjectName(f"menu{name}")
            menu.setToolTipsVisible(True)
            for action in actions:
                if action is None:
                    menu.addSeparator()
                else:
                    menu.addAction(action)

    def open_log_folder(self) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        if not open_folder(QUrl.fromLocalFile(str(self.log_dir))):
            messages.show_info(
                self,
                translate("MainWindow", "Log folder"),
                translate("MainWindow", "The log files are in {folder}").format(
                    folder=self.log_dir
                ),
            )

    def show_about(self) -> None:
        from ..app import version

        messages.show_info(
            self,
            translate("MainWindow", "About QBSync"),
            translate(
                "MainWindow",
                "QBSync {version}\n\nKeeps a Scoro site and QuickBooks Online in sync.\n\n"
                "Log files: {folder}",
            ).format(version=version(), folder=self.log_dir),
        )
