"""The app's Scoro client against the sandbox's real-API shapes: statusCode as a number or a
string, objects full of nulls, and a sandbox that refuses filter keys it does not know."""

from __future__ import annotations

from decimal import Decimal

import pytest

from qbsync_desktop.domain import Invoice, Kind
from qbsync_desktop.domain.errors import NotFound, RecordRejected
from qbsync_desktop.scoro.api import ScoroApi
from qbsync_desktop.scoro.gateway import ScoroGateway
from qbsync_desktop.scoro.transport import ScoroTransport

CID = "acme_ee"
EVERY_KIND = [
    Kind.CUSTOMER,
    Kind.VENDOR,
    Kind.PRODUCT,
    Kind.PROJECT,
    Kind.INVOICE,
    Kind.CREDIT_NOTE,
    Kind.BILL,
    Kind.RECEIPT,
    Kind.BILL_PAYMENT,
    Kind.ACCOUNT,
    Kind.TAX_RATE,
    Kind.TRACKING_CLASS,
    Kind.ATTACHMENT,
]


@pytest.fixture
def sb(scoro_site):
    return scoro_site


@pytest.fixture
def gw(sb):
    return ScoroGateway.connect(sb.url, sb.api_key, CID, sleep=sb.clock.advance)


def _api(sb) -> ScoroApi:
    return ScoroApi(ScoroTransport(sb.url, sb.api_key, CID, sleep=sb.clock.advance))


def _records(gw, kind):
    batches = list(gw.changes(kind, None))
    assert not [e for b in batches for e in b.errors], kind
    return [r for b in batches for r in b.records]


def _refused_lists(sb) -> dict[str, dict]:
    """List calls the sandbox answered with a 400 (an unknown filter key among them)."""
    stats = sb.stats.snapshot()["requests"]
    return {
        route: codes
        for route, codes in stats.items()
        if route.endswith("/list") and any(str(c) == "400" for c in codes)
    }


# -- statusCode either way -----------------------------------------------------------------


@pytest.mark.parametrize("style", ["int", "str", "mixed"])
@pytest.mark.parametrize("transport", ["mixed", "http", "envelope"])
def test_client_reads_status_code_as_number_or_string(sb, style, transport):
    sb.behaviour.update({"status_code_style": style, "error_transport": transport})
    api = _api(sb)
    created = api.modify("products", {"name": f"Gadget {style}"})
    product_id = created["product_id"]
    assert api.view("products", product_id)["name"] == f"Gadget {style}"
    api.delete("products", product_id)  # no data, statusCode 200 or "200": not a failure
    with pytest.raises(NotFound):
        api.view("products", product_id)
    with pytest.raises(RecordRejected) as caught:
        api.modify("invoices", {"lines": []})
    assert "company_id" in str(caught.value)


# -- nulls ---------------------------------------------------------------------------------


def test_every_kind_reads_with_null_fields(gw, sb):
    raw = gw.api.view("invoices", gw.api.list_page("invoices", 1, 5)[0]["id"])
    assert "payment_fee" in raw and raw["payment_fee"] is None  # the sandbox sends nulls
    for kind in EVERY_KIND:
        _records(gw, kind)


def test_bare_invoice_and_contact_read_as_not_set(gw, sb):
    api = gw.api
    contact = api.modify("contacts", {"name": "Bare Client Ltd", "is_client": 1})
    contact_id = contact["contact_id"]
    assert contact["vatno"] is None and contact["addresses"] == []
    invoice = api.modify(
        "invoices",
        {"company_id": contact_id, "lines": [{"comment": "Work", "price": "12.50"}]},
    )
    assert invoice["project_id"] is None and invoice["vat_code_id"] is None
    got = gw.fetch(Kind.INVOICE, [str(invoice["id"])])[str(invoice["id"])]
    assert isinstance(got, Invoice)
    assert got.project is None and got.lines[0].tax_rate is None and got.lines[0].project is None
    assert got.total == Decimal("12.50") and got.currency == "EUR"
    customers = {r.id: r for r in _records(gw, Kind.CUSTOMER)}
    bare = customers[str(contact_id)]
    assert bare.vat_number == "" and bare.address is None and bare.email == ""


# -- filter keys ---------------------------------------------------------------------------


def test_client_sends_only_filter_keys_the_sandbox_knows(gw, sb):
    assert sb.behaviour.unknown_filters == "refuse"
    sb.stats.reset()
    found = {}
    for kind in EVERY_KIND:
        records = _records(gw, kind)
        if records and kind is not Kind.ATTACHMENT:
            found[kind] = gw.find(kind, records[0])
            assert found[kind] is not None and found[kind].id == records[0].id, kind
    for kind in (Kind.CUSTOMER, Kind.VENDOR, Kind.INVOICE, Kind.BILL):
        gw.search(kind, "a")
        gw.search(kind, "")
    for module in ("contacts", "invoices", "bills"):
        for bookmark in gw.bookmarks(module):
            kind = {"contacts": Kind.CUSTOMER, "invoices": Kind.INVOICE, "bills": Kind.BILL}
            list(gw.changes(kind[module], None, bookmark=bookmark.id))
    gw.attachments_for(Kind.INVOICE, found[Kind.INVOICE].id)
    gw.attachments_for(Kind.BILL, found[Kind.BILL].id)
    assert _refused_lists(sb) == {}
    # the check above does see a refusal when one happens
    with pytest.raises(RecordRejected) as caught:
        list(gw.api.list_all("invoices", {"staus": "paid"}))
    assert "staus" in str(caught.value)
    assert list(_refused_lists(sb)) == ["invoices/list"]
