"""The rules QBO applies to name-list entities: people, items, accounts, classes, tax, terms
and payment methods."""

from __future__ import annotations

import copy
from decimal import Decimal

from . import errors as E
from .context import CURRENCY_NAMES, ZERO, Ctx, check_ref, ref_value
from .jsonutil import to_decimal
from .specs import (
    CLASSIFICATION,
    DEFAULT_SUBTYPE,
    NAME_ENTITIES_SHARING_DISPLAYNAME,
    SUBTYPE_TYPE,
    Spec,
)

_NAME_PARTS = ("Title", "GivenName", "MiddleName", "FamilyName", "Suffix")


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
        raise E.QuickBooksError(
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
    obj["CurrencyRef"] = {"value": wanted, "name": CURRENCY_NAMES.get(wanted, wanted)}


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
                raise E.QuickBooksError(
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


NAME_RULES = {
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
