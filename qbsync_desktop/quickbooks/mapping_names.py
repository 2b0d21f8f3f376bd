"""Name-list entities: Customer / Vendor, Item, project Customers, Account, TaxCode, Class,
and Attachable."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from qbsync_desktop.domain import (
    Account,
    Address,
    Attachment,
    Contact,
    Kind,
    Product,
    Project,
    Ref,
    Side,
    TaxRate,
    TrackingClass,
)

from .mapping_common import (
    MappingContext,
    active,
    bookkeeping,
    make_ref,
    money,
    nested_text,
    prune,
    ref_out,
    ref_value,
    required_text,
    text,
)

# -- Customer / Vendor ---------------------------------------------------------------------

_ADDRESS_FIELDS = (
    ("street", "Line1"),
    ("city", "City"),
    ("postal_code", "PostalCode"),
    ("region", "CountrySubDivisionCode"),
    ("country", "Country"),
)


def _address_in(raw: object) -> Address | None:
    if not isinstance(raw, Mapping):
        return None
    values = {ours: text(raw, theirs) for ours, theirs in _ADDRESS_FIELDS}
    return Address(**values) if any(values.values()) else None


def _address_out(address: Address | None) -> dict | None:
    if address is None:
        return None
    out = {theirs: getattr(address, ours) for ours, theirs in _ADDRESS_FIELDS}
    out = {k: v for k, v in out.items() if v}
    return out or None


def contact_in(obj: Mapping, kind: Kind, ctx: MappingContext) -> Contact:
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


def contact_out(record: Contact, kind: Kind, ctx: MappingContext) -> dict:
    vat_field = "TaxIdentifier" if kind is Kind.VENDOR else "PrimaryTaxIdentifier"
    return prune(
        {
            "DisplayName": record.name,
            "CompanyName": None if record.is_person else (record.name or None),
            "GivenName": record.first_name or None,
            "FamilyName": record.last_name or None,
            "PrimaryEmailAddr": {"Address": record.email} if record.email else None,
            "PrimaryPhone": {"FreeFormNumber": record.phone} if record.phone else None,
            "BillAddr": _address_out(record.address),
            vat_field: record.vat_number or None,
            "CurrencyRef": {"value": record.currency} if record.currency else None,
            "Active": record.active,
        }
    )


# -- Item ----------------------------------------------------------------------------------


def product_in(obj: Mapping, ctx: MappingContext) -> Product:
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


def product_out(record: Product, ctx: MappingContext) -> dict:
    return prune(
        {
            "Name": record.name,
            "Type": "Service" if record.is_service else "NonInventory",
            "Description": record.description or None,
            "Sku": record.sku or None,
            "UnitPrice": record.unit_price,
            "PurchaseCost": record.purchase_cost if record.purchase_cost else None,
            "IncomeAccountRef": ref_out(record.income_account),
            "ExpenseAccountRef": ref_out(record.expense_account),
            "Active": record.active,
        }
    )


# -- Project (a Customer with IsProject) -----------------------------------------------------


def project_in(obj: Mapping, ctx: MappingContext) -> Project:
    is_active = active(obj)
    return Project(
        **bookkeeping(obj),
        name=required_text(obj, "DisplayName"),
        client=make_ref(Kind.CUSTOMER, obj, "ParentRef"),
        status="active" if is_active else "inactive",
        active=is_active,
    )


# -- Account, TaxCode, Class -----------------------------------------------------------------


def account_in(obj: Mapping, ctx: MappingContext) -> Account:
    return Account(
        **bookkeeping(obj),
        name=required_text(obj, "Name"),
        number=text(obj, "AcctNum"),
        account_type=text(obj, "AccountType"),
        currency=ref_value(obj, "CurrencyRef"),
        active=active(obj),
    )


def account_out(record: Account, ctx: MappingContext) -> dict:
    return prune(
        {
            "Name": record.name,
            "AcctNum": record.number or None,
            "AccountType": record.account_type or None,
            "CurrencyRef": {"value": record.currency} if record.currency else None,
            "Active": record.active,
        }
    )


def tax_rate_in(obj: Mapping, ctx: MappingContext) -> TaxRate:
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


def class_in(obj: Mapping, ctx: MappingContext) -> TrackingClass:
    return TrackingClass(
        **bookkeeping(obj),
        name=required_text(obj, "Name"),
        parent=make_ref(Kind.TRACKING_CLASS, obj, "ParentRef"),
        active=active(obj),
    )


def class_out(record: TrackingClass, ctx: MappingContext) -> dict:
    parent = ref_out(record.parent)
    return prune(
        {
            "Name": record.name,
            "SubClass": True if parent else None,
            "ParentRef": parent,
            "Active": record.active,
        }
    )


# -- Attachable ------------------------------------------------------------------------------

ENTITY_KIND = {
    "Invoice": Kind.INVOICE,
    "CreditMemo": Kind.CREDIT_NOTE,
    "Bill": Kind.BILL,
    "Payment": Kind.RECEIPT,
    "BillPayment": Kind.BILL_PAYMENT,
    "Customer": Kind.CUSTOMER,
    "Vendor": Kind.VENDOR,
    "Item": Kind.PRODUCT,
}
KIND_ENTITY = {kind: entity for entity, kind in ENTITY_KIND.items()}
# The content hash rides in the note so a re-upload can be recognised later.
_SHA_PREFIX = "qbsync sha256:"


def attachment_in(obj: Mapping, ctx: MappingContext) -> Attachment:
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
        sha256=note[len(_SHA_PREFIX) :].strip() if note.startswith(_SHA_PREFIX) else "",
        document=document,
    )


def attachment_out(record: Attachment, ctx: MappingContext) -> dict:
    refs = None
    if record.document is not None:
        ref_out(record.document)
        refs = [
            {
                "EntityRef": {
                    "type": KIND_ENTITY[record.document.kind],
                    "value": record.document.id,
                },
                "IncludeOnSend": False,
            }
        ]
    return prune(
        {
            "FileName": record.file_name,
            "ContentType": record.content_type,
            "Size": record.size or None,
            "Note": f"{_SHA_PREFIX}{record.sha256}" if record.sha256 else None,
            "AttachableRef": refs,
        }
    )
