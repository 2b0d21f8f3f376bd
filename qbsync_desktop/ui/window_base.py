"""What MainWindow's parts (WindowActions, WindowRuns) use of the window they are mixed into.

Only the type checker sees `WindowBase` as this QMainWindow with MainWindow's attributes; at
run time it is `object`, so the parts stay plain mixins and MainWindow supplies all of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from PySide6.QtCore import Signal
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QLabel, QMainWindow, QProgressBar

    from ..sync.service import SyncService
    from ..sync.types import ConnectionInfo, RunResult, ScoroEntity
    from .log_pane import LogPane
    from .notices import Notice
    from .overview import OverviewPanel
    from .preview import PreviewDialog
    from .tray import Tray
    from .worker import Task

    class WindowBase(QMainWindow):
        run_done: Signal
        svc: SyncService
        log_dir: Path
        connections: list[ConnectionInfo]
        connection_id: int | None
        runs: dict[int, Task]
        previews: dict[int, Task]
        preview_dialog: PreviewDialog | None
        last_result: RunResult | None
        last_notice: Notice | None
        tray: Tray | None
        status_label: QLabel
        progress: QProgressBar
        log_pane: LogPane
        overview: OverviewPanel
        cancel_action: QAction

        def current(self) -> ConnectionInfo | None: ...
        def refresh_connections(self) -> None: ...
        def refresh_all(self) -> None: ...
        def _after_change(self) -> None: ...
        def _update_state(self) -> None: ...
        def synchronize_now(self) -> None: ...
        def preview(self) -> None: ...
        def cancel(self) -> None: ...
        def show_review(self) -> None: ...
        def quit(self) -> None: ...
        def open_wizard(
            self,
            reconnect: ConnectionInfo | None = None,
            *,
            entity: tuple[str, ScoroEntity] | None = None,
        ) -> None: ...

else:
    WindowBase = object
