"""Odd Scoro documents are held with their reason, never sent in a changed form: a negative
invoice, a credit note that charges, a date or number QuickBooks would make up, a control
character, an unknown status, a customer that could not be sent."""

from __future__ import annotations

import json
from decimal import Decimal

from qbsync_desktop.domain import Category
from tests.support.books_content import copy_scoro_invoice, qbo_rows
from tests.support.demo import ACME as ENTITY


def _force(w, rid: int, **fields) -> None:
    """Put values Scoro's own checks would not let through the API, as old data or an
    import can leave them."""
    store = w.env.scoro.store
    with store.lock:
        store.table(ENTITY, "invoices")[rid].update(fields)


def _plain(value):
    return json.loads(json.dumps(value, default=str))


def test_odd_scoro_invoices_are_held_with_their_reason(rworld):
    w = rworld()
    cid = w.connect().id
    w.svc.run(cid)
    made = {}
    negative = copy_scoro_invoice(w, "BAD-NEG")
    store = w.env.scoro.store.table(ENTITY, "invoices")
    lines = [
        dict(line, amount=str(-abs(Decimal(str(line["amount"])))))
        for line in store[negative]["lines"]
    ]
    w.scoro_edit("invoices", negative, lines=_plain(lines))
    made["BAD-NEG"] = "negative amount"
    control = copy_scoro_invoice(w, "BAD-NUL")
    lines = _plain(store[control]["lines"])
    lines[0]["comment"] = "Consulting\x00 hours"
    w.scoro_edit("invoices", control, lines=lines)
    made["BAD-NUL"] = "control character"
    status = copy_scoro_invoice(w, "BAD-STATUS")
    _force(w, status, status="archived")
    w.scoro_edit("invoices", status, deadline="2026-12-31")
    made["BAD-STATUS"] = "does not know"
    undated = copy_scoro_invoice(w, "BAD-DATE")
    _force(w, undated, date="0000-00-00")
    w.scoro_edit("invoices", undated, deadline="2026-12-30")
    made["BAD-DATE"] = "no valid date"

    result = w.svc.run(cid, [Category.INVOICES])
    assert result.status == "review", result.message
    items = {i.object_label: i for i in w.svc.review_items(cid)}
    numbers = {r.get("DocNumber") for r in qbo_rows(w, "Invoice")}
    for number, words in made.items():
        item = items.get(f"Invoice {number}")
        assert item is not None, (number, sorted(items))
        assert words in item.message, (number, item.message)
        assert number not in numbers, f"{number} was sent"


def test_invoice_of_a_customer_that_could_not_be_sent_is_held_with_its_reason(rworld):
    w = rworld()
    cid = w.connect().id
    w.svc.run(cid)
    long_name = "Very Long Name " * 700  # far over QuickBooks' limit for a display name
    made = w.scoro_ctl(
        "POST",
        "create",
        company_account_id=ENTITY,
        module="contacts",
        data={"name": long_name, "contact_type": "company", "is_client": True},
    )
    copy_scoro_invoice(w, "LONG-1", company_id=int(made["id"]))
    result = w.svc.run(cid, [Category.CONTACTS, Category.INVOICES])
    assert result.status == "review", result.message
    items = {i.object_label: i for i in w.svc.review_items(cid)}
    held = items.get("Invoice LONG-1")
    assert held is not None and held.type == "missing_dependency", sorted(items)
    assert "could not be sent to QuickBooks first" in held.message
    assert "LONG-1" not in {r.get("DocNumber") for r in qbo_rows(w, "Invoice")}
    # Names in lists are shortened: a label is never the 10,000-character name in full.
    assert max(len(label) for label in items) < 100
