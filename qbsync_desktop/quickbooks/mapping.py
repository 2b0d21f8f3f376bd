"""QuickBooks JSON <-> domain records, one entry point per direction.

Reading never raises anything but `MalformedRecord`: one odd object from QuickBooks must not
stop the others. Writing builds create bodies and sparse updates of only what we own (see owned.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import InvalidOperation
from typing import Any

from ..domain import (
    Account,
    Attachment,
    Bill,
    Contact,
    Invoice,
    Kind,
    MoneyError,
    Payment,
    Product,
    Project,
    Record,
    TaxRate,
    TrackingClass,
)
from ..domain.errors import MalformedRecord
from . import inbound, outbound
from .mapping_common import ZERO, ForeignRef, MappingContext, modified
from .owned import build_update

__all__ = [
    "ENTITY",
    "READ_ONLY",
    "ForeignRef",
    "MappingContext",
    "ReadOnlyKind",
    "deleted_stub",
    "entity_for",
    "to_domain",
    "to_payload",
    "update_payload",
]

ENTITY: dict[Kind, str] = {
    Kind.ACCOUNT: "Account",
    Kind.TAX_RATE: "TaxCode",
    Kind.TRACKING_CLASS: "Class",
    Kind.CUSTOMER: "Customer",
    Kind.VENDOR: "Vendor",
    Kind.PRODUCT: "Item",
    Kind.PROJECT: "Customer",
    Kind.INVOICE: "Invoice",
    Kind.CREDIT_NOTE: "CreditMemo",
    Kind.BILL: "Bill",
    Kind.RECEIPT: "Payment",
    Kind.BILL_PAYMENT: "BillPayment",
    Kind.ATTACHMENT: "Attachable",
}
# Tax codes are read-only over v3 and projects are made through the GraphQL Project API.
READ_ONLY = frozenset({Kind.TAX_RATE, Kind.PROJECT})


class ReadOnlyKind(ValueError):
    """QuickBooks' v3 API cannot create or change this kind of object."""


def entity_for(kind: Kind) -> str:
    return ENTITY[kind]


def _reader(kind: Kind):
    return {
        Kind.CUSTOMER: lambda o, c: inbound.contact_from_quickbooks(o, Kind.CUSTOMER, c),
        Kind.VENDOR: lambda o, c: inbound.contact_from_quickbooks(o, Kind.VENDOR, c),
        Kind.PRODUCT: inbound.product_from_quickbooks,
        Kind.PROJECT: inbound.project_from_quickbooks,
        Kind.ACCOUNT: inbound.account_from_quickbooks,
        Kind.TAX_RATE: inbound.tax_rate_from_quickbooks,
        Kind.TRACKING_CLASS: inbound.tracking_class_from_quickbooks,
        Kind.ATTACHMENT: inbound.attachment_from_quickbooks,
        Kind.INVOICE: lambda o, c: inbound.invoice_from_quickbooks(o, c, credit_note=False),
        Kind.CREDIT_NOTE: lambda o, c: inbound.invoice_from_quickbooks(o, c, credit_note=True),
        Kind.BILL: inbound.bill_from_quickbooks,
        Kind.RECEIPT: lambda o, c: inbound.payment_from_quickbooks(o, c, bill_payment=False),
        Kind.BILL_PAYMENT: lambda o, c: inbound.payment_from_quickbooks(o, c, bill_payment=True),
    }[kind]


def to_domain(kind: Kind, obj: Mapping, ctx: MappingContext | None = None) -> Record:
    ctx = ctx or MappingContext()
    obj_id = str(obj.get("Id", "")) if isinstance(obj, Mapping) else ""
    try:
        if not isinstance(obj, Mapping):
            raise TypeError("not an object")
        if str(obj.get("status") or "") == "Deleted":
            return deleted_stub(kind, obj_id, modified(obj))
        return _reader(kind)(obj, ctx)
    except (
        KeyError,
        TypeError,
        ValueError,
        AttributeError,
        InvalidOperation,
        MoneyError,
    ) as exc:
        raise MalformedRecord(
            f"QuickBooks {ENTITY[kind]} {obj_id or '?'} could not be read: {exc}",
            kind=kind.value,
            record_id=obj_id,
        ) from None


def deleted_stub(kind: Kind, obj_id: str, when: dt.datetime | None = None) -> Record:
    """A record that only says "this id is gone" (CDC sends just Id, status and MetaData)."""
    meta: dict[str, Any] = {"id": obj_id, "modified": when, "deleted": True}
    if kind in (Kind.CUSTOMER, Kind.VENDOR):
        return Contact(name="", is_client=kind is Kind.CUSTOMER,
                       is_supplier=kind is Kind.VENDOR, **meta)  # fmt: skip
    if kind in (Kind.INVOICE, Kind.CREDIT_NOTE):
        return Invoice(number="", contact=None, date=None,
                       is_credit_note=kind is Kind.CREDIT_NOTE, **meta)  # fmt: skip
    if kind is Kind.BILL:
        return Bill(number="", contact=None, date=None, **meta)
    if kind in (Kind.RECEIPT, Kind.BILL_PAYMENT):
        return Payment(is_bill_payment=kind is Kind.BILL_PAYMENT, contact=None, date=None,
                       amount=ZERO, **meta)  # fmt: skip
    simple = {
        Kind.PRODUCT: Product,
        Kind.PROJECT: Project,
        Kind.ACCOUNT: Account,
        Kind.TAX_RATE: TaxRate,
        Kind.TRACKING_CLASS: TrackingClass,
    }
    if kind in simple:
        return simple[kind](name="", **meta)
    return Attachment(file_name="", **meta)


def to_payload(kind: Kind, record: Record, ctx: MappingContext | None = None) -> dict:
    """The create body (no Id). Raises ForeignRef / ReadOnlyKind / ValueError."""
    ctx = ctx or MappingContext()
    if kind in READ_ONLY:
        raise ReadOnlyKind(f"{kind.label} cannot be created or changed through this API")
    if kind in (Kind.CUSTOMER, Kind.VENDOR):
        return outbound.contact_to_quickbooks(record, kind, ctx)  # type: ignore[arg-type]
    # Each writer takes the one record class its kind holds; the pairing of kind and class is
    # the caller's (the engine's) and not something a mapping of kinds can express.
    writers: dict[Kind, Callable[[Any, MappingContext], dict]] = {
        Kind.PRODUCT: outbound.product_to_quickbooks,
        Kind.ACCOUNT: outbound.account_to_quickbooks,
        Kind.TRACKING_CLASS: outbound.tracking_class_to_quickbooks,
        Kind.ATTACHMENT: outbound.attachment_to_quickbooks,
        Kind.INVOICE: outbound.invoice_to_quickbooks,
        Kind.CREDIT_NOTE: outbound.invoice_to_quickbooks,
        Kind.BILL: outbound.bill_to_quickbooks,
        Kind.RECEIPT: outbound.payment_to_quickbooks,
        Kind.BILL_PAYMENT: outbound.payment_to_quickbooks,
    }
    return writers[kind](record, ctx)


def update_payload(
    kind: Kind,
    record: Record,
    current: Record,
    raw: Mapping,
    ctx: MappingContext | None = None,
    *,
    label: str = "",
) -> dict | None:
    """A sparse update (Id + SyncToken of `current`) with only the owned fields that differ
    between `record` and `current`, laid over QuickBooks' copy `raw`; None when nothing we
    own changed. Raises NotRepresentable when it would rewrite what we cannot represent."""
    ctx = ctx or MappingContext()
    desired = to_payload(kind, record, ctx)
    before = to_payload(kind, current, ctx)
    body = build_update(kind, desired, before, raw, label=label or f"This {kind.label.lower()}")
    if body is None:
        return None
    body["Id"] = current.id
    body["SyncToken"] = current.version or "0"
    body["sparse"] = True
    return body
