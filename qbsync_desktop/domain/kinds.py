"""What is synced, from which side, in which direction, and references between records."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Side(StrEnum):
    SCORO = "scoro"
    QBO = "quickbooks"

    @property
    def other(self) -> Side:
        return Side.QBO if self is Side.SCORO else Side.SCORO

    @property
    def label(self) -> str:
        return "Scoro" if self is Side.SCORO else "QuickBooks"


class Direction(StrEnum):
    SCORO_TO_QBO = "scoro_to_qbo"
    QBO_TO_SCORO = "qbo_to_scoro"

    @property
    def source(self) -> Side:
        return Side.SCORO if self is Direction.SCORO_TO_QBO else Side.QBO

    @property
    def target(self) -> Side:
        return self.source.other

    @property
    def label(self) -> str:
        return f"{self.source.label} → {self.target.label}"


class Kind(StrEnum):
    """Kinds of linked object. A Scoro contact can link to a QBO customer and a QBO vendor."""

    ACCOUNT = "account"
    TAX_RATE = "tax_rate"
    TRACKING_CLASS = "tracking_class"
    CUSTOMER = "customer"
    VENDOR = "vendor"
    PRODUCT = "product"
    PROJECT = "project"
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    BILL = "bill"
    RECEIPT = "receipt"
    BILL_PAYMENT = "bill_payment"
    ATTACHMENT = "attachment"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    Kind.ACCOUNT: "Account",
    Kind.TAX_RATE: "Tax rate",
    Kind.TRACKING_CLASS: "Class",
    Kind.CUSTOMER: "Customer",
    Kind.VENDOR: "Vendor",
    Kind.PRODUCT: "Product",
    Kind.PROJECT: "Project",
    Kind.INVOICE: "Invoice",
    Kind.CREDIT_NOTE: "Credit note",
    Kind.BILL: "Bill",
    Kind.RECEIPT: "Receipt",
    Kind.BILL_PAYMENT: "Bill payment",
    Kind.ATTACHMENT: "Attachment",
}


class Category(StrEnum):
    """What the bookkeeper switches on and off; each covers one or more kinds."""

    BACKGROUND = "background"
    CONTACTS = "contacts"
    PRODUCTS = "products"
    PROJECTS = "projects"
    INVOICES = "invoices"
    BILLS = "bills"
    RECEIPTS = "receipts"
    CLASSES = "classes"
    ATTACHMENTS = "attachments"

    @property
    def label(self) -> str:
        return _CATEGORY_LABELS[self]

    @property
    def kinds(self) -> tuple[Kind, ...]:
        return CATEGORY_KINDS[self]

    @property
    def fixed_direction(self) -> Direction | None:
        """Projects, classes and background items only ever come from QuickBooks (R30, R37, R38);
        attachments only go to QuickBooks (R55)."""
        return _FIXED_DIRECTION.get(self)


_CATEGORY_LABELS = {
    Category.BACKGROUND: "Background items (tax rates, accounts)",
    Category.CONTACTS: "Contacts",
    Category.PRODUCTS: "Products",
    Category.PROJECTS: "Projects",
    Category.INVOICES: "Invoices and credit notes",
    Category.BILLS: "Bills",
    Category.RECEIPTS: "Receipts",
    Category.CLASSES: "Classes",
    Category.ATTACHMENTS: "Attachments",
}

CATEGORY_KINDS: dict[Category, tuple[Kind, ...]] = {
    Category.BACKGROUND: (Kind.ACCOUNT, Kind.TAX_RATE),
    Category.CLASSES: (Kind.TRACKING_CLASS,),
    # Vendors first: a supplier who also becomes a client must be renamed " (v)" before the
    # customer takes the plain name (R23; QuickBooks names are unique across both).
    Category.CONTACTS: (Kind.VENDOR, Kind.CUSTOMER),
    Category.PRODUCTS: (Kind.PRODUCT,),
    Category.PROJECTS: (Kind.PROJECT,),
    Category.INVOICES: (Kind.INVOICE, Kind.CREDIT_NOTE),
    Category.BILLS: (Kind.BILL,),
    Category.RECEIPTS: (Kind.RECEIPT, Kind.BILL_PAYMENT),
    Category.ATTACHMENTS: (Kind.ATTACHMENT,),
}

_FIXED_DIRECTION = {
    Category.BACKGROUND: Direction.QBO_TO_SCORO,
    Category.CLASSES: Direction.QBO_TO_SCORO,
    Category.PROJECTS: Direction.QBO_TO_SCORO,
    Category.ATTACHMENTS: Direction.SCORO_TO_QBO,
}

# The order a run takes: dependencies first (docs/design.md).
# Categories with a start date, whose older records can be imported on purpose: reference
# data is always synced whole, and attachments travel with their documents.
IMPORTABLE_CATEGORIES: tuple[Category, ...] = (
    Category.CONTACTS,
    Category.PRODUCTS,
    Category.PROJECTS,
    Category.INVOICES,
    Category.BILLS,
    Category.RECEIPTS,
)
CATEGORY_ORDER: tuple[Category, ...] = (
    Category.BACKGROUND,
    Category.CLASSES,
    Category.CONTACTS,
    Category.PRODUCTS,
    Category.PROJECTS,
    Category.INVOICES,
    Category.BILLS,
    Category.RECEIPTS,
    Category.ATTACHMENTS,
)


@dataclass(frozen=True, slots=True)
class Ref:
    """A pointer to a record on one side; the engine translates it through links."""

    kind: Kind
    side: Side
    id: str

    def __str__(self) -> str:
        return f"{self.side.value}:{self.kind.value}:{self.id}"
