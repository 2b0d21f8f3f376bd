"""Scoro's date and date-time spellings.

Documents, receipts and projects send `YYYY-mm-dd HH:ii:ss` without a zone (site time);
contacts and every `deleted_date` send ISO 8601 with an offset. Naive values stay naive: the
site's zone is unknown, and comparing a module's values with each other needs no zone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

_EMPTY_DATES = {"", "0000-00-00", "0000-00-00 00:00:00"}


def parse_datetime(value: Any) -> dt.datetime | None:
    """Either form, or None for empty values; raises ValueError on anything else."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"not a date-time: {value!r}")
    text = value.strip()
    if text in _EMPTY_DATES:
        return None
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not a date-time: {value!r}") from None


def parse_date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"not a date: {value!r}")
    text = value.strip()
    if text in _EMPTY_DATES:
        return None
    if len(text) > 10:
        parsed = parse_datetime(text)
        return parsed.date() if parsed else None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not a date: {value!r}") from None


def sort_key(value: dt.datetime | None) -> tuple[int, dt.datetime]:
    """Orders naive and aware values together (naive read as UTC); missing values first."""
    if value is None:
        return (0, dt.datetime.min.replace(tzinfo=dt.UTC))
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return (1, value)


def format_watermark(value: dt.datetime) -> str:
    return value.isoformat()
