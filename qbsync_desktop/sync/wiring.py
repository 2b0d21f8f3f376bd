"""Builds each side's gateway for a connection from the store and the secret store.

The only place that knows the connectors' constructors, so the engine and the service stay
independent of how a side is reached.
"""

from __future__ import annotations

from ..domain.errors import ReconnectNeeded
from ..quickbooks.api import QuickBooksApi
from ..quickbooks.endpoints import QuickBooksEndpoints
from ..quickbooks.gateway import QuickBooksGateway
from ..quickbooks.oauth import QuickBooksOAuth
from ..quickbooks.tokens import REFRESH_TOKEN_NAME, TokenManager
from ..quickbooks.transport import QuickBooksTransport
from ..scoro.api import ScoroApi
from ..scoro.gateway import ScoroGateway
from ..scoro.transport import ScoroTransport
from ..store import models as m

# Names under which secrets are kept in the keyring (not the secrets themselves).
SCORO_API_KEY = "scoro_api_key"
QBO_CLIENT_SECRET = "qbo_client_secret"  # noqa: S105


def connection_key(connection_id: int) -> str:
    return f"connection-{connection_id}"


def endpoints_for(environment: str, local_base_url: str = "") -> QuickBooksEndpoints:
    if environment == "local":
        return QuickBooksEndpoints.local(local_base_url)
    if environment == "intuit_sandbox":
        return QuickBooksEndpoints.intuit_sandbox()
    return QuickBooksEndpoints.production()


def scoro_gateway(
    site_url: str,
    api_key: str,
    company_account_id: str,
    base_currency: str = "",
    *,
    now=None,
    **options,
) -> ScoroGateway:
    # options: ScoroTransport keyword arguments (timeout, max_attempts, backoff, max_wait).
    transport = ScoroTransport(site_url, api_key, company_account_id, **options)
    return ScoroGateway(
        ScoroApi(transport),
        company_account_id=company_account_id,
        base_currency=base_currency,
        now=now,
    )


class Wiring:
    """Gateways of one connection, with the token manager kept for its lifetime."""

    def __init__(self, conn: m.Connection, secrets, options: dict | None = None) -> None:
        # options: {"quickbooks": {...}, "scoro": {...}} transport keyword arguments
        # (timeouts, retry waits, rate budget); tests and benchmarks tune them.
        options = options or {}
        key = connection_key(conn.id)
        api_key = secrets.get(key, SCORO_API_KEY)
        client_secret = secrets.get(key, QBO_CLIENT_SECRET) or ""
        if not secrets.get(key, REFRESH_TOKEN_NAME):
            raise ReconnectNeeded(
                "QuickBooks is not authorized for this connection (no saved sign-in). "
                "Choose Reconnect and authorize again.",
                side="quickbooks",
            )
        if not api_key:
            raise ReconnectNeeded(
                "The Scoro API key for this connection is missing from the keyring. "
                "Choose Reconnect and enter it again.",
                side="scoro",
            )
        self.endpoints = endpoints_for(conn.environment, conn.qbo_api_base)
        self.oauth = QuickBooksOAuth(
            self.endpoints,
            conn.qbo_client_id,
            client_secret,
            conn.redirect_uri or "http://localhost/callback",
        )
        self.tokens = TokenManager(self.oauth, secrets, key, realm_id=conn.qbo_realm_id)
        self.qbo_transport = QuickBooksTransport(
            self.endpoints, conn.qbo_realm_id, self.tokens, **options.get("quickbooks", {})
        )
        self.qbo_api = QuickBooksApi(self.qbo_transport)
        # "clock": our own now (aware UTC), which the gateways hold cursors against; tests and
        # benchmarks that move the services' clocks forward move it with them.
        clock = options.get("clock")
        self.qbo = QuickBooksGateway(
            self.qbo_api,
            home_currency=conn.qbo_home_currency,
            multicurrency=bool(conn.qbo_multicurrency),
            now=clock,
        )
        self.scoro = scoro_gateway(
            conn.scoro_site_url,
            api_key,
            conn.scoro_company_account_id,
            conn.scoro_base_currency,
            now=clock,
            **options.get("scoro", {}),
        )

    @property
    def request_count(self) -> int:
        return self.qbo.request_count + self.scoro.request_count
