"""ScoroApi over real HTTP against the sandbox: paging, delta windows, soft deletes,
bookmarks (R51), company accounts and chunked files."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import requests

from qbsync_desktop.scoro import api as api_module
from qbsync_desktop.scoro.api import ScoroApi, record_id
from qbsync_desktop.scoro.transport import ScoroTransport

CID = "acme_ee"


class RecordingSession(requests.Session):
    def __init__(self) -> None:
        super().__init__()
        self.bodies: list[tuple[str, dict]] = []

    def request(self, method, url, data=None, **kw):
        self.bodies.append((url, json.loads(data)))
        return super().request(method, url, data=data, **kw)


@pytest.fixture
def sb(scoro_site):
    return scoro_site


@pytest.fixture
def session():
    return RecordingSession()


@pytest.fixture
def api(sb, session):
    return ScoroApi(
        ScoroTransport(sb.url, sb.api_key, CID, session=session, sleep=sb.clock.advance)
    )


def test_paging_constant_per_page_stops_on_short_page(api, session):
    for i in range(49):  # 4 seeded + 49 = 53 products: pages of 25, 25, 3
        api.modify(
            "products", {"name": f"Paged product {i:02d}", "price": "1.00"}, return_data=False
        )
    session.bodies.clear()
    rows = list(api.list_all("products"))
    ids = [record_id("products", r) for r in rows]
    assert len(ids) == 53 == len(set(ids))
    lists = [b for u, b in session.bodies if u.endswith("/products/list")]
    assert [b["page"] for b in lists] == [1, 2, 3]
    assert {b["per_page"] for b in lists} == {25} and all(b["detailed_response"] for b in lists)
    for _, body in session.bodies:
        assert body["apiKey"] and body["company_account_id"] == CID and body["lang"] == "eng"
    session.bodies.clear()
    assert len(list(api.list_all("products", detailed=False))) == 53
    assert [b["per_page"] for _, b in session.bodies] == [100]


def test_paging_deduplicates_rows_repeated_across_pages():
    class Pages:
        request_count = 0

        def call(self, module, action, object_id=None, *, request=None, **top):
            page = top["page"]
            rows = {
                1: [{"product_id": i} for i in range(1, 4)],
                2: [{"product_id": i} for i in range(3, 6)],  # 3 repeats (a shifted row)
                3: [{"product_id": 6}],
            }[page]
            return {"status": "OK", "data": rows}

    ids = [r["product_id"] for r in ScoroApi(Pages()).list_all("products", per_page=3)]
    assert ids == [1, 2, 3, 4, 5, 6]


def test_modified_since_sends_whole_day_window_with_overlap(api, session, sb):
    since = dt.datetime(2026, 11, 20, 13, 5, 0)
    api.modified_since("products", since, today=dt.date(2026, 11, 25))
    body = session.bodies[-1][1]
    assert body["filter"]["modified_date"] == {"from_date": "2026-11-19", "to_date": "2026-11-26"}
    assert body["include_deleted"] == 1 and body["request"]["include_deleted"] == 1


def test_modified_since_orders_and_includes_soft_deletes(api, sb):
    products = list(api.list_all("products"))
    first, second = products[0], products[1]
    sb.clock.advance(3600)
    api.modify("products", {"price": "101.00"}, id=record_id("products", second))
    sb.clock.advance(3600)
    api.delete("products", record_id("products", first))
    live = [record_id("products", r) for r in api.list_all("products")]
    assert record_id("products", first) not in live
    rows = api.modified_since("products", dt.datetime.now(dt.UTC))
    ids = [record_id("products", r) for r in rows]
    assert len(ids) == len(set(ids))
    assert ids[-2:] == [record_id("products", second), record_id("products", first)]
    assert rows[-1]["is_deleted"] in (True, 1)


def test_view_modify_delete_round_trip(api):
    created = api.modify("products", {"name": "Round trip", "price": "12.34"})
    pid = record_id("products", created)
    assert str(api.view("products", pid)["price"]) == "12.34"
    api.modify("products", {"price": "99.99"}, id=pid)
    assert str(api.view("products", pid)["price"]) == "99.99"
    api.delete("products", pid)
    assert pid not in {record_id("products", r) for r in api.list_all("products")}


def test_company_accounts(api):
    rows = api.company_accounts()
    assert {r.get("base_currency") for r in rows} >= {"EUR"}


def test_R51_bookmarks_drop_user_and_invoice_status_filters(api):
    (invoices,) = api.bookmarks("invoices")
    assert invoices.name == "Sent invoices"
    assert set(invoices.dropped) == {"status", "user_id"} and invoices.filters == {}
    (bills,) = api.bookmarks("bills")
    assert bills.filters == {"status": "approved"} and bills.dropped == ()
    (contacts,) = api.bookmarks("contacts")
    assert contacts.filters == {"is_client": 1} and contacts.dropped == ("user_id",)


def test_chunked_upload_download_and_files_for(api, monkeypatch, session):
    monkeypatch.setattr(api_module, "UPLOAD_CHUNK", 1000)
    data = bytes(range(256)) * 10  # 2560 bytes -> 3 chunks
    invoice_id = record_id("invoices", next(iter(api.list_all("invoices"))))
    session.bodies.clear()
    created = api.upload_file("scan ü.bin", data, "invoices", invoice_id)
    chunks = [b["request"] for u, b in session.bodies if "/files/modify" in u]
    assert [c["chunk_no"] for c in chunks] == [1, 2, 3]
    assert {c["chunks_total"] for c in chunks} == {3} and chunks[0]["size"] == 2560
    file_id = record_id("files", created)
    assert api.download_file(file_id) == data
    names = [f["file_name"] for f in api.files_for("invoices", invoice_id)]
    assert "scan ü.bin" in names


def test_download_as_base64_envelope(api, sb):
    sb.behaviour.update({"download_format": "base64"})
    try:
        invoice_id = record_id("invoices", next(iter(api.list_all("invoices"))))
        file_id = record_id("files", api.upload_file("b.txt", b"hello", "invoices", invoice_id))
        assert api.download_file(file_id) == b"hello"
    finally:
        sb.behaviour.update({"download_format": "raw"})
