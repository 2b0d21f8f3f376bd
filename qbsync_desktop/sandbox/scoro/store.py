"""In-memory records of one Scoro site, with optional persistence to a JSON file.

Layout: ``records[company_account_id][module][id] -> record``; site-wide modules (users) live
under the key ``"*"``. Ids are allocated per module across the whole site, as in one database
table per module, so an id never means two objects in two entities.

A record holds its public fields plus three private instants (``_created``, ``_modified``,
``_deleted``, aware UTC datetimes) from which the per-module date strings are rendered.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import tempfile
import threading
from collections import OrderedDict
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..field_index import FieldIndexes

SITE = "*"
FORMAT_VERSION = 1


class Store:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.entities: dict[str, dict[str, Any]] = {}
        self.records: dict[str, dict[str, dict[int, dict[str, Any]]]] = {SITE: {}}
        self.next_ids: dict[str, int] = {}
        self.blobs: dict[int, bytes] = {}
        # file_id -> {chunk_no: bytes} while a chunked upload is incomplete
        self.uploads: dict[int, dict[int, bytes]] = {}
        self.api_key = ""
        self.user_tokens: dict[str, int] = {}
        self.indexes = FieldIndexes()
        # The ids a listing's first page matched, for its later pages; every API write and
        # control-plane change drops them (`changed`).
        self.listings: OrderedDict[tuple[Any, ...], list[int]] = OrderedDict()

    def changed(self) -> None:
        self.listings.clear()

    # -- ids and access -------------------------------------------------------------------

    def new_id(self, module: str) -> int:
        value = self.next_ids.get(module, 1)
        self.next_ids[module] = value + 1
        return value

    def add_entity(self, info: dict[str, Any]) -> None:
        self.entities[info["company_account_id"]] = info
        self.records.setdefault(info["company_account_id"], {})

    def table(self, bucket: str, module: str) -> dict[int, dict[str, Any]]:
        return self.records.setdefault(bucket, {}).setdefault(module, {})

    def counts(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for bucket, modules in self.records.items():
            out[bucket] = {
                module: sum(1 for r in table.values() if r.get("_deleted") is None)
                for module, table in modules.items()
            }
        return out

    # -- persistence ----------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {
            "version": FORMAT_VERSION,
            "entities": self.entities,
            "records": {
                bucket: {m: list(t.values()) for m, t in modules.items()}
                for bucket, modules in self.records.items()
            },
            "next_ids": self.next_ids,
            "blobs": {str(k): v for k, v in self.blobs.items()},
            "user_tokens": self.user_tokens,
        }

    def load_json(self, doc: dict[str, Any], id_fields: dict[str, str]) -> None:
        if doc.get("version") != FORMAT_VERSION:
            raise ValueError("unsupported sandbox data file version")
        self.entities = doc["entities"]
        self.records = {SITE: {}}
        for bucket, modules in doc["records"].items():
            for module, rows in modules.items():
                table = self.table(bucket, module)
                for row in rows:
                    table[int(row[id_fields[module]])] = row
        self.next_ids = dict(doc["next_ids"])
        self.blobs = {int(k): v for k, v in doc["blobs"].items()}
        self.user_tokens = dict(doc.get("user_tokens", {}))

    def save(self, path: Path) -> None:
        text = json.dumps(_tag(self.to_json()), ensure_ascii=False, separators=(",", ":"))
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write-then-rename so a crash mid-save never leaves half a file behind.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @staticmethod
    def read_file(path: Path) -> dict[str, Any]:
        return _untag(json.loads(path.read_text(encoding="utf-8")))


def _tag(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {"$dec": str(value)}
    if isinstance(value, dt.datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, bytes):
        return {"$b64": base64.b64encode(value).decode("ascii")}
    if isinstance(value, dict):
        return {k: _tag(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_tag(v) for v in value]
    return value


def _untag(value: Any) -> Any:
    if isinstance(value, dict):
        if len(value) == 1:
            ((key, inner),) = value.items()
            if key == "$dec":
                return Decimal(inner)
            if key == "$dt":
                return dt.datetime.fromisoformat(inner)
            if key == "$b64":
                return base64.b64decode(inner)
        return {k: _untag(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_untag(v) for v in value]
    return value
