"""Scoro transport contract over real HTTP against the sandbox: envelopes, errors, retries,
the rate budget and the daily quota, and the API key never leaking."""

from __future__ import annotations

import logging
from decimal import Decimal

import pytest
import requests

from qbsync_desktop import jsonio
from qbsync_desktop.domain.errors import (
    AuthenticationFailed,
    NotFound,
    QuotaExhausted,
    RateLimited,
    RecordRejected,
    ServiceUnavailable,
)
from qbsync_desktop.scoro.api import ScoroApi
from qbsync_desktop.scoro.transport import ScoroTransport, error_messages

CID = "acme_ee"


@pytest.fixture
def sb(scoro_site):
    scoro_site.behaviour.update({"error_transport": "mixed"})
    scoro_site.limits.update({"enabled": True, "window_limit": 60, "daily_limit": 50_000})
    return scoro_site


def control(sb, name, body):
    r = requests.post(f"{sb.url}/_sandbox/{name}", json=body, timeout=5)
    assert r.status_code == 200, r.text
    return r.json()


def make(sb, key=None, **kw):
    sleeps: list[float] = []
    kw.setdefault("sleep", lambda s: (sleeps.append(s), sb.clock.advance(s)))
    transport = ScoroTransport(sb.url, key or sb.api_key, CID, **kw)
    return transport, sleeps


def test_ok_envelope_and_request_count(sb):
    transport, _ = make(sb)
    env = transport.call("vatCodes", "list")
    assert env["status"] == "OK" and len(env["data"]) == 4
    assert transport.request_count == 1


def test_bad_api_key_is_authentication_failed_and_key_never_shown(sb, caplog):
    caplog.set_level(logging.DEBUG)
    secret = "WrongKey_do_not_print_123"
    transport, _ = make(sb, key=secret)
    with pytest.raises(AuthenticationFailed) as info:
        transport.call("contacts", "list")
    text = f"{info.value} {info.value!r} {info.value.detail} {transport!r}"
    assert secret not in text and secret not in caplog.text
    assert "api_key=***" in repr(transport)
    assert transport.request_count == 1  # not retried


def test_wrong_company_account_is_authentication_failed(sb):
    transport = ScoroTransport(sb.url, sb.api_key, "no_such_entity")
    with pytest.raises(AuthenticationFailed):
        transport.call("contacts", "list")


def test_error_envelope_with_http_200_is_record_rejected(sb):
    control(sb, "behaviour", {"error_transport": "envelope"})
    api = ScoroApi(make(sb)[0])
    with pytest.raises(RecordRejected) as info:
        api.modify("invoices", {"company_id": 999999, "lines": []})
    assert info.value.http_status == 200 and "company_id" in info.value.message
    with pytest.raises(NotFound):
        api.view("products", 987654)


def test_http_4xx_errors(sb):
    control(sb, "behaviour", {"error_transport": "http"})
    api = ScoroApi(make(sb)[0])
    with pytest.raises(NotFound) as info:
        api.view("products", 987654)
    assert info.value.http_status == 404
    with pytest.raises(RecordRejected) as info:
        api.modify("products", {"name": ""})
    assert info.value.http_status == 400 and "name" in info.value.message


def test_429_with_headers_then_success(sb):
    control(sb, "faults", {"type": "429", "count": 2, "module": "products"})
    transport, sleeps = make(sb)
    env = transport.call("products", "list", per_page=5)
    assert env["status"] == "OK"
    assert transport.request_count == 3 and len(sleeps) == 2
    assert all(s >= 0.5 for s in sleeps)  # waited per x-ratelimit-reset / Retry-After


def test_429_that_never_clears_is_rate_limited(sb):
    control(sb, "faults", {"type": "429", "count": 50})
    transport, _ = make(sb, max_attempts=3)
    with pytest.raises(RateLimited) as info:
        transport.call("products", "list")
    assert transport.request_count == 3 and info.value.retryable


def test_daily_quota_spent_stops_cleanly(sb):
    control(sb, "limits", {"daily_limit": 3, "reset_counters": True})
    transport, _ = make(sb)
    for _ in range(3):
        transport.call("vatCodes", "list")
    with pytest.raises(QuotaExhausted) as info:
        transport.call("vatCodes", "list")
    assert "resets at" in str(info.value)
    assert transport.request_count == 3  # the spent quota was seen in the headers: not sent
    # A fresh transport (no headers seen yet) gets the 429 and stops without retrying.
    fresh, sleeps = make(sb)
    with pytest.raises(QuotaExhausted):
        fresh.call("vatCodes", "list")
    assert fresh.request_count == 1 and sleeps == []


def test_rate_budget_waits_before_the_limit(sb):
    control(sb, "limits", {"window_limit": 3, "window_seconds": 2, "reset_counters": True})
    transport, sleeps = make(sb)
    for _ in range(7):
        transport.call("vatCodes", "list")
    assert transport.request_count == 7  # no 429 was ever needed
    assert sleeps and transport.budget.waited > 0
    assert "429" not in str(control_stats(sb))


def control_stats(sb):
    return requests.get(f"{sb.url}/_sandbox/stats", timeout=5).json()["requests"]


def test_5xx_is_retried_then_succeeds(sb):
    control(sb, "faults", {"type": "5xx", "count": 2, "status": 503})
    transport, sleeps = make(sb)
    assert transport.call("vatCodes", "list")["status"] == "OK"
    assert transport.request_count == 3 and len(sleeps) == 2


def test_5xx_that_persists_is_service_unavailable(sb):
    control(sb, "faults", {"type": "5xx", "count": 20, "status": 502})
    transport, _ = make(sb, max_attempts=3)
    with pytest.raises(ServiceUnavailable) as info:
        transport.call("vatCodes", "list")
    assert info.value.http_status == 502 and transport.request_count == 3


def test_write_is_not_replayed_after_a_dropped_answer(sb):
    control(sb, "faults", {"type": "drop", "module": "products", "action": "modify"})
    api = ScoroApi(make(sb)[0])
    with pytest.raises(ServiceUnavailable) as info:
        api.modify("products", {"name": "Dropped once"})
    assert getattr(info.value, "maybe_committed", False)
    assert api.request_count == 1
    names = [p["name"] for p in api.list_all("products", {"name": "Dropped once"})]
    assert names == ["Dropped once"]  # committed exactly once


def test_connection_refused_is_service_unavailable():
    transport = ScoroTransport("http://127.0.0.1:9", "k", CID, sleep=lambda s: None, max_attempts=2)
    with pytest.raises(ServiceUnavailable):
        transport.call("contacts", "list")
    assert transport.request_count == 2


@pytest.mark.parametrize("url", ["http://acme.scoro.com", "ftp://acme.scoro.com", "acme"])
def test_https_is_required_except_loopback(url):
    with pytest.raises(ValueError):
        ScoroTransport(url, "k", CID)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:5000",
        "http://localhost/api/v2",
        "http://[::1]:8080/",
        "https://acme.scoro.com/api/v2/",
    ],
)
def test_accepted_site_urls(url):
    t = ScoroTransport(url, "k", CID)
    assert not t.api_base.endswith("/api/v2/api/v2") and t.api_base.endswith("/api/v2")


def test_tls_verification_cannot_be_turned_off():
    seen = {}

    class Session(requests.Session):
        def request(self, method, url, **kw):
            seen.update(kw)
            raise requests.ConnectTimeout("no network in this test")

    session = Session()
    session.verify = False
    transport = ScoroTransport(
        "https://acme.scoro.com", "k", CID, session=session, sleep=lambda s: None, max_attempts=1
    )
    with pytest.raises(ServiceUnavailable):
        transport.call("contacts", "list")
    assert seen["verify"] is True and seen["timeout"] == (5, 30)


@pytest.mark.parametrize(
    "doc,expected",
    [
        ({"messages": {"error": ["event_id is required"]}}, ["event_id is required"]),
        ({"messages": {"error": "Bad things"}}, ["Bad things"]),
        (
            {"messages": {"error": {"event_id": "is required", "user_id": ["is required"]}}},
            ["event_id: is required", "user_id: is required"],
        ),
        ({"messages": None, "errors": ["x"]}, ["x"]),
    ],
)
def test_error_message_shapes(doc, expected):
    assert error_messages(doc) == expected


def test_a_float_is_refused_before_anything_is_sent(sb):
    """Both connectors share one exact JSON codec: 0.1 as a float is already off by a fraction
    of a cent, so it never leaves the app; Decimal goes out with its exact digits."""
    transport, _ = make(sb)
    with pytest.raises(TypeError, match="Decimal"):
        transport.call("vatCodes", "list", request={"amount": 0.1})
    assert transport.request_count == 0
    assert jsonio.dumps({"amount": Decimal("0.10"), "name": "Müller ÖÜ"}) == (
        '{"amount":0.10,"name":"M\\u00fcller \\u00d6\\u00dc"}'
    )
