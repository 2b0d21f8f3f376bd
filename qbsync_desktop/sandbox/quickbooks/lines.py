"""Lines and totals of invoices, credit memos, bills and vendor credits: amounts, bundles,
discounts and the tax QBO computes per rate."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from . import errors as E
from .context import ZERO, Ctx, check_ref, company_account, money, num, ref_value
from .jsonutil import to_decimal
from .specs import Spec


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
    amount = num(line.get("Amount"), f"{where}.Amount")
    if amount is None:
        raise E.required(f"{where}.Amount")
    amount = money(amount)
    line["Amount"] = amount
    item = None
    if kind in ("SalesItemLineDetail", "ItemBasedExpenseLineDetail"):
        if not ref_value(detail.get("ItemRef")):
            raise E.required(f"{where}.{kind}.ItemRef")
        item = check_ref(ctx, detail["ItemRef"], "ItemRef", f"{where}.{kind}.ItemRef")
        qty = num(detail.get("Qty"), f"{where}.Qty")
        price = num(detail.get("UnitPrice"), f"{where}.UnitPrice")
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
                raise E.QuickBooksError(
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
        amount = num(tax_line.get("Amount"), "TxnTaxDetail.TaxLine.Amount")
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


def lines_and_totals(ctx: Ctx, spec: Spec, obj: dict) -> None:
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
            amount = num(line.get("Amount"), "Line.Amount")
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
        percent = num(detail.get("DiscountPercent"), "Line.DiscountLineDetail.DiscountPercent")
        if detail.get("PercentBased") is True and percent is not None:
            amount = money(t.subtotal * percent / 100)
        else:
            amount = num(line.get("Amount"), "Line.Amount")
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
        total_tax = money(num(supplied.get("TotalTax"), "TxnTaxDetail.TotalTax") or ZERO)
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
