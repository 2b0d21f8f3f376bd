"""intuit-oauth against the sandbox: code exchange, refresh, user info and revoke (openid)."""

import pytest
import requests
from conftest import connect, new_auth_client
from intuitlib.exceptions import AuthClientError


def test_code_exchange_with_openid_validates_the_id_token(sandbox):
    """get_bearer_token validates the RS256 id_token against the discovery jwks_uri."""
    auth = connect(sandbox)
    assert auth.access_token
    assert auth.refresh_token
    assert auth.realm_id == sandbox.realm_id
    assert auth.expires_in == 3600
    assert auth.x_refresh_token_expires_in > 0
    # intuit-oauth keeps the id_token only when its signature, issuer and audience check out.
    assert auth.id_token
    assert auth.id_token.count(".") == 2


def test_refresh_with_openid_validates_the_id_token(sandbox, connected):
    auth = new_auth_client(sandbox, refresh_token=connected.refresh_token)
    auth.refresh()
    assert auth.access_token
    assert auth.access_token != connected.access_token
    assert auth.refresh_token
    assert auth.id_token


def test_discovery_and_jwks_are_what_the_library_reads(sandbox):
    auth = new_auth_client(sandbox)
    assert auth.token_endpoint == f"{sandbox.url}/oauth2/v1/tokens/bearer"
    assert auth.issuer_uri == "https://oauth.platform.intuit.com/op/v1"
    keys = requests.get(auth.jwks_uri, timeout=30).json()["keys"]
    assert keys
    assert keys[0]["kty"] == "RSA"
    assert keys[0]["alg"] == "RS256"


def test_user_info(sandbox, connected):
    auth = new_auth_client(sandbox, access_token=connected.access_token)
    info = auth.get_user_info().json()
    assert info["sub"]


def test_revoke_then_refresh_is_refused(sandbox):
    auth = connect(sandbox)
    assert auth.revoke(token=auth.refresh_token) is True
    with pytest.raises(AuthClientError) as caught:
        auth.refresh()
    assert caught.value.status_code == 400
