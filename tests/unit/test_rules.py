"""Which way each kind goes, who owns what, and the checks that hold a record (sync/rules.py),
on a real store and in-memory services."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from qbsync_desktop.domain import (
    Account,
    Bill,
    Category,
    Contact,
    Direction,
    DocumentLine,
    Invoice,
    Kind,
    Project,
    Ref,
    Side,
)
from qbsync_desktop.store import models as m
from qbsync_desktop.sync import rules
from qbsync_desktop.sync.links import LinkBook
from tests.support.engine_world import invoice

SCORO_CONTACT = Ref(Kind.CUSTOMER, Side.SCORO, "sc-1")


# ------------------------------------------------------------------ direction
def test_projects_classes_and_background_items_come_from_quickbooks_whatever_the_setting(books):
    for category in (Category.PROJECTS, Category.CLASSES, Category.BACKGROUND):
        books.set_direction(category, Direction.SCORO_TO_QBO)
    engine = books.engine()

    assert engine.direction_of(Category.PROJECTS) is Direction.QBO_TO_SCORO
    assert engine.direction_of(Category.CLASSES) is Direction.QBO_TO_SCORO
    assert engine.direction_of(Category.BACKGROUND) is Direction.QBO_TO_SCORO
    assert engine.direction_of(Category.ATTACHMENTS) is Direction.SCORO_TO_QBO


def test_contacts_go_the_way_the_bookkeeper_chose(books):
    books.set_direction(Category.CONTACTS, Direction.QBO_TO_SCORO)
    books.qbo.put(Kind.CUSTOMER, Contact(id="", name="From QuickBooks", currency="EUR"))
    books.scoro_customer("From Scoro")

    books.run(Category.CONTACTS)

    assert sorted(c.name for c in books.scoro.live(Kind.CUSTOMER)) == [
        "From QuickBooks",
        "From Scoro",
    ]
    assert [c.name for c in books.qbo.live(Kind.CUSTOMER)] == ["From QuickBooks"]


def test_a_scoro_project_is_never_made_in_quickbooks(books):
    books.set_direction(Category.PROJECTS, Direction.SCORO_TO_QBO)
    books.scoro.put(Kind.PROJECT, Project(id="", name="Website"))
    books.qbo.put(Kind.PROJECT, Project(id="", name="Audit"))

    books.run(Category.PROJECTS)

    assert [p.name for p in books.qbo.live(Kind.PROJECT)] == ["Audit"]
    assert sorted(p.name for p in books.scoro.live(Kind.PROJECT)) == ["Audit", "Website"]


def test_a_tax_rate_quickbooks_does_not_have_holds_the_invoice_and_is_not_made_there(books):
    customer = books.scoro_customer()
    rate = Ref(Kind.TAX_RATE, Side.SCORO, "sc-vat-old")
    doc = invoice("1001", Ref(Kind.CUSTOMER, Side.SCORO, customer.id))
    line = DocumentLine(description="Consulting", amount=Decimal(100), tax_rate=rate)
    books.scoro.put(Kind.INVOICE, doc.replace(lines=(line,)))

    books.run()

    assert books.qbo.live(Kind.INVOICE) == []
    assert books.qbo.live(Kind.TAX_RATE) == []
    [item] = books.review("outdated_tax_rate")
    assert "uses a tax rate that QuickBooks does not have" in item.message


def test_an_account_edited_in_scoro_is_put_back_from_quickbooks(books):
    books.qbo.put(Kind.ACCOUNT, Account(id="", name="Sales", number="3000"))
    books.run(Category.BACKGROUND)
    [copy] = books.scoro.live(Kind.ACCOUNT)
    books.scoro.edit(Kind.ACCOUNT, copy.id, name="Revenue")

    books.run(Category.BACKGROUND)

    assert books.scoro.live(Kind.ACCOUNT)[0].name == "Sales"
    [item] = books.review("edited_in_scoro")
    assert "QuickBooks keeps the master copy" in item.message


def test_draft_scoro_invoice_is_skipped_not_held(books):
    books.scoro_invoice("1001", status="draft")

    counts = books.run()

    assert books.qbo.live(Kind.INVOICE) == []
    assert counts.held == 0
    assert books.review() == []


def test_skip_reason_names_the_status_of_left_out_invoices():
    draft = invoice("1001", SCORO_CONTACT, status="Draft")
    assert "draft in Scoro" in rules.skip_reason(Kind.INVOICE, draft, Side.SCORO)
    assert rules.skip_reason(Kind.INVOICE, invoice("1002", SCORO_CONTACT), Side.SCORO) == ""
    # From QuickBooks nothing is a Scoro draft.
    assert rules.skip_reason(Kind.INVOICE, draft, Side.QBO) == ""


def test_classes_are_unavailable_until_quickbooks_tracks_them_per_line(books):
    books.conn.qbo_class_tracking = "per_document"
    assert "turn on class tracking" in rules.category_unavailable(Category.CLASSES, books.conn)
    books.conn.qbo_class_tracking = "per_line"
    assert rules.category_unavailable(Category.CLASSES, books.conn) == ""
    assert rules.category_unavailable(Category.INVOICES, books.conn) == ""


# ------------------------------------------------------------------ holds from validate()
def _validate(books, rec, desired, current=None, *, update=False):
    return rules.validate(
        rec.kind if isinstance(rec, Invoice) else Kind.CUSTOMER,
        rec,
        desired,
        current,
        Side.SCORO,
        books.conn,
        LinkBook(books.conn),
        matched=False,
        update=update,
    )


def test_contact_in_a_foreign_currency_is_held_when_quickbooks_has_one_currency(books):
    usd = Contact(id="sc-1", name="Acme Inc", currency="USD")

    hold = _validate(books, usd, usd)

    assert hold.type == "currency_mismatch"
    assert "multicurrency is off" in hold.message
    assert _validate(books, usd.replace(currency="EUR"), usd.replace(currency="EUR")) is None


def test_paid_document_is_not_changed_from_scoro(books):
    doc = invoice("1001", SCORO_CONTACT)
    desired = doc.replace(contact=Ref(Kind.CUSTOMER, Side.QBO, "qb-1"))
    paid = desired.replace(id="qb-9", paid=Decimal("120.00"))

    hold = _validate(books, doc, desired, paid, update=True)

    assert hold.type == "paid_document"
    assert "already has a payment in QuickBooks" in hold.message


def test_document_in_another_currency_than_its_quickbooks_contact_is_held(books):
    LinkBook(books.conn).save(
        Kind.CUSTOMER,
        scoro_id="sc-1",
        qbo_id="qb-1",
        scoro_fingerprint="",
        qbo_fingerprint="",
        snapshot=json.dumps({"quickbooks": {"name": "Müller GmbH", "currency": "EUR"}}),
    )
    doc = invoice("1001", SCORO_CONTACT, currency="USD")
    desired = doc.replace(contact=Ref(Kind.CUSTOMER, Side.QBO, "qb-1"))

    hold = _validate(books, doc, desired)

    assert hold.type == "currency_mismatch"
    assert "Müller GmbH is in EUR in QuickBooks, but Invoice 1001 is in USD" in hold.message
    assert _validate(books, doc.replace(currency="EUR"), desired.replace(currency="EUR")) is None


def test_document_whose_contact_did_not_translate_names_the_contacts_review_item(books):
    m.ReviewItem.create(
        connection=books.conn,
        kind="customer",
        object_id="sc-1",
        object_side="scoro",
        object_label="Customer Müller GmbH",
        type="write_failed",
        message="QuickBooks refused it.",
    )
    doc = invoice("1001", SCORO_CONTACT)

    hold = _validate(books, doc, doc.replace(contact=None))

    assert hold.type == "missing_dependency"
    assert hold.message == (
        "Invoice 1001 was not sent: Customer Müller GmbH could not be sent to QuickBooks first. "
        "QuickBooks refused it."
    )


# ------------------------------------------------------------------ totals and conflicts
def test_totals_gap_is_none_when_both_agree_to_the_cent():
    src = invoice("1001", SCORO_CONTACT, amount="100.00", tax="20.00")
    assert rules.totals_gap(src, src, Side.SCORO, bills_without_tax=False) is None


def test_totals_gap_shows_both_figures_and_the_difference():
    src = invoice("1001", SCORO_CONTACT, amount="100.00", tax="20.00")
    written = src.replace(total=Decimal("119.99"), tax_total=Decimal("19.99"))

    gap = rules.totals_gap(src, written, Side.SCORO, bills_without_tax=False)

    assert gap.details["Scoro total"] == "120.00"
    assert gap.details["QuickBooks total"] == "119.99"
    assert gap.details["difference"] == "-0.01"
    assert gap.message.startswith("The totals differ by 0.01 EUR")


def test_totals_gap_compares_a_bill_without_tax_to_its_net_amount():
    bill = Bill(
        id="qb-1",
        number="B-7",
        contact=None,
        date=dt.date(2024, 3, 1),
        currency="EUR",
        lines=(DocumentLine(amount=Decimal(100)),),
        total=Decimal("120.00"),
        tax_total=Decimal("20.00"),
    )
    net = bill.replace(total=Decimal("100.00"), tax_total=Decimal(0))

    assert rules.totals_gap(bill, net, Side.QBO, bills_without_tax=True) is None
    assert rules.totals_gap(bill, net, Side.QBO, bills_without_tax=False) is not None


def test_conflict_details_list_only_the_fields_that_moved_since_the_last_sync():
    base_scoro = invoice("1001", SCORO_CONTACT, memo="old")
    base_qbo = base_scoro.replace(contact=Ref(Kind.CUSTOMER, Side.QBO, "qb-1"))
    snapshot = json.dumps(
        {"scoro": json.loads(base_scoro.snapshot()), "quickbooks": json.loads(base_qbo.snapshot())}
    )
    link = m.Link(snapshot=snapshot)

    details = rules.conflict_details(
        link, base_scoro.replace(memo="Scoro"), base_qbo.replace(memo="QuickBooks"), Side.SCORO
    )

    assert details["fields"] == [
        {"field": "memo", "scoro": "Scoro", "base": "old", "quickbooks": "QuickBooks"}
    ]
