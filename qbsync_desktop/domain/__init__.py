"""Plain records and value types shared by every layer. Imports nothing of ours."""

from .fingerprint import fingerprint, normalise_text
from .kinds import CATEGORY_KINDS, CATEGORY_ORDER, Category, Direction, Kind, Ref, Side
from .money import CENT, MoneyError, canonical, round_money, to_decimal
from .records import (
    Account,
    Address,
    Allocation,
    Attachment,
    Bill,
    Contact,
    DocumentLine,
    Invoice,
    Payment,
    Product,
    Project,
    Record,
    RecordBase,
    TaxRate,
    TrackingClass,
)

__all__ = [
    "CATEGORY_KINDS",
    "CATEGORY_ORDER",
    "CENT",
    "Account",
    "Address",
    "Allocation",
    "Attachment",
    "Bill",
    "Category",
    "Contact",
    "Direction",
    "DocumentLine",
    "Invoice",
    "Kind",
    "MoneyError",
    "Payment",
    "Product",
    "Project",
    "Record",
    "RecordBase",
    "Ref",
    "Side",
    "TaxRate",
    "TrackingClass",
    "canonical",
    "fingerprint",
    "normalise_text",
    "round_money",
    "to_decimal",
]
