"""Intuit OAuth 2.0 as QBO apps see it: authorize page, token, revoke, discovery.

Lifetimes follow the sandbox clock. Refresh tokens rotate at most every 24 h (or on every
refresh when the switch is set); the previous value stays valid for 24 h after a rotation,
which is the behaviour Intuit staff describe and the one clients most often get wrong.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import hmac
import html
import json
import re
import secrets
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from werkzeug.wrappers import Request, Response

from .settings import Settings

LOOPBACK_CALLBACK = re.compile(r"^http://(localhost|127\.0\.0\.1):\d{1,5}/callback$")
ACCOUNTING_SCOPE = "com.intuit.quickbooks.accounting"
ISSUER = "https://oauth.platform.intuit.com/op/v1"


@dataclass
class Client:
    client_id: str
    client_secret: str
    redirect_uris: list[str] = field(default_factory=list)
    allow_loopback: bool = True

    def redirect_ok(self, uri: str) -> bool:
        if uri in self.redirect_uris:
            return True
        return self.allow_loopback and bool(LOOPBACK_CALLBACK.match(uri))


@dataclass
class Grant:
    grant_id: str
    client_id: str
    realm_id: str
    scope: str
    created: dt.datetime
    refresh: str
    refresh_issued: dt.datetime
    refresh_expires: dt.datetime
    previous: str | None = None
    previous_until: dt.datetime | None = None
    revoked: bool = False


@dataclass
class AuthCode:
    client_id: str
    realm_id: str
    redirect_uri: str
    scope: str
    expires: dt.datetime
    used: bool = False
    grant_id: str | None = None
    code_challenge: str = ""
    code_challenge_method: str = ""


@dataclass
class AccessToken:
    grant_id: str
    realm_id: str
    expires: dt.datetime


@dataclass
class OAuthState:
    clients: dict[str, Client] = field(default_factory=dict)
    codes: dict[str, AuthCode] = field(default_factory=dict)
    grants: dict[str, Grant] = field(default_factory=dict)
    access: dict[str, AccessToken] = field(default_factory=dict)
    refresh_index: dict[str, str] = field(default_factory=dict)


def _token(prefix: str, length: int) -> str:
    return prefix + secrets.token_urlsafe(length)


def _json(body: dict, status: int = 200) -> Response:
    return Response(
        json.dumps(body, separators=(",", ":")),
        status=status,
        content_type="application/json;charset=utf-8",
        headers={"Cache-Control": "no-store", "Pragma": "no-cache"},
    )


def _seconds(delta: dt.timedelta) -> int:
    return max(0, round(delta.total_seconds()))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64_int(value: int) -> str:
    return _b64(value.to_bytes((value.bit_length() + 7) // 8, "big"))


@functools.cache
def _signing_key() -> tuple[rsa.RSAPrivateKey, str]:
    """The id_token key (RS256, as Intuit signs and the discovery document advertises).

    One key per process: made on first use (a 2048-bit key takes a moment, and most sandboxes
    never sign an id_token), its kid derived from the public key so the JWKS and tokens agree.
    """
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    numbers = key.public_key().public_numbers()
    kid = _b64(hashlib.sha256(f"{numbers.n}:{numbers.e}".encode()).digest()[:15])
    return key, kid


def jwks() -> dict:
    """The public half of the signing key as a JWK Set, served at the discovery jwks_uri."""
    key, kid = _signing_key()
    numbers = key.public_key().public_numbers()
    jwk = {
        "kty": "RSA",
        "use": "sig",
        "alg": "RS256",
        "kid": kid,
        "n": _b64_int(numbers.n),
        "e": _b64_int(numbers.e),
    }
    return {"keys": [jwk]}


class OAuthServer:
    def __init__(self, state: OAuthState, settings: Settings, now, companies) -> None:
        self.state = state
        self.settings = settings
        self.now = now  # callable → aware datetime
        self.companies = companies  # callable → list[(realm_id, name)]

    # ------------------------------------------------------------------ issuing

    def _issue_access(self, grant: Grant) -> tuple[str, int]:
        token = _token("eyJsYW5kYm94IjoiUUJPIn0.", 96)
        ttl = self.settings.access_token_ttl
        self.state.access[token] = AccessToken(
            grant.grant_id, grant.realm_id, self.now() + dt.timedelta(seconds=ttl)
        )
        return token, ttl

    def _response(self, grant: Grant, request: Request | None) -> dict:
        access, ttl = self._issue_access(grant)
        now = self.now()
        body = {
            "x_refresh_token_expires_in": _seconds(grant.refresh_expires - now),
            "refresh_token": grant.refresh,
            "access_token": access,
            "token_type": "bearer",
            "expires_in": ttl,
        }
        if request is not None and (
            request.headers.get("x-include-refresh-token-hard-expires-in", "").lower() == "true"
        ):
            hard = grant.created + dt.timedelta(seconds=self.settings.refresh_hard_lifetime)
            body["x_refresh_token_lifetime_expires_in"] = _seconds(hard - now)
        if "openid" in grant.scope.split():
            body["id_token"] = self._id_token(grant)
        return body

    def _id_token(self, grant: Grant) -> str:
        key, kid = _signing_key()
        now = int(self.now().timestamp())
        header = _b64(json.dumps({"alg": "RS256", "kid": kid, "typ": "JWT"}).encode())
        claims = {
            "iss": ISSUER,
            "sub": f"sandbox-user-{grant.realm_id}",
            "aud": [grant.client_id],
            "realmid": grant.realm_id,
            "auth_time": now,
            "iat": now,
            "exp": now + 3600,
        }
        payload = _b64(json.dumps(claims).encode())
        signing_input = f"{header}.{payload}".encode()
        signature = key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
        return f"{header}.{payload}.{_b64(signature)}"

    def new_grant(self, client_id: str, realm_id: str, scope: str) -> Grant:
        now = self.now()
        grant = Grant(
            grant_id=secrets.token_hex(8),
            client_id=client_id,
            realm_id=realm_id,
            scope=scope,
            created=now,
            refresh=self._new_refresh_value(),
            refresh_issued=now,
            refresh_expires=now + dt.timedelta(seconds=self.settings.refresh_token_ttl),
        )
        self.state.grants[grant.grant_id] = grant
        self.state.refresh_index[grant.refresh] = grant.grant_id
        return grant

    @staticmethod
    def _new_refresh_value() -> str:
        return "AB11" + secrets.token_hex(23)

    def issue_tokens(self, client_id: str, realm_id: str, scope: str | None = None) -> dict:
        grant = self.new_grant(client_id, realm_id, scope or f"{ACCOUNTING_SCOPE} openid")
        return self._response(grant, None)

    # ------------------------------------------------------------------ API side

    def check_access(self, token: str | None) -> AccessToken | None:
        if not token:
            return None
        record = self.state.access.get(token)
        if record is None or record.expires <= self.now():
            return None
        grant = self.state.grants.get(record.grant_id)
        if grant is None:
            return None
        return record

    def expire_access_tokens(self, realm_id: str | None = None) -> int:
        past = self.now() - dt.timedelta(seconds=1)
        count = 0
        for record in self.state.access.values():
            if realm_id in (None, record.realm_id) and record.expires > past:
                record.expires = past
                count += 1
        return count

    def revoke_refresh_tokens(self, realm_id: str | None = None) -> int:
        count = 0
        for grant in self.state.grants.values():
            if realm_id in (None, grant.realm_id) and not grant.revoked:
                grant.revoked = True
                count += 1
        return count

    # ------------------------------------------------------------------ HTTP

    def _client_from_request(self, request: Request) -> Client | None:
        auth = request.authorization
        client_id = client_secret = None
        if auth is not None and auth.type == "basic":
            client_id, client_secret = auth.username, auth.password
        elif request.form.get("client_id"):
            client_id = request.form.get("client_id")
            client_secret = request.form.get("client_secret")
        client = self.state.clients.get(client_id or "")
        if client is None or not hmac.compare_digest(
            client.client_secret.encode(), (client_secret or "").encode()
        ):
            return None
        return client

    def token_endpoint(self, request: Request) -> Response:
        if request.method != "POST":
            return _json({"error": "invalid_request"}, 405)
        client = self._client_from_request(request)
        if client is None:
            return _json({"error": "invalid_client"}, 401)
        grant_type = request.form.get("grant_type")
        if grant_type == "authorization_code":
            return self._exchange_code(client, request)
        if grant_type == "refresh_token":
            return self._refresh(client, request)
        return _json({"error": "unsupported_grant_type"}, 400)

    def _exchange_code(self, client: Client, request: Request) -> Response:
        code = self.state.codes.get(request.form.get("code", ""))
        if code is None or code.client_id != client.client_id:
            return _json({"error": "invalid_grant"}, 400)
        if code.used:
            # oauth-jsclient#173: a second exchange invalidates what the first one issued.
            if self.settings.code_reuse_revokes and code.grant_id in self.state.grants:
                self.state.grants[code.grant_id].revoked = True
            return _json({"error": "invalid_grant"}, 400)
        code.used = True
        if code.expires <= self.now():
            return _json({"error": "invalid_grant"}, 400)
        if request.form.get("redirect_uri") != code.redirect_uri:
            return _json({"error": "invalid_grant"}, 400)
        if not self._pkce_ok(code, request.form.get("code_verifier", "")):
            return _json({"error": "invalid_grant"}, 400)
        grant = self.new_grant(client.client_id, code.realm_id, code.scope)
        code.grant_id = grant.grant_id
        return _json(self._response(grant, request))

    def _pkce_ok(self, code: AuthCode, verifier: str) -> bool:
        """Whether Intuit supports PKCE is unconfirmed: by default a challenge is ignored, as
        a server without PKCE would; switched to "verify", the code needs its verifier."""
        if self.settings.pkce != "verify" or not code.code_challenge:
            return True
        if code.code_challenge_method == "S256":
            digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
            expected = base64.urlsafe_b64encode(digest).decode().rstrip("=")
        else:
            expected = verifier
        return bool(verifier) and hmac.compare_digest(expected, code.code_challenge)

    def _refresh(self, client: Client, request: Request) -> Response:
        value = request.form.get("refresh_token", "")
        grant = self.state.grants.get(self.state.refresh_index.get(value, ""))
        now = self.now()
        invalid = _json({"error": "invalid_grant"}, 400)
        if grant is None or grant.revoked or grant.client_id != client.client_id:
            return invalid
        hard = grant.created + dt.timedelta(seconds=self.settings.refresh_hard_lifetime)
        if now >= hard:
            return invalid
        if value == grant.refresh:
            if now >= grant.refresh_expires:
                return invalid
        elif value == grant.previous:
            if grant.previous_until is None or now >= grant.previous_until:
                return invalid
        else:
            return invalid
        rotate = (
            self.settings.rotate_refresh_every_time
            or (now - grant.refresh_issued).total_seconds()
            >= self.settings.refresh_rotation_seconds
        )
        if rotate:
            old = grant.refresh
            if grant.previous:
                self.state.refresh_index.pop(grant.previous, None)
            grant.previous = old
            grant.previous_until = now + dt.timedelta(seconds=self.settings.refresh_grace_seconds)
            grant.refresh = self._new_refresh_value()
            grant.refresh_issued = now
            grant.refresh_expires = now + dt.timedelta(seconds=self.settings.refresh_token_ttl)
            self.state.refresh_index[grant.refresh] = grant.grant_id
        return _json(self._response(grant, request))

    def revoke_endpoint(self, request: Request) -> Response:
        if request.method != "POST":
            return _json({"error": "invalid_request"}, 405)
        client = self._client_from_request(request)
        if client is None:
            return _json({"error": "invalid_client"}, 401)
        token = None
        if request.is_json:
            body = request.get_json(silent=True) or {}
            token = body.get("token")
        token = token or request.form.get("token")
        if not token:
            return _json({"error": "invalid_request"}, 400)
        grant_id = self.state.refresh_index.get(token)
        if grant_id is None and token in self.state.access:
            grant_id = self.state.access[token].grant_id
        grant = self.state.grants.get(grant_id or "")
        if grant is not None and grant.client_id == client.client_id:
            grant.revoked = True
            for access in self.state.access.values():
                if access.grant_id == grant.grant_id:
                    access.expires = self.now() - dt.timedelta(seconds=1)
        return Response("", status=200)

    def discovery(self, base_url: str) -> Response:
        base = base_url.rstrip("/")
        return _json(
            {
                "issuer": ISSUER,
                "authorization_endpoint": f"{base}/connect/oauth2",
                "token_endpoint": f"{base}/oauth2/v1/tokens/bearer",
                "userinfo_endpoint": f"{base}/v1/openid_connect/userinfo",
                "revocation_endpoint": f"{base}/oauth2/v1/tokens/revoke",
                "jwks_uri": f"{base}/op/v1/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "scopes_supported": ["openid", "email", "profile", "address", "phone"],
                "token_endpoint_auth_methods_supported": [
                    "client_secret_post",
                    "client_secret_basic",
                ],
                "claims_supported": ["aud", "exp", "iat", "iss", "realmid", "sub"],
            }
        )

    def jwks_endpoint(self) -> Response:
        return _json(jwks())

    def userinfo(self, request: Request) -> Response:
        header = request.headers.get("Authorization", "")
        token = header[7:].strip() if header.lower().startswith("bearer ") else None
        record = self.check_access(token)
        if record is None:
            return _json({"error": "invalid_token"}, 401)
        return _json(
            {
                "sub": f"sandbox-user-{record.realm_id}",
                "email": "bookkeeper@sandbox.example",
                "emailVerified": True,
                "givenName": "Sandbox",
                "familyName": "Bookkeeper",
            }
        )

    # ------------------------------------------------------------------ authorize page

    def authorize(self, request: Request) -> Response:
        params = request.form if request.method == "POST" else request.args
        client = self.state.clients.get(params.get("client_id", ""))
        if client is None:
            return _page("Invalid client", "The client_id is not registered.", 400)
        redirect_uri = params.get("redirect_uri", "")
        if not client.redirect_ok(redirect_uri):
            return _page(
                "Invalid redirect_uri",
                "The redirect_uri is not registered for this app. Add it to the app's "
                "redirect URIs.",
                400,
            )
        state = params.get("state", "")
        if params.get("response_type") != "code":
            return _redirect(redirect_uri, {"error": "unsupported_response_type", "state": state})
        scope = params.get("scope", "")
        if not scope.strip():
            return _redirect(redirect_uri, {"error": "invalid_scope", "state": state})
        if request.method == "GET":
            return self._consent_page(client, params)
        if params.get("action") != "connect":
            return _redirect(redirect_uri, {"error": "access_denied", "state": state})
        realm_id = params.get("realmId", "")
        known = dict(self.companies())
        if realm_id not in known:
            return _page("Choose a company", "Pick one of your companies to connect.", 400)
        code = "AB11" + secrets.token_urlsafe(32)
        self.state.codes[code] = AuthCode(
            client_id=client.client_id,
            realm_id=realm_id,
            redirect_uri=redirect_uri,
            scope=scope,
            expires=self.now() + dt.timedelta(seconds=self.settings.auth_code_ttl),
            code_challenge=params.get("code_challenge", ""),
            code_challenge_method=params.get("code_challenge_method", ""),
        )
        out = {"code": code, "state": state}
        if ACCOUNTING_SCOPE in scope.split() or "com.intuit.quickbooks.payment" in scope:
            out["realmId"] = realm_id
        return _redirect(redirect_uri, out)

    def _consent_page(self, client: Client, params) -> Response:
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" '
            f'value="{html.escape(params.get(k, ""))}">'
            for k in (
                "client_id",
                "redirect_uri",
                "response_type",
                "scope",
                "state",
                "code_challenge",
                "code_challenge_method",
            )
            if k in params
        )
        options = "".join(
            f'<li><label><input type="radio" name="realmId" value="{html.escape(rid)}"'
            f"{' checked' if i == 0 else ''}> {html.escape(name)} "
            f"<small>(Company ID {html.escape(rid)})</small></label></li>"
            for i, (rid, name) in enumerate(self.companies())
        )
        body = (
            "<h1>Connect to QuickBooks</h1>"
            "<p>An app wants to connect to your QuickBooks Online company "
            "(<b>QuickBooks sandbox</b>, development keys).</p>"
            f'<form method="post" action="/connect/oauth2">{hidden}'
            f'<fieldset><legend>Select a company</legend><ul class="companies">{options}</ul>'
            "</fieldset>"
            f"<p>Requested access: <code>{html.escape(params.get('scope', ''))}</code></p>"
            '<button type="submit" name="action" value="connect" id="connect">Connect</button> '
            '<button type="submit" name="action" value="cancel" id="cancel">Cancel</button>'
            "</form>"
        )
        return _page("Connect to QuickBooks", body, 200, raw=True)


def _redirect(uri: str, params: dict) -> Response:
    parts = urlsplit(uri)
    query = parse_qsl(parts.query, keep_blank_values=True) + [
        (k, v) for k, v in params.items() if v is not None
    ]
    target = urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))
    return Response("", status=302, headers={"Location": target})


def _page(title: str, body: str, status: int, raw: bool = False) -> Response:
    content = body if raw else f"<h1>{html.escape(title)}</h1><p>{html.escape(body)}</p>"
    document = (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)} – Intuit (sandbox)</title>"
        "<style>body{font-family:sans-serif;max-width:40em;margin:3em auto;color:#393a3d}"
        "button{padding:.5em 1.5em;font-size:1em}#connect{background:#2ca01c;color:#fff;"
        "border:0;border-radius:4px}ul{list-style:none;padding:0}li{margin:.4em 0}</style>"
        f"</head><body>{content}</body></html>"
    )
    return Response(document, status=status, content_type="text/html; charset=utf-8")
