"""Invoices (with credit invoices), bills and receipts (payment groups with allocations).

Sums as Scoro documents them: ``sum`` is without VAT, ``vat_sum`` is the tax, gross is their
sum. Line ``sum`` = amount x price less the line discount, rounded half-up to cents; each
line's tax is taken on that rounded sum and rounded half-up to cents, and the document
``vat_sum`` is the sum of those. QuickBooks rounds tax once per rate on the total, so the two
can differ by a cent per line; the client must read ``vat_sum``, never recompute it. A
``modify`` that carries ``lines`` replaces the whole collection; a line that repeats an
existing ``id`` keeps that id.

A credit invoice is an ``invoices`` record with negative line amounts and
``credited_invoices: [original id]``. Receipts update ``paid_sum``/``receivable_sum`` (invoices)
and ``status`` (invoices and bills) of every document they touch, and bump that document's
``modified_date`` so a delta poll on invoices sees payments.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from .fields import money
from .records import CRUD, Ctx, ModuleSpec, apply_fields, register, touch

INVOICE_STATUSES = ("draft", "sent", "unpaid", "paid", "cancelled")
BILL_STATUSES = ("draft", "approved", "unpaid", "paid", "rejected")
PAYMENT_TYPES = ("banktransfer", "cash", "cardpayment", "credit", "barter")
# Foreign units per one base unit; used when a document does not say its currency_rate.
DEFAULT_RATES = {
    ("EUR", "USD"): Decimal("1.08"),
    ("EUR", "GBP"): Decimal("0.86"),
    ("USD", "EUR"): Decimal("0.93"),
    ("USD", "GBP"): Decimal("0.79"),
    ("GBP", "EUR"): Decimal("1.16"),
    ("GBP", "USD"): Decimal("1.27"),
}
ZERO = Decimal("0")

INVOICE_LINE_FIELDS: dict[str, Any] = {
    "product_id": ("ref", "products"),
    "comment": "str",
    "comment2": "str",
    "price": "dec",
    "amount": "dec",
    "amount2": "dec",
    "discount": "dec",
    "vat": "dec",
    "vat_code_id": ("ref", "vatCodes"),
    "unit": "str",
    "finance_account_id": ("ref", "financeAccounts"),
    "finance_object_id": ("ref", "financeObjects"),
    "project_id": ("ref", "projects"),
    "cost": "dec",
    "supplier_id": ("ref", "contacts"),
    "doer_id": ("ref", "users"),
    "role_id": "int",
    "is_internal": "bool",
}
BILL_LINE_FIELDS: dict[str, Any] = {
    k: v
    for k, v in INVOICE_LINE_FIELDS.items()
    if k not in ("cost", "supplier_id", "doer_id", "role_id", "is_internal", "amount2")
}


def _lines(
    ctx: Ctx,
    module: str,
    rec: dict[str, Any],
    old: dict[str, Any] | None,
    value: Any,
    types: dict[str, Any],
    errors: list[str],
) -> None:
    if value is None:
        value = []
    if not isinstance(value, list):
        errors.append("lines: must be a list")
        return
    old_ids = {line["id"] for line in (old or {}).get("lines", [])}
    out = []
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            errors.append(f"lines[{i}]: must be an object")
            continue
        line: dict[str, Any] = {key: None for key in types}
        line.update(amount=Decimal("1"), discount=ZERO)
        if "is_internal" in types:
            line["is_internal"] = False
        apply_fields(ctx, types, line, item, errors, prefix=f"lines[{i}].")
        line_id = item.get("id")
        try:
            line_id = int(line_id) if line_id not in (None, "", 0) else None
        except (TypeError, ValueError):
            line_id = None
        # Scoro replaces the collection: an id that was not there before is a new line.
        line["id"] = line_id if line_id in old_ids else ctx.store.new_id(f"{module}_lines")
        out.append(line)
    if errors:
        return
    for line in out:
        product = ctx.live("products", line.get("product_id"))
        if line.get("price") is None:
            line["price"] = product["price"] if product and product.get("price") else ZERO
        if line.get("unit") is None and product:
            line["unit"] = product.get("unit")
        code = ctx.live("vatCodes", line.get("vat_code_id"))
        if code is not None:
            line["vat"] = code["percent"]
        elif line.get("vat") is None:
            line["vat"] = ZERO
        gross = line["amount"] * line["price"]
        line["sum"] = money(gross * (Decimal(100) - (line["discount"] or ZERO)) / Decimal(100))
    rec["lines"] = out


def _finish_document(
    ctx: Ctx,
    module: str,
    rec: dict[str, Any],
    old: dict[str, Any] | None,
    changes: dict[str, Any],
    errors: list[str],
) -> None:
    entity = ctx.entity
    if rec.get("company_id") is None:
        errors.append("company_id: is required")
    currency = rec.get("currency") or entity["base_currency"]
    if currency not in entity["active_currencies"]:
        errors.append(f"currency: {currency} is not an active currency of {ctx.cid}")
    rec["currency"] = currency
    if rec.get("currency_rate") is None or (
        old and "currency" in changes and "currency_rate" not in changes
    ):
        base = entity["base_currency"]
        rec["currency_rate"] = (
            Decimal("1") if currency == base else DEFAULT_RATES.get((base, currency), Decimal("1"))
        )
    if "lines" in changes or old is None:
        types = INVOICE_LINE_FIELDS if module == "invoices" else BILL_LINE_FIELDS
        _lines(ctx, module, rec, old, changes.get("lines"), types, errors)
    if errors:
        return
    if not rec.get("date"):
        rec["date"] = ctx.today()
    if not rec.get("deadline"):
        rec["deadline"] = (dt.date.fromisoformat(rec["date"]) + dt.timedelta(days=14)).isoformat()
    if rec.get("owner_id") is None:
        rec["owner_id"] = ctx.user_id or 1
    rec["account_id"] = ctx.cid
    lines = rec["lines"]
    if lines:
        rec["sum"] = sum((line["sum"] for line in lines), ZERO)
        rec["vat_sum"] = sum(
            (money(line["sum"] * line["vat"] / Decimal(100)) for line in lines), ZERO
        )
        projects = {line["project_id"] for line in lines if line.get("project_id")}
        if len(projects) == 1:
            rec["project_id"] = projects.pop()
        elif len(projects) > 1:
            rec["project_id"] = -1
    else:
        rec["sum"] = money(rec.get("sum") or ZERO)
        rec["vat_sum"] = money(rec.get("vat_sum") or ZERO)
    if module == "invoices":
        _finish_invoice(ctx, rec, old, changes, errors)
    _update_paid(ctx, module, rec)


def _finish_invoice(
    ctx: Ctx,
    rec: dict[str, Any],
    old: dict[str, Any] | None,
    changes: dict[str, Any],
    errors: list[str],
) -> None:
    table = ctx.table("invoices")
    own_id = old["id"] if old else None
    for credited in rec.get("credited_invoices") or []:
        if credited == own_id or ctx.live("invoices", credited) is None:
            errors.append(f"credited_invoices: invoice {credited} not found")
    if not rec.get("no"):
        numbers = [int(r["no"]) for r in table.values() if str(r.get("no", "")).isdigit()]
        rec["no"] = str(max(numbers, default=1000) + 1)
    if ctx.behaviour.unique_invoice_no:
        same = ctx.store.indexes.rows_where(
            (ctx.bucket("invoices"), "invoices"), table, "no", str(rec["no"])
        )
        for other in same:
            if (
                other["id"] != own_id
                and other.get("_deleted") is None
                and other.get("no") == rec["no"]
            ):
                errors.append(f"no: invoice number {rec['no']} is already in use")
                break
    if rec.get("status") == "sent":
        rec["is_sent"] = True


def paid_sum(ctx: Ctx, module: str, doc_id: int) -> Decimal:
    total = ZERO
    for group in ctx.table("receipts").values():
        if group.get("_deleted") is not None:
            continue
        for alloc in group.get("receipts", []):
            if alloc["sales_doc_type"] == module and alloc["invoice_id"] == doc_id:
                total += alloc["sum"]
    return total


def _update_paid(ctx: Ctx, module: str, rec: dict[str, Any]) -> None:
    paid = paid_sum(ctx, module, rec["id"]) if rec.get("id") else ZERO
    gross = rec["sum"] + rec["vat_sum"]
    if module == "invoices":
        rec["paid_sum"] = paid
        rec["receivable_sum"] = gross - paid
    else:
        rec["_paid_sum"] = paid
    fully_paid = gross != ZERO and (paid >= gross if gross > ZERO else paid <= gross)
    if fully_paid:
        if rec.get("status") != "paid":
            rec["_status_before_paid"] = rec.get("status")
        rec["status"] = "paid"
    elif rec.get("status") == "paid" and "_status_before_paid" in rec:
        # Only a status this sandbox set from receipts is taken back; "paid" set by hand stays.
        rec["status"] = rec.pop("_status_before_paid") or "unpaid"


def _decorate_document(ctx: Ctx, rec: dict[str, Any], out: dict[str, Any]) -> None:
    company = ctx.live("contacts", rec.get("company_id"))
    out["company_name"] = company["search_name"] if company else None
    owner = ctx.live("users", rec.get("owner_id"))
    out["owner_email"] = owner["email"] if owner else None
    code = ctx.live("vatCodes", rec.get("vat_code_id"))
    out["vat_code"] = code["vat_code"] if code else None
    lines = []
    for line in rec.get("lines") or []:
        shown = dict(line)
        product = ctx.live("products", line.get("product_id"))
        shown["product_name"] = product["name"] if product else None
        shown["product_code"] = product.get("code") if product else None
        code = ctx.live("vatCodes", line.get("vat_code_id"))
        shown["vat_code"] = code["vat_code"] if code else None
        account = ctx.live("financeAccounts", line.get("finance_account_id"))
        shown["finance_account_name"] = account["name"] if account else None
        shown["finance_account_symbol"] = account["account_symbol"] if account else None
        obj = ctx.live("financeObjects", line.get("finance_object_id"))
        shown["finance_object_name"] = obj["name"] if obj else None
        shown["finance_object_symbol"] = obj.get("object_symbol") if obj else None
        project = ctx.live("projects", line.get("project_id"))
        shown["project_name"] = project["project_name"] if project else None
        lines.append(shown)
    out["lines"] = lines


HEADER_COMMON: dict[str, Any] = {
    "no": "str",
    "company_id": ("ref", "contacts"),
    "person_id": ("ref", "contacts"),
    "project_id": ("ref", "projects"),
    "owner_id": ("ref", "users"),
    "date": "date",
    "deadline": "date",
    "payment_type": ("enum", PAYMENT_TYPES),
    "reference_no": "str",
    "currency": "str",
    "currency_rate": "dec",
    "discount": "dec",
    "discount2": "dec",
    "discount3": "dec",
    "vat": "dec",
    "vat_code_id": ("ref", "vatCodes"),
    "sum": "dec",
    "vat_sum": "dec",
    "custom_fields": "json",
}
DOC_DEFAULTS: dict[str, Any] = {
    "no": None,
    "company_id": None,
    "person_id": None,
    "project_id": None,
    "owner_id": None,
    "date": None,
    "deadline": None,
    "payment_type": "banktransfer",
    "reference_no": None,
    "currency": None,
    "currency_rate": None,
    "discount": ZERO,
    "vat": None,
    "vat_code_id": None,
    "lines": [],
    "custom_fields": {},
}


register(
    ModuleSpec(
        name="invoices",
        id_field="id",
        dt_style="naive",
        actions=CRUD | {"pdf"},
        fields={
            **HEADER_COMMON,
            "company_address_id": "int",
            "interested_party_id": "int",
            "status": ("enum", INVOICE_STATUSES),
            "is_sent": "bool",
            "fine": "dec",
            "credited_invoices": "intlist",
            "quote_id": "intlist",
            "order_id": "intlist",
            "accounting_period_from": "date",
            "accounting_period_to": "date",
        },
        defaults={
            **DOC_DEFAULTS,
            "status": "draft",
            "is_sent": False,
            "credited_invoices": [],
            "quote_id": [],
            "order_id": [],
            "prepayment_id": [],
            "fine": ZERO,
            "generation_type": "manual",
            "paid_sum": ZERO,
            "receivable_sum": ZERO,
        },
        finish=lambda ctx, rec, old, ch, err: _finish_document(ctx, "invoices", rec, old, ch, err),
        decorate=_decorate_document,
        list_null=("lines",),
        filter_aliases={"user_id": "owner_id"},
    )
)

register(
    ModuleSpec(
        name="bills",
        id_field="id",
        dt_style="naive",
        actions=CRUD | {"pdf"},
        fields={
            **HEADER_COMMON,
            "purchase_order_id": "int",
            "dateofpayment": "date",
            "recognition_date": "date",
            "status": ("enum", BILL_STATUSES),
            "is_chargeable": "bool",
            "description": "str",
        },
        defaults={
            **DOC_DEFAULTS,
            "status": "draft",
            "is_chargeable": False,
            "description": None,
            "dateofpayment": None,
            "recognition_date": None,
        },
        finish=lambda ctx, rec, old, ch, err: _finish_document(ctx, "bills", rec, old, ch, err),
        decorate=_decorate_document,
        list_null=("lines",),
        filter_aliases={"user_id": "owner_id", "supplier_id": "company_id"},
    )
)


# -- receipts -----------------------------------------------------------------------------


def _finish_receipt(
    ctx: Ctx,
    rec: dict[str, Any],
    old: dict[str, Any] | None,
    changes: dict[str, Any],
    errors: list[str],
) -> None:
    doc_type = rec.get("sales_doc_type") or "invoices"
    rec["sales_doc_type"] = doc_type
    if doc_type == "expenses":
        errors.append("sales_doc_type: expenses are not supported by this sandbox")
        return
    if not rec.get("date"):
        rec["date"] = ctx.today()
    if "receipts" in changes or old is None:
        value = changes.get("receipts") or []
        if not isinstance(value, list) or not value:
            errors.append("receipts: at least one allocation is required")
            return
        old_ids = {a["receipt_id"] for a in (old or {}).get("receipts", [])}
        allocations = []
        for i, item in enumerate(value):
            alloc = _allocation(ctx, rec, item, old_ids, i, errors)
            if alloc is not None:
                allocations.append(alloc)
        if errors:
            return
        rec["receipts"] = allocations
    allocated = sum((a["sum"] for a in rec["receipts"]), ZERO)
    if "sum" not in changes and (old is None or "receipts" in changes):
        rec["sum"] = allocated
    elif rec.get("sum") is not None and abs(rec["sum"]) < abs(allocated):
        errors.append("sum: is less than the sum of receipts")
    currency = rec.get("currency") or ctx.entity["base_currency"]
    if currency not in ctx.entity["active_currencies"]:
        errors.append(f"currency: {currency} is not an active currency of {ctx.cid}")
    rec["currency"] = currency
    if rec.get("contact_id") is None and rec["receipts"]:
        rec["contact_id"] = rec["receipts"][0]["contact_id"]


def _allocation(
    ctx: Ctx, group: dict[str, Any], item: Any, old_ids: set[int], i: int, errors: list[str]
) -> dict[str, Any] | None:
    where = f"receipts[{i}]"
    if not isinstance(item, dict):
        errors.append(f"{where}: must be an object")
        return None
    doc_type = item.get("sales_doc_type") or group["sales_doc_type"]
    if doc_type not in ("invoices", "bills"):
        errors.append(f"{where}.sales_doc_type: must be invoices or bills")
        return None
    alloc: dict[str, Any] = {}
    apply_fields(
        ctx,
        {"invoice_id": "int", "sum": "dec", "date": "date", "prepayment_id": "int"},
        alloc,
        item,
        errors,
        prefix=f"{where}.",
    )
    doc = ctx.live(doc_type, alloc.get("invoice_id"))
    if doc is None:
        errors.append(f"{where}.invoice_id: {doc_type} object {alloc.get('invoice_id')} not found")
        return None
    if alloc.get("sum") is None:
        errors.append(f"{where}.sum: is required")
        return None
    group_currency = group.get("currency") or ctx.entity["base_currency"]
    if doc["currency"] != group_currency:
        errors.append(
            f"{where}: document currency {doc['currency']} differs from the "
            f"receipt currency {group_currency}"
        )
        return None
    raw_id = str(item.get("receipt_id") or "")
    alloc_id = int(raw_id) if raw_id.isdigit() and int(raw_id) in old_ids else None
    return {
        "receipt_id": alloc_id or ctx.store.new_id("receipt_allocations"),
        "date": alloc.get("date") or group["date"],
        "invoice_id": doc["id"],
        "prepayment_id": alloc.get("prepayment_id"),
        "sum": money(alloc["sum"]),
        "sales_doc_type": doc_type,
        "contact_id": doc["company_id"],
    }


def _after_receipt(ctx: Ctx, old: dict[str, Any] | None, new: dict[str, Any]) -> None:
    docs = {(a["sales_doc_type"], a["invoice_id"]) for a in (old or {}).get("receipts", [])}
    docs |= {(a["sales_doc_type"], a["invoice_id"]) for a in new.get("receipts", [])}
    for module, doc_id in sorted(docs):
        doc = ctx.table(module).get(doc_id)
        if doc is None:
            continue
        _update_paid(ctx, module, doc)
        touch(ctx, module, doc_id)


def _decorate_receipt(ctx: Ctx, rec: dict[str, Any], out: dict[str, Any]) -> None:
    shown = []
    for alloc in rec.get("receipts", []):
        item = dict(alloc)
        contact = ctx.live("contacts", alloc.get("contact_id"))
        item["contact_name"] = contact["search_name"] if contact else None
        shown.append(item)
    out["receipts"] = shown


def add_invoice_numbers(ctx: Ctx, out: dict[str, Any]) -> None:
    """invoice_no appears in the modify response only."""
    for item in out.get("receipts") or []:
        doc = ctx.table(item["sales_doc_type"]).get(item["invoice_id"])
        item["invoice_no"] = doc.get("no") if doc else None


register(
    ModuleSpec(
        name="receipts",
        id_field="id",
        dt_style="naive",
        actions=CRUD,
        fields={
            "date": "date",
            "contact_id": ("ref", "contacts"),
            "sum": "dec",
            "currency": "str",
            "sales_doc_type": ("enum", ("invoices", "bills", "expenses")),
            "receipt_account_id": ("ref", "receiptAccounts"),
            "custom_fields": "json",
        },
        defaults={
            "date": None,
            "contact_id": None,
            "sum": None,
            "currency": None,
            "sales_doc_type": "invoices",
            "receipt_account_id": None,
            "receipts": [],
            "custom_fields": {},
        },
        finish=_finish_receipt,
        decorate=_decorate_receipt,
        after_write=_after_receipt,
    )
)
