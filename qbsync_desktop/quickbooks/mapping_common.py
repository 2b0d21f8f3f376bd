"""Helpers shared by the QuickBooks mappers: refs, money, dates, bookkeeping fields."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from ..domain import Kind, Ref, Side, to_decimal


@dataclass(frozen=True)
class MappingContext:
    """What a mapper needs to know about the company beyond the object itself."""

    home_currency: str = ""
    multicurrency: bool = False
    # TaxRate Id -> RateValue, to give a TaxCode its percentage.
    tax_rates: Mapping[str, Decimal] = field(default_factory=dict)
    # Whether a Customer id is a project: bill lines name projects through CustomerRef.
    is_project: Callable[[str], bool] | None = None
    # US companies with automated sales tax have no GlobalTaxCalculation.
    send_global_tax: bool = True


class ForeignRef(ValueError):
    """A record headed for QuickBooks still holds a reference to the other side's id."""


def ref_value(obj: Mapping | None, key: str) -> str | None:
    if not obj:
        return None
    raw = obj.get(key)
    if isinstance(raw, Mapping):
        value = raw.get("value")
    else:
        value = raw
    if value is None or value == "":
        return None
    return str(value)


def make_ref(kind: Kind, obj: Mapping | None, key: str) -> Ref | None:
    value = ref_value(obj, key)
    return Ref(kind, Side.QBO, value) if value is not None else None


def ref_out(ref: Ref | None) -> dict | None:
    if ref is None:
        return None
    if ref.side is not Side.QBO:
        raise ForeignRef(f"{ref} has not been translated to a QuickBooks id")
    return {"value": ref.id}


def money(value: object, name: str = "amount", default: Decimal | None = Decimal(0)) -> Decimal:
    if value is None or value == "":
        if default is None:
            raise ValueError(f"{name} is missing")
        return default
    return to_decimal(value, field=name)


def text(obj: Mapping | None, key: str) -> str:
    if not obj:
        return ""
    value = obj.get(key)
    if value is None:
        return ""
    if isinstance(value, Mapping | list):
        raise ValueError(f"{key} is not text")
    return str(value)


def nested_text(obj: Mapping | None, key: str, inner: str) -> str:
    if not obj:
        return ""
    value = obj.get(key)
    return text(value, inner) if isinstance(value, Mapping) else ""


def date_in(value: object) -> dt.date | None:
    if value in (None, ""):
        return None
    return dt.date.fromisoformat(str(value)[:10])


def date_out(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def optional_object(obj: Mapping, key: str) -> Mapping | None:
    """A nested object that may be absent, but is an object when present."""
    value = obj.get(key)
    if value is not None and not isinstance(value, Mapping):
        raise ValueError(f"{key} is not an object")
    return value


def modified(obj: Mapping) -> dt.datetime | None:
    meta = optional_object(obj, "MetaData")
    if meta is None:
        return None
    raw = meta.get("LastUpdatedTime")
    if not raw:
        return None
    if not isinstance(raw, str):
        raise ValueError("MetaData.LastUpdatedTime is not a date and time")
    value = raw
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"MetaData.LastUpdatedTime {raw!r} is not a date and time") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def bookkeeping(obj: Mapping) -> dict:
    obj_id = obj.get("Id")
    if obj_id in (None, ""):
        raise ValueError("no Id")
    return {
        "id": str(obj_id),
        "version": str(obj.get("SyncToken") or ""),
        "modified": modified(obj),
        "deleted": str(obj.get("status") or "") == "Deleted",
    }


def active(obj: Mapping) -> bool:
    """Absent or null means active: QuickBooks omits unset fields, and an object nobody
    deactivated must never read as retired."""
    value = obj.get("Active")
    if value is None:
        return True
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise ValueError(f"Active is {value!r}, not true or false")


def required_text(obj: Mapping, key: str) -> str:
    """A name QuickBooks always holds: a row without it (an Id-only CDC or projection row)
    is not a record we can sync, and must never become one named ""."""
    value = text(obj, key).strip()
    if not value:
        raise ValueError(f"{key} is missing")
    return text(obj, key)


def prune(payload: dict) -> dict:
    """Drop None values: QuickBooks treats a missing field as 'not given'."""
    return {k: v for k, v in payload.items() if v is not None}


ADDRESS_FIELDS = (
    ("street", "Line1"),
    ("city", "City"),
    ("postal_code", "PostalCode"),
    ("region", "CountrySubDivisionCode"),
    ("country", "Country"),
)


ENTITY_KIND = {
    "Invoice": Kind.INVOICE,
    "CreditMemo": Kind.CREDIT_NOTE,
    "Bill": Kind.BILL,
    "Payment": Kind.RECEIPT,
    "BillPayment": Kind.BILL_PAYMENT,
    "Customer": Kind.CUSTOMER,
    "Vendor": Kind.VENDOR,
    "Item": Kind.PRODUCT,
}


# The content hash rides in the note so a re-upload can be recognised later.
SHA_PREFIX = "qbsync sha256:"


ZERO = Decimal(0)


TXN_KIND = {"Invoice": Kind.INVOICE, "CreditMemo": Kind.CREDIT_NOTE, "Bill": Kind.BILL}
