"""Transactions: Invoice / CreditMemo, Bill, Payment / BillPayment."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from decimal import Decimal

from qbsync_desktop.domain import Allocation, Bill, DocumentLine, Invoice, Kind, Payment, Ref, Side

from .mapping_common import (
    MappingContext,
    bookkeeping,
    date_in,
    date_out,
    make_ref,
    money,
    prune,
    ref_out,
    ref_value,
    text,
)

log = logging.getLogger(__name__)

ZERO = Decimal(0)
ONE = Decimal(1)


def _currency(obj: Mapping, ctx: MappingContext) -> str:
    return ref_value(obj, "CurrencyRef") or ctx.home_currency


def _status(total: Decimal, balance: Decimal) -> str:
    if total > 0 and balance <= 0:
        return "paid"
    if 0 < balance < total:
        return "partially_paid"
    return "open"


# -- sales lines -----------------------------------------------------------------------------


def _sales_line_in(line: Mapping) -> DocumentLine | None:
    detail_type = text(line, "DetailType")
    amount = money(line.get("Amount"), "Line.Amount")
    description = text(line, "Description")
    if detail_type == "SalesItemLineDetail":
        detail = line.get("SalesItemLineDetail") or {}
        return DocumentLine(
            description=description,
            product=make_ref(Kind.PRODUCT, detail, "ItemRef"),
            quantity=money(detail.get("Qty"), "Qty", ONE),
            unit_price=money(detail.get("UnitPrice"), "UnitPrice", amount),
            amount=amount,
            tax_rate=make_ref(Kind.TAX_RATE, detail, "TaxCodeRef"),
            project=make_ref(Kind.PROJECT, line, "ProjectRef"),
            tracking_class=make_ref(Kind.TRACKING_CLASS, detail, "ClassRef"),
        )
    if detail_type == "DescriptionOnly":
        return DocumentLine(description=description, amount=amount)
    if detail_type == "DiscountLineDetail":
        detail = line.get("DiscountLineDetail") or {}
        return DocumentLine(
            description=description,
            quantity=ONE,
            unit_price=-amount,
            amount=-amount,
            account=make_ref(Kind.ACCOUNT, detail, "DiscountAccountRef"),
        )
    # SubTotalLineDetail is QuickBooks' own summary; tax lines live in TxnTaxDetail.
    return None


def _sales_lines_in(lines: list) -> tuple[DocumentLine, ...]:
    out: list[DocumentLine] = []
    for line in lines or []:
        if text(line, "DetailType") == "GroupLineDetail":
            group = line.get("GroupLineDetail") or {}
            out.extend(filter(None, (_sales_line_in(inner) for inner in group.get("Line") or [])))
            continue
        parsed = _sales_line_in(line)
        if parsed is not None:
            out.append(parsed)
    return tuple(out)


def _is_description_only(line: DocumentLine) -> bool:
    return (
        line.product is None
        and line.amount == 0
        and line.quantity == 1
        and line.unit_price == 0
        and line.tax_rate is None
        and line.account is None
        and line.tracking_class is None
        and line.project is None
    )


def _is_discount(line: DocumentLine) -> bool:
    return (
        line.product is None
        and line.amount < 0
        and line.quantity == 1
        and line.unit_price == line.amount
        and line.account is not None
        and line.tax_rate is None
        and line.tracking_class is None
        and line.project is None
    )


def _sales_line_out(line: DocumentLine) -> dict:
    if _is_description_only(line):
        return prune(
            {
                "DetailType": "DescriptionOnly",
                "Description": line.description or None,
                "DescriptionLineDetail": {},
            }
        )
    if _is_discount(line):
        return prune(
            {
                "DetailType": "DiscountLineDetail",
                "Amount": -line.amount,
                "Description": line.description or None,
                "DiscountLineDetail": {
                    "PercentBased": False,
                    "DiscountAccountRef": ref_out(line.account),
                },
            }
        )
    return prune(
        {
            "DetailType": "SalesItemLineDetail",
            "Amount": line.amount,
            "Description": line.description or None,
            "ProjectRef": ref_out(line.project),
            "SalesItemLineDetail": prune(
                {
                    "ItemRef": ref_out(line.product),
                    "Qty": line.quantity,
                    "UnitPrice": line.unit_price,
                    "TaxCodeRef": ref_out(line.tax_rate),
                    "ClassRef": ref_out(line.tracking_class),
                }
            ),
        }
    )


# -- Invoice / CreditMemo --------------------------------------------------------------------


def invoice_in(obj: Mapping, ctx: MappingContext, *, credit_note: bool) -> Invoice:
    total = money(obj.get("TotalAmt"), "TotalAmt")
    if credit_note:
        balance = money(obj.get("RemainingCredit", obj.get("Balance")), "RemainingCredit")
    else:
        balance = money(obj.get("Balance"), "Balance", total)
    return Invoice(
        **bookkeeping(obj),
        number=text(obj, "DocNumber"),
        contact=make_ref(Kind.CUSTOMER, obj, "CustomerRef"),
        date=date_in(obj.get("TxnDate")),
        due_date=date_in(obj.get("DueDate")),
        currency=_currency(obj, ctx),
        lines=_sales_lines_in(obj.get("Line") or []),
        is_credit_note=credit_note,
        credited_invoice=make_ref(Kind.INVOICE, obj, "InvoiceRef") if credit_note else None,
        project=make_ref(Kind.PROJECT, obj, "ProjectRef"),
        memo=text(obj, "PrivateNote"),
        status=_status(total, balance),
        total=total,
        paid=total - balance,
    )


def invoice_out(record: Invoice, ctx: MappingContext) -> dict:
    return prune(
        {
            "CustomerRef": ref_out(record.contact),
            "DocNumber": record.number or None,
            "TxnDate": date_out(record.date),
            "DueDate": None if record.is_credit_note else date_out(record.due_date),
            "CurrencyRef": {"value": record.currency} if record.currency else None,
            "ProjectRef": ref_out(record.project),
            "InvoiceRef": ref_out(record.credited_invoice) if record.is_credit_note else None,
            "PrivateNote": record.memo or None,
            "Line": [_sales_line_out(line) for line in record.lines],
        }
    )


# -- Bill --------------------------------------------------------------------------------------


def _line_project(line: Mapping, detail: Mapping, ctx: MappingContext) -> Ref | None:
    project = make_ref(Kind.PROJECT, line, "ProjectRef")
    if project is not None:
        return project
    # Expense lines point at a project through CustomerRef (a project is a Customer); a plain
    # customer there only marks the cost billable and is not a project.
    customer = ref_value(detail, "CustomerRef")
    if customer and ctx.is_project is not None and ctx.is_project(customer):
        return Ref(Kind.PROJECT, Side.QBO, customer)
    return None


def _bill_line_in(line: Mapping, ctx: MappingContext) -> DocumentLine | None:
    detail_type = text(line, "DetailType")
    amount = money(line.get("Amount"), "Line.Amount")
    description = text(line, "Description")
    if detail_type == "AccountBasedExpenseLineDetail":
        detail = line.get("AccountBasedExpenseLineDetail") or {}
        return DocumentLine(
            description=description,
            quantity=ONE,
            unit_price=amount,
            amount=amount,
            account=make_ref(Kind.ACCOUNT, detail, "AccountRef"),
            tax_rate=make_ref(Kind.TAX_RATE, detail, "TaxCodeRef"),
            tracking_class=make_ref(Kind.TRACKING_CLASS, detail, "ClassRef"),
            project=_line_project(line, detail, ctx),
        )
    if detail_type == "ItemBasedExpenseLineDetail":
        detail = line.get("ItemBasedExpenseLineDetail") or {}
        return DocumentLine(
            description=description,
            product=make_ref(Kind.PRODUCT, detail, "ItemRef"),
            quantity=money(detail.get("Qty"), "Qty", ONE),
            unit_price=money(detail.get("UnitPrice"), "UnitPrice", amount),
            amount=amount,
            tax_rate=make_ref(Kind.TAX_RATE, detail, "TaxCodeRef"),
            tracking_class=make_ref(Kind.TRACKING_CLASS, detail, "ClassRef"),
            project=_line_project(line, detail, ctx),
        )
    return None


def _bill_line_out(line: DocumentLine) -> dict:
    common = {
        "TaxCodeRef": ref_out(line.tax_rate),
        "ClassRef": ref_out(line.tracking_class),
        "CustomerRef": ref_out(line.project),
    }
    if line.product is not None:
        detail = prune(
            {
                "ItemRef": ref_out(line.product),
                "Qty": line.quantity,
                "UnitPrice": line.unit_price,
                **common,
            }
        )
        detail_type = "ItemBasedExpenseLineDetail"
    else:
        detail = prune({"AccountRef": ref_out(line.account), **common})
        detail_type = "AccountBasedExpenseLineDetail"
    return prune(
        {
            "DetailType": detail_type,
            "Amount": line.amount,
            "Description": line.description or None,
            detail_type: detail,
        }
    )


def bill_in(obj: Mapping, ctx: MappingContext) -> Bill:
    total = money(obj.get("TotalAmt"), "TotalAmt")
    balance = money(obj.get("Balance"), "Balance", total)
    lines = tuple(
        parsed for parsed in (_bill_line_in(line, ctx) for line in obj.get("Line") or []) if parsed
    )
    return Bill(
        **bookkeeping(obj),
        number=text(obj, "DocNumber"),
        contact=make_ref(Kind.VENDOR, obj, "VendorRef"),
        date=date_in(obj.get("TxnDate")),
        due_date=date_in(obj.get("DueDate")),
        currency=_currency(obj, ctx),
        lines=lines,
        memo=text(obj, "PrivateNote"),
        tax_included=text(obj, "GlobalTaxCalculation") != "TaxExcluded",
        status=_status(total, balance),
        total=total,
        paid=total - balance,
    )


def bill_out(record: Bill, ctx: MappingContext) -> dict:
    global_tax = None
    if ctx.send_global_tax:
        global_tax = "TaxInclusive" if record.tax_included else "TaxExcluded"
    return prune(
        {
            "VendorRef": ref_out(record.contact),
            "DocNumber": record.number or None,
            "TxnDate": date_out(record.date),
            "DueDate": date_out(record.due_date),
            "CurrencyRef": {"value": record.currency} if record.currency else None,
            "PrivateNote": record.memo or None,
            "GlobalTaxCalculation": global_tax,
            "Line": [_bill_line_out(line) for line in record.lines],
        }
    )


# -- Payment / BillPayment ---------------------------------------------------------------------

_TXN_KIND = {"Invoice": Kind.INVOICE, "CreditMemo": Kind.CREDIT_NOTE, "Bill": Kind.BILL}
_KIND_TXN = {kind: name for name, kind in _TXN_KIND.items()}


def _allocations_in(lines: list) -> tuple[Allocation, ...]:
    out: list[Allocation] = []
    for line in lines or []:
        amount = money(line.get("Amount"), "Line.Amount")
        linked = [x for x in line.get("LinkedTxn") or [] if text(x, "TxnType") in _TXN_KIND]
        if len(linked) > 1:
            log.debug(
                "payment line links %d documents; the first one takes the amount", len(linked)
            )
        if linked:
            first = linked[0]
            ref = Ref(_TXN_KIND[text(first, "TxnType")], Side.QBO, text(first, "TxnId"))
            out.append(Allocation(document=ref, amount=amount))
    return tuple(out)


def _allocations_out(allocations: tuple[Allocation, ...]) -> list[dict]:
    lines = []
    for allocation in allocations:
        ref_out(allocation.document)
        txn_type = _KIND_TXN.get(allocation.document.kind)
        if txn_type is None:
            raise ValueError(f"a payment cannot be applied to a {allocation.document.kind.label}")
        lines.append(
            {
                "Amount": allocation.amount,
                "LinkedTxn": [{"TxnId": allocation.document.id, "TxnType": txn_type}],
            }
        )
    return lines


def payment_in(obj: Mapping, ctx: MappingContext, *, bill_payment: bool) -> Payment:
    if bill_payment:
        pay_detail = obj.get("CreditCardPayment") if text(obj, "PayType") == "CreditCard" else None
        account = (
            make_ref(Kind.ACCOUNT, pay_detail, "CCAccountRef")
            if pay_detail
            else make_ref(Kind.ACCOUNT, obj.get("CheckPayment") or {}, "BankAccountRef")
        )
        contact = make_ref(Kind.VENDOR, obj, "VendorRef")
        reference = text(obj, "DocNumber")
    else:
        account = make_ref(Kind.ACCOUNT, obj, "DepositToAccountRef")
        contact = make_ref(Kind.CUSTOMER, obj, "CustomerRef")
        reference = text(obj, "PaymentRefNum")
    return Payment(
        **bookkeeping(obj),
        is_bill_payment=bill_payment,
        contact=contact,
        date=date_in(obj.get("TxnDate")),
        amount=money(obj.get("TotalAmt"), "TotalAmt"),
        currency=_currency(obj, ctx),
        allocations=_allocations_in(obj.get("Line") or []),
        account=account,
        reference=reference,
    )


def payment_out(record: Payment, ctx: MappingContext) -> dict:
    common = {
        "TxnDate": date_out(record.date),
        "TotalAmt": record.amount,
        "CurrencyRef": {"value": record.currency} if record.currency else None,
        "Line": _allocations_out(record.allocations),
    }
    if record.is_bill_payment:
        bank = ref_out(record.account)
        return prune(
            {
                "VendorRef": ref_out(record.contact),
                "PayType": "Check",
                "CheckPayment": {"BankAccountRef": bank} if bank else None,
                "DocNumber": record.reference or None,
                **common,
            }
        )
    return prune(
        {
            "CustomerRef": ref_out(record.contact),
            "DepositToAccountRef": ref_out(record.account),
            "PaymentRefNum": record.reference or None,
            **common,
        }
    )
