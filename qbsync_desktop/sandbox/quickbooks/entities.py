"""Entity writes and the business rules QBO applies to them (reference §8–§11).

Everything here runs under the sandbox lock with a ``Ctx`` describing the realm, the clock and,
for batch items, which objects the item may see. Stored objects keep Decimals for money and
private ``_``-prefixed bookkeeping keys that never leave the server.
"""

from __future__ import annotations

import copy
import datetime as dt
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


def public(obj: dict) -> dict:
    """A deep copy without the private bookkeeping keys."""
    return {k: copy.deepcopy(v) for k, v in obj.items() if not k.startswith("_")}


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
    payer = {"Invoice": "Payment", "CreditMemo": "Payment", "Bill": "BillPayment"}.get(entity)
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
    """Resolve a reference; missing → 2500, inactive → 610 (reference §9)."""
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


_NAME_RULES = {
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
    return "VendorRef" if entity in ("Bill", "BillPayment") else "CustomerRef"


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
    for field_name in ("ClassRef", "ARAccountRef", "APAccountRef", "DepositToAccountRef"):
        if ref_value(obj.get(field_name)):
            check_ref(ctx, obj[field_name], field_name)
    _docnumber(ctx, spec, obj, existing, party)
    if entity in ("Invoice", "CreditMemo", "Bill"):
        _lines_and_totals(ctx, spec, obj)
    else:
        _payment(ctx, spec, obj, existing, party)
    obj.pop("LinkedTxn", None)
    if existing and existing.get("LinkedTxn"):
        obj["LinkedTxn"] = copy.deepcopy(existing["LinkedTxn"])
    return obj


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


def _lines_and_totals(ctx: Ctx, spec: Spec, obj: dict) -> None:
    sales = spec.name in ("Invoice", "CreditMemo")
    lines_in = obj.get("Line")
    if not isinstance(lines_in, list):
        raise E.required("Line")
    lines = [ln for ln in lines_in if ln.get("DetailType") != "SubTotalLineDetail"]
    if not lines:
        raise E.required("Line")
    mode = obj.get("GlobalTaxCalculation") or ("NotApplicable" if ctx.realm.us else "TaxExcluded")
    if mode not in ("TaxExcluded", "TaxInclusive", "NotApplicable"):
        raise E.business(f"Invalid GlobalTaxCalculation: {mode}", "GlobalTaxCalculation")
    if not ctx.realm.us:
        obj["GlobalTaxCalculation"] = mode
    allowed = (
        {"SalesItemLineDetail", "DescriptionOnly", "DiscountLineDetail"}
        if sales
        else {"AccountBasedExpenseLineDetail", "ItemBasedExpenseLineDetail"}
    )
    subtotal = ZERO
    discount = ZERO
    taxable: dict[str, tuple[dict, Decimal, Decimal]] = {}
    out = []
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
        amount = _num(line.get("Amount"), "Line.Amount")
        if kind == "DescriptionOnly":
            line.setdefault("DescriptionLineDetail", line.pop("DescriptionOnly", {}) or {})
            if amount is not None:
                line["Amount"] = money(amount)
            out.append(line)
            continue
        detail = line.get(kind)
        if not isinstance(detail, dict):
            raise E.required(f"Line.{kind}")
        if amount is None:
            raise E.required("Line.Amount")
        amount = money(amount)
        line["Amount"] = amount
        if kind == "DiscountLineDetail":
            discount += amount
            out.append(line)
            continue
        if kind in ("SalesItemLineDetail", "ItemBasedExpenseLineDetail"):
            if not ref_value(detail.get("ItemRef")):
                raise E.required(f"Line.{kind}.ItemRef")
            check_ref(ctx, detail["ItemRef"], "ItemRef", f"Line.{kind}.ItemRef")
            qty = _num(detail.get("Qty"), "Line.Qty")
            price = _num(detail.get("UnitPrice"), "Line.UnitPrice")
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
                raise E.required("Line.AccountBasedExpenseLineDetail.AccountRef")
            check_ref(ctx, detail["AccountRef"], "AccountRef", f"Line.{kind}.AccountRef")
        for field_name in ("ClassRef", "CustomerRef"):
            if ref_value(detail.get(field_name)):
                check_ref(ctx, detail[field_name], field_name, f"Line.{kind}.{field_name}")
        if ref_value(line.get("ProjectRef")):
            project = check_ref(ctx, line["ProjectRef"], "ProjectRef", "Line.ProjectRef")
            if project is None or not project.get("IsProject"):
                raise E.invalid_ref("Line.ProjectRef", "Project", ref_value(line["ProjectRef"]))
        code_id = ref_value(detail.get("TaxCodeRef"))
        if mode != "NotApplicable" and not ctx.realm.us and not code_id:
            raise E.business(
                "Make sure all your transactions have a VAT rate before you save.",
                f"Line.{kind}.TaxCodeRef",
            )
        if code_id:
            code = check_ref(ctx, detail["TaxCodeRef"], "TaxCodeRef", f"Line.{kind}.TaxCodeRef")
            if code is not None and mode != "NotApplicable" and not ctx.realm.us:
                for rate, percent in _tax_rates(ctx, code, purchase=not sales):
                    prev = taxable.get(rate["Id"], (rate, percent, ZERO))
                    taxable[rate["Id"]] = (rate, percent, prev[2] + amount)
        subtotal += amount
        out.append(line)
    total_tax = ZERO
    tax_lines = []
    for rate, percent, net in taxable.values():
        if mode == "TaxInclusive":
            tax = money(net - net / (1 + percent / 100))
        else:
            tax = money(net * percent / 100)
        total_tax += tax
        tax_lines.append(
            {
                "Amount": tax,
                "DetailType": "TaxLineDetail",
                "TaxLineDetail": {
                    "TaxRateRef": {"value": rate["Id"], "name": rate.get("Name")},
                    "PercentBased": True,
                    "TaxPercent": percent,
                    "NetAmountTaxable": net,
                },
            }
        )
    supplied = obj.get("TxnTaxDetail") if isinstance(obj.get("TxnTaxDetail"), dict) else {}
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
        out.append({"Amount": subtotal, "DetailType": "SubTotalLineDetail",
                    "SubTotalLineDetail": {}})  # fmt: skip
    obj["Line"] = out
    gross = subtotal - discount
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
            check_ref(ctx, bank, "BankAccountRef", "CheckPayment.BankAccountRef")
        else:
            card = (obj.get("CreditCardPayment") or {}).get("CCAccountRef")
            if not ref_value(card):
                raise E.required("CreditCardPayment.CCAccountRef")
            check_ref(ctx, card, "CCAccountRef", "CreditCardPayment.CCAccountRef")
    targets = ("Bill",) if entity == "BillPayment" else ("Invoice", "CreditMemo")
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
            if txn_type == "CreditMemo":
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
    payer = "BillPayment" if entity == "Bill" else "Payment"
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
    if links:
        doc["LinkedTxn"] = links
    else:
        doc.pop("LinkedTxn", None)
    # A payment applied in QBO is an edit of the invoice: new SyncToken, shows up in CDC.
    bump(ctx, entity, doc)


def recompute_party(realm: Realm, entity: str, party_id: str) -> None:
    party = realm.get(entity, party_id)
    if party is None:
        return
    if entity == "Vendor":
        party["Balance"] = money(
            sum(
                (
                    to_decimal(b.get("Balance")) or ZERO
                    for b in realm.rows_where("Bill", "VendorRef", party_id)
                ),
                ZERO,
            )
        )
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
