"""The main window: which entity is connected to which company, what syncs, what needs you."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from ..domain import Category
from ..sync.types import (
    ConnectionInfo,
    ConnectionStatus,
    RunResult,
    ScoroEntity,
    site_key,
)
from . import messages
from .bridge import ServiceBridge
from .connection_header import ConnectionHeader
from .documents import DocumentsPanel
from .formatting import STATUS_ICON, day_text, escape_html, status_text
from .geometry import MIN_MAIN, clamp_to_screen, fit_window
from .history import HistoryPanel
from .language import category_label, translate
from .log_pane import LogPane
from .notices import Notice
from .overview import OverviewPanel, OverviewScroll
from .preview import PreviewDialog
from .qtcompat import emit
from .reconcile import ReconcilePanel
from .resources import icon
from .review import ReviewPanel
from .tray import Tray, tray_available
from .window_actions import WindowActions
from .window_runs import WindowRuns
from .worker import Task, run_task

if TYPE_CHECKING:
    from .wizard import ConnectionWizard

log = logging.getLogger(__name__)

AUTO_CHECK_MS = 60_000
KEY_ROLE = Qt.ItemDataRole.UserRole  # ("connection", id) or ("entity", site, company id)
TAB_OVERVIEW, TAB_REVIEW, TAB_DOCUMENTS, TAB_HISTORY = range(4)


def first_sync_dates(svc, connection_id: int) -> str:
    """The start dates the first sync will use, one line per enabled category; rule R40."""
    lines = []
    for cfg in svc.categories(connection_id):
        if cfg.enabled and cfg.start_date is not None and cfg.category is not Category.BACKGROUND:
            lines.append(
                translate("MainWindow", "{category} from {date}").format(
                    category=category_label(cfg.category), date=day_text(cfg.start_date)
                )
            )
    if not lines:
        return translate("MainWindow", "Start dates: the day of connecting.")
    return translate("MainWindow", "Synced from these dates:") + "\n" + "\n".join(lines)


class MainWindow(WindowActions, WindowRuns, QMainWindow):
    run_done = Signal(object)  # RunResult (also for previews), after the window updated
    entities_loaded = Signal()

    def __init__(
        self,
        service,
        settings: QSettings,
        *,
        demo=None,
        use_tray: bool | None = None,
        log_dir=None,
    ) -> None:
        super().__init__()
        self.svc = service
        self.log_dir = Path(log_dir) if log_dir else Path(service.data_dir) / "logs"
        self.settings = settings
        self.demo = demo
        self.setObjectName("mainWindow")
        self.setWindowTitle(
            self.tr("QBSync — Scoro ⇄ QuickBooks Online (demo)")
            if demo
            else self.tr("QBSync — Scoro ⇄ QuickBooks Online")
        )
        self.setWindowIcon(icon("app"))
        self.connections: list[ConnectionInfo] = []
        self.site_entities: list[tuple[str, ScoroEntity, int | None]] = []
        self.connection_id: int | None = None
        self._selected_key: tuple | None = None
        self.runs: dict[int, Task] = {}
        self.previews: dict[int, Task] = {}
        self.preview_dialog: PreviewDialog | None = None
        self.wizard: ConnectionWizard | None = None
        self.last_result: RunResult | None = None
        self.last_notice: Notice | None = None  # what the desktop was last told
        self._quitting = False

        self.bridge = ServiceBridge(service, self)
        self._build_actions()
        self._build_ui()
        self.bridge.progress.connect(self._on_progress)
        self.bridge.log_line.connect(self.log_pane.add_event)
        self.bridge.connection_status.connect(self._on_connection_status)
        self.bridge.category_finished.connect(self._on_category_finished)
        self.bridge.run_started.connect(self._on_run_started)
        self.bridge.run_finished.connect(self._on_run_finished)

        if use_tray is None:
            use_tray = tray_available()
        self.tray: Tray | None = Tray(self) if use_tray else None
        if self.tray is not None:
            self.tray.open_requested.connect(self.bring_to_front)
            self.tray.sync_requested.connect(self.synchronize_now)
            self.tray.review_requested.connect(self.show_review)
            self.tray.quit_requested.connect(self.quit)
            QApplication.setQuitOnLastWindowClosed(False)

        self.auto_timer = QTimer(self)
        self.auto_timer.setObjectName("autoSyncTimer")
        self.auto_timer.setInterval(AUTO_CHECK_MS)
        self.auto_timer.timeout.connect(self.check_due)

        self._restore_settings()
        self.refresh_connections()
        self.load_site_entities()

    # construction

    def _build_ui(self) -> None:
        toolbar = QToolBar(self.tr("Main"))
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setIconSize(QSize(20, 20))
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addAction(self.sync_action)
        toolbar.addAction(self.preview_action)
        toolbar.addAction(self.cancel_action)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        toolbar.addAction(self.review_action)
        toolbar.addAction(self.connect_action)
        self.addToolBar(toolbar)
        self.toolbar = toolbar
        self._build_menus()

        # left: entities (R03)
        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(4, 4, 4, 4)
        left_box.addWidget(QLabel(self.tr("<b>Entities</b>")))
        self.entity_list = QListWidget()
        self.entity_list.setObjectName("entityList")
        self.entity_list.setAccessibleName(self.tr("Connected entities"))
        self.entity_list.setIconSize(QSize(16, 16))
        self.entity_list.setMinimumWidth(200)
        self.entity_list.setWordWrap(True)
        self.entity_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.entity_list.setSpacing(2)
        # Room above each name: without it the dots of "OÜ" are cut off and read "OU".
        self.entity_list.setStyleSheet("QListWidget#entityList::item { padding: 3px 2px; }")
        left_box.addWidget(self.entity_list, 1)
        self.connect_button = QPushButton(self.tr("+ Connect an entity"))
        self.connect_button.setObjectName("connectButton")
        self.connect_button.clicked.connect(lambda: self.open_wizard())
        left_box.addWidget(self.connect_button)

        # right: header and tabs
        right = QWidget()
        right_box = QVBoxLayout(right)
        right_box.setContentsMargins(0, 0, 0, 0)
        self.header = ConnectionHeader()
        right_box.addWidget(self.header)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        self.overview = OverviewPanel(self.svc)
        overview_scroll = OverviewScroll(self.overview)
        self.overview_scroll = overview_scroll
        self.review = ReviewPanel(self.svc)
        self.documents = DocumentsPanel(self.svc)
        self.history = HistoryPanel(self.svc)
        self.tabs.addTab(overview_scroll, self.tr("Overview"))
        self.tabs.addTab(self.review, icon("review"), self.tr("Review"))
        self.tabs.addTab(self.documents, self.tr("Documents"))
        self.tabs.addTab(self.history, self.tr("History"))
        self.reconcile = ReconcilePanel(self.svc)
        self.tabs.addTab(self.reconcile, self.tr("Reconcile"))
        self.reconcile.review_requested.connect(self._open_review_item)
        # Without a connection the tabs would show stale, greyed-out settings of another
        # entity; a plain explanation with the one useful button replaces them.
        self.placeholder = QWidget()
        self.placeholder.setObjectName("noConnection")
        holder = QVBoxLayout(self.placeholder)
        holder.addStretch(1)
        self.placeholder_text = QLabel()
        self.placeholder_text.setObjectName("noConnectionText")
        self.placeholder_text.setWordWrap(True)
        self.placeholder_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder_button = QPushButton()
        self.placeholder_button.setObjectName("placeholderConnect")
        self.placeholder_button.clicked.connect(self._placeholder_clicked)
        holder.addWidget(self.placeholder_text)
        holder.addWidget(self.placeholder_button, 0, Qt.AlignmentFlag.AlignCenter)
        holder.addStretch(2)
        self.body = QStackedWidget()
        self.body.addWidget(self.tabs)
        self.body.addWidget(self.placeholder)
        right_box.addWidget(self.body, 1)

        self.top_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.top_splitter.setObjectName("topSplitter")
        self.top_splitter.addWidget(left)
        self.top_splitter.addWidget(right)
        self.top_splitter.setStretchFactor(1, 1)
        self.top_splitter.setSizes([220, 900])

        self.log_pane = LogPane(self.svc)
        self.main_splitter = QSplitter(Qt.Orientation.Vertical)
        self.main_splitter.setObjectName("mainSplitter")
        self.main_splitter.addWidget(self.top_splitter)
        self.main_splitter.addWidget(self.log_pane)
        self.main_splitter.setStretchFactor(0, 3)
        self.main_splitter.setStretchFactor(1, 1)
        self.main_splitter.setSizes([560, 180])
        self.setCentralWidget(self.main_splitter)

        self.status_label = QLabel(self.tr("Ready"))
        self.status_label.setObjectName("statusText")
        self.progress = QProgressBar()
        self.progress.setObjectName("progress")
        self.progress.setMaximumWidth(260)
        self.progress.setTextVisible(True)
        self.progress.setVisible(False)
        self.statusBar().addWidget(self.status_label, 1)
        self.statusBar().addPermanentWidget(self.progress)

        self.entity_list.currentRowChanged.connect(self._entity_selected)
        self.entity_list.itemActivated.connect(self._entity_activated)
        self.entity_list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.entity_list.customContextMenuRequested.connect(self._entity_menu)
        self.header.reconnect_clicked.connect(self.reconnect)
        self.header.connect_entity_clicked.connect(self.connect_selected_entity)
        self.header.disconnect_clicked.connect(self.disconnect_connection)
        self.header.check_currencies_clicked.connect(self.check_currencies)
        self.overview.sync_requested.connect(self.sync_categories)
        self.overview.changed.connect(self._settings_changed)
        self.review.count_changed.connect(self._review_count_changed)
        self.review.resolved.connect(lambda _r: self._after_resolve())
        self.documents.action_finished.connect(lambda _r: self._after_change())
        self.tabs.currentChanged.connect(lambda i: self.settings.setValue("ui/tab", i))

        # Keyboard order follows what the eye reads: entities, header, tabs, log.
        QWidget.setTabOrder(self.entity_list, self.connect_button)
        QWidget.setTabOrder(self.connect_button, self.header.reconnect)
        QWidget.setTabOrder(self.header.reconnect, self.header.disconnect)
        QWidget.setTabOrder(self.header.disconnect, self.tabs)

    # settings

    def _restore_settings(self) -> None:
        fit_window(self, QSize(1180, 820), MIN_MAIN)
        geometry = self.settings.value("ui/geometry")
        if geometry is not None and self.restoreGeometry(geometry):
            # Saved on a bigger screen, or on a monitor that is gone: keep it whole and visible.
            clamp_to_screen(self)
        for key, splitter in (
            ("ui/mainSplitter", self.main_splitter),
            ("ui/topSplitter", self.top_splitter),
        ):
            state = self.settings.value(key)
            if state is not None:
                splitter.restoreState(state)
        level = self.settings.value("ui/logLevel")
        if level is not None:
            self.log_pane.level.setCurrentIndex(int(level))
        tab = self.settings.value("ui/tab")
        if tab is not None:
            self.tabs.setCurrentIndex(int(tab))

    def save_settings(self) -> None:
        self.settings.setValue("ui/geometry", self.saveGeometry())
        self.settings.setValue("ui/mainSplitter", self.main_splitter.saveState())
        self.settings.setValue("ui/topSplitter", self.top_splitter.saveState())
        self.settings.setValue("ui/logLevel", self.log_pane.level.currentIndex())
        if self.connection_id is not None:
            self.settings.setValue("ui/connection", self.connection_id)
        self.settings.sync()

    # start-up

    def start(self) -> None:
        """Begin automatic syncing; an overdue sync runs right away."""
        self.auto_timer.start()
        QTimer.singleShot(0, self.check_due)
        if not self.connections:
            QTimer.singleShot(0, self.open_wizard)

    # connections

    def current(self) -> ConnectionInfo | None:
        return next((c for c in self.connections if c.id == self.connection_id), None)

    def unconnected_entities(self) -> list[tuple[str, ScoroEntity]]:
        """R03: entities of the connected sites that have no connection of their own yet."""
        known = {(site_key(c.scoro_site_url), c.company_account_id) for c in self.connections}
        return [
            (site, entity)
            for site, entity, cid in self.site_entities
            if cid is None and (site_key(site), entity.company_account_id) not in known
        ]

    def refresh_connections(self) -> None:
        self.connections = list(self.svc.connections())
        wanted = self._selected_key
        if wanted is None:
            stored = self.settings.value("ui/connection")
            wanted = ("connection", int(stored)) if stored is not None else None
        self.entity_list.blockSignals(True)
        self.entity_list.clear()
        row_to_select = 0
        for info in self.connections:
            currencies = f"{info.scoro_currency} ⇄ {info.qbo_currency or '?'}"
            status = status_text(info.status, str(info.status))
            if info.id in self.runs:
                status = self.tr("synchronizing…")
            review = (
                " · " + self.tr("{count} to review").format(count=info.open_reviews)
                if info.open_reviews
                else ""
            )
            item = QListWidgetItem(
                icon(STATUS_ICON.get(info.status, "info")),
                f"{info.entity_name}\n{currencies} · {status}{review}",
            )
            item.setData(KEY_ROLE, ("connection", info.id))
            item.setToolTip(info.title)
            self.entity_list.addItem(item)
            if ("connection", info.id) == wanted:
                row_to_select = self.entity_list.count() - 1
        for site, entity in self.unconnected_entities():
            key = ("entity", site, entity.company_account_id)
            item = QListWidgetItem(
                icon("disconnected"),
                f"{entity.name}\n{entity.base_currency} · " + self.tr("not connected"),
            )
            item.setData(KEY_ROLE, key)
            item.setToolTip(
                self.tr(
                    "{name} is in Scoro but not connected to QuickBooks yet. "
                    "Select it and click Connect…, or double-click it."
                ).format(name=entity.name)
            )
            item.setForeground(self.palette().placeholderText())
            self.entity_list.addItem(item)
            if key == wanted:
                row_to_select = self.entity_list.count() - 1
        self.entity_list.blockSignals(False)
        if self.entity_list.count():
            self.entity_list.setCurrentRow(row_to_select)
            self._select_key(self.entity_list.item(row_to_select).data(KEY_ROLE))
        else:
            self._select_key(None)

    def load_site_entities(self) -> None:
        """Ask Scoro (off the GUI thread) which entities exist besides the connected ones."""
        if not self.connections:
            return

        def done(found) -> None:
            self.site_entities = list(found)
            self.refresh_connections()
            emit(self.entities_loaded)

        def failed(exc: BaseException) -> None:
            log.info("could not list the Scoro entities: %s", exc)
            emit(self.entities_loaded)

        run_task(self.svc.site_entities, done, failed, name="site_entities")

    def _entity_selected(self, row: int) -> None:
        item = self.entity_list.item(row)
        if item is not None:
            self._select_key(item.data(KEY_ROLE))

    def _entity_activated(self, item: QListWidgetItem) -> None:
        key = item.data(KEY_ROLE)
        if key and key[0] == "entity":
            self.connect_selected_entity()

    def _entity_menu(self, pos) -> None:
        item = self.entity_list.itemAt(pos)
        if item is None:
            return
        key = item.data(KEY_ROLE)
        menu = QMenu(self)
        if key[0] == "entity":
            menu.addAction(self.tr("Connect…"), self.connect_selected_entity)
        else:
            info = next((c for c in self.connections if c.id == key[1]), None)
            if info is not None and info.status is ConnectionStatus.ACTIVE:
                menu.addAction(icon("sync"), self.tr("Synchronize now"), self.synchronize_now)
            menu.addAction(self.tr("Disconnect…"), self.disconnect_connection)
        menu.exec(self.entity_list.viewport().mapToGlobal(pos))

    def select_connection(self, connection_id: int) -> None:
        self.select_key(("connection", connection_id))

    def select_key(self, key: tuple) -> None:
        for row in range(self.entity_list.count()):
            if self.entity_list.item(row).data(KEY_ROLE) == key:
                self.entity_list.setCurrentRow(row)
                return

    def selected_entity(self) -> tuple[str, ScoroEntity] | None:
        key = self._selected_key
        if not key or key[0] != "entity":
            return None
        return next(
            (
                (site, entity)
                for site, entity in self.unconnected_entities()
                if (site, entity.company_account_id) == key[1:]
            ),
            None,
        )

    def connect_selected_entity(self) -> None:
        choice = self.selected_entity()
        if choice is not None:
            self.open_wizard(entity=choice)

    def _select_key(self, key: tuple | None) -> None:
        self._selected_key = tuple(key) if key else None
        self._select(key[1] if key and key[0] == "connection" else None)

    def _select(self, connection_id: int | None) -> None:
        changed = connection_id != self.connection_id
        self.connection_id = connection_id
        if changed:
            self.overview.set_connection(connection_id)
            self.review.set_connection(connection_id)
            self.documents.set_connection(connection_id)
            self.history.set_connection(connection_id)
            self.reconcile.set_connection(connection_id)
            self.log_pane.set_connection(connection_id)
            if connection_id is not None:
                self.settings.setValue("ui/connection", connection_id)
        self._show_body()
        self._update_state()

    def _show_body(self) -> None:
        if self.connection_id is not None:
            self.body.setCurrentWidget(self.tabs)
            return
        entity = self.selected_entity()
        if entity is not None:
            name = escape_html(entity[1].name)
            self.placeholder_text.setText(
                self.tr(
                    "<h3>{name} is not connected yet</h3>"
                    "<p>Connect {name} to its own QuickBooks Online company to sync its "
                    "contacts, products, projects and documents.<br>Each Scoro entity syncs "
                    "with one QuickBooks company.</p>"
                ).format(name=name)
            )
            self.placeholder_button.setText(self.tr("Connect {name}…").format(name=entity[1].name))
        else:
            self.placeholder_text.setText(
                self.tr(
                    "<h3>No connection yet</h3><p>Pair a Scoro entity with a QuickBooks Online "
                    "company to start syncing.</p>"
                )
            )
            self.placeholder_button.setText(self.tr("Connect an entity…"))
        self.body.setCurrentWidget(self.placeholder)

    def _placeholder_clicked(self) -> None:
        if self.selected_entity() is not None:
            self.connect_selected_entity()
        else:
            self.open_wizard()

    def refresh_all(self) -> None:
        self.refresh_connections()
        if self.connection_id is not None and self.connection_id not in self.runs:
            self.overview.refresh()
            self.overview.table.reload_bookmarks()
            self.review.refresh()
            self.history.refresh()
            self.log_pane.reload()

    def _after_change(self) -> None:
        """After anything that wrote to the service: re-read what it may have changed."""
        self.refresh_connections()
        if self.connection_id is not None and self.connection_id not in self.runs:
            self.overview.refresh()
            self.review.refresh()
            self.history.refresh()

    def _settings_changed(self) -> None:
        self._update_state()

    def _update_state(self) -> None:
        info = self.current()
        running = info is not None and info.id in self.runs
        entity = self.selected_entity() if info is None else None
        if entity is not None:
            self.header.show_entity(*entity)
        else:
            self.header.show_connection(info, running=running)
        ready = (
            info is not None
            and info.status is ConnectionStatus.ACTIVE
            and not running
            and not self.overview.missing_settings()
        )
        self.sync_action.setEnabled(ready)
        self.preview_action.setEnabled(ready and info is not None and info.id not in self.previews)
        self.cancel_action.setEnabled(running)
        self.overview.set_busy(
            running or (info is not None and info.status is not ConnectionStatus.ACTIVE)
        )
        if info is not None and info.status is not ConnectionStatus.ACTIVE:
            reason = status_text(info.status)
            self.sync_action.setToolTip(
                self.tr("Synchronize now — not available: {reason}").format(reason=reason)
            )
        elif info is not None and self.overview.missing_settings():
            self.sync_action.setToolTip(self.tr("Synchronize now — first complete the settings"))
        else:
            self.sync_action.setToolTip(self.tr("Synchronize every enabled category now (Ctrl+R)"))
        if self.tray is not None:
            total = sum(c.open_reviews for c in self.connections)
            text = (
                self.tr("synchronizing…")
                if self.runs
                else (status_text(info.status) if info else self.tr("no connection"))
            )
            self.tray.set_status(text, total)

    def _after_resolve(self) -> None:
        # "1 held" in the Overview must not outlive the item resolved in Review.
        self.refresh_connections()
        self.overview.refresh()

    def _open_review_item(self, review_id: int) -> None:
        self.tabs.setCurrentIndex(TAB_REVIEW)
        self.review.select(review_id)

    def _review_count_changed(self, count: int) -> None:
        text = self.tr("Review ({count})").format(count=count) if count else self.tr("Review")
        self.tabs.setTabText(TAB_REVIEW, text)
        self.review_action.setText(text)
        self.review_action.setIcon(icon("warning") if count else icon("review"))

    # connection actions

    def open_wizard(
        self,
        reconnect: ConnectionInfo | None = None,
        *,
        entity: tuple[str, ScoroEntity] | None = None,
    ) -> None:
        from .wizard import ConnectionWizard

        if self.wizard is not None and self.wizard.isVisible():
            self.wizard.raise_()
            return
        self.wizard = ConnectionWizard(
            self.svc,
            demo=self.demo,
            reconnect=reconnect,
            existing=self.connections,
            entity=entity,
            parent=self,
        )
        self.wizard.finished.connect(self._wizard_finished)
        self.wizard.open()

    def _wizard_finished(self, code: int) -> None:
        wizard = self.wizard
        if wizard is None:
            return
        cid = wizard.connection_id
        self.refresh_connections()
        if cid is not None:
            self.select_connection(cid)
            self.load_site_entities()
            self.overview.refresh()
            self.overview.table.reload_bookmarks()
            self.review.refresh()
        if code and cid is not None and wizard.reconnect_info is None:
            # Running is the default answer only when the start dates were looked at.
            reviewed = bool(getattr(wizard.settings_page, "dates_reviewed", False))
            if messages.confirm(
                self,
                self.tr("Connected"),
                self.tr(
                    "The connection is ready. Accounts and tax rates were pulled from "
                    "QuickBooks; no documents have been synced yet.\n\n{dates}\n\n"
                    "Run the first sync now?"
                ).format(dates=first_sync_dates(self.svc, cid)),
                yes=self.tr("Run the first sync"),
                no=self.tr("Later"),
                destructive=not reviewed,
            ):
                self.start_run(cid, None, trigger="manual")

    def reconnect(self) -> None:
        info = self.current()
        if info is not None:
            self.open_wizard(reconnect=info)

    def disconnect_connection(self) -> None:
        # Not `disconnect`: that would hide QObject.disconnect on the window.
        info = self.current()
        if info is None:
            return
        if not messages.confirm(
            self,
            self.tr("Disconnect"),
            self.tr(
                "Stop syncing {entity} with {company}?\n\n"
                "Disconnecting will revoke this app's access to QuickBooks and remove the saved "
                "keys from this computer. What was synced stays in both systems, and the links "
                "are kept so connecting again later creates no duplicates."
            ).format(entity=info.entity_name, company=info.qbo_company_name),
            yes=self.tr("Disconnect"),
            no=self.tr("Keep connected"),
            destructive=True,
        ):
            return

        def done(_):
            self.status_label.setText(
                self.tr("{entity} disconnected.").format(entity=info.entity_name)
            )
            self._after_change()

        run_task(
            lambda: self.svc.disconnect(info.id),
            done,
            lambda e: messages.show_error(self, self.tr("Disconnecting did not work."), e),
            name="disconnect",
        )

    def check_currencies(self) -> None:
        info = self.current()
        if info is None:
            return

        def done(check):
            self._after_change()
            if not check.ok:
                messages.show_info(self, self.tr("Currencies"), check.message)

        run_task(
            lambda: self.svc.check_currencies(info.id),
            done,
            lambda e: messages.show_error(self, self.tr("The currencies could not be checked."), e),
            name="currencies",
        )

    # window

    def show_review(self) -> None:
        self.bring_to_front()
        self.tabs.setCurrentIndex(TAB_REVIEW)

    def bring_to_front(self) -> None:
        self.show()
        self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
        self.raise_()
        self.activateWindow()

    def changeEvent(self, event: QEvent) -> None:
        # A style sheet is polished once: when the OS switches between light and dark while
        # the app runs, polish the entity list again or it keeps the old colours.
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            sheet = self.entity_list.styleSheet()
            self.entity_list.setStyleSheet("")
            self.entity_list.setStyleSheet(sheet)
            # Entities not connected yet are greyed in the palette's own placeholder colour.
            for row in range(self.entity_list.count()):
                item = self.entity_list.item(row)
                if item is not None and (item.data(KEY_ROLE) or ("",))[0] == "entity":
                    item.setForeground(self.palette().placeholderText())
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        if self.tray is not None and not self._quitting:
            event.ignore()
            self.hide()
            if not self.settings.value("ui/trayNoticeShown", False, type=bool):
                self.tray.notify(
                    self.tr("QBSync keeps running"),
                    self.tr(
                        "Automatic syncs continue in the background. Use the tray icon to open "
                        "the window or to quit."
                    ),
                )
                self.settings.setValue("ui/trayNoticeShown", True)
            return
        self._shutdown()
        event.accept()

    def quit(self) -> None:
        if self.runs and not messages.confirm(
            self,
            self.tr("Quit"),
            self.tr(
                "A sync is running. Stop it and quit?\n\nNothing is lost: what was "
                "not done is synced next time."
            ),
            yes=self.tr("Stop and quit"),
            no=self.tr("Keep running"),
        ):
            return
        self._quitting = True
        self.close()
        QApplication.quit()

    def _shutdown(self) -> None:
        self.auto_timer.stop()
        for task in list(self.runs.values()):
            task.cancel_event.set()
        if self.wizard is not None:
            self.wizard.abort()
        if self.tray is not None:
            self.tray.hide()
        self.bridge.detach()
