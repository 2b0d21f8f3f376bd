"""The Scoro sandbox answers in the real API's shapes: numeric statusCode, every field of an
object (unset ones null), refused unknown filters, working pdf_link URLs, and per-line VAT."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
import requests

from qbsync_desktop.sandbox.scoro.schema import LINE_FIELDS, OBJECT_FIELDS
from tests.fixtures.scoro_sandbox import scoro_call as call
from tests.fixtures.scoro_sandbox import scoro_control as control


def _body(response: requests.Response) -> dict:
    return json.loads(response.text, parse_float=Decimal)


def _data(response: requests.Response):
    body = _body(response)
    assert body["status"] == "OK", body
    return body["data"]


def _client_id(sb) -> int:
    return _data(call(sb, "contacts/list", filter={"is_client": 1}))[0]["contact_id"]


def _invoice(sb, lines, **header) -> dict:
    request = {"company_id": _client_id(sb), "lines": lines, **header}
    created = _data(call(sb, "invoices/modify", request=request))
    return _data(call(sb, f"invoices/view/{created['id']}"))


# -- 1. statusCode is a number, in every envelope ------------------------------------------


def _status_codes(sb) -> list[tuple[int, object, str]]:
    """(HTTP status, envelope statusCode, label) for one answer of every envelope kind."""
    invoice = _data(call(sb, "invoices/list"))[0]
    product = _data(call(sb, "products/list"))[-1]
    answers = {
        "list": call(sb, "contacts/list"),
        "view": call(sb, f"invoices/view/{invoice['id']}"),
        "modify": call(sb, "products/modify", request={"name": "Widget"}),
        "delete": call(sb, f"products/delete/{product['product_id']}"),
        "pdf": call(sb, f"invoices/pdf/{invoice['id']}"),
        "companyAccount": call(sb, "companyAccount/list"),
        "not found": call(sb, "invoices/view/999999"),
        "validation": call(sb, "invoices/modify", request={"lines": []}),
        "bad key": call(sb, "contacts/list", auth=False, apiKey="wrong"),
        "unknown module": call(sb, "nosuch/list"),
        "unknown action": call(sb, "invoices/frobnicate"),
        "bad json": requests.post(f"{sb.url}/api/v2/contacts/list", data=b"{", timeout=5),
        "not post": requests.get(f"{sb.url}/api/v2/contacts/list", timeout=5),
    }
    control(sb, "faults", {"type": "429", "count": 1})
    answers["429"] = call(sb, "contacts/list")
    return [(r.status_code, r.json()["statusCode"], label) for label, r in answers.items()]


def test_status_code_is_a_number_in_every_envelope(scoro_sandbox):
    for http, code, label in _status_codes(scoro_sandbox):
        assert type(code) is int, (label, code)
        if http != 200:
            assert code == http, label  # an HTTP error status and the envelope agree
    assert call(scoro_sandbox, "invoices/view/999999").json()["statusCode"] == 404


def test_status_code_equals_the_http_status_with_http_errors(scoro_sandbox):
    control(scoro_sandbox, "behaviour", {"error_transport": "http"})
    found = _status_codes(scoro_sandbox)
    assert {label for _, code, label in found if code >= 400} >= {"validation", "not found"}
    for http, code, label in found:
        assert type(code) is int and code == http, label


def test_string_status_codes_remain_a_switch_for_client_tests(scoro_sandbox):
    sb = scoro_sandbox
    control(sb, "behaviour", {"status_code_style": "mixed"})
    product = _data(call(sb, "products/list"))[-1]
    assert call(sb, "products/list").json()["statusCode"] == 200
    assert call(sb, f"products/delete/{product['product_id']}").json()["statusCode"] == "200"
    assert call(sb, "invoices/view/999999").json()["statusCode"] == "404"
    assert control(sb, "behaviour", method="GET")["status_code_style"] == "mixed"


# -- 2. every field of the object, unset ones as null --------------------------------------

LIST_ROUTES = {
    "contacts": "contact_id",
    "products": "product_id",
    "projects": "project_id",
    "invoices": "id",
    "bills": "id",
    "receipts": "id",
    "financeAccounts": "id",
    "financeObjects": "object_id",
    "vatCodes": "vat_code_id",
    "receiptAccounts": "id",
    "users": "id",
    "files": "file_id",
}


@pytest.mark.parametrize("module", sorted(LIST_ROUTES))
def test_list_and_view_carry_every_field(scoro_sandbox, module):
    sb = scoro_sandbox
    control(sb, "behaviour", {"receipts_view": True})
    fields = set(OBJECT_FIELDS[module])
    for detailed in (0, 1):
        rows = _data(call(sb, f"{module}/list", detailed_response=detailed))
        assert rows, module
        for row in rows:
            assert fields <= set(row), (module, sorted(fields - set(row)))
    one = rows[0][LIST_ROUTES[module]]
    view = _data(call(sb, f"{module}/view/{one}"))
    assert fields <= set(view), (module, sorted(fields - set(view)))
    for line in view.get("lines") or ():
        assert set(LINE_FIELDS[module]) <= set(line), module


def test_unset_fields_are_null_not_missing(scoro_sandbox):
    sb = scoro_sandbox
    view = _invoice(sb, [{"comment": "Work", "price": "10", "amount": "1"}])
    for key in (
        "project_id",
        "vat_code_id",
        "vat_code",
        "person_id",
        "reference_no",
        "payment_fee",
        "pay_now_link",
        "scheduled_invoice_id",
        "accounting_period_from",
    ):
        assert key in view and view[key] is None, key
    (line,) = view["lines"]
    for key in ("product_id", "vat_code_id", "project_id", "finance_account_id", "depot_amounts"):
        assert key in line and line[key] is None, key
    row = next(r for r in _data(call(sb, "invoices/list")) if r["id"] == view["id"])
    # view-only fields are there in a list, as null
    assert row["lines"] is None and row["custom_fields"] is None and "prepayment_sum" in row
    bill = _data(call(sb, "bills/list"))[0]
    assert "purchase_order_id" in bill and "dateofpayment" in bill
    contact = _data(call(sb, "contacts/list"))[0]
    assert "bankaccount" in contact and "contact_users" in contact
    project = _data(
        call(sb, "projects/modify", return_data=1, request={"project_name": "Bare project"})
    )
    assert project["company_id"] is None and project["deadline"] is None


# -- 3. unknown filter keys ----------------------------------------------------------------


def test_unknown_filter_key_is_refused_naming_it(scoro_sandbox):
    sb = scoro_sandbox
    response = call(sb, "invoices/list", filter={"staus": "paid", "company_id": 1})
    body = response.json()
    assert response.status_code == 200  # a validation error: HTTP 200 under "mixed"
    assert body["status"] == "ERROR" and body["statusCode"] == 400 and "data" not in body
    assert isinstance(body["messages"]["error"], list)
    assert any("staus" in m for m in body["messages"]["error"])
    assert not any("company_id" in m for m in body["messages"]["error"])
    # inside "request" too, and on a module whose filter matches no row at all
    nested = call(sb, "receiptAccounts/list", request={"filter": {"nmae": "x"}}).json()
    assert nested["status"] == "ERROR" and "nmae" in nested["messages"]["error"][0]


def test_known_filters_still_work_and_unset_fields_match_null(scoro_sandbox):
    sb = scoro_sandbox
    everything = _data(call(sb, "invoices/list"))
    status = everything[0]["status"]
    same = _data(call(sb, "invoices/list", filter={"status": status}))
    assert 0 < len(same) < len(everything)
    assert {r["status"] for r in same} == {status}
    # a field of the object the record never had stored is null, not "matches anything"
    assert _data(call(sb, "invoices/list", filter={"pay_now_link": "x"})) == []
    assert _data(call(sb, "invoices/list", filter={"modified_date": {"from_date": "2000-01-01"}}))
    assert _data(call(sb, "files/list", filter={"rel_type": "invoices"}))
    bookmarked = call(sb, "bookmarks/list", filter={"module": "invoices"})
    assert _data(bookmarked)


def test_unknown_filters_ignore_switch(scoro_sandbox):
    sb = scoro_sandbox
    assert control(sb, "behaviour", method="GET")["unknown_filters"] == "refuse"
    control(sb, "behaviour", {"unknown_filters": "ignore"})
    everything = _data(call(sb, "invoices/list"))
    assert _data(call(sb, "invoices/list", filter={"staus": "paid"})) == everything
    bad = requests.post(
        f"{sb.url}/_sandbox/behaviour", json={"unknown_filters": "error"}, timeout=5
    )
    assert bad.status_code == 400


# -- 4. pdf_link serves a PDF --------------------------------------------------------------


def _fetch_pdf(link: str) -> requests.Response:
    return requests.get(link, timeout=5)


def test_invoice_pdf_link_serves_a_pdf(scoro_sandbox):
    sb = scoro_sandbox
    invoice = _data(call(sb, "invoices/list"))[0]
    data = _data(call(sb, f"invoices/pdf/{invoice['id']}"))
    assert set(data) == {"template_id", "datetime_created", "pdf_link"}
    link = data["pdf_link"]
    assert link.startswith(sb.url)
    pdf = _fetch_pdf(link)
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and pdf.content.rstrip().endswith(b"%%EOF")
    assert invoice["no"].encode() in pdf.content
    # the link is the document's own: another id or a tampered token is not served
    assert _fetch_pdf(link.replace(f"/{invoice['id']}/", "/999999/")).status_code == 404
    assert _fetch_pdf(link[:-8] + "0000.pdf").status_code == 404
    assert requests.post(link, timeout=5).status_code == 405


def test_bill_pdf_link_serves_a_pdf_when_switched_on(scoro_sandbox):
    sb = scoro_sandbox
    bill = _data(call(sb, "bills/list"))[0]
    assert call(sb, f"bills/pdf/{bill['id']}").status_code == 404  # not in the reference
    control(sb, "behaviour", {"bills_pdf": True})
    link = _data(call(sb, f"bills/pdf/{bill['id']}"))["pdf_link"]
    pdf = _fetch_pdf(link)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_pdf_link_of_a_deleted_invoice_is_gone(scoro_sandbox):
    sb = scoro_sandbox
    view = _invoice(sb, [{"comment": "Work", "price": "10"}])
    link = _data(call(sb, f"invoices/pdf/{view['id']}"))["pdf_link"]
    assert _fetch_pdf(link).status_code == 200
    assert call(sb, f"invoices/delete/{view['id']}").json()["status"] == "OK"
    assert _fetch_pdf(link).status_code == 404


# -- 5. sums: VAT per line, rounded half up per line ---------------------------------------


def test_vat_is_rounded_per_line_half_up(scoro_sandbox):
    sb = scoro_sandbox
    # 1.75 x 22 % = 0.385 per line: 0.39 half up (0.38 half-even); three lines 1.17, where
    # VAT on the total per rate (5.25 x 22 % = 1.155 -> 1.16) is one cent less.
    view = _invoice(sb, [{"comment": f"L{i}", "price": "1.75", "vat": "22"} for i in range(3)])
    assert [line["sum"] for line in view["lines"]] == [Decimal("1.75")] * 3
    assert view["sum"] == Decimal("5.25")
    assert view["vat_sum"] == Decimal("1.17")


def test_line_sum_is_amount_price_discount_rounded_half_up(scoro_sandbox):
    sb = scoro_sandbox
    view = _invoice(
        sb,
        [
            {"comment": "a", "price": "10.005", "amount": "1", "vat": "0"},
            {"comment": "b", "price": "3.35", "amount": "3", "discount": "10", "vat": "20"},
            {"comment": "c", "price": "0.333", "amount": "2.5", "vat": "9"},
        ],
    )
    sums = [line["sum"] for line in view["lines"]]
    # 10.005 -> 10.01; 3 x 3.35 x 0.9 = 9.045 -> 9.05; 2.5 x 0.333 = 0.8325 -> 0.83
    assert sums == [Decimal("10.01"), Decimal("9.05"), Decimal("0.83")]
    assert view["sum"] == Decimal("19.89")
    # VAT on the rounded line sums: 0 + 1.81 + 0.0747 -> 0.07
    assert view["vat_sum"] == Decimal("1.88")


def test_vat_code_percent_applies_per_line_and_bills_agree(scoro_sandbox):
    sb = scoro_sandbox
    codes = {c["vat_code"]: c for c in _data(call(sb, "vatCodes/list"))}
    vat22 = codes["VAT22"]
    assert vat22["percent"] == Decimal("22")
    lines = [
        {"comment": f"L{i}", "price": "1.75", "vat_code_id": vat22["vat_code_id"]} for i in range(3)
    ]
    view = _invoice(sb, lines)
    assert view["vat_sum"] == Decimal("1.17") and view["lines"][0]["vat"] == Decimal("22")
    supplier = _data(call(sb, "contacts/list", filter={"is_supplier": 1}))[0]["contact_id"]
    bill = _data(
        call(sb, "bills/modify", return_data=1, request={"company_id": supplier, "lines": lines})
    )
    assert (bill["sum"], bill["vat_sum"]) == (Decimal("5.25"), Decimal("1.17"))


def test_credit_invoice_sums_mirror_the_original(scoro_sandbox):
    sb = scoro_sandbox
    original = _invoice(sb, [{"comment": f"L{i}", "price": "1.75", "vat": "22"} for i in range(3)])
    credit = _invoice(
        sb,
        [{"comment": f"L{i}", "price": "1.75", "amount": "-1", "vat": "22"} for i in range(3)],
        credited_invoices=[original["id"]],
    )
    assert (credit["sum"], credit["vat_sum"]) == (-original["sum"], -original["vat_sum"])


def test_sums_as_strings_keep_exact_digits(scoro_sandbox):
    sb = scoro_sandbox
    control(sb, "behaviour", {"money_as_string": True})
    view = _invoice(sb, [{"comment": "x", "price": "1.75", "vat": "22"}])
    assert (view["sum"], view["vat_sum"], view["lines"][0]["sum"]) == ("1.75", "0.39", "1.75")
