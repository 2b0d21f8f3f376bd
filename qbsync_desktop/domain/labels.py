"""How the bookkeeper knows a record in a message or a list: its number or name, shortened when
long, never an internal id alone."""

from __future__ import annotations

import re

from .kinds import Kind

# C0 controls but tab, line feed and carriage return, and DEL.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LABEL_MAX = 80
_DOCUMENTS = frozenset({Kind.INVOICE, Kind.CREDIT_NOTE, Kind.BILL})


def short(text: str, limit: int = LABEL_MAX) -> str:
    """A name as a list or a message shows it: whole when short, else cut with an ellipsis."""
    clean = CONTROL.sub("", text)
    return clean if len(clean) <= limit else clean[: limit - 1].rstrip() + "…"


def label(kind: Kind, rec: object | None, fallback: str = "") -> str:
    if rec is None:
        return f"{kind.label} {fallback}".strip()
    for attr in ("number", "name", "file_name"):
        value = getattr(rec, attr, "")
        if value:
            return f"{kind.label} {short(str(value))}"
    if kind in _DOCUMENTS:
        return f"{kind.label} without a number (id {getattr(rec, 'id', '')})"
    return f"{kind.label} {getattr(rec, 'id', '')}".strip()
