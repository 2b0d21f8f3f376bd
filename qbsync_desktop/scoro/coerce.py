"""Lenient readers for Scoro's loosely typed JSON.

Numbers come as JSON numbers or numeric strings, flags as true/false/1/0/"1"/"0". Each reader
raises ValueError (or TypeError) on a value it cannot accept; the mapper turns that into a
MalformedRecord for the one record.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..domain.money import to_decimal

# Beyond this an amount is a corrupt value, and a huge exponent would make fingerprints and
# arithmetic needlessly expensive.
MAX_AMOUNT = Decimal("1e15")
_TRUE = {"1", "true", "yes"}
_FALSE = {"0", "false", "no", ""}


def money(value: Any, field: str, default: Decimal | None = Decimal(0)) -> Decimal:
    if value is None or (isinstance(value, str) and not value.strip()):
        if default is None:
            raise ValueError(f"{field}: missing")
        return default
    result = to_decimal(value, field=field)
    if abs(result) >= MAX_AMOUNT or result.as_tuple().exponent < -12:  # type: ignore[operator]
        raise ValueError(f"{field}: {value!r} is out of range")
    return result


def optional_money(value: Any, field: str) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return money(value, field)


def flag(value: Any, field: str, default: bool = False) -> bool:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, int | Decimal) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE:
        return True
    if isinstance(value, str) and value.strip().lower() in _FALSE:
        return False
    raise ValueError(f"{field}: {value!r} is not a flag")


def text(value: Any, field: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise ValueError(f"{field}: {value!r} is not text")
    if isinstance(value, int | Decimal):
        return str(value)
    raise ValueError(f"{field}: {type(value).__name__} is not text")


def ident(value: Any, field: str) -> str | None:
    """An object id as text; None for the "no object" spellings (null, "", 0, -1)."""
    if value is None or isinstance(value, bool):
        if isinstance(value, bool):
            raise ValueError(f"{field}: {value!r} is not an id")
        return None
    if isinstance(value, int | Decimal):
        if value != int(value):
            raise ValueError(f"{field}: {value!r} is not an id")
        number = int(value)
        return None if number <= 0 else str(number)
    if isinstance(value, str):
        stripped = value.strip()
        if stripped in ("", "0", "-1"):
            return None
        if len(stripped) > 64:
            raise ValueError(f"{field}: id too long")
        return stripped
    raise ValueError(f"{field}: {type(value).__name__} is not an id")


def first_text(value: Any, field: str) -> str:
    """The first entry of a `means_of_contact` value (a list, or a bare string)."""
    if isinstance(value, list):
        for item in value:
            if isinstance(item, dict):
                item = item.get("value")
            found = text(item, field).strip()
            if found:
                return found
        return ""
    return text(value, field).strip()


def int_list(value: Any, field: str) -> list[str]:
    if value is None or value == "":
        return []
    if not isinstance(value, list):
        value = [value]
    out = []
    for item in value:
        found = ident(item, field)
        if found is not None:
            out.append(found)
    return out
