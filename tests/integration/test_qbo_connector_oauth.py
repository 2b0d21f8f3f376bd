"""OAuth against the sandbox: browser consent, loopback callback, exchange, refresh, revoke."""

from __future__ import annotations

import datetime as dt
import re
import threading
from html import unescape

import pytest
import requests

from qbsync_desktop.domain.errors import AuthenticationFailed, ReconnectNeeded
from qbsync_desktop.quickbooks import QuickBooksEndpoints, QuickBooksOAuth, TokenManager
from qbsync_desktop.quickbooks.loopback import (
    LoopbackCallbackServer,
    LoopbackCancelled,
    LoopbackTimeout,
)
from qbsync_desktop.secrets import MemorySecretStore
from tests.support.qbo_connector import CONNECTION, connect, control


def _browser_consent(authorize_url: str) -> str:
    """What the user's browser does: load the consent page, press Connect; returns where
    Intuit redirects to (the loopback callback)."""
    page = requests.get(authorize_url, timeout=10)
    assert page.status_code == 200 and 'id="connect"' in page.text
    form = dict(
        (unescape(n), unescape(v))
        for n, v in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text)
    )
    form["realmId"] = re.search(r'name="realmId" value="([^"]+)" checked', page.text).group(1)
    form["action"] = "connect"
    base = authorize_url.split("/connect/oauth2")[0]
    answer = requests.post(f"{base}/connect/oauth2", data=form, allow_redirects=False, timeout=10)
    assert answer.status_code == 302
    return answer.headers["Location"]


def test_full_flow_through_loopback(qbo_sandbox):
    server = LoopbackCallbackServer()
    oauth = QuickBooksOAuth(
        QuickBooksEndpoints.local(qbo_sandbox.url),
        qbo_sandbox.client_id,
        qbo_sandbox.client_secret,
        server.redirect_uri,
    )
    url, state = oauth.authorization_url()
    assert "response_type=code" in url and "redirect_uri=http%3A%2F%2Flocalhost" in url
    server.expect(state)

    location = _browser_consent(url)
    assert location.startswith(server.redirect_uri)
    browser = requests.get(location, timeout=10)
    assert browser.status_code == 200 and "close this window" in browser.text
    result = server.wait(timeout=5)
    tokens = oauth.exchange_code(result.url, state)
    assert tokens.realm_id in qbo_sandbox.realm_ids
    assert tokens.access_token not in repr(tokens) and tokens.refresh_token not in repr(tokens)
    assert qbo_sandbox.client_secret not in repr(oauth)

    store = MemorySecretStore()
    manager = TokenManager(oauth, store, CONNECTION, realm_id=tokens.realm_id)
    manager.adopt(tokens)
    assert store.get(CONNECTION, "qbo_refresh_token") == tokens.refresh_token
    assert manager.access_token() == tokens.access_token

    # The state is one-shot: the same callback cannot be exchanged again.
    with pytest.raises(AuthenticationFailed):
        oauth.exchange_code(result.url, state)


def test_code_reuse_is_refused(qbo_sandbox):
    oauth = QuickBooksOAuth(
        QuickBooksEndpoints.local(qbo_sandbox.url),
        qbo_sandbox.client_id,
        qbo_sandbox.client_secret,
        "http://localhost:8765/callback",
    )
    url, state = oauth.authorization_url()
    callback = _browser_consent(url)
    oauth.exchange_code(callback, state)
    _url2, state2 = oauth.authorization_url()
    replay = callback.replace(f"state={state}", f"state={state2}")
    with pytest.raises(ReconnectNeeded):
        oauth.exchange_code(replay, state2)


def test_wrong_and_replayed_state_are_refused(qbo_sandbox):
    oauth = QuickBooksOAuth(
        QuickBooksEndpoints.local(qbo_sandbox.url),
        qbo_sandbox.client_id,
        qbo_sandbox.client_secret,
        "http://localhost:8765/callback",
    )
    url, state = oauth.authorization_url()
    callback = _browser_consent(url)
    forged = callback.replace(f"state={state}", "state=forged")
    with pytest.raises(AuthenticationFailed):
        oauth.exchange_code(forged, state)
    # The state was spent by the failed attempt: the genuine callback cannot reuse it either.
    with pytest.raises(AuthenticationFailed):
        oauth.exchange_code(callback, state)
    with pytest.raises(AuthenticationFailed):
        oauth.exchange_code(callback, "never-issued")


def test_loopback_refuses_bad_state_and_times_out():
    server = LoopbackCallbackServer("expected-state")
    bad = requests.get(f"http://127.0.0.1:{server.port}/callback?code=x&state=nope", timeout=5)
    assert bad.status_code == 400
    other = requests.get(f"http://127.0.0.1:{server.port}/elsewhere", timeout=5)
    assert other.status_code == 404
    with pytest.raises(LoopbackTimeout):
        server.wait(timeout=0.2)
    cancelled = LoopbackCallbackServer("s")
    threading.Timer(0.1, cancelled.cancel).start()
    with pytest.raises(LoopbackCancelled):
        cancelled.wait(timeout=5)


def test_loopback_serves_exactly_one_callback():
    server = LoopbackCallbackServer("good-state")
    ok = requests.get(f"http://127.0.0.1:{server.port}/callback?code=c&state=good-state", timeout=5)
    assert ok.status_code == 200
    assert server.wait(timeout=2).params["code"] == "c"
    with pytest.raises(requests.ConnectionError):
        for _ in range(50):  # the server shuts down right after the first valid callback
            requests.get(f"http://127.0.0.1:{server.port}/callback?state=good-state", timeout=1)
            threading.Event().wait(0.05)


def test_refresh_rotation_is_persisted_after_25_hours(qbo_sandbox):
    conn = connect(qbo_sandbox)
    first = conn.store.get(CONNECTION, "qbo_refresh_token")
    conn.api.company_info()
    assert conn.store.get(CONNECTION, "qbo_refresh_token") == first  # no rotation before 24 h
    control(qbo_sandbox, "POST", "clock", {"advance_seconds": 25 * 3600})
    conn.api.company_info()  # the access token expired server-side: 401 -> refresh -> retry
    rotated = conn.store.get(CONNECTION, "qbo_refresh_token")
    assert rotated != first
    assert conn.tokens.refresh_count == 2


def test_revoked_refresh_token_means_reconnect(qbo_sandbox):
    conn = connect(qbo_sandbox)
    stored = conn.store.get(CONNECTION, "qbo_refresh_token")
    conn.api.company_info()
    control(qbo_sandbox, "POST", "faults", {"type": "revoke_refresh_token"})
    control(qbo_sandbox, "POST", "faults", {"type": "expire_access_token"})
    with pytest.raises(ReconnectNeeded) as info:
        conn.api.company_info()
    assert conn.store.get(CONNECTION, "qbo_refresh_token") == stored
    assert stored not in str(info.value)


def test_revoke_endpoint(qbo_sandbox):
    conn = connect(qbo_sandbox)
    token = conn.store.get(CONNECTION, "qbo_refresh_token")
    conn.oauth.revoke(token)
    conn.tokens.invalidate()
    with pytest.raises(ReconnectNeeded):
        conn.api.company_info()


def test_refresh_is_single_flight(qbo_sandbox):
    conn = connect(qbo_sandbox)
    errors = []

    def work():
        try:
            conn.api.company_info()
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert conn.tokens.refresh_count == 1


def test_endpoints_refuse_plain_http_off_loopback():
    from qbsync_desktop.quickbooks.endpoints import InsecureEndpoint

    with pytest.raises(InsecureEndpoint):
        QuickBooksEndpoints.local("http://example.com")
    assert QuickBooksEndpoints.local("http://[::1]:8080").api_base == "http://[::1]:8080/v3"
    assert QuickBooksEndpoints.production().verify is True
    assert dt.timedelta(0) == dt.timedelta(0)


def test_no_secret_reaches_the_logs(qbo_sandbox, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    conn = connect(qbo_sandbox)
    refresh = conn.store.get(CONNECTION, "qbo_refresh_token")
    conn.api.company_info()
    control(qbo_sandbox, "POST", "faults", {"type": "expire_access_token"})
    conn.api.company_info()
    text = caplog.text
    assert "intuit_tid=" in text
    for secret in (refresh, qbo_sandbox.client_secret, conn.tokens._access):
        assert secret and secret not in text


class _DictStore:
    def __init__(self):
        self.values = {}
        self.events = []

    def get(self, key, name):
        return self.values.get((key, name))

    def set(self, key, name, value):
        self.events.append(("set", value))
        self.values[(key, name)] = value

    def delete(self, key, name):
        self.values.pop((key, name), None)


def test_token_manager_writes_through_before_use_and_keeps_token_on_reconnect():
    from qbsync_desktop.quickbooks.oauth import TokenSet

    store = _DictStore()
    store.values[("c", "qbo_refresh_token")] = "rt-old-0000"

    class FakeOAuth:
        fail = False

        def refresh(self, token, realm_id=""):
            if self.fail:
                raise ReconnectNeeded("again")
            store.events.append(("refreshed", token))
            return TokenSet("at-new-0000", "rt-new-0000", 10_000.0, None, realm_id)

    oauth = FakeOAuth()
    now = [0.0]
    manager = TokenManager(oauth, store, "c", clock=lambda: now[0])
    assert manager.access_token() == "at-new-0000"
    assert store.events == [("refreshed", "rt-old-0000"), ("set", "rt-new-0000")]
    now[0] = 10_000.0 - 30  # inside the last minute: refresh early
    oauth.fail = True
    with pytest.raises(ReconnectNeeded):
        manager.access_token()
    assert store.values[("c", "qbo_refresh_token")] == "rt-new-0000"


def _pkce_flow(qbo_sandbox, *, client_pkce: bool):
    redirect = "http://localhost:8765/callback"
    oauth = QuickBooksOAuth(
        QuickBooksEndpoints.local(qbo_sandbox.url),
        qbo_sandbox.client_id,
        qbo_sandbox.client_secret,
        redirect,
        pkce=client_pkce,
    )
    url, state = oauth.authorization_url()
    return oauth, url, state, _browser_consent(url)


def test_pkce_is_a_switch_and_binds_the_code_to_this_app(qbo_sandbox):
    """Intuit does not say it supports PKCE: the app leaves it off unless asked, and the
    sandbox ignores a challenge unless switched to verify it."""
    off, url, _state, _location = _pkce_flow(qbo_sandbox, client_pkce=False)
    assert "code_challenge" not in url and off.pkce is False
    control(qbo_sandbox, "POST", "settings", {"pkce": "verify"})
    oauth, url, state, location = _pkce_flow(qbo_sandbox, client_pkce=True)
    assert "code_challenge_method=S256" in url
    # A code taken by another program, exchanged without this app's verifier: refused.
    thief = QuickBooksOAuth(
        QuickBooksEndpoints.local(qbo_sandbox.url),
        qbo_sandbox.client_id,
        qbo_sandbox.client_secret,
        "http://localhost:8765/callback",
    )
    _u, thief_state = thief.authorization_url()
    with pytest.raises(ReconnectNeeded):
        thief.exchange_code(location.replace(f"state={state}", f"state={thief_state}"), thief_state)
    # The app's own exchange of a fresh code, with its verifier: accepted.
    oauth, url, state, location = _pkce_flow(qbo_sandbox, client_pkce=True)
    tokens = oauth.exchange_code(location, state)
    assert tokens.realm_id in qbo_sandbox.realm_ids
