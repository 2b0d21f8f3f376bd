"""Rows by the value of one field, for the sandboxes' per-write checks.

Both sandboxes check something against every row of a table on each write (a document
number already used, a customer's balance); walking the table made a bulk push O(N^2).
An index is a superset, checked against the row on every lookup, and is rebuilt when the
table's row count no longer matches what it has seen (rows that came or went some other way).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def index_key(value: Any) -> str | None:
    """A reference ``{"value": "12"}`` and a plain ``12`` or ``"12"`` all index as ``"12"``."""
    if isinstance(value, dict):
        value = value.get("value")
    return None if value is None else str(value)


@dataclass
class _Index:
    rows: int
    ids: dict[str | None, set[Any]] = field(default_factory=dict)


class FieldIndexes:
    def __init__(self) -> None:
        self._indexes: dict[tuple[Any, ...], _Index] = {}

    def rows_where(self, key: tuple[Any, ...], table: dict, field_name: str, value: str) -> list:
        """Rows of `table` (known as `key`) whose `field_name` is, or refers to, `value`."""
        index = self._indexes.get((*key, field_name))
        if index is None or index.rows != len(table):
            index = _Index(rows=len(table))
            for row_id, row in table.items():
                index.ids.setdefault(index_key(row.get(field_name)), set()).add(row_id)
            self._indexes[(*key, field_name)] = index
        found = []
        for row_id in sorted(index.ids.get(value, ()), key=lambda i: (len(str(i)), str(i))):
            row = table.get(row_id)
            if row is not None and index_key(row.get(field_name)) == value:
                found.append(row)
        return found

    def stored(self, key: tuple[Any, ...], row_id: Any, row: dict, *, created: bool) -> None:
        """`row` was just stored under `row_id` in the table known as `key`."""
        for (*table_key, field_name), index in self._indexes.items():
            if tuple(table_key) != key:
                continue
            index.ids.setdefault(index_key(row.get(field_name)), set()).add(row_id)
            if created:
                index.rows += 1
