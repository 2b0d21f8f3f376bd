"""QuickBooksGateway against the sandbox: every kind read, CDC vs query, batched writes."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

import pytest

from qbsync_desktop.domain import (
    Attachment,
    Contact,
    DocumentLine,
    Invoice,
    Kind,
    Product,
    Ref,
    Side,
)
from qbsync_desktop.domain.errors import RecordRejected, StaleObject
from qbsync_desktop.domain.ports import WriteOp
from qbsync_desktop.sync.identity import create_intent, make_requestid
from tests.support.qbo_connector import control, count_requests, gateway


def _iso(delta: dt.timedelta) -> str:
    return (dt.datetime.now(dt.UTC) - delta).strftime("%Y-%m-%dT%H:%M:%SZ")


def _all(gw, kind, watermark=None):
    records, errors, marks = [], [], []
    for batch in gw.changes(kind, watermark):
        records += batch.records
        errors += batch.errors
        marks.append(batch.watermark)
    return records, errors, marks


@pytest.fixture
def gw(qbo_sandbox):
    return gateway(qbo_sandbox)


def test_a_quiet_company_rereads_nothing_outside_cdc(qbo_sandbox, gw):
    # Tax rates are not in CDC: they are read by LastUpdatedTime. The next read starts where
    # the last one began (less a lag), not at the newest rate's stamp, which would bring the
    # newest rates back on every sync of a company where nothing changes.
    rates, _errors, marks = _all(gw, Kind.TAX_RATE)
    assert rates
    control(qbo_sandbox, "POST", "clock", {"advance_seconds": 3600})
    again, _errors, later = _all(gw, Kind.TAX_RATE, marks[-1])
    assert again == []
    assert later and later[-1] > marks[-1]  # the cursor still moves with the clock


def test_company_info(gw):
    info = gw.company_info()
    assert set(info) == {"name", "home_currency", "multicurrency", "class_tracking", "country"}
    assert info["class_tracking"] in ("off", "per_document", "per_line")
    assert len(info["home_currency"]) == 3


def test_full_load_reads_every_kind(gw, qbo_sandbox):
    seen = {}
    for kind in Kind:
        records, errors, marks = _all(gw, kind)
        assert not errors, (kind, errors)
        assert all(r.id and r.modified for r in records)
        assert marks == sorted(marks)
        seen[kind] = len(records)
    for kind in (Kind.ACCOUNT, Kind.TAX_RATE, Kind.CUSTOMER, Kind.VENDOR, Kind.PRODUCT,
                 Kind.PROJECT, Kind.INVOICE, Kind.BILL, Kind.RECEIPT):  # fmt: skip
        assert seen[kind] > 0, kind
    customers = {r.id for r in _all(gw, Kind.CUSTOMER)[0]}
    projects = _all(gw, Kind.PROJECT)[0]
    assert not customers & {p.id for p in projects}
    assert all(p.client and p.client.kind is Kind.CUSTOMER for p in projects)
    invoice = _all(gw, Kind.INVOICE)[0][0]
    assert isinstance(invoice.total, Decimal) and invoice.currency


def test_inactive_name_list_rows_are_included(gw, qbo_sandbox):
    realm = gw.api.realm_id
    made = control(qbo_sandbox, "POST", f"objects/{realm}/Customer",
                   {"DisplayName": "Retired Customer", "Active": False})  # fmt: skip
    records, _errors, _marks = _all(gw, Kind.CUSTOMER)
    retired = [r for r in records if r.id == made["Customer"]["Id"]]
    assert retired and retired[0].active is False


def test_recent_watermark_uses_cdc_and_sees_deletes(gw, qbo_sandbox):
    customer = _all(gw, Kind.CUSTOMER)[0][0]
    product = _all(gw, Kind.PRODUCT)[0][0]
    tax = next(t for t in _all(gw, Kind.TAX_RATE)[0] if t.active)
    line = DocumentLine(product=Ref(Kind.PRODUCT, Side.QBO, product.id), quantity=Decimal(2),
                        unit_price=Decimal("12.50"), amount=Decimal("25.00"),
                        tax_rate=Ref(Kind.TAX_RATE, Side.QBO, tax.id))  # fmt: skip
    invoice = Invoice(id="", number="CDC-1", contact=Ref(Kind.CUSTOMER, Side.QBO, customer.id),
                      date=dt.date.today(), currency=customer.currency or gw.home_currency,
                      lines=(line,))  # fmt: skip
    [outcome] = gw.write_many([WriteOp("k", Kind.INVOICE, "create", invoice, "rid-cdc-1")])
    assert outcome.error is None, str(outcome.error)
    created = outcome.record
    gw.api.delete("Invoice", created.id, created.version)
    queries_before = count_requests(qbo_sandbox, "GET query")
    batches = list(gw.changes(Kind.INVOICE, _iso(dt.timedelta(days=1))))
    assert count_requests(qbo_sandbox, "GET cdc") == 1
    assert count_requests(qbo_sandbox, "GET query") == queries_before
    gone = [r for b in batches for r in b.records if r.id == created.id]
    assert gone and gone[-1].deleted
    assert batches[-1].watermark > _iso(dt.timedelta(minutes=30))


def test_old_watermark_uses_query(gw, qbo_sandbox):
    before = count_requests(qbo_sandbox, "GET query")
    records, _errors, _marks = _all(gw, Kind.INVOICE, _iso(dt.timedelta(days=45)))
    assert count_requests(qbo_sandbox, "GET cdc") == 0
    assert count_requests(qbo_sandbox, "GET query") > before
    assert records


def test_changes_many_asks_cdc_once(gw, qbo_sandbox):
    kinds = [Kind.CUSTOMER, Kind.PROJECT, Kind.VENDOR, Kind.INVOICE, Kind.BILL]
    got = list(gw.changes_many(kinds, _iso(dt.timedelta(days=2))))
    assert {kind for kind, _ in got} <= set(kinds)
    assert count_requests(qbo_sandbox, "GET cdc") == 1


def test_cdc_cap_splits_per_entity(qbo_sandbox):
    gw = gateway(qbo_sandbox)
    control(qbo_sandbox, "POST", "limits", {"cdc_max_objects": 5})
    import qbsync_desktop.quickbooks.api as api_mod

    old = api_mod.CDC_MAX_OBJECTS
    api_mod.CDC_MAX_OBJECTS = 5
    try:
        results = list(gw.changes_many([Kind.CUSTOMER, Kind.INVOICE], _iso(dt.timedelta(days=20))))
    finally:
        api_mod.CDC_MAX_OBJECTS = old
    assert count_requests(qbo_sandbox, "GET cdc") == 3  # together, then one per entity
    invoices = [r for kind, b in results if kind is Kind.INVOICE for r in b.records]
    assert len(invoices) > 5  # the capped entity was read completely by query


def test_batch_of_65_creates_in_3_requests_and_replays(gw, qbo_sandbox):
    contacts = [Contact(id=f"s{i}", name=f"Batch Customer {i:02d}", email=f"c{i}@example.com")
                for i in range(65)]  # fmt: skip
    ops = [
        WriteOp(c.id, Kind.CUSTOMER, "create", c,
                make_requestid(1, Kind.CUSTOMER, c.id, create_intent(0, None)))
        for c in contacts
    ]  # fmt: skip
    outcomes = gw.write_many(ops)
    assert [o.key for o in outcomes] == [op.key for op in ops]
    assert all(o.error is None and o.record.id for o in outcomes)
    assert count_requests(qbo_sandbox, "POST batch") == 3
    # The same writes again (a crash before the links were saved): QuickBooks replays them.
    again = gw.write_many(ops)
    assert [o.record.id for o in again] == [o.record.id for o in outcomes]
    names = [r.name for r in _all(gw, Kind.CUSTOMER)[0] if r.name.startswith("Batch Customer")]
    assert len(names) == 65


def test_per_item_errors_in_a_batch(gw):
    existing = _all(gw, Kind.CUSTOMER)[0][0]
    fresh = Contact(id="new", name="Fresh Customer")
    dup = Contact(id="dup", name=existing.name)
    outcomes = gw.write_many([
        WriteOp("new", Kind.CUSTOMER, "create", fresh, "rid-item-1"),
        WriteOp("dup", Kind.CUSTOMER, "create", dup, "rid-item-2"),
        WriteOp("prj", Kind.PROJECT, "create", dup, "rid-item-3"),
    ])  # fmt: skip
    assert outcomes[0].record and outcomes[0].record.name == "Fresh Customer"
    assert isinstance(outcomes[1].error, RecordRejected) and outcomes[1].error.code == "6240"
    assert isinstance(outcomes[2].error, RecordRejected)


def test_update_and_stale_object(gw):
    current = _all(gw, Kind.VENDOR)[0][0]
    wanted = current.replace(email="new@example.com")
    [ok] = gw.write_many([WriteOp("v", Kind.VENDOR, "update", wanted, "rid-upd-1", current)])
    assert ok.error is None and ok.record.email == "new@example.com"
    assert ok.record.version != current.version
    [stale] = gw.write_many([WriteOp("v", Kind.VENDOR, "update", wanted.replace(phone="1"),
                                     "rid-upd-2", current)])  # fmt: skip
    assert isinstance(stale.error, StaleObject)
    both = gw.write_many([
        WriteOp("a", Kind.VENDOR, "update", wanted.replace(phone="2"), "rid-upd-3", current),
        WriteOp("b", Kind.VENDOR, "update", wanted.replace(phone="3"), "rid-upd-4", ok.record),
    ])  # fmt: skip
    assert isinstance(both[0].error, StaleObject) and both[1].error is None


def test_find_and_fetch_with_awkward_names(gw):
    tricky = Contact(id="t", name="O'Brien \\ Sons")
    [made] = gw.write_many([WriteOp("t", Kind.CUSTOMER, "create", tricky, "rid-find-1")])
    found = gw.find(Kind.CUSTOMER, tricky)
    assert found and found.id == made.record.id
    assert gw.find(Kind.CUSTOMER, Contact(id="x", name="Nobody's Here")) is None
    product = _all(gw, Kind.PRODUCT)[0][0]
    assert gw.find(Kind.PRODUCT, Product(id="", name=product.name)).id == product.id
    invoice = _all(gw, Kind.INVOICE)[0][0]
    assert gw.find(Kind.INVOICE, invoice.replace(id="")).id == invoice.id
    fetched = gw.fetch(Kind.CUSTOMER, [made.record.id, "999999"])
    assert list(fetched) == [made.record.id]


def test_find_rejects_a_record_of_another_kind(gw):
    # A customer looked up with an invoice in hand would match on whatever field it shares.
    invoice = _all(gw, Kind.INVOICE)[0][0]
    with pytest.raises(RecordRejected, match="not a customer"):
        gw.find(Kind.CUSTOMER, invoice)
    with pytest.raises(RecordRejected, match="not a product"):
        gw.find_many(Kind.PRODUCT, [Product(id="", name="Fine"), invoice])


def test_attachment_upload_and_download(gw):
    invoice = _all(gw, Kind.INVOICE)[0][0]
    data = b"%PDF-1.4 tiny test file\n"
    attachment = Attachment(id="", file_name="receipt.pdf", content_type="application/pdf",
                            document=Ref(Kind.INVOICE, Side.QBO, invoice.id))  # fmt: skip
    stored = gw.upload_attachment(attachment, data, "rid-upload-1")
    assert stored.id and stored.document == attachment.document
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.size == len(data)
    assert gw.download_attachment(stored) == data
    records, _errors, _marks = _all(gw, Kind.ATTACHMENT)
    assert [r.id for r in records] == [stored.id]


def test_keyset_paging_handles_ties(gw):
    contacts = [Contact(id=f"t{i}", name=f"Tie Customer {i:02d}") for i in range(40)]
    ops = [
        WriteOp(c.id, Kind.CUSTOMER, "create", c, f"rid-tie-{i}") for i, c in enumerate(contacts)
    ]
    gw.write_many(ops)  # one batch: many rows share a LastUpdatedTime second
    expected = {r["Id"] for r in gw.api.query_all("Customer")}
    pages = list(gw.api.query_pages("Customer", page_size=7))
    ids = [r["Id"] for page in pages for r in page]
    assert len(ids) == len(set(ids)) and set(ids) == expected
