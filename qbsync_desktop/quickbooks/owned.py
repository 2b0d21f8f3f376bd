"""What the app owns of each QuickBooks object, and the sparse update that changes only that.

An update is built from three things: the payload our mapping makes of the record we want
(`desired`), the payload it makes of the object as QuickBooks holds it now (`before`), and that
object's raw JSON. Only owned fields whose mapped value differs are sent, so an edit nobody made
is never written, and every field we do not map is left as QuickBooks has it. `Line` is
replaced whole by QuickBooks even in a sparse update, so changed lines are rebuilt from the raw
lines, each keeping what we do not own (its Id, billable customer, service date, markup...).
The table of owned fields is docs/owned-fields.md.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping

from ..domain import Kind
from ..domain.errors import NotRepresentable
from .faults import SIDE
from .inbound import (
    BILL_LINE_KINDS,
    SALES_LINE_KINDS,
    is_fragile,
    line_problem,
    payment_lines,
    representable_lines,
)

# Set when the object is made, never changed by us afterwards: QuickBooks fixes a contact's
# or document's currency, an item's type decides its accounting (an Inventory item must not
# turn NonInventory), a bill payment's pay type decides which account it draws on.
CREATE_ONLY = frozenset({"CurrencyRef", "Type", "PayType", "GlobalTaxCalculation"})


def _follows_display_name(raw: Mapping) -> bool:
    """CompanyName is QuickBooks' own field; it follows a rename only while it was the same
    as the display name (Scoro has one name for both)."""
    company = str(raw.get("CompanyName") or "")
    return company in ("", str(raw.get("DisplayName") or ""))


# Owned fields written only while a condition on QuickBooks' copy holds.
GUARDED: dict[str, Callable[[Mapping], bool]] = {"CompanyName": _follows_display_name}

# Per line detail type: the detail fields we own. Everything else in the detail is kept.
LINE_DETAIL_OWNED = {
    "SalesItemLineDetail": ("ItemRef", "Qty", "UnitPrice", "TaxCodeRef", "ClassRef"),
    "ItemBasedExpenseLineDetail": ("ItemRef", "Qty", "UnitPrice", "TaxCodeRef", "ClassRef"),
    "AccountBasedExpenseLineDetail": ("AccountRef", "TaxCodeRef", "ClassRef"),
    "DiscountLineDetail": ("DiscountAccountRef", "PercentBased"),
    "DescriptionLineDetail": (),
}
LINE_OWNED = ("Amount", "Description", "DetailType", "ProjectRef")
# Computed by QuickBooks from what we own; stale once the amount or item changes.
LINE_DERIVED = ("TaxInclusiveAmt", "DiscountAmt", "DiscountRate", "ItemAccountRef")

_DOCUMENT_LINES = {
    Kind.INVOICE: SALES_LINE_KINDS,
    Kind.CREDIT_NOTE: SALES_LINE_KINDS,
    Kind.BILL: BILL_LINE_KINDS,
}


def _blank(value: object) -> object | None:
    """What clears a field in a sparse update, or None when it cannot be cleared that way."""
    if isinstance(value, str):
        return ""
    if isinstance(value, Mapping) and "value" not in value:
        cleared = {k: _blank(v) for k, v in value.items()}
        return {k: v for k, v in cleared.items() if v is not None} or None
    return None


def _merge_object(raw: object, desired: Mapping, before: object) -> dict:
    """An owned nested object (an address, an e-mail) laid over QuickBooks' copy: its Id and
    the parts we do not map (Line2, Lat/Long...) stay; parts we cleared are blanked."""
    out = dict(raw) if isinstance(raw, Mapping) else {}
    for key, value in desired.items():
        out[key] = value
    if isinstance(before, Mapping):
        for key, value in before.items():
            if key not in desired:
                blank = _blank(value)
                if blank is not None:
                    out[key] = blank
    return out


def build_update(
    kind: Kind,
    desired: Mapping,
    before: Mapping,
    raw: Mapping,
    *,
    label: str,
) -> dict | None:
    """The sparse update body, or None when no owned field changed (nothing to send)."""
    body: dict = {}
    for key in dict.fromkeys([*desired, *before]):
        if key in CREATE_ONLY or key == "Line":
            continue
        want, had = desired.get(key), before.get(key)
        if want == had:
            continue
        guard = GUARDED.get(key)
        if guard is not None and not guard(raw):
            continue
        if want is None:
            blank = _blank(had)
            if blank is not None:
                body[key] = blank
        elif isinstance(want, Mapping) and "value" not in want:
            body[key] = _merge_object(raw.get(key), want, had)
        else:
            body[key] = want
    if "CheckPayment" in body and str(raw.get("PayType") or "") == "CreditCard":
        # The bookkeeper changed the account of a card payment: it stays a card payment.
        account = body.pop("CheckPayment").get("BankAccountRef")
        if account:
            body["CreditCardPayment"] = {**(raw.get("CreditCardPayment") or {}),
                                         "CCAccountRef": account}  # fmt: skip
    if desired.get("Line") != before.get("Line"):
        body["Line"] = _lines(kind, desired.get("Line") or [], before.get("Line") or [], raw,
                              label)  # fmt: skip
    return body or None


def _lines(kind: Kind, desired: list, before: list, raw: Mapping, label: str) -> list:
    if kind in (Kind.RECEIPT, Kind.BILL_PAYMENT):
        usable, blocking = payment_lines(raw.get("Line"))
    else:
        kinds = _DOCUMENT_LINES[kind]
        usable, _problems = representable_lines(raw.get("Line"), kinds)
        blocking = [
            problem
            for line in raw.get("Line") or []
            if not is_fragile(line) and (problem := line_problem(line, kinds=kinds))
        ]
    if blocking:
        raise NotRepresentable(
            f"{label} in QuickBooks has {_join(blocking)}, which this app cannot rewrite. "
            "Its lines changed in Scoro, so it was not updated: make the same change in "
            "QuickBooks, or replace that line there, then sync again.",
            side=SIDE,
        )
    out = []
    for index, want in enumerate(desired):
        base = usable[index] if index < len(usable) else None
        had = before[index] if index < len(before) else None
        if base is not None and want == had:
            out.append(copy.deepcopy(dict(base)))  # unchanged: exactly as QuickBooks has it
        elif base is not None and is_fragile(base):
            raise NotRepresentable(
                f"{label} in QuickBooks has a percentage discount, and the change from "
                "Scoro would turn it into a fixed amount, so it was not updated. Change the "
                "discount in QuickBooks, then sync again.",
                side=SIDE,
            )
        elif base is not None and _same_kind(base, want):
            out.append(_overlay_line(base, want))
        else:
            out.append(dict(want))
    return out


def _same_kind(base: Mapping, want: Mapping) -> bool:
    return str(base.get("DetailType") or "") == str(want.get("DetailType") or "") or (
        "LinkedTxn" in want and "DetailType" not in want
    )


def _overlay_line(base: Mapping, want: Mapping) -> dict:
    out = copy.deepcopy(dict(base))
    if "LinkedTxn" in want and "DetailType" not in want:
        out["Amount"] = want["Amount"]
        out["LinkedTxn"] = want["LinkedTxn"]
        return out
    for key in LINE_OWNED:
        if key in want:
            out[key] = want[key]
        else:
            out.pop(key, None)
    detail_type = str(want.get("DetailType") or "")
    owned = LINE_DETAIL_OWNED.get(detail_type)
    if owned is not None and detail_type in want:
        detail = dict(out.get(detail_type) or {})
        wanted = want[detail_type]
        for key in owned:
            if key in wanted:
                detail[key] = wanted[key]
            else:
                detail.pop(key, None)
        for key in LINE_DERIVED:
            detail.pop(key, None)
        out[detail_type] = detail
    return out


def _join(items: list[str]) -> str:
    unique = list(dict.fromkeys(items))
    if len(unique) == 1:
        return unique[0]
    return ", ".join(unique[:-1]) + " and " + unique[-1]
