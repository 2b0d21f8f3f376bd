"""The QuickBooks Accounting API operations, in QuickBooks' own JSON (no domain records)."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from .. import jsonio
from ..domain.errors import RecordRejected, RemoteError
from .faults import SIDE
from .querylang import ORDER_FIELD, conditions, quote, select
from .transport import QuickBooksTransport

log = logging.getLogger(__name__)

PAGE_SIZE = 1000
BATCH_MAX = 30
CDC_MAX_OBJECTS = 1000
CDC_WINDOW = dt.timedelta(days=30)
# Keep clear of the edge: our clock and Intuit's differ, and a request takes time to arrive.
CDC_SAFETY = dt.timedelta(hours=1)
_GET_QUERY_LIMIT = 1500
# Entities whose changes CDC does not report.
CDC_UNSUPPORTED = frozenset({"TaxCode", "TaxRate", "TaxAgency", "TimeActivity"})

__all__ = ["CdcResult", "CdcWindowExceeded", "MalformedAnswer", "QuickBooksApi", "quote"]


class MalformedAnswer(RemoteError):
    """A 200 answer that does not hold what was asked for. Reported for the one record; its
    outbox row stays, so the next run finds out whether the write happened."""

    retryable = True


class CdcWindowExceeded(Exception):
    """`changedSince` is older than CDC's 30-day look-back: use a query instead."""


@dataclass
class CdcResult:
    objects: dict[str, list[dict]] = field(default_factory=dict)
    time: str = ""  # the server's clock at the response
    overflow: set[str] = field(default_factory=set)  # entities still at the cap alone


def _entity_of(payload: object, entity: str) -> dict:
    """The object of a 200 answer. An answer without it is the service's fault, reported for
    this one record (the write may or may not have happened: the outbox replay finds out)."""
    obj = payload.get(entity) if isinstance(payload, dict) else None
    if not isinstance(obj, dict):
        raise MalformedAnswer(f"QuickBooks answered without the {entity} it was sent", side=SIDE)
    return obj


def last_updated(obj: dict) -> dt.datetime | None:
    """None for a row whose time is missing or of the wrong type: the mapper holds that one
    row, and the others of the page still sort and move the watermark."""
    meta = obj.get("MetaData") if isinstance(obj, dict) else None
    text = meta.get("LastUpdatedTime") if isinstance(meta, dict) else None
    return parse_time(text) if isinstance(text, str) else None


def parse_time(text: str) -> dt.datetime | None:
    if not text:
        return None
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def format_time(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def derive_requestid(base: str, suffix: str, limit: int = 36) -> str:
    return hashlib.sha256(f"{base}\x1f{suffix}".encode()).hexdigest()[:limit]


class QuickBooksApi:
    def __init__(self, transport: QuickBooksTransport, *, now=None) -> None:
        self.transport = transport
        self._now = now or (lambda: dt.datetime.now(dt.UTC))
        self.answered_at: dt.datetime | None = None
        self.read_started: dt.datetime | None = None

    @property
    def request_count(self) -> int:
        return self.transport.request_count

    @property
    def realm_id(self) -> str:
        return self.transport.realm_id

    # -- queries ---------------------------------------------------------------------------

    def query(self, sql: str) -> dict:
        """The QueryResponse of one statement (an empty result is `{}` plus paging keys)."""
        if len(sql) <= _GET_QUERY_LIMIT:
            payload = self.transport.request("GET", "query", params={"query": sql})
        else:
            payload = self.transport.request("POST", "query", text_body=sql, write=False)
        self.answered_at = parse_time(str(payload.get("time") or ""))
        return payload.get("QueryResponse") or {}

    def count(self, entity: str, where: str | None = None) -> int:
        parts = conditions(entity, where)
        sql = f"SELECT COUNT(*) FROM {entity}"  # noqa: S608 - values go through quote()
        if parts:
            sql += " WHERE " + " AND ".join(parts)
        return int(self.query(sql).get("totalCount", 0))

    def query_pages(
        self,
        entity: str,
        where: str | None = None,
        *,
        since: dt.datetime | str | None = None,
        page_size: int = PAGE_SIZE,
    ) -> Iterator[list[dict]]:
        """Pages in LastUpdatedTime order, keyset-paged so edits during the read cannot make
        rows shift past us the way STARTPOSITION alone would."""
        cursor: str | None = None
        cursor_time: dt.datetime | None = None
        if since is not None:
            cursor = since if isinstance(since, str) else format_time(since)
            cursor_time = parse_time(cursor)
        start = 1
        seen_at_cursor: set[str] = set()
        self.read_started = None
        while True:
            bound = f"{ORDER_FIELD} >= {quote(cursor)}" if cursor else None
            sql = select(
                entity, conditions(entity, where, bound), start=start, max_results=page_size
            )
            rows = self.query(sql).get(entity) or []
            if self.read_started is None:
                # The server's clock when the read began: everything changed before it was
                # in the read, so the next one can start there (less a lag), not at the
                # newest row's stamp, which a quiet company would re-read every time.
                self.read_started = self.answered_at
            fresh = [r for r in rows if str(r.get("Id")) not in seen_at_cursor]
            if fresh:
                yield fresh
            if len(rows) < page_size:
                return
            last_text = (rows[-1].get("MetaData") or {}).get("LastUpdatedTime") or ""
            last = parse_time(last_text)
            if last is None:
                # No timestamps to page by: plain offsets are all that is left.
                start += len(rows)
                continue
            first = last_updated(rows[0])
            if (cursor_time is not None and last == cursor_time) or (
                cursor is None and first == last
            ):
                # A whole page shares one timestamp: step through the tie by offset.
                cursor, cursor_time = last_text, last
                start += len(rows)
                seen_at_cursor.update(str(r.get("Id")) for r in rows)
                continue
            cursor, cursor_time, start = last_text, last, 1
            seen_at_cursor = {str(r.get("Id")) for r in rows if last_updated(r) == last}

    def query_all(
        self,
        entity: str,
        where: str | None = None,
        order: str = ORDER_FIELD,
        *,
        since: dt.datetime | str | None = None,
    ) -> Iterator[dict]:
        if order != ORDER_FIELD:
            raise ValueError("query_all pages by MetaData.LastUpdatedTime only")
        for page in self.query_pages(entity, where, since=since):
            yield from page

    def by_ids(self, entity: str, ids: Sequence[str], *, chunk: int = 100) -> list[dict]:
        found: list[dict] = []
        unique = list(dict.fromkeys(str(i) for i in ids))
        for i in range(0, len(unique), chunk):
            part = unique[i : i + chunk]
            where = "Id IN (" + ", ".join(quote(x) for x in part) + ")"
            sql = select(entity, conditions(entity, where), order=None, max_results=PAGE_SIZE)
            found.extend(self.query(sql).get(entity) or [])
        return found

    # -- change data capture ---------------------------------------------------------------

    def cdc(self, entities: Iterable[str], changed_since: dt.datetime | str) -> CdcResult:
        names = list(dict.fromkeys(entities))
        since = parse_time(changed_since) if isinstance(changed_since, str) else changed_since
        if since is None:
            raise ValueError("changed_since is not a timestamp")
        if self._now() - since > CDC_WINDOW - CDC_SAFETY:
            raise CdcWindowExceeded(format_time(since))
        unsupported = [n for n in names if n in CDC_UNSUPPORTED]
        if unsupported:
            raise ValueError(f"CDC does not cover {', '.join(unsupported)}")
        result = self._cdc_once(names, since)
        total = sum(len(v) for v in result.objects.values())
        if total < CDC_MAX_OBJECTS:
            return result
        if len(names) > 1:
            # The cap is shared by all entities of a request: ask one at a time.
            merged = CdcResult(time=result.time)
            for name in names:
                one = self._cdc_once([name], since)
                merged.objects[name] = one.objects.get(name, [])
                merged.overflow |= one.overflow
                merged.time = min(merged.time, one.time) if merged.time else one.time
                if len(merged.objects[name]) >= CDC_MAX_OBJECTS:
                    merged.overflow.add(name)
            return merged
        result.overflow.add(names[0])
        return result

    def _cdc_once(self, names: list[str], since: dt.datetime) -> CdcResult:
        params = {"entities": ",".join(names), "changedSince": format_time(since)}
        try:
            payload = self.transport.request("GET", "cdc", params=params)
        except RecordRejected as exc:
            if "older than" in f"{exc.message} {exc.detail}".lower():
                raise CdcWindowExceeded(format_time(since)) from None
            raise
        result = CdcResult(time=str(payload.get("time") or ""))
        for block in payload.get("CDCResponse") or []:
            for response in block.get("QueryResponse") or []:
                for key, value in response.items():
                    if isinstance(value, list):
                        result.objects.setdefault(key, []).extend(value)
        return result

    # -- batch -----------------------------------------------------------------------------

    def batch(self, items: Sequence[dict], requestid: str | None = None) -> dict[str, dict]:
        """Run items (each with a unique `bId`) 30 per request; results keyed by bId."""
        results: dict[str, dict] = {}
        chunks = [items[i : i + BATCH_MAX] for i in range(0, len(items), BATCH_MAX)]
        for n, chunk in enumerate(chunks):
            rid = requestid
            if rid and len(chunks) > 1:
                rid = derive_requestid(rid, str(n))
            payload = self.transport.request(
                "POST",
                "batch",
                body={"BatchItemRequest": list(chunk)},
                requestid=rid[:36] if rid else None,
                batch=True,
            )
            for item in payload.get("BatchItemResponse") or []:
                results[str(item.get("bId"))] = item
        return results

    # -- single objects --------------------------------------------------------------------

    def create(self, entity: str, body: dict, requestid: str | None = None) -> dict:
        payload = self.transport.request("POST", entity.lower(), body=body, requestid=requestid)
        return _entity_of(payload, entity)

    def update(
        self, entity: str, body: dict, *, sparse: bool = True, requestid: str | None = None
    ) -> dict:
        if "Id" not in body or "SyncToken" not in body:
            raise ValueError("an update needs Id and SyncToken")
        body = {**body, "sparse": sparse}
        payload = self.transport.request("POST", entity.lower(), body=body, requestid=requestid)
        return _entity_of(payload, entity)

    def read(self, entity: str, obj_id: str) -> dict:
        payload = self.transport.request("GET", f"{entity.lower()}/{obj_id}")
        return _entity_of(payload, entity)

    def delete(
        self, entity: str, obj_id: str, sync_token: str, requestid: str | None = None
    ) -> dict:
        payload = self.transport.request(
            "POST",
            entity.lower(),
            params={"operation": "delete"},
            body={"Id": obj_id, "SyncToken": sync_token},
            requestid=requestid,
        )
        return payload.get(entity) or {}

    def upload(
        self,
        attachable_meta: dict,
        filename: str,
        content_type: str,
        data: bytes,
        requestid: str | None = None,
    ) -> dict:
        meta = {"FileName": filename, "ContentType": content_type, **attachable_meta}
        files = {
            "file_metadata_01": (
                "attachment.json",
                jsonio.dumps(meta).encode("utf-8"),
                "application/json",
            ),
            "file_content_01": (filename, data, content_type),
        }
        payload = self.transport.request(
            "POST", "upload", files=files, requestid=requestid, write=True
        )
        responses = payload.get("AttachableResponse") or []
        for response in responses:
            if "Attachable" in response:
                return response["Attachable"]
        from .faults import error_from_fault, fault_from_json

        fault = fault_from_json(responses[0]) if responses else None
        raise error_from_fault(fault, status=400, tid=self.transport.last_tid)

    def company_info(self) -> dict:
        payload = self.transport.request("GET", f"companyinfo/{self.realm_id}")
        return payload.get("CompanyInfo") or {}

    def preferences(self) -> dict:
        payload = self.transport.request("GET", "preferences")
        return payload.get("Preferences") or {}
