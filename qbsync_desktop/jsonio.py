"""JSON with exact money, for both connectors: numbers parse to Decimal, Decimals are written
with their exact digits, and a float is refused (it would already have lost a cent somewhere).
The sandboxes keep their own codecs on purpose: they imitate the services, not share our code."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

_encode_str = json.encoder.encode_basestring_ascii  # type: ignore[attr-defined]


def loads(text: str | bytes) -> Any:
    return json.loads(text, parse_float=Decimal)


def dumps(value: Any) -> str:
    out: list[str] = []
    _write(value, out)
    return "".join(out)


def _write(value: Any, out: list[str]) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        out.append(_encode_str(value))
    elif isinstance(value, Decimal):
        out.append(decimal_text(value))
    elif isinstance(value, int):
        out.append(str(value))
    elif isinstance(value, float):
        raise TypeError("float in a payload: money must be Decimal")
    elif isinstance(value, dict):
        out.append("{")
        for i, (key, item) in enumerate(value.items()):
            if i:
                out.append(",")
            out.append(_encode_str(str(key)))
            out.append(":")
            _write(item, out)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _write(item, out)
        out.append("]")
    elif isinstance(value, dt.datetime | dt.date):
        out.append(_encode_str(value.isoformat()))
    else:
        raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def decimal_text(value: Decimal) -> str:
    if not value.is_finite():
        raise ValueError("non-finite amount")
    text = format(value, "f")
    if value == 0:
        text = text.lstrip("-")
    return text
