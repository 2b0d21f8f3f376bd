"""The Scoro side of the sync: `SideGateway` over `ScoroApi`.

Kinds map onto Scoro modules (`KINDS`); a Scoro contact serves both CUSTOMER and VENDOR,
invoices both INVOICE and CREDIT_NOTE, receipts both RECEIPT and BILL_PAYMENT. Scoro has no
idempotency key, so every create is guarded by a find on the natural key (name or `no`),
before the request and again after a write whose answer was lost.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

import requests

from ..domain import Attachment, Bill, Contact, Invoice, Kind, Payment, Record, Ref, Side
from ..domain.errors import (
    MalformedRecord,
    NotFound,
    RecordRejected,
    RemoteError,
    ServiceUnavailable,
)
from ..domain.ports import Bookmark, ChangeBatch, WriteOp, WriteOutcome
from ..domain.summaries import DocumentRow
from ..recent import RecentObjects
from .api import ScoroApi, record_id
from .dates import format_watermark, parse_datetime, sort_key
from .finder import Finder
from .inbound import attachment_from_scoro, from_scoro, modified_of
from .kinds import KINDS, MODULES_WITHOUT_DATES, KindSpec
from .outbound import scoro_id, to_scoro
from .owned import build_update
from .profiles import ClientProfiles
from .transport import ScoroTransport

log = logging.getLogger("qbsync_desktop.scoro")

BATCH_SIZE = 300
# Small first chunks: the first write goes out after a few views instead of a full chunk's,
# and each next (bigger) chunk is viewed and decided while the one before is sent.
RAMP = (30, 90)
# Concurrent document views while reading changes (Scoro's rate budget still applies).
VIEW_THREADS = 8
# Chunks whose views are read ahead of the one the engine is deciding.
VIEW_AHEAD = 3
ATTACHMENT_WATERMARK = "file_id:"
# How far before a read's start the next read begins: covers writes that were in flight
# while the list was read and small differences between Scoro's clocks.
READ_MARGIN = dt.timedelta(minutes=2)
# How far ahead of our clock Scoro's may be before it is taken for a clock that jumped.
CLOCK_SKEW = dt.timedelta(minutes=10)
DST_MARGIN = dt.timedelta(hours=1)


class ScoroGateway:
    side = Side.SCORO

    def __init__(
        self,
        api: ScoroApi,
        *,
        company_account_id: str,
        base_currency: str,
        now: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self.api = api
        self._now = now or (lambda: dt.datetime.now(dt.UTC))
        self.company_account_id = company_account_id
        self.base_currency = base_currency
        self.profiles = ClientProfiles(api, base_currency)
        self.finder = Finder(api, self._map)
        self._raw = RecentObjects()
        self.site_offset: dt.timedelta | None = None
        # Invoices and credit notes are one Scoro module: the rows a read of one kind found
        # for the other, offered to the very next read only (so never across runs).
        self._next_read: tuple[tuple, list[dict[str, Any]], dt.datetime | None] | None = None

    @classmethod
    def connect(
        cls,
        site_url: str,
        api_key: str,
        company_account_id: str,
        *,
        base_currency: str | None = None,
        session: requests.Session | None = None,
        now: Callable[[], dt.datetime] | None = None,
        **transport_options: Any,
    ) -> ScoroGateway:
        """Build the whole stack; without `base_currency` it is read from `companyAccount`."""
        transport = ScoroTransport(
            site_url, api_key, company_account_id, session=session, **transport_options
        )
        api = ScoroApi(transport)
        if base_currency is None:
            base_currency = _base_currency(api, company_account_id)
        return cls(api, company_account_id=company_account_id, base_currency=base_currency, now=now)

    @property
    def request_count(self) -> int:
        return self.api.request_count

    # -- reading -------------------------------------------------------------------------

    def _map(self, kind: Kind, raw: Any) -> Record:
        return from_scoro(
            kind, raw, profile_currency=self.profiles.currency_of, base_currency=self.base_currency
        )

    def changes(
        self, kind: Kind, watermark: str | None, *, bookmark: str | None = None
    ) -> Iterator[ChangeBatch]:
        spec = KINDS[kind]
        if kind is Kind.ATTACHMENT:
            yield from self._attachment_changes(watermark)
            return
        criteria = dict(spec.filter)
        if bookmark:
            criteria.update(self._bookmark_filters(spec.module, bookmark))
        since = _not_ahead_of_now(_parse_watermark(watermark), self._now())
        if spec.module in MODULES_WITHOUT_DATES:
            since = None  # no modified_date to filter on: every run reads the (small) list
        rows, started = self._read(kind, spec, since, criteria)
        ahead = started is not None and started > self._now() + CLOCK_SKEW
        if ahead:
            # Scoro's clock runs ahead of ours: what it stamps now is in our future, and a
            # cursor set by it would skip what changes once it is put right.
            log.warning("Scoro's clock (%s) is ahead of this computer's", started)
            started = self._now()
        if spec.module == "contacts":
            self.profiles.refresh()
        kept = [r for r in rows if spec.accepts(r) and _not_before(r, since)]
        self._learn_offset(rows)
        read_mark = ceiling = None
        if spec.module not in MODULES_WITHOUT_DATES and started is not None:
            # Everything modified before this read began was in it, so the next read may
            # start there (less a margin for writes in flight), not at the newest record's
            # stamp: otherwise a quiet day re-reads (and re-views) all of that day's records.
            read_mark = self._read_mark(started, rows, since)
            # Only a clock found ahead caps the cursor, at the careful read mark (our clock,
            # less the site-offset doubt): the next read starts no later than now.
            ceiling = read_mark if ahead else None
        yield from self._batches(kind, spec, kept, watermark, read_mark, ceiling)

    def _read(self, kind: Kind, spec: KindSpec, since, criteria: dict[str, Any]):
        """The module's rows changed since `since`, and when the read began. A read of
        invoices keeps the credit notes it saw for the credit-note read that follows it, so
        the module is listed once per run, not once per kind."""
        key = (kind, spec.module, since, json.dumps(criteria, sort_keys=True, default=str))
        offered, self._next_read = self._next_read, None
        if offered is not None and offered[0] == key:
            return offered[1], offered[2]
        # The window ends at Scoro's date when Scoro's clock is ahead of ours: what was made
        # while it ran ahead is listed too.
        server = self.api.transport.server_time
        today = max(self._now().date(), server.date() if server else dt.date.min)
        rows = self.api.modified_since(spec.module, since, filter=criteria or None, today=today)
        started = self.api.read_started
        answered = self.api.transport.server_time
        if since is not None and answered is not None and answered.date() > today:
            # Scoro's clock turned out to be ahead of what the window assumed: list the days
            # between as well, so nothing stamped by that clock is left out.
            after = dt.datetime.combine(today + dt.timedelta(days=2), dt.time())
            more = self.api.modified_since(
                spec.module, after, filter=criteria or None, today=answered.date()
            )
            seen = {record_id(spec.module, r) for r in rows}
            rows = rows + [r for r in more if record_id(spec.module, r) not in seen]
            self.api.read_started = started
        for other, other_spec in KINDS.items():
            if other is not kind and other_spec.module == spec.module:
                # One row of any kind stays with them: it tells whether stamps are naive.
                theirs = [r for r in rows if other_spec.accepts(r)] or rows[:1]
                self._next_read = ((other, spec.module, since, key[3]), theirs, started)
        return rows, started

    def _learn_offset(self, rows) -> None:
        """Contacts carry ISO stamps with the site's UTC offset; documents carry naive site
        time. The offset seen lets a naive watermark be placed safely."""
        for raw in rows[-50:]:
            stamp = modified_of(raw)
            if stamp is not None and stamp.tzinfo is not None:
                self.site_offset = stamp.utcoffset()

    def _read_mark(self, started: dt.datetime, rows, since: dt.datetime | None):
        sample = next((modified_of(r) for r in rows if modified_of(r) is not None), None)
        naive = (
            (sample.tzinfo is None)
            if sample is not None
            else (since is not None and since.tzinfo is None)
        )
        if sample is None and since is None:
            return None
        start_utc = started.astimezone(dt.UTC)
        if not naive:
            return start_utc - READ_MARGIN
        # Naive stamps are site time. With the offset known, allow an hour for a daylight
        # saving change since it was seen; unknown, assume the most westerly zone (UTC-12),
        # which can only make the next read start earlier, never miss a change.
        offset = (
            self.site_offset - DST_MARGIN
            if self.site_offset is not None
            else (-dt.timedelta(hours=12))
        )
        return (start_utc + offset - READ_MARGIN).replace(tzinfo=None)

    def _batches(
        self,
        kind,
        spec: KindSpec,
        rows,
        watermark,
        read_mark: dt.datetime | None = None,
        ceiling: dt.datetime | None = None,
    ) -> Iterator[ChangeBatch]:
        mark = watermark or ""
        if not rows:
            yield ChangeBatch(records=(), watermark=_later(mark, read_mark) if read_mark else mark)
            return
        chunks = _chunks(rows)
        # Documents need a view each (lists carry no lines). The views of the next VIEW_AHEAD
        # chunks are read in the background while the engine works on this one, so Scoro's
        # window stays busy while QuickBooks' writes wait for their budget, and the other
        # way round.
        with ThreadPoolExecutor(max_workers=VIEW_THREADS) as pool:
            try:
                yield from self._viewed_batches(pool, kind, spec, chunks, mark, read_mark, ceiling)
            finally:
                # Stopped early (cancelled, an error): views not started are dropped.
                pool.shutdown(wait=True, cancel_futures=True)

    def _viewed_batches(self, pool, kind, spec, chunks, mark, read_mark, ceiling):
        ahead = deque(self._submit_views(pool, spec, c) for c in chunks[:VIEW_AHEAD])
        for n, chunk in enumerate(chunks):
            futures = ahead.popleft()
            if n + VIEW_AHEAD < len(chunks):
                ahead.append(self._submit_views(pool, spec, chunks[n + VIEW_AHEAD]))
            viewed = [
                f.result() if f is not None else raw for raw, f in zip(chunk, futures, strict=True)
            ]
            records, errors = [], []
            for raw in viewed:
                try:
                    records.append(self._map(kind, raw))
                except MalformedRecord as exc:
                    errors.append(exc)
                newest = modified_of(raw)
                if newest is not None and spec.module not in MODULES_WITHOUT_DATES:
                    mark = _later(mark, newest)
            if read_mark is not None and n + 1 == len(chunks):
                mark = _later(mark, read_mark)
            if ceiling is not None:
                mark = _earlier(mark, ceiling)
            yield ChangeBatch(records=tuple(records), errors=tuple(errors), watermark=mark)

    def _submit_views(self, pool, spec: KindSpec, chunk) -> list:
        out = []
        for raw in chunk:
            if (
                spec.needs_view
                and not _flag_true(raw.get("is_deleted"))
                and raw.get("lines") is None
            ):
                out.append(pool.submit(self._view_or_keep, spec.module, raw))
            else:
                out.append(None)
        return out

    def _view_or_keep(self, module: str, raw: dict[str, Any]) -> dict[str, Any]:
        """List results carry no lines; a view does."""
        try:
            return self.api.view(module, record_id(module, raw))
        except NotFound:
            return raw

    def _bookmark_filters(self, module: str, bookmark_id: str) -> dict[str, Any]:
        for found in self.api.bookmarks(module):
            if found.id == str(bookmark_id):
                return dict(found.filters)
        raise RecordRejected(
            f"Scoro bookmark {bookmark_id} was not found for {module}.", side="scoro"
        )

    def _attachment_changes(self, watermark: str | None) -> Iterator[ChangeBatch]:
        # Files carry no modified_date; they are immutable once uploaded, so the highest
        # file id seen is the watermark.
        last = 0
        if watermark and watermark.startswith(ATTACHMENT_WATERMARK):
            last = int(watermark[len(ATTACHMENT_WATERMARK) :] or 0)
        records, errors, newest = [], [], last
        for module, doc_kind in (("invoices", Kind.INVOICE), ("bills", Kind.BILL)):
            rows = self.api.list_all("files", {"rel_type": module}, detailed=False)
            for raw in rows:
                fid = record_id("files", raw)
                if not fid.isdigit() or int(fid) <= last:
                    continue
                newest = max(newest, int(fid))
                try:
                    full = self.api.view("files", fid)
                    document = _document_ref(full, module, doc_kind)
                    records.append(self._attachment(full, document))
                except NotFound:
                    continue
                except MalformedRecord as exc:
                    errors.append(exc)
        records.sort(key=lambda r: int(r.id))
        mark = f"{ATTACHMENT_WATERMARK}{newest}" if newest else (watermark or "")
        yield ChangeBatch(records=tuple(records), errors=tuple(errors), watermark=mark)

    def _attachment(self, raw: Any, document: Ref | None) -> Attachment:
        try:
            return attachment_from_scoro(raw, document)
        except (ValueError, TypeError) as exc:
            raise MalformedRecord(
                f"Scoro file could not be read: {exc}",
                kind=Kind.ATTACHMENT.value,
                record_id=record_id("files", raw),
            ) from None

    def fetch(self, kind: Kind, ids: Sequence[str]) -> dict[str, Record]:
        spec = KINDS[kind]
        out: dict[str, Record] = {}
        for rid in dict.fromkeys(str(i) for i in ids):
            try:
                raw = self.api.view(spec.module, rid)
            except NotFound:
                continue
            if isinstance(raw, dict):
                # Kept for an update of this object: it changes only what we own.
                self._raw.keep(spec.module, rid, raw)
            try:
                out[rid] = (
                    self._attachment(raw, None) if kind is Kind.ATTACHMENT else self._map(kind, raw)
                )
            except MalformedRecord as exc:
                log.warning("%s", exc)
        return out

    def find(self, kind: Kind, record: Record) -> Record | None:
        return self.finder.find(kind, record)

    # -- writing -------------------------------------------------------------------------

    def write_many(self, ops: Sequence[WriteOp]) -> list[WriteOutcome]:
        return [self._write_one(op) for op in ops]

    def _write_one(self, op: WriteOp) -> WriteOutcome:
        spec = KINDS[op.kind]
        try:
            if op.op == "create":
                existing = self.finder.find(op.kind, op.record)
                if existing is not None:
                    return WriteOutcome(op.key, self._adopt(op, existing))
                body = self._body(op, creating=True)
                try:
                    raw = self.api.modify(spec.module, body)
                except ServiceUnavailable as exc:
                    if not getattr(exc, "maybe_committed", False):
                        raise
                    # The answer was lost, not necessarily the write: look before failing.
                    existing = self.finder.find(op.kind, op.record)
                    if existing is None:
                        raise
                    return WriteOutcome(op.key, existing)
            else:
                update = self._update_body(op)
                if update is None:
                    return WriteOutcome(op.key, record=op.current, sent=False)
                raw = self.api.modify(spec.module, update, id=op.record.id)
            return WriteOutcome(op.key, self._result(op, raw))
        except (RecordRejected, TypeError, ValueError) as exc:
            error = (
                exc
                if isinstance(exc, RemoteError)
                else RecordRejected(
                    f"This {op.kind.label.lower()} cannot be written to Scoro: {exc}", side="scoro"
                )
            )
            return WriteOutcome(op.key, error=error)

    def set_line_accounts(self, kind: Kind, record_id: str, accounts: dict[int, str]) -> Record:
        """Point document lines (by position) at other finance accounts (R12) and return the
        document as saved. The lines go back exactly as Scoro sent them but for the account:
        Scoro replaces lines wholesale, so anything this app does not map is kept too."""
        spec = KINDS[kind]
        raw = self.api.view(spec.module, record_id)
        lines = raw.get("lines")
        if not isinstance(lines, list):
            raise RecordRejected(
                f"Scoro sent {kind.label.lower()} {record_id} without lines.", side="scoro"
            )
        changed = [dict(line) if isinstance(line, dict) else line for line in lines]
        for index, account in accounts.items():
            if 0 <= index < len(changed) and isinstance(changed[index], dict):
                changed[index]["finance_account_id"] = scoro_id(account)
        saved = self.api.modify(spec.module, {"lines": changed}, id=record_id)
        if not saved or saved.get("lines") is None:
            saved = self.api.view(spec.module, record_id)
        return self._map(kind, saved)

    def _body(self, op: WriteOp, *, creating: bool) -> dict[str, Any]:
        record = op.record
        if not isinstance(record, Contact):
            body = to_scoro(op.kind, record)
            _check_amounts(body)
            return body
        profile = None
        if record.currency:
            profile = self.profiles.ensure(record.currency)
        body = to_scoro(op.kind, record, client_profile_id=profile)
        if creating:
            # A new contact takes both flags from the record plus the op's own.
            body["is_client"] = 1 if record.is_client or op.kind is Kind.CUSTOMER else 0
            body["is_supplier"] = 1 if record.is_supplier or op.kind is Kind.VENDOR else 0
        return body

    def _update_body(self, op: WriteOp) -> dict[str, Any] | None:
        """Only the owned fields that differ from Scoro's copy, lists rebuilt from it; None
        when nothing differs (scoro/owned.py)."""
        body = self._body(op, creating=False)
        if op.current is None:
            return body
        module = KINDS[op.kind].module
        raw = self._raw.pop(module, str(op.record.id))
        if raw is None:
            raw = self.api.view(module, op.record.id)
        before = self._body(replace(op, record=op.current), creating=False)
        return build_update(body, before, raw if isinstance(raw, dict) else {})

    def _adopt(self, op: WriteOp, existing: Record) -> Record:
        """A create whose object is already there: reuse it, adding the contact's role."""
        if isinstance(existing, Contact):
            flag = "is_client" if op.kind is Kind.CUSTOMER else "is_supplier"
            if op.kind in (Kind.CUSTOMER, Kind.VENDOR) and not getattr(existing, flag):
                raw = self.api.modify("contacts", {flag: 1}, id=existing.id)
                return self._result(op, raw) if raw else existing.replace(**{flag: True})
        return existing

    def _result(self, op: WriteOp, raw: dict[str, Any]) -> Record:
        spec = KINDS[op.kind]
        if not raw or (spec.needs_view and raw.get("lines") is None):
            rid = record_id(spec.module, raw) if raw else op.record.id
            raw = self.api.view(spec.module, rid)
        try:
            return self._map(op.kind, raw)
        except MalformedRecord as exc:
            raise RecordRejected(
                f"Scoro saved the {op.kind.label.lower()} but its answer could not be read: {exc}",
                side="scoro",
            ) from None

    # -- attachments ---------------------------------------------------------------------

    def upload_attachment(self, attachment: Attachment, data: bytes, requestid: str) -> Attachment:
        document = attachment.document
        if document is None or document.kind not in (Kind.INVOICE, Kind.CREDIT_NOTE, Kind.BILL):
            raise RecordRejected("An attachment must belong to an invoice or a bill.", side="scoro")
        module = "bills" if document.kind is Kind.BILL else "invoices"
        for raw in self.api.files_for(module, document.id):
            if str(raw.get("file_name") or "") == attachment.file_name and int(
                raw.get("file_size") or -1
            ) == len(data):
                return self._attachment(raw, document)  # uploaded before; answer was lost
        raw = self.api.upload_file(attachment.file_name, data, module, document.id)
        return self._attachment(raw, document)

    def download_attachment(self, attachment: Attachment) -> bytes:
        return self.api.download_file(attachment.id)

    def attachments_for(self, kind: Kind, document_id: str) -> list[Attachment]:
        """The files attached to one invoice or bill (R55, sent manually per document)."""
        module = "bills" if kind is Kind.BILL else "invoices"
        document = Ref(kind, Side.SCORO, str(document_id))
        out = []
        for raw in self.api.files_for(module, document_id):
            try:
                out.append(self._attachment(raw, document))
            except MalformedRecord as exc:
                log.warning("%s", exc)
        return out

    def search(self, kind: Kind, text: str, limit: int = 200) -> list[Record]:
        """Documents or contacts whose number or name contains `text` (the Documents view)."""
        spec = KINDS[kind]
        field_name = "name" if spec.module == "contacts" else "no"
        criteria = dict(spec.filter)
        if text.strip():
            criteria[field_name] = f"%{text.strip()}%"
        out: list[Record] = []
        for raw in self.api.list_all(spec.module, criteria or None, detailed=False):
            if not spec.accepts(raw):
                continue
            try:
                out.append(self._map(kind, raw))
            except MalformedRecord as exc:
                log.warning("%s", exc)
            if len(out) >= limit:
                break
        return out

    # -- connection-level ----------------------------------------------------------------

    def company_accounts(self) -> list[dict[str, Any]]:
        return company_accounts(self.api, self.company_account_id)

    def bookmarks(self, module: str) -> list[Bookmark]:
        return self.api.bookmarks(module)

    # -- reconciliation --------------------------------------------------------------------

    def list_documents(
        self, kind: Kind, date_from: dt.date | None, date_to: dt.date | None
    ) -> tuple[list[DocumentRow], list[MalformedRecord]]:
        """Light summaries of the documents of `kind` dated in the window, from list pages
        only (100 a page, no views): list rows carry `sum`, `vat_sum`, `currency`,
        `company_id`, `status` and `paid_sum` / `receivable_sum`, but no lines."""
        spec = KINDS[kind]
        criteria = dict(spec.filter)
        if date_from is not None or date_to is not None:
            window = {}
            if date_from is not None:
                window["from_date"] = date_from.isoformat()
            if date_to is not None:
                window["to_date"] = date_to.isoformat()
            criteria["date"] = window
        rows: list[DocumentRow] = []
        errors: list[MalformedRecord] = []
        for raw in self.api.list_all(spec.module, criteria or None, detailed=False):
            if not spec.accepts(raw) or _flag_true(raw.get("is_deleted")):
                continue
            try:
                rec = _document(kind, self._map(kind, raw))
            except MalformedRecord as exc:
                errors.append(exc)
                continue
            if rec.date is not None and (
                (date_from is not None and rec.date < date_from)
                or (date_to is not None and rec.date > date_to)
            ):
                continue  # a server that ignored the date filter
            rows.append(_document_row(kind, rec, raw))
        return rows, errors


def company_accounts(api: ScoroApi, current: str = "") -> list[dict[str, Any]]:
    out = []
    for row in api.company_accounts():
        entities = row.get("active_entities")
        base = {
            "company_account_id": str(row.get("company_account_id") or current),
            "name": str(row.get("company_name") or row.get("name") or ""),
            "base_currency": str(row.get("base_currency") or ""),
            "active_currencies": [str(c) for c in row.get("active_currencies") or []],
        }
        if isinstance(entities, list) and entities and "company_account_id" not in row:
            for entity in entities:
                # An entity without an id (null in the answer) cannot be connected; "None"
                # must never become a company account id.
                if isinstance(entity, dict) and entity.get("entity_id") not in (None, ""):
                    out.append(
                        {
                            **base,
                            "company_account_id": str(entity.get("entity_id")),
                            "name": str(entity.get("entity_name") or base["name"]),
                        }
                    )
        else:
            out.append(base)
    return out


def _base_currency(api: ScoroApi, company_account_id: str) -> str:
    accounts = company_accounts(api, company_account_id)
    for account in accounts:
        if account["company_account_id"] == company_account_id and account["base_currency"]:
            return account["base_currency"]
    if accounts and accounts[0]["base_currency"]:
        return accounts[0]["base_currency"]
    raise RecordRejected("Scoro did not say the entity's base currency.", side="scoro")


def _document_ref(raw: dict[str, Any], module: str, kind: Kind) -> Ref | None:
    relations = raw.get("relations")
    if isinstance(relations, dict):
        ids = relations.get(module) or []
        if isinstance(ids, list) and ids:
            return Ref(kind, Side.SCORO, str(ids[0]))
    return None


def _parse_watermark(watermark: str | None) -> dt.datetime | None:
    if not watermark:
        return None
    try:
        return parse_datetime(watermark)
    except ValueError:
        return None


def _not_before(raw: dict[str, Any], since: dt.datetime | None) -> bool:
    """Drops the rows of the one-day overlap that are older than the watermark."""
    if since is None:
        return True
    newest = modified_of(raw)
    return newest is None or sort_key(newest) >= sort_key(since)


def _later(mark: str, value: dt.datetime) -> str:
    current = _parse_watermark(mark)
    if current is None or sort_key(value) > sort_key(current):
        return format_watermark(value)
    return mark


def _earlier(mark: str, ceiling: dt.datetime) -> str:
    """A record stamped after the read began comes from a clock that ran ahead: the mark
    stays at the read's start, so what follows is read again, never skipped."""
    current = _parse_watermark(mark)
    if current is not None and sort_key(current) > sort_key(ceiling):
        log.warning("Scoro cursor %s is ahead of the read's start; kept at %s", mark, ceiling)
        return format_watermark(ceiling)
    return mark


def _not_ahead_of_now(since: dt.datetime | None, now: dt.datetime) -> dt.datetime | None:
    """A stored cursor ahead of now (set while a clock ran ahead) is read from now instead.
    Naive stamps are site time, up to 14 hours ahead of UTC."""
    if since is None:
        return None
    now = now + CLOCK_SKEW
    bound = (now + dt.timedelta(hours=14)).replace(tzinfo=None) if since.tzinfo is None else now
    if since > bound:
        log.warning("Scoro cursor %s is ahead of the clock; reading again from now", since)
        return bound - dt.timedelta(hours=14) if since.tzinfo is None else bound
    return since


def _flag_true(value: Any) -> bool:
    return value in (True, 1, "1", "true")


def _check_amounts(body: Any) -> None:
    """Refuse before writing what could not be read back (coerce.MAX_AMOUNT): a create whose
    answer is unreadable would be saved in Scoro but never linked, and made again on the next
    run. Found by tests/reliability/test_bad_input.py (a 1e23 bill line from QuickBooks)."""
    from decimal import Decimal, InvalidOperation

    from .coerce import MAX_AMOUNT

    def walk(value: Any, field: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, key)
            lines = value.get("lines")
            for line in lines if isinstance(lines, list) else ():
                try:
                    total = Decimal(str(line.get("price") or 0)) * Decimal(
                        str(line.get("amount") or 1)
                    )
                except (InvalidOperation, AttributeError):
                    continue
                if abs(total) >= MAX_AMOUNT:
                    raise ValueError(f"a line's total {total:.2f} is out of range")
        elif isinstance(value, list):
            for item in value:
                walk(item, field)
        elif isinstance(value, Decimal) and value.is_finite() and abs(value) >= MAX_AMOUNT:
            raise ValueError(f"{field}: {value} is out of range")

    walk(body, "")


def _chunks(rows: list) -> list[list]:
    out, start = [], 0
    for size in RAMP:
        if start < len(rows):
            out.append(rows[start : start + size])
            start += size
    out.extend(rows[i : i + BATCH_SIZE] for i in range(start, len(rows), BATCH_SIZE))
    return out


def _document(kind: Kind, rec: Record) -> Invoice | Bill | Payment:
    """The record as the document it is; reconciliation lists only invoices, credit notes,
    bills and payments, so anything else is a record we could not read as one."""
    if isinstance(rec, Invoice | Bill | Payment):
        return rec
    raise MalformedRecord(
        f"Scoro {kind.label.lower()} {rec.id or '(no id)'} could not be read as a document.",
        kind=kind.value,
        record_id=rec.id,
    )


def _document_row(kind: Kind, rec: Invoice | Bill | Payment, raw: dict[str, Any]) -> DocumentRow:
    contact = getattr(rec, "contact", None)
    name = raw.get("company_name") or raw.get("contact_name") or raw.get("person_name") or ""
    if isinstance(rec, Payment):
        return DocumentRow(
            kind=kind,
            side=Side.SCORO,
            id=rec.id,
            number=rec.reference,
            date=rec.date,
            contact_id=contact.id if contact else "",
            contact_name=str(name),
            currency=rec.currency,
            total=rec.amount,
            tax=None,
            balance=None,
        )
    status = str(getattr(rec, "status", "") or "").strip().lower()
    balance = rec.total - rec.paid
    if status in ("draft", "void", "cancelled"):
        status = "void" if status == "cancelled" else status
    elif rec.total > 0 and balance <= 0:
        status = "paid"
    elif 0 < balance < rec.total:
        status = "partially_paid"
    else:
        status = "open"
    return DocumentRow(
        kind=kind,
        side=Side.SCORO,
        id=rec.id,
        number=rec.number,
        date=rec.date,
        contact_id=contact.id if contact else "",
        contact_name=str(name),
        currency=rec.currency,
        total=rec.total,
        tax=rec.tax_total,
        balance=balance,
        status=status,
    )
