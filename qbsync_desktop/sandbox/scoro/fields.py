"""Parsing of incoming field values, leniently in the ways the reference says Scoro is lenient.

Numbers arrive as JSON numbers or numeric strings, flags as true/false/1/0/"1"/"0"; both are
accepted. Anything else that is malformed is collected into a list of messages so one 400
reply names every bad field.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

CENT = Decimal("0.01")


class Invalid(Exception):
    pass


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def parse_dec(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise Invalid("must be a number")
    try:
        result = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        raise Invalid("must be a number") from None
    if not result.is_finite():
        raise Invalid("must be a number")
    return result


def parse_int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise Invalid("must be an integer")
    try:
        dec = Decimal(str(value).strip())
    except InvalidOperation:
        raise Invalid("must be an integer") from None
    if not dec.is_finite() or dec != dec.to_integral_value():
        raise Invalid("must be an integer")
    return int(dec)


_TRUE = {"1", "true", "yes"}
_FALSE = {"0", "false", "no", ""}


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, int | Decimal) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise Invalid("must be 1 or 0")


def parse_date(value: Any) -> str | None:
    if value is None or value == "" or value == "0000-00-00":
        return None
    if not isinstance(value, str) or len(value.strip()) != 10:
        raise Invalid("must be a date YYYY-mm-dd")
    try:
        return dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise Invalid("must be a date YYYY-mm-dd") from None


def parse_str(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dict | list):
        raise Invalid("must be text")
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def parse_int_list(value: Any) -> list[int]:
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        value = [value]
    out = []
    for item in value:
        parsed = parse_int(item)
        if parsed is not None:
            out.append(parsed)
    return out


def parse_str_list(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        value = [value]
    return [str(v) for v in value if v not in (None, "")]
