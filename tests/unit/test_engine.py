"""The sync engine over in-memory services and a real SQLite store: what a bookkeeper sees after
a run (what is in QuickBooks, what is linked, what waits for review), without HTTP."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from qbsync_desktop.domain import Category, Contact, DocumentLine, Kind, Ref, Side
from qbsync_desktop.domain.errors import ServiceUnavailable
from qbsync_desktop.sync.engine import DEFAULT_ITEM_NAME
from tests.support.engine_world import invoice


def qbo_invoices(books):
    return books.qbo.live(Kind.INVOICE)


def invoice_ops(gateway):
    return [op for op in gateway.sent if op.kind is Kind.INVOICE]


# ------------------------------------------------------------------ creating and linking
def test_new_scoro_invoice_is_created_once_in_quickbooks_and_linked(books):
    inv = books.scoro_invoice("1001", amount="100.00", tax="20.00")

    counts = books.run()

    [made] = qbo_invoices(books)
    [customer] = books.qbo.live(Kind.CUSTOMER)
    assert (made.number, made.total, made.tax_total) == ("1001", Decimal("120.00"), Decimal(20))
    assert made.contact == Ref(Kind.CUSTOMER, Side.QBO, customer.id)
    assert customer.name == "Müller GmbH"
    assert books.link(Kind.INVOICE, inv.id).qbo_id == made.id
    assert books.outbox() == []
    assert counts.created == 2  # the customer it needs, then the invoice
    assert books.review() == []


def test_second_run_with_no_change_writes_nothing(books):
    books.scoro_invoice("1001")
    books.run()
    sent = len(books.qbo.sent)

    counts = books.run()

    assert len(books.qbo.sent) == sent
    assert (counts.created, counts.updated) == (0, 0)
    assert len(qbo_invoices(books)) == 1


def test_invoice_saved_again_in_scoro_without_a_change_writes_nothing(books):
    inv = books.scoro_invoice("1001")
    books.run()
    sent = len(books.qbo.sent)
    books.scoro.touch(Kind.INVOICE, inv.id)

    counts = books.run()

    assert len(books.qbo.sent) == sent
    assert counts.unchanged == 1


def test_edit_in_scoro_updates_the_linked_quickbooks_invoice(books):
    inv = books.scoro_invoice("1001")
    books.run()
    books.scoro.edit(Kind.INVOICE, inv.id, memo="PO 4711")

    counts = books.run()

    [made] = qbo_invoices(books)
    assert made.memo == "PO 4711"
    assert made.version == "1"
    assert counts.updated == 1


# ------------------------------------------------------------------ edits on both sides
def test_edit_on_both_sides_becomes_a_conflict_review_item_not_an_overwrite(books):
    inv = books.scoro_invoice("1001")
    books.run()
    [made] = qbo_invoices(books)
    books.scoro.edit(Kind.INVOICE, inv.id, memo="Scoro's memo")
    books.qbo.edit(Kind.INVOICE, made.id, memo="QuickBooks' memo")
    writes = len(books.qbo.applied)

    books.run()

    assert qbo_invoices(books)[0].memo == "QuickBooks' memo"
    assert len(books.qbo.applied) == writes
    [item] = books.review("conflict")
    assert item.object_id == inv.id
    assert "changed in both Scoro and QuickBooks" in item.message
    fields = {f["field"]: f for f in json.loads(item.details)["fields"]}
    assert fields["memo"]["scoro"] == "Scoro's memo"
    assert fields["memo"]["quickbooks"] == "QuickBooks' memo"


def test_edit_made_only_in_quickbooks_is_kept(books):
    inv = books.scoro_invoice("1001")
    books.run()
    [made] = qbo_invoices(books)
    books.qbo.edit(Kind.INVOICE, made.id, memo="Added in QuickBooks")
    books.scoro.touch(Kind.INVOICE, inv.id)
    writes = len(books.qbo.applied)

    books.run()

    assert qbo_invoices(books)[0].memo == "Added in QuickBooks"
    assert len(books.qbo.applied) == writes
    assert books.review() == []


# ------------------------------------------------------------------ failed writes
def test_failed_write_leaves_an_outbox_row_and_the_next_run_retries_with_the_same_requestid(
    books,
):
    inv = books.scoro_invoice("1001")
    books.qbo.fail("transient", kind=Kind.INVOICE)

    first = books.run()

    assert first.failed == 1
    assert qbo_invoices(books) == []
    [row] = books.outbox()
    assert (row.kind, row.key) == ("invoice", inv.id)

    books.run()

    [made] = qbo_invoices(books)
    tries = invoice_ops(books.qbo)
    assert len(tries) == 2
    assert tries[0].requestid == tries[1].requestid == row.requestid
    assert books.link(Kind.INVOICE, inv.id).qbo_id == made.id
    assert books.outbox() == []


def test_write_that_reached_quickbooks_but_lost_its_answer_is_not_made_twice(books):
    inv = books.scoro_invoice("1001")
    books.qbo.fail("transient", kind=Kind.INVOICE, committed=True)

    books.run()
    assert len(books.outbox()) == 1
    books.run()

    [made] = qbo_invoices(books)
    assert books.link(Kind.INVOICE, inv.id).qbo_id == made.id
    assert books.outbox() == []


def test_invoice_quickbooks_refuses_is_held_and_retried_under_a_new_requestid(books):
    inv = books.scoro_invoice("1001")
    books.qbo.fail("permanent", kind=Kind.INVOICE)

    counts = books.run()

    assert counts.held == 1
    [item] = books.review("write_failed")
    assert "QuickBooks refused Invoice 1001" in item.message
    assert books.outbox() == []  # refused: nothing is waiting to be confirmed
    # The bookkeeper corrects the invoice in Scoro; QuickBooks answers a repeated requestid
    # with its first answer, so the next try must carry a new one.
    books.scoro.edit(Kind.INVOICE, inv.id, memo="corrected")

    books.run()

    first, second = invoice_ops(books.qbo)
    assert first.requestid != second.requestid
    assert len(qbo_invoices(books)) == 1
    assert books.review("write_failed") == []


def test_invoice_the_gateway_cannot_represent_is_held_not_sent(books):
    books.scoro_invoice("1001")
    books.qbo.fail("validation", kind=Kind.INVOICE)

    counts = books.run()

    assert counts.held == 1
    assert qbo_invoices(books) == []
    [item] = books.review("unsupported_content")
    assert "cannot copy faithfully" in item.message


def test_failed_write_keeps_the_cursor_so_the_invoice_is_read_again(books):
    books.scoro_invoice("1001")
    books.qbo.fail("transient", kind=Kind.INVOICE)

    books.run()
    # Even were its outbox row lost, the invoice is read again: the cursor stayed before it.
    books.outbox()[0].delete_instance()
    books.run()

    assert len(qbo_invoices(books)) == 1


def test_lost_connection_stops_the_run_and_the_next_run_sends_the_invoice_once(books):
    inv = books.scoro_invoice("1001")
    books.run(Category.CONTACTS)
    books.qbo.go_down(calls=["write_many"])

    with pytest.raises(ServiceUnavailable):
        books.run()

    assert [row.key for row in books.outbox()] == [inv.id]
    books.qbo.come_back()
    books.run()

    assert len(qbo_invoices(books)) == 1
    assert books.outbox() == []


# ------------------------------------------------------------------ scope and dependencies
def test_document_before_the_start_date_is_not_synced(books):
    books.start_on(Category.INVOICES, dt.date(2024, 6, 1))
    old = books.scoro_invoice("0999", modified=dt.datetime(2024, 5, 31, 23, 0, tzinfo=dt.UTC))
    new = books.scoro_invoice("1001", modified=dt.datetime(2024, 6, 1, 8, 0, tzinfo=dt.UTC))

    books.run()

    assert [i.number for i in qbo_invoices(books)] == ["1001"]
    assert books.link(Kind.INVOICE, old.id) is None
    assert books.link(Kind.INVOICE, new.id) is not None


def test_invoice_whose_contact_is_missing_in_scoro_is_held_as_a_missing_dependency(books):
    stray = invoice("1001", Ref(Kind.CUSTOMER, Side.SCORO, "sc-404"))
    inv = books.scoro.put(Kind.INVOICE, stray)

    counts = books.run()

    assert qbo_invoices(books) == []
    assert counts.held == 1
    [item] = books.review("missing_dependency")
    assert item.object_id == inv.id
    assert "Invoice 1001 was not sent" in item.message


def test_invoice_whose_contact_quickbooks_refused_is_held_with_the_contacts_reason(books):
    books.scoro_invoice("1001")
    books.qbo.fail("permanent", kind=Kind.CUSTOMER)

    books.run()

    assert qbo_invoices(books) == []
    [held] = books.review("missing_dependency")
    assert "Customer Müller GmbH could not be sent to QuickBooks first" in held.message
    assert "Another record already uses this name" in held.message
    [refused] = books.review("write_failed")
    assert refused.kind == "customer"


def test_contact_already_in_quickbooks_by_name_is_linked_not_duplicated(books):
    mine = books.qbo.put(Kind.CUSTOMER, Contact(id="", name="Müller GmbH", currency="EUR"))
    inv = books.scoro_invoice("1001")

    books.run()

    assert books.qbo.live(Kind.CUSTOMER) == [mine]
    assert qbo_invoices(books)[0].contact.id == mine.id
    assert books.link(Kind.INVOICE, inv.id) is not None


# ------------------------------------------------------------------ totals
def test_totals_quickbooks_works_out_differently_become_a_review_item(books):
    books.qbo.tax = lambda doc: (doc.subtotal * Decimal("0.19")).quantize(Decimal("0.01"))
    inv = books.scoro_invoice("1001", amount="100.00", tax="20.00")

    counts = books.run()

    [made] = qbo_invoices(books)  # sent all the same: the bookkeeper corrects the tax
    assert made.total == Decimal("119.00")
    assert counts.totals_differ == 1
    [item] = books.review("totals_differ")
    assert item.object_id == inv.id
    assert "The totals differ by 1.00 EUR" in item.message


def test_totals_that_agree_raise_no_review_item(books):
    books.scoro_invoice("1001", amount="100.00", tax="20.00")

    counts = books.run()

    assert counts.totals_differ == 0
    assert books.review("totals_differ") == []


# ------------------------------------------------------------------ what the target keeps
def _hand_made_qbo_invoice(books, **changes):
    """Invoice 1001 the bookkeeper typed into QuickBooks before connecting, with the customer."""
    customer = books.qbo.put(Kind.CUSTOMER, Contact(id="", name="Müller GmbH", currency="EUR"))
    [item] = [p for p in books.qbo.live(Kind.PRODUCT) if p.name == DEFAULT_ITEM_NAME]
    typed = invoice("1001", Ref(Kind.CUSTOMER, Side.QBO, customer.id), **changes)
    line = DocumentLine(
        description="Consulting",
        product=Ref(Kind.PRODUCT, Side.QBO, item.id),
        unit_price=Decimal("100.00"),
        amount=Decimal("100.00"),
    )
    return books.qbo.put(Kind.INVOICE, typed.replace(lines=(line,)))


def test_invoice_matched_by_number_keeps_the_memo_scoro_leaves_empty(books):
    typed = _hand_made_qbo_invoice(books, memo="PO 77")
    inv = books.scoro_invoice("1001", memo="")

    books.run()

    [made] = qbo_invoices(books)
    assert made.id == typed.id
    assert made.memo == "PO 77"
    assert books.link(Kind.INVOICE, inv.id).qbo_id == typed.id


def test_quickbooks_edit_to_a_field_scoro_did_not_change_is_kept_on_update(books):
    inv = books.scoro_invoice("1001")
    books.run()
    [made] = qbo_invoices(books)
    # Both sides get the same memo; only QuickBooks moves the due date.
    books.scoro.edit(Kind.INVOICE, inv.id, memo="PO 4711")
    books.qbo.edit(Kind.INVOICE, made.id, memo="PO 4711", due_date=dt.date(2024, 4, 15))

    books.run()

    assert qbo_invoices(books)[0].due_date == dt.date(2024, 4, 15)
    assert books.review("conflict") == []


# ------------------------------------------------------------------ previews
def test_preview_writes_nothing_and_stores_nothing(books):
    inv = books.scoro_invoice("1001")
    engine = books.engine(dry_run=True)
    engine.run_categories([Category.INVOICES])

    assert books.qbo.sent == []
    assert books.link(Kind.INVOICE, inv.id) is None
    assert [(p.kind, p.action) for p in engine.plan] == [("customer", "create"),
                                                          ("invoice", "create")]  # fmt: skip
