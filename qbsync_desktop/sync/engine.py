"""One sync run of one connection (docs/design.md).

Categories in dependency order; for each changed source record: resolve the link or match,
make sure dependencies exist at the target, validate, decide (plan.py), then write through the
outbox and record the link in the same transaction that clears the outbox row.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import threading
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from ..domain import (
    CATEGORY_ORDER,
    Bill,
    Category,
    Direction,
    Invoice,
    Kind,
    Payment,
    Product,
    Record,
    Ref,
    Side,
    labels,
)
from ..domain.errors import (
    MalformedRecord,
    NotRepresentable,
    RecordRejected,
    RemoteError,
    StaleObject,
)
from ..domain.ports import SideGateway, WriteOp
from ..domain.snapshots import SnapshotError, restore
from ..store import models as m
from . import input_checks, review, rules, translate
from .identity import create_intent, make_requestid, update_intent
from .links import LinkBook
from .plan import Action, Base, decide
from .types import Event, EventType, PlannedAction

log = logging.getLogger(__name__)

# Records decided together: one find/fetch query per batch at the target, and writes sent
# through /batch 30 at a time (skipped and held records leave gaps, so a bigger decision
# batch keeps each /batch request full).
BATCH = 300
# Writes go out (and are booked) a QuickBooks /batch request at a time.
WRITE_CHUNK = 30
# Kinds QuickBooks masters: never created in QuickBooks by this app (R05, R56, R30, R37).
QBO_MASTERED = frozenset({Kind.ACCOUNT, Kind.TAX_RATE, Kind.TRACKING_CLASS, Kind.PROJECT})
DEFAULT_ITEM_NAME = "Services (from Scoro)"
REFERENCE_DATA = frozenset({Category.BACKGROUND, Category.CLASSES})
# A category's result as the bookkeeper reads it ("4 created, 3 matched"), from the counts.
RESULT_WORDS = {"linked": "matched", "totals_differ": "with totals that differ"}
# Kinds found at the target by number, whose contact must agree before they are linked.
SAME_CONTACT_KINDS = frozenset({Kind.INVOICE, Kind.CREDIT_NOTE, Kind.BILL})


class Cancelled(Exception):
    pass


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    linked: int = 0
    held: int = 0
    failed: int = 0
    # Documents written whose totals the other side computed differently (each is a review
    # item showing both figures).
    totals_differ: int = 0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


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


def record_label(kind: Kind, rec: Record | None, fallback: str = "") -> str:
    if isinstance(rec, Payment) and not getattr(rec, "number", ""):
        return f"{kind.label} {rec.amount} {rec.currency} ({rec.date})"
    return labels.label(kind, rec, fallback)


class Engine:
    def __init__(
        self,
        *,
        connection: m.Connection,
        scoro: SideGateway,
        qbo: SideGateway,
        settings: m.SyncSettings,
        category_settings: dict[Category, m.CategorySetting],
        emit: Callable[[Event], None],
        cancel: threading.Event | None = None,
        dry_run: bool = False,
        run: m.Run | None = None,
    ) -> None:
        self.conn = connection
        self.gw = {Side.SCORO: scoro, Side.QBO: qbo}
        self.settings = settings
        self.cats = category_settings
        self.emit_event = emit
        self.cancel = cancel or threading.Event()
        self.dry_run = dry_run
        self.run_row = run
        self.links = LinkBook(connection)
        self.counts = Counts()
        self.plan: list[PlannedAction] = []
        self._category = ""
        self._resolving: set[tuple[Kind, Side, str]] = set()
        self._planned_creates: set[tuple[Kind, str]] = set()
        # Documents found by number at the target but for another contact: held, never linked.
        self._other_contact: dict[tuple[Kind, str], str] = {}
        self._failed_kinds: set[Kind] = set()
        self._default_item: str | None = None
        self._writer: dict[Side, ThreadPoolExecutor] = {}  # per target side
        self._inflight: deque[InFlight] = deque()
        self._item_accounts: dict[tuple[str, str], str | None] = {}

    # ------------------------------------------------------------------ reporting
    def emit(self, type_: EventType, message: str = "", level: str = "info", **kw) -> None:
        self.emit_event(
            Event(
                type=type_,
                connection_id=self.conn.id,
                category=self._category,
                message=message,
                level=level,
                counts=self.counts.as_dict(),
                **kw,
            )
        )

    def note(self, message: str, level: str = "info") -> None:
        if not self.dry_run:
            m.LogEntry.create(
                connection=self.conn,
                run=self.run_row,
                level=level,
                category=self._category,
                message=message,
            )
        getattr(log, "warning" if level == "warning" else level, log.info)(message)
        # A preview's lines are shown apart from real runs': they say what would happen.
        self.emit(EventType.LOG, f"Preview: {message}" if self.dry_run else message, level)

    def _plan(self, category: str, kind: Kind, action: str, label: str, detail: str = ""):
        self.plan.append(PlannedAction(category, kind.value, action, label, detail))

    def check_cancel(self) -> None:
        if self.cancel.is_set():
            raise Cancelled()

    # ------------------------------------------------------------------ context
    def context(self, source: Side) -> translate.Context:
        return translate.Context(
            source=source,
            home_currency=self.conn.qbo_home_currency,
            entity_currency=self.conn.scoro_base_currency,
            multicurrency=bool(self.conn.qbo_multicurrency),
            default_income_account=self.settings.default_income_account,
            default_expense_account=self.settings.default_expense_account,
            bills_without_tax=bool(self.settings.bills_without_tax),
        )

    def direction_of(self, category: Category) -> Direction:
        fixed = category.fixed_direction
        if fixed is not None:
            return fixed
        row = self.cats.get(category)
        return Direction(row.direction) if row else Direction.SCORO_TO_QBO

    # ------------------------------------------------------------------ entry points
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

    def run_categories(self, categories: Sequence[Category]) -> None:
        wanted = [c for c in CATEGORY_ORDER if c in set(categories)]
        if not self.dry_run:
            self.replay_outbox()
        try:
            for category in wanted:
                self.check_cancel()
                self.run_category(category)
        finally:
            self.shutdown()

    def run_category(self, category: Category) -> None:
        self._category = category.value
        direction = self.direction_of(category)
        source = direction.source
        self.emit(EventType.CATEGORY_STARTED, f"{category.label}: {direction.label}")
        reason = rules.category_unavailable(category, self.conn)
        if reason:
            self.note(reason, "warning")
            self._finish_category(category, "unavailable")
            return
        if category is Category.ATTACHMENTS and self.settings.attachments_mode == "manual":
            self.note("Attachments are sent manually, one document at a time.")
            self._finish_category(category, "manual")
            return
        setting = self.cats.get(category)
        bookmark = setting.bookmark_id if setting is not None and source is Side.SCORO else None
        # Reference data is needed whatever its age; R40 dates apply to business records.
        start = setting.start_date if setting and category not in REFERENCE_DATA else None
        before = self.counts.as_dict()
        for kind in category.kinds:
            self.check_cancel()
            self.sync_kind(kind, source, bookmark=bookmark, start=start)
        if category is Category.BACKGROUND and not self.dry_run:
            self.guard_qbo_mastered()
        after = self.counts.as_dict()
        delta = {k: after[k] - before[k] for k in after}
        result = ", ".join(f"{v} {RESULT_WORDS.get(k, k)}" for k, v in delta.items() if v)
        result = result or "no changes"
        self._finish_category(category, result)

    def _finish_category(self, category: Category, result: str) -> None:
        row = self.cats.get(category)
        if row is not None and not self.dry_run:
            row.last_run_at = m.utcnow()
            row.last_result = result
            if row.initial_sync_done_at is None and result not in ("unavailable", "manual"):
                row.initial_sync_done_at = m.utcnow()
            row.save()
        self.emit(EventType.CATEGORY_FINISHED, f"{category.label}: {result}")

    # ------------------------------------------------------------------ reading changes
    def sync_kind(
        self, kind: Kind, source: Side, *, bookmark: str | None, start: dt.date | None
    ) -> None:
        gw = self.gw[source]
        watermark = self.links.cursor(kind, source)
        kwargs = {"bookmark": bookmark} if bookmark else {}
        try:
            for batch in gw.changes(kind, watermark, **kwargs):
                self.check_cancel()
                for err in batch.errors:
                    self.hold_malformed(kind, source, err)
                records = [r for r in batch.records if self.in_scope(r, start)]
                for i in range(0, len(records), BATCH):
                    self.check_cancel()
                    self.process(kind, source, records[i : i + BATCH], pipelined=True)
                self.defer_cursor(kind, source, batch.watermark)
            self.flush_writes()
        except BaseException:
            # Whatever stopped us (cancel, a lost connection), a write already sent is
            # confirmed and linked before we leave, so nothing is left half-written.
            try:
                self.flush_writes(move_cursor=False)
            except Exception:  # the first error is the one to report
                log.exception("finishing the last write of %s failed", kind.value)
            raise

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

    @staticmethod
    def in_scope(rec: Record, start: dt.date | None) -> bool:
        """R40: objects created or modified on or after the start date."""
        if start is None or rec.modified is None:
            return True
        modified = rec.modified
        if modified.tzinfo is not None:
            # QuickBooks stamps in the company's offset; the start date is a UTC date.
            modified = modified.astimezone(dt.UTC)
        return modified.date() >= start

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

    # ------------------------------------------------------------------ dependencies
    def resolver(self, source: Side) -> Callable[[Ref], Ref | None]:
        target = source.other
        # "Fix it here": outdated Scoro tax rates the bookkeeper mapped to current ones.
        tax_map = review.tax_rate_mappings(self.conn) if target is Side.QBO else {}

        def resolve(ref: Ref) -> Ref | None:
            if ref.side is target:
                return ref
            if ref.kind is Kind.TAX_RATE and ref.id in tax_map:
                return Ref(ref.kind, target, tax_map[ref.id])
            other = self.links.other_id(ref.kind, ref.side, ref.id)
            if other is not None:
                return Ref(ref.kind, target, other)
            if self.dry_run and (ref.kind, ref.id) in self._planned_creates:
                return Ref(ref.kind, target, f"(new {ref.id})")
            return None

        return resolve

    def ensure_dependencies(self, source: Side, records: Iterable[Record]) -> None:
        """R11/R25: contacts, products (and documents for receipts) that a record needs are
        synced first, even when their own category is off. One fetch per kind per batch."""
        target = source.other
        missing: dict[Kind, set[str]] = {}
        for rec in records:
            for ref in translate.refs_of(rec):
                if ref.side is not source or ref.id.startswith("(new"):
                    continue
                if ref.kind in QBO_MASTERED and target is Side.QBO:
                    continue
                if self.links.other_id(ref.kind, ref.side, ref.id) is not None:
                    continue
                key = (ref.kind, ref.side, ref.id)
                if key in self._resolving or (ref.kind, ref.id) in self._planned_creates:
                    continue
                missing.setdefault(ref.kind, set()).add(ref.id)
        for kind, ids in missing.items():
            for rid in ids:
                self._resolving.add((kind, source, rid))
            fetched = self.gw[source].fetch(kind, sorted(ids))
            deps = [fetched[i] for i in sorted(ids) if i in fetched]
            if deps:
                self.process(kind, source, deps, dependency=True)

    # ------------------------------------------------------------------ the core
    def process(
        self,
        kind: Kind,
        source: Side,
        records: Sequence[Record],
        *,
        dependency: bool = False,
        replay: bool = False,
        force: bool = False,
        pipelined: bool = False,
        hints: dict[str, Record] | None = None,
    ) -> None:
        target = source.other
        tgw = self.gw[target]
        if kind is Kind.ATTACHMENT:
            self.send_attachments(source, records)
            return
        live = [r for r in records if not r.deleted]
        if live:
            self.ensure_dependencies(source, live)

        linked_ids: dict[str, str] = {}
        for rec in records:
            other = self.links.other_id(kind, source, rec.id)
            if other is not None:
                linked_ids[rec.id] = other
        current_by_id = tgw.fetch(kind, sorted(set(linked_ids.values()))) if linked_ids else {}

        ctx = self.context(source)
        if target is Side.QBO and kind in (Kind.INVOICE, Kind.CREDIT_NOTE):
            if any(line.product is None for r in live for line in getattr(r, "lines", ())):
                ctx.default_item = self.default_item()
        resolve = self.resolver(source)
        unlinked = [r for r in live if r.id not in linked_ids]
        matches = self.find_matches(kind, source, unlinked, ctx, resolve)
        for rid, hit in (hints or {}).items():
            matches.setdefault(rid, hit)

        pending: list[Pending] = []
        for rec in records:
            self.check_cancel()
            try:
                item = self.decide_one(
                    kind,
                    source,
                    rec,
                    ctx,
                    resolve,
                    linked_ids,
                    current_by_id,
                    matches,
                    dependency=dependency,
                    replay=replay,
                    force=force,
                )
            except MalformedRecord as exc:
                self.hold_malformed(kind, source, exc)
                continue
            except (ValueError, TypeError, KeyError, AttributeError, ArithmeticError) as exc:
                # A record we cannot prepare must not stop the others; it is shown for review
                # and retried when it changes (or on "Try again").
                log.exception("preparing %s %s failed", kind.value, rec.id)
                self.hold_malformed(
                    kind,
                    source,
                    MalformedRecord(
                        f"it could not be prepared ({type(exc).__name__}: {exc})",
                        kind=kind.value,
                        record_id=rec.id,
                    ),
                )
                continue
            if item is not None:
                pending.append(item)
        if pending:
            self.write(kind, source, pending, pipelined=pipelined)

    def default_item(self) -> str | None:
        """The QuickBooks item for invoice lines that name no product: QuickBooks requires
        one on every sales line. Found by name, made once if missing."""
        if self._default_item is not None or self.dry_run:
            return self._default_item or None
        qgw = self.gw[Side.QBO]
        income = self.settings.default_income_account
        probe = Product(
            id="",
            name=DEFAULT_ITEM_NAME,
            description="Lines sent from Scoro without a product",
            income_account=Ref(Kind.ACCOUNT, Side.QBO, income) if income else None,
        )
        found = qgw.find(Kind.PRODUCT, probe)
        if found is None:
            requestid = make_requestid(self.conn.id, Kind.PRODUCT, "default-item", "v1")
            op = WriteOp(
                key="default-item",
                kind=Kind.PRODUCT,
                op="create",
                record=probe,
                requestid=requestid,
            )
            outcome = qgw.write_many([op])[0]
            if outcome.error is not None or outcome.record is None:
                self.note(
                    f"Could not make the QuickBooks item {DEFAULT_ITEM_NAME!r} for lines "
                    f"without a product: {outcome.error}",
                    "warning",
                )
                self._default_item = ""
                return None
            found = outcome.record
            self.note(
                f"Made the QuickBooks item {DEFAULT_ITEM_NAME!r} for invoice lines "
                "without a product."
            )
        self._default_item = found.id
        return found.id

    def find_matches(
        self, kind: Kind, source: Side, records: Sequence[Record], ctx: translate.Context, resolve
    ) -> dict[str, Record]:
        """Matching rules for records never synced: products and contacts by name, rules R13
        and R23; projects by name and client, rule R31; documents by number. Also the
        find-before-create guard after a crash."""
        if not records:
            return {}
        tgw = self.gw[source.other]
        found: dict[str, Record] = {}
        finder = getattr(tgw, "find_many", None)
        probes = []
        for rec in records:
            try:
                probe = translate.translate(kind, rec, ctx, resolve, None)
            except (ValueError, TypeError, KeyError) as exc:
                # Not matchable; decide_one reports the record itself.
                log.debug("no match probe for %s %s: %s", kind.value, rec.id, exc)
                continue
            probes.append((rec.id, probe))
        if finder is not None:
            result = finder(kind, [p for _, p in probes])
            for (rid, _), hit in zip(probes, result, strict=True):
                if hit is not None:
                    found[rid] = hit
        else:
            for rid, probe in probes:
                hit = tgw.find(kind, probe)
                if hit is not None:
                    found[rid] = hit
        if kind in SAME_CONTACT_KINDS:
            self._drop_other_contacts(kind, source, records, found, resolve)
        return found

    def _drop_other_contacts(self, kind, source, records, found, resolve) -> None:
        """A document found by its number is linked only when it is for the same contact:
        numbering may repeat (two series, a restart, older years), and linking would then move
        the other contact's document over to ours on the first update."""
        by_id = {r.id: r for r in records}
        for rid, hit in list(found.items()):
            rec = by_id.get(rid)
            theirs = getattr(hit, "contact", None)
            if rec is None or getattr(rec, "contact", None) is None or theirs is None:
                continue
            ours = resolve(rec.contact)
            if ours is None or ours.id.startswith("(new"):
                continue  # not on both sides yet: the usual dependency checks decide
            wanted = {ours.id}
            made = self._currency_contact(rec.replace(contact=ours), rec, source.other)
            if getattr(made, "contact", None) is not None:
                wanted.add(made.contact.id)
            if theirs.id not in wanted:
                del found[rid]
                self._other_contact[(kind, rid)] = (
                    f"{source.other.label} already has {record_label(kind, rec).lower()} "
                    "for another contact, so it was neither linked nor copied. Check the "
                    "number in both books; it is tried again when either one changes."
                )

    def decide_one(
        self,
        kind,
        source,
        rec,
        ctx,
        resolve,
        linked_ids,
        current_by_id,
        matches,
        *,
        dependency,
        replay,
        force,
    ) -> Pending | None:
        other_contact = self._other_contact.pop((kind, rec.id), None)
        if other_contact is not None:
            self.hold(kind, source, rec, "validation_error", other_contact, {})
            return None
        target = source.other
        label = record_label(kind, rec)
        link = self.links.by_side(kind, source, rec.id)
        current = current_by_id.get(linked_ids[rec.id]) if rec.id in linked_ids else None
        matched = None
        if link is None:
            matched = matches.get(rec.id)
            current = matched
        ctx.warnings = []

        if not rec.deleted:
            skip = rules.skip_reason(kind, rec, source)
            if skip:
                self.note(f"{label} skipped: {skip}")
                return None
            if rec.unsupported:
                hold = rules.unsupported_content(label, rec, source)
                self.hold(kind, source, rec, hold.type, hold.message, hold.details)
                return None
            bad = input_checks.problem(kind, rec, source)
            if bad is not None:
                self.hold(kind, source, rec, bad.type, bad.message, bad.details)
                return None
        if kind in QBO_MASTERED and target is Side.QBO:
            return None

        desired = translate.translate(kind, rec, ctx, resolve, current)
        desired = self._currency_contact(desired, rec, target)
        desired = translate.merge_over(current, desired)
        if not force and current is not None:
            before = self._desired_at_last_sync(kind, source, rec, link, ctx, resolve, current)
            desired = translate.keep_what_source_left(desired, current, before)

        if not rec.deleted:
            hold = rules.validate(
                kind,
                rec,
                desired,
                current,
                source,
                self.conn,
                self.links,
                matched=matched is not None,
                update=link is not None,
            )
            if hold is not None:
                self.hold(kind, source, rec, hold.type, hold.message, hold.details)
                return None

        base = None
        if link is not None:
            if source is Side.SCORO:
                base = Base(link.scoro_fingerprint, link.qbo_fingerprint)
            else:
                base = Base(link.qbo_fingerprint, link.scoro_fingerprint)
        src_fp = rec.fingerprint()
        decision = decide(
            source_fingerprint=src_fp,
            source_deleted=rec.deleted,
            desired_fingerprint=desired.fingerprint(),
            target_fingerprint=current.fingerprint() if current is not None else None,
            base=base,
            matched=matched is not None,
        )
        action = decision.action
        if force and action in (Action.CONFLICT, Action.NOTHING, Action.TARGET_MISSING):
            action = Action.UPDATE if current is not None else Action.CREATE
        if replay and action is Action.NOTHING and link is None:
            action = Action.CREATE

        category = self._category
        if action is Action.NOTHING:
            self.counts.unchanged += 1
            if decision.refresh_base and current is not None and not self.dry_run:
                self.save_link(kind, source, rec, current)
            return None
        if action is Action.SOURCE_DELETED:
            msg = (
                f"{label} was deleted in {source.label}. Its copy in {target.label} was "
                f"left as it is; delete it there yourself if it should go."
            )
            self.hold(kind, source, rec, "deleted_at_source", msg, {})
            return None
        if action is Action.TARGET_MISSING:
            msg = (
                f"{label} was deleted in {target.label} after it was synced. Choose "
                f'"Send {source.label}\'s version" to create it again, or dismiss.'
            )
            self.hold(kind, source, rec, "target_missing", msg, {})
            return None
        if action is Action.CONFLICT:
            marker = f"{src_fp}:{current.fingerprint()}"
            if review.was_dismissed(self.conn, kind, rec.id, "conflict", marker):
                self.counts.unchanged += 1
                return None
            details = rules.conflict_details(link, rec, current, source)
            details["marker"] = marker
            msg = (
                f"{label} changed in both Scoro and QuickBooks since the last sync. "
                "Nothing was overwritten: choose which version to keep."
            )
            self.hold(kind, source, rec, "conflict", msg, details)
            return None
        if action is Action.LINK and decision.refresh_base:
            self.counts.linked += 1
            self._plan(category, kind, "link", label, decision.reason)
            if not self.dry_run:
                self.save_link(kind, source, rec, current)
                review.close_open(self.conn, kind, rec.id, ("validation_error", "write_failed"))
            self.emit_warnings(kind, source, rec, ctx.warnings)
            return None

        if self.dry_run:
            verb = {Action.CREATE: "create", Action.UPDATE: "update", Action.LINK: "link"}[action]
            if action is Action.CREATE:
                self._planned_creates.add((kind, rec.id))
            self._plan(category, kind, verb, label, decision.reason)
            self._count_action(action)
            return None
        if action is Action.CREATE or current is None:
            previous = None
            if link is not None:
                previous = link.qbo_id if target is Side.QBO else link.scoro_id
            intent = create_intent(self.links.generation(kind, rec.id), previous)
        else:
            intent = update_intent(current, desired.fingerprint())
        requestid = make_requestid(self.conn.id, kind, rec.id, intent)
        return Pending(kind, rec, desired, current, action, requestid, list(ctx.warnings))

    def _currency_contact(self, desired: Record, rec: Record, target: Side) -> Record:
        """A document in another currency than its contact goes to the separate contact the
        bookkeeper made for that currency ("Müller GmbH (USD)"), when there is one."""
        if target is not Side.QBO or not isinstance(rec, Invoice | Bill) or rec.contact is None:
            return desired
        contact_kind = Kind.VENDOR if isinstance(rec, Bill) else Kind.CUSTOMER
        made = review.currency_contact(self.conn, contact_kind, rec.contact.id, rec.currency)
        if made is None:
            return desired
        return desired.replace(contact=Ref(contact_kind, Side.QBO, made.qbo_id))

    @staticmethod
    def _desired_at_last_sync(kind, source, rec, link, ctx, resolve, current) -> Record | None:
        """What we would have written from the source as it was at the last sync (the link's
        merge base), or None when there is no usable base."""
        if link is None or not link.snapshot:
            return None
        try:
            side = json.loads(link.snapshot).get("scoro" if source is Side.SCORO else "quickbooks")
            base = restore(type(rec), side)
            quiet = dataclasses.replace(ctx, warnings=[])
            before = translate.translate(kind, base, quiet, resolve, current)
            return translate.merge_over(current, before)
        except (SnapshotError, ValueError, TypeError, KeyError, AttributeError) as exc:
            log.info("no merge base for %s %s: %s", kind.value, rec.id, exc)
            return None

    def _count_action(self, action: Action) -> None:
        if action is Action.CREATE:
            self.counts.created += 1
        elif action is Action.LINK:
            self.counts.linked += 1
        else:
            self.counts.updated += 1

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
        op = "create" if item.current is None else "update"
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

    def check_totals(self, kind: Kind, source: Side, src: Record, written: Record) -> None:
        """The document as the target now holds it (its write answer) against the source's
        own totals: any difference is shown, never left for the bookkeeper to discover."""
        gap = rules.totals_gap(
            src, written, source, bills_without_tax=self._bills_without_tax(source)
        )
        if gap is None:
            review.close_open(self.conn, kind, src.id, ("totals_differ",))
            return
        self.counts.totals_differ += 1
        self.note(f"{record_label(kind, src)}: {gap.message}", "warning")
        self._review(kind, source, src, "totals_differ", gap.message, gap.details)

    def _bills_without_tax(self, source: Side) -> bool:
        return source is Side.QBO and bool(self.settings.bills_without_tax)

    # ------------------------------------------------------------------ R12
    def align_line_accounts(self, kind: Kind, written: list[tuple[Pending, Record]]) -> None:
        """R12: a QuickBooks item has one income and one expense account. A Scoro line booked
        to another account than its item's is pointed at the item's account in Scoro after
        the document is sent, so both books agree; the change is logged on the document."""
        if not written:
            return
        field = "expense_account" if kind is Kind.BILL else "income_account"
        wanted: dict[str, list[tuple[Pending, Record, int, str]]] = {}
        for item, qbo_rec in written:
            for index, line in enumerate(getattr(item.source, "lines", ())):
                if line.product is None or line.account is None:
                    continue
                qbo_item = self.links.other_id(Kind.PRODUCT, Side.SCORO, line.product.id)
                if qbo_item is not None:
                    wanted.setdefault(qbo_item, []).append((item, qbo_rec, index, line.account.id))
        if not wanted:
            return
        unknown = sorted(i for i in wanted if (i, field) not in self._item_accounts)
        if unknown:
            # Items rarely change during a run: one read per item, not one per batch.
            fetched = self.gw[Side.QBO].fetch(Kind.PRODUCT, unknown)
            for qbo_item in unknown:
                account = getattr(fetched.get(qbo_item), field, None)
                self._item_accounts[(qbo_item, field)] = account.id if account else None
        changes: dict[str, tuple[Pending, Record, dict[int, str]]] = {}
        for qbo_item, uses in wanted.items():
            account_id = self._item_accounts[(qbo_item, field)]
            scoro_account = (
                self.links.other_id(Kind.ACCOUNT, Side.QBO, account_id) if account_id else None
            )
            if scoro_account is None:
                continue
            for item, qbo_rec, index, current in uses:
                if current != scoro_account:
                    entry = changes.setdefault(item.source.id, (item, qbo_rec, {}))
                    entry[2][index] = scoro_account
        for item, qbo_rec, accounts in changes.values():
            label = record_label(kind, item.source)
            try:
                updated = self.gw[Side.SCORO].set_line_accounts(kind, item.source.id, accounts)
            except RemoteError as exc:
                self.note(
                    f"{label}: its line accounts could not be set to the QuickBooks items' "
                    f"accounts in Scoro: {exc}. Change them in Scoro by hand.",
                    "warning",
                )
                continue
            self.save_link(kind, Side.SCORO, updated, qbo_rec)
            lines = ", ".join(str(i + 1) for i in sorted(accounts))
            self.note(
                f"{label}: line {lines} now books to the account of its QuickBooks item in "
                "Scoro too (a QuickBooks item has one account)."
            )

    # ------------------------------------------------------------------ attachments (R55)
    def attachments_automatic(self) -> bool:
        row = self.cats.get(Category.ATTACHMENTS)
        return bool(row and row.enabled) and self.settings.attachments_mode == "automatic"

    def send_attachments(self, source: Side, records: Sequence[Record]) -> None:
        """Scoro files go to QuickBooks attached to their document, each exactly once. A file
        whose document is not in QuickBooks yet goes when the document does."""
        if source is not Side.SCORO:
            return
        sgw, qgw = self.gw[Side.SCORO], self.gw[Side.QBO]
        for att in records:
            self.check_cancel()
            if att.deleted or att.document is None:
                continue
            label = record_label(Kind.ATTACHMENT, att)
            if self.links.other_id(Kind.ATTACHMENT, Side.SCORO, att.id) is not None:
                self.counts.unchanged += 1
                continue
            doc = att.document
            qbo_doc = self.links.other_id(doc.kind, Side.SCORO, doc.id)
            if qbo_doc is None:
                self.note(
                    f"{label} will be sent with its {doc.kind.label.lower()}, which is "
                    "not in QuickBooks yet."
                )
                continue
            if self.dry_run:
                self._plan(self._category, Kind.ATTACHMENT, "create", label)
                self.counts.created += 1
                continue
            requestid = make_requestid(
                self.conn.id, Kind.ATTACHMENT, att.id, att.sha256 or att.fingerprint()
            )
            try:
                data = sgw.download_attachment(att)
                uploaded = qgw.upload_attachment(
                    att.replace(document=Ref(doc.kind, Side.QBO, qbo_doc)), data, requestid
                )
            except RecordRejected as exc:
                self.hold(
                    Kind.ATTACHMENT,
                    source,
                    att,
                    "write_failed",
                    f"QuickBooks refused {label}: {exc}",
                    {},
                )
                continue
            self.save_link(Kind.ATTACHMENT, source, att, uploaded)
            self.counts.created += 1
            self.note(f"{label} → QuickBooks attached to {doc.kind.label.lower()}")

    def attachments_of(self, kind: Kind, scoro_id: str) -> None:
        finder = getattr(self.gw[Side.SCORO], "attachments_for", None)
        if finder is not None:
            self.send_attachments(Side.SCORO, finder(kind, scoro_id))

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
