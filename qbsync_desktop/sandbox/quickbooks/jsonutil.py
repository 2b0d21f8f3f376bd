"""JSON in and out with money kept exact.

QuickBooks sends and receives amounts as JSON numbers. Parsing them as float would lose cents
(0.1 + 0.2), so bodies are parsed with ``parse_float=Decimal`` and Decimals are written back as
number text, never as strings and never through float.

The sandbox keeps its own codec on purpose (not the app's jsonio): it imitates QuickBooks, and a
bug shared with the client would hide itself.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

_str = json.encoder.encode_basestring_ascii  # type: ignore[attr-defined]


def loads(text: str | bytes) -> Any:
    return json.loads(text, parse_float=Decimal)


def dumps(value: Any) -> str:
    parts: list[str] = []
    _write(value, parts)
    return "".join(parts)


def _write(value: Any, out: list[str]) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        out.append(_str(value))
    elif isinstance(value, Decimal):
        out.append(decimal_text(value))
    elif isinstance(value, int):
        out.append(str(value))
    elif isinstance(value, float):
        out.append(json.dumps(value))
    elif isinstance(value, dict):
        out.append("{")
        first = True
        for key, item in value.items():
            if not first:
                out.append(",")
            first = False
            out.append(_str(str(key)))
            out.append(":")
            _write(item, out)
        out.append("}")
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _write(item, out)
        out.append("]")
    elif isinstance(value, (dt.datetime, dt.date)):
        out.append(_str(value.isoformat()))
    else:
        raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def decimal_text(value: Decimal) -> str:
    if not value.is_finite():
        raise ValueError("non-finite amount")
    text = format(value, "f")
    # "-0" and "-0.00" are legal JSON but surprise clients comparing text.
    if value == 0 and text.startswith("-"):
        text = text[1:]
    return text


def to_decimal(value: Any) -> Decimal | None:
    """Interpret a JSON number (or numeric string, which QBO also tolerates) as Decimal."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (int, str)):
        try:
            return Decimal(str(value).strip())
        except ArithmeticError:
            return None
    if isinstance(value, float):
        return Decimal(repr(value))
    return None
