"""Runs a connection's sync, or one action on one document, under its run lock.

One run per connection at a time: within this process (a set of running connections) and
across processes sharing the data folder (an OS lock, sync.runlock). Every run ends in a
RunResult and a completed History row, whatever went wrong.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from .. import logs
from ..domain import Category
from ..domain.errors import ConnectionBusy, ReconnectNeeded, RemoteError, SyncError
from ..store import models as m
from ..store.errors import STORE_ERRORS, explain
from . import runlock, schedule
from .engine import Cancelled, Engine
from .gateways import Gateways
from .runs import RunRecords, summary
from .settings import ConnectionSettings, connection_row
from .types import ConnectionStatus, Event, EventType, RunResult, RunStatus

log = logging.getLogger(__name__)

# A status probe or an interrupted-run sweep holds a connection's run lock for an instant; a
# run that starts meanwhile waits this long before it reports the connection busy.
RUN_LOCK_WAIT_SECONDS = 2.0
RECONNECT_MESSAGE = (
    "QuickBooks no longer accepts this connection's sign-in. "
    "Choose Reconnect and authorize again; nothing was lost."
)

Action = Callable[[Engine], None]


class Runner:
    def __init__(
        self,
        data_dir: Path,
        *,
        gateways: Gateways,
        settings: ConnectionSettings,
        records: RunRecords,
        review_count: Callable[[int], int],
        emit: Callable[[Event], None],
    ) -> None:
        self.data_dir = data_dir
        self.gateways = gateways
        self.settings = settings
        self.records = records
        self.review_count = review_count  # what Review lists now, for the summary line
        self.emit = emit
        self._running: set[int] = set()
        self._lock = threading.Lock()

    def run(
        self,
        connection_id: int,
        categories: list[Category] | None = None,
        *,
        dry_run: bool = False,
        trigger: str = "manual",
        cancel: threading.Event | None = None,
        action: Action | None = None,
        engine_class: Callable[..., Engine] = Engine,
    ) -> RunResult:
        """The enabled categories (or `categories`), or `action` alone on an engine (one
        document, a review item, a reconcile difference), on an `engine_class` (an import of
        older records brings its own). Raises ConnectionBusy."""
        with self._lock:
            if connection_id in self._running:
                raise ConnectionBusy("A sync of this connection is already running.")
            self._running.add(connection_id)
        try:
            with self._run_lock(connection_id, trigger):
                if action is not None:
                    # An action names its own categories (none for one document or review
                    # item, one for an import of older records) and may be a preview.
                    return self._execute(
                        connection_id,
                        categories or [],
                        dry_run,
                        trigger,
                        cancel,
                        action,
                        engine_class,
                    )
                return self._execute(
                    connection_id, categories, dry_run, trigger, cancel, None, engine_class
                )
        finally:
            with self._lock:
                self._running.discard(connection_id)

    def one(self, connection_id: int, *, trigger: str, action: Action) -> RunResult:
        return self.run(connection_id, trigger=trigger, action=action)

    def is_running(self, connection_id: int) -> bool:
        return connection_id in self._running

    def due(self, now: dt.datetime) -> list[tuple[int, list[Category] | None]]:
        out: list[tuple[int, list[Category] | None]] = []
        for conn in m.Connection.select().where(m.Connection.status == ConnectionStatus.ACTIVE):
            if conn.id in self._running:
                continue
            s = m.SyncSettings.get_or_none(m.SyncSettings.connection == conn)
            if s is None or s.saved_at is None:
                continue
            last = self.records.last_run(conn.id, scheduled_only=True)
            if schedule.is_due(s.mode, last.started_at if last else None, now):
                out.append((conn.id, None))
            elif schedule.is_due(s.background_mode, s.last_background_run_at, now):
                out.append((conn.id, [Category.BACKGROUND]))
        return out

    # One run per connection across processes and machines sharing the data folder: an OS
    # lock in the data folder, held for the whole run (sync.runlock).
    @contextlib.contextmanager
    def _run_lock(self, connection_id: int, trigger: str):
        lock = runlock.InterProcessLock(runlock.run_lock_path(self.data_dir, connection_id))
        try:
            lock.acquire(RUN_LOCK_WAIT_SECONDS, what=f"{trigger} sync")
        except runlock.LockTimeout as exc:
            who = exc.describe()
            raise ConnectionBusy(
                f"A sync of connection {connection_id} is already running"
                + (f" ({who})" if who else "")
                + ". This one was not started; try again when it has finished."
            ) from None
        except OSError as exc:
            raise explain(exc, self.records.db_path) from None
        try:
            self.records.mark_interrupted(connection_id, locked=True)
            yield
        finally:
            lock.release()

    def _execute(
        self,
        connection_id: int,
        categories: list[Category] | None,
        dry_run: bool,
        trigger: str,
        cancel: threading.Event | None,
        body: Action | None,
        engine_class: Callable[..., Engine],
    ) -> RunResult:
        conn = connection_row(connection_id)
        started = time.monotonic()
        if conn.status == ConnectionStatus.CURRENCY_BLOCKED:
            return RunResult(None, conn.id, RunStatus.FAILED, message=conn.status_message)
        if ConnectionStatus(conn.status).needs_reconnect:
            return RunResult(
                None,
                conn.id,
                RunStatus.RECONNECT_NEEDED,
                message=conn.status_message or "Reconnect to QuickBooks first.",
            )
        rows = self.settings.category_rows(conn)
        if categories is None:
            categories = [c for c, r in rows.items() if r.enabled]
            if Category.BACKGROUND not in categories:
                categories.append(Category.BACKGROUND)
            if Category.ATTACHMENTS not in categories and rows[Category.ATTACHMENTS].enabled:
                categories.append(Category.ATTACHMENTS)
        settings = m.SyncSettings.get(m.SyncSettings.connection == conn)
        run_row = self.records.start(conn, categories, trigger, dry_run)
        engine = None
        wiring = None
        before = 0
        status, message = RunStatus.OK, ""
        try:
            wiring = self.gateways.get(conn)
            before = wiring.request_count
            engine = engine_class(
                connection=conn,
                scoro=wiring.scoro,
                qbo=wiring.qbo,
                settings=settings,
                category_settings=rows,
                emit=self.emit,
                cancel=cancel,
                dry_run=dry_run,
                run=run_row,
            )
            if body is not None:
                body(engine)
            else:
                engine.run_categories(categories)
            if Category.BACKGROUND in categories and not dry_run:
                settings.last_background_run_at = m.utcnow()
                settings.save()
            held = engine.counts.held or engine.counts.totals_differ
            status = RunStatus.REVIEW if held else RunStatus.OK
            if engine.counts.failed:
                status = RunStatus.FAILED
                message = (
                    f"{engine.counts.failed} record(s) could not be "
                    "sent and will be retried next time."
                )
        except Cancelled:
            status, message = RunStatus.CANCELLED, "Cancelled. Nothing was left half-written."
        except ReconnectNeeded as exc:
            status, message = RunStatus.RECONNECT_NEEDED, str(exc)
            self._needs_reconnect(conn)
        except (RemoteError, SyncError) as exc:
            status, message = RunStatus.FAILED, logs.redact(str(exc))
        except STORE_ERRORS as exc:
            log.exception("the database failed during the sync of connection %s", conn.id)
            status, message = RunStatus.FAILED, str(explain(exc, self.records.db_path))
        except (OSError, ValueError, TypeError, KeyError, AttributeError, RuntimeError) as exc:
            # An unexpected fault ends this connection's run with a message, never the app;
            # what was synced so far is kept and the rest is retried next time.
            log.exception("sync of connection %s stopped unexpectedly", conn.id)
            status = RunStatus.FAILED
            message = logs.redact(
                f"The sync stopped unexpectedly ({type(exc).__name__}: {exc}). What was synced "
                "so far is kept; the rest will be retried. The log file has the details."
            )
        counts = engine.counts if engine else None
        # From the wiring this run used, even when a reconnect dropped it from the cache.
        requests = wiring.request_count - before if wiring is not None else 0
        result = RunResult(
            run_id=run_row.id,
            connection_id=conn.id,
            status=status,
            created=counts.created if counts else 0,
            updated=counts.updated if counts else 0,
            unchanged=counts.unchanged if counts else 0,
            linked=counts.linked if counts else 0,
            held=counts.held if counts else 0,
            failed=counts.failed if counts else 0,
            totals_differ=counts.totals_differ if counts else 0,
            requests=requests,
            seconds=round(time.monotonic() - started, 3),
            message=message
            or summary(counts, dry_run, None if dry_run else self.review_count(conn.id)),
            plan=tuple(engine.plan) if engine else (),
        )
        return self.records.finish(run_row, conn, result, counts)

    def _needs_reconnect(self, conn: m.Connection) -> None:
        conn.status = ConnectionStatus.RECONNECT_NEEDED
        conn.status_message = RECONNECT_MESSAGE
        conn.save()
        self.gateways.forget(conn.id)
        self.emit(
            Event(EventType.CONNECTION_STATUS, conn.id, message=conn.status_message, level="error")
        )
