"""Domain records -> QuickBooks create bodies, one writer per entity (the other half of
`inbound.py`). Sparse updates of only what we own are built from these in owned.py."""

from __future__ import annotations

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
    TrackingClass,
)
from .mapping_common import (
    ADDRESS_FIELDS,
    ENTITY_KIND,
    SHA_PREFIX,
    TXN_KIND,
    MappingContext,
    date_out,
    prune,
    ref_out,
)


def _address_out(address: Address | None) -> dict | None:
    if address is None:
        return None
    out = {theirs: getattr(address, ours) for ours, theirs in ADDRESS_FIELDS}
    out = {k: v for k, v in out.items() if v}
    return out or None


def contact_to_quickbooks(record: Contact, kind: Kind, ctx: MappingContext) -> dict:
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


def product_to_quickbooks(record: Product, ctx: MappingContext) -> dict:
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


def account_to_quickbooks(record: Account, ctx: MappingContext) -> dict:
    return prune(
        {
            "Name": record.name,
            "AcctNum": record.number or None,
            "AccountType": record.account_type or None,
            "CurrencyRef": {"value": record.currency} if record.currency else None,
            "Active": record.active,
        }
    )


def tracking_class_to_quickbooks(record: TrackingClass, ctx: MappingContext) -> dict:
    parent = ref_out(record.parent)
    return prune(
        {
            "Name": record.name,
            "SubClass": True if parent else None,
            "ParentRef": parent,
            "Active": record.active,
        }
    )


KIND_ENTITY = {kind: entity for entity, kind in ENTITY_KIND.items()}


def attachment_to_quickbooks(record: Attachment, ctx: MappingContext) -> dict:
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
            "Note": f"{SHA_PREFIX}{record.sha256}" if record.sha256 else None,
            "AttachableRef": refs,
        }
    )


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


def invoice_to_quickbooks(record: Invoice, ctx: MappingContext) -> dict:
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


def bill_to_quickbooks(record: Bill, ctx: MappingContext) -> dict:
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


_KIND_TXN = {kind: name for name, kind in TXN_KIND.items()}


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


def payment_to_quickbooks(record: Payment, ctx: MappingContext) -> dict:
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
