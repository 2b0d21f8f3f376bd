"""What a request body may hold, and binding its values to the types of the v3 XSD."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from . import errors as E
from .context import Ctx
from .jsonutil import to_decimal
from .specs import BASE_FIELDS, Spec


def check_fields(ctx: Ctx, spec: Spec, body: dict) -> None:
    if not ctx.settings.reject_unknown_fields or ctx.as_user:
        return
    for key in body:
        if key not in spec.fields and key not in BASE_FIELDS:
            raise E.invalid_property(key, spec.name)


# Field types from the v3 XSD, by element name wherever the element appears.
_DATE_KEYS = frozenset({
    "TxnDate", "DueDate", "ShipDate", "ServiceDate", "InvStartDate", "HiredDate",
    "ReleasedDate", "BirthDate", "OpenBalanceDate",
})  # fmt: skip
_BOOL_KEYS = frozenset({
    "Active", "Taxable", "Job", "BillWithParent", "IsProject", "ApplyTaxAfterDiscount",
    "AllowOnlinePayment", "AllowOnlineCreditCardPayment", "AllowOnlineACHPayment",
    "AllowIPNPayment", "TrackQtyOnHand", "SubItem", "SubAccount", "SubClass", "Vendor1099",
    "PercentBased", "TaxGroup", "Hidden", "SalesTaxIncluded", "PurchaseTaxIncluded",
    "IncludeOnSend", "BillableTime", "ProcessPayment", "ProcessBillPayment", "sparse",
})  # fmt: skip
_NUMBER_KEYS = frozenset({
    "Amount", "Qty", "UnitPrice", "TotalAmt", "HomeTotalAmt", "ExchangeRate", "QtyOnHand",
    "PurchaseCost", "RateValue", "DiscountPercent", "TaxPercent", "NetAmountTaxable",
    "TotalTax", "DiscountRate", "DiscountAmt", "TaxInclusiveAmt", "TaxAmount", "Quantity",
    "Deposit", "DueDays", "DiscountDays", "DayOfMonthDue", "DueNextMonthDays",
    "DiscountDayOfMonth", "UnappliedAmt", "BillRate", "CostRate", "ReorderPoint",
    "OverrideDeltaAmount", "MarkupPercent",
})  # fmt: skip
_DATE_RE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:Z|[+-]\d{2}:\d{2})?")
_JAVA_TYPE = {"date": "java.util.Date", "bool": "boolean", "number": "java.math.BigDecimal"}


def _type_fault(path: str, value: Any, kind: str) -> E.QuickBooksError:
    # QBO's JSON binding rejects the whole request with the field that failed to parse.
    return E.QuickBooksError(
        "2010",
        "Request has invalid or unsupported property",
        f"Property Name:Can not deserialize value of type {_JAVA_TYPE[kind]} from "
        f'"{value}": not a valid representation specified value :{value}',
        path,
    )


def _coerce_one(ctx: Ctx, kind: str, value: Any, path: str) -> Any:
    """The typed value, or _BLANK to drop the field; raises on a value of the wrong type."""
    if value == "" and not isinstance(value, bool):
        if ctx.settings.blank_typed_values == "ignore":
            return _BLANK
        raise _type_fault(path, value, kind)
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if value in ("true", "false"):
            return value == "true"
        raise _type_fault(path, value, kind)
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
            raise _type_fault(path, value, kind)
        number = to_decimal(value)
        if number is None or not number.is_finite():
            raise _type_fault(path, value, kind)
        return number
    match = _DATE_RE.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise _type_fault(path, value, kind)
    try:
        dt.date.fromisoformat(match.group(1))
    except ValueError:
        raise _type_fault(path, value, kind) from None
    return match.group(1)


_BLANK = object()


def coerce_types(ctx: Ctx, node: Any, path: str = "") -> None:
    """Bind a request body to the XSD types in place: typed values, numbers as Decimal."""
    if isinstance(node, list):
        for item in node:
            coerce_types(ctx, item, path)
        return
    if not isinstance(node, dict):
        return
    for key in list(node):
        value = node[key]
        where = f"{path}.{key}" if path else key
        kind = (
            "date" if key in _DATE_KEYS
            else "bool" if key in _BOOL_KEYS
            else "number" if key in _NUMBER_KEYS
            else None
        )  # fmt: skip
        if kind is not None and value is not None and not isinstance(value, (dict, list)):
            typed = _coerce_one(ctx, kind, value, where)
            if typed is _BLANK:
                del node[key]
            else:
                node[key] = typed
        elif isinstance(value, (dict, list)):
            coerce_types(ctx, value, where)
