"""The records both sides are mapped into. Frozen, Decimal money, refs instead of nesting.

`id`, `version`, `modified` and `deleted` are bookkeeping and excluded from fingerprints;
everything else is business content.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Self

from .fingerprint import META, fingerprint, normalise
from .kinds import Kind, Ref


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordBase:
    """Bookkeeping every record carries: the service's version (QuickBooks SyncToken), when
    it was last modified there, and whether it is deleted. Keyword-only, so each record's own
    fields keep their order."""

    version: str = field(default="", metadata=META)
    modified: dt.datetime | None = field(default=None, metadata=META)
    deleted: bool = field(default=False, metadata=META)
    # What the reader found in the service's copy and cannot represent faithfully (a bundle
    # line, a percent discount, a pay type...), in the bookkeeper's words. Such a record is
    # held, never rewritten; an update that would rewrite those parts is refused.
    unsupported: tuple[str, ...] = field(default=(), metadata=META)

    def fingerprint(self) -> str:
        return fingerprint(self)

    def snapshot(self) -> str:
        """Canonical JSON of every field, the three-way merge base stored with a link."""
        data = {f.name: normalise(getattr(self, f.name)) for f in dataclasses.fields(self)}
        return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    def replace(self, **changes: Any) -> Self:
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True, slots=True)
class Address:
    street: str = ""
    city: str = ""
    postal_code: str = ""
    region: str = ""
    country: str = ""


@dataclass(frozen=True, slots=True)
class Contact(RecordBase):
    """A Scoro company or person; on the QuickBooks side a Customer or a Vendor."""

    id: str = field(metadata=META)
    name: str
    is_person: bool = False
    first_name: str = ""
    last_name: str = ""
    is_client: bool = True
    is_supplier: bool = False
    email: str = ""
    phone: str = ""
    currency: str | None = None
    vat_number: str = ""
    address: Address | None = None
    active: bool = True


@dataclass(frozen=True, slots=True)
class Product(RecordBase):
    id: str = field(metadata=META)
    name: str
    description: str = ""
    sku: str = ""
    unit_price: Decimal = Decimal(0)
    purchase_cost: Decimal = Decimal(0)
    income_account: Ref | None = None
    expense_account: Ref | None = None
    is_service: bool = True
    active: bool = True


@dataclass(frozen=True, slots=True)
class Project(RecordBase):
    id: str = field(metadata=META)
    name: str
    client: Ref | None = None
    status: str = ""
    active: bool = True


@dataclass(frozen=True, slots=True)
class DocumentLine:
    """One invoice, credit note or bill line. Amount is net of tax."""

    description: str = ""
    product: Ref | None = None
    quantity: Decimal = Decimal(1)
    unit_price: Decimal = Decimal(0)
    amount: Decimal = Decimal(0)
    tax_rate: Ref | None = None
    account: Ref | None = None
    project: Ref | None = None
    tracking_class: Ref | None = None


@dataclass(frozen=True, slots=True)
class Invoice(RecordBase):
    """A sales invoice or, with `is_credit_note`, a credit note (QBO CreditMemo)."""

    id: str = field(metadata=META)
    number: str
    contact: Ref | None
    date: dt.date | None
    due_date: dt.date | None = None
    currency: str = ""
    lines: tuple[DocumentLine, ...] = ()
    is_credit_note: bool = False
    credited_invoice: Ref | None = None
    project: Ref | None = None
    memo: str = ""
    status: str = field(default="", metadata=META)
    total: Decimal = field(default=Decimal(0), metadata=META)
    paid: Decimal = field(default=Decimal(0), metadata=META)
    # The tax the service computed (Scoro's vat_sum, QuickBooks' TotalTax), None if unknown.
    tax_total: Decimal | None = field(default=None, metadata=META)

    @property
    def kind(self) -> Kind:
        return Kind.CREDIT_NOTE if self.is_credit_note else Kind.INVOICE

    @property
    def subtotal(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))

    @property
    def projects(self) -> frozenset[Ref]:
        named = {line.project for line in self.lines if line.project is not None}
        if self.project is not None:
            named.add(self.project)
        return frozenset(named)


@dataclass(frozen=True, slots=True)
class Bill(RecordBase):
    id: str = field(metadata=META)
    number: str
    contact: Ref | None
    date: dt.date | None
    due_date: dt.date | None = None
    currency: str = ""
    lines: tuple[DocumentLine, ...] = ()
    memo: str = ""
    tax_included: bool = True
    status: str = field(default="", metadata=META)
    total: Decimal = field(default=Decimal(0), metadata=META)
    paid: Decimal = field(default=Decimal(0), metadata=META)
    tax_total: Decimal | None = field(default=None, metadata=META)

    @property
    def subtotal(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))


@dataclass(frozen=True, slots=True)
class Allocation:
    document: Ref
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Payment(RecordBase):
    """A receipt against invoices (QBO Payment) or a payment of bills (QBO BillPayment)."""

    id: str = field(metadata=META)
    is_bill_payment: bool
    contact: Ref | None
    date: dt.date | None
    amount: Decimal
    currency: str = ""
    allocations: tuple[Allocation, ...] = ()
    account: Ref | None = None
    reference: str = ""

    @property
    def kind(self) -> Kind:
        return Kind.BILL_PAYMENT if self.is_bill_payment else Kind.RECEIPT


@dataclass(frozen=True, slots=True)
class Account(RecordBase):
    id: str = field(metadata=META)
    name: str
    number: str = ""
    account_type: str = ""
    currency: str | None = None
    active: bool = True


@dataclass(frozen=True, slots=True)
class TaxRate(RecordBase):
    id: str = field(metadata=META)
    name: str
    code: str = ""
    rate: Decimal = Decimal(0)
    active: bool = True


@dataclass(frozen=True, slots=True)
class TrackingClass(RecordBase):
    id: str = field(metadata=META)
    name: str
    parent: Ref | None = None
    active: bool = True


@dataclass(frozen=True, slots=True)
class Attachment(RecordBase):
    id: str = field(metadata=META)
    file_name: str
    content_type: str = "application/octet-stream"
    size: int = 0
    sha256: str = ""
    document: Ref | None = None


Record = (
    Contact
    | Product
    | Project
    | Invoice
    | Bill
    | Payment
    | Account
    | TaxRate
    | TrackingClass
    | Attachment
)
