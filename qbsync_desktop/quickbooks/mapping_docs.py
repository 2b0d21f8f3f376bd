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
    optional_object,
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

# QuickBooks' own summary line: recomputed by QuickBooks on every save, never ours to send.
SUBTOTAL = "SubTotalLineDetail"


def line_problem(line: Mapping, *, kinds: frozenset[str]) -> str:
    """Why this QuickBooks line cannot be represented faithfully ("" when it can). Such a
    line is never read into a record, never rewritten, and holds the record."""
    detail_type = text(line, "DetailType")
    if detail_type == SUBTOTAL:
        return ""
    if detail_type == "GroupLineDetail":
        group = line.get("GroupLineDetail") or {}
        name = (group.get("GroupItemRef") or {}).get("name") if isinstance(group, Mapping) else ""
        return f"a bundle line{f' ({name})' if name else ''}"
    if detail_type not in kinds:
        return f"a line of a kind this app does not handle ({detail_type or 'no kind'})"
    if detail_type == "DiscountLineDetail":
        detail = line.get("DiscountLineDetail") or {}
        if str(detail.get("PercentBased")).lower() == "true":
            percent = detail.get("DiscountPercent")
            return f"a {percent}% discount" if percent is not None else "a percentage discount"
    return ""


SALES_LINE_KINDS = frozenset({"SalesItemLineDetail", "DescriptionOnly", "DiscountLineDetail"})
BILL_LINE_KINDS = frozenset({"AccountBasedExpenseLineDetail", "ItemBasedExpenseLineDetail"})


def _sales_line_in(line: Mapping) -> DocumentLine:
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
    detail = line.get("DiscountLineDetail") or {}
    return DocumentLine(
        description=description,
        quantity=ONE,
        unit_price=-amount,
        amount=-amount,
        account=make_ref(Kind.ACCOUNT, detail, "DiscountAccountRef"),
    )


def representable_lines(lines: object, kinds: frozenset[str]) -> tuple[list, list[str]]:
    """(the lines a record is read from, what cannot be represented). Both the reader and
    the update builder use this, so a record's lines pair one to one with these."""
    if lines is None:
        return [], []
    if not isinstance(lines, list):
        raise ValueError("Line is not a list")
    usable: list = []
    problems: list[str] = []
    for line in lines:
        if not isinstance(line, Mapping):
            raise ValueError("a line is not an object")
        if text(line, "DetailType") == SUBTOTAL:
            continue
        problem = line_problem(line, kinds=kinds)
        if problem:
            problems.append(problem)
            if not is_fragile(line):
                continue
        # A fragile line is read (its amount counts) and kept as QuickBooks has it.
        usable.append(line)
    return usable, problems


def is_fragile(line: Mapping) -> bool:
    """A line we read but must not rewrite: a percent discount would come back as a fixed
    amount."""
    detail = line.get("DiscountLineDetail")
    return isinstance(detail, Mapping) and str(detail.get("PercentBased")).lower() == "true"


def _sales_lines_in(lines: object) -> tuple[tuple[DocumentLine, ...], list[str]]:
    usable, problems = representable_lines(lines, SALES_LINE_KINDS)
    return tuple(_sales_line_in(line) for line in usable), problems


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
                # Without an account QuickBooks books it to the company's discount account.
                "DiscountLineDetail": prune(
                    {"PercentBased": False, "DiscountAccountRef": ref_out(line.account)}
                ),
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


def tax_total_in(obj: Mapping) -> Decimal | None:
    detail = optional_object(obj, "TxnTaxDetail")
    if detail is None:
        return None
    value = detail.get("TotalTax")
    return None if value in (None, "") else money(value, "TxnTaxDetail.TotalTax")


def _open_balance(obj: Mapping, key: str, total: Decimal) -> Decimal:
    """A document whose balance QuickBooks did not send is open, never paid: reading it as
    paid would lock it against changes and hide it from payment syncs."""
    return money(obj.get(key), key, total)


def invoice_in(obj: Mapping, ctx: MappingContext, *, credit_note: bool) -> Invoice:
    total = money(obj.get("TotalAmt"), "TotalAmt", None)
    if credit_note:
        key = "RemainingCredit" if obj.get("RemainingCredit") not in (None, "") else "Balance"
    else:
        key = "Balance"
    balance = _open_balance(obj, key, total)
    lines, problems = _sales_lines_in(obj.get("Line"))
    return Invoice(
        **bookkeeping(obj),
        unsupported=tuple(problems),
        number=text(obj, "DocNumber"),
        contact=make_ref(Kind.CUSTOMER, obj, "CustomerRef"),
        date=date_in(obj.get("TxnDate")),
        due_date=date_in(obj.get("DueDate")),
        currency=_currency(obj, ctx),
        lines=lines,
        is_credit_note=credit_note,
        credited_invoice=make_ref(Kind.INVOICE, obj, "InvoiceRef") if credit_note else None,
        project=make_ref(Kind.PROJECT, obj, "ProjectRef"),
        memo=text(obj, "PrivateNote"),
        status=_status(total, balance),
        total=total,
        paid=total - balance,
        tax_total=tax_total_in(obj),
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


def _bill_line_in(line: Mapping, ctx: MappingContext) -> DocumentLine:
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
    raise ValueError(f"{detail_type} is not a bill line")


def _bill_line_out(line: DocumentLine) -> dict:
    # The project goes on the line, as on invoices. The detail's CustomerRef is the customer
    # the cost is billable to: QuickBooks' field, which we never set or change.
    common = {
        "TaxCodeRef": ref_out(line.tax_rate),
        "ClassRef": ref_out(line.tracking_class),
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
            "ProjectRef": ref_out(line.project),
            detail_type: detail,
        }
    )


def bill_in(obj: Mapping, ctx: MappingContext) -> Bill:
    total = money(obj.get("TotalAmt"), "TotalAmt", None)
    balance = _open_balance(obj, "Balance", total)
    usable, problems = representable_lines(obj.get("Line"), BILL_LINE_KINDS)
    lines = tuple(_bill_line_in(line, ctx) for line in usable)
    return Bill(
        **bookkeeping(obj),
        unsupported=tuple(problems),
        tax_total=tax_total_in(obj),
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


def payment_line_problem(line: Mapping) -> str:
    if not isinstance(line, Mapping):
        raise ValueError("a payment line is not an object")
    linked = line.get("LinkedTxn") or []
    if not isinstance(linked, list):
        raise ValueError("LinkedTxn is not a list")
    kinds = [text(x, "TxnType") for x in linked]
    unknown = [k for k in kinds if k not in _TXN_KIND]
    if unknown:
        return f"a line applied to a {_words(unknown[0])}"
    if len(kinds) != 1:
        return "a line applied to several documents at once" if kinds else "an unapplied line"
    return ""


def _words(txn_type: str) -> str:
    """VendorCredit -> vendor credit."""
    out = "".join(f" {c.lower()}" if c.isupper() else c for c in txn_type).strip()
    return out or "document of no kind"


def payment_lines(lines: object) -> tuple[list, list[str]]:
    """(the lines allocations are read from, what cannot be represented): paired one to one
    with a record's allocations by the update builder."""
    if lines is None:
        return [], []
    if not isinstance(lines, list):
        raise ValueError("Line is not a list")
    usable, problems = [], []
    for line in lines:
        problem = payment_line_problem(line)
        if problem:
            problems.append(problem)
        else:
            usable.append(line)
    return usable, problems


def _allocations_in(lines: list) -> tuple[Allocation, ...]:
    out: list[Allocation] = []
    for line in lines:
        amount = money(line.get("Amount"), "Line.Amount")
        linked = line["LinkedTxn"][0]
        ref = Ref(_TXN_KIND[text(linked, "TxnType")], Side.QBO, text(linked, "TxnId"))
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


_PAY_TYPES = ("Check", "CreditCard")


def payment_in(obj: Mapping, ctx: MappingContext, *, bill_payment: bool) -> Payment:
    problems: list[str] = []
    if bill_payment:
        pay_type = text(obj, "PayType")
        if pay_type and pay_type not in _PAY_TYPES:
            problems.append(f"a payment by {_words(pay_type)}")
        if pay_type == "CreditCard":
            account = make_ref(Kind.ACCOUNT, obj.get("CreditCardPayment") or {}, "CCAccountRef")
        else:
            account = make_ref(Kind.ACCOUNT, obj.get("CheckPayment") or {}, "BankAccountRef")
        contact = make_ref(Kind.VENDOR, obj, "VendorRef")
        reference = text(obj, "DocNumber")
    else:
        account = make_ref(Kind.ACCOUNT, obj, "DepositToAccountRef")
        contact = make_ref(Kind.CUSTOMER, obj, "CustomerRef")
        reference = text(obj, "PaymentRefNum")
    usable, line_problems = payment_lines(obj.get("Line"))
    return Payment(
        **bookkeeping(obj),
        unsupported=(*problems, *line_problems),
        is_bill_payment=bill_payment,
        contact=contact,
        date=date_in(obj.get("TxnDate")),
        amount=money(obj.get("TotalAmt"), "TotalAmt", None),
        currency=_currency(obj, ctx),
        allocations=_allocations_in(usable),
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
