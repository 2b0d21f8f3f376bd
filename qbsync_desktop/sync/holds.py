"""Records held for review, warnings raised on written ones, and QuickBooks' master copies.

A held record is counted, logged, listed in the run's plan and raised as a review item; in a
preview nothing reaches the review list. Tax rates and accounts edited in Scoro are put back
to QuickBooks' version and reported.
"""

from __future__ import annotations

from ..domain import Kind, Record, Side
from ..domain.errors import MalformedRecord
from . import review
from .engine_base import EngineCore, record_label
from .types import EventType


class Holds(EngineCore):
    def hold(
        self, kind: Kind, source: Side, rec: Record, item_type: str, message: str, details: dict
    ) -> None:
        label = record_label(kind, rec)
        self.counts.held += 1
        self._plan(self._category, kind, "hold", label, message)
        self.note(f"{label} held for review: {message}", "warning")
        self._review(kind, source, rec, item_type, message, details)
        self.emit(EventType.RECORD_HELD, f"{label}: {message}", "warning")

    def emit_warnings(
        self, kind: Kind, source: Side, rec: Record, warnings: list[tuple[str, str]]
    ) -> None:
        for item_type, message in warnings:
            self.note(f"{record_label(kind, rec)}: {message}", "warning")
            self._review(kind, source, rec, item_type, message)

    def _review(
        self,
        kind: Kind,
        source: Side,
        rec: Record,
        item_type: str,
        message: str,
        details: dict | None = None,
    ) -> None:
        if self.dry_run:
            return
        review.raise_item(
            self.conn,
            kind=kind,
            object_id=rec.id,
            side=source,
            label=record_label(kind, rec),
            item_type=item_type,
            message=message,
            details=details,
            fingerprint=rec.fingerprint(),
        )

    def hold_malformed(self, kind: Kind, source: Side, err: MalformedRecord) -> None:
        self.counts.held += 1
        label = f"{kind.label} {err.record_id}".strip()
        msg = (
            f"{label} from {source.label} could not be read: {err}. It was skipped; "
            "correct it there and sync again."
        )
        self.note(msg, "warning")
        if not self.dry_run:
            review.raise_item(
                self.conn,
                kind=kind,
                object_id=err.record_id or "?",
                side=source,
                label=label,
                item_type="validation_error",
                message=msg,
            )
        self.emit(EventType.RECORD_HELD, msg, "warning")

    # ------------------------------------------------------------------ R56
    def guard_qbo_mastered(self) -> None:
        """Tax rates and accounts are mastered by QuickBooks: a Scoro-side edit is reported and
        the QuickBooks version put back; rule R56."""
        sgw = self.gw[Side.SCORO]
        for kind in (Kind.ACCOUNT, Kind.TAX_RATE):
            watermark = self.links.cursor(kind, Side.SCORO)
            for batch in sgw.changes(kind, watermark):
                for rec in batch.records:
                    link = self.links.by_side(kind, Side.SCORO, rec.id)
                    if link is None or rec.fingerprint() == link.scoro_fingerprint:
                        continue
                    msg = (
                        f"{record_label(kind, rec)} was edited in Scoro, but QuickBooks "
                        "keeps the master copy while the connection is active. QuickBooks' "
                        "version was put back; make the change in QuickBooks instead."
                    )
                    review.raise_item(
                        self.conn,
                        kind=kind,
                        object_id=rec.id,
                        side=Side.SCORO,
                        label=record_label(kind, rec),
                        item_type="edited_in_scoro",
                        message=msg,
                    )
                    self.note(msg, "warning")
                    qbo = self.gw[Side.QBO].fetch(kind, [link.qbo_id]).get(link.qbo_id)
                    if qbo is not None:
                        self.process(kind, Side.QBO, [qbo], force=True)
                self.links.move_cursor(kind, Side.SCORO, batch.watermark)
