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

from ..field_index import FieldIndexes

REQUESTID_CACHE_SIZE = 20_000


@dataclass
class CachedResponse:
    status: int
    body: bytes
    content_type: str


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
    # Balances are recomputed and document numbers checked on every write to a document.
    indexes: FieldIndexes = field(default_factory=FieldIndexes, repr=False, compare=False)

    def rows_where(self, entity: str, field_name: str, value: str) -> list[dict]:
        return self.indexes.rows_where((entity,), self.table(entity), field_name, value)

    def note_write(self, entity: str, obj: dict, *, created: bool) -> None:
        self.indexes.stored((entity,), str(obj["Id"]), obj, created=created)

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
