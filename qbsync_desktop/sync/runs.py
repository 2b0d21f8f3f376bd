"""The record of each run: its History row from start to finish, its summary line, the log.

A run's row is written "running" when it starts and completed when it ends; a process that dies
in between leaves it "running" until `mark_interrupted` finds no live process holding its
connection's run lock.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from pathlib import Path

from ..domain import Category
from ..store import models as m
from ..store.errors import STORE_ERRORS, explain
from . import runlock
from .types import Event, EventType, LogInfo, RunInfo, RunResult, RunStatus

log = logging.getLogger(__name__)

INTERRUPTED_MESSAGE = (
    "Interrupted: qbsync stopped before this run finished (closed, killed or the computer "
    "shut down). The next run carries on safely."
)
# Runs a bookkeeper or a schedule started; the next automatic run is timed from the last one.
SCHEDULED_TRIGGERS = ("manual", "automatic", "cli")


def summary(counts, dry_run: bool, open_items: int | None = None) -> str:
    """`open_items`: what Review lists now, so the summary and the badge agree (items of
    earlier runs still open count too; this run's held ones are among them)."""
    if counts is None:
        return ""
    verb = "Preview: would create" if dry_run else "Sync finished:"
    to_review = counts.held if open_items is None else open_items
    parts = [
        f"{counts.created} created",
        f"{counts.updated} updated",
        f"{counts.linked} matched",
        f"{to_review} to review",
    ]
    if counts.failed:
        parts.append(f"{counts.failed} failed")
    if counts.totals_differ:
        parts.append(f"{counts.totals_differ} with totals that differ between the two")
    text = ", ".join(parts)
    return f"{verb} {text}" if not dry_run else f"Preview: {text} (nothing was changed)"


def run_info(row: m.Run) -> RunInfo:
    return RunInfo(
        row.id,
        row.connection_id,
        row.started_at,
        row.finished_at,
        row.trigger,
        RunStatus(row.status),
        row.created,
        row.updated,
        row.held,
        row.failed,
        row.message,
        bool(row.dry_run),
    )


class RunRecords:
    """Writes and reads `Run` rows and the log lines that go with them."""

    def __init__(
        self,
        data_dir: Path,
        *,
        emit: Callable[[Event], None],
        clock: Callable[[], object] = m.utcnow,
    ) -> None:
        self.data_dir = data_dir
        self.db_path = data_dir / "qbsync.sqlite3"
        self.emit = emit
        self.clock = clock

    # ------------------------------------------------------------------ writing
    def start(
        self, conn: m.Connection, categories: list[Category], trigger: str, dry_run: bool
    ) -> m.Run:
        row = m.Run.create(
            connection=conn,
            started_at=self.clock(),
            trigger=trigger,
            dry_run=dry_run,
            categories=",".join(c.value for c in categories),
            status=RunStatus.RUNNING,
        )
        message = "Sync started" if not dry_run else "Preview started"
        self.emit(Event(EventType.RUN_STARTED, conn.id, message=message))
        return row

    def finish(self, row: m.Run, conn: m.Connection, result: RunResult, counts) -> RunResult:
        """Complete the row and log the summary. When the store cannot take it (disk full,
        database locked) the run is reported failed with the reason; its counts stay true."""
        status = result.status
        try:
            row.finished_at = self.clock()
            row.status = status
            for f in ("created", "updated", "held", "failed", "unchanged", "requests"):
                setattr(row, f, getattr(result, f))
            row.message = result.message
            row.save()
            m.LogEntry.create(
                connection=conn,
                run=row,
                level="error" if status.is_error else "info",
                category="",
                message=result.message,
            )
        except STORE_ERRORS as exc:
            log.warning("could not record the end of run %s: %s", row.id, exc)
            if status in (RunStatus.OK, RunStatus.REVIEW):
                status = RunStatus.FAILED
            why = explain(exc, self.db_path, action="record the run in")
            result = dataclasses.replace(result, status=status, message=f"{result.message} {why}")
        self.emit(
            Event(
                EventType.RUN_FINISHED,
                conn.id,
                message=result.message,
                level="error" if status.is_error else "info",
                counts={"status": status, **(counts.as_dict() if counts else {})},
            )
        )
        return result

    def mark_interrupted(self, connection_id: int | None = None, *, locked: bool = False) -> int:
        """Runs left "running" by a process that died (killed, power cut) become
        "interrupted" in History, once no live process holds their connection's run lock.
        `locked`: the caller holds that lock already. Returns how many runs were marked."""
        try:
            q = m.Run.select(m.Run.connection).where(m.Run.status == RunStatus.RUNNING)
            if connection_id is not None:
                q = q.where(m.Run.connection == connection_id)
            stale = sorted({r.connection_id for r in q})
        except STORE_ERRORS:
            return 0
        marked = 0
        for cid in stale:
            lock = None
            if not locked:
                lock = runlock.InterProcessLock(runlock.run_lock_path(self.data_dir, cid))
                try:
                    lock.acquire(0.0)
                except (runlock.LockTimeout, OSError):
                    continue  # a live run (or no way to tell): leave it as it is
            try:
                marked += (
                    m.Run.update(
                        status=RunStatus.INTERRUPTED,
                        finished_at=self.clock(),
                        message=INTERRUPTED_MESSAGE,
                    )
                    .where((m.Run.connection == cid) & (m.Run.status == RunStatus.RUNNING))
                    .execute()
                )
            except STORE_ERRORS as exc:
                log.warning("could not mark interrupted runs of connection %s: %s", cid, exc)
            finally:
                if lock is not None:
                    lock.release()
        return marked

    # ------------------------------------------------------------------ reading
    def last_run(self, connection_id: int, *, scheduled_only: bool = False) -> m.Run | None:
        """The newest real (not preview) run; `scheduled_only`: of those that time the
        schedule (not single documents, reviews or the pull on connecting)."""
        where = (m.Run.connection == connection_id) & (m.Run.dry_run == False)  # noqa: E712
        if scheduled_only:
            where &= m.Run.trigger.in_(SCHEDULED_TRIGGERS)
        return m.Run.select().where(where).order_by(m.Run.id.desc()).first()

    def history(self, connection_id: int, limit: int = 50) -> list[RunInfo]:
        q = (
            m.Run.select()
            .where(m.Run.connection == connection_id)
            .order_by(m.Run.id.desc())
            .limit(limit)
        )
        return [run_info(r) for r in q]

    def log(
        self,
        connection_id: int | None = None,
        *,
        limit: int = 1000,
        level: str | None = None,
        text: str | None = None,
    ) -> list[LogInfo]:
        q = m.LogEntry.select()
        if connection_id is not None:
            q = q.where(m.LogEntry.connection == connection_id)
        if level:
            q = q.where(m.LogEntry.level == level)
        if text:
            q = q.where(m.LogEntry.message.contains(text))
        rows = q.order_by(m.LogEntry.id.desc()).limit(limit)
        return [
            LogInfo(r.at, r.level, r.category, r.message, r.connection_id)
            for r in reversed(list(rows))
        ]
