"""Intuit OAuth as the sandbox plays it (docs/sandbox.md)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import requests

CALLBACK = "http://localhost:53682/callback"
SCOPE = "com.intuit.quickbooks.accounting openid"


def _authorize(sb, action="connect", realm=None, redirect_uri=CALLBACK, client_id=None):
    params = {
        "client_id": client_id or sb.client_id,
        "response_type": "code",
        "scope": SCOPE,
        "redirect_uri": redirect_uri,
        "state": "s-123",
    }
    page = requests.get(f"{sb.url}/connect/oauth2", params=params, timeout=10)
    if page.status_code != 200:
        return page, None
    assert "Connect" in page.text and "Cancel" in page.text
    realms = re.findall(r'name="realmId" value="(\d+)"', page.text)
    assert realms == sb.realm_ids
    form = dict(params, action=action, realmId=realm or realms[0])
    res = requests.post(f"{sb.url}/connect/oauth2", data=form, allow_redirects=False, timeout=10)
    assert res.status_code == 302
    location = res.headers["Location"]
    assert location.startswith(redirect_uri)
    return res, {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def _token(sb, **form):
    return requests.post(
        f"{sb.url}/oauth2/v1/tokens/bearer",
        data=form,
        auth=(sb.client_id, sb.client_secret),
        headers={"Accept": "application/json"},
        timeout=10,
    )


def test_code_flow_single_use_code(qbo_sandbox):
    sb = qbo_sandbox
    _, params = _authorize(sb, realm=sb.realm_ids[1])
    assert params["state"] == "s-123" and params["realmId"] == sb.realm_ids[1]
    assert len(params["code"]) <= 512
    res = _token(sb, grant_type="authorization_code", code=params["code"], redirect_uri=CALLBACK)
    assert res.status_code == 200, res.text
    assert res.headers["intuit_tid"]
    tokens = res.json()
    assert tokens["token_type"] == "bearer" and tokens["expires_in"] == 3600
    assert tokens["x_refresh_token_expires_in"] == 8726400 and "id_token" in tokens
    api = requests.get(
        f"{sb.url}/v3/company/{sb.realm_ids[1]}/preferences",
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
        timeout=10,
    )
    assert api.status_code == 200
    again = _token(sb, grant_type="authorization_code", code=params["code"], redirect_uri=CALLBACK)
    assert again.status_code == 400 and again.text == '{"error":"invalid_grant"}'
    # the second exchange also poisons the tokens the first one issued (oauth-jsclient#173)
    refresh = _token(sb, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert refresh.status_code == 400


def test_cancel_unknown_client_and_bad_redirect(qbo_sandbox):
    sb = qbo_sandbox
    _, params = _authorize(sb, action="cancel")
    assert params == {"error": "access_denied", "state": "s-123"}
    page, _ = _authorize(sb, client_id="nobody")
    assert page.status_code == 400
    page, _ = _authorize(sb, redirect_uri="https://evil.example/callback")
    assert page.status_code == 400
    requests.post(
        f"{sb.url}/_sandbox/redirect_uris",
        json={"redirect_uris": ["https://app.example/cb"]},
        timeout=10,
    )
    _, params = _authorize(sb, redirect_uri="https://app.example/cb")
    assert "code" in params
    _, params = _authorize(sb, redirect_uri="http://127.0.0.1:40123/callback")
    assert "code" in params
    bad = requests.post(
        f"{sb.url}/oauth2/v1/tokens/bearer",
        auth=(sb.client_id, "wrong"),
        data={"grant_type": "refresh_token", "refresh_token": "x"},
        timeout=10,
    )
    assert bad.status_code == 401


def test_refresh_rotation_and_grace(qbo_sandbox):
    sb = qbo_sandbox
    first = sb.issue_tokens(sb.realm_ids[0])
    same = _token(sb, grant_type="refresh_token", refresh_token=first["refresh_token"]).json()
    assert same["refresh_token"] == first["refresh_token"]  # no rotation within 24 h
    requests.post(f"{sb.url}/_sandbox/clock", json={"advance_seconds": 25 * 3600}, timeout=10)
    rotated = _token(sb, grant_type="refresh_token", refresh_token=first["refresh_token"]).json()
    assert rotated["refresh_token"] != first["refresh_token"]
    # the previous value keeps working for 24 h, then invalid_grant
    old = _token(sb, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert old.status_code == 200 and old.json()["refresh_token"] == rotated["refresh_token"]
    requests.post(f"{sb.url}/_sandbox/clock", json={"advance_seconds": 24 * 3600 + 1}, timeout=10)
    old = _token(sb, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert old.status_code == 400 and old.json() == {"error": "invalid_grant"}
    assert (
        _token(sb, grant_type="refresh_token", refresh_token=rotated["refresh_token"]).status_code
        == 200
    )


def test_rotate_every_time_switch_and_revoke(qbo_sandbox_factory):
    sb = qbo_sandbox_factory(size="empty", settings={"rotate_refresh_every_time": True})
    tokens = sb.issue_tokens(sb.realm_ids[0])
    new = _token(sb, grant_type="refresh_token", refresh_token=tokens["refresh_token"]).json()
    assert new["refresh_token"] != tokens["refresh_token"]
    res = requests.post(
        f"{sb.url}/oauth2/v1/tokens/revoke",
        json={"token": new["refresh_token"]},
        auth=(sb.client_id, sb.client_secret),
        timeout=10,
    )
    assert res.status_code == 200
    assert (
        _token(sb, grant_type="refresh_token", refresh_token=new["refresh_token"]).status_code
        == 400
    )
    api = requests.get(
        f"{sb.url}/v3/company/{sb.realm_ids[0]}/preferences",
        headers={"Authorization": f"Bearer {new['access_token']}"},
        timeout=10,
    )
    assert api.status_code == 401


def test_access_token_expiry_wrong_realm_and_discovery(qbo_sandbox):
    sb = qbo_sandbox
    tokens = sb.issue_tokens(sb.realm_ids[0])
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    other = requests.get(
        f"{sb.url}/v3/company/{sb.realm_ids[1]}/preferences", headers=headers, timeout=10
    )
    assert other.status_code == 403 and other.json()["Fault"]["Error"][0]["code"] == "3100"
    requests.post(f"{sb.url}/_sandbox/clock", json={"advance_seconds": 3601}, timeout=10)
    expired = requests.get(
        f"{sb.url}/v3/company/{sb.realm_ids[0]}/preferences", headers=headers, timeout=10
    )
    assert expired.status_code == 401
    assert expired.json()["fault"]["error"][0]["code"] == "3200"
    doc = requests.get(f"{sb.url}/.well-known/openid_configuration", timeout=10).json()
    assert doc["token_endpoint"] == f"{sb.url}/oauth2/v1/tokens/bearer"
    assert doc["authorization_endpoint"] == f"{sb.url}/connect/oauth2"
    assert doc["revocation_endpoint"] == f"{sb.url}/oauth2/v1/tokens/revoke"
