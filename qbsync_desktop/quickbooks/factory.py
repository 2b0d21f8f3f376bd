"""Wiring: from (endpoints, realm, app keys, secret store) to a ready gateway."""

from __future__ import annotations

from dataclasses import dataclass

from .api import QboApi
from .endpoints import QboEndpoints
from .gateway import QuickBooksGateway
from .oauth import QboOAuth
from .tokens import SecretStoreLike, TokenManager
from .transport import QboTransport

DEFAULT_REDIRECT_URI = "http://localhost:8765/callback"


@dataclass
class QboConnection:
    oauth: QboOAuth
    tokens: TokenManager
    transport: QboTransport
    api: QboApi


def build_connection(
    endpoints: QboEndpoints,
    realm_id: str,
    client_id: str,
    client_secret: str,
    secrets: SecretStoreLike,
    connection_key: str,
    *,
    redirect_uri: str = DEFAULT_REDIRECT_URI,
    **transport_options,
) -> QboConnection:
    """Everything below the gateway. The refresh token must already be in `secrets` under
    (connection_key, "qbo_refresh_token") (the connect wizard puts it there)."""
    oauth = QboOAuth(endpoints, client_id, client_secret, redirect_uri)
    tokens = TokenManager(oauth, secrets, connection_key, realm_id=str(realm_id))
    transport = QboTransport(endpoints, str(realm_id), tokens, **transport_options)
    return QboConnection(oauth, tokens, transport, QboApi(transport))


def build_gateway(
    endpoints: QboEndpoints,
    realm_id: str,
    client_id: str,
    client_secret: str,
    secrets: SecretStoreLike,
    connection_key: str,
    *,
    home_currency: str | None = None,
    multicurrency: bool | None = None,
    country: str = "",
    redirect_uri: str = DEFAULT_REDIRECT_URI,
    **transport_options,
) -> QuickBooksGateway:
    """A gateway; when the currency settings are not given they are read from the company."""
    conn = build_connection(
        endpoints,
        realm_id,
        client_id,
        client_secret,
        secrets,
        connection_key,
        redirect_uri=redirect_uri,
        **transport_options,
    )
    if home_currency is None or multicurrency is None:
        return QuickBooksGateway.open(conn.api)
    return QuickBooksGateway(
        conn.api, home_currency=home_currency, multicurrency=multicurrency, country=country
    )
