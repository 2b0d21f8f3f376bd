"""One sync run of one connection (docs/design.md).

Categories in dependency order; for each changed source record: resolve the link or match,
make sure dependencies exist at the target, validate, decide (plan.py), then write through the
outbox and record the link in the same transaction that clears the outbox row. The run's
state and reporting are in engine_base.py; writing and booking in writes.py; attachments in
attachments_sync.py; totals and line accounts in totals_and_accounts.py; holds in holds.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
from collections.abc import Callable, Iterable, Sequence

from ..domain import CATEGORY_ORDER, Bill, Category, Invoice, Kind, Product, Record, Ref, Side
from ..domain.errors import MalformedRecord
from ..domain.ports import WriteOp
from ..domain.snapshots import SnapshotError, restore
from ..store import models as m
from . import input_checks, review, rules, translate
from .attachments_sync import AttachmentsSync
from .engine_base import Cancelled as Cancelled
from .engine_base import Counts as Counts
from .engine_base import record_label as record_label
from .holds import Holds
from .identity import create_intent, update_intent
from .identity import make_requestid as make_requestid
from .plan import Action, Base, decide
from .totals_and_accounts import TotalsAndAccounts
from .types import EventType
from .writes import BATCH as BATCH
from .writes import Pending as Pending
from .writes import Writes

log = logging.getLogger(__name__)

# Kinds QuickBooks masters: never created in QuickBooks by this app (R05, R56, R30, R37).
QBO_MASTERED = frozenset({Kind.ACCOUNT, Kind.TAX_RATE, Kind.TRACKING_CLASS, Kind.PROJECT})
DEFAULT_ITEM_NAME = "Services (from Scoro)"
REFERENCE_DATA = frozenset({Category.BACKGROUND, Category.CLASSES})
# A category's result as the bookkeeper reads it ("4 created, 3 matched"), from the counts.
RESULT_WORDS = {"linked": "matched", "totals_differ": "with totals that differ"}
# Kinds found at the target by number, whose contact must agree before they are linked.
SAME_CONTACT_KINDS = frozenset({Kind.INVOICE, Kind.CREDIT_NOTE, Kind.BILL})


class Engine(Writes, AttachmentsSync, TotalsAndAccounts, Holds):
    """Reads each category's changes, makes sure what they need exists at the target,
    matches, validates and decides; its parts write, book and hold (engine_base.py)."""

    # ------------------------------------------------------------------ entry points
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
            contact = getattr(rec, "contact", None)
            if rec is None or contact is None or theirs is None:
                continue
            ours = resolve(contact)
            if ours is None or ours.id.startswith("(new"):
                continue  # not on both sides yet: the usual dependency checks decide
            wanted = {ours.id}
            made = self._currency_contact(rec.replace(contact=ours), rec, source.other)
            made_contact = getattr(made, "contact", None)
            if made_contact is not None:
                wanted.add(made_contact.id)
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
                held = rules.unsupported_content(label, rec, source)
                self.hold(kind, source, rec, held.type, held.message, held.details)
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
        # decide() answers CONFLICT, and LINK with refresh_base, only when the target has the
        # record, so `current` is there in both.
        if action is Action.CONFLICT and current is not None:
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
        if action is Action.LINK and decision.refresh_base and current is not None:
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
