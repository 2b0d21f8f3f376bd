"""QuickBooks JSON -> domain records, one reader per entity (the other half is `outbound.py`).

A reader takes one QuickBooks object and returns one record, or raises for that object only;
`mapping.to_domain` turns any of those errors into `MalformedRecord`. What we cannot represent
faithfully (a bundle line, a payment applied to a journal entry) is listed in the record's
`unsupported`, so a later update holds it instead of rewriting it."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from ..domain import (
    Account,
    Address,
    Allocation,
    Attachment,
    Bill,
    Contact,
    DocumentLine,
    Invoice,
    Kind,
    Payment,
    Product,
    Project,
    Ref,
    Side,
    TaxRate,
    TrackingClass,
)
from .mapping_common import (
    ADDRESS_FIELDS,
    ENTITY_KIND,
    SHA_PREFIX,
    TXN_KIND,
    MappingContext,
    active,
    bookkeeping,
    date_in,
    make_ref,
    money,
    nested_text,
    optional_object,
    ref_value,
    required_text,
    text,
)


def _address_in(raw: object) -> Address | None:
    if not isinstance(raw, Mapping):
        return None
    values = {ours: text(raw, theirs) for ours, theirs in ADDRESS_FIELDS}
    return Address(**values) if any(values.values()) else None


def contact_from_quickbooks(obj: Mapping, kind: Kind, ctx: MappingContext) -> Contact:
    company = text(obj, "CompanyName")
    given = text(obj, "GivenName")
    family = text(obj, "FamilyName")
    vendor = kind is Kind.VENDOR
    vat = text(obj, "TaxIdentifier") if vendor else ""
    vat = vat or text(obj, "PrimaryTaxIdentifier")
    return Contact(
        **bookkeeping(obj),
        name=required_text(obj, "DisplayName"),
        is_person=not company and bool(given or family),
        first_name=given,
        last_name=family,
        is_client=not vendor,
        is_supplier=vendor,
        email=nested_text(obj, "PrimaryEmailAddr", "Address"),
        phone=nested_text(obj, "PrimaryPhone", "FreeFormNumber"),
        currency=ref_value(obj, "CurrencyRef"),
        vat_number=vat,
        address=_address_in(obj.get("BillAddr")),
        active=active(obj),
    )


def product_from_quickbooks(obj: Mapping, ctx: MappingContext) -> Product:
    return Product(
        **bookkeeping(obj),
        name=required_text(obj, "Name"),
        description=text(obj, "Description"),
        sku=text(obj, "Sku"),
        unit_price=money(obj.get("UnitPrice"), "UnitPrice"),
        purchase_cost=money(obj.get("PurchaseCost"), "PurchaseCost"),
        income_account=make_ref(Kind.ACCOUNT, obj, "IncomeAccountRef"),
        expense_account=make_ref(Kind.ACCOUNT, obj, "ExpenseAccountRef"),
        is_service=text(obj, "Type") == "Service",
        active=active(obj),
    )


def project_from_quickbooks(obj: Mapping, ctx: MappingContext) -> Project:
    is_active = active(obj)
    return Project(
        **bookkeeping(obj),
        name=required_text(obj, "DisplayName"),
        client=make_ref(Kind.CUSTOMER, obj, "ParentRef"),
        status="active" if is_active else "inactive",
        active=is_active,
    )


def account_from_quickbooks(obj: Mapping, ctx: MappingContext) -> Account:
    return Account(
        **bookkeeping(obj),
        name=required_text(obj, "Name"),
        number=text(obj, "AcctNum"),
        account_type=text(obj, "AccountType"),
        currency=ref_value(obj, "CurrencyRef"),
        active=active(obj),
    )


def tax_rate_from_quickbooks(obj: Mapping, ctx: MappingContext) -> TaxRate:
    rate = Decimal(0)
    details = ((obj.get("SalesTaxRateList") or {}).get("TaxRateDetail")) or []
    if not details:
        details = ((obj.get("PurchaseTaxRateList") or {}).get("TaxRateDetail")) or []
    for detail in details:
        rate_id = ref_value(detail, "TaxRateRef")
        if rate_id is not None and rate_id in ctx.tax_rates:
            rate += ctx.tax_rates[rate_id]
    name = required_text(obj, "Name")
    return TaxRate(
        **bookkeeping(obj),
        name=text(obj, "Description") or name,
        code=name,
        rate=rate,
        active=active(obj),
    )


def tracking_class_from_quickbooks(obj: Mapping, ctx: MappingContext) -> TrackingClass:
    return TrackingClass(
        **bookkeeping(obj),
        name=required_text(obj, "Name"),
        parent=make_ref(Kind.TRACKING_CLASS, obj, "ParentRef"),
        active=active(obj),
    )


def attachment_from_quickbooks(obj: Mapping, ctx: MappingContext) -> Attachment:
    document = None
    for link in obj.get("AttachableRef") or []:
        entity_ref = (link or {}).get("EntityRef") or {}
        entity_type = str(entity_ref.get("type") or entity_ref.get("Type") or "")
        if entity_type in ENTITY_KIND and entity_ref.get("value"):
            document = Ref(ENTITY_KIND[entity_type], Side.QBO, str(entity_ref["value"]))
            break
    note = text(obj, "Note")
    size = obj.get("Size")
    return Attachment(
        **bookkeeping(obj),
        file_name=text(obj, "FileName"),
        content_type=text(obj, "ContentType") or "application/octet-stream",
        size=int(Decimal(str(size))) if size not in (None, "") else 0,
        sha256=note[len(SHA_PREFIX) :].strip() if note.startswith(SHA_PREFIX) else "",
        document=document,
    )


ONE = Decimal(1)


def _currency(obj: Mapping, ctx: MappingContext) -> str:
    return ref_value(obj, "CurrencyRef") or ctx.home_currency


def _status(total: Decimal, balance: Decimal) -> str:
    if total > 0 and balance <= 0:
        return "paid"
    if 0 < balance < total:
        return "partially_paid"
    return "open"


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


def invoice_from_quickbooks(obj: Mapping, ctx: MappingContext, *, credit_note: bool) -> Invoice:
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


def bill_from_quickbooks(obj: Mapping, ctx: MappingContext) -> Bill:
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


def payment_line_problem(line: Mapping) -> str:
    if not isinstance(line, Mapping):
        raise ValueError("a payment line is not an object")
    linked = line.get("LinkedTxn") or []
    if not isinstance(linked, list):
        raise ValueError("LinkedTxn is not a list")
    kinds = [text(x, "TxnType") for x in linked]
    unknown = [k for k in kinds if k not in TXN_KIND]
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
        ref = Ref(TXN_KIND[text(linked, "TxnType")], Side.QBO, text(linked, "TxnId"))
        out.append(Allocation(document=ref, amount=amount))
    return tuple(out)


_PAY_TYPES = ("Check", "CreditCard")


def payment_from_quickbooks(obj: Mapping, ctx: MappingContext, *, bill_payment: bool) -> Payment:
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
