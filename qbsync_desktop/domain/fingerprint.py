"""Stable hashes of business content, used to tell whether a record changed since a sync."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import unicodedata
from decimal import Decimal
from enum import Enum

from .kinds import Ref
from .money import canonical

# Fields marked with metadata={"fp": False} are bookkeeping (ids, versions, timestamps) and
# never part of a record's business content.
META = {"fp": False}


def normalise_text(value: str) -> str:
    """NFC, whitespace runs collapsed, ends trimmed: edits nobody can see are no change."""
    return " ".join(unicodedata.normalize("NFC", value).split())


def normalise(value: object) -> object:
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, Decimal):
        return {"$d": canonical(value)}
    if isinstance(value, float):
        raise TypeError("float in a record: money must be Decimal")
    if isinstance(value, str):
        return normalise_text(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Ref):
        return [value.kind.value, value.side.value, value.id]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [normalise(v) for v in value]
    if isinstance(value, frozenset | set):
        return sorted(json.dumps(normalise(v), sort_keys=True) for v in value)
    if isinstance(value, dict):
        return {str(k): normalise(v) for k, v in sorted(value.items())}
    if dataclasses.is_dataclass(value):
        return business_content(value)
    raise TypeError(f"cannot fingerprint {type(value).__name__}")


def business_content(record: object) -> dict[str, object]:
    out: dict[str, object] = {}
    for field in dataclasses.fields(record):  # type: ignore[arg-type]
        if field.metadata.get("fp", True) is False:
            continue
        out[field.name] = normalise(getattr(record, field.name))
    return out


def fingerprint(record: object) -> str:
    payload = json.dumps(
        {"type": type(record).__name__, "content": business_content(record)},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
