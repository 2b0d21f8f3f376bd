"""JSON in and out, the Scoro response envelope and the error type every layer raises.

Money stays Decimal from the wire to the wire: requests are parsed with ``parse_float=Decimal``
and responses are written by a small serializer that emits a Decimal as a JSON number with its
exact digits (the standard encoder would go through float).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from .settings import Behaviour


class ScoroError(Exception):
    """An API error: becomes an ERROR envelope (and maybe an HTTP 4xx, see Behaviour)."""

    def __init__(self, status_code: int, messages: str | list[str], *, transport: str = "") -> None:
        self.status_code = status_code
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        # "http" errors always use the real HTTP status (auth, routing, rate limits);
        # "envelope" errors are the ones the "mixed" transport sends with HTTP 200.
        self.transport = transport or ("envelope" if status_code in (400, 404) else "http")
        super().__init__(f"{status_code}: {'; '.join(self.messages)}")


def loads(raw: bytes) -> Any:
    return json.loads(raw.decode("utf-8"), parse_float=Decimal)


def _write(value: Any, out: list[str]) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        out.append(json.dumps(value, ensure_ascii=False))
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"non-finite Decimal {value!r}")
        out.append(format(value, "f"))
    elif isinstance(value, int | float):
        out.append(json.dumps(value))
    elif isinstance(value, dict):
        out.append("{")
        for i, (key, item) in enumerate(value.items()):
            if i:
                out.append(",")
            out.append(json.dumps(str(key), ensure_ascii=False))
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
        out.append(json.dumps(value.isoformat()))
    else:
        raise TypeError(f"cannot serialize {type(value).__name__}")


def dumps(value: Any) -> bytes:
    # Its own codec on purpose, not the app's jsonio: a bug shared with the client would hide.
    out: list[str] = []
    _write(value, out)
    return "".join(out).encode("utf-8")


def _code(code: int, behaviour: Behaviour, *, bare: bool) -> int | str:
    style = behaviour.status_code_style
    if style == "str" or (style == "mixed" and bare):
        return str(code)
    return code


def ok(data: Any, behaviour: Behaviour, *, with_data: bool = True) -> dict[str, Any]:
    """The OK envelope; delete-like actions have no ``data`` key."""
    if not with_data:
        return {"status": "OK", "statusCode": _code(200, behaviour, bare=True), "messages": None}
    return {
        "status": "OK",
        "statusCode": _code(200, behaviour, bare=False),
        "messages": None,
        "data": data,
    }


def error_body(err: ScoroError, behaviour: Behaviour) -> dict[str, Any]:
    return {
        "status": "ERROR",
        "statusCode": _code(err.status_code, behaviour, bare=True),
        "messages": {"error": err.messages},
    }


def http_status_for(err: ScoroError, behaviour: Behaviour) -> int:
    mode = behaviour.error_transport
    if mode == "http":
        return err.status_code
    if mode == "envelope":
        return 200
    return 200 if err.transport == "envelope" else err.status_code
