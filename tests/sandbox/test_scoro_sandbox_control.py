"""The Scoro sandbox's control plane, rate limits, faults, seed sizes, persistence and CLI."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
import requests

from qbsync_desktop.sandbox import demo_pairing
from qbsync_desktop.sandbox.scoro import ScoroSandbox
from qbsync_desktop.sandbox.scoro.cli import main_scoro
from tests.fixtures.scoro_sandbox import scoro_call as call
from tests.fixtures.scoro_sandbox import scoro_control as control


def test_credentials(scoro_sandbox):
    creds = control(scoro_sandbox, "credentials", method="GET")
    assert creds["api_key"] == demo_pairing.DEMO_SCORO_API_KEY == scoro_sandbox.api_key
    assert creds["site_url"] == scoro_sandbox.url
    accounts = creds["company_accounts"]
    assert [a["company_account_id"] for a in accounts] == scoro_sandbox.company_account_ids
    assert accounts[0] == {
        "company_account_id": "acme_ee",
        "name": "Acme OÜ",
        "base_currency": "EUR",
        "active_currencies": ["EUR", "USD", "GBP"],
    }


def test_rate_limit_429_and_window_reset(scoro_sandbox_factory):
    sb = scoro_sandbox_factory(size="empty", limits={"window_limit": 3, "window_seconds": 60})
    remaining = [int(call(sb, "users/list").headers["x-ratelimit-remaining"]) for _ in range(3)]
    assert remaining == [2, 1, 0]
    limited = call(sb, "users/list")
    assert limited.status_code == 429
    assert limited.json()["messages"]["error"] == ["Too many requests"]
    assert 1 <= int(limited.headers["x-ratelimit-reset"]) <= 60
    control(sb, "clock", {"advance_seconds": 60})
    assert call(sb, "users/list").status_code == 200
    control(sb, "limits", {"enabled": False})
    assert all(call(sb, "users/list").status_code == 200 for _ in range(5))


def test_daily_quota_resets_at_utc_midnight(scoro_sandbox_factory):
    start = dt.datetime(2026, 11, 20, 23, 59, 0, tzinfo=dt.UTC)
    sb = scoro_sandbox_factory(
        size="empty", clock=lambda: start, limits={"daily_limit": 2, "window_limit": 100}
    )
    assert call(sb, "users/list").headers["x-daily-requests-reset"] == "60"
    call(sb, "users/list")
    limited = call(sb, "users/list")
    assert limited.status_code == 429 and limited.headers["x-daily-requests-remaining"] == "0"
    control(sb, "clock", {"advance_seconds": 61})
    assert call(sb, "users/list").status_code == 200


def test_fault_5xx_before_and_after_commit(scoro_sandbox):
    sb = scoro_sandbox
    control(sb, "faults", {"type": "5xx", "status": 502, "module": "products", "action": "modify"})
    response = call(sb, "products/modify", request={"name": "Lost"})
    assert response.status_code == 502 and "text/html" in response.headers["content-type"]
    assert call(sb, "products/list", filter={"name": "Lost"}).json()["data"] == []
    control(sb, "faults", {"type": "5xx", "phase": "after", "count": 1})
    assert call(sb, "products/modify", request={"name": "Kept"}).status_code == 503
    assert len(call(sb, "products/list", filter={"name": "Kept"}).json()["data"]) == 1
    assert control(sb, "stats", method="GET")["faults"] == {"5xx": 2}


def test_fault_drop_after_commit(scoro_sandbox):
    sb = scoro_sandbox
    control(sb, "faults", {"type": "drop", "module": "contacts", "action": "modify"})
    with pytest.raises(requests.ConnectionError):
        call(sb, "contacts/modify", request={"name": "Ghost Ltd"})
    rows = call(sb, "contacts/list", filter={"name": "Ghost Ltd"}).json()["data"]
    assert len(rows) == 1  # the write committed although no answer came
    assert call(sb, "contacts/list").status_code == 200  # one-shot
    stats = control(sb, "stats", method="GET")
    assert stats["requests"]["contacts/modify"] == {"dropped": 1}
    assert stats["faults"] == {"drop": 1}


def test_fault_slow_429_and_probability(scoro_sandbox):
    sb = scoro_sandbox
    control(
        sb,
        "faults",
        {
            "faults": [
                {"type": "slow", "seconds": 0.4, "module": "users"},
                {"type": "429", "module": "vatCodes", "count": 2},
            ]
        },
    )
    started = time.monotonic()
    assert call(sb, "users/list").status_code == 200
    assert time.monotonic() - started >= 0.4
    assert [call(sb, "vatCodes/list").status_code for _ in range(3)] == [429, 429, 200]
    control(sb, "faults", {"clear": True, "type": "5xx", "count": None, "probability": 0.5})
    codes = [call(sb, "users/list").status_code for _ in range(40)]
    assert 5 < codes.count(503) < 35
    control(sb, "faults", {"clear": True})
    assert control(sb, "faults", method="GET")["active"] == []


def test_stats_and_reset(scoro_sandbox):
    sb = scoro_sandbox
    call(sb, "invoices/list")
    call(sb, "invoices/view/999999")
    call(sb, "contacts/list", company_account_id="nope")
    stats = control(sb, "stats", method="GET")
    assert stats["requests"]["invoices/list"] == {"200": 1}
    assert stats["requests"]["invoices/view"] == {"404": 1}
    assert stats["requests"]["contacts/list"] == {"401": 1}
    assert stats["objects"]["acme_ee"]["invoices"] == 6
    call(sb, "invoices/modify", request={"company_id": 1, "lines": []})
    control(sb, "reset", {})
    stats = control(sb, "stats", method="GET")
    assert stats["requests_total"] == 0 and stats["objects"]["acme_ee"]["invoices"] == 6
    control(sb, "reset", {"size": "empty"})
    assert control(sb, "stats", method="GET")["objects"]["acme_ee"] == {}


def test_edit_as_scoro_user(scoro_sandbox):
    sb = scoro_sandbox
    inv = call(sb, "invoices/list").json()["data"][0]
    control(sb, "clock", {"advance_seconds": 120})
    edited = control(
        sb,
        "edit",
        {
            "company_account_id": "acme_ee",
            "module": "invoices",
            "id": inv["id"],
            "changes": {"deadline": "2026-12-31"},
        },
    )
    assert edited["record"]["deadline"] == "2026-12-31"
    assert edited["record"]["modified_date"] > inv["modified_date"]
    made = control(
        sb,
        "create",
        {
            "company_account_id": "acme_us",
            "module": "contacts",
            "data": {"name": "Cape Cod Crafts", "is_client": 1},
        },
    )
    rows = call(sb, "contacts/list", company_account_id="acme_us").json()["data"]
    assert made["id"] in [r["contact_id"] for r in rows]
    bad = requests.post(
        f"{sb.url}/_sandbox/edit",
        json={"module": "invoices", "id": 999999, "changes": {}},
        timeout=5,
    )
    assert bad.status_code == 404 and "error" in bad.json()


def test_seed_sizes_and_determinism(scoro_sandbox_factory):
    empty = ScoroSandbox(size="empty")
    assert empty.store.counts()["acme_ee"] == {}
    small = ScoroSandbox(size="small").store.counts()["acme_ee"]
    assert small["invoices"] == 2 and "bills" not in small
    big = ScoroSandbox(seed=7, size="demo+extra_invoices=40+extra_contacts=5")
    again = ScoroSandbox(seed=7, size={"base": "demo", "extra_invoices": 40, "extra_contacts": 5})
    assert big.store.counts()["acme_ee"]["invoices"] == 46
    a = [r["company_id"] for r in big.store.table("acme_ee", "invoices").values()]
    b = [r["company_id"] for r in again.store.table("acme_ee", "invoices").values()]
    assert a == b
    with pytest.raises(ValueError):
        ScoroSandbox(size="huge")


def test_large_seed_lists_fast(scoro_sandbox_factory):
    sb = scoro_sandbox_factory(size="large", limits={"window_limit": 10_000})
    rows = call(sb, "invoices/list", per_page=100, page=3).json()["data"]
    assert len(rows) == 100


def test_data_file_survives_restart(tmp_path):
    path = tmp_path / "scoro.json"
    first = ScoroSandbox(data_file=path)
    first.start()
    try:
        made = call(first, "products/modify", request={"name": "Persisted", "price": "1.10"})
        pid = made.json()["data"]["product_id"]
    finally:
        first.stop()
    second = ScoroSandbox(data_file=path)
    second.start()
    try:
        view = call(second, f"products/view/{pid}").json()["data"]
        assert view["name"] == "Persisted" and view["price"] == 1.1
        assert len(call(second, "files/list").json()["data"]) == 2
    finally:
        second.stop()


def test_cli_prints_listening_line(capsys):
    stop = threading.Event()
    result: list[int] = []
    thread = threading.Thread(
        target=lambda: result.append(main_scoro(["--port", "0", "--size", "small"], stop=stop))
    )
    thread.start()
    try:
        deadline = time.monotonic() + 10
        out = ""
        while "company account ids" not in out and time.monotonic() < deadline:
            time.sleep(0.05)
            out += capsys.readouterr().out
        lines = out.splitlines()
        assert lines[0].startswith("scoro sandbox listening on http://127.0.0.1:")
        assert sum("listening on" in line for line in lines) == 1
        url = lines[0].rsplit(" ", 1)[1]
        assert requests.get(f"{url}/_sandbox/credentials", timeout=5).status_code == 200
        assert "acme_ee" in lines[2]
    finally:
        stop.set()
        thread.join(10)
    assert result == [0]
