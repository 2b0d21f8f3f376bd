"""Turn a source-side record into the record the target should hold.

Refs are translated through links; the engine syncs missing dependencies first, rules R11 and
R25. Side-specific rules live here, each named in docs/rules.md: the vendor suffix R23,
contact currency R24, one project per invoice R33, the item's account winning on lines R12,
default accounts R44 and R45, bills without tax R46.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..domain import (
    Allocation,
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
)
from ..domain.fingerprint import normalise

VENDOR_SUFFIX = " (v)"

# Fields a target keeps from its own copy on update: the source cannot change them, or the
# target owns them (QuickBooks never lets a contact's currency change, R24).
KEEP_ON_UPDATE: dict[type, frozenset[str]] = {
    Contact: frozenset({"currency"}),
    Product: frozenset({"income_account", "expense_account", "is_service"}),
}


@dataclass
class Context:
    source: Side
    home_currency: str  # QuickBooks home currency
    entity_currency: str  # Scoro entity base currency
    multicurrency: bool
    default_income_account: str | None = None  # QBO account id (R45)
    default_expense_account: str | None = None  # QBO account id (R44)
    bills_without_tax: bool = False  # R46
    # QuickBooks invoice lines need an item: lines without a product use this one.
    default_item: str | None = None
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (type, message)

    @property
    def target(self) -> Side:
        return self.source.other


Resolver = Callable[[Ref], Ref | None]


def strip_vendor_suffix(name: str) -> str:
    return name[: -len(VENDOR_SUFFIX)] if name.endswith(VENDOR_SUFFIX) else name


def vendor_display_name(contact: Contact) -> str:
    """R23: a contact that is both client and supplier is a vendor named "<name> (v)"."""
    if contact.is_client and contact.is_supplier:
        return contact.name + VENDOR_SUFFIX
    return contact.name


def _ref(resolve: Resolver, ref: Ref | None) -> Ref | None:
    return None if ref is None else resolve(ref)


def contact(rec: Contact, kind: Kind, ctx: Context, current: Record | None) -> Contact:
    if ctx.target is Side.QBO:
        if kind is Kind.VENDOR:
            out = rec.replace(name=vendor_display_name(rec), is_client=False, is_supplier=True)
        else:
            out = rec.replace(is_client=True, is_supplier=False)
        # R24: the client profile's currency, or the entity's when it has none.
        currency = rec.currency or ctx.entity_currency or ctx.home_currency
        return out.replace(currency=currency)
    # QuickBooks -> Scoro: one Scoro contact stands for a customer and its " (v)" vendor.
    name = strip_vendor_suffix(rec.name) if kind is Kind.VENDOR else rec.name
    is_client = kind is Kind.CUSTOMER or bool(isinstance(current, Contact) and current.is_client)
    is_supplier = kind is Kind.VENDOR or bool(isinstance(current, Contact) and current.is_supplier)
    return rec.replace(name=name, is_client=is_client, is_supplier=is_supplier)


def product(rec: Product, ctx: Context, resolve: Resolver) -> Product:
    income = _ref(resolve, rec.income_account)
    expense = _ref(resolve, rec.expense_account)
    if ctx.target is Side.QBO:
        if income is None and ctx.default_income_account:
            income = Ref(Kind.ACCOUNT, Side.QBO, ctx.default_income_account)
        if expense is None and ctx.default_expense_account and rec.purchase_cost:
            expense = Ref(Kind.ACCOUNT, Side.QBO, ctx.default_expense_account)
    return rec.replace(income_account=income, expense_account=expense)


# QuickBooks projects are only active or not; Scoro has a workflow of statuses.
SCORO_PROJECT_STATUS = {"active": "inprogress", "inactive": "completed", "": "inprogress"}


def project(rec: Project, ctx: Context, resolve: Resolver) -> Project:
    out = rec.replace(client=_ref(resolve, rec.client))
    if ctx.target is Side.SCORO:
        status = (rec.status or "").lower()
        out = out.replace(status=SCORO_PROJECT_STATUS.get(status, status))
    return out


def _line(line: DocumentLine, ctx: Context, resolve: Resolver, *, bill: bool) -> DocumentLine:
    product_ref = _ref(resolve, line.product)
    account = _ref(resolve, line.account)
    if product_ref is not None and ctx.target is Side.QBO:
        # R12: a QuickBooks item has one account; the line follows what the item holds.
        account = None
    if not bill and line.product is None and ctx.target is Side.QBO and ctx.default_item:
        product_ref = Ref(Kind.PRODUCT, Side.QBO, ctx.default_item)
        account = None
    if bill and product_ref is None and account is None and ctx.target is Side.QBO:
        if ctx.default_expense_account:
            account = Ref(Kind.ACCOUNT, Side.QBO, ctx.default_expense_account)  # R44
    tax = _ref(resolve, line.tax_rate)
    if bill and ctx.bills_without_tax and ctx.target is Side.SCORO:
        tax = None  # R46
    project_ref = line.project
    if project_ref is not None and project_ref.kind is not Kind.PROJECT:
        project_ref = None
    return dataclasses.replace(
        line,
        product=product_ref,
        account=account,
        tax_rate=tax,
        project=_ref(resolve, project_ref),
        tracking_class=_ref(resolve, line.tracking_class),
    )


def invoice(rec: Invoice, ctx: Context, resolve: Resolver) -> Invoice:
    project_ref: Ref | None = None
    lines = tuple(_line(line, ctx, resolve, bill=False) for line in rec.lines)
    if ctx.target is Side.QBO:
        named = rec.projects
        if len(named) > 1:
            ctx.warnings.append(
                (
                    "multiple_projects",
                    f"{rec.kind.label} {rec.number} names {len(named)} projects on its lines. "
                    "QuickBooks allows one project per invoice, so it was sent without a project "
                    "link. Split the invoice in Scoro if each project must be billed separately.",
                )
            )
        elif len(named) == 1:
            project_ref = resolve(next(iter(named)))
        # QuickBooks holds the project on the invoice, not on its lines.
        lines = tuple(dataclasses.replace(line, project=None) for line in lines)
    else:
        project_ref = _ref(resolve, rec.project)
        if project_ref is not None:
            lines = tuple(
                line if line.project else dataclasses.replace(line, project=project_ref)
                for line in lines
            )
    return rec.replace(
        contact=_ref(resolve, rec.contact),
        lines=lines,
        project=project_ref,
        credited_invoice=_ref(resolve, rec.credited_invoice),
    )


def bill(rec: Bill, ctx: Context, resolve: Resolver) -> Bill:
    lines = tuple(_line(line, ctx, resolve, bill=True) for line in rec.lines)
    out = rec.replace(contact=_ref(resolve, rec.contact), lines=lines)
    if ctx.bills_without_tax and ctx.target is Side.SCORO:
        out = out.replace(tax_included=False)
    return out


def payment(rec: Payment, resolve: Resolver) -> Payment:
    allocations = []
    for alloc in rec.allocations:
        doc = resolve(alloc.document)
        if doc is not None:
            allocations.append(Allocation(document=doc, amount=alloc.amount))
    return rec.replace(
        contact=_ref(resolve, rec.contact),
        allocations=tuple(allocations),
        account=_ref(resolve, rec.account),
    )


def translate(
    kind: Kind, rec: Record, ctx: Context, resolve: Resolver, current: Record | None
) -> Record:
    if isinstance(rec, Contact):
        return contact(rec, kind, ctx, current)
    if isinstance(rec, Product):
        return product(rec, ctx, resolve)
    if isinstance(rec, Project):
        return project(rec, ctx, resolve)
    if isinstance(rec, Invoice):
        return invoice(rec, ctx, resolve)
    if isinstance(rec, Bill):
        return bill(rec, ctx, resolve)
    if isinstance(rec, Payment):
        return payment(rec, resolve)
    if hasattr(rec, "parent"):
        return rec.replace(parent=_ref(resolve, rec.parent))
    return rec


def merge_over(current: Record | None, desired: Record) -> Record:
    """The desired record laid over the target's current copy: ids, versions and the fields
    the target keeps come from the current copy."""
    if current is None or type(current) is not type(desired):
        return desired
    keep = KEEP_ON_UPDATE.get(type(desired), frozenset())
    changes = {name: getattr(current, name) for name in keep}
    changes.update(id=current.id, version=current.version, modified=current.modified)
    return dataclasses.replace(desired, **changes)


_EMPTY = (None, "", ())


def keep_what_source_left(desired: Record, current: Record | None, before: Record | None) -> Record:
    """Field by field, the target keeps its own value where the bookkeeper's edit did not
    change what we would write: `before` is the target record made from the source as it was
    at the last sync, so a field equal in both is not ours to write now (a field derived from
    several source fields moves when any of them does). With no `before` (a first match),
    an empty field never clears the target's value."""
    if current is None or type(current) is not type(desired):
        return desired
    if before is not None and type(before) is not type(desired):
        before = None
    keep: dict[str, Any] = {}
    for f in dataclasses.fields(desired):
        if f.metadata.get("fp", True) is False:
            continue
        value = getattr(desired, f.name)
        if before is not None:
            unchanged = normalise(value) == normalise(getattr(before, f.name))
        else:
            unchanged = value in _EMPTY
        if unchanged:
            keep[f.name] = getattr(current, f.name)
    return dataclasses.replace(desired, **keep) if keep else desired


def refs_of(rec: Record) -> list[Ref]:
    """Every reference a record carries (its dependencies)."""
    found: list[Ref] = []

    def walk(value: object) -> None:
        if isinstance(value, Ref):
            found.append(value)
        elif isinstance(value, tuple):
            for item in value:
                walk(item)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            for f in dataclasses.fields(value):
                walk(getattr(value, f.name))

    walk(rec)
    return found
