"""Connecting: the Scoro key check, QuickBooks' OAuth sign-in, the currency check, the first
pull of accounts and tax rates, and disconnecting: rules R01 to R05 in docs/rules.md.

Secrets go to the secret store only; the database keeps the addresses and what was read.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import peewee as pw

from .. import logs
from ..domain import Category
from ..domain.errors import (
    AuthenticationFailed,
    RemoteError,
    SettingsInvalid,
    SyncError,
)
from ..quickbooks.loopback import LoopbackCallbackServer, LoopbackCancelled, LoopbackTimeout
from ..quickbooks.oauth import QuickBooksOAuth, parse_callback
from ..quickbooks.tokens import REFRESH_TOKEN_NAME
from ..store import models as m
from .gateways import Gateways
from .runner import Runner
from .settings import ConnectionSettings, connection_row
from .types import (
    AuthorizationRequest,
    ConnectionStatus,
    CurrencyCheck,
    Event,
    EventType,
    QuickBooksAppConfig,
    ScoroEntity,
    site_key,
)
from .wiring import (
    QBO_CLIENT_SECRET,
    SCORO_API_KEY,
    Wiring,
    connection_key,
    endpoints_for,
    scoro_gateway,
)

log = logging.getLogger(__name__)

DISCONNECTED_MESSAGE = "Disconnected. Links are kept: reconnecting resumes the sync."


def site_name(site_url: str) -> str:
    """acme.scoro.com -> acme: Scoro's default company account id is the site's name."""
    host = urlsplit(site_url.strip() if "//" in site_url else f"https://{site_url}").hostname
    if not host or host.replace(".", "").isdigit() or host == "localhost":
        return ""
    return host.split(".")[0]


@dataclass
class _Pending:
    """One sign-in between the browser opening and the code coming back."""

    oauth: QuickBooksOAuth
    server: LoopbackCallbackServer | None
    site_url: str
    api_key: str
    company_account_id: str
    app: QuickBooksAppConfig
    connection_id: int | None


class Authorizer:
    def __init__(
        self,
        db: pw.Database,
        secrets,
        *,
        gateways: Gateways,
        settings: ConnectionSettings,
        runner: Runner,
        emit: Callable[[Event], None],
        clock: Callable[[], dt.datetime] = m.utcnow,
    ) -> None:
        self.db = db
        self.secrets = secrets
        self.gateways = gateways
        self.settings = settings
        self.runner = runner  # pulls accounts and tax rates once connected
        self.emit = emit
        self.clock = clock
        self._pending: dict[str, _Pending] = {}

    def close(self) -> None:
        for state in list(self._pending):
            self._drop(state)

    # ------------------------------------------------------------------ Scoro
    def test_scoro(
        self,
        site_url: str,
        api_key: str,
        company_account_id: str | None = None,
        *,
        connection_id: int | None = None,
    ) -> list[ScoroEntity]:
        """Check the Scoro address and key, and list the entities they can reach.

        Scoro requires a company account id on every call, even to list the entities: the one
        shown next to the API key in Scoro, usually the site's name (acme.scoro.com: "acme")."""
        if not api_key and connection_id is not None:
            api_key = self.secrets.get(connection_key(connection_id), SCORO_API_KEY) or ""
        if not site_url.strip() or not api_key.strip():
            raise SettingsInvalid("Enter the Scoro site address and the API key.")
        logs.register_secret(api_key)
        candidate = (company_account_id or "").strip() or site_name(site_url)
        if not candidate:
            raise SettingsInvalid(
                "Enter the company account id shown next to the API key in Scoro (Settings > "
                "External connections > API)."
            )
        gw = scoro_gateway(site_url.strip(), api_key.strip(), candidate)
        try:
            rows = gw.company_accounts()
        except AuthenticationFailed:
            raise AuthenticationFailed(
                f"Scoro refused the API key or the company account id {candidate!r}. Check "
                "both under Settings > External connections > API in Scoro.",
                side="scoro",
            ) from None
        if not rows:
            raise SettingsInvalid("Scoro accepted the key but lists no company accounts.")
        return [
            ScoroEntity(
                r["company_account_id"],
                r.get("name") or r["company_account_id"],
                r.get("base_currency") or "",
                tuple(r.get("active_currencies") or ()),
            )
            for r in rows
        ]

    def site_entities(self) -> list[tuple[str, ScoroEntity, int | None]]:
        """Every entity of every connected Scoro site, with its connection if it has one
        — rule R03: the entity list shows the ones not connected yet too."""
        out: list[tuple[str, ScoroEntity, int | None]] = []
        by_site: dict[str, list[m.Connection]] = {}
        for conn in m.Connection.select().order_by(m.Connection.id):
            # One site however its address was typed when each entity was connected.
            by_site.setdefault(site_key(conn.scoro_site_url), []).append(conn)
        for conns in by_site.values():
            site = conns[0].scoro_site_url
            known = {c.scoro_company_account_id: c.id for c in conns}
            entities: list[ScoroEntity] = []
            for conn in conns:
                api_key = self.secrets.get(connection_key(conn.id), SCORO_API_KEY)
                if not api_key:
                    continue
                try:
                    entities = self.test_scoro(site, api_key, conn.scoro_company_account_id)
                    break
                except (RemoteError, SyncError) as exc:
                    log.info("could not list the entities of %s: %s", site, exc)
            if not entities:
                entities = [
                    ScoroEntity(
                        c.scoro_company_account_id,
                        c.scoro_entity_name or c.scoro_company_account_id,
                        c.scoro_base_currency,
                    )
                    for c in conns
                ]
            out.extend((site, e, known.get(e.company_account_id)) for e in entities)
        return out

    # ------------------------------------------------------------------ QuickBooks sign-in
    def begin(
        self,
        site_url: str,
        api_key: str,
        company_account_id: str,
        app: QuickBooksAppConfig,
        connection_id: int | None = None,
        copy_secrets_from: int | None = None,
    ) -> AuthorizationRequest:
        for source_id in (connection_id, copy_secrets_from):
            if source_id is None:
                continue
            # Reconnect, or a second entity of the same site: what the keyring already holds
            # need not be typed again.
            key = connection_key(source_id)
            api_key = api_key or self.secrets.get(key, SCORO_API_KEY) or ""
            source = m.Connection.get_or_none(m.Connection.id == source_id)
            # A client secret belongs to one QuickBooks app: never lend it to another.
            same_app = source is not None and source.qbo_client_id in ("", app.client_id)
            if not app.client_secret and same_app:
                stored = self.secrets.get(key, QBO_CLIENT_SECRET) or ""
                app = QuickBooksAppConfig(
                    app.client_id, stored, app.environment, app.redirect_uri, app.local_base_url
                )
        missing = [
            what
            for what, value in (
                ("the Scoro API key", api_key),
                ("the QuickBooks client id", app.client_id),
                ("the QuickBooks client secret", app.client_secret),
            )
            if not value
        ]
        if missing:
            saved = " (it is not saved on this computer)" if connection_id is not None else ""
            listed = " and ".join(missing)
            raise SettingsInvalid(
                f"{listed[0].upper()}{listed[1:]} {'is' if len(missing) == 1 else 'are'} "
                f"missing{saved}. Type {'it' if len(missing) == 1 else 'them'} on this page, "
                "then try again."
            )
        logs.register_secret(api_key)
        logs.register_secret(app.client_secret)
        server = None
        redirect = app.redirect_uri
        endpoints = endpoints_for(app.environment, app.local_base_url)
        if not redirect:
            # The state is only known after the URL is built; the loopback server checks it.
            server = LoopbackCallbackServer(expected_state="")
            redirect = server.redirect_uri
        oauth = QuickBooksOAuth(endpoints, app.client_id, app.client_secret, redirect)
        url, state = oauth.authorization_url()
        if server is not None:
            # The state is born with the URL, after the server had to pick its port.
            server._expected_state = state
        self._pending[state] = _Pending(
            oauth,
            server,
            site_url.strip(),
            api_key.strip(),
            company_account_id,
            app,
            connection_id,
        )
        return AuthorizationRequest(
            url=url, state=state, redirect_uri=redirect, uses_loopback=server is not None
        )

    def wait_for_callback(
        self,
        request: AuthorizationRequest,
        timeout: float = 300.0,
        cancel: threading.Event | None = None,
    ) -> str:
        pending = self._pending.get(request.state)
        if pending is None or pending.server is None:
            raise SyncError("This sign-in is not waiting for the browser; paste the address.")
        server = pending.server
        done = threading.Event()
        if cancel is not None:

            def watch() -> None:
                while not done.is_set():
                    if cancel.wait(0.2):
                        server.cancel()
                        return

            threading.Thread(target=watch, daemon=True, name="auth-cancel").start()
        try:
            return server.wait(timeout).url
        except LoopbackTimeout:
            raise SyncError(
                "No answer from the browser in time. Try again, or paste the "
                "address you were sent to."
            ) from None
        except LoopbackCancelled:
            raise SyncError("The sign-in was cancelled.") from None
        finally:
            done.set()

    def cancel(self, request: AuthorizationRequest) -> None:
        self._drop(request.state)

    def _drop(self, state: str) -> None:
        pending = self._pending.pop(state, None)
        if pending is not None and pending.server is not None:
            pending.server.cancel()

    def complete(self, request: AuthorizationRequest, callback_url: str) -> m.Connection:
        """Exchange the code, keep the tokens and keys in the secret store, read the company
        and check the currencies; once they agree, pull accounts and tax rates; rule R05."""
        pending = self._pending.get(request.state)
        if pending is None:
            raise AuthenticationFailed(
                "This sign-in was not started here or was already used; start again.",
                side="quickbooks",
            )
        callback = parse_callback(callback_url)
        if callback.error:
            self._drop(request.state)
            raise AuthenticationFailed(
                "QuickBooks did not grant access"
                + (
                    " (you chose Cancel)."
                    if callback.error == "access_denied"
                    else f" ({callback.error})."
                )
                + " Choose Connect to try again.",
                side="quickbooks",
            )
        tokens = pending.oauth.exchange_code(callback_url, request.state, callback.realm_id)
        self._pending.pop(request.state, None)
        app = pending.app
        with self.db.atomic():
            conn = connection_row(pending.connection_id) if pending.connection_id else None
            if conn is None:
                conn = m.Connection.get_or_none(
                    (m.Connection.scoro_site_url == pending.site_url)
                    & (m.Connection.scoro_company_account_id == pending.company_account_id)
                )
            if conn is None:
                conn = m.Connection.create(
                    scoro_site_url=pending.site_url,
                    scoro_company_account_id=pending.company_account_id,
                )
            conn.qbo_realm_id = tokens.realm_id or callback.realm_id
            conn.qbo_client_id = app.client_id
            conn.environment = app.environment
            conn.qbo_api_base = app.local_base_url
            conn.redirect_uri = request.redirect_uri
            if conn.first_connected_at is None:
                conn.first_connected_at = self.clock()
            if ConnectionStatus(conn.status).needs_reconnect:
                # A fresh authorization ends "Reconnect needed"; the currency check below
                # then makes it active (or currency_blocked) again.
                conn.status, conn.status_message = ConnectionStatus.DRAFT, ""
            conn.save()
        key = connection_key(conn.id)
        self.secrets.set(key, SCORO_API_KEY, pending.api_key)
        self.secrets.set(key, QBO_CLIENT_SECRET, app.client_secret)
        self.secrets.set(key, REFRESH_TOKEN_NAME, tokens.refresh_token)
        self.gateways.forget(conn.id)
        wiring = self.gateways.get(conn)
        wiring.tokens.adopt(tokens)
        self.settings.ensure_defaults(conn)
        self._read_company(conn, wiring)
        check = self.check_currencies(conn.id)
        if check.ok:
            try:
                self.runner.run(conn.id, [Category.BACKGROUND], trigger="connect")  # R05
            except SyncError as exc:
                log.warning("pulling accounts and tax rates failed: %s", exc)
        self.emit(Event(EventType.CONNECTION_STATUS, conn.id, message=check.message))
        return conn

    def _read_company(self, conn: m.Connection, wiring: Wiring) -> None:
        info = wiring.qbo.company_info()
        conn.qbo_company_name = info.get("name", "")
        conn.qbo_home_currency = info.get("home_currency", "")
        conn.qbo_multicurrency = bool(info.get("multicurrency"))
        conn.qbo_class_tracking = info.get("class_tracking", "off")
        for entity in wiring.scoro.company_accounts():
            if entity["company_account_id"] == conn.scoro_company_account_id:
                conn.scoro_entity_name = entity.get("name") or conn.scoro_company_account_id
                conn.scoro_base_currency = entity.get("base_currency") or ""
        conn.save()
        wiring.qbo.home_currency = conn.qbo_home_currency
        wiring.qbo.multicurrency = bool(conn.qbo_multicurrency)
        wiring.scoro.base_currency = conn.scoro_base_currency

    def check_currencies(self, connection_id: int) -> CurrencyCheck:
        """R04: the entity's base currency must equal the QuickBooks home currency, unless
        QuickBooks multicurrency is on. Re-reads both sides every time ("Check again")."""
        conn = connection_row(connection_id)
        self._read_company(conn, self.gateways.get(conn))
        conn = connection_row(connection_id)
        scoro, qbo = conn.scoro_base_currency, conn.qbo_home_currency
        ok = scoro == qbo or bool(conn.qbo_multicurrency)
        if scoro == qbo:
            message = f"{scoro} in both Scoro and QuickBooks."
        elif ok:
            message = (
                f"Scoro works in {scoro} and QuickBooks in {qbo}; QuickBooks "
                "multicurrency is on, so the connection can be used."
            )
        else:
            message = (
                f"The Scoro entity's base currency is {scoro} but the QuickBooks company's home "
                f"currency is {qbo}, and QuickBooks multicurrency is off, so this connection "
                "cannot be activated. Either change Scoro's base currency (Settings > Sales and "
                f"finance > Currencies) to {qbo}, or in QuickBooks (Settings > Advanced > "
                "Currency) change the home currency or turn on multicurrency. Then choose "
                "Check again."
            )
        if not ConnectionStatus(conn.status).needs_reconnect:
            conn.status = ConnectionStatus.ACTIVE if ok else ConnectionStatus.CURRENCY_BLOCKED
            conn.status_message = "" if ok else message
            conn.save()
        return CurrencyCheck(ok, scoro, qbo, bool(conn.qbo_multicurrency), message)

    def disconnect(self, connection_id: int) -> None:
        """Revoke the tokens and forget the secrets; links stay so a reconnect resumes."""
        conn = connection_row(connection_id)
        key = connection_key(conn.id)
        refresh = self.secrets.get(key, REFRESH_TOKEN_NAME)
        if refresh:
            try:
                self.gateways.get(conn).oauth.revoke(refresh)
            except (RemoteError, OSError) as exc:
                log.warning("revoking the QuickBooks token failed: %s", exc)
        for name in (REFRESH_TOKEN_NAME, QBO_CLIENT_SECRET, SCORO_API_KEY):
            self.secrets.delete(key, name)
        self.gateways.forget(conn.id)
        conn.status = ConnectionStatus.DISCONNECTED
        conn.status_message = DISCONNECTED_MESSAGE
        conn.save()
        self.emit(Event(EventType.CONNECTION_STATUS, conn.id, message=conn.status_message))

    def rebind_local(self, scoro_url: str, qbo_url: str, reconnect_message: str) -> int:
        """Point the connections to local sandboxes at their new addresses. An active one
        whose sign-in the secret store no longer holds needs a reconnect."""
        moved = 0
        for conn in m.Connection.select().where(m.Connection.environment == "local"):
            conn.scoro_site_url = scoro_url
            conn.qbo_api_base = qbo_url
            signed_in = self.secrets.get(connection_key(conn.id), REFRESH_TOKEN_NAME)
            if conn.status == ConnectionStatus.ACTIVE and not signed_in:
                conn.status = ConnectionStatus.RECONNECT_NEEDED
                conn.status_message = reconnect_message
            conn.save()
            moved += 1
        self.gateways.forget()
        return moved
