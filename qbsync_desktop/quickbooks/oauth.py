"""Intuit OAuth 2.0: authorization-code flow, refresh and revoke.

Token requests are prepared and parsed by oauthlib (the engine of requests-oauthlib) but sent
with our own session: `OAuth2Session` logs request bodies (client secret, codes, tokens) at
DEBUG and refuses plain http even for the loopback sandbox.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import parse_qs, urlencode, urlsplit

import requests
from oauthlib.oauth2 import OAuth2Error, WebApplicationClient

from .. import jsonio
from ..domain.errors import (
    AuthenticationFailed,
    RateLimited,
    ReconnectNeeded,
    ServiceUnavailable,
)
from ..logs import register_secret
from .endpoints import QuickBooksEndpoints

SIDE = "quickbooks"
ACCOUNTING_SCOPE = "com.intuit.quickbooks.accounting"
_TIMEOUT = (5, 30)


@dataclass(frozen=True)
class TokenSet:
    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    expires_at: float  # epoch seconds
    refresh_expires_at: float | None
    realm_id: str = ""

    def __repr__(self) -> str:
        return (
            f"TokenSet(access_token=<hidden>, refresh_token=<hidden>, "
            f"expires_at={self.expires_at!r}, refresh_expires_at={self.refresh_expires_at!r}, "
            f"realm_id={self.realm_id!r})"
        )

    __str__ = __repr__


@dataclass(frozen=True)
class Callback:
    code: str = field(repr=False)
    state: str = field(repr=False)
    realm_id: str = ""
    error: str = ""


def parse_callback(callback_url_or_code: str) -> Callback:
    """Read `code`, `state`, `realmId` (or `error`) from the address the browser was sent to."""
    text = callback_url_or_code.strip()
    if "?" not in text and "=" not in text:
        return Callback(code=text, state="")
    query = urlsplit(text).query if "?" in text else text
    params = {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}
    return Callback(
        code=params.get("code", ""),
        state=params.get("state", ""),
        realm_id=params.get("realmId", ""),
        error=params.get("error", ""),
    )


class QuickBooksOAuth:
    def __init__(
        self,
        endpoints: QuickBooksEndpoints,
        client_id: str,
        client_secret: str,
        redirect_uri: str,
        *,
        scope: str = ACCOUNTING_SCOPE,
        session: requests.Session | None = None,
        clock: Callable[[], float] = time.time,
        timeout: tuple[float, float] = _TIMEOUT,
        pkce: bool | None = None,
    ) -> None:
        # PKCE (S256) binds the code to this app instance, but Intuit does not say it supports
        # it: off unless asked for (QBSYNC_OAUTH_PKCE=1), so the authorize request stays
        # exactly what Intuit documents.
        self.pkce = pkce if pkce is not None else os.environ.get("QBSYNC_OAUTH_PKCE") == "1"
        self._verifiers: dict[str, str] = {}
        self.endpoints = endpoints
        self.client_id = client_id
        self._client_secret = client_secret
        register_secret(client_secret)
        self.redirect_uri = redirect_uri
        self.scope = scope
        self._session = session or requests.Session()
        self._clock = clock
        self._timeout = timeout
        self._pending: set[str] = set()
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"QuickBooksOAuth(client_id={self.client_id!r}, redirect_uri={self.redirect_uri!r})"

    # -- authorization ---------------------------------------------------------------------

    def authorization_url(self) -> tuple[str, str]:
        state = secrets.token_urlsafe(32)
        # Exactly the five parameters Intuit's own client sends, plus PKCE when switched on.
        params = {
            "client_id": self.client_id,
            "response_type": "code",
            "scope": self.scope,
            "redirect_uri": self.redirect_uri,
            "state": state,
        }
        verifier = None
        if self.pkce:
            verifier = secrets.token_urlsafe(64)
            digest = hashlib.sha256(verifier.encode("ascii")).digest()
            params["code_challenge"] = base64.urlsafe_b64encode(digest).decode().rstrip("=")
            params["code_challenge_method"] = "S256"
        url = f"{self.endpoints.authorize_url}?{urlencode(params)}"
        with self._lock:
            self._pending.add(state)
            if verifier is not None:
                self._verifiers[state] = verifier
        return url, state

    def _consume_state(self, state_expected: str, state_received: str | None) -> None:
        with self._lock:
            known = any(hmac.compare_digest(state_expected, s) for s in self._pending)
            # One-shot: whatever happens next, this state cannot be used again.
            self._pending.discard(state_expected)
        if not known:
            raise AuthenticationFailed(
                "This sign-in was not started here or was already used; start again", side=SIDE
            )
        if state_received is not None and not hmac.compare_digest(
            state_received.encode(), state_expected.encode()
        ):
            raise AuthenticationFailed(
                "The sign-in response does not belong to this request; start again", side=SIDE
            )

    def exchange_code(
        self, callback_url_or_code: str, state_expected: str, realm_id: str | None = None
    ) -> TokenSet:
        callback = parse_callback(callback_url_or_code)
        # A bare pasted code carries no state; the expected one must still be ours and unused.
        received = callback.state if "=" in callback_url_or_code else None
        self._consume_state(state_expected, received)
        if callback.error:
            raise AuthenticationFailed(
                "QuickBooks access was not granted", side=SIDE, detail=callback.error[:100]
            )
        if not callback.code:
            raise AuthenticationFailed("The sign-in response has no authorization code", side=SIDE)
        realm = realm_id or callback.realm_id
        if realm_id and callback.realm_id and realm_id != callback.realm_id:
            raise AuthenticationFailed("The sign-in response is for another company", side=SIDE)
        with self._lock:
            verifier = self._verifiers.pop(state_expected, None)
        extra = {"code_verifier": verifier} if verifier else {}
        body = WebApplicationClient(self.client_id).prepare_request_body(
            code=callback.code, redirect_uri=self.redirect_uri, include_client_id=False, **extra
        )
        return self._token_request(body, realm or "")

    def refresh(self, refresh_token: str, realm_id: str = "") -> TokenSet:
        body = WebApplicationClient(self.client_id).prepare_refresh_body(
            refresh_token=refresh_token, include_client_id=False
        )
        return self._token_request(body, realm_id)

    def revoke(self, token: str) -> None:
        try:
            response = self._session.post(
                self.endpoints.revoke_url,
                data=jsonio.dumps({"token": token}).encode(),
                headers={"Content-Type": "application/json", "Accept": "application/json"},
                auth=(self.client_id, self._client_secret),
                timeout=self._timeout,
                verify=True,
                allow_redirects=False,
            )
        except requests.RequestException:
            raise ServiceUnavailable("QuickBooks sign-in service unreachable", side=SIDE) from None
        if response.status_code >= 500:
            raise ServiceUnavailable(
                "QuickBooks could not revoke the connection now",
                side=SIDE,
                http_status=response.status_code,
                tid=response.headers.get("intuit_tid", ""),
            )
        # 400 for an unknown or already revoked token leaves us where we wanted to be.

    # -- token endpoint --------------------------------------------------------------------

    def _token_request(self, body: str, realm_id: str) -> TokenSet:
        try:
            response = self._session.post(
                self.endpoints.token_url,
                data=body,
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Accept": "application/json",
                },
                auth=(self.client_id, self._client_secret),
                timeout=self._timeout,
                verify=True,
                allow_redirects=False,
            )
        except requests.RequestException:
            raise ServiceUnavailable("QuickBooks sign-in service unreachable", side=SIDE) from None
        tid = response.headers.get("intuit_tid", "")
        status = response.status_code
        if status == 429:
            raise RateLimited("QuickBooks sign-in service is busy", side=SIDE, tid=tid)
        if status >= 500:
            raise ServiceUnavailable(
                "QuickBooks sign-in service unavailable", side=SIDE, http_status=status, tid=tid
            )
        now = self._clock()
        try:
            token = WebApplicationClient(self.client_id).parse_request_body_response(response.text)
        except OAuth2Error as exc:
            # Never chain the original: its repr can hold the request body.
            if exc.error == "invalid_grant":
                raise ReconnectNeeded(
                    "QuickBooks needs to be connected again",
                    side=SIDE,
                    code="invalid_grant",
                    http_status=status,
                    tid=tid,
                ) from None
            raise AuthenticationFailed(
                "QuickBooks refused the app's credentials",
                side=SIDE,
                code=str(exc.error or "")[:40],
                http_status=status,
                tid=tid,
            ) from None
        except (ValueError, Warning):
            raise ServiceUnavailable(
                "QuickBooks sign-in service sent an unreadable answer",
                side=SIDE,
                http_status=status,
                tid=tid,
            ) from None
        if not token.get("refresh_token"):
            raise AuthenticationFailed("QuickBooks sent no refresh token", side=SIDE, tid=tid)
        register_secret(token["access_token"])
        register_secret(token["refresh_token"])
        refresh_in = token.get("x_refresh_token_expires_in")
        return TokenSet(
            access_token=token["access_token"],
            refresh_token=token["refresh_token"],
            expires_at=now + _seconds(token.get("expires_in", 3600)),
            refresh_expires_at=now + _seconds(refresh_in) if refresh_in else None,
            realm_id=realm_id,
        )


def _seconds(value: object) -> int:
    """Token lifetimes are whole seconds; Intuit sends them as numbers or numeric strings."""
    try:
        return int(Decimal(str(value)))
    except (ArithmeticError, ValueError):
        raise AuthenticationFailed(
            f"QuickBooks sent an unreadable token lifetime ({value!r})", side=SIDE
        ) from None
