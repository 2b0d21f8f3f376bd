"""Shared set-up for the QuickBooks connector contract tests (real HTTP to the sandbox):
connections and gateways on the `qbo_sandbox` fixture, and its control plane."""

from __future__ import annotations

from types import SimpleNamespace

import requests

from qbsync_desktop.quickbooks import (
    QuickBooksApi,
    QuickBooksEndpoints,
    QuickBooksGateway,
    QuickBooksOAuth,
    QuickBooksTransport,
    TokenManager,
)
from qbsync_desktop.quickbooks.ratebudget import RateBudget
from qbsync_desktop.secrets import MemorySecretStore

CONNECTION = "conn-1"
REDIRECT_URI = "http://localhost:8765/callback"


def connect(sandbox, realm: str | None = None, **transport_options):
    """OAuth, tokens, transport and API for `realm`, built as sync/wiring.py builds them, with
    the refresh token in a fresh memory store."""
    realm = realm or sandbox.realm_ids[0]
    store = MemorySecretStore()
    tokens = sandbox.issue_tokens(realm)
    store.set(CONNECTION, "qbo_refresh_token", tokens["refresh_token"])
    transport_options.setdefault("rate", RateBudget(per_minute=10**6, per_second=10**6,
                                                    batch_per_minute=10**6))  # fmt: skip
    transport_options.setdefault("throttle_wait", 0.05)
    transport_options.setdefault("backoff_base", 0.01)
    endpoints = QuickBooksEndpoints.local(sandbox.url)
    oauth = QuickBooksOAuth(endpoints, sandbox.client_id, sandbox.client_secret, REDIRECT_URI)
    tokens = TokenManager(oauth, store, CONNECTION, realm_id=str(realm))
    transport = QuickBooksTransport(endpoints, str(realm), tokens, **transport_options)
    return SimpleNamespace(
        oauth=oauth, tokens=tokens, transport=transport, api=QuickBooksApi(transport), store=store
    )


def gateway(sandbox, realm: str | None = None, **transport_options) -> QuickBooksGateway:
    conn = connect(sandbox, realm, **transport_options)
    # Time passes for both: a test that moves the sandbox's clock moves ours with it.
    gw = QuickBooksGateway.open(conn.api, now=sandbox.clock.now)
    gw.conn = conn  # type: ignore[attr-defined]
    return gw


def control(sandbox, method: str, path: str, body=None):
    response = requests.request(method, f"{sandbox.url}/_sandbox/{path}", json=body, timeout=10)
    response.raise_for_status()
    return response.json()


def stats(sandbox) -> dict:
    return control(sandbox, "GET", "stats")


def count_requests(sandbox, key: str) -> int:
    return sum(int(n) for n in (stats(sandbox)["requests"].get(key) or {}).values())
