"""Money is Decimal, always. These helpers refuse floats so one cannot slip in."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


class MoneyError(ValueError):
    """A value that should have been an amount was not one."""


def to_decimal(value: object, *, field: str = "amount") -> Decimal:
    """Accept Decimal, int or a numeric string (Scoro sends both numbers and strings)."""
    if isinstance(value, bool) or isinstance(value, float):
        raise MoneyError(f"{field}: {type(value).__name__} is not accepted for money")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        text = value.strip().replace(" ", "")
        if not text:
            raise MoneyError(f"{field}: empty")
        try:
            result = Decimal(text)
        except InvalidOperation:
            raise MoneyError(f"{field}: {value!r} is not a number") from None
    else:
        raise MoneyError(f"{field}: {type(value).__name__} is not a number")
    if not result.is_finite():
        raise MoneyError(f"{field}: {value!r} is not a finite number")
    return result


def round_money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def canonical(value: Decimal) -> str:
    """One text per numeric value: 10, 10.0 and 10.00 all give "10"; -0 gives "0"."""
    if value.is_zero():
        return "0"
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
