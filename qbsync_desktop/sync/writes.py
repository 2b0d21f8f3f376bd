"""Writing decided records and booking what came back (docs/design.md).

Each write is staged in the outbox, sent a QuickBooks /batch request at a time (pipelined on
a writer thread during a sync), and booked: the link is saved in the transaction that clears
the outbox row. Writes left unconfirmed by a crash or a lost answer are replayed first on the
next run, looking before creating.
"""

from __future__ import annotations

import json
import logging
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Literal

from ..domain import Kind, Record, Side
from ..domain.errors import NotRepresentable, RecordRejected, RemoteError, StaleObject
from ..domain.ports import WriteOp
from ..store import models as m
from . import review, translate
from .engine_base import EngineCore, record_label
from .plan import Action
from .types import EventType

log = logging.getLogger(__name__)

# Records decided together: one find/fetch query per batch at the target, and writes sent
# through /batch 30 at a time (skipped and held records leave gaps, so a bigger decision
# batch keeps each /batch request full).
BATCH = 300
# Writes go out (and are booked) a QuickBooks /batch request at a time.
WRITE_CHUNK = 30


@dataclass
class InFlight:
    """A write sent on the writer thread; the cursor it lets move once it is booked."""

    kind: Kind
    source: Side
    items: list[Pending]
    future: Future
    cursor: tuple[Kind, Side, str] | None = None


@dataclass
class Pending:
    """A record on its way to the target within one batch."""

    kind: Kind
    source: Record
    desired: Record
    current: Record | None
    action: Action
    requestid: str
    warnings: list[tuple[str, str]] = field(default_factory=list)


_KEY_FIELDS = ("number", "name")


def _natural_keys(rec: Record) -> dict:
    """What identifies the record on the other side as it is sent, kept with the outbox row:
    a replay after a crash also looks for it under the number or name it had then."""
    return {f: getattr(rec, f) for f in _KEY_FIELDS if getattr(rec, f, "")}


class Writes(EngineCore):
    def replay_outbox(self) -> None:
        """Writes decided before a crash or a lost response: find before create, so a write
        that did reach the target is linked instead of made twice. Rows of one kind are
        replayed together (one fetch, batched writes), and each is also looked for under the
        number or name it was sent with, in case it was renumbered since."""
        groups: dict[tuple[str, str], list] = {}
        for row in self.links.pending():
            groups.setdefault((row.kind, row.target_side), []).append(row)
        for (kind_value, target_value), rows in groups.items():
            kind, target = Kind(kind_value), Side(target_value)
            source = target.other
            recs = self.gw[source].fetch(kind, [row.key for row in rows])
            live, hints = [], {}
            for row in rows:
                rec = recs.get(row.key)
                if rec is None:
                    self.links.clear_outbox(kind, row.key)
                    continue
                live.append(rec)
                hint = self._sent_as(kind, source, rec, row.payload)
                if hint is not None:
                    hints[rec.id] = hint
            if not live:
                continue
            self.note(f"Resuming {len(live)} unconfirmed write(s) of {kind.label.lower()}s")
            for start in range(0, len(live), BATCH):
                self.process(kind, source, live[start : start + BATCH], replay=True, hints=hints)

    def _sent_as(self, kind: Kind, source: Side, rec: Record, payload: str) -> Record | None:
        """The target object made from this record under the key it was sent with, when the
        record has been renumbered or renamed since."""
        try:
            sent = json.loads(payload or "{}")
        except ValueError:
            return None
        changed = {
            f: sent[f]
            for f in _KEY_FIELDS
            if isinstance(sent.get(f), str) and sent[f] and sent[f] != getattr(rec, f, sent[f])
        }
        if not changed or self.links.other_id(kind, source, rec.id) is not None:
            return None
        try:
            probe = translate.translate(
                kind, rec, self.context(source), self.resolver(source), None
            ).replace(**changed)
            return self.gw[source.other].find(kind, probe)
        except (ValueError, TypeError, KeyError, RemoteError) as exc:
            log.info("looking up %s %s as it was sent failed: %s", kind.value, rec.id, exc)
            return None

    # ------------------------------------------------------------------ pipelined writes
    def defer_cursor(self, kind: Kind, source: Side, watermark: str) -> None:
        """The cursor moves past a batch once every write before it is confirmed and booked
        (they may still be in flight while the next batch is decided)."""
        if self.dry_run:
            return
        if self._inflight:
            self._inflight[-1].cursor = (kind, source, watermark)
        elif kind not in self._failed_kinds:
            self.links.move_cursor(kind, source, watermark)

    def _book(self, entry: InFlight, *, move_cursor: bool) -> None:
        self.finish_write(entry.kind, entry.source, entry.items, entry.future.result())
        if move_cursor and entry.cursor is not None:
            kind, source, watermark = entry.cursor
            if kind not in self._failed_kinds:
                self.links.move_cursor(kind, source, watermark)

    def flush_writes(self, *, move_cursor: bool = True) -> None:
        """Book every write in flight, oldest first. After a failure the later ones are still
        booked (what reached the target gets its link) but no cursor moves. Stopping
        (`move_cursor=False`), writes a target holds unsent are dropped, not waited for: their
        outbox rows replay next run."""
        if not move_cursor:
            for gw in self.gw.values():
                drop = getattr(gw, "drop_unsent", None)
                if drop is not None:
                    drop()
        first: BaseException | None = None
        while self._inflight:
            entry = self._inflight.popleft()
            try:
                self._book(entry, move_cursor=move_cursor and first is None)
            except BaseException as exc:  # noqa: BLE001 - re-raised below, after the rest
                first = first or exc
        if first is not None:
            raise first

    def shutdown(self) -> None:
        while self._writer:
            self._writer.popitem()[1].shutdown(wait=True)

    # ------------------------------------------------------------------ writing
    def write(
        self, kind: Kind, source: Side, items: list[Pending], *, pipelined: bool = False
    ) -> None:
        """Send decided writes, one QuickBooks batch's worth at a time, each booked as soon as
        it returns: a crash loses at most the batch on the wire. Pipelined, the request goes to
        a writer thread at once, queued behind the one still sending, and the older write's
        outcomes (links, counts) are then booked on this thread while the newer one is on the
        wire: the target is never kept waiting on our bookkeeping, and the bookkeeping stays
        single-threaded. Chunks are booked in the order they were decided, whichever answer
        comes first."""
        target = source.other
        tgw = self.gw[target]
        ops = self.stage(kind, target, items)
        chunks = [
            (items[i : i + WRITE_CHUNK], ops[i : i + WRITE_CHUNK])
            for i in range(0, len(ops), WRITE_CHUNK)
        ]
        if not pipelined:
            for chunk_items, chunk_ops in chunks:
                self.finish_write(kind, source, chunk_items, tgw.write_many(chunk_ops))
            return
        # A target that can take several chunks at once (QuickBooks: batches beside single
        # writes) gets as many writer threads, and that many chunks stay in flight.
        lanes = max(1, int(getattr(tgw, "write_lanes", 1)))
        writer = self._writer.get(target)
        if writer is None:
            writer = ThreadPoolExecutor(max_workers=lanes, thread_name_prefix="qbsync-write")
            self._writer[target] = writer
        for chunk_items, chunk_ops in chunks:
            self._inflight.append(
                InFlight(kind, source, chunk_items, writer.submit(tgw.write_many, chunk_ops))
            )
            while len(self._inflight) > lanes:
                self._book(self._inflight.popleft(), move_cursor=True)

    def stage(self, kind: Kind, target: Side, items: list[Pending]) -> list[WriteOp]:
        with m.database_proxy.atomic():  # one commit for the batch's outbox rows
            return [self._stage_one(kind, target, item) for item in items]

    def _stage_one(self, kind: Kind, target: Side, item: Pending) -> WriteOp:
        op: Literal["create", "update"] = "create" if item.current is None else "update"
        self.links.stage(
            kind,
            op,
            target,
            item.source.id,
            item.requestid,
            {"label": record_label(kind, item.source), **_natural_keys(item.desired)},
        )
        return WriteOp(
            key=item.source.id,
            kind=kind,
            op=op,
            record=item.desired,
            requestid=item.requestid,
            current=item.current,
        )

    def finish_write(self, kind: Kind, source: Side, items: list[Pending], outcomes) -> None:
        target = source.other
        by_key = {item.source.id: item for item in items}
        retry: list[Pending] = []
        with_attachments: list[str] = []
        written: list[tuple[Pending, Record]] = []
        # One transaction for the batch's links, log lines and review updates: a crash
        # inside it leaves the outbox rows, which the next run replays (find before create).
        with m.database_proxy.atomic():
            for outcome in outcomes:
                item = by_key[outcome.key]
                if outcome.error is None and outcome.record is not None and not outcome.sent:
                    # Nothing we own differed: the link's base moves, nothing was written.
                    self.save_link(kind, source, item.source, outcome.record)
                    self.counts.unchanged += 1
                elif outcome.error is None and outcome.record is not None:
                    self._book_success(kind, source, item, outcome.record)
                    written.append((item, outcome.record))
                    if (
                        target is Side.QBO
                        and kind in (Kind.INVOICE, Kind.CREDIT_NOTE, Kind.BILL)
                        and item.current is None
                        and self.attachments_automatic()
                    ):
                        with_attachments.append(item.source.id)
                elif isinstance(outcome.error, StaleObject) and item.current is not None:
                    retry.append(item)
                else:
                    self.fail_write(kind, source, item, outcome.error)
        for source_id in with_attachments:
            self.attachments_of(kind, source_id)
        if target is Side.QBO and kind in (Kind.INVOICE, Kind.CREDIT_NOTE, Kind.BILL):
            self.align_line_accounts(kind, written)
        if retry:
            # 5010: someone edited it meanwhile. Re-read and decide again: never overwrite.
            self.process(kind, source, [i.source for i in retry])

    def _book_success(self, kind: Kind, source: Side, item: Pending, written: Record) -> None:
        self.save_link(kind, source, item.source, written)
        review.close_open(
            self.conn,
            kind,
            item.source.id,
            (
                "validation_error",
                "write_failed",
                "currency_mismatch",
                "outdated_tax_rate",
                "missing_dependency",
                "target_missing",
                "conflict",
            ),
        )
        self._count_action(item.action)
        verb = "created" if item.current is None else "updated"
        self.note(f"{record_label(kind, item.source)} → {source.other.label} {verb}")
        self.emit(EventType.RECORD_DONE, record_label(kind, item.source))
        self.emit_warnings(kind, source, item.source, item.warnings)
        self.check_totals(kind, source, item.source, written)

    def save_link(self, kind: Kind, source: Side, src: Record, tgt: Record) -> None:
        scoro_rec, qbo_rec = (src, tgt) if source is Side.SCORO else (tgt, src)
        snapshot = json.dumps(
            {
                "scoro": json.loads(scoro_rec.snapshot()),
                "quickbooks": json.loads(qbo_rec.snapshot()),
            },
            sort_keys=True,
            ensure_ascii=False,
        )
        self.links.save(
            kind,
            scoro_id=scoro_rec.id,
            qbo_id=qbo_rec.id,
            scoro_fingerprint=scoro_rec.fingerprint(),
            qbo_fingerprint=qbo_rec.fingerprint(),
            snapshot=snapshot,
            sync_token=qbo_rec.version,
            clear_outbox_key=src.id,
        )

    def fail_write(
        self, kind: Kind, source: Side, item: Pending, error: RemoteError | None
    ) -> None:
        target = source.other
        label = record_label(kind, item.source)
        if not (error is not None and error.retryable):
            # A retryable failure may have written after all (a 200 without the object, a
            # batch item not answered): the outbox row stays so the replay looks first.
            self.links.clear_outbox(kind, item.source.id)
        if isinstance(error, RecordRejected) and item.current is None:
            self.links.bump_generation(kind, item.source.id)  # nothing was made
        if isinstance(error, NotRepresentable):
            self.hold(kind, source, item.source, "unsupported_content", str(error.message), {})
            return
        if isinstance(error, RecordRejected):
            msg = (
                f"{target.label} refused {label}: {error}. Correct it in {source.label} "
                "(or in " + target.label + ") and sync again."
            )
            self.hold(
                kind,
                source,
                item.source,
                "write_failed",
                msg,
                {"code": error.code, "detail": error.detail},
            )
            return
        self.counts.failed += 1
        self._failed_kinds.add(kind)
        msg = f"{label} could not be sent to {target.label}: {error}. It will be retried."
        self.note(msg, "error")
        self.emit(EventType.RECORD_FAILED, msg, "error")
