"""Importing a category's older documents, on purpose and after a preview (docs/rules.md).

A category's start date keeps every sync to what was made or changed since the connection
was made. An import lifts that floor for one run of one category: the engine's own reading,
matching and writing, from an earlier date the bookkeeper gives. First a preview (a dry run)
lists what would be created, linked to a document already in both, or held and why; the
import then writes only what that preview listed. The category's start date, cursors and
"last sync" stay as they were: later syncs keep to the start date, and the imported records
are linked, so they are never made twice.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from ..domain import IMPORTABLE_CATEGORIES, Category, Kind, Record, Side
from ..domain.errors import SyncError
from .engine import BATCH, Engine, Pending, record_label
from .plan import Action
from .types import EventType, PlannedAction, RunResult

PREVIEW_TRIGGER = "import_preview"
IMPORT_TRIGGER = "import"


@dataclass(frozen=True)
class HistoryImport:
    """A preview (dry_run) or an import of one category's older records."""

    category: Category
    start: dt.date
    dry_run: bool
    result: RunResult
    # (kind, source id) of every record the preview looked at: what its import may write.
    records: frozenset[tuple[str, str]] = frozenset()

    @property
    def status(self) -> str:
        return self.result.status

    def items(self, action: str) -> list[PlannedAction]:
        return [p for p in self.result.plan if p.action == action]

    @property
    def created(self) -> list[PlannedAction]:
        return self.items("create")

    @property
    def linked(self) -> list[PlannedAction]:
        return self.items("link")

    @property
    def held(self) -> list[PlannedAction]:
        return self.items("hold")

    @property
    def to_write(self) -> int:
        return len(self.created) + len(self.linked)

    def summary(self) -> str:
        if self.status in ("failed", "reconnect_needed", "cancelled"):
            return self.result.message
        what = self.category.label.lower()
        counts = (len(self.created), len(self.linked), len(self.held))
        if self.dry_run:
            if not any(counts):
                return f"No older {what} from {self.start:%Y-%m-%d} to import."
            parts = [
                text
                for n, text in zip(
                    counts,
                    (
                        f"create {counts[0]}",
                        f"match {counts[1]} already in both",
                        f"hold {counts[2]} for review",
                    ),
                    strict=True,
                )
                if n
            ]
            said = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
            return (
                f"Importing {what} from {self.start:%Y-%m-%d} would {said}. Nothing has "
                "been changed yet."
            )
        text = (
            f"Imported {what} from {self.start:%Y-%m-%d}: {counts[0]} created, {counts[1]} "
            f"matched, {counts[2]} held for review."
        )
        if self.result.failed:
            text += f" {self.result.failed} could not be sent; import them again later."
        return text

    def as_dict(self) -> dict:
        return {
            "connection_id": self.result.connection_id,
            "category": self.category.value,
            "from": self.start.isoformat(),
            "dry_run": self.dry_run,
            "status": self.status,
            "message": self.summary(),
            "requests": self.result.requests,
            **{
                name: [{"kind": p.kind, "label": p.label, "detail": p.detail} for p in items]
                for name, items in (
                    ("create", self.created),
                    ("link", self.linked),
                    ("hold", self.held),
                )
            },
        }

    def lines(self) -> list[str]:
        """The preview or the outcome as a bookkeeper reads it, one record a line."""
        out = [self.summary()]
        for title, items in (
            ("To create" if self.dry_run else "Created", self.created),
            ("To match (already in both)" if self.dry_run else "Matched", self.linked),
            ("Held for review", self.held),
        ):
            if items:
                out.append(f"{title}:")
                out += [
                    f"  {p.label}" + (f" — {p.detail}" if p.detail and p.action != "create" else "")
                    for p in items
                ]
        return out


class HistoryEngine(Engine):
    """The engine reading one category in full from `start`, whatever its start date, and
    leaving the category's cursors, start date and last result to the normal syncs."""

    def __init__(
        self, *, start: dt.date, only: Iterable[tuple[str, str]] | None = None, **kw
    ) -> None:
        super().__init__(**kw)
        self.start = start
        self.only = frozenset(only) if only is not None else None
        self.seen: set[tuple[str, str]] = set()

    def sync_kind(
        self, kind: Kind, source: Side, *, bookmark: str | None, start: dt.date | None
    ) -> None:
        """Records changed from the import's date up to the category's own `start`: from
        the start date on they are the normal syncs' business. Read from the beginning (no
        cursor), so what the normal syncs passed over is seen again."""
        kwargs = {"bookmark": bookmark} if bookmark else {}
        for batch in self.gw[source].changes(kind, None, **kwargs):
            self.check_cancel()
            for err in batch.errors:
                self.hold_malformed(kind, source, err)
            records = [r for r in batch.records if self._wanted(kind, source, r, start)]
            self.seen.update((kind.value, r.id) for r in records)
            for i in range(0, len(records), BATCH):
                self.check_cancel()
                self.process(kind, source, records[i : i + BATCH])

    def _wanted(self, kind: Kind, source: Side, rec: Record, until: dt.date | None) -> bool:
        if rec.deleted or not self.in_scope(rec, self.start):
            return False  # a deletion is never imported
        if until is not None and self.in_scope(rec, until):
            return False
        if self.only is not None and (kind.value, rec.id) not in self.only:
            return False
        # Already linked: nothing to import; a later change is the normal syncs' to send.
        return self.links.other_id(kind, source, rec.id) is None

    def _finish_category(self, category: Category, result: str) -> None:
        self.emit(EventType.CATEGORY_FINISHED, f"{category.label}: {result}")

    def _book_success(self, kind: Kind, source: Side, item: Pending, written: Record) -> None:
        super()._book_success(kind, source, item, written)
        # A real run lists what it wrote like its preview listed what it would write.
        verb = "link" if item.action is Action.LINK else "create"
        if item.current is not None and item.action is not Action.LINK:
            verb = "update"
        self._plan(self._category, kind, verb, record_label(kind, item.source))


def import_history(
    svc,
    connection_id: int,
    category: Category,
    start: dt.date,
    *,
    dry_run: bool,
    only: Iterable[tuple[str, str]] | None = None,
    cancel: threading.Event | None = None,
) -> HistoryImport:
    """One preview or import through the service's run machinery (its locks, its history
    row, its error handling), with a HistoryEngine doing the work."""
    if category not in IMPORTABLE_CATEGORIES:
        names = ", ".join(c.value for c in IMPORTABLE_CATEGORIES)
        raise SyncError(f"Older records can be imported for these categories only: {names}.")
    config = next(c for c in svc.categories(connection_id) if c.category is category)
    if config.unavailable_reason:
        raise SyncError(config.unavailable_reason)
    if start > dt.date.today():
        raise SyncError("The From date is in the future: choose a day on or before today.")
    seen: set[tuple[str, str]] = set()

    def body(engine: Engine) -> None:
        assert isinstance(engine, HistoryEngine)  # the runner made it from engine_class
        try:
            engine.run_categories([category])
        finally:
            seen.update(engine.seen)

    trigger = PREVIEW_TRIGGER if dry_run else IMPORT_TRIGGER
    result = svc.runner.run(
        connection_id,
        [category],
        dry_run=dry_run,
        trigger=trigger,
        cancel=cancel,
        action=body,
        engine_class=partial(HistoryEngine, start=start, only=only),
    )
    return HistoryImport(category, start, dry_run, result, frozenset(seen))
