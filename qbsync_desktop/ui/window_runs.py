"""The main window's sync runs: starting, cancelling and previewing them, following their
progress, and telling the bookkeeper how each one ended."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import threading

from PySide6.QtWidgets import QApplication

from ..domain import Category
from ..domain.errors import ReconnectNeeded
from ..sync.types import Event, EventType, RunResult
from . import messages
from .formatting import run_status_text
from .language import category_label, translate
from .notices import Notice, run_notice
from .preview import PreviewDialog
from .qtcompat import emit
from .window_base import WindowBase
from .worker import Task, run_task

log = logging.getLogger(__name__)


def run_counts(result: RunResult, to_review: int | None = None) -> str:
    """`to_review`: the open review items, so the summary and the Review badge agree."""
    if to_review is not None:
        result = dataclasses.replace(result, held=to_review)
    parts = [
        what.format(count=n)
        for n, what in (
            (result.created, translate("MainWindow", "{count} created")),
            (result.updated, translate("MainWindow", "{count} updated")),
            (result.linked, translate("MainWindow", "{count} matched")),
            (result.held, translate("MainWindow", "{count} to review")),
            (result.failed, translate("MainWindow", "{count} failed")),
        )
        if n
    ]
    return ", ".join(parts) if parts else translate("MainWindow", "nothing to change")


class WindowRuns(WindowBase):
    """Part of MainWindow: its runs and previews (`runs`, `previews`), the status bar and
    progress bar while they go, and the service's run events."""

    def synchronize_now(self) -> None:
        if self.connection_id is not None:
            self.start_run(self.connection_id, None, trigger="manual")

    def sync_categories(self, categories: list[Category]) -> None:
        if self.connection_id is not None:
            self.start_run(self.connection_id, list(categories), trigger="manual")

    def start_run(
        self, connection_id: int, categories: list[Category] | None, *, trigger: str = "manual"
    ) -> Task | None:
        if connection_id in self.runs:
            return None
        cancel = threading.Event()
        info = next((c for c in self.connections if c.id == connection_id), None)
        name = info.entity_name if info else translate("MainWindow", "this connection")
        what = (
            ", ".join(category_label(c).lower() for c in categories)
            if categories
            else translate("MainWindow", "everything")
        )

        def work():
            return self.svc.run(connection_id, categories, trigger=trigger, cancel=cancel)

        task = Task(
            work,
            lambda r: self._run_done(connection_id, r),
            lambda e: self._run_failed(connection_id, name, e),
            name="run",
        )
        task.cancel_event = cancel
        self.runs[connection_id] = task
        self.status_label.setText(
            translate("MainWindow", "Synchronizing {entity}: {what}…").format(
                entity=name, what=what
            )
        )
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self._update_state()
        self.refresh_connections()
        task.start()
        return task

    def _run_done(self, connection_id: int, result: RunResult) -> None:
        self.runs.pop(connection_id, None)
        self.last_result = result
        self._finish_progress()
        # "review" shows in the counts ("3 to review"); the label need not say it again.
        label = run_status_text("ok" if result.status == "review" else result.status)
        try:
            to_review = self.svc.review_count(connection_id)
        except Exception:  # noqa: BLE001 - the run's own count then
            to_review = None
        summary = translate("MainWindow", "{status}: {counts} ({seconds} s)").format(
            status=label or result.status,
            counts=run_counts(result, to_review),
            seconds=f"{result.seconds:.1f}",
        )
        self.status_label.setText(summary)
        self._after_change()
        self.log_pane.reload()
        if result.status == "reconnect_needed":
            messages.show_error(
                self,
                translate("MainWindow", "QuickBooks needs to be authorized again."),
                ReconnectNeeded(
                    result.message or "QuickBooks refused the saved authorization.",
                    side="quickbooks",
                ),
            )
        elif result.status == "failed":
            messages.show_problem(
                self,
                translate("MainWindow", "The sync did not finish."),
                (result.message or translate("MainWindow", "The sync stopped."))
                + "\n\n"
                + translate(
                    "MainWindow",
                    "Nothing was lost: what was not done is retried on the next sync. "
                    "Check your internet connection, then click Synchronize now (Ctrl+R) to try "
                    "again. If it keeps failing, export the log (Export CSV) and send it to "
                    "support.",
                ),
            )
        info = next((c for c in self.connections if c.id == connection_id), None)
        if to_review is None and info is not None:
            to_review = info.open_reviews
        entity = info.entity_name if info else translate("MainWindow", "this connection")
        reason = messages.plain(result.message)
        self._notify(
            run_notice(result, entity, to_review=to_review, reason=reason, translate=translate)
        )
        emit(self.run_done, result)

    def _run_failed(self, connection_id: int, name: str, exc: BaseException) -> None:
        self.runs.pop(connection_id, None)
        self._finish_progress()
        stopped = translate("MainWindow", "The sync of {entity} stopped.").format(entity=name)
        self.status_label.setText(stopped)
        self._after_change()
        messages.show_error(self, stopped, exc)
        self._notify(run_notice(None, name, reason=messages.describe(exc), translate=translate))
        emit(self.run_done, None)

    def _notify(self, notice: Notice | None) -> None:
        """Say on the desktop how a run ended, whether or not the window is open."""
        self.last_notice = notice
        if notice is None:
            return
        if self.tray is not None:
            self.tray.notify(
                notice.title, notice.text, warning=True, opens_review=notice.opens_review
            )
            return
        # No system tray (some Linux desktops): the window stays open (closing it quits), so
        # its taskbar entry asks for attention and the status bar says how the run ended.
        log.info("%s: %s", notice.title, notice.text)
        QApplication.alert(self)

    def _finish_progress(self) -> None:
        if not self.runs:
            self.progress.setVisible(False)
            self.progress.setRange(0, 1)
        self._update_state()

    def cancel(self) -> None:
        task = self.runs.get(self.connection_id) if self.connection_id is not None else None
        for t in [task] if task else list(self.runs.values()):
            t.cancel_event.set()
        if self.runs:
            self.status_label.setText(
                translate("MainWindow", "Cancelling after the record in progress…")
            )
            self.cancel_action.setEnabled(False)

    def preview(self) -> None:
        cid = self.connection_id
        if cid is None or cid in self.previews:
            return
        info = self.current()
        self.status_label.setText(
            translate("MainWindow", "Preparing a preview (nothing is changed)…")
        )

        def done(result: RunResult) -> None:
            self.previews.pop(cid, None)
            self._update_state()
            self.status_label.setText(
                translate("MainWindow", "Preview ready: nothing was changed.")
            )
            self.preview_dialog = PreviewDialog(result, info.title if info else "", self)
            self.preview_dialog.open()
            emit(self.run_done, result)

        def failed(exc: BaseException) -> None:
            self.previews.pop(cid, None)
            self._update_state()
            self.status_label.setText(translate("MainWindow", "The preview did not work."))
            messages.show_error(
                self, translate("MainWindow", "The preview could not be prepared."), exc
            )

        self.previews[cid] = run_task(
            lambda: self.svc.run(cid, None, dry_run=True, trigger="preview"),
            done,
            failed,
            name="preview",
        )
        self._update_state()

    def check_due(self) -> None:
        now = dt.datetime.now(dt.UTC)

        def done(due) -> None:
            for connection_id, categories in due:
                if connection_id not in self.runs:
                    log.info(
                        "automatic sync of connection %s: %s",
                        connection_id,
                        [str(c) for c in categories or ()] or "everything",
                    )
                    self.start_run(
                        connection_id, list(categories) if categories else None, trigger="automatic"
                    )

        def failed(exc: BaseException) -> None:
            log.warning("could not check for due syncs: %s", exc)

        run_task(lambda: self.svc.due(now), done, failed, name="due")

    # events from the service

    def _on_run_started(self, ev: Event) -> None:
        if ev.connection_id is not None and ev.connection_id not in self.runs:
            # Someone else (another window, the scheduler of the CLI) started it.
            self.status_label.setText(ev.message or translate("MainWindow", "Synchronizing…"))

    def _on_run_finished(self, ev: Event) -> None:
        if ev.connection_id is not None and ev.connection_id not in self.runs:
            # Not one of ours (the pull after connecting, the CLI): "Sync started" must not
            # linger in the status bar after it ended.
            self.status_label.setText(ev.message or translate("MainWindow", "Ready"))

    def _on_progress(self, ev: Event) -> None:
        if ev.connection_id not in self.runs:
            return
        try:
            category = category_label(Category(ev.category))
        except ValueError:
            category = ev.category.replace("_", " ")
        if ev.type is EventType.CATEGORY_STARTED:
            self.progress.setRange(0, 0)  # busy until the category knows its size
        elif ev.type is EventType.PROGRESS:
            if ev.total:
                self.progress.setRange(0, ev.total)
                self.progress.setValue(min(ev.done, ev.total))
                self.progress.setFormat(f"{ev.done:,} / {ev.total:,}")
            else:
                self.progress.setRange(0, 0)
        else:
            return  # single records: the log pane shows them
        counts = ev.counts or {}
        shown = [f"{v} {k}" for k, v in counts.items() if isinstance(v, int) and v]
        text = translate("MainWindow", "Syncing {what}…").format(
            what=category.lower() or translate("MainWindow", "records")
        )
        if ev.total:
            text += f" {ev.done:,} / {ev.total:,}"
        if shown:
            text += " · " + ", ".join(shown)
        self.status_label.setText(text)

    def _on_category_finished(self, ev: Event) -> None:
        try:
            row = self.overview.table.rows[Category(ev.category)]
        except (ValueError, KeyError):
            return
        if ev.connection_id == self.connection_id and ev.message:
            row.result_text.setText(ev.message)

    def _on_connection_status(self, _ev: Event) -> None:
        self.refresh_connections()
