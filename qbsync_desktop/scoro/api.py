"""Scoro API v2 operations on top of the transport: paging, delta reads, writes, files.

Paging as Scoro documents it: `page` from 1, a constant `per_page` (Scoro caps list pages at
100, and detailed responses at 25), stop on a short page. List order is unconfirmed, so
results are de-duplicated by id across pages.
"""

from __future__ import annotations

import base64
import datetime as dt
import math
from collections.abc import Iterator
from typing import Any

from ..domain.errors import RecordRejected
from ..domain.ports import Bookmark
from .bookmarks import parse_bookmark
from .dates import parse_datetime, sort_key
from .transport import ScoroTransport

PER_PAGE = 100
PER_PAGE_DETAILED = 25
# Chunks are sent base64; 3.75 MB raw stays under Scoro's 5,000,000 bytes per chunk whichever
# side of the encoding the limit is counted on.
UPLOAD_CHUNK = 3_750_000
# A guard against a server that ignores `page` and keeps returning the same rows.
MAX_PAGES = 10_000

ID_FIELDS = {
    "contacts": "contact_id",
    "products": "product_id",
    "projects": "project_id",
    "vatCodes": "vat_code_id",
    "financeObjects": "object_id",
    "files": "file_id",
    "bookmarks": "bookmark_id",
    "clientProfiles": "client_profile_id",
}


def record_id(module: str, record: dict[str, Any]) -> str:
    """The record's id as text ("" when it has none)."""
    for key in (ID_FIELDS.get(module, "id"), "id"):
        value = record.get(key)
        if value not in (None, "", 0, "0") and not isinstance(value, dict | list | bool):
            return str(value)
    return ""


def _flag(value: bool) -> int:
    return 1 if value else 0


class ScoroApi:
    def __init__(self, transport: ScoroTransport) -> None:
        # Server time of the first page of the last modified_since read (None: unknown).
        self.read_started: dt.datetime | None = None
        self.transport = transport

    @property
    def request_count(self) -> int:
        return self.transport.request_count

    # -- reading -------------------------------------------------------------------------

    def list_page(
        self,
        module: str,
        page: int,
        per_page: int,
        *,
        filter: dict[str, Any] | None = None,
        include_deleted: bool = False,
        detailed: bool = True,
    ) -> list[dict[str, Any]]:
        request: dict[str, Any] = {}
        top: dict[str, Any] = {"page": page, "per_page": per_page}
        if detailed:
            top["detailed_response"] = 1
        if filter:
            top["filter"] = filter
        if include_deleted:
            # The docs say "in request object", the community clients send it at the top
            # level; sending both works whichever Scoro honours.
            request["include_deleted"] = 1
            top["include_deleted"] = 1
        envelope = self.transport.call(module, "list", request=request, **top)
        data = envelope.get("data")
        if data is None:
            return []
        if isinstance(data, dict):
            data = list(data.values())
        if not isinstance(data, list):
            raise RecordRejected(f"Scoro sent an unexpected {module} list.", side="scoro")
        return [row for row in data if isinstance(row, dict)]

    def list_all(
        self,
        module: str,
        filter: dict[str, Any] | None = None,
        *,
        include_deleted: bool = False,
        detailed: bool = True,
        per_page: int | None = None,
    ) -> Iterator[dict[str, Any]]:
        size = per_page or (PER_PAGE_DETAILED if detailed else PER_PAGE)
        seen: set[str] = set()
        for page in range(1, MAX_PAGES + 1):
            rows = self.list_page(
                module,
                page,
                size,
                filter=filter,
                include_deleted=include_deleted,
                detailed=detailed,
            )
            fresh = 0
            for row in rows:
                key = record_id(module, row)
                if key and key in seen:
                    continue
                if key:
                    seen.add(key)
                fresh += 1
                yield row
            if len(rows) < size or fresh == 0:
                return

    def modified_since(
        self,
        module: str,
        since: dt.datetime | None,
        *,
        filter: dict[str, Any] | None = None,
        detailed: bool = True,
        today: dt.date | None = None,
    ) -> list[dict[str, Any]]:
        """Records modified on or after the day before `since` (all when None), deleted ones
        included, oldest first, each id once.

        The window is whole days: `from_date` cannot carry a time of day, and the site's time
        zone is unknown, so one day of overlap covers both; callers drop what they have seen.
        """
        criteria = dict(filter or {})
        if since is not None:
            end = (today or dt.datetime.now(dt.UTC).date()) + dt.timedelta(days=1)
            start = since.date() - dt.timedelta(days=1)
            # A closed window keeps the row set fixed while pages are read.
            criteria["modified_date"] = {
                "from_date": start.isoformat(),
                "to_date": max(start, end).isoformat(),
            }
        rows: list[dict[str, Any]] = []
        self.read_started = None
        for row in self.list_all(module, criteria or None, include_deleted=True, detailed=detailed):
            if self.read_started is None:
                self.read_started = self.transport.server_time
            rows.append(row)
        if self.read_started is None:
            self.read_started = self.transport.server_time
        rows.sort(
            key=lambda r: (sort_key(parse_datetime(r.get("modified_date"))), record_id(module, r))
        )
        return rows

    def view(self, module: str, object_id: str | int) -> dict[str, Any]:
        data = self.transport.call(module, "view", object_id).get("data")
        if not isinstance(data, dict):
            raise RecordRejected(f"Scoro sent no {module} object {object_id}.", side="scoro")
        return data

    # -- writing -------------------------------------------------------------------------

    def modify(
        self,
        module: str,
        data: dict[str, Any],
        id: str | int | None = None,
        return_data: bool = True,
    ) -> dict[str, Any]:
        envelope = self.transport.call(
            module,
            "modify",
            id if id not in (None, "", 0, "0") else None,
            request=data,
            return_data=_flag(return_data),
            idempotent=id not in (None, "", 0, "0"),
        )
        result = envelope.get("data")
        return result if isinstance(result, dict) else {}

    def delete(self, module: str, id: str | int) -> None:
        self.transport.call(module, "delete", id)

    # -- entities and saved filters ------------------------------------------------------

    def company_accounts(self) -> list[dict[str, Any]]:
        data = self.transport.call("companyAccount", "list").get("data")
        if isinstance(data, dict):
            data = [data]
        return [row for row in data or [] if isinstance(row, dict)]

    def bookmarks(self, module: str) -> list[Bookmark]:
        rows = self.list_all("bookmarks", {"module": module}, detailed=False)
        out = []
        for row in rows:
            bookmark = parse_bookmark(row)
            if bookmark is not None and bookmark.module in ("", module):
                out.append(bookmark)
        return out

    # -- files ---------------------------------------------------------------------------

    def upload_file(
        self, name: str, data: bytes, related_module: str, related_id: str | int
    ) -> dict[str, Any]:
        """Chunked base64 upload (`files/modify`), related to one object; returns the file."""
        total = max(1, math.ceil(len(data) / UPLOAD_CHUNK))
        file_id: str | None = None
        result: dict[str, Any] = {}
        for number in range(1, total + 1):
            chunk = data[(number - 1) * UPLOAD_CHUNK : number * UPLOAD_CHUNK]
            request: dict[str, Any] = {
                "name": name,
                "size": len(data),
                "chunk_no": number,
                "chunks_total": total,
                "chunk_data": base64.b64encode(chunk).decode("ascii"),
            }
            if number == 1:
                request["rel_type"] = related_module
                request["rel_id"] = related_id
            result = self.modify("files", request, id=file_id) or result
            file_id = file_id or record_id("files", result)
            if not file_id:
                raise RecordRejected("Scoro did not return the uploaded file's id.", side="scoro")
        return result or {"file_id": file_id, "file_name": name, "file_size": len(data)}

    def download_file(self, file_id: str | int) -> bytes:
        body, envelope = self.transport.call_raw("files", "download", file_id)
        if envelope is None:
            return body
        data = envelope.get("data")
        if isinstance(data, dict):
            for key in ("file_data", "data", "content"):
                if isinstance(data.get(key), str):
                    return base64.b64decode(data[key])
        if isinstance(data, str):
            return base64.b64decode(data)
        raise RecordRejected(f"Scoro sent no content for file {file_id}.", side="scoro")

    def files_for(self, module: str, id: str | int) -> list[dict[str, Any]]:
        rows = self.list_all("files", {"rel_type": module, "rel_id": id}, detailed=False)
        out = []
        for row in rows:
            relations = row.get("relations")
            # A server that ignores the filter returns every file; trust relations when shown.
            if isinstance(relations, dict) and relations:
                ids = {str(v) for v in relations.get(module) or []}
                if str(id) not in ids:
                    continue
            out.append(row)
        return out
