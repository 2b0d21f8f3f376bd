"""ScoroGateway (SideGateway for Side.SCORO) over real HTTP against the seeded sandbox."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
import requests

from qbsync_desktop.domain import (
    Attachment,
    Contact,
    DocumentLine,
    Invoice,
    Kind,
    Product,
    Project,
    Ref,
    Side,
)
from qbsync_desktop.domain.errors import RecordRejected
from qbsync_desktop.domain.ports import WriteOp
from qbsync_desktop.scoro.gateway import ScoroGateway

CID = "acme_ee"
S = Side.SCORO


@pytest.fixture
def sb(scoro_site):
    return scoro_site


@pytest.fixture
def gw(sb):
    # Time passes for both: a test that moves the sandbox's clock moves ours with it.
    return ScoroGateway.connect(sb.url, sb.api_key, CID, sleep=sb.clock.advance, now=sb.clock.now)


def all_records(gw, kind, watermark=None, **kw):
    batches = list(gw.changes(kind, watermark, **kw))
    assert not [e for b in batches for e in b.errors]
    return [r for b in batches for r in b.records], batches[-1].watermark


def by_name(records):
    return {getattr(r, "name", getattr(r, "number", None)): r for r in records}


def test_connect_reads_base_currency_and_company_accounts(gw):
    assert gw.base_currency == "EUR" and gw.side is Side.SCORO
    accounts = {a["company_account_id"]: a for a in gw.company_accounts()}
    assert accounts[CID]["active_currencies"] == ["EUR", "USD", "GBP"]
    assert set(accounts[CID]) == {
        "company_account_id",
        "name",
        "base_currency",
        "active_currencies",
    }


@pytest.mark.parametrize(
    "kind,count",
    [
        (Kind.CUSTOMER, 5),
        (Kind.VENDOR, 2),
        (Kind.PRODUCT, 4),
        (Kind.PROJECT, 2),
        (Kind.INVOICE, 5),
        (Kind.CREDIT_NOTE, 1),
        (Kind.BILL, 2),
        (Kind.RECEIPT, 1),
        (Kind.BILL_PAYMENT, 0),
        (Kind.ACCOUNT, 8),
        (Kind.TAX_RATE, 4),
        (Kind.TRACKING_CLASS, 3),
        (Kind.ATTACHMENT, 2),
    ],
)
def test_changes_for_every_kind(gw, kind, count):
    records, watermark = all_records(gw, kind)
    assert len(records) == count
    assert all(r.id for r in records)
    if count and kind not in (Kind.TAX_RATE, Kind.TRACKING_CLASS):
        assert watermark


def test_documents_come_with_lines_refs_and_totals(gw):
    invoices = by_name(all_records(gw, Kind.INVOICE)[0])
    inv = invoices["1001"]
    assert isinstance(inv, Invoice) and inv.contact.kind is Kind.CUSTOMER
    (line,) = inv.lines
    assert line.quantity == 8 and line.amount == Decimal("760.00")
    assert line.tax_rate.kind is Kind.TAX_RATE and line.account.kind is Kind.ACCOUNT
    assert inv.total == Decimal("942.40") and inv.paid == Decimal("300.00")
    (credit,) = all_records(gw, Kind.CREDIT_NOTE)[0]
    assert credit.credited_invoice == Ref(Kind.INVOICE, S, inv.id)
    assert credit.lines[0].amount == Decimal("95.00")
    mueller = by_name(all_records(gw, Kind.CUSTOMER)[0])["Müller GmbH"]
    assert mueller.currency == "USD"  # from the client profile (R24)
    bills = by_name(all_records(gw, Kind.BILL)[0])
    assert bills["B-501"].contact.kind is Kind.VENDOR and len(bills["B-501"].lines) == 2


def test_watermark_overlap_returns_only_newer_records(gw, sb):
    products = by_name(all_records(gw, Kind.PRODUCT)[0])
    sb.clock.advance(3600)
    design = products["Design work"].replace(unit_price=Decimal("85.00"))
    assert gw.write_many([WriteOp("k", Kind.PRODUCT, "update", design, "r1")])[0].error is None
    _, mark = all_records(gw, Kind.PRODUCT)
    assert mark > products["Design work"].modified.isoformat()
    sb.clock.advance(3600)
    licence = products["Software licence"].replace(unit_price=Decimal("1100.00"))
    assert gw.write_many([WriteOp("k", Kind.PRODUCT, "update", licence, "r2")])[0].error is None
    records, newer = all_records(gw, Kind.PRODUCT, mark)
    # Scoro answers the whole overlap day; older rows are dropped, while the record stamped
    # exactly at the watermark second comes again (a same-second change must not be missed).
    assert [r.name for r in records] == ["Design work", "Software licence"]
    assert newer > mark
    sb.clock.advance(3600)
    gw.api.delete("products", licence.id)
    records, _ = all_records(gw, Kind.PRODUCT, newer)
    assert [(r.name, r.deleted) for r in records] == [("Software licence", True)]


def test_changes_with_bookmark_apply_remaining_filters_R51(gw):
    (bookmark,) = gw.bookmarks("contacts")
    records, _ = all_records(gw, Kind.CUSTOMER, bookmark=bookmark.id)
    assert records and all(r.is_client for r in records)
    (inv_bookmark,) = gw.bookmarks("invoices")
    # the status filter ("sent") is not applied: every invoice comes back
    assert len(all_records(gw, Kind.INVOICE, bookmark=inv_bookmark.id)[0]) == 5


def test_fetch_skips_missing_ids(gw):
    products = all_records(gw, Kind.PRODUCT)[0]
    got = gw.fetch(Kind.PRODUCT, [products[0].id, "99999"])
    assert list(got) == [products[0].id]
    invoice = all_records(gw, Kind.INVOICE)[0][0]
    assert gw.fetch(Kind.INVOICE, [invoice.id])[invoice.id].lines


def test_find_by_natural_keys_R31(gw):
    assert gw.find(Kind.PRODUCT, Product(id="", name="consulting HOUR")).name == "Consulting hour"
    assert gw.find(Kind.CUSTOMER, Contact(id="", name="Müller GmbH")).currency == "USD"
    person = gw.find(
        Kind.CUSTOMER,
        Contact(id="", name="Mari Tamm", is_person=True, first_name="Mari", last_name="Tamm"),
    )
    assert person is not None and person.is_person
    assert gw.find(Kind.VENDOR, Contact(id="", name="Nordic Supplies AS (v)")) is not None
    customers = by_name(all_records(gw, Kind.CUSTOMER)[0])
    baltic = Ref(Kind.CUSTOMER, S, customers["Baltic Foods OÜ"].id)
    nordic = Ref(Kind.CUSTOMER, S, customers["Nordic Supplies AS"].id)
    assert gw.find(Kind.PROJECT, Project(id="", name="Website redesign", client=baltic))
    assert gw.find(Kind.PROJECT, Project(id="", name="Website redesign", client=nordic)) is None
    assert gw.find(Kind.INVOICE, Invoice(id="", number="1003", contact=None, date=None))
    assert gw.find(
        Kind.CREDIT_NOTE,
        Invoice(id="", number="1006", contact=None, date=None, is_credit_note=True),
    )
    assert gw.find(Kind.INVOICE, Invoice(id="", number="nope", contact=None, date=None)) is None


def test_write_many_per_record_errors_do_not_stop_others(gw):
    customer = all_records(gw, Kind.CUSTOMER)[0][0]
    good = Invoice(
        id="",
        number="Q-2001",
        contact=Ref(Kind.CUSTOMER, S, customer.id),
        date=dt.date(2026, 11, 4),
        due_date=dt.date(2026, 11, 18),
        currency="EUR",
        lines=(
            DocumentLine(
                description="November retainer",
                quantity=Decimal(1),
                unit_price=Decimal("500.00"),
                amount=Decimal("500.00"),
            ),
        ),
    )
    bad = dataclasses.replace(good, number="Q-2002", contact=Ref(Kind.CUSTOMER, S, "999999"))
    outcomes = gw.write_many(
        [
            WriteOp("a", Kind.INVOICE, "create", bad, "r-a"),
            WriteOp("b", Kind.INVOICE, "create", good, "r-b"),
        ]
    )
    assert isinstance(outcomes[0].error, RecordRejected)
    assert outcomes[1].error is None and outcomes[1].record.number == "Q-2001"
    assert outcomes[1].record.total == Decimal("500.00")
    assert outcomes[1].record.lines[0].amount == Decimal("500.00")


def test_customer_op_on_supplier_keeps_supplier_flag(gw):
    vendor = gw.find(Kind.VENDOR, Contact(id="", name="Office Depot Europe"))
    assert vendor.is_supplier and not vendor.is_client
    [out] = gw.write_many(
        [
            WriteOp(
                "k",
                Kind.CUSTOMER,
                "create",
                Contact(id="", name="Office Depot Europe", is_client=True, is_supplier=False),
                "r",
            )
        ]
    )
    assert out.error is None and out.record.id == vendor.id
    assert out.record.is_client and out.record.is_supplier
    [out] = gw.write_many(
        [
            WriteOp(
                "k",
                Kind.VENDOR,
                "update",
                out.record.replace(is_client=False, email="x@od.example"),
                "r2",
            )
        ]
    )
    assert out.record.is_client and out.record.is_supplier and out.record.email == "x@od.example"


def test_new_contact_currency_uses_client_profile_R24(gw):
    profiles_before = len(list(gw.api.list_all("clientProfiles", detailed=False)))
    [out] = gw.write_many(
        [
            WriteOp(
                "k",
                Kind.CUSTOMER,
                "create",
                Contact(id="", name="Thames Ltd", currency="GBP", email="a@thames.example"),
                "r",
            )
        ]
    )
    assert out.error is None, out.error
    assert out.record.currency == "GBP" and out.record.is_client
    assert len(list(gw.api.list_all("clientProfiles", detailed=False))) == profiles_before


def test_create_replayed_after_drop_after_commit_makes_no_duplicate(gw, sb):
    requests.post(
        f"{sb.url}/_sandbox/faults",
        timeout=5,
        json={"type": "drop", "module": "products", "action": "modify", "count": 1},
    )
    op = WriteOp(
        "k",
        Kind.PRODUCT,
        "create",
        Product(id="", name="Support retainer", unit_price=Decimal("500.00")),
        "rq",
    )
    [first] = gw.write_many([op])
    assert first.error is None and first.record.name == "Support retainer"
    [again] = gw.write_many([op])  # the engine's replay after a crash
    assert again.record.id == first.record.id
    names = [p["name"] for p in gw.api.list_all("products")]
    assert names.count("Support retainer") == 1


def test_invoice_create_after_drop_found_by_number(gw, sb):
    requests.post(
        f"{sb.url}/_sandbox/faults",
        timeout=5,
        json={"type": "drop", "module": "invoices", "action": "modify"},
    )
    customer = all_records(gw, Kind.CUSTOMER)[0][0]
    inv = Invoice(
        id="",
        number="Q-3001",
        contact=Ref(Kind.CUSTOMER, S, customer.id),
        date=dt.date(2026, 11, 4),
        currency="EUR",
        lines=(
            DocumentLine(
                description="x", quantity=Decimal(2), unit_price=Decimal("5"), amount=Decimal("10")
            ),
        ),
    )
    [out] = gw.write_many([WriteOp("k", Kind.INVOICE, "create", inv, "rq")])
    assert out.error is None and out.record.number == "Q-3001"
    nos = [i["no"] for i in gw.api.list_all("invoices", {"no": "Q-3001"})]
    assert nos == ["Q-3001"]


def test_attachments_upload_is_not_duplicated_and_downloads(gw):
    invoice = all_records(gw, Kind.INVOICE)[0][0]
    att = Attachment(id="", file_name="extra.txt", document=Ref(Kind.INVOICE, S, invoice.id))
    first = gw.upload_attachment(att, b"payload", "req-1")
    again = gw.upload_attachment(att, b"payload", "req-1")
    assert first.id == again.id and first.document == att.document
    assert gw.download_attachment(first) == b"payload"
    records, mark = all_records(gw, Kind.ATTACHMENT)
    assert len(records) == 3
    assert all_records(gw, Kind.ATTACHMENT, mark)[0] == []


def test_request_count_is_counted(gw):
    before = gw.request_count
    gw.fetch(Kind.PRODUCT, ["1"])
    assert gw.request_count == before + 1
