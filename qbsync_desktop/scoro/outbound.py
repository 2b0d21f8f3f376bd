"""Domain records -> Scoro `modify` bodies (the other half of `inbound.py`).

Only fields the record owns are sent: Scoro keeps what a `modify` leaves out, so a partial
body never clears data the sync does not manage. Document lines are the exception: Scoro
replaces the whole collection, so all of them are always sent.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..domain import (
    Account,
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
    TaxRate,
    TrackingClass,
)


def scoro_id(value: str) -> int | str:
    """Scoro ids go out as numbers; anything else (a test's or a future text id) as given."""
    return int(value) if str(value).isdigit() else value


def _id(value: Ref | None) -> int | str | None:
    return None if value is None else scoro_id(value.id)


def _flag(value: bool) -> int:
    return 1 if value else 0


def contact_to_scoro(
    contact: Contact, *, kind: Kind | None = None, client_profile_id: str | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"contact_type": "person" if contact.is_person else "company"}
    if contact.is_person:
        first, last = contact.first_name, contact.last_name
        if not (first or last):
            first, _, last = contact.name.partition(" ")
        body["name"] = first
        body["lastname"] = last
    else:
        body["name"] = contact.name
    # A customer op must not clear the supplier flag of the same contact (and vice versa).
    if kind is Kind.CUSTOMER:
        body["is_client"] = 1
    elif kind is Kind.VENDOR:
        body["is_supplier"] = 1
    else:
        body["is_client"] = _flag(contact.is_client)
        body["is_supplier"] = _flag(contact.is_supplier)
    if contact.vat_number:
        body["vatno"] = contact.vat_number
    means: dict[str, list[str]] = {}
    if contact.email:
        means["email"] = [contact.email]
    if contact.phone:
        means["phone"] = [contact.phone]
    if means:
        body["means_of_contact"] = means
    if contact.address is not None:
        a = contact.address
        body["addresses"] = [
            {
                "street": a.street,
                "city": a.city,
                "zipcode": a.postal_code,
                "county": a.region,
                "country": a.country,
            }
        ]
    if client_profile_id:
        body["client_profile_id"] = scoro_id(client_profile_id)
    return body


def product_to_scoro(product: Product) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": product.name,
        "description": product.description,
        "price": product.unit_price,
        "buying_price": product.purchase_cost,
        "is_service": _flag(product.is_service),
        "is_active": _flag(product.active),
    }
    if product.sku:
        body["code"] = product.sku
    if product.income_account is not None:
        body["sales_finance_account_id"] = _id(product.income_account)
    if product.expense_account is not None:
        body["purchases_finance_account_id"] = _id(product.expense_account)
    return body


def project_to_scoro(project: Project) -> dict[str, Any]:
    body: dict[str, Any] = {"project_name": project.name}
    if project.client is not None:
        body["company_id"] = _id(project.client)
    if project.status:
        body["status"] = project.status
    elif not project.active:
        body["status"] = "completed"
    return body


def line_to_scoro(line: DocumentLine, *, negate: bool = False) -> dict[str, Any]:
    quantity, price = line.quantity, line.unit_price
    if negate:
        # Scoro keeps a credit invoice's lines negative.
        if quantity > 0:
            quantity = -quantity
        else:
            price = -price
    body: dict[str, Any] = {"comment": line.description, "amount": quantity, "price": price}
    for key, value in (
        ("product_id", line.product),
        ("vat_code_id", line.tax_rate),
        ("finance_account_id", line.account),
        ("project_id", line.project),
        ("finance_object_id", line.tracking_class),
    ):
        if value is not None:
            body[key] = _id(value)
    return body


def _document(doc: Invoice | Bill, negate: bool) -> dict[str, Any]:
    body: dict[str, Any] = {
        "no": doc.number,
        "company_id": _id(doc.contact),
        "lines": [line_to_scoro(line, negate=negate) for line in doc.lines],
    }
    if doc.date is not None:
        body["date"] = doc.date.isoformat()
    if doc.due_date is not None:
        body["deadline"] = doc.due_date.isoformat()
    if doc.currency:
        body["currency"] = doc.currency
    if not body["no"]:
        del body["no"]  # let Scoro number it
    return body


def invoice_to_scoro(invoice: Invoice) -> dict[str, Any]:
    body = _document(invoice, negate=invoice.is_credit_note)
    if invoice.project is not None:
        body["project_id"] = _id(invoice.project)
    if invoice.is_credit_note and invoice.credited_invoice is not None:
        body["credited_invoices"] = [_id(invoice.credited_invoice)]
    return body


def bill_to_scoro(bill: Bill) -> dict[str, Any]:
    body = _document(bill, negate=False)
    if bill.memo:
        body["description"] = bill.memo
    return body


def payment_to_scoro(payment: Payment) -> dict[str, Any]:
    doc_type = "bills" if payment.is_bill_payment else "invoices"
    body: dict[str, Any] = {
        "sales_doc_type": doc_type,
        "sum": payment.amount,
        "receipts": [
            {"invoice_id": _id(a.document), "sum": a.amount, "sales_doc_type": doc_type}
            for a in payment.allocations
        ],
    }
    if payment.date is not None:
        body["date"] = payment.date.isoformat()
        for item in body["receipts"]:
            item["date"] = body["date"]
    if payment.contact is not None:
        body["contact_id"] = _id(payment.contact)
    if payment.currency:
        body["currency"] = payment.currency
    return body


def account_to_scoro(account: Account) -> dict[str, Any]:
    kinds = set(account.account_type.lower().replace(" ", "").split(","))
    return {
        "name": account.name,
        "account_symbol": account.number or account.name,
        "is_active": _flag(account.active),
        "is_sales_account": _flag("sales" in kinds or "income" in kinds),
        "is_purchases_account": _flag(bool(kinds & {"purchases", "expense", "costofgoodssold"})),
    }


def tax_rate_to_scoro(rate: TaxRate) -> dict[str, Any]:
    return {
        "vat_code": rate.code or rate.name,
        "vat_name": rate.name,
        "percent": rate.rate if isinstance(rate.rate, Decimal) else Decimal(rate.rate),
        "is_active": _flag(rate.active),
    }


def tracking_class_to_scoro(cls: TrackingClass) -> dict[str, Any]:
    return {"name": cls.name, "is_active": _flag(cls.active)}


def to_scoro(kind: Kind, record: Record, **extra: Any) -> dict[str, Any]:
    if isinstance(record, Contact):
        return contact_to_scoro(record, kind=kind, **extra)
    writers = {
        Product: product_to_scoro,
        Project: project_to_scoro,
        Invoice: invoice_to_scoro,
        Bill: bill_to_scoro,
        Payment: payment_to_scoro,
        Account: account_to_scoro,
        TaxRate: tax_rate_to_scoro,
        TrackingClass: tracking_class_to_scoro,
    }
    writer = writers.get(type(record))
    if writer is None:
        raise TypeError(f"{type(record).__name__} cannot be written to Scoro this way")
    return writer(record)  # type: ignore[operator]
