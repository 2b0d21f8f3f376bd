"""The Scoro sandbox's API over real HTTP: auth, envelope, CRUD, lists, documents."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import requests

from tests.fixtures.scoro_sandbox import scoro_call as call
from tests.fixtures.scoro_sandbox import scoro_control as control


def _data(response: requests.Response):
    body = json.loads(response.text, parse_float=Decimal)
    assert body["status"] == "OK", body
    return body["data"]


def _ids(rows, key="id"):
    return [row[key] for row in rows]


# -- auth, envelope, routing ----------------------------------------------------------------


def test_envelope_and_rate_headers(scoro_sandbox):
    response = call(scoro_sandbox, "contacts/list")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"status", "statusCode", "messages", "data"}
    assert body["status"] == "OK" and body["statusCode"] == 200 and body["messages"] is None
    for header in (
        "x-ratelimit-limit",
        "x-ratelimit-remaining",
        "x-ratelimit-reset",
        "x-daily-requests-limit",
        "x-daily-requests-remaining",
        "x-daily-requests-reset",
    ):
        assert int(response.headers[header]) >= 0


def test_bad_key_and_unknown_entity_are_401(scoro_sandbox):
    response = call(
        scoro_sandbox, "contacts/list", auth=False, apiKey="wrong", company_account_id="acme_ee"
    )
    assert response.status_code == 401
    body = response.json()
    assert body["status"] == "ERROR" and isinstance(body["messages"]["error"], list)
    response = call(scoro_sandbox, "contacts/list", company_account_id="nope")
    assert response.status_code == 401
    assert "wrong" not in response.text and scoro_sandbox.api_key not in response.text


def test_user_token_authenticates(scoro_sandbox):
    token = next(iter(scoro_sandbox.user_tokens))
    response = call(
        scoro_sandbox, "users/list", auth=False, user_token=token, company_account_id="acme_us"
    )
    assert response.status_code == 200 and len(_data(response)) == 3


def test_only_post_and_known_routes(scoro_sandbox):
    response = requests.get(f"{scoro_sandbox.url}/api/v2/contacts/list", timeout=5)
    assert response.status_code == 405 and response.json()["status"] == "ERROR"
    assert call(scoro_sandbox, "nosuchmodule/list").status_code == 404
    assert call(scoro_sandbox, "users/modify", request={"firstname": "x"}).status_code == 404
    # receipts/view is not in the SDK: off by default (stricter), a switch turns it on
    assert call(scoro_sandbox, "receipts/view/1").status_code == 404
    control(scoro_sandbox, "behaviour", {"receipts_view": True})
    assert _data(call(scoro_sandbox, "receipts/view/1"))["id"] == 1


def test_validation_error_transport_switch(scoro_sandbox):
    bad = {"request": {"lines": []}}  # no company_id
    response = call(scoro_sandbox, "invoices/modify", **bad)
    assert response.status_code == 200  # "mixed": HTTP 200 with an ERROR envelope
    body = response.json()
    assert body["status"] == "ERROR" and body["statusCode"] == 400
    assert any("company_id" in m for m in body["messages"]["error"])
    control(scoro_sandbox, "behaviour", {"error_transport": "http"})
    assert call(scoro_sandbox, "invoices/modify", **bad).status_code == 400
    control(scoro_sandbox, "behaviour", {"error_transport": "envelope"})
    assert call(scoro_sandbox, "contacts/list", company_account_id="nope").status_code == 200


# -- entities -------------------------------------------------------------------------------


def test_company_accounts(scoro_sandbox):
    rows = _data(call(scoro_sandbox, "companyAccount/list"))
    assert [r["company_account_id"] for r in rows] == ["acme_ee", "acme_us", "acme_uk"]
    assert rows[0]["base_currency"] == "EUR"
    assert rows[0]["active_currencies"] == ["EUR", "USD", "GBP"]
    assert {e["entity_id"] for e in rows[0]["active_entities"]} == set(
        scoro_sandbox.company_account_ids
    )
    one = _data(call(scoro_sandbox, "companyAccount/view/acme_uk"))
    assert one["base_currency"] == "GBP"


def test_entities_are_separate(scoro_sandbox):
    ee = _data(call(scoro_sandbox, "contacts/list"))
    us = _data(call(scoro_sandbox, "contacts/list", company_account_id="acme_us"))
    assert len(ee) == 6 and len(us) == 2
    assert not set(_ids(ee, "contact_id")) & set(_ids(us, "contact_id"))
    response = call(
        scoro_sandbox, f"contacts/view/{ee[0]['contact_id']}", company_account_id="acme_us"
    )
    assert response.json()["status"] == "ERROR" and response.json()["statusCode"] == 404


# -- seed content ---------------------------------------------------------------------------


def test_demo_seed_reference_data(scoro_sandbox):
    vat = {v["vat_code"]: v for v in _data(call(scoro_sandbox, "vatCodes/list"))}
    assert set(vat) == {"VAT24", "VAT9", "VAT0", "VAT22"}
    assert vat["VAT22"]["is_active"] == 1 and vat["VAT22"]["percent"] == Decimal("22")
    accounts = _data(call(scoro_sandbox, "financeAccounts/list"))
    assert {a["account_symbol"] for a in accounts} >= {"1200", "4000", "4100", "6100"}
    objects = _data(call(scoro_sandbox, "financeObjects/list"))
    assert [o["name"] for o in objects] == ["Consulting", "Design", "Licences"]
    products = {p["name"] for p in _data(call(scoro_sandbox, "products/list"))}
    assert products == {"Consulting hour", "Design work", "Software licence", "Hosting (monthly)"}
    profiles = {p["currency"] for p in _data(call(scoro_sandbox, "clientProfiles/list"))}
    assert profiles == {"EUR", "USD", "GBP"}
    assert _data(call(scoro_sandbox, "receiptAccounts/list"))


def test_demo_contacts(scoro_sandbox):
    rows = _data(call(scoro_sandbox, "contacts/list", detailed_response=True))
    by_name = {r["search_name"]: r for r in rows}
    nordic = by_name["Nordic Supplies AS"]
    assert nordic["is_client"] == 1 and nordic["is_supplier"] == 1
    assert nordic["means_of_contact"] == {"email": ["accounts@nordic.example"]}
    assert nordic["client_profile_id"] is None
    mari = by_name["Mari Tamm"]
    assert (
        mari["contact_type"] == "person" and mari["name"] == "Mari" and mari["lastname"] == "Tamm"
    )
    assert by_name['O\'Brien & Sons "Quality" Ltd']["client_profile_name"] == "GBP clients"
    muller = by_name["Müller GmbH"]
    profile = _data(call(scoro_sandbox, f"clientProfiles/view/{muller['client_profile_id']}"))
    assert profile["currency"] == "USD"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", nordic["modified_date"])


def test_demo_invoices_lines_and_sums(scoro_sandbox):
    rows = _data(call(scoro_sandbox, "invoices/list"))
    assert [r["no"] for r in rows] == ["1001", "1002", "1003", "1004", "1005", "1006"]
    assert all(r["lines"] is None for r in rows)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", rows[0]["modified_date"])
    by_no = {r["no"]: r for r in rows}
    two = _data(call(scoro_sandbox, f"invoices/view/{by_no['1002']['id']}"))
    assert two["project_id"] == -1  # lines name two projects (R33)
    assert {line["project_name"] for line in two["lines"]} == {"Website redesign", "ERP rollout"}
    assert two["sum"] == Decimal("1180.00") and two["vat_sum"] == Decimal("283.20")
    line = two["lines"][0]
    for key in (
        "product_id",
        "comment",
        "amount",
        "price",
        "sum",
        "vat",
        "vat_code_id",
        "finance_account_id",
        "finance_object_id",
        "project_id",
        "id",
    ):
        assert key in line
    three = _data(call(scoro_sandbox, f"invoices/view/{by_no['1003']['id']}"))
    assert three["lines"][0]["vat_code"] == "VAT22"
    assert by_no["1004"]["currency"] == "USD"
    credit = _data(call(scoro_sandbox, f"invoices/view/{by_no['1006']['id']}"))
    assert credit["credited_invoices"] == [by_no["1001"]["id"]]
    assert credit["sum"] == Decimal("-95.00")


def test_demo_receipt_and_paid_sums(scoro_sandbox):
    rows = {r["no"]: r for r in _data(call(scoro_sandbox, "invoices/list"))}
    first = rows["1001"]
    assert first["paid_sum"] == Decimal("300.00")
    assert first["receivable_sum"] == Decimal("642.40")  # 760 + 24 % VAT - 300
    receipts = _data(call(scoro_sandbox, "receipts/list"))
    assert receipts[0]["receipts"][0]["invoice_id"] == first["id"]
    bills = _data(call(scoro_sandbox, "bills/list"))
    assert [b["no"] for b in bills] == ["B-501", "B-502"]
    b501 = _data(call(scoro_sandbox, f"bills/view/{bills[0]['id']}"))
    assert [line["finance_account_symbol"] for line in b501["lines"]] == ["6000", "6100"]
    assert b501["lines"][1]["project_name"] == "ERP rollout"


# -- list: paging and filters ---------------------------------------------------------------


def test_paging_caps_and_no_totals(scoro_sandbox_factory):
    sb = scoro_sandbox_factory(
        size={"base": "small", "extra_contacts": 120}, limits={"window_limit": 10_000}
    )
    first = call(sb, "contacts/list").json()
    assert len(first["data"]) == 50 and set(first) == {"status", "statusCode", "messages", "data"}
    seen = []
    page = 1
    while True:
        rows = _data(call(sb, "contacts/list", page=page, per_page=500))
        seen += _ids(rows, "contact_id")
        if len(rows) < 100:
            break
        assert len(rows) == 100
        page += 1
    assert len(seen) == len(set(seen)) == 126
    assert len(_data(call(sb, "contacts/list", per_page=100, detailed_response=True))) == 25
    assert _data(call(sb, "contacts/list", page=99)) == []


def test_offset_paging_shifts_when_a_row_goes_between_pages(scoro_sandbox_factory):
    # Real Scoro pages by offset: a row deleted after page 1 was read moves every later row
    # one place forward, so the first row of the old page 2 is never seen. The sandbox keeps
    # that (clients must re-read with overlap) while caching the scan behind the pages.
    sb = scoro_sandbox_factory(
        size={"base": "small", "extra_contacts": 60}, limits={"window_limit": 10_000}
    )
    page1 = _ids(_data(call(sb, "contacts/list", page=1, per_page=20)), "contact_id")
    expected2 = _ids(_data(call(sb, "contacts/list", page=2, per_page=20)), "contact_id")
    assert call(sb, f"contacts/delete/{page1[0]}").json()["status"] == "OK"
    page2 = _ids(_data(call(sb, "contacts/list", page=2, per_page=20)), "contact_id")
    assert page2[:-1] == expected2[1:] and expected2[0] not in page2


def test_filters(scoro_sandbox):
    sb = scoro_sandbox
    suppliers = _data(call(sb, "contacts/list", filter={"is_supplier": 1}))
    assert {r["name"] for r in suppliers} == {"Nordic Supplies AS", "Office Depot Europe"}
    wild = _data(call(sb, "contacts/list", filter={"name": "nordic%"}))
    assert [r["name"] for r in wild] == ["Nordic Supplies AS"]
    by_mail = _data(
        call(sb, "contacts/list", filter={"means_of_contact": {"email": "mari@example.ee"}})
    )
    assert [r["lastname"] for r in by_mail] == ["Tamm"]
    ranged = _data(
        call(
            sb,
            "invoices/list",
            filter={"date": {"from_date": "2026-11-03", "to_date": "2026-11-06"}},
        )
    )
    assert [r["no"] for r in ranged] == ["1002", "1003", "1004"]
    open_end = _data(call(sb, "invoices/list", filter={"date": {"from_date": "2026-11-07"}}))
    assert [r["no"] for r in open_end] == ["1005", "1006"]
    sent = _data(call(sb, "invoices/list", filter={"status": "sent", "currency": "EUR"}))
    assert {r["no"] for r in sent} == {"1001", "1002", "1006"}


def test_modified_date_filter_is_by_site_day(scoro_sandbox):
    sb = scoro_sandbox
    today = control(sb, "clock", method="GET")["site_now"][:10]
    assert _data(call(sb, "contacts/list", filter={"modified_date": {"from_date": today}})) == []
    contact = _data(call(sb, "contacts/list"))[0]
    call(sb, f"contacts/modify/{contact['contact_id']}", request={"vatno": "EE999"})
    rows = _data(
        call(sb, "contacts/list", filter={"modified_date": {"from_date": today, "to_date": today}})
    )
    assert _ids(rows, "contact_id") == [contact["contact_id"]]


def test_bookmark_applies_saved_filter(scoro_sandbox):
    sb = scoro_sandbox
    marks = {b["name"]: b for b in _data(call(sb, "bookmarks/list"))}
    assert marks["Sent invoices"]["filter"] == {"status": "sent", "user_id": 2}
    assert marks["Approved bills"]["module"] == "bills"
    rows = _data(
        call(
            sb,
            "invoices/list",
            bookmark={"bookmark_id": str(marks["Sent invoices"]["bookmark_id"])},
        )
    )
    assert {r["no"] for r in rows} == {"1001", "1002", "1004", "1006"}
    bills = _data(
        call(sb, "bills/list", bookmark={"bookmark_id": marks["Approved bills"]["bookmark_id"]})
    )
    assert [b["no"] for b in bills] == ["B-501"]


# -- modify / delete ------------------------------------------------------------------------


def test_create_update_replace_lines(scoro_sandbox):
    sb = scoro_sandbox
    contact = _data(call(sb, "contacts/list", filter={"name": "Baltic%"}))[0]
    created = _data(
        call(
            sb,
            "invoices/modify",
            return_data=1,
            request={
                "company_id": contact["contact_id"],
                "date": "2026-12-01",
                "currency": "EUR",
                "lines": [
                    {"comment": "Development work", "amount": 10, "price": "100"},
                    {"comment": "Extra", "amount": "1", "price": 50.5},
                ],
            },
        )
    )
    assert created["no"] == "1007" and created["sum"] == Decimal("1050.50")
    assert len(created["lines"]) == 2
    keep = created["lines"][0]["id"]
    bare = _data(
        call(
            sb,
            f"invoices/modify/{created['id']}",
            request={
                "lines": [{"id": keep, "comment": "Development work", "amount": 2, "price": 100}]
            },
        )
    )
    assert bare == {"id": created["id"]}  # without return_data only the id comes back
    view = _data(call(sb, f"invoices/view/{created['id']}"))
    assert [line["id"] for line in view["lines"]] == [keep]
    assert view["sum"] == Decimal("200.00")
    dup = call(sb, "invoices/modify", request={"company_id": contact["contact_id"], "no": "1001"})
    assert dup.json()["status"] == "ERROR"
    # Renumbered: its new number is taken, its old one free again.
    call(sb, f"invoices/modify/{created['id']}", request={"no": "X-1"})
    taken = call(sb, "invoices/modify", request={"company_id": contact["contact_id"], "no": "X-1"})
    assert taken.json()["status"] == "ERROR"
    freed = call(sb, "invoices/modify", request={"company_id": contact["contact_id"], "no": "1007"})
    assert freed.json()["status"] == "OK"


def test_modify_bumps_modified_date(scoro_sandbox):
    sb = scoro_sandbox
    product = _data(call(sb, "products/list"))[0]
    control(sb, "clock", {"advance_seconds": 3600})
    updated = _data(
        call(
            sb,
            f"products/modify/{product['product_id']}",
            return_data=True,
            request={"price": "99.99"},
        )
    )
    assert updated["price"] == Decimal("99.99")
    assert updated["modified_date"] > product["modified_date"]
    assert updated["created_date"] == product["created_date"]


def test_soft_delete_and_include_deleted(scoro_sandbox):
    sb = scoro_sandbox
    product = _data(call(sb, "products/list"))[-1]
    pid = product["product_id"]
    response = call(sb, f"products/delete/{pid}")
    body = response.json()
    assert body == {"status": "OK", "statusCode": 200, "messages": None}
    assert pid not in _ids(_data(call(sb, "products/list")), "product_id")
    for extra in ({"include_deleted": 1}, {"request": {"include_deleted": "1"}}):
        rows = _data(call(sb, "products/list", **extra))
        gone = [r for r in rows if r["product_id"] == pid]
        assert gone and gone[0]["is_deleted"] == 1
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", gone[0]["deleted_date"])
    assert call(sb, f"products/view/{pid}").json()["statusCode"] == 404
    control(sb, "clock", {"advance_seconds": 31 * 86400})
    rows = _data(call(sb, "products/list", include_deleted=1))
    assert pid not in _ids(rows, "product_id")


def test_receipt_marks_invoice_paid_and_back(scoro_sandbox):
    sb = scoro_sandbox
    inv = {r["no"]: r for r in _data(call(sb, "invoices/list"))}["1002"]
    gross = inv["sum"] + inv["vat_sum"]
    group = _data(
        call(
            sb,
            "receipts/modify",
            return_data=1,
            request={
                "date": "2026-11-20",
                "receipts": [{"invoice_id": inv["id"], "sum": str(gross)}],
            },
        )
    )
    assert group["receipts"][0]["invoice_no"] == "1002"
    paid = _data(call(sb, f"invoices/view/{inv['id']}"))
    assert paid["status"] == "paid" and paid["receivable_sum"] == Decimal("0.00")
    assert paid["modified_date"] >= inv["modified_date"]
    call(sb, f"receipts/delete/{group['id']}")
    back = _data(call(sb, f"invoices/view/{inv['id']}"))
    assert back["status"] == "sent" and back["paid_sum"] == Decimal("0")


def test_bill_receipt_and_currency_rule(scoro_sandbox):
    sb = scoro_sandbox
    bill = _data(call(sb, "bills/list"))[1]
    response = call(
        sb,
        "receipts/modify",
        request={
            "sales_doc_type": "bills",
            "currency": "USD",
            "receipts": [{"invoice_id": bill["id"], "sum": "10"}],
        },
    )
    assert response.json()["status"] == "ERROR"
    gross = bill["sum"] + bill["vat_sum"]
    _data(
        call(
            sb,
            "receipts/modify",
            request={
                "sales_doc_type": "bills",
                "receipts": [{"invoice_id": bill["id"], "sum": str(gross)}],
            },
        )
    )
    assert _data(call(sb, f"bills/view/{bill['id']}"))["status"] == "paid"


def test_contact_create_validation(scoro_sandbox):
    sb = scoro_sandbox
    made = _data(
        call(
            sb,
            "contacts/modify",
            return_data=1,
            request={
                "contact_type": "person",
                "name": "Jaan",
                "lastname": "Kask",
                "is_client": "1",
                "means_of_contact": {"email": ["jaan@example.ee"], "phone": "+372 5555"},
                "addresses": [{"country": "EST", "city": "Tartu"}],
            },
        )
    )
    assert made["search_name"] == "Jaan Kask" and made["is_client"] == 1
    assert made["means_of_contact"]["phone"] == ["+372 5555"]
    bad = call(
        sb,
        "contacts/modify",
        request={"name": "X", "addresses": [{"country": "EE"}], "client_profile_id": 999},
    )
    errors = bad.json()["messages"]["error"]
    assert len(errors) >= 1 and bad.json()["statusCode"] == 400
