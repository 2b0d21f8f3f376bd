"""Entity writes and the business rules QBO applies to them.

Everything here runs under the sandbox lock with a ``Ctx`` describing the realm, the clock and,
for batch items, which objects the item may see. Stored objects keep Decimals for money and
private ``_``-prefixed bookkeeping keys that never leave the server.
"""

from __future__ import annotations

import calendar
import copy
import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from . import errors as E
from .clock import PACIFIC, qbo_datetime
from .jsonutil import to_decimal
from .settings import Settings
from .specs import (
    BASE_FIELDS,
    CLASSIFICATION,
    DEFAULT_SUBTYPE,
    NAME_ENTITIES_SHARING_DISPLAYNAME,
    REF_TARGETS,
    SPECS,
    SUBTYPE_TYPE,
    TXN_TYPE_LABEL,
    Spec,
)
from .store import Realm

CENT = Decimal("0.01")
ZERO = Decimal("0")
DOCNUMBER_MAX = 21
_TO_EUR = {
    "EUR": Decimal("1"),
    "USD": Decimal("0.92"),
    "GBP": Decimal("1.17"),
    "SEK": Decimal("0.087"),
    "NOK": Decimal("0.085"),
    "DKK": Decimal("0.134"),
    "CAD": Decimal("0.66"),
    "AUD": Decimal("0.60"),
}
_NAME_PARTS = ("Title", "GivenName", "MiddleName", "FamilyName", "Suffix")
_SERVER_OWNED = frozenset(
    {
        "Id", "SyncToken", "MetaData", "domain", "sparse", "status", "FullyQualifiedName",
        "Level", "Balance", "BalanceWithJobs", "HomeBalance", "CurrentBalance",
        "CurrentBalanceWithSubAccounts", "RemainingCredit",
    }
)  # fmt: skip


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Ctx:
    realm: Realm
    settings: Settings
    now: dt.datetime
    visible: dict[str, set[str]] | None = None
    as_user: bool = False
    allow_duplicate_docnum: bool = False
    base_url: str = ""

    def lookup(self, entity: str, obj_id: Any) -> dict | None:
        key = str(obj_id)
        obj = self.realm.get(entity, key)
        if obj is None:
            return None
        if self.visible is not None and key not in self.visible.get(entity, set()):
            return None
        return obj

    def today(self) -> str:
        return self.now.astimezone(PACIFIC).date().isoformat()


# The US pseudo tax codes TAX and NON are not real list entities: QBO shows them without
# SyncToken, domain, sparse or Active.
_PSEUDO_HIDDEN = ("SyncToken", "domain", "sparse", "Active")


def public(obj: dict) -> dict:
    """A deep copy without the private bookkeeping keys."""
    out = {k: copy.deepcopy(v) for k, v in obj.items() if not k.startswith("_")}
    if obj.get("_pseudo"):
        for key in _PSEUDO_HIDDEN:
            out.pop(key, None)
    return out


def exchange_rate(foreign: str, home: str) -> Decimal:
    if foreign == home:
        return Decimal("1")
    a, b = _TO_EUR.get(foreign), _TO_EUR.get(home)
    if a is None or b is None:
        return Decimal("1")
    return (a / b).quantize(Decimal("0.000001"))


# --------------------------------------------------------------------------- reads


def read(ctx: Ctx, entity: str, obj_id: str) -> dict:
    obj = ctx.lookup(entity, obj_id)
    if obj is None:
        raise E.not_found(entity, obj_id)
    return obj


# --------------------------------------------------------------------------- writes


def save(ctx: Ctx, spec: Spec, body: Any) -> dict:
    """POST /{resource}: create without Id, update (full or sparse) with it."""
    if not isinstance(body, dict):
        raise E.QBOError("2010", "Request has invalid or unsupported property", "Invalid body")
    _check_fields(ctx, spec, body)
    coerce_types(ctx, body)
    if spec.kind == "singleton":
        raise E.unsupported(f"Operation Create/Update on {spec.name} is not supported.")
    if spec.name in ("TaxCode", "TaxRate") and ctx.settings.tax_readonly and not ctx.as_user:
        raise E.unsupported(
            f"Operation {spec.name} create/update is not supported. Use the TaxService endpoint."
        )
    if body.get("Id") not in (None, ""):
        return _update(ctx, spec, body)
    return _create(ctx, spec, body)


def _check_fields(ctx: Ctx, spec: Spec, body: dict) -> None:
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


def _type_fault(path: str, value: Any, kind: str) -> E.QBOError:
    # QBO's JSON binding rejects the whole request with the field that failed to parse.
    return E.QBOError(
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


def _create(ctx: Ctx, spec: Spec, body: dict) -> dict:
    obj = {k: copy.deepcopy(v) for k, v in body.items() if k not in _SERVER_OWNED}
    if spec.name == "Customer" and ctx.as_user and body.get("IsProject"):
        obj["IsProject"] = True
    elif spec.name == "Customer":
        # Observed: IsProject sent through v3 is always stored as false (.NET SDK #197).
        obj["IsProject"] = False
    obj = _normalise(ctx, spec, obj, None)
    obj_id = ctx.realm.new_id()
    stamp = qbo_datetime(ctx.now)
    obj.update(
        {
            "domain": "QBO",
            "sparse": False,
            "Id": obj_id,
            "SyncToken": "0",
            "MetaData": {"CreateTime": stamp, "LastUpdatedTime": stamp},
            "_ts": ctx.now,
        }
    )
    ctx.realm.table(spec.name)[obj_id] = obj
    ctx.realm.note_write(spec.name, obj, created=True)
    _after_write(ctx, spec, obj, None)
    return obj


def _check_token(existing: dict, body: dict, entity: str) -> None:
    token = body.get("SyncToken")
    if token is None or token == "":
        raise E.required("SyncToken")
    if str(token) != existing["SyncToken"]:
        raise E.stale(entity)


def _update(ctx: Ctx, spec: Spec, body: dict) -> dict:
    obj_id = str(body["Id"])
    existing = ctx.lookup(spec.name, obj_id)
    if existing is None:
        raise E.not_found(spec.name, obj_id)
    if ctx.as_user:
        if (
            body.get("SyncToken") not in (None, "")
            and str(body["SyncToken"]) != existing["SyncToken"]
        ):
            raise E.stale(spec.name)
    else:
        _check_token(existing, body, spec.name)
    if existing.get("_voided"):
        raise E.business("You can't edit a voided transaction.")
    if (
        spec.name == "Customer"
        and existing.get("IsProject")
        and ctx.settings.projects_readonly
        and not ctx.as_user
    ):
        raise E.business(
            "Projects can't be changed with this operation. Use the Projects API.", "IsProject"
        )
    sparse = body.get("sparse") in (True, "true") or ctx.as_user
    incoming = {k: copy.deepcopy(v) for k, v in body.items() if k not in _SERVER_OWNED}
    if sparse:
        if "DisplayName" in incoming and not str(incoming["DisplayName"] or "").strip():
            raise E.QBOError(
                "2020",
                "Required param missing, need to supply the required value for the API",
                "DisplayName cannot be removed with sparse update",
                "DisplayName",
            )
        obj = {k: copy.deepcopy(v) for k, v in existing.items() if not k.startswith("_")}
        obj.update(incoming)
        if "Line" in incoming and "TxnTaxDetail" not in incoming and not ctx.realm.us:
            # New lines with the old computed tax would read as a tax override.
            obj.pop("TxnTaxDetail", None)
    else:
        obj = incoming
        # Full update clears what is omitted, except what can never be unset.
        keep = ["CurrencyRef"] + (["DocNumber", "TxnDate"] if spec.kind == "txn" else [])
        for key in keep:
            if key not in obj and key in existing:
                obj[key] = copy.deepcopy(existing[key])
    if spec.name == "Customer":
        obj["IsProject"] = bool(existing.get("IsProject")) or (
            ctx.as_user and bool(body.get("IsProject"))
        )
    for key in _SERVER_OWNED:
        obj.pop(key, None)
    obj = _normalise(ctx, spec, obj, existing)
    return _replace(ctx, spec, existing, obj)


def _replace(ctx: Ctx, spec: Spec, existing: dict, obj: dict) -> dict:
    before = dict(existing)
    obj.update(
        {
            "domain": "QBO",
            "sparse": False,
            "Id": existing["Id"],
            "SyncToken": str(int(existing["SyncToken"]) + 1),
            "MetaData": {
                "CreateTime": existing["MetaData"]["CreateTime"],
                "LastUpdatedTime": qbo_datetime(ctx.now),
            },
            "_ts": ctx.now,
        }
    )
    for key, value in existing.items():
        if key.startswith("_") and key != "_ts":
            obj.setdefault(key, value)
    ctx.realm.table(spec.name)[existing["Id"]] = obj
    ctx.realm.note_write(spec.name, obj, created=False)
    _after_write(ctx, spec, obj, before)
    return obj


def bump(ctx: Ctx, entity: str, obj: dict) -> None:
    obj["SyncToken"] = str(int(obj["SyncToken"]) + 1)
    obj["MetaData"] = dict(obj["MetaData"], LastUpdatedTime=qbo_datetime(ctx.now))
    obj["_ts"] = ctx.now


def delete(ctx: Ctx, spec: Spec, body: Any) -> dict:
    if not spec.deletable:
        raise E.unsupported(f"Operation Delete is not supported for {spec.name}.")
    if not isinstance(body, dict) or body.get("Id") in (None, ""):
        raise E.required("Id")
    obj_id = str(body["Id"])
    existing = ctx.lookup(spec.name, obj_id)
    if existing is None:
        raise E.not_found(spec.name, obj_id)
    _check_token(existing, body, spec.name)
    linked = _linked_payments(ctx, spec.name, obj_id)
    if linked:
        raise E.business(
            f"This transaction is linked to other transactions ({linked[0][0]} Id="
            f"{linked[0][1]}). Unlink them before you delete it."
        )
    del ctx.realm.table(spec.name)[obj_id]
    ctx.realm.files.pop(obj_id, None)
    stamp = qbo_datetime(ctx.now)
    ctx.realm.deleted.setdefault(spec.name, {})[obj_id] = {
        "domain": "QBO",
        "status": "Deleted",
        "Id": obj_id,
        "MetaData": {"LastUpdatedTime": stamp},
        "_ts": ctx.now,
    }
    _after_write(ctx, spec, None, existing)
    return {"status": "Deleted", "domain": "QBO", "Id": obj_id}


def void(ctx: Ctx, spec: Spec, body: Any) -> dict:
    allowed = spec.voidable or (spec.name == "Bill" and ctx.settings.bill_void_supported)
    if not allowed:
        raise E.unsupported(f"Operation Void is not supported for {spec.name}.")
    if not isinstance(body, dict) or body.get("Id") in (None, ""):
        raise E.required("Id")
    obj_id = str(body["Id"])
    existing = ctx.lookup(spec.name, obj_id)
    if existing is None:
        raise E.not_found(spec.name, obj_id)
    _check_token(existing, body, spec.name)
    if existing.get("_voided"):
        raise E.business("This transaction has already been voided.")
    linked = _linked_payments(ctx, spec.name, obj_id)
    if linked:
        raise E.business(
            f"This transaction is linked to other transactions ({linked[0][0]} Id="
            f"{linked[0][1]}). Unlink them before you void it."
        )
    obj = {k: copy.deepcopy(v) for k, v in existing.items() if not k.startswith("_")}
    for line in obj.get("Line", []):
        if "Amount" in line:
            line["Amount"] = ZERO
        for detail in ("SalesItemLineDetail", "ItemBasedExpenseLineDetail"):
            if detail in line and "Qty" in line[detail]:
                line[detail]["Qty"] = ZERO
    if spec.name in ("Payment", "BillPayment"):
        obj["Line"] = []
        if spec.name == "Payment":
            obj["UnappliedAmt"] = ZERO
    obj["TotalAmt"] = ZERO
    for key in ("HomeTotalAmt", "Balance", "HomeBalance", "RemainingCredit"):
        if key in obj:
            obj[key] = ZERO
    if "TxnTaxDetail" in obj:
        obj["TxnTaxDetail"] = dict(obj["TxnTaxDetail"], TotalTax=ZERO, TaxLine=[])
    note = obj.get("PrivateNote")
    obj["PrivateNote"] = f"Voided - {note}" if note else "Voided"
    obj["_voided"] = True
    return _replace(ctx, spec, existing, obj)


def _linked_payments(ctx: Ctx, entity: str, obj_id: str) -> list[tuple[str, str]]:
    payer = {
        "Invoice": "Payment",
        "CreditMemo": "Payment",
        "Bill": "BillPayment",
        "VendorCredit": "BillPayment",
    }.get(entity)
    if payer is None:
        return []
    return [(payer, p["Id"]) for p in ctx.realm.table(payer).values() if _applied(p, obj_id)]


def _applied(payment: dict, txn_id: str) -> Decimal:
    total = ZERO
    for line in payment.get("Line", []):
        for link in line.get("LinkedTxn", []):
            if str(link.get("TxnId")) == txn_id:
                total += to_decimal(line.get("Amount")) or ZERO
    return total


# --------------------------------------------------------------------------- normalising


def _normalise(ctx: Ctx, spec: Spec, obj: dict, existing: dict | None) -> dict:
    if spec.kind == "name":
        return _NAME_RULES[spec.name](ctx, spec, obj, existing)
    if spec.kind == "txn":
        return _txn(ctx, spec, obj, existing)
    if spec.kind == "attachable":
        return _attachable(ctx, obj, existing)
    raise E.unsupported(f"Operation on {spec.name} is not supported.")


def ref_value(ref: Any) -> str | None:
    if isinstance(ref, dict):
        value = ref.get("value")
        return None if value in (None, "") else str(value)
    if isinstance(ref, (str, int)):
        return str(ref)
    return None


def check_ref(
    ctx: Ctx, ref: Any, field_name: str, element: str | None = None, *, allow_inactive=False
) -> dict | None:
    """Resolve a reference; missing → 2500, inactive → 610."""
    target = REF_TARGETS.get(field_name)
    value = ref_value(ref)
    if target is None or value is None:
        return None
    obj = ctx.lookup(target, value)
    where = element or field_name
    if obj is None:
        raise E.invalid_ref(where, target, value)
    if obj.get("Active") is False and not allow_inactive:
        raise E.inactive_ref(where)
    if isinstance(ref, dict):
        label = obj.get("FullyQualifiedName") or obj.get("DisplayName") or obj.get("Name")
        if label:
            ref["name"] = label
    return obj


def _fold(text: str, ctx: Ctx) -> str:
    return text.casefold() if ctx.settings.case_insensitive_names else text


def _duplicate_name(ctx: Ctx, entity: str, key: str, self_id: str | None) -> str | None:
    """Return the holder type of a clashing name, or None."""
    wanted = _fold(key, ctx)
    pool = (
        NAME_ENTITIES_SHARING_DISPLAYNAME
        if entity in NAME_ENTITIES_SHARING_DISPLAYNAME
        else (entity,)
    )
    for other in pool:
        for row in ctx.realm.table(other).values():
            if other == entity and row["Id"] == self_id:
                continue
            name = row.get("FullyQualifiedName") or row.get("DisplayName") or row.get("Name")
            if name is not None and _fold(str(name), ctx) == wanted:
                return other
    return None


_HOLDER_LABEL = {
    "Customer": "customer",
    "Vendor": "vendor",
    "Employee": "employee",
    "Item": "product or service",
    "Account": "account",
    "Class": "class",
    "TaxCode": "tax code",
    "TaxRate": "tax rate",
    "Term": "term",
    "PaymentMethod": "payment method",
}


def _unique(ctx: Ctx, entity: str, key: str, self_id: str | None, element: str) -> None:
    holder = _duplicate_name(ctx, entity, key, self_id)
    if holder:
        raise E.QBOError(
            "6240",
            "Duplicate Name Exists Error",
            f"The name supplied already exists: Another {_HOLDER_LABEL[holder]} is already "
            "using this name. Please use a different name.",
            element,
        )


def _clean_name(ctx: Ctx, obj: dict, field_name: str) -> str:
    value = obj.get(field_name)
    if value is None or not str(value).strip():
        raise E.required(field_name)
    value = str(value).strip()
    if ":" in value:
        raise E.business(f"The {field_name} can't contain a colon (:).", field_name)
    if len(value) > ctx.settings.display_name_max:
        raise E.business(
            f"String length is either shorter or longer than supported by specification. "
            f"Min:1 Max:{ctx.settings.display_name_max} supplied length:{len(value)}",
            field_name,
        )
    obj[field_name] = value
    return value


def _name_currency(ctx: Ctx, obj: dict, existing: dict | None) -> None:
    realm = ctx.realm
    current = ref_value(existing.get("CurrencyRef")) if existing else None
    wanted = ref_value(obj.get("CurrencyRef")) or current or realm.home_currency
    wanted = wanted.upper()
    if current and wanted != current:
        raise E.business(
            f"You can't change the currency of a name once it is set. Current currency: {current}.",
            "CurrencyRef",
        )
    if wanted != realm.home_currency and not realm.multicurrency:
        raise E.business(
            f"Multicurrency is not enabled for this company; {wanted} can't be used. "
            f"The home currency is {realm.home_currency}.",
            "CurrencyRef",
        )
    obj["CurrencyRef"] = {"value": wanted, "name": _CURRENCY_NAMES.get(wanted, wanted)}


_CURRENCY_NAMES = {
    "EUR": "Euro",
    "USD": "United States Dollar",
    "GBP": "British Pound Sterling",
    "SEK": "Swedish Krona",
    "NOK": "Norwegian Krone",
    "DKK": "Danish Krone",
    "CAD": "Canadian Dollar",
    "AUD": "Australian Dollar",
}


def _person(ctx: Ctx, spec: Spec, obj: dict, existing: dict | None) -> dict:
    if not str(obj.get("DisplayName") or "").strip():
        parts = [str(obj[p]).strip() for p in _NAME_PARTS if str(obj.get(p) or "").strip()]
        if not parts:
            raise E.required("DisplayName")
        obj["DisplayName"] = " ".join(parts)
    display = _clean_name(ctx, obj, "DisplayName")
    obj.setdefault("Active", True)
    obj["Active"] = obj["Active"] not in (False, "false")
    self_id = existing["Id"] if existing else None
    if spec.name == "Customer":
        parent = None
        if ref_value(obj.get("ParentRef")):
            parent = check_ref(ctx, obj["ParentRef"], "CustomerRef", "ParentRef")
            if parent is not None and self_id and parent["Id"] == self_id:
                raise E.business("A customer can't be its own parent.", "ParentRef")
        if parent is not None:
            obj["Job"] = True
            obj.setdefault("BillWithParent", False)
            obj["Level"] = int(parent.get("Level", 0)) + 1
            obj["FullyQualifiedName"] = f"{parent['FullyQualifiedName']}:{display}"
            if "CurrencyRef" not in obj:
                obj["CurrencyRef"] = copy.deepcopy(parent.get("CurrencyRef"))
        else:
            obj.pop("ParentRef", None)
            obj["Job"] = False
            obj["BillWithParent"] = False
            obj["Level"] = 0
            obj["FullyQualifiedName"] = display
        if obj.get("IsProject") and parent is None:
            raise E.business("A project must belong to a customer.", "ParentRef")
        _unique(ctx, "Customer", obj["FullyQualifiedName"], self_id, "DisplayName")
        if parent is not None and ref_value(obj.get("CurrencyRef")) != ref_value(
            parent.get("CurrencyRef")
        ):
            raise E.business(
                "A sub-customer must use the currency of its parent customer.", "CurrencyRef"
            )
        for field_name in ("DefaultTaxCodeRef",):
            if field_name in obj:
                check_ref(ctx, obj[field_name], field_name)
        obj["Balance"] = existing.get("Balance", ZERO) if existing else ZERO
        obj["BalanceWithJobs"] = existing.get("BalanceWithJobs", ZERO) if existing else ZERO
    else:
        _unique(ctx, spec.name, display, self_id, "DisplayName")
        if spec.name == "Vendor":
            obj["Balance"] = existing.get("Balance", ZERO) if existing else ZERO
            if "APAccountRef" in obj:
                check_ref(ctx, obj["APAccountRef"], "APAccountRef")
    if spec.name != "Employee":
        _name_currency(ctx, obj, existing)
        if "PrintOnCheckName" not in obj:
            obj["PrintOnCheckName"] = str(obj.get("CompanyName") or display)
    return obj


def _item(ctx: Ctx, spec: Spec, obj: dict, existing: dict | None) -> dict:
    name = _clean_name(ctx, obj, "Name")
    obj["Active"] = obj.get("Active", True) not in (False, "false")
    item_type = obj.get("Type")
    if not item_type:
        raise E.required("Type")
    allowed = {"Inventory", "NonInventory", "Service", "Group", "Category", "Bundle"}
    if item_type not in allowed:
        raise E.business(f"Invalid item type: {item_type}", "Type")
    if existing and existing.get("Type") == "Inventory" and item_type != "Inventory":
        raise E.business(
            "You can't change the type of an inventory item. Make it inactive and create a new "
            "item instead.",
            "Type",
        )
    parent = None
    if ref_value(obj.get("ParentRef")):
        parent = check_ref(ctx, obj["ParentRef"], "ItemRef", "ParentRef")
    obj["SubItem"] = parent is not None
    obj["Level"] = int(parent.get("Level", 0)) + 1 if parent else 0
    obj["FullyQualifiedName"] = f"{parent['FullyQualifiedName']}:{name}" if parent else name
    if parent is None:
        obj.pop("ParentRef", None)
    _unique(ctx, "Item", obj["FullyQualifiedName"], existing["Id"] if existing else None, "Name")
    for price in ("UnitPrice", "PurchaseCost", "QtyOnHand"):
        if price in obj:
            value = to_decimal(obj[price])
            if value is None:
                raise E.business(f"Invalid number for {price}", price)
            obj[price] = value
    if item_type in ("Service", "NonInventory", "Inventory"):
        if not ref_value(obj.get("IncomeAccountRef")):
            raise E.required("IncomeAccountRef")
    if item_type == "Inventory":
        for needed in ("AssetAccountRef", "ExpenseAccountRef", "QtyOnHand", "InvStartDate"):
            if obj.get(needed) in (None, ""):
                raise E.required(needed)
        obj["TrackQtyOnHand"] = True
        for field_name, classes in (
            ("AssetAccountRef", ("Asset",)),
            ("ExpenseAccountRef", ("Expense",)),
        ):
            account = check_ref(ctx, obj[field_name], field_name)
            if account and account.get("Classification") not in classes:
                raise E.business(
                    f"{field_name} of an inventory item must be an "
                    f"{'asset' if classes == ('Asset',) else 'cost of goods sold'} account.",
                    field_name,
                )
    for field_name in (
        "IncomeAccountRef", "ExpenseAccountRef", "COGSAccountRef", "AssetAccountRef",
    ):  # fmt: skip
        if ref_value(obj.get(field_name)):
            account = check_ref(ctx, obj[field_name], field_name)
            if account and account.get("AccountType") in (
                "Accounts Receivable", "Accounts Payable",
            ):  # fmt: skip
                raise E.QBOError(
                    "6430",
                    "Invalid account type",
                    "Invalid account type: You can't associate a product or service with "
                    "accounts of certain types (such as Accounts Receivable and Accounts "
                    "Payable). Please choose a different account.",
                    field_name,
                )
    for field_name in ("SalesTaxCodeRef", "PurchaseTaxCodeRef", "ClassRef"):
        if ref_value(obj.get(field_name)):
            check_ref(ctx, obj[field_name], field_name)
    obj.setdefault("TrackQtyOnHand", False)
    return obj


def _account(ctx: Ctx, spec: Spec, obj: dict, existing: dict | None) -> dict:
    name = _clean_name(ctx, obj, "Name")
    obj["Active"] = obj.get("Active", True) not in (False, "false")
    acct_type = obj.get("AccountType")
    if not acct_type and obj.get("AccountSubType"):
        # QBO derives the type from a subtype given alone.
        acct_type = SUBTYPE_TYPE.get(str(obj["AccountSubType"]))
        if acct_type is None:
            raise E.business(f"Invalid AccountSubType: {obj['AccountSubType']}", "AccountSubType")
        obj["AccountType"] = acct_type
    if not acct_type:
        raise E.required("AccountType")
    if acct_type not in CLASSIFICATION:
        raise E.business(f"Invalid AccountType: {acct_type}", "AccountType")
    if existing and existing.get("AccountType") != acct_type and existing.get("_used"):
        raise E.business("You can't change the type of an account that has transactions.")
    obj["Classification"] = CLASSIFICATION[acct_type]
    obj.setdefault("AccountSubType", DEFAULT_SUBTYPE[acct_type])
    parent = None
    if ref_value(obj.get("ParentRef")):
        parent = check_ref(ctx, obj["ParentRef"], "AccountRef", "ParentRef")
    obj["SubAccount"] = parent is not None
    obj["FullyQualifiedName"] = f"{parent['FullyQualifiedName']}:{name}" if parent else name
    if parent is None:
        obj.pop("ParentRef", None)
    _unique(ctx, "Account", obj["FullyQualifiedName"], existing["Id"] if existing else None, "Name")
    currency = ref_value(obj.get("CurrencyRef")) or (
        ref_value(existing.get("CurrencyRef")) if existing else None
    )
    if obj["Classification"] in ("Revenue", "Expense") and currency not in (
        None,
        ctx.realm.home_currency,
    ):
        raise E.business("Income and expense accounts always use your home currency.")
    _name_currency(ctx, obj, existing)
    obj["CurrentBalance"] = existing.get("CurrentBalance", ZERO) if existing else ZERO
    obj["CurrentBalanceWithSubAccounts"] = obj["CurrentBalance"]
    return obj


def _class(ctx: Ctx, spec: Spec, obj: dict, existing: dict | None) -> dict:
    name = _clean_name(ctx, obj, "Name")
    obj["Active"] = obj.get("Active", True) not in (False, "false")
    parent = None
    if ref_value(obj.get("ParentRef")):
        parent = check_ref(ctx, obj["ParentRef"], "ClassRef", "ParentRef")
    obj["SubClass"] = parent is not None
    obj["FullyQualifiedName"] = f"{parent['FullyQualifiedName']}:{name}" if parent else name
    if parent is None:
        obj.pop("ParentRef", None)
    _unique(ctx, "Class", obj["FullyQualifiedName"], existing["Id"] if existing else None, "Name")
    return obj


def _tax(ctx: Ctx, spec: Spec, obj: dict, existing: dict | None) -> dict:
    _clean_name(ctx, obj, "Name")
    obj["Active"] = obj.get("Active", True) not in (False, "false")
    if spec.name == "TaxRate":
        rate = to_decimal(obj.get("RateValue"))
        if rate is None:
            raise E.required("RateValue")
        obj["RateValue"] = rate
    _unique(ctx, spec.name, obj["Name"], existing["Id"] if existing else None, "Name")
    return obj


def _term(ctx: Ctx, spec: Spec, obj: dict, existing: dict | None) -> dict:
    _clean_name(ctx, obj, "Name")
    obj["Active"] = obj.get("Active", True) is not False
    obj.setdefault("Type", "STANDARD")
    if obj["Type"] not in ("STANDARD", "DATE_DRIVEN"):
        raise E.business(f"Invalid term type: {obj['Type']}", "Type")
    if obj["Type"] == "STANDARD":
        obj.setdefault("DueDays", Decimal("0"))
    elif obj.get("DayOfMonthDue") is None:
        raise E.required("DayOfMonthDue")
    _unique(ctx, "Term", obj["Name"], existing["Id"] if existing else None, "Name")
    return obj


def _payment_method(ctx: Ctx, spec: Spec, obj: dict, existing: dict | None) -> dict:
    _clean_name(ctx, obj, "Name")
    obj["Active"] = obj.get("Active", True) is not False
    obj.setdefault("Type", "NON_CREDIT_CARD")
    if obj["Type"] not in ("CREDIT_CARD", "NON_CREDIT_CARD"):
        raise E.business(f"Invalid payment method type: {obj['Type']}", "Type")
    _unique(ctx, "PaymentMethod", obj["Name"], existing["Id"] if existing else None, "Name")
    return obj


_NAME_RULES = {
    "Term": _term,
    "PaymentMethod": _payment_method,
    "Customer": _person,
    "Vendor": _person,
    "Employee": _person,
    "Item": _item,
    "Account": _account,
    "Class": _class,
    "TaxCode": _tax,
    "TaxRate": _tax,
}


# --------------------------------------------------------------------------- transactions


def _date(obj: dict, field_name: str) -> None:
    value = obj.get(field_name)
    if value in (None, ""):
        obj.pop(field_name, None)
        return
    try:
        dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise E.business(f"Invalid date {value!r} for {field_name}", field_name) from None
    obj[field_name] = str(value)[:10]


def _party_field(entity: str) -> str:
    return "VendorRef" if entity in ("Bill", "BillPayment", "VendorCredit") else "CustomerRef"


def _txn(ctx: Ctx, spec: Spec, obj: dict, existing: dict | None) -> dict:
    entity = spec.name
    party_field = _party_field(entity)
    if not ref_value(obj.get(party_field)):
        raise E.required(party_field)
    party = check_ref(ctx, obj[party_field], party_field)
    assert party is not None
    obj["TxnDate"] = obj.get("TxnDate") or ctx.today()
    _date(obj, "TxnDate")
    _date(obj, "DueDate")
    _txn_currency(ctx, obj, party)
    if ref_value(obj.get("ProjectRef")):
        project = check_ref(ctx, obj["ProjectRef"], "ProjectRef")
        if project is None or not project.get("IsProject"):
            raise E.invalid_ref("ProjectRef", "Project", ref_value(obj["ProjectRef"]) or "")
        if (
            entity in ("Invoice", "CreditMemo", "Payment")
            and ref_value(project.get("ParentRef")) != party["Id"]
            and project["Id"] != party["Id"]
        ):
            raise E.business(
                "The project doesn't belong to the customer on this transaction.", "ProjectRef"
            )
    for field_name in ("ClassRef", "ARAccountRef", "APAccountRef", "DepositToAccountRef",
                       "PaymentMethodRef"):  # fmt: skip
        if ref_value(obj.get(field_name)):
            check_ref(ctx, obj[field_name], field_name)
    if entity in ("Invoice", "CreditMemo"):
        _sales_defaults(ctx, entity, obj, party, existing)
    if entity in ("Bill", "VendorCredit", "BillPayment"):
        _ap_account(ctx, obj, party)
    if entity == "Bill":
        _due_date(ctx, obj, party, "TermRef")
    _docnumber(ctx, spec, obj, existing, party)
    if entity in ("Invoice", "CreditMemo", "Bill", "VendorCredit"):
        _lines_and_totals(ctx, spec, obj)
    else:
        _payment(ctx, spec, obj, existing, party)
    # LinkedTxn is the server's record of what pays this document; it is always present.
    obj["LinkedTxn"] = copy.deepcopy(existing.get("LinkedTxn") or []) if existing else []
    return obj


_SALES_FLAGS = ("ApplyTaxAfterDiscount",)
_INVOICE_FLAGS = (
    "AllowOnlinePayment", "AllowOnlineCreditCardPayment", "AllowOnlineACHPayment",
    "AllowIPNPayment",
)  # fmt: skip
_STATUS_VALUES = {
    "PrintStatus": ("NotSet", "NeedToPrint", "PrintComplete"),
    "EmailStatus": ("NotSet", "NeedToSend", "EmailSent"),
}


def _sales_defaults(ctx: Ctx, entity: str, obj: dict, party: dict, existing: dict | None) -> None:
    """What QBO fills on a sales form from the customer and the company when not given."""
    for key in ("BillAddr", "ShipAddr"):
        if not obj.get(key) and party.get(key):
            obj[key] = copy.deepcopy(party[key])
    email = (party.get("PrimaryEmailAddr") or {}).get("Address")
    if not (obj.get("BillEmail") or {}).get("Address") and email:
        obj["BillEmail"] = {"Address": email}
    for key, allowed in _STATUS_VALUES.items():
        value = obj.get(key) or (existing or {}).get(key) or "NotSet"
        if value not in allowed:
            raise E.business(f"Invalid {key}: {value}", key)
        obj[key] = value
    if existing and existing.get("DeliveryInfo") and "DeliveryInfo" not in obj:
        obj["DeliveryInfo"] = copy.deepcopy(existing["DeliveryInfo"])
    flags = _SALES_FLAGS + (_INVOICE_FLAGS if entity == "Invoice" else ())
    for key in flags:
        obj.setdefault(key, False)
    _due_date(ctx, obj, party, "SalesTermRef")


def _due_date(ctx: Ctx, obj: dict, party: dict, party_term_field: str) -> None:
    term = None
    if ref_value(obj.get("SalesTermRef")):
        term = check_ref(ctx, obj["SalesTermRef"], "SalesTermRef")
    elif ref_value(party.get(party_term_field)):
        term = ctx.lookup("Term", ref_value(party[party_term_field]) or "")
        if term is not None and term.get("Active") is not False:
            obj["SalesTermRef"] = {"value": term["Id"], "name": term["Name"]}
        else:
            term = None
    if obj.get("DueDate"):
        return
    obj["DueDate"] = term_due_date(obj["TxnDate"], term)


def term_due_date(txn_date: str, term: dict | None) -> str:
    day = dt.date.fromisoformat(txn_date)
    if term is None:
        return day.isoformat()
    if term.get("Type") == "DATE_DRIVEN":
        due_day = int(to_decimal(term.get("DayOfMonthDue")) or 1)
        cutoff = int(to_decimal(term.get("DueNextMonthDays")) or 0)

        def on(year: int, month: int) -> dt.date:
            return dt.date(year, month, min(due_day, calendar.monthrange(year, month)[1]))

        due = on(day.year, day.month)
        if day > due - dt.timedelta(days=cutoff):
            year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
            due = on(year, month)
        return due.isoformat()
    return (day + dt.timedelta(days=int(to_decimal(term.get("DueDays")) or 0))).isoformat()


def company_account(
    ctx: Ctx, acct_type: str | None = None, subtype: str | None = None
) -> dict | None:
    rows = sorted(ctx.realm.table("Account").values(), key=lambda r: (len(r["Id"]), r["Id"]))
    for row in rows:
        if row.get("Active") is False:
            continue
        if acct_type and row.get("AccountType") != acct_type:
            continue
        if subtype and row.get("AccountSubType") != subtype:
            continue
        return row
    return None


def _ap_account(ctx: Ctx, obj: dict, party: dict) -> None:
    if ref_value(obj.get("APAccountRef")):
        return
    account = None
    if ref_value(party.get("APAccountRef")):
        account = ctx.lookup("Account", ref_value(party["APAccountRef"]) or "")
    account = account or company_account(ctx, "Accounts Payable")
    if account is not None:
        obj["APAccountRef"] = {"value": account["Id"], "name": account["Name"]}


def _txn_currency(ctx: Ctx, obj: dict, party: dict) -> None:
    realm = ctx.realm
    party_currency = ref_value(party.get("CurrencyRef")) or realm.home_currency
    wanted = (ref_value(obj.get("CurrencyRef")) or party_currency).upper()
    if wanted != realm.home_currency and not realm.multicurrency:
        raise E.business(
            f"Multicurrency is not enabled for this company; {wanted} can't be used. "
            f"The home currency is {realm.home_currency}.",
            "CurrencyRef",
        )
    if wanted != party_currency:
        raise E.business(
            f"The currency of the transaction ({wanted}) must match the currency of the "
            f"customer or vendor ({party_currency}).",
            "CurrencyRef",
        )
    obj["CurrencyRef"] = {"value": wanted, "name": _CURRENCY_NAMES.get(wanted, wanted)}
    if wanted == realm.home_currency:
        obj["ExchangeRate"] = Decimal("1")
    else:
        rate = to_decimal(obj.get("ExchangeRate"))
        obj["ExchangeRate"] = (
            rate if rate and rate > 0 else exchange_rate(wanted, realm.home_currency)
        )
    if not realm.multicurrency:
        obj.pop("ExchangeRate", None)


def _docnumber(ctx: Ctx, spec: Spec, obj: dict, existing: dict | None, party: dict) -> None:
    entity = spec.name
    number = obj.get("DocNumber")
    if number in (None, ""):
        obj.pop("DocNumber", None)
        if entity in ("Invoice", "CreditMemo"):
            obj["DocNumber"] = _next_docnumber(ctx)
        return
    number = str(number).strip()
    if len(number) > DOCNUMBER_MAX:
        raise E.business(
            "String length is either shorter or longer than supported by specification. "
            f"Min:0 Max:{DOCNUMBER_MAX} supplied length:{len(number)}",
            "DocNumber",
        )
    obj["DocNumber"] = number
    if ctx.allow_duplicate_docnum:
        return
    if existing is not None and existing.get("DocNumber") == number:
        return
    pool: tuple[str, ...]
    if entity in ("Invoice", "CreditMemo"):
        pool = ("Invoice", "CreditMemo")
    elif entity == "Bill" and ctx.settings.duplicate_docnumber_bills:
        pool = ("Bill",)
    else:
        return
    self_id = existing["Id"] if existing else None
    for other in pool:
        for row in ctx.realm.rows_where(other, "DocNumber", number):
            if row["Id"] == self_id and other == entity:
                continue
            if row.get("DocNumber") != number:
                continue
            if other == "Bill" and ref_value(row.get("VendorRef")) != party["Id"]:
                continue
            raise E.QBOError(
                "6140",
                "Duplicate Document Number Error",
                "Duplicate Document Number Error : You must specify a different number. This "
                f"number has already been used. DocNumber={number} is assigned to "
                f"TxnType={TXN_TYPE_LABEL[other]} with TxnId={row['Id']}",
                "DocNumber",
            )


def _next_docnumber(ctx: Ctx) -> str:
    highest = 1000
    for other in ("Invoice", "CreditMemo"):
        for row in ctx.realm.table(other).values():
            number = str(row.get("DocNumber", ""))
            if number.isdigit():
                highest = max(highest, int(number))
    return str(highest + 1)


def _num(value: Any, element: str) -> Decimal | None:
    if value is None or value == "":
        return None
    number = to_decimal(value)
    if number is None:
        raise E.business(f"Invalid number: {value!r}", element)
    return number


def _tax_rates(ctx: Ctx, code: dict, purchase: bool) -> list[tuple[dict, Decimal]]:
    key = "PurchaseTaxRateList" if purchase else "SalesTaxRateList"
    rates = []
    for detail in (code.get(key) or {}).get("TaxRateDetail", []):
        rate = ctx.realm.get("TaxRate", ref_value(detail.get("TaxRateRef")) or "")
        if rate is not None:
            rates.append((rate, to_decimal(rate.get("RateValue")) or ZERO))
    return rates


_BILLABLE = ("Billable", "NotBillable", "HasBeenBilled")


@dataclass
class _Totals:
    mode: str
    sales: bool
    subtotal: Decimal = ZERO
    discount: Decimal = ZERO
    # rate Id → (rate, percent, amount of the lines using it)
    taxable: dict | None = None


def _line_tax_code(ctx: Ctx, kind: str, detail: dict, item: dict | None, t: _Totals) -> None:
    """Fill the tax code QBO would put on a line that was sent without one."""
    if ref_value(detail.get("TaxCodeRef")):
        return
    if ctx.realm.us:
        taxable = bool(item and item.get("Taxable")) and kind == "SalesItemLineDetail"
        code = ctx.lookup("TaxCode", "TAX" if taxable else "NON")
        if code is not None:
            detail["TaxCodeRef"] = {"value": code["Id"]}
        return
    if item is not None:
        field_name = "SalesTaxCodeRef" if t.sales else "PurchaseTaxCodeRef"
        if ref_value(item.get(field_name)):
            detail["TaxCodeRef"] = {"value": ref_value(item[field_name])}


def _item_line(ctx: Ctx, kind: str, line: dict, t: _Totals, where: str) -> None:
    detail = line.get(kind)
    if not isinstance(detail, dict):
        raise E.required(f"{where}.{kind}")
    amount = _num(line.get("Amount"), f"{where}.Amount")
    if amount is None:
        raise E.required(f"{where}.Amount")
    amount = money(amount)
    line["Amount"] = amount
    item = None
    if kind in ("SalesItemLineDetail", "ItemBasedExpenseLineDetail"):
        if not ref_value(detail.get("ItemRef")):
            raise E.required(f"{where}.{kind}.ItemRef")
        item = check_ref(ctx, detail["ItemRef"], "ItemRef", f"{where}.{kind}.ItemRef")
        qty = _num(detail.get("Qty"), f"{where}.Qty")
        price = _num(detail.get("UnitPrice"), f"{where}.UnitPrice")
        if qty == ZERO and price == ZERO and amount != ZERO:
            # Client libraries default both to 0; QBO reads that as "not given".
            detail.pop("Qty")
            detail.pop("UnitPrice")
            qty = price = None
        if qty is not None:
            detail["Qty"] = qty
        if price is not None:
            detail["UnitPrice"] = price
        if qty is not None and price is not None:
            if money(qty * price) != amount:
                raise E.QBOError(
                    "6070",
                    "Amount calculation incorrect in the request.",
                    f"Amount is not equal to UnitPrice * Qty. Supplied value:{amount}",
                    "Line.Amount",
                )
        elif qty not in (None, ZERO) and price is None:
            detail["UnitPrice"] = amount / qty
    else:
        if not ref_value(detail.get("AccountRef")):
            raise E.required(f"{where}.AccountBasedExpenseLineDetail.AccountRef")
        check_ref(ctx, detail["AccountRef"], "AccountRef", f"{where}.{kind}.AccountRef")
    if kind in ("AccountBasedExpenseLineDetail", "ItemBasedExpenseLineDetail"):
        status = detail.setdefault("BillableStatus", "NotBillable")
        if status not in _BILLABLE:
            raise E.business(f"Invalid BillableStatus: {status}", f"{where}.{kind}.BillableStatus")
    for field_name in ("ClassRef", "CustomerRef"):
        if ref_value(detail.get(field_name)):
            check_ref(ctx, detail[field_name], field_name, f"{where}.{kind}.{field_name}")
    project_id = ref_value(line.get("ProjectRef"))
    if project_id:
        project = check_ref(ctx, line["ProjectRef"], "ProjectRef", f"{where}.ProjectRef")
        if project is None or not project.get("IsProject"):
            raise E.invalid_ref(f"{where}.ProjectRef", "Project", project_id)
    _line_tax_code(ctx, kind, detail, item, t)
    code_id = ref_value(detail.get("TaxCodeRef"))
    if t.mode != "NotApplicable" and not ctx.realm.us and not code_id:
        raise E.business(
            "Make sure all your transactions have a VAT rate before you save.",
            f"{where}.{kind}.TaxCodeRef",
        )
    if code_id:
        element = f"{where}.{kind}.TaxCodeRef"
        code = check_ref(ctx, detail["TaxCodeRef"], "TaxCodeRef", element)
        if code is not None and t.mode != "NotApplicable" and not ctx.realm.us:
            assert t.taxable is not None
            for rate, percent in _tax_rates(ctx, code, purchase=not t.sales):
                prev = t.taxable.get(rate["Id"], (rate, percent, ZERO))
                t.taxable[rate["Id"]] = (rate, percent, prev[2] + amount)
    t.subtotal += amount


def _tax_detail_of(obj: dict) -> dict:
    """The request's TxnTaxDetail, or an empty one when it sent none (or not an object)."""
    detail = obj.get("TxnTaxDetail")
    return detail if isinstance(detail, dict) else {}


def _supplied_tax(obj: dict) -> dict[str, Decimal]:
    """Tax amounts per rate the request supplied in TxnTaxDetail.TaxLine."""
    supplied = _tax_detail_of(obj)
    out: dict[str, Decimal] = {}
    for tax_line in supplied.get("TaxLine") or []:
        if not isinstance(tax_line, dict):
            continue
        rate_id = ref_value((tax_line.get("TaxLineDetail") or {}).get("TaxRateRef"))
        amount = _num(tax_line.get("Amount"), "TxnTaxDetail.TaxLine.Amount")
        if rate_id and amount is not None:
            out[rate_id] = out.get(rate_id, ZERO) + amount
    return out


def _discount_account(ctx: Ctx) -> dict | None:
    return company_account(ctx, subtype="DiscountsRefundsGiven") or next(
        (
            a
            for a in ctx.realm.table("Account").values()
            if a.get("Active") is not False and "discount" in str(a.get("Name", "")).lower()
        ),
        None,
    )


def _lines_and_totals(ctx: Ctx, spec: Spec, obj: dict) -> None:
    sales = spec.name in ("Invoice", "CreditMemo")
    lines_in = obj.get("Line")
    if not isinstance(lines_in, list):
        raise E.required("Line")
    lines = [
        ln
        for ln in lines_in
        if not (isinstance(ln, dict) and ln.get("DetailType") == "SubTotalLineDetail")
    ]
    if not lines:
        raise E.required("Line")
    mode = obj.get("GlobalTaxCalculation") or ("NotApplicable" if ctx.realm.us else "TaxExcluded")
    if mode not in ("TaxExcluded", "TaxInclusive", "NotApplicable"):
        raise E.business(f"Invalid GlobalTaxCalculation: {mode}", "GlobalTaxCalculation")
    if not ctx.realm.us:
        obj["GlobalTaxCalculation"] = mode
    allowed = (
        {"SalesItemLineDetail", "DescriptionOnly", "DiscountLineDetail", "GroupLineDetail"}
        if sales
        else {"AccountBasedExpenseLineDetail", "ItemBasedExpenseLineDetail"}
    )
    t = _Totals(mode=mode, sales=sales, taxable={})
    next_inner = len(lines) + 1
    out = []
    discounts = []
    for index, line in enumerate(lines, start=1):
        if not isinstance(line, dict):
            raise E.required("Line")
        kind = line.get("DetailType")
        if not kind:
            raise E.required("Line.DetailType")
        if kind not in allowed:
            raise E.business(f"DetailType {kind} is not valid on a {spec.name}.", "Line")
        line = copy.deepcopy(line)
        line["Id"] = str(index)
        line["LineNum"] = index
        out.append(line)
        if kind == "DescriptionOnly":
            amount = _num(line.get("Amount"), "Line.Amount")
            line.setdefault("DescriptionLineDetail", line.pop("DescriptionOnly", {}) or {})
            if amount is not None:
                line["Amount"] = money(amount)
            continue
        if kind == "DiscountLineDetail":
            discounts.append(line)
            continue
        if kind == "GroupLineDetail":
            group = line.get("GroupLineDetail")
            if not isinstance(group, dict):
                raise E.required("Line.GroupLineDetail")
            if ref_value(group.get("GroupItemRef")):
                check_ref(ctx, group["GroupItemRef"], "GroupItemRef", "Line.GroupItemRef")
            before = t.subtotal
            for inner in group.get("Line") or []:
                if not isinstance(inner, dict) or inner.get("DetailType") not in (
                    "SalesItemLineDetail", "DescriptionOnly",
                ):  # fmt: skip
                    raise E.business(
                        "A bundle can only hold product and description lines.",
                        "Line.GroupLineDetail.Line",
                    )
                inner["Id"] = str(next_inner)
                next_inner += 1
                if inner["DetailType"] == "SalesItemLineDetail":
                    _item_line(ctx, "SalesItemLineDetail", inner, t, "Line.GroupLineDetail.Line")
            # A bundle's amount is the sum of what it holds.
            line["Amount"] = money(t.subtotal - before)
            continue
        _item_line(ctx, kind, line, t, "Line")
    for line in discounts:
        detail = line.get("DiscountLineDetail")
        if not isinstance(detail, dict):
            detail = line["DiscountLineDetail"] = {}
        percent = _num(detail.get("DiscountPercent"), "Line.DiscountLineDetail.DiscountPercent")
        if detail.get("PercentBased") is True and percent is not None:
            amount = money(t.subtotal * percent / 100)
        else:
            amount = _num(line.get("Amount"), "Line.Amount")
            if amount is None:
                raise E.required("Line.Amount")
            amount = money(amount)
            detail.setdefault("PercentBased", False)
        line["Amount"] = amount
        if ref_value(detail.get("DiscountAccountRef")):
            check_ref(ctx, detail["DiscountAccountRef"], "DiscountAccountRef",
                      "Line.DiscountLineDetail.DiscountAccountRef")  # fmt: skip
        else:
            account = _discount_account(ctx)
            if account is not None:
                detail["DiscountAccountRef"] = {"value": account["Id"], "name": account["Name"]}
        t.discount += amount
    assert t.taxable is not None
    if sales and t.discount and obj.get("ApplyTaxAfterDiscount") is True and t.subtotal:
        factor = (t.subtotal - t.discount) / t.subtotal
        t.taxable = {k: (r, p, net * factor) for k, (r, p, net) in t.taxable.items()}
    honor = ctx.settings.tax_override == "honor"
    overrides = _supplied_tax(obj) if honor and not ctx.realm.us else {}
    total_tax = ZERO
    tax_lines = []
    for rate_id, (rate, percent, base) in t.taxable.items():
        # Per rate on the summed lines, rounded once: QBO's total-per-rate method.
        if mode == "TaxInclusive":
            computed = money(base * percent / (100 + percent))
        else:
            computed = money(base * percent / 100)
        tax = money(overrides[rate_id]) if rate_id in overrides else computed
        net = base - tax if mode == "TaxInclusive" else base
        total_tax += tax
        detail = {
            "TaxRateRef": {"value": rate["Id"], "name": rate.get("Name")},
            "PercentBased": True,
            "TaxPercent": percent,
            "NetAmountTaxable": money(net),
        }
        if tax != computed:
            detail["OverrideDeltaAmount"] = tax - computed
        tax_lines.append({"Amount": tax, "DetailType": "TaxLineDetail", "TaxLineDetail": detail})
    supplied = _tax_detail_of(obj)
    tax_detail: dict[str, Any]
    if ctx.realm.us:
        total_tax = money(_num(supplied.get("TotalTax"), "TxnTaxDetail.TotalTax") or ZERO)
        tax_detail = {"TotalTax": total_tax}
        if ref_value(supplied.get("TxnTaxCodeRef")):
            check_ref(ctx, supplied["TxnTaxCodeRef"], "TxnTaxCodeRef")
            tax_detail["TxnTaxCodeRef"] = supplied["TxnTaxCodeRef"]
    else:
        tax_detail = {"TotalTax": total_tax, "TaxLine": tax_lines}
    obj["TxnTaxDetail"] = tax_detail
    if sales and ctx.settings.subtotal_lines:
        out.append({"Amount": t.subtotal, "DetailType": "SubTotalLineDetail",
                    "SubTotalLineDetail": {}})  # fmt: skip
    obj["Line"] = out
    gross = t.subtotal - t.discount
    total = gross if mode == "TaxInclusive" else gross + total_tax
    obj["TotalAmt"] = money(total)
    if ctx.realm.multicurrency and "ExchangeRate" in obj:
        obj["HomeTotalAmt"] = money(total * obj["ExchangeRate"])
    else:
        obj.pop("HomeTotalAmt", None)
    # Balance is recomputed from the payments after the write.
    obj["Balance"] = obj["TotalAmt"]
    if spec.name == "CreditMemo":
        obj["RemainingCredit"] = obj["TotalAmt"]


def _payment(ctx: Ctx, spec: Spec, obj: dict, existing: dict | None, party: dict) -> None:
    entity = spec.name
    total = _num(obj.get("TotalAmt"), "TotalAmt")
    if total is None:
        raise E.required("TotalAmt")
    if total < 0:
        raise E.business("The payment amount can't be negative.", "TotalAmt")
    obj["TotalAmt"] = money(total)
    if entity == "BillPayment":
        pay_type = obj.get("PayType")
        if pay_type not in ("Check", "CreditCard"):
            raise E.required("PayType")
        if pay_type == "Check":
            bank = (obj.get("CheckPayment") or {}).get("BankAccountRef")
            if not ref_value(bank):
                raise E.required("CheckPayment.BankAccountRef")
            account = check_ref(ctx, bank, "BankAccountRef", "CheckPayment.BankAccountRef")
            wanted = "Bank"
        else:
            card = (obj.get("CreditCardPayment") or {}).get("CCAccountRef")
            if not ref_value(card):
                raise E.required("CreditCardPayment.CCAccountRef")
            account = check_ref(ctx, card, "CCAccountRef", "CreditCardPayment.CCAccountRef")
            wanted = "Credit Card"
        if account is not None and account.get("AccountType") != wanted:
            raise E.business(
                f"A {pay_type} bill payment must be paid from a {wanted} account.",
                "CheckPayment.BankAccountRef"
                if pay_type == "Check"
                else "CreditCardPayment.CCAccountRef",
            )
    targets = ("Bill", "VendorCredit") if entity == "BillPayment" else ("Invoice", "CreditMemo")
    party_field = _party_field(entity)
    applied = ZERO
    credits = ZERO
    lines = []
    for line in obj.get("Line") or []:
        amount = _num(line.get("Amount"), "Line.Amount")
        if amount is None:
            raise E.required("Line.Amount")
        links = line.get("LinkedTxn") or []
        if not links:
            raise E.required("Line.LinkedTxn")
        line = copy.deepcopy(line)
        line["Amount"] = money(amount)
        for link in line["LinkedTxn"]:
            txn_type = link.get("TxnType")
            if txn_type not in targets:
                raise E.business(f"A {entity} can't be linked to a {txn_type}.", "LinkedTxn")
            target = ctx.lookup(txn_type, str(link.get("TxnId")))
            if target is None:
                raise E.invalid_ref("Line.LinkedTxn.TxnId", txn_type, str(link.get("TxnId")))
            link["TxnId"] = target["Id"]
            if ref_value(target.get(party_field)) != party["Id"]:
                raise E.business(
                    f"{txn_type} {target['Id']} belongs to a different customer or vendor.",
                    "LinkedTxn",
                )
            if target.get("_voided"):
                raise E.business(f"{txn_type} {target['Id']} has been voided.", "LinkedTxn")
            already = _applied(existing, target["Id"]) if existing else ZERO
            key = "RemainingCredit" if txn_type == "CreditMemo" else "Balance"
            open_amount = (to_decimal(target.get(key)) or ZERO) + already
            if ctx.settings.overpayment_error and line["Amount"] > open_amount:
                raise E.business(
                    f"The amount applied to {txn_type} {target['Id']} ({line['Amount']}) is "
                    f"more than its open balance ({open_amount}).",
                    "Line.Amount",
                )
            if txn_type in ("CreditMemo", "VendorCredit"):
                credits += line["Amount"]
            else:
                applied += line["Amount"]
        lines.append(line)
    net = applied - credits
    if net > obj["TotalAmt"]:
        raise E.business(
            f"The amount applied ({net}) is more than the payment total ({obj['TotalAmt']}).",
            "TotalAmt",
        )
    obj["Line"] = lines
    if entity == "Payment":
        obj["UnappliedAmt"] = obj["TotalAmt"] - net
    if ctx.realm.multicurrency and "ExchangeRate" in obj:
        obj["HomeTotalAmt"] = money(obj["TotalAmt"] * obj["ExchangeRate"])


def _attachable(ctx: Ctx, obj: dict, existing: dict | None) -> dict:
    refs = obj.get("AttachableRef") or []
    if not isinstance(refs, list):
        refs = [refs]
    for ref in refs:
        entity_ref = (ref or {}).get("EntityRef") or {}
        target = entity_ref.get("type") or entity_ref.get("Type")
        value = ref_value(entity_ref)
        if target not in SPECS or value is None:
            raise E.required("AttachableRef.EntityRef")
        if ctx.lookup(target, value) is None:
            raise E.invalid_ref("AttachableRef.EntityRef", target, value)
        ref.setdefault("IncludeOnSend", False)
    obj["AttachableRef"] = refs
    if not obj.get("FileName") and not obj.get("Note"):
        raise E.required("Note")
    if existing and existing.get("FileName"):
        for key in ("FileName", "ContentType", "Size", "FileAccessUri", "TempDownloadUri"):
            if key in existing:
                obj[key] = existing[key]
    return obj


# --------------------------------------------------------------------------- balances


def _after_write(ctx: Ctx, spec: Spec, obj: dict | None, before: dict | None) -> None:
    """Keep Balance/LinkedTxn of linked documents and names in step with payments."""
    if spec.kind != "txn":
        return
    touched: set[tuple[str, str]] = set()
    parties: set[tuple[str, str]] = set()
    for version in (before, obj):
        if version is None:
            continue
        party_field = _party_field(spec.name)
        party = ref_value(version.get(party_field))
        if party:
            parties.add(("Vendor" if party_field == "VendorRef" else "Customer", party))
        for line in version.get("Line", []) if spec.name in ("Payment", "BillPayment") else []:
            for link in line.get("LinkedTxn", []):
                touched.add((str(link.get("TxnType")), str(link.get("TxnId"))))
    for entity, txn_id in sorted(touched):
        target = ctx.realm.get(entity, txn_id)
        if target is not None:
            _recompute_document(ctx, entity, target)
    for entity, party_id in sorted(parties):
        recompute_party(ctx.realm, entity, party_id)


def _recompute_document(ctx: Ctx, entity: str, doc: dict) -> None:
    payer = "BillPayment" if entity in ("Bill", "VendorCredit") else "Payment"
    applied = ZERO
    links = []
    for payment in ctx.realm.table(payer).values():
        amount = _applied(payment, doc["Id"])
        if any(
            str(link.get("TxnId")) == doc["Id"] and link.get("TxnType") == entity
            for line in payment.get("Line", [])
            for link in line.get("LinkedTxn", [])
        ):
            applied += amount
            links.append({"TxnId": payment["Id"], "TxnType": payer})
    total = to_decimal(doc.get("TotalAmt")) or ZERO
    key = "RemainingCredit" if entity == "CreditMemo" else "Balance"
    new_balance = money(total - applied)
    changed = doc.get(key) != new_balance or (doc.get("LinkedTxn") or []) != links
    if not changed:
        return
    doc[key] = new_balance
    if entity == "CreditMemo":
        doc["Balance"] = new_balance
    if "HomeBalance" in doc or ctx.realm.multicurrency:
        rate = to_decimal(doc.get("ExchangeRate")) or Decimal("1")
        doc["HomeBalance"] = money(new_balance * rate)
    doc["LinkedTxn"] = links
    # A payment applied in QBO is an edit of the invoice: new SyncToken, shows up in CDC.
    bump(ctx, entity, doc)


def recompute_party(realm: Realm, entity: str, party_id: str) -> None:
    party = realm.get(entity, party_id)
    if party is None:
        return
    if entity == "Vendor":
        owed = sum(
            (
                to_decimal(b.get("Balance")) or ZERO
                for b in realm.rows_where("Bill", "VendorRef", party_id)
            ),
            ZERO,
        )
        owed -= sum(
            (
                to_decimal(c.get("Balance")) or ZERO
                for c in realm.rows_where("VendorCredit", "VendorRef", party_id)
            ),
            ZERO,
        )
        party["Balance"] = money(owed)
        return
    own = ZERO
    for inv in realm.rows_where("Invoice", "CustomerRef", party_id):
        own += to_decimal(inv.get("Balance")) or ZERO
    for memo in realm.rows_where("CreditMemo", "CustomerRef", party_id):
        own -= to_decimal(memo.get("RemainingCredit")) or ZERO
    for pay in realm.rows_where("Payment", "CustomerRef", party_id):
        own -= to_decimal(pay.get("UnappliedAmt")) or ZERO
    party["Balance"] = money(own)
    jobs = money(
        own
        + sum(
            (
                to_decimal(c.get("Balance")) or ZERO
                for c in realm.rows_where("Customer", "ParentRef", party_id)
            ),
            ZERO,
        )
    )
    party["BalanceWithJobs"] = jobs
    parent = ref_value(party.get("ParentRef"))
    if parent:
        recompute_party(realm, "Customer", parent)
