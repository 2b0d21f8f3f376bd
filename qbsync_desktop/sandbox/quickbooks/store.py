"""In-memory company data, one ``Realm`` per QuickBooks company, with an optional SQLite snapshot.

Persistence is deliberately simple: the whole state is written as one row of tagged JSON in a
stdlib sqlite3 table after each write, which is plenty for demo-sized companies surviving a
restart. JSON, not pickle: loading a file must never run code, and the file (0600, in a 0700
folder) holds the sandbox's tokens. Decimal, datetimes, bytes, tuples and the sandbox's own
dataclasses round-trip exactly; anything else is refused when saving.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import datetime as dt
import json
import logging
import os
import sqlite3
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal
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


log = logging.getLogger(__name__)

_TYPE = "$t"  # the tag key; a plain dict that uses it is itself tagged, so nothing collides


def _dataclass_types() -> dict[str, type]:
    from . import oauth

    types: tuple[type, ...] = (Realm, CachedResponse, oauth.Client, oauth.Grant, oauth.AuthCode)
    types += (oauth.AccessToken, oauth.OAuthState)
    return {t.__name__: t for t in types}


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return {_TYPE: "float", "v": repr(value)}  # NaN and infinities too
    if isinstance(value, Decimal):
        return {_TYPE: "dec", "v": str(value)}
    if isinstance(value, dt.datetime):
        return {_TYPE: "dt", "v": value.isoformat()}
    if isinstance(value, dt.date):
        return {_TYPE: "date", "v": value.isoformat()}
    if isinstance(value, bytes):
        return {_TYPE: "b64", "v": base64.b64encode(value).decode("ascii")}
    if isinstance(value, tuple):
        return {_TYPE: "tuple", "v": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, set | frozenset):
        return {_TYPE: "set", "v": [_encode(v) for v in value]}
    if isinstance(value, OrderedDict):
        return {_TYPE: "odict", "v": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value) and _TYPE not in value:
            return {k: _encode(v) for k, v in value.items()}
        return {_TYPE: "dict", "v": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if dataclasses.is_dataclass(value) and type(value).__name__ in _dataclass_types():
        fields = {
            f.name: _encode(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.compare  # derived state (Realm.indexes) is rebuilt on demand
        }
        return {_TYPE: "obj", "cls": type(value).__name__, "v": fields}
    raise TypeError(f"the sandbox snapshot cannot store a {type(value).__name__}")


def _decode(value: Any, types: dict[str, type]) -> Any:
    if isinstance(value, list):
        return [_decode(v, types) for v in value]
    if not isinstance(value, dict):
        return value
    tag = value.get(_TYPE)
    if tag is None:
        return {k: _decode(v, types) for k, v in value.items()}
    inner = value["v"]
    if tag == "float":
        return float(inner)
    if tag == "dec":
        return Decimal(inner)
    if tag == "dt":
        return dt.datetime.fromisoformat(inner)
    if tag == "date":
        return dt.date.fromisoformat(inner)
    if tag == "b64":
        return base64.b64decode(inner)
    if tag == "tuple":
        return tuple(_decode(v, types) for v in inner)
    if tag == "set":
        return {_decode(v, types) for v in inner}
    if tag == "odict":
        return OrderedDict((_decode(k, types), _decode(v, types)) for k, v in inner)
    if tag == "dict":
        return {_decode(k, types): _decode(v, types) for k, v in inner}
    if tag == "obj":
        cls = types[value["cls"]]  # KeyError: a class this sandbox does not store
        return cls(**{k: _decode(v, types) for k, v in inner.items()})
    raise ValueError(f"unknown tag {tag!r} in the sandbox snapshot")


def dumps(value: Any) -> str:
    return json.dumps(_encode(value), ensure_ascii=False, separators=(",", ":"))


def loads(text: str) -> Any:
    return _decode(json.loads(text), _dataclass_types())


class Snapshot:
    """One row of tagged JSON per key in a sqlite3 table; the file is 0600 in a 0700 folder."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._lock = threading.Lock()
        folder = Path(self.path).parent
        if not folder.is_dir():
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Created 0600 before SQLite opens it (its journal files take the same mode).
        os.close(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))
        os.chmod(self.path, 0o600)
        with contextlib.closing(self._connect()) as db, db:
            db.execute("CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT)")
            # Snapshots of older versions were pickles: never loaded, dropped (the sandbox
            # seeds itself afresh).
            if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'snapshot'").fetchone():
                log.warning("dropping an old pickled sandbox snapshot in %s", self.path)
                db.execute("DROP TABLE snapshot")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)

    def load(self, key: str) -> Any | None:
        with self._lock, contextlib.closing(self._connect()) as db:
            row = db.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return loads(row[0]) if row else None

    def save(self, key: str, value: Any) -> None:
        text = dumps(value)
        with self._lock, contextlib.closing(self._connect()) as db, db:
            db.execute("INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)", (key, text))
