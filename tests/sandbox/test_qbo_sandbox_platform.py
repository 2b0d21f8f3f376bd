"""Throttles, requestid replay, faults, CDC, batch, upload, control plane, persistence, CLI."""

# QBO query statements, not SQL.

from __future__ import annotations

import json
import subprocess
import sys
import time
from decimal import Decimal

import pytest
import requests

from tests.fixtures.qbo_sandbox import QuickBooksClient


def test_throttle_429_xml_then_json_switch(qbo_sandbox_factory):
    sb = qbo_sandbox_factory(size="empty", limits={"per_second": 3})
    qbo = QuickBooksClient(sb)
    statuses = [qbo.get("preferences").status_code for _ in range(5)]
    assert statuses[:3] == [200, 200, 200] and 429 in statuses
    res = qbo.get("preferences")
    assert res.status_code == 429
    assert res.headers["Content-Type"].startswith("application/xml")
    assert "ThrottleExceeded" in res.text and 'code="3001"' in res.text
    qbo.control("POST", "limits", {"throttle_body": "json", "per_second": 1})
    time.sleep(1.05)
    qbo.get("preferences")
    res = qbo.get("preferences")
    assert res.status_code == 429 and res.json()["Fault"]["Error"][0]["code"] == "3001"
    assert qbo.control("GET", "stats").json()["throttled"] >= 2


def test_batch_rate_limit(qbo_sandbox_factory):
    sb = qbo_sandbox_factory(size="empty", limits={"batch_per_minute": 2})
    qbo = QuickBooksClient(sb)
    body = {"BatchItemRequest": [{"bId": "1", "Query": "select * from Account"}]}
    assert [qbo.post("batch", body).status_code for _ in range(3)] == [200, 200, 429]
    assert qbo.get("preferences").status_code == 200  # only batch is limited


def test_requestid_replay_and_drop_after_commit(qbo):
    body = {"DisplayName": "Replay Ltd"}
    first = qbo.post("customer", body, requestid="req-1")
    second = qbo.post("customer", body, requestid="req-1")
    assert first.status_code == second.status_code == 200
    assert first.text == second.text
    assert first.headers["intuit_tid"] != second.headers["intuit_tid"]
    too_long = qbo.post("customer", {"DisplayName": "Long Id"}, requestid="x" * 51)
    assert too_long.status_code == 400 and too_long.json()["Fault"]["Error"][0]["code"] == "6000"
    # the write commits but the answer never arrives; the retry with the same requestid
    # gets the original answer instead of a duplicate (docs/design.md)
    qbo.control("POST", "faults", {"type": "drop_after_commit", "path": "/customer"})
    with pytest.raises(requests.ConnectionError):
        qbo.post("customer", {"DisplayName": "Dropped OÜ"}, requestid="req-2")
    retry = qbo.post("customer", {"DisplayName": "Dropped OÜ"}, requestid="req-2")
    assert retry.status_code == 200, retry.text
    found = qbo.query("select count(*) from Customer where DisplayName = 'Dropped OÜ'")
    assert found.json()["QueryResponse"]["totalCount"] == 1
    stats = qbo.control("GET", "stats").json()
    assert stats["faults"]["drop_after_commit"] == 1 and stats["replays"] >= 2


def test_injected_faults(qbo):
    qbo.control(
        "POST",
        "faults",
        {
            "faults": [
                {"type": "system_error", "count": 1, "path": "/query"},
                {"type": "throttle", "count": 1, "path": "/preferences"},
                {"type": "slow", "seconds": 0.3, "path": "/companyinfo"},
            ]
        },
    )
    res = qbo.query("select * from Class")
    assert res.status_code == 500 and res.json()["Fault"]["type"] == "SystemFault"
    assert res.json()["Fault"]["Error"][0]["code"] == "10000"
    assert qbo.query("select * from Class").status_code == 200
    assert qbo.get("preferences").status_code == 429
    started = time.monotonic()
    assert qbo.get(f"companyinfo/{qbo.realm_id}").status_code == 200
    assert time.monotonic() - started >= 0.3
    qbo.control("POST", "faults", {"type": "expire_access_token"})
    assert qbo.get("preferences").status_code == 401
    qbo.control("POST", "faults", {"type": "revoke_refresh_token"})
    res = requests.post(
        f"{qbo.sandbox.url}/oauth2/v1/tokens/bearer",
        data={"grant_type": "refresh_token", "refresh_token": qbo.tokens["refresh_token"]},
        auth=(qbo.sandbox.client_id, qbo.sandbox.client_secret),
        timeout=10,
    )
    assert res.status_code == 400 and res.json() == {"error": "invalid_grant"}
    assert qbo.control("GET", "faults").json()["faults"] == []


def test_cdc_window_deletes_and_cap(qbo):
    sb = qbo.sandbox
    since = sb.clock.now().isoformat()
    made = qbo.json(qbo.post("customer", {"DisplayName": "CDC Customer"}))["Customer"]
    pay = qbo.json(qbo.query("select * from Payment maxresults 1"))["QueryResponse"]["Payment"][0]
    qbo.post("payment", {"Id": pay["Id"], "SyncToken": pay["SyncToken"]}, operation="delete")
    res = qbo.get("cdc", entities="Customer,Payment,Invoice", changedSince=since)
    assert res.status_code == 200, res.text
    responses = res.json()["CDCResponse"][0]["QueryResponse"]
    assert [c["Id"] for c in responses[0]["Customer"]] == [made["Id"]]
    assert responses[1]["Payment"] == [
        {
            "domain": "QBO",
            "status": "Deleted",
            "Id": pay["Id"],
            "MetaData": responses[1]["Payment"][0]["MetaData"],
        }
    ]
    assert responses[2]["Invoice"][0]["Id"] == pay["Line"][0]["LinkedTxn"][0]["TxnId"]
    old = qbo.get("cdc", entities="Customer", changedSince="2020-01-01T00:00:00Z")
    assert old.status_code == 400 and "older than fixed days" in old.text
    qbo.control("POST", "limits", {"cdc_max_objects": 5})
    day_start = sb.clock.now().strftime("%Y-%m-%dT00:00:00Z")
    capped = qbo.get("cdc", entities="Customer,Invoice", changedSince=day_start)
    lists = capped.json()["CDCResponse"][0]["QueryResponse"]
    assert sum(len(v) for q in lists for v in q.values() if isinstance(v, list)) <= 5


def test_batch_serial_isolated_with_faults(qbo):
    res = qbo.post(
        "batch",
        {
            "BatchItemRequest": [
                {"bId": "a", "operation": "create", "Customer": {"DisplayName": "Batch One"}},
                {"bId": "b", "operation": "create", "Vendor": {"DisplayName": "Jaan Kask"}},
                {"bId": "c", "Query": "select * from Customer where DisplayName = 'Batch One'"},
                {"bId": "d", "operation": "create", "Customer": {"DisplayName": "Batch Two"}},
            ]
        },
        requestid="b-1",
    )
    assert res.status_code == 200, res.text
    items = {i["bId"]: i for i in res.json()["BatchItemResponse"]}
    assert items["a"]["Customer"]["DisplayName"] == "Batch One"
    assert items["b"]["Fault"]["Error"][0]["code"] == "6240"
    assert items["c"]["QueryResponse"] == {}  # no visibility of earlier items
    assert "Customer" in items["d"]
    too_many = qbo.post(
        "batch",
        {"BatchItemRequest": [{"bId": str(i), "Query": "select * from Class"} for i in range(31)]},
    )
    assert too_many.status_code == 400
    long_id = qbo.post("batch", {"BatchItemRequest": []}, requestid="x" * 37)
    assert long_id.status_code == 400


def test_batch_bid_limit_applies_only_with_a_requestid(qbo):
    """Intuit: a batch requestid is at most 36 characters, "and then" each bId 10."""
    uuid_bid = "0f8b7326-6a8e-4e4a-9a5c-2d7e5b1c9f00"
    body = {"BatchItemRequest": [{"bId": uuid_bid, "Query": "select * from Class"}]}
    without = qbo.json(qbo.post("batch", body))["BatchItemResponse"][0]
    assert "QueryResponse" in without
    with_id = qbo.json(qbo.post("batch", body, requestid="r-1"))["BatchItemResponse"][0]
    assert with_id["Fault"]["Error"][0]["element"] == "bId"


def test_upload_and_note_attachable(qbo):
    invoice = qbo.json(qbo.query("select * from Invoice maxresults 1"))["QueryResponse"]["Invoice"][
        0
    ]
    meta = {
        "FileName": "timesheet.pdf",
        "ContentType": "application/pdf",
        "AttachableRef": [{"EntityRef": {"type": "Invoice", "value": invoice["Id"]}}],
    }
    files = {
        "file_metadata_01": ("attachment.json", json.dumps(meta), "application/json"),
        "file_content_01": ("timesheet.pdf", b"%PDF-1.4 sandbox", "application/pdf"),
    }
    res = qbo.session.post(f"{qbo.base}/upload", files=files, timeout=10)
    assert res.status_code == 200, res.text
    att = res.json()["AttachableResponse"][0]["Attachable"]
    assert att["Size"] == len(b"%PDF-1.4 sandbox") and att["FileName"] == "timesheet.pdf"
    assert requests.get(att["TempDownloadUri"], timeout=10).content == b"%PDF-1.4 sandbox"
    found = qbo.query(
        f"select * from Attachable where AttachableRef.EntityRef.Value = '{invoice['Id']}'"
    )
    assert found.json()["QueryResponse"]["Attachable"][0]["Id"] == att["Id"]
    note = qbo.post(
        "attachable", {"Note": "Call the client", "AttachableRef": meta["AttachableRef"]}
    )
    assert note.status_code == 200


def test_control_plane_companies_tokens_reset_stats(qbo_sandbox):
    base = f"{qbo_sandbox.url}/_sandbox"
    companies = requests.get(f"{base}/companies", timeout=10).json()
    assert [c["realmId"] for c in companies["companies"]] == qbo_sandbox.realm_ids
    assert companies["companies"][0]["homeCurrency"] == "EUR"
    assert companies["client_id"] == qbo_sandbox.client_id
    tokens = requests.post(
        f"{base}/tokens", json={"realmId": qbo_sandbox.realm_ids[2]}, timeout=10
    ).json()
    assert {"access_token", "refresh_token", "expires_in"} <= set(tokens)
    qbo = QuickBooksClient(qbo_sandbox, qbo_sandbox.realm_ids[2])
    qbo.post("customer", {"DisplayName": "Before Reset"})
    stats = requests.get(f"{base}/stats", timeout=10).json()
    assert stats["requests"]["POST customer"] == {"200": 1}
    assert stats["objects"][qbo_sandbox.realm_ids[2]]["Customer"] == 1
    res = requests.post(f"{base}/reset", json={"size": "empty"}, timeout=10)
    assert res.status_code == 200
    count = qbo.query("select count(*) from Customer").json()["QueryResponse"]["totalCount"]
    assert count == 0
    res = requests.post(
        f"{base}/company/{qbo_sandbox.realm_ids[1]}", json={"multicurrency": True}, timeout=10
    )
    assert res.json()["multicurrency"] is True
    assert (
        requests.get(f"{qbo_sandbox.url}/v3/company/x/_sandbox/stats", timeout=10).status_code
        == 401
    )


def test_seed_is_deterministic_and_sized(qbo_sandbox_factory):
    from qbsync_desktop.sandbox.quickbooks import QuickBooksSandbox

    a = QuickBooksSandbox(seed=7, size="demo")
    b = QuickBooksSandbox(seed=7, size="demo")
    names = [
        sorted(c["DisplayName"] for c in s.realms[s.realm_ids[0]].table("Customer").values())
        for s in (a, b)
    ]
    assert names[0] == names[1]
    empty = QuickBooksSandbox(size="empty").realms
    first = empty[a.realm_ids[0]].counts()
    assert set(first) == {
        "Account", "CompanyInfo", "Preferences", "TaxCode", "TaxRate", "Term", "PaymentMethod",
    }  # fmt: skip
    bench = QuickBooksSandbox(size=200).realms[a.realm_ids[0]].counts()
    assert bench["Invoice"] == 201  # 200 generated + the demo pairing's one
    small = QuickBooksSandbox(size="small").realms[a.realm_ids[0]]
    q2001 = next(i for i in small.table("Invoice").values() if i["DocNumber"] == "Q-2001")
    assert q2001["Balance"] == q2001["TotalAmt"] - Decimal("200.00")


def test_persistence_across_restart(tmp_path, qbo_sandbox_factory):
    data = str(tmp_path / "qbo.sqlite")
    sb = qbo_sandbox_factory(size="small", data_file=data)
    qbo = QuickBooksClient(sb)
    assert qbo.post("customer", {"DisplayName": "Persisted Oy"}).status_code == 200
    sb.stop()
    again = qbo_sandbox_factory(size="small", data_file=data)
    qbo2 = QuickBooksClient(again)
    res = qbo2.query("select * from Customer where DisplayName = 'Persisted Oy'")
    assert len(res.json()["QueryResponse"]["Customer"]) == 1


def test_cli_prints_listening_line(tmp_path):
    code = (
        "import sys; from qbsync_desktop.sandbox.quickbooks.cli import main_quickbooks; "
        "sys.exit(main_quickbooks(['--port', '0', '--size', 'small']))"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline().strip()
        assert line.startswith("quickbooks sandbox listening on http://127.0.0.1:")
        url = line.rsplit(" ", 1)[1]
        assert "client_id" in proc.stdout.readline()
        assert requests.get(f"{url}/_sandbox/companies", timeout=10).status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)
