"""Scoro JSON -> domain records (this file) and back (`outbound.py`).

Every reader takes one raw object and returns one record, or raises MalformedRecord for that
record only (`from_scoro`). Refs carry Side.SCORO and Scoro's ids as text.

Credit invoices: Scoro stores them with negative lines; the domain holds a
credit note with positive amounts, as QuickBooks' CreditMemo does, so the two sides compare.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

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
    Record,
    Ref,
    Side,
    TaxRate,
    TrackingClass,
)
from ..domain.errors import MalformedRecord
from ..domain.money import MoneyError
from .coerce import first_text, flag, ident, int_list, money, optional_money, text
from .dates import parse_date, parse_datetime

S = Side.SCORO
INACTIVE_PROJECT_STATUSES = {"completed", "cancelled"}
PurposeCurrency = Callable[[str], str | None]


def ref(kind: Kind, value: Any, field: str) -> Ref | None:
    found = ident(value, field)
    return Ref(kind, S, found) if found is not None else None


def _meta(raw: Mapping[str, Any], id_field: str) -> dict[str, Any]:
    found = ident(raw.get(id_field, raw.get("id")), id_field)
    if found is None:
        raise ValueError(f"{id_field}: missing")
    modified = text(raw.get("modified_date"), "modified_date")
    return {
        "id": found,
        "version": modified,
        "modified": parse_datetime(raw.get("modified_date")),
        "deleted": flag(raw.get("is_deleted"), "is_deleted"),
    }


# -- parties ----------------------------------------------------------------------------


def contact_from_scoro(
    raw: Mapping[str, Any],
    profile_currency: PurposeCurrency | None = None,
    base_currency: str | None = None,
) -> Contact:
    is_person = text(raw.get("contact_type"), "contact_type").strip().lower() == "person"
    first = text(raw.get("name"), "name").strip()
    last = text(raw.get("lastname"), "lastname").strip()
    name = " ".join(p for p in (first, last) if p) if is_person else first
    if not name:
        raise ValueError("name: missing")
    means = raw.get("means_of_contact") or {}
    if not isinstance(means, dict):
        raise ValueError("means_of_contact: not an object")
    phone = first_text(means.get("phone"), "phone") or first_text(means.get("mobile"), "mobile")
    currency = None
    profile = ident(raw.get("client_profile_id"), "client_profile_id")
    if profile is not None and profile_currency is not None:
        currency = profile_currency(profile)
    return Contact(
        name=name,
        is_person=is_person,
        first_name=first if is_person else "",
        last_name=last if is_person else "",
        is_client=flag(raw.get("is_client"), "is_client"),
        is_supplier=flag(raw.get("is_supplier"), "is_supplier"),
        email=first_text(means.get("email"), "email"),
        phone=phone,
        currency=currency or base_currency,
        vat_number=text(raw.get("vatno"), "vatno").strip(),
        address=_address(raw.get("addresses", raw.get("address"))),
        **_meta(raw, "contact_id"),
    )


def _address(value: Any) -> Address | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, dict)), None)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ValueError("addresses: not an object")
    address = Address(
        street=text(value.get("street"), "street").strip(),
        city=text(value.get("city"), "city").strip(),
        postal_code=text(value.get("zipcode"), "zipcode").strip(),
        region=text(value.get("county"), "county").strip(),
        country=text(value.get("country"), "country").strip(),
    )
    return (
        address
        if any((address.street, address.city, address.postal_code, address.region, address.country))
        else None
    )


def product_from_scoro(raw: Mapping[str, Any]) -> Product:
    name = text(raw.get("name"), "name").strip()
    if not name:
        raise ValueError("name: missing")
    return Product(
        name=name,
        description=text(raw.get("description"), "description"),
        sku=text(raw.get("code"), "code").strip(),
        unit_price=money(raw.get("price"), "price"),
        purchase_cost=money(raw.get("buying_price"), "buying_price"),
        income_account=ref(
            Kind.ACCOUNT, raw.get("sales_finance_account_id"), "sales_finance_account_id"
        ),
        expense_account=ref(
            Kind.ACCOUNT, raw.get("purchases_finance_account_id"), "purchases_finance_account_id"
        ),
        is_service=flag(raw.get("is_service"), "is_service", default=True),
        active=flag(raw.get("is_active"), "is_active", default=True),
        **_meta(raw, "product_id"),
    )


def project_from_scoro(raw: Mapping[str, Any]) -> Project:
    name = text(raw.get("project_name"), "project_name").strip()
    if not name:
        raise ValueError("project_name: missing")
    status = text(raw.get("status"), "status").strip()
    return Project(
        name=name,
        client=ref(Kind.CUSTOMER, raw.get("company_id"), "company_id"),
        status=status,
        active=status not in INACTIVE_PROJECT_STATUSES,
        **_meta(raw, "project_id"),
    )


# -- documents ---------------------------------------------------------------------------


def line_from_scoro(raw: Any, *, negate: bool = False) -> DocumentLine:
    if not isinstance(raw, dict):
        raise ValueError("lines: a line is not an object")
    quantity = money(raw.get("amount"), "amount", default=Decimal(1))
    price = money(raw.get("price"), "price")
    discount = money(raw.get("discount"), "discount")
    line_sum = optional_money(raw.get("sum"), "sum")
    if line_sum is None:
        line_sum = (quantity * price * (1 - discount / 100)).quantize(Decimal("0.01"))
    if negate:
        line_sum = -line_sum
        if quantity < 0:
            quantity = -quantity
        else:
            price = -price
    description = text(raw.get("comment"), "comment")
    return DocumentLine(
        description=description,
        product=ref(Kind.PRODUCT, raw.get("product_id"), "product_id"),
        quantity=quantity,
        unit_price=price,
        amount=line_sum,
        tax_rate=ref(Kind.TAX_RATE, raw.get("vat_code_id"), "vat_code_id"),
        account=ref(Kind.ACCOUNT, raw.get("finance_account_id"), "finance_account_id"),
        project=ref(Kind.PROJECT, raw.get("project_id"), "project_id"),
        tracking_class=ref(Kind.TRACKING_CLASS, raw.get("finance_object_id"), "finance_object_id"),
    )


def _lines(raw: Mapping[str, Any], negate: bool = False) -> tuple[DocumentLine, ...]:
    lines = raw.get("lines")
    if lines is None:
        return ()
    if not isinstance(lines, list):
        raise ValueError("lines: not a list")
    return tuple(line_from_scoro(line, negate=negate) for line in lines)


def _tax_total(raw: Mapping[str, Any], sign: int) -> Decimal | None:
    """Scoro's own VAT total (rounded per line), which QuickBooks is asked to keep."""
    vat = optional_money(raw.get("vat_sum"), "vat_sum")
    return None if vat is None else vat * sign


def _totals(raw: Mapping[str, Any], sign: int) -> tuple[Decimal, Decimal]:
    """(gross total, paid). `sum` is without VAT; paid is `paid_sum`, else total less
    `receivable_sum`."""
    total = (money(raw.get("sum"), "sum") + money(raw.get("vat_sum"), "vat_sum")) * sign
    paid = optional_money(raw.get("paid_sum"), "paid_sum")
    if paid is None:
        receivable = optional_money(raw.get("receivable_sum"), "receivable_sum")
        if receivable is not None:
            paid = total - receivable * sign
        elif text(raw.get("status"), "status").strip().lower() == "paid":
            paid = total
        else:
            paid = Decimal(0)
    else:
        paid = paid * sign
    return total, paid


def invoice_from_scoro(raw: Mapping[str, Any]) -> Invoice:
    credited = int_list(raw.get("credited_invoices"), "credited_invoices")
    is_credit = bool(credited)
    contact_id = raw.get("company_id") or raw.get("person_id")
    total, paid = _totals(raw, -1 if is_credit else 1)
    return Invoice(
        number=text(raw.get("no"), "no").strip(),
        contact=ref(Kind.CUSTOMER, contact_id, "company_id"),
        date=parse_date(raw.get("date")),
        due_date=parse_date(raw.get("deadline")),
        currency=text(raw.get("currency"), "currency").strip().upper(),
        lines=_lines(raw, negate=is_credit),
        is_credit_note=is_credit,
        credited_invoice=Ref(Kind.INVOICE, S, credited[0]) if credited else None,
        project=ref(Kind.PROJECT, raw.get("project_id"), "project_id"),
        memo=text(raw.get("description"), "description"),
        status=text(raw.get("status"), "status").strip(),
        total=total,
        paid=paid,
        tax_total=_tax_total(raw, -1 if is_credit else 1),
        **_meta(raw, "id"),
    )


def bill_from_scoro(raw: Mapping[str, Any]) -> Bill:
    total, paid = _totals(raw, 1)
    return Bill(
        number=text(raw.get("no"), "no").strip(),
        contact=ref(Kind.VENDOR, raw.get("company_id"), "company_id"),
        date=parse_date(raw.get("date")),
        due_date=parse_date(raw.get("deadline")),
        currency=text(raw.get("currency"), "currency").strip().upper(),
        lines=_lines(raw),
        memo=text(raw.get("description"), "description"),
        # Scoro line sums are always without VAT.
        tax_included=False,
        status=text(raw.get("status"), "status").strip(),
        total=total,
        paid=paid,
        tax_total=_tax_total(raw, 1),
        **_meta(raw, "id"),
    )


def payment_from_scoro(raw: Mapping[str, Any]) -> Payment:
    doc_type = text(raw.get("sales_doc_type"), "sales_doc_type").strip() or "invoices"
    if doc_type not in ("invoices", "bills"):
        raise ValueError(f"sales_doc_type: {doc_type!r} is not synced")
    is_bill = doc_type == "bills"
    allocations = []
    items = raw.get("receipts") or []
    if not isinstance(items, list):
        raise ValueError("receipts: not a list")
    for item in items:
        if not isinstance(item, dict):
            raise ValueError("receipts: an allocation is not an object")
        item_type = text(item.get("sales_doc_type"), "sales_doc_type").strip() or doc_type
        doc = ident(item.get("invoice_id"), "invoice_id")
        if doc is None:
            continue  # prepayment allocations have no document on the other side
        kind = Kind.BILL if item_type == "bills" else Kind.INVOICE
        allocations.append(Allocation(Ref(kind, S, doc), money(item.get("sum"), "sum")))
    contact_kind = Kind.VENDOR if is_bill else Kind.CUSTOMER
    amount = optional_money(raw.get("sum"), "sum")
    if amount is None:
        amount = sum((a.amount for a in allocations), Decimal(0))
    return Payment(
        is_bill_payment=is_bill,
        contact=ref(contact_kind, raw.get("contact_id"), "contact_id"),
        date=parse_date(raw.get("date")),
        amount=amount,
        currency=text(raw.get("currency"), "currency").strip().upper(),
        allocations=tuple(allocations),
        **_meta(raw, "id"),
    )


# -- background items ----------------------------------------------------------------------


def account_from_scoro(raw: Mapping[str, Any]) -> Account:
    name = text(raw.get("name"), "name").strip()
    if not name:
        raise ValueError("name: missing")
    kinds = [
        label
        for key, label in (("is_sales_account", "sales"), ("is_purchases_account", "purchases"))
        if flag(raw.get(key), key)
    ]
    return Account(
        name=name,
        number=text(raw.get("account_symbol"), "account_symbol").strip(),
        account_type=",".join(kinds),
        active=flag(raw.get("is_active"), "is_active", default=True),
        **_meta(raw, "id"),
    )


def tax_rate_from_scoro(raw: Mapping[str, Any]) -> TaxRate:
    code = text(raw.get("vat_code"), "vat_code").strip()
    name = text(raw.get("vat_name"), "vat_name").strip() or code
    if not name:
        raise ValueError("vat_name: missing")
    return TaxRate(
        name=name,
        code=code,
        rate=money(raw.get("percent"), "percent"),
        active=flag(raw.get("is_active"), "is_active", default=True),
        **_meta(raw, "vat_code_id"),
    )


def tracking_class_from_scoro(raw: Mapping[str, Any]) -> TrackingClass:
    name = text(raw.get("name"), "name").strip()
    if not name:
        raise ValueError("name: missing")
    return TrackingClass(
        name=name,
        active=flag(raw.get("is_active"), "is_active", default=True),
        **_meta(raw, "object_id"),
    )


def attachment_from_scoro(raw: Mapping[str, Any], document: Ref | None = None) -> Attachment:
    name = text(raw.get("file_name", raw.get("name")), "file_name").strip()
    if not name:
        raise ValueError("file_name: missing")
    ctype = text(raw.get("file_type"), "file_type").strip()
    if "/" not in ctype:
        ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
    size = raw.get("file_size")
    size_value = int(money(size, "file_size")) if size not in (None, "") else 0
    return Attachment(
        file_name=name,
        content_type=ctype,
        size=size_value,
        document=document or _related_document(raw),
        **_meta(raw, "file_id"),
    )


def _related_document(raw: Mapping[str, Any]) -> Ref | None:
    relations = raw.get("relations")
    if isinstance(relations, dict):
        for module, kind in (("invoices", Kind.INVOICE), ("bills", Kind.BILL)):
            ids = int_list(relations.get(module), module)
            if ids:
                return Ref(kind, S, ids[0])
    rel_type = raw.get("rel_type")
    if rel_type in ("invoices", "bills"):
        kind = Kind.INVOICE if rel_type == "invoices" else Kind.BILL
        return ref(kind, raw.get("rel_id"), "rel_id")
    return None


# -- dispatch ------------------------------------------------------------------------------


def from_scoro(
    kind: Kind,
    raw: Any,
    *,
    profile_currency: PurposeCurrency | None = None,
    base_currency: str | None = None,
) -> Record:
    """Map one raw object; any problem becomes MalformedRecord for this record only."""
    record_id = ""
    try:
        if not isinstance(raw, dict):
            raise ValueError(f"expected an object, got {type(raw).__name__}")
        record_id = _raw_id(raw)
        return _dispatch(kind, raw, profile_currency, base_currency)
    except MalformedRecord:
        raise
    except (
        ValueError,
        TypeError,
        KeyError,
        MoneyError,
        InvalidOperation,
        OverflowError,
        AttributeError,
    ) as exc:
        raise MalformedRecord(
            f"Scoro {kind.label.lower()} {record_id or '(no id)'} could not be read: {exc}",
            kind=kind.value,
            record_id=record_id,
        ) from None


def _raw_id(raw: Mapping[str, Any]) -> str:
    for key in (
        "id",
        "contact_id",
        "product_id",
        "project_id",
        "vat_code_id",
        "object_id",
        "file_id",
    ):
        value = raw.get(key)
        if isinstance(value, int | str) and not isinstance(value, bool) and value != "":
            return str(value)[:64]
    return ""


def _dispatch(kind, raw, profile_currency, base_currency) -> Record:
    if kind in (Kind.CUSTOMER, Kind.VENDOR):
        return contact_from_scoro(raw, profile_currency, base_currency)
    if kind in (Kind.INVOICE, Kind.CREDIT_NOTE):
        return invoice_from_scoro(raw)
    if kind in (Kind.RECEIPT, Kind.BILL_PAYMENT):
        return payment_from_scoro(raw)
    readers: dict[Kind, Callable[[Any], Record]] = {
        Kind.PRODUCT: product_from_scoro,
        Kind.PROJECT: project_from_scoro,
        Kind.BILL: bill_from_scoro,
        Kind.ACCOUNT: account_from_scoro,
        Kind.TAX_RATE: tax_rate_from_scoro,
        Kind.TRACKING_CLASS: tracking_class_from_scoro,
        Kind.ATTACHMENT: attachment_from_scoro,
    }
    return readers[kind](raw)


def modified_of(raw: Any) -> dt.datetime | None:
    """The instant a raw object last changed, for ordering and watermarks; None if unknown."""
    if not isinstance(raw, dict):
        return None
    for key in ("modified_date", "deleted_date", "created_date"):
        try:
            value = parse_datetime(raw.get(key))
        except ValueError:
            value = None
        if value is not None:
            return value
    return None
