"""Records back from their snapshots (`RecordBase.snapshot()`), the merge base kept with a link.

The engine needs the source record as it was at the last sync to tell which target fields the
bookkeeper's edit touched: a field derived from several source fields (a vendor's name follows
the contact's client and supplier flags) changes when any of them does.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from decimal import Decimal
from functools import cache
from typing import Any

from .kinds import Kind, Ref, Side


class SnapshotError(ValueError):
    """The snapshot does not fit the record type (written by another version)."""


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _decode(value: Any, hint: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [h for h in typing.get_args(hint) if h is not type(None)]
        return _decode(value, options[0]) if len(options) == 1 else value
    if origin is tuple:
        inner = typing.get_args(hint)[0]
        return tuple(_decode(item, inner) for item in value)
    if hint is Decimal:
        return Decimal(value["$d"]) if isinstance(value, dict) else Decimal(str(value))
    if hint is Ref:
        kind, side, ref_id = value
        return Ref(Kind(kind), Side(side), ref_id)
    if hint is dt.datetime:
        return dt.datetime.fromisoformat(value)
    if hint is dt.date:
        return dt.date.fromisoformat(value)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return restore(hint, value)
    return value


def restore(cls: type, data: dict) -> Any:
    """An instance of `cls` from its snapshot; fields the snapshot lacks keep their defaults."""
    if not isinstance(data, dict):
        raise SnapshotError(f"not a {cls.__name__} snapshot")
    hints = _hints(cls)
    values = {}
    try:
        for f in dataclasses.fields(cls):
            if f.name in data:
                values[f.name] = _decode(data[f.name], hints[f.name])
        return cls(**values)
    except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
        raise SnapshotError(f"{cls.__name__} snapshot: {exc}") from None
