"""The QuickBooks side of the sync: `SideGateway` over `QuickBooksApi` and the mappers."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import TypeVar

from ..domain import (
    Account,
    Attachment,
    Bill,
    Contact,
    Invoice,
    Kind,
    Product,
    Project,
    Record,
    Side,
    TaxRate,
    TrackingClass,
    labels,
    normalise_text,
    to_decimal,
)
from ..domain.errors import (
    MalformedRecord,
    NotFound,
    RecordRejected,
    RemoteError,
    ServiceUnavailable,
)
from ..domain.ports import ChangeBatch, WriteOp, WriteOutcome
from ..domain.summaries import DocumentRow
from ..recent import RecentObjects
from .api import (
    CDC_SAFETY,
    CDC_UNSUPPORTED,
    CDC_WINDOW,
    CdcResult,
    CdcWindowExceeded,
    MalformedAnswer,
    QuickBooksApi,
    format_time,
    last_updated,
    parse_time,
)
from .faults import SIDE, error_from_fault, fault_from_json
from .mapping import (
    ENTITY,
    ForeignRef,
    MappingContext,
    ReadOnlyKind,
    to_domain,
    to_payload,
    update_payload,
)
from .querylang import quote
from .requestids import combine_requestids, fit_requestid
from .taxdetail import TaxTable, tax_detail
from .writelanes import WriteLanes

log = logging.getLogger(__name__)

BATCH_SIZE = 30
SINGLE_REQUESTID_MAX = 50
# CDC's watermark trails the server clock: a transaction committing as we ask may carry an
# earlier LastUpdatedTime than objects we already saw. Re-reading a few minutes is harmless.
CDC_WATERMARK_LAG = dt.timedelta(minutes=5)
# How far ahead of our clock a watermark may be before it is taken for a clock that jumped.
CLOCK_SKEW = dt.timedelta(minutes=10)


def _is_project(obj: dict) -> bool:
    return str(obj.get("IsProject", "")).lower() == "true"


def _belongs(kind: Kind, obj: dict) -> bool:
    if str(obj.get("status") or "") == "Deleted":
        return True
    if kind is Kind.CUSTOMER:
        return not _is_project(obj)
    if kind is Kind.PROJECT:
        return _is_project(obj)
    if kind is Kind.PRODUCT:
        # Category "items" are folders in the product list, not something that can be sold.
        return str(obj.get("Type") or "") != "Category"
    return True


class QuickBooksGateway:
    side = Side.QBO
    # Chunks `write_many` may be given at once from different threads (see writelanes).
    write_lanes = WriteLanes.lanes

    def __init__(
        self,
        api: QuickBooksApi,
        *,
        home_currency: str,
        multicurrency: bool,
        country: str = "",
        now: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self.api = api
        self.home_currency = home_currency
        self.multicurrency = multicurrency
        self.country = country
        self._now = now or (lambda: dt.datetime.now(dt.UTC))
        self._tax_rates: dict | None = None
        self._tax_table: TaxTable | None = None
        self._project_ids: dict[str, bool] = {}
        # QuickBooks' own JSON of the objects an update may target (read by fetch/find and
        # returned by writes), so an update changes only what we own and keeps the rest.
        self._raw = RecentObjects()
        self._lanes = WriteLanes()
        self._tax_lock = threading.Lock()

    @classmethod
    def open(cls, api: QuickBooksApi, *, now=None) -> QuickBooksGateway:
        """A gateway configured from the company's own settings (two requests)."""
        info = company_info(api)
        return cls(
            api,
            home_currency=info["home_currency"],
            multicurrency=info["multicurrency"],
            country=info["country"],
            now=now,
        )

    @property
    def request_count(self) -> int:
        return self.api.request_count

    # -- mapping context -------------------------------------------------------------------

    def _ctx(self) -> MappingContext:
        return MappingContext(
            home_currency=self.home_currency,
            multicurrency=self.multicurrency,
            tax_rates=self._tax_rates or {},
            is_project=lambda cid: self._project_ids.get(cid, False),
            # Automated US sales tax has no inclusive/exclusive switch on a transaction.
            send_global_tax=self.country.upper() not in ("US", "USA"),
        )

    def _prepare(self, kind: Kind, rows: Sequence[dict]) -> None:
        """Load what mapping these rows needs: tax rates, which CustomerRefs are projects."""
        if kind is Kind.TAX_RATE and self._tax_rates is None:
            rates = {}
            for row in self.api.query_all("TaxRate"):
                try:
                    rates[str(row["Id"])] = to_decimal(row.get("RateValue") or 0, field="RateValue")
                except (KeyError, ValueError):
                    continue
            self._tax_rates = rates
        if kind is Kind.BILL:
            wanted = set()
            for row in rows:
                lines = row.get("Line")
                # Odd shapes are skipped here; to_domain reports that one bill as malformed
                # (before, one bill with `"Line": 5` stopped every run of the connection).
                for line in lines if isinstance(lines, list) else ():
                    for key in ("AccountBasedExpenseLineDetail", "ItemBasedExpenseLineDetail"):
                        detail = line.get(key) if isinstance(line, dict) else None
                        cref = detail.get("CustomerRef") if isinstance(detail, dict) else None
                        ref = cref.get("value") if isinstance(cref, dict) else None
                        if ref and str(ref) not in self._project_ids:
                            wanted.add(str(ref))
            if wanted:
                for row in self.api.by_ids("Customer", sorted(wanted)):
                    self._project_ids[str(row.get("Id"))] = _is_project(row)
                for missing in wanted - self._project_ids.keys():
                    self._project_ids[missing] = False
        if kind in (Kind.PROJECT, Kind.CUSTOMER):
            for row in rows:
                if row.get("Id") is not None and "IsProject" in row:
                    self._project_ids[str(row["Id"])] = _is_project(row)

    def _map(
        self, kind: Kind, rows: Iterable[dict], *, keep_raw: bool = False
    ) -> tuple[list[Record], list[MalformedRecord]]:
        rows = [r for r in rows if isinstance(r, dict) and _belongs(kind, r)]
        self._prepare(kind, rows)
        if keep_raw:
            entity = ENTITY[kind]
            for row in rows:
                if row.get("Id") not in (None, ""):
                    self._keep_raw(entity, row)
        ctx = self._ctx()
        records: list[Record] = []
        errors: list[MalformedRecord] = []
        for row in rows:
            try:
                records.append(to_domain(kind, row, ctx))
            except MalformedRecord as exc:
                log.warning("%s", exc)
                errors.append(exc)
        return records, errors

    # -- reading ---------------------------------------------------------------------------

    def changes(
        self, kind: Kind, watermark: str | None, *, bookmark: str | None = None
    ) -> Iterator[ChangeBatch]:
        """Full load by query when there is no watermark; CDC inside its 30-day window (it
        also reports deletions); a LastUpdatedTime query beyond it."""
        for _kind, batch in self.changes_many([kind], watermark):
            yield batch

    def changes_many(
        self, kinds: Sequence[Kind], watermark: str | None
    ) -> Iterator[tuple[Kind, ChangeBatch]]:
        """Like `changes` for several kinds sharing one watermark: one CDC request covers
        them all (customers and projects even share an entity)."""
        watermark = self._not_ahead(watermark, None)
        since = parse_time(watermark) if watermark else None
        cdc_kinds = []
        if since is not None and self._now() - since < CDC_WINDOW - CDC_SAFETY:
            cdc_kinds = [k for k in kinds if ENTITY[k] not in CDC_UNSUPPORTED]
        result: CdcResult | None = None
        if cdc_kinds and since is not None:
            entities = list(dict.fromkeys(ENTITY[k] for k in cdc_kinds))
            try:
                result = self.api.cdc(entities, since)
                server = parse_time(result.time)
                behind = self._not_ahead(watermark, server)
                if behind and behind != watermark:
                    # QuickBooks' clock is behind our cursor (it jumped back, or ran ahead
                    # when the cursor was set): what changed since its own now would be
                    # skipped, so the window is read again from there.
                    watermark, since = behind, parse_time(behind) or since
                    result = self.api.cdc(entities, since)
            except CdcWindowExceeded:
                result = None
        for kind in kinds:
            if result is not None and kind in cdc_kinds:
                batches = self._cdc_batches(kind, result, watermark or "")
            else:
                batches = self._query_batches(kind, watermark)
            for batch in batches:
                yield kind, batch

    def _not_ahead(self, mark: str | None, server: dt.datetime | None) -> str | None:
        """A watermark never past the time a read begins. QuickBooks' clock is trusted while
        it agrees with ours (within a small skew); ahead of ours, or unknown, ours decides.
        A later watermark (a clock that ran ahead, or jumped back) is pulled back, so that
        window is read again, never skipped."""
        when = parse_time(mark) if mark else None
        if when is None:
            return mark
        local = self._now()
        if server is not None and server <= local + CLOCK_SKEW:
            ceiling = server
        elif server is not None:
            ceiling = local  # QuickBooks' clock is ahead of ours: what it stamps is too
        else:
            ceiling = local + CLOCK_SKEW
        if when <= ceiling:
            return mark
        again = min(ceiling, local) - CDC_WATERMARK_LAG
        log.warning(
            "QuickBooks cursor %s is ahead of the clock (%s): reading again from %s",
            mark,
            format_time(ceiling),
            format_time(again),
        )
        return format_time(again)

    def _query_batches(
        self, kind: Kind, watermark: str | None, *, again: bool = True
    ) -> Iterator[ChangeBatch]:
        entity = ENTITY[kind]
        mark = watermark or ""
        sent = mark
        for page in self.api.query_pages(entity, since=watermark or None):
            newest = max((t for t in map(last_updated, page) if t), default=None)
            if newest is not None:
                mark = _later(mark, format_time(newest))
            records, errors = self._map(kind, page)
            if records or errors:
                mark = self._not_ahead(mark, self.api.read_started) or ""
                yield ChangeBatch(records=records, errors=errors, watermark=mark)
                sent = mark
        started = self.api.read_started
        if again and watermark and self._not_ahead(watermark, started) != watermark:
            # The server's clock is behind where we read from: read again from its now.
            yield from self._query_batches(kind, self._not_ahead(watermark, started), again=False)
            return
        if started is not None:
            # As after CDC: the next read starts where this one began, less the lag.
            mark = _later(mark, format_time(started - CDC_WATERMARK_LAG))
        mark = self._not_ahead(mark, started) or ""
        if mark != sent:
            yield ChangeBatch(records=[], errors=[], watermark=mark)

    def _cdc_batches(self, kind: Kind, result: CdcResult, watermark: str) -> Iterator[ChangeBatch]:
        entity = ENTITY[kind]
        rows = [r for r in result.objects.get(entity, []) if isinstance(r, dict)]
        rows.sort(key=lambda r: last_updated(r) or dt.datetime.min.replace(tzinfo=dt.UTC))
        if entity in result.overflow:
            # CDC stopped at its cap and cannot page: take live objects from a query, and
            # the deletions CDC did report (a query cannot see those).
            log.info("CDC hit its 1000-object cap for %s; reading by query", entity)
            yield from self._query_batches(kind, watermark)
            deleted = [r for r in rows if str(r.get("status") or "") == "Deleted"]
            if deleted:
                records, errors = self._map(kind, deleted)
                yield ChangeBatch(records=records, errors=errors, watermark=watermark)
            return
        records, errors = self._map(kind, rows)
        mark = watermark
        newest = max((t for t in map(last_updated, rows) if t), default=None)
        if newest is not None:
            mark = _later(mark, format_time(newest))
        server_time = parse_time(result.time)
        if server_time is not None:
            mark = _later(mark, format_time(server_time - CDC_WATERMARK_LAG))
        mark = self._not_ahead(mark, server_time) or ""
        yield ChangeBatch(records=records, errors=errors, watermark=mark)

    def fetch(self, kind: Kind, ids: Sequence[str]) -> dict[str, Record]:
        if not ids:
            return {}
        rows = self.api.by_ids(ENTITY[kind], [str(i) for i in ids])
        records, _errors = self._map(kind, rows, keep_raw=True)
        return {r.id: r for r in records}

    def find(self, kind: Kind, record: Record) -> Record | None:
        entity = ENTITY[kind]
        where, name, match = self._natural_key(kind, record)
        if where is None:
            return None
        rows = [r for r in self.api.query_all(entity, where) if _belongs(kind, r)]
        records, _errors = self._map(kind, rows, keep_raw=True)
        candidates = [r for r in records if match(r)]
        if name is not None:
            wanted = normalise_text(name).casefold()
            exact = [r for r in candidates if normalise_text(_name_of(r)).casefold() == wanted]
            candidates = exact or candidates
        # Prefer an active object: an inactive twin is usually the one that was retired.
        candidates.sort(key=lambda r: not getattr(r, "active", True))
        return candidates[0] if candidates else None

    def find_many(self, kind: Kind, records: Sequence[Record]) -> list[Record | None]:
        """`find` for many records at once: one `Field IN (...)` query per chunk of keys
        instead of one query per record, with the same candidate rules as `find`."""
        field = _BATCH_KEY_FIELD.get(kind)
        out: list[Record | None] = [None] * len(records)
        if field is None:
            return [self.find(kind, r) for r in records]
        wanted: list[tuple[int, str, str | None, Callable[[Record], bool]]] = []
        for index, record in enumerate(records):
            where, name, match = self._natural_key(kind, record)
            if where is None:
                continue
            if " AND " in where:
                # Bills: the number is only unique per vendor; keep the exact query.
                out[index] = self.find(kind, record)
                continue
            value = _key_value(kind, record)
            if not value:
                continue
            wanted.append((index, value, name, match))
        if not wanted:
            return out
        values = list(dict.fromkeys(v for _i, v, _n, _m in wanted))
        found: dict[str, list[Record]] = {}
        entity = ENTITY[kind]
        for start in range(0, len(values), FIND_CHUNK):
            chunk = values[start : start + FIND_CHUNK]
            where = f"{field} IN (" + ", ".join(quote(v) for v in chunk) + ")"
            rows = [r for r in self.api.query_all(entity, where) if _belongs(kind, r)]
            mapped, _errors = self._map(kind, rows, keep_raw=True)
            for rec in mapped:
                found.setdefault(_fold(_key_value(kind, rec)), []).append(rec)
        for index, value, name, match in wanted:
            candidates = [r for r in found.get(_fold(value), []) if match(r)]
            if name is not None:
                folded = normalise_text(name).casefold()
                exact = [r for r in candidates if normalise_text(_name_of(r)).casefold() == folded]
                candidates = exact or candidates
            candidates.sort(key=lambda r: not getattr(r, "active", True))
            out[index] = candidates[0] if candidates else None
        return out

    def _natural_key(
        self, kind: Kind, record: Record
    ) -> tuple[str | None, str | None, Callable[[Record], bool]]:
        """The query finding `record`'s twin by what a person knows it by, the name to prefer
        an exact match on, and a test every candidate must pass. A record that is not of
        `kind` is rejected: its fields would say nothing about the twin."""
        always: Callable[[Record], bool] = lambda _r: True  # noqa: E731
        if kind in (Kind.CUSTOMER, Kind.VENDOR):
            party = _as(kind, record, Contact)
            return f"DisplayName = {quote(party.name)}", party.name, always
        if kind is Kind.PROJECT:
            project = _as(kind, record, Project)
            client = project.client

            def same_client(r: Record) -> bool:
                if client is None:
                    return True
                return isinstance(r, Project) and r.client is not None and r.client.id == client.id

            return f"DisplayName = {quote(project.name)}", project.name, same_client
        if kind in _NAMED:
            named = _as(kind, record, _NAMED[kind])
            return f"Name = {quote(named.name)}", named.name, always
        if kind is Kind.TAX_RATE:
            rate = _as(kind, record, TaxRate)
            code = rate.code or rate.name
            return f"Name = {quote(code)}", None, always
        if kind in (Kind.INVOICE, Kind.CREDIT_NOTE, Kind.BILL):
            document: Invoice | Bill = (
                _as(kind, record, Bill) if kind is Kind.BILL else _as(kind, record, Invoice)
            )
            if not document.number:
                return None, None, always
            where = f"DocNumber = {quote(document.number)}"
            contact = document.contact
            if kind is Kind.BILL and contact is not None and contact.side is Side.QBO:
                # Bill numbers are the vendor's, so only unique per vendor.
                where += f" AND VendorRef = {quote(contact.id)}"
            return where, None, always
        return None, None, always

    # -- writing ---------------------------------------------------------------------------

    def write_many(self, ops: Sequence[WriteOp]) -> list[WriteOutcome]:
        outcomes: dict[int, WriteOutcome] = {}
        prepared: list[tuple[int, WriteOp, str, str, dict]] = []
        self._load_raw_for(ops)
        if any(isinstance(op.record, Invoice | Bill) for op in ops):
            self._load_tax_table()
        ctx = self._ctx()
        for index, op in enumerate(ops):
            try:
                entity, operation, body = self._prepare_write(op, ctx)
            except RemoteError as exc:
                if not isinstance(exc, RecordRejected):
                    raise
                outcomes[index] = WriteOutcome(op.key, error=exc)
                continue
            if body is None:
                # Nothing we own differs: QuickBooks' copy already says what we would send.
                outcomes[index] = WriteOutcome(op.key, record=op.current, sent=False)
                continue
            prepared.append((index, op, entity, operation, body))
        if len(prepared) == 1:
            index, op, entity, operation, body = prepared[0]
            outcomes[index] = self._write_one(op, entity, operation, body)
        elif prepared:
            written = self._lanes.write(
                prepared,
                getattr(self.api.transport, "rate", None),
                lambda items: list(self._write_batch(items)),
                lambda item: self._write_one(*item[1:]),
            )
            for index, outcome in written:
                outcomes[index] = outcome
        return [outcomes[i] for i in range(len(ops))]

    def drop_unsent(self) -> None:
        """Writes handed but not yet sent fail unsent: the sync is stopping."""
        self._lanes.drop_waiting()

    def _load_raw_for(self, ops: Sequence[WriteOp]) -> None:
        """One query for the update targets whose current JSON we do not hold."""
        missing: dict[str, list[str]] = {}
        for op in ops:
            target = op.current.id if op.current is not None else op.record.id
            if op.op != "update" or not target:
                continue
            entity = ENTITY[op.kind]
            raw = self._raw.get(entity, str(target))
            version = op.current.version if op.current is not None else None
            if raw is None or (version and str(raw.get("SyncToken") or "") != version):
                missing.setdefault(entity, []).append(str(target))
        for entity, ids in missing.items():
            for row in self.api.by_ids(entity, sorted(set(ids))):
                if isinstance(row, dict) and row.get("Id") not in (None, ""):
                    self._keep_raw(entity, row)

    def _keep_raw(self, entity: str, row: dict) -> None:
        self._raw.keep(entity, str(row["Id"]), row)

    def _load_tax_table(self) -> None:
        with self._tax_lock:  # several chunks are written at once; the table is read once
            if self._tax_table is None:
                self._tax_table = TaxTable.load(self.api)

    def _prepare_write(self, op: WriteOp, ctx: MappingContext) -> tuple[str, str, dict | None]:
        entity = ENTITY[op.kind]
        label = labels.label(op.kind, op.record)
        try:
            if op.op == "create":
                body = to_payload(op.kind, op.record, ctx)
                self._add_tax(op.record, None, body, create=True)
                return entity, "create", body
            current = op.current
            target_id = current.id if current is not None else op.record.id
            raw = self._raw.get(entity, str(target_id)) if target_id else None
            if current is None and raw is not None:
                current = to_domain(op.kind, raw, ctx)
            if current is None or raw is None:
                raise NotFound(
                    f"The {op.kind.label.lower()} to update is not in QuickBooks",
                    side=SIDE,
                    code="610",
                )
            changes = update_payload(op.kind, op.record, current, raw, ctx, label=label)
            if changes is None and not self._tax_changed(op.record, current):
                return entity, "update", None
            if changes is None:
                changes = {"Id": current.id, "SyncToken": current.version or "0", "sparse": True}
            self._add_tax(op.record, current, changes, create=False)
            return entity, "update", changes
        except RecordRejected:
            raise
        except MalformedRecord as exc:
            raise RecordRejected(str(exc), side=SIDE) from None
        except (ForeignRef, ReadOnlyKind, ValueError, TypeError, AttributeError) as exc:
            raise RecordRejected(
                f"The {op.kind.label.lower()} cannot be sent to QuickBooks: {exc}", side=SIDE
            ) from None

    @staticmethod
    def _tax_changed(record: Record, current: Record | None) -> bool:
        want = getattr(record, "tax_total", None)
        return want is not None and want != getattr(current, "tax_total", None)

    def _add_tax(self, record: Record, current: Record | None, body: dict, *, create: bool) -> None:
        """The tax Scoro computed, so QuickBooks' totals agree with it to the cent: on a new
        document, and on an update whose lines or tax changed."""
        if not isinstance(record, Invoice | Bill) or record.tax_total is None:
            return
        if not create and "Line" not in body and not self._tax_changed(record, current):
            return
        detail = tax_detail(
            record,
            self._tax_table or TaxTable(),
            purchase=isinstance(record, Bill),
            us=not self._ctx().send_global_tax,
        )
        if detail is not None:
            body["TxnTaxDetail"] = detail

    def _outcome(self, op: WriteOp, entity: str, obj: dict) -> WriteOutcome:
        # Not kept for a later update: a push of thousands would hold every answer in memory,
        # and an update in the same run reads its target again anyway (fetch or a 5010).
        try:
            record = to_domain(op.kind, obj, self._ctx())
        except MalformedRecord as exc:
            # The write happened; only our reading of the answer failed. The outbox row
            # stays, so the next run links what was written instead of writing it again.
            log.warning("%s", exc)
            return WriteOutcome(op.key, error=MalformedAnswer(str(exc), side=SIDE))
        return WriteOutcome(op.key, record=record)

    def _write_one(self, op: WriteOp, entity: str, operation: str, body: dict) -> WriteOutcome:
        requestid = fit_requestid(op.requestid, SINGLE_REQUESTID_MAX) if op.requestid else None
        try:
            if operation == "create":
                obj = self.api.create(entity, body, requestid=requestid)
            else:
                obj = self.api.update(entity, body, sparse=True, requestid=requestid)
        except (RecordRejected, MalformedAnswer) as exc:
            return WriteOutcome(op.key, error=exc)
        return self._outcome(op, entity, obj)

    def _write_batch(self, chunk) -> Iterator[tuple[int, WriteOutcome]]:
        items = []
        for n, (_index, _op, entity, operation, body) in enumerate(chunk):
            items.append({"bId": f"b{n}", "operation": operation, entity: body})
        requestid = combine_requestids([op.requestid or "" for _i, op, *_ in chunk])
        try:
            results = self.api.batch(items, requestid=requestid)
        except RecordRejected as exc:
            for index, op, *_ in chunk:
                yield index, WriteOutcome(op.key, error=exc)
            return
        for n, (index, op, entity, _operation, _body) in enumerate(chunk):
            item = results.get(f"b{n}")
            error: RemoteError
            if item is None:
                error = ServiceUnavailable("QuickBooks did not answer for this record", side=SIDE)
                yield index, WriteOutcome(op.key, error=error)
            elif isinstance(item.get(entity), dict):
                yield index, self._outcome(op, entity, item[entity])
            elif not isinstance(item.get("Fault"), dict):
                error = MalformedAnswer(
                    f"QuickBooks answered without the {entity} it was sent", side=SIDE
                )
                yield index, WriteOutcome(op.key, error=error)
            else:
                fault = fault_from_json(item)
                error = error_from_fault(fault, status=400, tid=self.api.transport.last_tid)
                yield index, WriteOutcome(op.key, error=error)

    # -- attachments -----------------------------------------------------------------------

    def upload_attachment(self, attachment: Attachment, data: bytes, requestid: str) -> Attachment:
        digest = attachment.sha256 or hashlib.sha256(data).hexdigest()
        wanted = replace(attachment, sha256=digest, size=len(data))
        try:
            meta = to_payload(Kind.ATTACHMENT, wanted, self._ctx())
        except (ForeignRef, ValueError, KeyError) as exc:
            raise RecordRejected(f"The attachment cannot be sent: {exc}", side=SIDE) from None
        meta.pop("Size", None)  # QuickBooks measures the upload itself
        obj = self.api.upload(
            meta,
            wanted.file_name,
            wanted.content_type,
            data,
            requestid=fit_requestid(requestid, SINGLE_REQUESTID_MAX) if requestid else None,
        )
        return to_domain(Kind.ATTACHMENT, obj, self._ctx())  # type: ignore[return-value]

    def download_attachment(self, attachment: Attachment) -> bytes:
        obj = self.api.read("Attachable", attachment.id)
        url = obj.get("TempDownloadUri") or obj.get("FileAccessUri")
        if not url:
            raise NotFound("QuickBooks has no file for this attachment", side=SIDE)
        return self.api.transport.download(str(url))

    def company_info(self) -> dict:
        return company_info(self.api)

    # -- reconciliation --------------------------------------------------------------------

    def list_documents(
        self, kind: Kind, date_from: dt.date | None, date_to: dt.date | None
    ) -> tuple[list[DocumentRow], list[MalformedRecord]]:
        """Light summaries of the documents of `kind` dated in the window: one query page
        (up to 1,000 objects) per request, read straight from the JSON (TotalAmt,
        TxnTaxDetail.TotalTax, Balance, CurrencyRef, CustomerRef / VendorRef), no reads."""
        entity = ENTITY[kind]
        parts = []
        if date_from is not None:
            parts.append(f"TxnDate >= {quote(date_from.isoformat())}")
        if date_to is not None:
            parts.append(f"TxnDate <= {quote(date_to.isoformat())}")
        rows: list[DocumentRow] = []
        errors: list[MalformedRecord] = []
        for page in self.api.query_pages(entity, " AND ".join(parts) or None):
            for obj in page:
                if not isinstance(obj, dict) or str(obj.get("status") or "") == "Deleted":
                    continue
                try:
                    rows.append(_document_row(kind, obj, self.home_currency))
                except (KeyError, TypeError, ValueError) as exc:
                    errors.append(
                        MalformedRecord(
                            f"QuickBooks {entity} {obj.get('Id') or '?'} could not be read: {exc}",
                            kind=kind.value,
                            record_id=str(obj.get("Id") or ""),
                        )
                    )
        return rows, errors


def company_info(api: QuickBooksApi) -> dict:
    info = api.company_info()
    prefs = api.preferences()
    currency_prefs = prefs.get("CurrencyPrefs") or {}
    accounting = prefs.get("AccountingInfoPrefs") or {}
    if _true(accounting.get("ClassTrackingPerTxnLine")):
        class_tracking = "per_line"
    elif _true(accounting.get("ClassTrackingPerTxn")):
        class_tracking = "per_document"
    else:
        class_tracking = "off"
    home = (currency_prefs.get("HomeCurrency") or {}).get("value") or ""
    country = str(info.get("Country") or "")
    return {
        "name": str(info.get("CompanyName") or info.get("LegalName") or ""),
        "home_currency": str(home),
        "multicurrency": _true(currency_prefs.get("MultiCurrencyEnabled")),
        "class_tracking": class_tracking,
        "country": country,
    }


def _true(value: object) -> bool:
    return value is True or str(value).lower() == "true"


def _later(a: str, b: str) -> str:
    ta, tb = parse_time(a) if a else None, parse_time(b) if b else None
    if ta is None:
        return b
    if tb is None:
        return a
    return b if tb > ta else a


FIND_CHUNK = 200
# The field `find` compares for each kind that can be looked up many keys at a time.
_BATCH_KEY_FIELD = {
    Kind.CUSTOMER: "DisplayName",
    Kind.VENDOR: "DisplayName",
    Kind.PROJECT: "DisplayName",
    Kind.PRODUCT: "Name",
    Kind.ACCOUNT: "Name",
    Kind.TRACKING_CLASS: "Name",
    Kind.INVOICE: "DocNumber",
    Kind.CREDIT_NOTE: "DocNumber",
    Kind.BILL: "DocNumber",
}


_NAMED: dict[Kind, type[Product | Account | TrackingClass]] = {
    Kind.PRODUCT: Product,
    Kind.ACCOUNT: Account,
    Kind.TRACKING_CLASS: TrackingClass,
}

_R = TypeVar("_R", bound=Record)


def _as(kind: Kind, record: Record, cls: type[_R]) -> _R:
    """`record` as the class `kind` holds; any other is rejected, never half-matched."""
    if not isinstance(record, cls):
        raise RecordRejected(
            f"The record to match is not a {kind.label.lower()}, so it cannot be looked up "
            "in QuickBooks. Please report this as a fault.",
            side=SIDE,
        )
    return record


def _key_value(kind: Kind, record: Record) -> str:
    if kind in (Kind.INVOICE, Kind.CREDIT_NOTE, Kind.BILL):
        return str(getattr(record, "number", "") or "")
    return _name_of(record)


def _fold(value: str) -> str:
    """How the query's `=`/`IN` compares text: case-insensitively."""
    return normalise_text(value).casefold()


def _name_of(record: Record) -> str:
    return str(getattr(record, "name", "") or "")


def _document_row(kind: Kind, obj: dict, home_currency: str) -> DocumentRow:
    """One query row as a summary; amounts as QuickBooks sent them (Decimal)."""

    def amount(value: object, field: str) -> Decimal:
        return to_decimal(value, field=field)

    def ref(key: str) -> tuple[str, str]:
        value = obj.get(key)
        if not isinstance(value, dict):
            return "", ""
        return str(value.get("value") or ""), str(value.get("name") or "")

    if obj.get("TotalAmt") in (None, ""):
        raise ValueError("TotalAmt: missing")
    total = amount(obj["TotalAmt"], "TotalAmt")
    currency = ref("CurrencyRef")[0] or home_currency
    date = dt.date.fromisoformat(str(obj["TxnDate"])[:10]) if obj.get("TxnDate") else None
    vendor = kind in (Kind.BILL, Kind.BILL_PAYMENT)
    contact_id, contact_name = ref("VendorRef" if vendor else "CustomerRef")
    if kind in (Kind.RECEIPT, Kind.BILL_PAYMENT):
        number = str(obj.get("DocNumber" if vendor else "PaymentRefNum") or "")
        return DocumentRow(
            kind, Side.QBO, str(obj["Id"]), number, date, contact_id, contact_name, currency,
            total, None, None,
        )  # fmt: skip
    key = "Balance"
    if kind is Kind.CREDIT_NOTE and obj.get("RemainingCredit") not in (None, ""):
        key = "RemainingCredit"
    # A balance QuickBooks did not send reads as open, never as paid.
    balance = amount(obj[key], key) if obj.get(key) not in (None, "") else total
    detail = obj.get("TxnTaxDetail")
    tax_value = detail.get("TotalTax") if isinstance(detail, dict) else None
    tax = amount(tax_value, "TotalTax") if tax_value not in (None, "") else None
    if total > 0 and balance <= 0:
        status = "paid"
    elif 0 < balance < total:
        status = "partially_paid"
    else:
        status = "open"
    return DocumentRow(
        kind, Side.QBO, str(obj["Id"]), str(obj.get("DocNumber") or ""), date, contact_id,
        contact_name, currency, total, tax, balance, status,
    )  # fmt: skip
