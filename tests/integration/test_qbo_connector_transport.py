"""Transport and API contract against the sandbox: retries, refresh, typed errors, replay."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qbsync_desktop.domain.errors import (
    AuthenticationFailed,
    NotFound,
    RateLimited,
    RecordRejected,
    ServiceUnavailable,
    StaleObject,
)
from qbsync_desktop.quickbooks.api import quote
from qbsync_desktop.quickbooks.faults import parse_error_body
from qbsync_desktop.quickbooks.ratebudget import RateBudget
from tests.support.qbo_connector import connect, control, count_requests


def _customer(api, name: str) -> dict:
    return api.create("Customer", {"DisplayName": name})


def test_401_mid_run_refreshes_once_then_succeeds(qbo_sandbox):
    conn = connect(qbo_sandbox)
    conn.api.company_info()
    control(qbo_sandbox, "POST", "faults", {"type": "expire_access_token"})
    before = conn.transport.request_count
    assert conn.api.company_info()["CompanyName"]
    assert conn.tokens.refresh_count == 2  # the first access token, then the one after 401
    assert conn.transport.request_count == before + 2


def test_429_xml_is_retried_then_succeeds(qbo_sandbox):
    conn = connect(qbo_sandbox)
    control(qbo_sandbox, "POST", "faults", {"type": "throttle", "count": 2})
    assert conn.api.company_info()
    assert conn.transport.request_count == 3


def test_429_that_persists_becomes_rate_limited(qbo_sandbox):
    conn = connect(qbo_sandbox, max_retries=1)
    control(qbo_sandbox, "POST", "faults", {"type": "throttle", "count": 5})
    with pytest.raises(RateLimited) as info:
        conn.api.company_info()
    assert info.value.code == "3001" and info.value.tid


def test_5xx_is_retried(qbo_sandbox):
    conn = connect(qbo_sandbox)
    control(qbo_sandbox, "POST", "faults", {"type": "system_error", "count": 2, "status": 503})
    assert conn.api.company_info()
    conn2 = connect(qbo_sandbox, max_retries=0)
    control(qbo_sandbox, "POST", "faults", {"type": "system_error", "count": 1})
    with pytest.raises(ServiceUnavailable):
        conn2.api.company_info()


def drop_next_customer_answer(sandbox) -> None:
    """The next customer create is committed, then its connection dropped before the answer."""
    control(
        sandbox,
        "POST",
        "faults",
        {"type": "drop_after_commit", "path": "/customer", "method": "POST"},
    )


def test_write_dropped_after_commit_is_replayed_not_duplicated(qbo_sandbox):
    conn = connect(qbo_sandbox)
    drop_next_customer_answer(qbo_sandbox)
    created = conn.api.create("Customer", {"DisplayName": "Replay Ltd"}, requestid="rid-replay-1")
    rows = conn.api.query("SELECT * FROM Customer WHERE DisplayName = 'Replay Ltd'")
    assert [r["Id"] for r in rows["Customer"]] == [created["Id"]]
    assert conn.transport.request_count == 3  # dropped write, its replay, the query
    assert control(qbo_sandbox, "GET", "stats")["replays"] == 1


def test_write_without_requestid_still_gets_one(qbo_sandbox):
    conn = connect(qbo_sandbox)
    drop_next_customer_answer(qbo_sandbox)
    conn.api.create("Customer", {"DisplayName": "No Rid Ltd"})
    rows = conn.api.query("SELECT * FROM Customer WHERE DisplayName = 'No Rid Ltd'")
    assert len(rows["Customer"]) == 1


def test_stale_synctoken_is_stale_object(qbo_sandbox):
    conn = connect(qbo_sandbox)
    obj = _customer(conn.api, "Stale Co")
    conn.api.update("Customer", {"Id": obj["Id"], "SyncToken": obj["SyncToken"], "Notes": "a"})
    with pytest.raises(StaleObject) as info:
        conn.api.update("Customer", {"Id": obj["Id"], "SyncToken": obj["SyncToken"], "Notes": "b"})
    assert info.value.code == "5010" and info.value.tid


def test_duplicate_display_name_is_rejected_6240(qbo_sandbox):
    conn = connect(qbo_sandbox)
    _customer(conn.api, "Twin Name")
    with pytest.raises(RecordRejected) as info:
        conn.api.create("Vendor", {"DisplayName": "Twin Name"})
    assert info.value.code == "6240"
    assert not isinstance(info.value, StaleObject)


def test_missing_object_and_bad_query(qbo_sandbox):
    conn = connect(qbo_sandbox)
    with pytest.raises(NotFound):
        conn.api.read("Customer", "999999")
    with pytest.raises(RecordRejected) as info:
        conn.api.query("SELECT * FROM Customer WHERE DisplayName = 'unterminated")
    assert info.value.code.startswith("40")


def test_auth_failure_after_refresh_is_authentication_failed(qbo_sandbox):
    conn = connect(qbo_sandbox)

    class BadTokens:
        def access_token(self):
            return "not-a-token-at-all"

        def force_refresh(self, stale=None):
            return "still-not-a-token"

    conn.transport.tokens = BadTokens()
    with pytest.raises(AuthenticationFailed):
        conn.api.company_info()


def test_error_bodies_parsed_by_status():
    xml = (
        b'<?xml version="1.0"?><IntuitResponse xmlns="http://schema.intuit.com/finance/v3">'
        b'<Fault type="SERVICE"><Error code="3001"><Message>message=ThrottleExceeded; '
        b"errorCode=003001; statusCode=429</Message><Detail>The request limit was reached."
        b"</Detail></Error></Fault></IntuitResponse>"
    )
    assert parse_error_body(429, "application/xml", xml).first.code == "3001"
    lower = (
        b'{"fault":{"error":[{"message":"message=AuthenticationFailed; errorCode=003200",'
        b'"detail":"Malformed bearer token","code":"3200"}],"type":"AUTHENTICATION"}}'
    )
    assert parse_error_body(401, "application/json", lower).first.code == "3200"
    html = b"<html><body><h1>413 Request Entity Too Large</h1></body></html>"
    assert parse_error_body(413, "text/html", html).first.code == "413"
    assert parse_error_body(502, "text/html", b"<html>bad gateway</html>") is None


def test_rate_budget_waits_instead_of_exceeding():
    now = [0.0]
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        now[0] += seconds

    budget = RateBudget(per_minute=500, per_second=10, batch_per_minute=40,
                        clock=lambda: now[0], sleep=sleep, margin=0)  # fmt: skip
    for _ in range(25):
        budget.acquire()
    assert now[0] >= 2.0  # 25 requests at 10/s need two full extra seconds
    for _ in range(45):
        budget.acquire(batch=True)
    assert now[0] >= 60.0  # the 41st batch request waits for the minute window


def test_rate_budget_counts_a_slow_request_from_its_answer():
    # A request may reach Intuit any time before its answer comes back; counting it from when
    # it was sent would let the next window's first request arrive less than a second later.
    now = [0.0]

    def sleep(seconds):
        now[0] += seconds

    budget = RateBudget(per_minute=500, per_second=2, batch_per_minute=40,
                        clock=lambda: now[0], sleep=sleep, margin=0)  # fmt: skip
    budget.acquire()
    now[0] += 0.4  # the answer took 400 ms
    budget.settle()
    budget.acquire()
    budget.settle()
    budget.acquire()  # third request: the first counts until 0.4 + 1.0
    assert now[0] == pytest.approx(1.4)


def test_rate_budget_keeps_sandbox_from_throttling(qbo_sandbox_factory):
    sandbox = qbo_sandbox_factory(size="demo", limits={"per_second": 5})
    conn = connect(sandbox, rate=RateBudget(per_minute=500, per_second=5, batch_per_minute=40))
    for _ in range(12):
        conn.api.preferences()
    assert control(sandbox, "GET", "stats").get("throttled", 0) == 0


# Names QuickBooks accepts: no control characters, no ":" (a name separator), trimmed.
_name_chars = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters=":")
_names = st.text(_name_chars, min_size=1, max_size=30).map(str.strip).filter(bool)


@pytest.fixture(scope="module")
def shared_conn():
    from qbsync_desktop.sandbox.quickbooks import QuickBooksSandbox
    from tests.fixtures.qbo_sandbox import TEST_LIMITS

    sandbox = QuickBooksSandbox(size="empty", limits=dict(TEST_LIMITS))
    sandbox.start()
    yield connect(sandbox)
    sandbox.stop()


_tricky = st.sampled_from(["O'Brien", "a\\b", "\\'", "''", "Ünïcødé ✓", "\\", "x\\'y'"])


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.one_of(_names, _tricky), suffix=st.uuids())
def test_query_escaping_round_trips(shared_conn, name, suffix):
    # The suffix keeps names unique (DisplayName is unique ignoring case) while the generated
    # part still sits at the start, where a broken escape would end the literal.
    display = f"{name} {suffix.hex[:8]}"
    created = shared_conn.api.create("Customer", {"DisplayName": display})
    rows = shared_conn.api.query(
        f"SELECT * FROM Customer WHERE DisplayName = {quote(display)}"
    ).get("Customer")
    assert [r["Id"] for r in rows] == [created["Id"]]
    assert rows[0]["DisplayName"] == display


def test_money_is_decimal_end_to_end(qbo_sandbox):
    conn = connect(qbo_sandbox)
    accounts = conn.api.query("SELECT * FROM Account WHERE AccountType = 'Income'")["Account"]
    item = conn.api.create(
        "Item",
        {
            "Name": "Precise",
            "Type": "Service",
            "UnitPrice": Decimal("0.1"),
            "IncomeAccountRef": {"value": accounts[0]["Id"]},
        },
    )
    assert item["UnitPrice"] == Decimal("0.1") and isinstance(item["UnitPrice"], Decimal)
    assert count_requests(qbo_sandbox, "POST item") >= 1
