"""In-memory company data, one ``Realm`` per QuickBooks company, with an optional SQLite snapshot.

Persistence is deliberately simple: the whole state is pickled into one row of a stdlib sqlite3
table after each write, which is plenty for demo-sized companies surviving a restart.
"""

from __future__ import annotations

import pickle
import sqlite3
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REQUESTID_CACHE_SIZE = 20_000


@dataclass
class CachedResponse:
    status: int
    body: bytes
    content_type: str


def _ref_id(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("value")
    return None if value is None else str(value)


@dataclass
class FieldIndex:
    """Which rows hold which value in one field: a superset, checked on every read."""

    rows: int
    ids: dict[str | None, set[str]]


@dataclass
class Realm:
    realm_id: str
    name: str
    home_currency: str
    multicurrency: bool
    country: str
    class_tracking: str = "off"
    objects: dict[str, dict[str, dict]] = field(default_factory=dict)
    deleted: dict[str, dict[str, dict]] = field(default_factory=dict)
    files: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    requestids: OrderedDict[str, CachedResponse] = field(default_factory=OrderedDict)
    next_id: int = 1
    # Balances are recomputed and document numbers checked on every write to a document;
    # walking every document of the company each time made a bulk push O(documents^2).
    field_index: dict[tuple[str, str], FieldIndex] = field(
        default_factory=dict, repr=False, compare=False
    )

    def rows_where(self, entity: str, field_name: str, value: str) -> list[dict]:
        """The `entity` rows whose `field_name` is (or refers to) `value`."""
        table = self.table(entity)
        index = self.field_index.get((entity, field_name))
        if index is None or index.rows != len(table):
            # Rows came or went some other way (seed, restore, delete): index afresh.
            index = FieldIndex(rows=len(table), ids={})
            for obj_id, obj in table.items():
                index.ids.setdefault(_ref_id(obj.get(field_name)), set()).add(obj_id)
            self.field_index[(entity, field_name)] = index
        found = []
        for obj_id in sorted(index.ids.get(value, ()), key=lambda i: (len(i), i)):
            obj = table.get(obj_id)
            if obj is not None and _ref_id(obj.get(field_name)) == value:
                found.append(obj)
        return found

    def note_write(self, entity: str, obj: dict, *, created: bool) -> None:
        """Keep the field indexes current after `obj` was stored."""
        for (name, ref_field), index in self.field_index.items():
            if name != entity:
                continue
            index.ids.setdefault(_ref_id(obj.get(ref_field)), set()).add(str(obj["Id"]))
            if created:
                index.rows += 1

    def table(self, entity: str) -> dict[str, dict]:
        return self.objects.setdefault(entity, {})

    def new_id(self) -> str:
        value = self.next_id
        self.next_id += 1
        return str(value)

    def get(self, entity: str, obj_id: str) -> dict | None:
        return self.objects.get(entity, {}).get(str(obj_id))

    def remember(self, requestid: str, response: CachedResponse) -> None:
        self.requestids[requestid] = response
        while len(self.requestids) > REQUESTID_CACHE_SIZE:
            self.requestids.popitem(last=False)

    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in sorted(self.objects.items()) if rows}

    @property
    def us(self) -> bool:
        return self.country == "US"


class Snapshot:
    """One pickled blob per key in a sqlite3 table."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._lock = threading.Lock()
        with self._connect() as db:
            db.execute("CREATE TABLE IF NOT EXISTS snapshot (key TEXT PRIMARY KEY, value BLOB)")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)

    def load(self, key: str) -> Any | None:
        with self._lock, self._connect() as db:
            row = db.execute("SELECT value FROM snapshot WHERE key = ?", (key,)).fetchone()
        # The file is written only by this sandbox for its own demo data.
        return pickle.loads(row[0]) if row else None  # noqa: S301

    def save(self, key: str, value: Any) -> None:
        blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        with self._lock, self._connect() as db:
            db.execute("INSERT OR REPLACE INTO snapshot (key, value) VALUES (?, ?)", (key, blob))
