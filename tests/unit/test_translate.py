"""Turning a record of one side into what the other side should hold (sync/translate.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from qbsync_desktop.domain import (
    Allocation,
    Bill,
    Contact,
    DocumentLine,
    Kind,
    Payment,
    Product,
    Ref,
    Side,
)
from qbsync_desktop.sync import translate
from qbsync_desktop.sync.translate import Context, keep_what_source_left, merge_over
from tests.support.engine_world import invoice


def ctx(source: Side = Side.SCORO, **kw) -> Context:
    values = {"home_currency": "EUR", "entity_currency": "EUR", "multicurrency": False}
    return Context(source=source, **(values | kw))


def links(*pairs: tuple[Ref, str]):
    """A resolver over the given links: source ref -> other side's id."""
    table = {ref: other for ref, other in pairs}

    def resolve(ref: Ref) -> Ref | None:
        other = table.get(ref)
        return None if other is None else Ref(ref.kind, ref.side.other, other)

    return resolve


def s(kind: Kind, rid: str) -> Ref:
    return Ref(kind, Side.SCORO, rid)


def q(kind: Kind, rid: str) -> Ref:
    return Ref(kind, Side.QBO, rid)


NOBODY = links()


# ------------------------------------------------------------------ contacts
def test_a_client_who_is_also_a_supplier_becomes_a_quickbooks_vendor_named_with_v():
    both = Contact(id="sc-1", name="Müller GmbH", is_client=True, is_supplier=True)

    vendor = translate.translate(Kind.VENDOR, both, ctx(), NOBODY, None)
    customer = translate.translate(Kind.CUSTOMER, both, ctx(), NOBODY, None)

    assert (vendor.name, vendor.is_supplier, vendor.is_client) == ("Müller GmbH (v)", True, False)
    assert (customer.name, customer.is_client, customer.is_supplier) == ("Müller GmbH", True, False)


def test_a_quickbooks_vendor_comes_back_to_scoro_without_v_and_keeps_its_client_role():
    vendor = Contact(id="qb-5", name="Müller GmbH (v)", is_client=False, is_supplier=True)
    scoro_copy = Contact(id="sc-1", name="Müller GmbH", is_client=True)

    out = translate.translate(Kind.VENDOR, vendor, ctx(Side.QBO), NOBODY, scoro_copy)

    assert (out.name, out.is_client, out.is_supplier) == ("Müller GmbH", True, True)


def test_a_contact_without_a_currency_goes_to_quickbooks_in_the_entitys():
    plain = Contact(id="sc-1", name="Müller GmbH")
    usd = plain.replace(currency="USD")

    assert translate.translate(Kind.CUSTOMER, plain, ctx(entity_currency="GBP"), NOBODY,
                               None).currency == "GBP"  # fmt: skip
    assert translate.translate(Kind.CUSTOMER, usd, ctx(), NOBODY, None).currency == "USD"


# ------------------------------------------------------------------ products and documents
def test_a_product_without_an_income_account_takes_the_default_one():
    tool = Product(id="sc-3", name="Hammer", purchase_cost=Decimal(4))

    out = translate.translate(
        Kind.PRODUCT,
        tool,
        ctx(default_income_account="79", default_expense_account="80"),
        NOBODY,
        None,
    )

    assert out.income_account == q(Kind.ACCOUNT, "79")
    assert out.expense_account == q(Kind.ACCOUNT, "80")


def test_invoice_refs_are_translated_through_links():
    doc = invoice("1001", s(Kind.CUSTOMER, "sc-1"))
    line = DocumentLine(
        description="Hammer", product=s(Kind.PRODUCT, "sc-3"), account=s(Kind.ACCOUNT, "sc-a"),
        tax_rate=s(Kind.TAX_RATE, "sc-t"), amount=Decimal(10),
    )  # fmt: skip
    resolve = links(
        (s(Kind.CUSTOMER, "sc-1"), "qb-1"),
        (s(Kind.PRODUCT, "sc-3"), "qb-3"),
        (s(Kind.TAX_RATE, "sc-t"), "qb-t"),
        (s(Kind.ACCOUNT, "sc-a"), "qb-a"),
    )

    out = translate.translate(Kind.INVOICE, doc.replace(lines=(line,)), ctx(), resolve, None)

    assert out.contact == q(Kind.CUSTOMER, "qb-1")
    [sent] = out.lines
    assert (sent.product, sent.tax_rate) == (q(Kind.PRODUCT, "qb-3"), q(Kind.TAX_RATE, "qb-t"))
    # A QuickBooks item has one account: the line follows the item's, not its own.
    assert sent.account is None
    assert all(ref.side is Side.QBO for ref in translate.refs_of(out))


def test_invoice_lines_without_a_product_get_the_default_item():
    doc = invoice("1001", None)

    out = translate.translate(Kind.INVOICE, doc, ctx(default_item="qb-77"), NOBODY, None)

    assert out.lines[0].product == q(Kind.PRODUCT, "qb-77")


def test_invoice_naming_several_projects_goes_without_one_and_says_why():
    lines = (
        DocumentLine(description="a", amount=Decimal(1), project=s(Kind.PROJECT, "p1")),
        DocumentLine(description="b", amount=Decimal(1), project=s(Kind.PROJECT, "p2")),
    )
    doc = invoice("1001", None).replace(lines=lines)
    resolve = links((s(Kind.PROJECT, "p1"), "qb-p1"), (s(Kind.PROJECT, "p2"), "qb-p2"))
    context = ctx()

    out = translate.translate(Kind.INVOICE, doc, context, resolve, None)

    assert out.project is None
    assert all(line.project is None for line in out.lines)
    [(kind, message)] = context.warnings
    assert kind == "multiple_projects"
    assert "names 2 projects" in message


def test_invoice_naming_one_project_on_its_lines_carries_it_on_the_invoice_in_quickbooks():
    line = DocumentLine(description="a", amount=Decimal(1), project=s(Kind.PROJECT, "p1"))
    doc = invoice("1001", None).replace(lines=(line,))

    out = translate.translate(
        Kind.INVOICE, doc, ctx(), links((s(Kind.PROJECT, "p1"), "qb-p1")), None
    )

    assert out.project == q(Kind.PROJECT, "qb-p1")
    assert out.lines[0].project is None


def _bill(**kw) -> Bill:
    values = {
        "id": "1",
        "number": "B-7",
        "contact": None,
        "date": dt.date(2024, 3, 1),
        "lines": (DocumentLine(description="Paper", amount=Decimal(10)),),
    }
    return Bill(**(values | kw))


def test_bill_line_without_product_or_account_books_to_the_default_expense_account():
    out = translate.translate(Kind.BILL, _bill(), ctx(default_expense_account="80"), NOBODY, None)

    assert out.lines[0].account == q(Kind.ACCOUNT, "80")


def test_bills_without_tax_reach_scoro_without_tax():
    taxed = _bill(lines=(DocumentLine(amount=Decimal(10), tax_rate=q(Kind.TAX_RATE, "5")),))
    resolve = links((q(Kind.TAX_RATE, "5"), "sc-t"))

    out = translate.translate(Kind.BILL, taxed, ctx(Side.QBO, bills_without_tax=True), resolve,
                              None)  # fmt: skip
    kept = translate.translate(Kind.BILL, taxed, ctx(Side.QBO), resolve, None)

    assert (out.tax_included, out.lines[0].tax_rate) == (False, None)
    assert kept.lines[0].tax_rate == s(Kind.TAX_RATE, "sc-t")


def test_a_receipt_keeps_only_allocations_to_documents_the_other_side_has():
    receipt = Payment(
        id="qb-8",
        is_bill_payment=False,
        contact=q(Kind.CUSTOMER, "qb-1"),
        date=dt.date(2024, 3, 5),
        amount=Decimal(150),
        allocations=(
            Allocation(q(Kind.INVOICE, "qb-i1"), Decimal(100)),
            Allocation(q(Kind.INVOICE, "qb-unknown"), Decimal(50)),
        ),
    )
    resolve = links((q(Kind.INVOICE, "qb-i1"), "sc-i1"), (q(Kind.CUSTOMER, "qb-1"), "sc-1"))

    out = translate.translate(Kind.RECEIPT, receipt, ctx(Side.QBO), resolve, None)

    assert out.allocations == (Allocation(s(Kind.INVOICE, "sc-i1"), Decimal(100)),)
    assert out.contact == s(Kind.CUSTOMER, "sc-1")


# ------------------------------------------------------------------ what the target keeps
def test_merge_over_takes_ids_version_and_the_fields_the_target_owns_from_its_copy():
    current = Contact(id="qb-1", name="Old name", currency="USD", version="4")
    desired = Contact(id="sc-1", name="New name", currency="EUR")

    out = merge_over(current, desired)

    # QuickBooks never lets a contact's currency change.
    assert (out.id, out.version, out.currency, out.name) == ("qb-1", "4", "USD", "New name")
    assert merge_over(None, desired) is desired


def test_keep_what_source_left_keeps_target_fields_the_source_did_not_change():
    before = invoice("1001", q(Kind.CUSTOMER, "qb-1"), memo="PO 1")  # made from Scoro last time
    current = before.replace(id="qb-9", due_date=dt.date(2024, 4, 30), memo="PO 1")
    desired = before.replace(id="qb-9", memo="PO 2")  # the bookkeeper changed the memo only

    out = keep_what_source_left(desired, current, before)

    assert out.memo == "PO 2"  # the source's edit goes
    assert out.due_date == dt.date(2024, 4, 30)  # QuickBooks' own edit stays


def test_keep_what_source_left_sends_a_field_the_source_changed_over_the_targets_own_edit():
    before = invoice("1001", None, memo="PO 1")
    current = before.replace(memo="edited in QuickBooks")
    desired = before.replace(memo="PO 9")

    assert keep_what_source_left(desired, current, before).memo == "PO 9"


def test_keep_what_source_left_without_a_base_never_clears_the_target_with_an_empty_field():
    current = invoice("1001", None, memo="PO 77", due_date=dt.date(2024, 4, 1))
    desired = invoice("1001", None, memo="", due_date=None)

    out = keep_what_source_left(desired, current, None)

    assert (out.memo, out.due_date) == ("PO 77", dt.date(2024, 4, 1))


@pytest.mark.parametrize("current", [None, Contact(id="qb-1", name="Other type")])
def test_keep_what_source_left_leaves_the_record_alone_without_a_comparable_target(current):
    desired = invoice("1001", None)

    assert keep_what_source_left(desired, current, None) is desired


def test_refs_of_finds_every_reference_a_record_needs():
    line = DocumentLine(product=s(Kind.PRODUCT, "p"), tax_rate=s(Kind.TAX_RATE, "t"))
    doc = invoice("1001", s(Kind.CUSTOMER, "c")).replace(lines=(line,))

    assert set(translate.refs_of(doc)) == {
        s(Kind.CUSTOMER, "c"),
        s(Kind.PRODUCT, "p"),
        s(Kind.TAX_RATE, "t"),
    }
