"""SyncService: the one facade the GUI and the CLI use (docs/design.md). No Qt here.

Blocking methods are meant to be called off the GUI thread; events are delivered through
listeners on the calling thread.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from .. import logs
from ..domain import Category, Direction, Kind, Side
from ..domain.errors import (
    AuthenticationFailed,
    ReconnectNeeded,
    RemoteError,
    SyncError,
)
from ..quickbooks.loopback import LoopbackCallbackServer, LoopbackCancelled, LoopbackTimeout
from ..quickbooks.oauth import QboOAuth, parse_callback
from ..quickbooks.tokens import REFRESH_TOKEN_NAME
from ..store import models as m
from ..store import open_store
from ..store.errors import STORE_ERRORS, explain
from . import review as review_mod
from . import runlock, schedule
from .engine import Cancelled, Engine
from .types import (
    AccountChoice,
    AuthorizationRequest,
    BookmarkChoice,
    CategoryConfig,
    ConnectionInfo,
    ConnectionStatus,
    CurrencyCheck,
    DocumentSummary,
    Event,
    EventType,
    LogInfo,
    QboAppConfig,
    ReviewInfo,
    RunInfo,
    RunResult,
    ScoroEntity,
    SyncSettingsInfo,
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

DEFAULT_DIRECTIONS = {
    Category.CONTACTS: Direction.SCORO_TO_QBO,
    Category.PRODUCTS: Direction.SCORO_TO_QBO,
    Category.INVOICES: Direction.SCORO_TO_QBO,
    Category.BILLS: Direction.QBO_TO_SCORO,
    Category.RECEIPTS: Direction.QBO_TO_SCORO,
}
DEFAULT_ENABLED = {
    Category.BACKGROUND,
    Category.CONTACTS,
    Category.PRODUCTS,
    Category.PROJECTS,
    Category.INVOICES,
}
DOCUMENT_MODULE = {
    Kind.INVOICE: "invoices",
    Kind.BILL: "bills",
    Kind.CUSTOMER: "contacts",
    Kind.VENDOR: "contacts",
}
BOOKMARK_CATEGORIES = {
    Category.INVOICES: "invoices",
    Category.BILLS: "bills",
    Category.CONTACTS: "contacts",
}


def _site_name(site_url: str) -> str:
    """acme.scoro.com -> acme: Scoro's default company account id is the site's name."""
    from urllib.parse import urlsplit

    host = urlsplit(site_url.strip() if "//" in site_url else f"https://{site_url}").hostname
    if not host or host.replace(".", "").isdigit() or host == "localhost":
        return ""
    return host.split(".")[0]


def _document_name(kind: Kind, rec) -> str:
    """ "Invoice 1004", "Contact Baltic Foods OÜ": how the bookkeeper knows a record."""
    number = getattr(rec, "number", "") or getattr(rec, "name", "") or ""
    return f"{kind.label} {number}".strip()


# Review items of this type record a reconcile difference the bookkeeper chose to ignore.
RECONCILE_IGNORED = "reconcile_ignored"


class SettingsInvalid(SyncError):
    """A setting the rules do not allow; the message says which and why."""


class ConnectionBusy(SyncError):
    """A sync of this connection is already running, here or in another process."""


# A status probe or an interrupted-run sweep holds a connection's run lock for an instant; a
# run that starts meanwhile waits this long before it reports the connection busy.
RUN_LOCK_WAIT_SECONDS = 2.0
# A token refresh takes one request (30 s read timeout at most); another process refreshing
# the same connection's token is waited for, then its new token is used.
TOKEN_LOCK_WAIT_SECONDS = 90.0


class SyncService:
    def __init__(
        self,
        data_dir: Path | str,
        secrets,
        *,
        on_event: Callable[[Event], None] | None = None,
        connector_options: dict | None = None,
        read_only: bool = False,
    ) -> None:
        # connector_options: transport keyword arguments per side, see sync.wiring.Wiring.
        # read_only: open the database read-only (status and log on a read-only folder).
        self.connector_options = connector_options or {}
        self.data_dir = Path(data_dir)
        if not read_only:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        self.secrets = secrets
        self.read_only = read_only
        self.db = open_store(self.data_dir / "qbsync.sqlite3", read_only=read_only)
        self._listeners: list[Callable[[Event], None]] = [on_event] if on_event else []
        self._running: set[int] = set()
        self._lock = threading.Lock()
        self._auth: dict[str, tuple[QboOAuth, LoopbackCallbackServer | None, dict]] = {}
        self._wirings: dict[int, Wiring] = {}
        if not read_only:
            self._mark_interrupted_runs()

    # ------------------------------------------------------------------ plumbing
    def add_listener(self, fn: Callable[[Event], None]) -> None:
        self._listeners.append(fn)

    def remove_listener(self, fn: Callable[[Event], None]) -> None:
        if fn in self._listeners:
            self._listeners.remove(fn)

    def _emit(self, event: Event) -> None:
        for fn in list(self._listeners):
            try:
                fn(event)
            except Exception:  # a broken listener must not break a sync
                log.exception("event listener failed")

    def close(self) -> None:
        for request in list(self._auth):
            self._drop_auth(request)
        if not self.db.is_closed():
            self.db.close()

    def _conn(self, connection_id: int) -> m.Connection:
        conn = m.Connection.get_or_none(m.Connection.id == connection_id)
        if conn is None:
            raise SyncError(f"There is no connection number {connection_id}.")
        return conn

    def forget_gateways(self) -> None:
        """Drop the cached connectors, e.g. after connection addresses changed."""
        self._wirings.clear()

    def _wiring(self, conn: m.Connection) -> Wiring:
        wiring = self._wirings.get(conn.id)
        if wiring is None:
            wiring = Wiring(conn, self.secrets, self.connector_options)
            # Token refresh is single-flight across processes (the GUI and a scheduled CLI).
            wiring.tokens.interprocess_lock = self._token_lock(conn.id)
            self._wirings[conn.id] = wiring
        return wiring

    # ------------------------------------------------------------------ connections
    def _info(self, conn: m.Connection) -> ConnectionInfo:
        last = (
            m.Run.select()
            .where((m.Run.connection == conn) & (m.Run.dry_run == False))  # noqa: E712
            .order_by(m.Run.id.desc())
            .first()
        )
        return ConnectionInfo(
            id=conn.id,
            scoro_site_url=conn.scoro_site_url,
            company_account_id=conn.scoro_company_account_id,
            entity_name=conn.scoro_entity_name or conn.scoro_company_account_id,
            scoro_currency=conn.scoro_base_currency,
            qbo_realm_id=conn.qbo_realm_id,
            qbo_company_name=conn.qbo_company_name,
            qbo_currency=conn.qbo_home_currency,
            multicurrency=bool(conn.qbo_multicurrency),
            class_tracking=conn.qbo_class_tracking,
            environment=conn.environment,
            status=ConnectionStatus(conn.status),
            status_message=conn.status_message,
            first_connected_at=conn.first_connected_at,
            last_run_at=last.finished_at if last else None,
            last_run_status=last.status if last else "",
            open_reviews=self.review_count(conn.id),
            secrets_secure=bool(getattr(self.secrets, "is_secure", True)),
            has_saved_keys=bool(self.secrets.get(connection_key(conn.id), SCORO_API_KEY)),
            qbo_client_id=conn.qbo_client_id,
            qbo_local_url=conn.qbo_api_base if conn.environment == "local" else "",
            redirect_uri=conn.redirect_uri,
        )

    def connections(self) -> list[ConnectionInfo]:
        return [self._info(c) for c in m.Connection.select().order_by(m.Connection.id)]

    def connection(self, connection_id: int) -> ConnectionInfo:
        return self._info(self._conn(connection_id))

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
        candidate = (company_account_id or "").strip() or _site_name(site_url)
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
        (R03: the entity list shows the ones not connected yet too)."""
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

    def saved_secrets(self, connection_id: int) -> tuple[bool, bool]:
        """(Scoro API key, QuickBooks client secret): which of them the keyring still holds
        for this connection. After a demo restart (memory keyring) or on another computer
        neither is there, and Reconnect must ask for them."""
        key = connection_key(connection_id)
        return (
            bool(self.secrets.get(key, SCORO_API_KEY)),
            bool(self.secrets.get(key, QBO_CLIENT_SECRET)),
        )

    def begin_authorization(
        self,
        site_url: str,
        api_key: str,
        company_account_id: str,
        app: QboAppConfig,
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
                app = QboAppConfig(
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
        oauth = QboOAuth(endpoints, app.client_id, app.client_secret, redirect)
        url, state = oauth.authorization_url()
        if server is not None:
            # The state is born with the URL, after the server had to pick its port.
            server._expected_state = state
        self._auth[state] = (
            oauth,
            server,
            {
                "site_url": site_url.strip(),
                "api_key": api_key.strip(),
                "company_account_id": company_account_id,
                "app": app,
                "connection_id": connection_id,
            },
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
        entry = self._auth.get(request.state)
        if entry is None or entry[1] is None:
            raise SyncError("This sign-in is not waiting for the browser; paste the address.")
        server = entry[1]
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

    def cancel_authorization(self, request: AuthorizationRequest) -> None:
        self._drop_auth(request.state)

    def _drop_auth(self, state: str) -> None:
        entry = self._auth.pop(state, None)
        if entry and entry[1] is not None:
            entry[1].cancel()

    def complete_authorization(
        self, request: AuthorizationRequest, callback_url: str
    ) -> ConnectionInfo:
        entry = self._auth.get(request.state)
        if entry is None:
            raise AuthenticationFailed(
                "This sign-in was not started here or was already used; start again.",
                side="quickbooks",
            )
        oauth, _server, draft = entry
        callback = parse_callback(callback_url)
        if callback.error:
            self._drop_auth(request.state)
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
        tokens = oauth.exchange_code(callback_url, request.state, callback.realm_id)
        self._auth.pop(request.state, None)
        app: QboAppConfig = draft["app"]
        with m.database_proxy.atomic():
            conn = None
            if draft["connection_id"]:
                conn = self._conn(draft["connection_id"])
            if conn is None:
                conn = m.Connection.get_or_none(
                    (m.Connection.scoro_site_url == draft["site_url"])
                    & (m.Connection.scoro_company_account_id == draft["company_account_id"])
                )
            if conn is None:
                conn = m.Connection.create(
                    scoro_site_url=draft["site_url"],
                    scoro_company_account_id=draft["company_account_id"],
                )
            conn.qbo_realm_id = tokens.realm_id or callback.realm_id
            conn.qbo_client_id = app.client_id
            conn.environment = app.environment
            conn.qbo_api_base = app.local_base_url
            conn.redirect_uri = request.redirect_uri
            if conn.first_connected_at is None:
                conn.first_connected_at = m.utcnow()
            if conn.status in ("reconnect_needed", "disconnected"):
                # A fresh authorization ends "Reconnect needed"; the currency check below
                # then makes it active (or currency_blocked) again.
                conn.status, conn.status_message = "draft", ""
            conn.save()
        key = connection_key(conn.id)
        self.secrets.set(key, SCORO_API_KEY, draft["api_key"])
        self.secrets.set(key, QBO_CLIENT_SECRET, app.client_secret)
        self.secrets.set(key, REFRESH_TOKEN_NAME, tokens.refresh_token)
        self._wirings.pop(conn.id, None)
        wiring = self._wiring(conn)
        wiring.tokens.adopt(tokens)
        self._ensure_defaults(conn)
        self._read_company(conn, wiring)
        check = self.check_currencies(conn.id)
        if check.ok:
            self._pull_background(conn)  # R05
        self._emit(Event(EventType.CONNECTION_STATUS, conn.id, message=check.message))
        return self.connection(conn.id)

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
        conn = self._conn(connection_id)
        self._read_company(conn, self._wiring(conn))
        conn = self._conn(connection_id)
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
        if conn.status in ("draft", "currency_blocked", "active"):
            conn.status = "active" if ok else "currency_blocked"
            conn.status_message = "" if ok else message
            conn.save()
        return CurrencyCheck(ok, scoro, qbo, bool(conn.qbo_multicurrency), message)

    def pulled_on_connect(self, connection_id: int) -> dict[str, int]:
        """What R05 brought from QuickBooks: how many accounts and tax rates are known."""
        out = {}
        for kind in (Kind.ACCOUNT, Kind.TAX_RATE):
            out[kind.value] = (
                m.Link.select()
                .where((m.Link.connection == connection_id) & (m.Link.kind == kind.value))
                .count()
            )
        return out

    def _pull_background(self, conn: m.Connection) -> None:
        try:
            self.run(conn.id, [Category.BACKGROUND], trigger="connect")
        except SyncError as exc:
            log.warning("pulling accounts and tax rates failed: %s", exc)

    def disconnect(self, connection_id: int) -> None:
        """Revoke the tokens and forget the secrets; links stay so a reconnect resumes."""
        conn = self._conn(connection_id)
        key = connection_key(conn.id)
        refresh = self.secrets.get(key, REFRESH_TOKEN_NAME)
        if refresh:
            try:
                wiring = self._wiring(conn)
                wiring.oauth.revoke(refresh)
            except (RemoteError, OSError) as exc:
                log.warning("revoking the QuickBooks token failed: %s", exc)
        for name in (REFRESH_TOKEN_NAME, QBO_CLIENT_SECRET, SCORO_API_KEY):
            self.secrets.delete(key, name)
        self._wirings.pop(conn.id, None)
        conn.status = "disconnected"
        conn.status_message = "Disconnected. Links are kept: reconnecting resumes the sync."
        conn.save()
        self._emit(Event(EventType.CONNECTION_STATUS, conn.id, message=conn.status_message))

    # ------------------------------------------------------------------ settings
    def _ensure_defaults(self, conn: m.Connection) -> None:
        today = dt.date.today()
        for category in Category:
            direction = category.fixed_direction or DEFAULT_DIRECTIONS.get(
                category, Direction.SCORO_TO_QBO
            )
            m.CategorySetting.get_or_create(
                connection=conn,
                category=category.value,
                defaults={
                    "enabled": category in DEFAULT_ENABLED,
                    "direction": direction.value,
                    "start_date": (
                        conn.first_connected_at.date() if conn.first_connected_at else today
                    ),
                },
            )
        m.SyncSettings.get_or_create(connection=conn)

    def _category_rows(self, conn: m.Connection) -> dict[Category, m.CategorySetting]:
        self._ensure_defaults(conn)
        return {Category(r.category): r for r in conn.categories}

    def categories(self, connection_id: int) -> list[CategoryConfig]:
        conn = self._conn(connection_id)
        rows = self._category_rows(conn)
        floor = conn.first_connected_at.date() if conn.first_connected_at else None
        out = []
        from .rules import category_unavailable

        for category in (
            Category.BACKGROUND,
            Category.CONTACTS,
            Category.PRODUCTS,
            Category.PROJECTS,
            Category.INVOICES,
            Category.BILLS,
            Category.RECEIPTS,
            Category.CLASSES,
            Category.ATTACHMENTS,
        ):
            r = rows[category]
            out.append(
                CategoryConfig(
                    category=category,
                    enabled=bool(r.enabled),
                    direction=Direction(r.direction),
                    direction_fixed=category.fixed_direction is not None,
                    start_date=r.start_date,
                    start_date_floor=floor,
                    start_date_locked=r.initial_sync_done_at is not None,
                    bookmark_id=r.bookmark_id,
                    bookmark_name=r.bookmark_name,
                    last_run_at=r.last_run_at,
                    last_result=r.last_result,
                    unavailable_reason=category_unavailable(category, conn),
                )
            )
        return out

    def update_category(
        self,
        connection_id: int,
        category: Category,
        *,
        enabled=None,
        direction=None,
        start_date=None,
        bookmark_id=...,
    ) -> CategoryConfig:
        conn = self._conn(connection_id)
        row = self._category_rows(conn)[category]
        if direction is not None:
            direction = Direction(direction)
            if category.fixed_direction and direction is not category.fixed_direction:
                raise SettingsInvalid(
                    f"{category.label} only sync {category.fixed_direction.label}."
                )
            row.direction = direction.value
        if start_date is not None:
            if row.initial_sync_done_at is not None and start_date != row.start_date:
                raise SettingsInvalid(
                    f"The start date of {category.label} is locked: its first sync has run."
                )
            floor = conn.first_connected_at.date() if conn.first_connected_at else None
            if floor and start_date < floor:
                raise SettingsInvalid(
                    f"The start date cannot be before {floor:%d %b %Y}, when this connection "
                    "was first made."
                )
            row.start_date = start_date
        if enabled is not None:
            row.enabled = bool(enabled)
        if bookmark_id is not ...:
            if bookmark_id and category not in BOOKMARK_CATEGORIES:
                raise SettingsInvalid("Bookmarks apply to invoices, bills and contacts only.")
            row.bookmark_id = bookmark_id or None
            row.bookmark_name = None
            if bookmark_id:
                for b in self.bookmarks(connection_id, category):
                    if b.id == bookmark_id:
                        row.bookmark_name = b.name
        row.save()
        return next(c for c in self.categories(connection_id) if c.category is category)

    def sync_settings(self, connection_id: int) -> SyncSettingsInfo:
        conn = self._conn(connection_id)
        self._ensure_defaults(conn)
        s = m.SyncSettings.get(m.SyncSettings.connection == conn)
        return SyncSettingsInfo(
            s.mode,
            s.background_mode,
            s.default_income_account,
            s.default_expense_account,
            bool(s.bills_without_tax),
            s.attachments_mode,
        )

    def save_sync_settings(self, connection_id: int, info: SyncSettingsInfo) -> None:
        conn = self._conn(connection_id)
        self._ensure_defaults(conn)
        for mode in (info.mode, info.background_mode):
            if mode not in schedule.MODES:
                raise SettingsInvalid(f"Unknown sync mode {mode!r}.")
        if info.attachments_mode not in ("automatic", "manual"):
            raise SettingsInvalid("Attachments are sent automatically or manually.")
        s = m.SyncSettings.get(m.SyncSettings.connection == conn)
        s.mode = info.mode
        s.background_mode = info.background_mode
        s.default_income_account = info.default_income_account
        s.default_expense_account = info.default_expense_account
        s.bills_without_tax = info.bills_without_tax
        s.attachments_mode = info.attachments_mode
        s.saved_at = m.utcnow()
        s.save()

    def settings_complete(self, connection_id: int) -> list[str]:
        """R06: what must still be set before the first sync."""
        conn = self._conn(connection_id)
        missing = []
        rows = self._category_rows(conn)
        if not any(r.enabled for c, r in rows.items() if c is not Category.BACKGROUND):
            missing.append("Choose at least one category to sync.")
        s = m.SyncSettings.get(m.SyncSettings.connection == conn)
        if s.saved_at is None:
            missing.append("Choose automatic or manual sync.")
        if not s.default_income_account:
            missing.append("Choose the default income account.")
        if not s.default_expense_account:
            missing.append("Choose the default expense account.")
        if conn.status == "currency_blocked":
            missing.append(conn.status_message)
        return missing

    def accounts(self, connection_id: int, purpose: str) -> list[AccountChoice]:
        conn = self._conn(connection_id)
        wanted = {
            "income": ("income", "other income"),
            "expense": ("expense", "other expense", "cost of goods sold"),
        }[purpose]
        out = []
        for link in m.Link.select().where(
            (m.Link.connection == conn) & (m.Link.kind == Kind.ACCOUNT.value)
        ):
            try:
                acc = json.loads(link.snapshot)["quickbooks"]
            except (ValueError, KeyError):
                continue
            if str(acc.get("account_type", "")).lower() in wanted and acc.get("active", True):
                number = acc.get("number") or ""
                label = f"{number} {acc.get('name', '')}".strip()
                out.append(AccountChoice(link.qbo_id, label, acc.get("account_type", "")))
        return sorted(out, key=lambda a: a.label)

    def bookmarks(self, connection_id: int, category: Category) -> list[BookmarkChoice]:
        module = BOOKMARK_CATEGORIES.get(Category(category))
        if module is None:
            return []
        conn = self._conn(connection_id)
        out = []
        for b in self._wiring(conn).scoro.bookmarks(module):
            note = (
                "The bookmark's user filter is not applied (all users are used)"
                + (
                    " and its status filter is not applied (all statuses are used)"
                    if module == "invoices"
                    else ""
                )
                + "."
            )
            out.append(BookmarkChoice(b.id, b.name, note))
        return out

    # ------------------------------------------------------------------ running
    def run(
        self,
        connection_id: int,
        categories: list[Category] | None = None,
        *,
        dry_run: bool = False,
        trigger: str = "manual",
        cancel: threading.Event | None = None,
    ) -> RunResult:
        with self._lock:
            if connection_id in self._running:
                raise ConnectionBusy("A sync of this connection is already running.")
            self._running.add(connection_id)
        try:
            with self._run_lock(connection_id, trigger):
                return self._run(connection_id, categories, dry_run, trigger, cancel)
        finally:
            with self._lock:
                self._running.discard(connection_id)

    def is_running(self, connection_id: int) -> bool:
        return connection_id in self._running

    # One run per connection across processes and machines sharing the data folder: an OS
    # lock in the data folder, held for the whole run (sync.runlock).
    @contextlib.contextmanager
    def _run_lock(self, connection_id: int, trigger: str):
        lock = runlock.InterProcessLock(runlock.run_lock_path(self.data_dir, connection_id))
        try:
            lock.acquire(RUN_LOCK_WAIT_SECONDS, what=f"{trigger} sync")
        except runlock.LockTimeout as exc:
            who = exc.describe()
            raise ConnectionBusy(
                f"A sync of connection {connection_id} is already running"
                + (f" ({who})" if who else "")
                + ". This one was not started; try again when it has finished."
            ) from None
        except OSError as exc:
            raise explain(exc, self.data_dir / "qbsync.sqlite3") from None
        try:
            self._mark_interrupted_runs(connection_id, locked=True)
            yield
        finally:
            lock.release()

    def _token_lock(self, connection_id: int):
        path = runlock.token_lock_path(self.data_dir, connection_id)

        @contextlib.contextmanager
        def hold():
            lock = runlock.InterProcessLock(path)
            try:
                lock.acquire(TOKEN_LOCK_WAIT_SECONDS, what="QuickBooks sign-in refresh")
            except runlock.LockTimeout:
                raise SyncError(
                    "Another qbsync process has been refreshing this connection's QuickBooks "
                    "sign-in for too long. Try again in a minute."
                ) from None
            try:
                yield
            finally:
                lock.release()

        return hold

    def _mark_interrupted_runs(self, connection_id: int | None = None, *, locked=False) -> None:
        """Runs left "running" by a process that died (killed, power cut) become
        "interrupted" in History, once no live process holds their connection's run lock."""
        try:
            q = m.Run.select(m.Run.connection).where(m.Run.status == "running")
            if connection_id is not None:
                q = q.where(m.Run.connection == connection_id)
            stale = sorted({r.connection_id for r in q})
        except STORE_ERRORS:
            return
        for cid in stale:
            lock = None
            if not locked:
                lock = runlock.InterProcessLock(runlock.run_lock_path(self.data_dir, cid))
                try:
                    lock.acquire(0.0)
                except (runlock.LockTimeout, OSError):
                    continue  # a live run (or no way to tell): leave it as it is
            try:
                m.Run.update(
                    status="interrupted",
                    finished_at=m.utcnow(),
                    message="Interrupted: qbsync stopped before this run finished (closed, "
                    "killed or the computer shut down). The next run carries on safely.",
                ).where((m.Run.connection == cid) & (m.Run.status == "running")).execute()
            except STORE_ERRORS as exc:
                log.warning("could not mark interrupted runs of connection %s: %s", cid, exc)
            finally:
                if lock is not None:
                    lock.release()

    def _run(
        self,
        connection_id,
        categories,
        dry_run,
        trigger,
        cancel,
        *,
        body: Callable[[Engine], None] | None = None,
    ) -> RunResult:
        conn = self._conn(connection_id)
        started = time.monotonic()
        if conn.status == "currency_blocked":
            return RunResult(None, conn.id, "failed", message=conn.status_message)
        if conn.status in ("reconnect_needed", "disconnected"):
            return RunResult(
                None,
                conn.id,
                "reconnect_needed",
                message=conn.status_message or "Reconnect to QuickBooks first.",
            )
        rows = self._category_rows(conn)
        if categories is None:
            categories = [c for c, r in rows.items() if r.enabled]
            if Category.BACKGROUND not in categories:
                categories.append(Category.BACKGROUND)
            if Category.ATTACHMENTS not in categories and rows[Category.ATTACHMENTS].enabled:
                categories.append(Category.ATTACHMENTS)
        settings = m.SyncSettings.get(m.SyncSettings.connection == conn)
        run_row = m.Run.create(
            connection=conn,
            trigger=trigger,
            dry_run=dry_run,
            categories=",".join(c.value for c in categories),
        )
        self._emit(
            Event(
                EventType.RUN_STARTED,
                conn.id,
                message="Sync started" if not dry_run else "Preview started",
            )
        )
        engine = None
        wiring = None
        before = 0
        status, message = "ok", ""
        try:
            wiring = self._wiring(conn)
            before = wiring.request_count
            engine = Engine(
                connection=conn,
                scoro=wiring.scoro,
                qbo=wiring.qbo,
                settings=settings,
                category_settings=rows,
                emit=self._emit,
                cancel=cancel,
                dry_run=dry_run,
                run=run_row,
            )
            if body is not None:
                body(engine)
            else:
                engine.run_categories(categories)
            if Category.BACKGROUND in categories and not dry_run:
                settings.last_background_run_at = m.utcnow()
                settings.save()
            status = "review" if engine.counts.held or engine.counts.totals_differ else "ok"
            if engine.counts.failed:
                status, message = (
                    "failed",
                    (
                        f"{engine.counts.failed} record(s) could not be "
                        "sent and will be retried next time."
                    ),
                )
        except Cancelled:
            status, message = "cancelled", "Cancelled. Nothing was left half-written."
        except ReconnectNeeded as exc:
            status, message = "reconnect_needed", str(exc)
            conn.status = "reconnect_needed"
            conn.status_message = (
                "QuickBooks no longer accepts this connection's sign-in. "
                "Choose Reconnect and authorize again; nothing was lost."
            )
            conn.save()
            self._wirings.pop(conn.id, None)
            self._emit(
                Event(
                    EventType.CONNECTION_STATUS, conn.id, message=conn.status_message, level="error"
                )
            )
        except RemoteError as exc:
            status, message = "failed", logs.redact(str(exc))
        except SyncError as exc:
            status, message = "failed", logs.redact(str(exc))
        except STORE_ERRORS as exc:
            log.exception("the database failed during the sync of connection %s", conn.id)
            status, message = "failed", str(explain(exc, self.data_dir / "qbsync.sqlite3"))
        except (OSError, ValueError, TypeError, KeyError, AttributeError, RuntimeError) as exc:
            # An unexpected fault ends this connection's run with a message, never the app;
            # what was synced so far is kept and the rest is retried next time.
            log.exception("sync of connection %s stopped unexpectedly", conn.id)
            status = "failed"
            message = logs.redact(
                f"The sync stopped unexpectedly ({type(exc).__name__}: {exc}). What was synced "
                "so far is kept; the rest will be retried. The log file has the details."
            )
        counts = engine.counts if engine else None
        # From the wiring this run used, even when a reconnect dropped it from the cache.
        requests = wiring.request_count - before if wiring is not None else 0
        result = RunResult(
            run_id=run_row.id,
            connection_id=conn.id,
            status=status,
            created=counts.created if counts else 0,
            updated=counts.updated if counts else 0,
            unchanged=counts.unchanged if counts else 0,
            linked=counts.linked if counts else 0,
            held=counts.held if counts else 0,
            failed=counts.failed if counts else 0,
            totals_differ=counts.totals_differ if counts else 0,
            requests=requests,
            seconds=round(time.monotonic() - started, 3),
            message=message
            or self._summary(counts, dry_run, None if dry_run else self.review_count(conn.id)),
            plan=tuple(engine.plan) if engine else (),
        )
        try:
            run_row.finished_at = m.utcnow()
            run_row.status = status
            for f in ("created", "updated", "held", "failed", "unchanged", "requests"):
                setattr(run_row, f, getattr(result, f))
            run_row.message = result.message
            run_row.save()
            m.LogEntry.create(
                connection=conn,
                run=run_row,
                level="error" if status in ("failed", "reconnect_needed") else "info",
                category="",
                message=result.message,
            )
        except STORE_ERRORS as exc:
            # The history could not be written (disk full, database locked): the run is
            # reported failed with the reason; its counts stay true.
            log.warning("could not record the end of run %s: %s", run_row.id, exc)
            if status in ("ok", "review"):
                status = "failed"
            why = explain(exc, self.data_dir / "qbsync.sqlite3", action="record the run in")
            result = dataclasses.replace(result, status=status, message=f"{result.message} {why}")
        self._emit(
            Event(
                EventType.RUN_FINISHED,
                conn.id,
                message=result.message,
                level="error" if status in ("failed", "reconnect_needed") else "info",
                counts={"status": status, **(counts.as_dict() if counts else {})},
            )
        )
        return result

    @staticmethod
    def _summary(counts, dry_run: bool, open_items: int | None = None) -> str:
        """`open_items`: what Review lists now, so the summary and the badge agree (items of
        earlier runs still open count too; this run's held ones are among them)."""
        if counts is None:
            return ""
        verb = "Preview: would create" if dry_run else "Sync finished:"
        to_review = counts.held if open_items is None else open_items
        parts = [
            f"{counts.created} created",
            f"{counts.updated} updated",
            f"{counts.linked} matched",
            f"{to_review} to review",
        ]
        if counts.failed:
            parts.append(f"{counts.failed} failed")
        if counts.totals_differ:
            parts.append(f"{counts.totals_differ} with totals that differ between the two")
        text = ", ".join(parts)
        return f"{verb} {text}" if not dry_run else f"Preview: {text} (nothing was changed)"

    def _one(
        self,
        connection_id: int,
        kind: Kind,
        scoro_id: str,
        *,
        trigger: str,
        action: Callable[[Engine], None],
    ) -> RunResult:
        with self._lock:
            if connection_id in self._running:
                raise ConnectionBusy("A sync of this connection is already running.")
            self._running.add(connection_id)
        try:
            with self._run_lock(connection_id, trigger):
                return self._run(connection_id, [], False, trigger, None, body=action)
        finally:
            with self._lock:
                self._running.discard(connection_id)

    def send_one(self, connection_id: int, kind: Kind, scoro_id: str) -> RunResult:
        """R43: an invoice or bill until a payment is attached to it, a contact any time."""
        kind = Kind(kind)
        sent: dict[str, str] = {}

        def action(engine: Engine) -> None:
            engine._category = "single"
            rec = engine.gw[Side.SCORO].fetch(kind, [scoro_id]).get(scoro_id)
            if rec is None:
                raise SyncError(
                    f"This {kind.label.lower()} was not found in Scoro: it may have been "
                    "deleted. Search again to see the current list."
                )
            sent["name"] = _document_name(kind, rec)
            if kind in (Kind.INVOICE, Kind.CREDIT_NOTE, Kind.BILL) and rec.paid:
                raise SyncError(
                    f"{sent['name']} already has a payment, so it can no longer be sent. "
                    "Change it in QuickBooks if needed."
                )
            if kind in (Kind.CUSTOMER, Kind.VENDOR):
                # Both roles the contact has, vendor first (R23 renaming before the customer).
                for role in (Kind.VENDOR, Kind.CUSTOMER):
                    flag = rec.is_supplier if role is Kind.VENDOR else rec.is_client
                    if flag or role is kind:
                        engine.process(role, Side.SCORO, [rec])
                return
            engine.process(kind, Side.SCORO, [rec])
            if kind in (Kind.INVOICE, Kind.BILL, Kind.CREDIT_NOTE):
                s = engine.settings
                if s.attachments_mode == "automatic":
                    self._send_attachments(engine, kind, scoro_id)

        result = self._one(connection_id, kind, scoro_id, trigger="single", action=action)
        changed = result.created + result.updated + result.linked + result.held + result.failed
        if result.status == "ok" and not changed and "name" in sent:
            name = sent["name"]
            result = dataclasses.replace(
                result,
                message=f"Nothing to send: {name[:1].lower()}{name[1:]} is already the same "
                "in QuickBooks.",
            )
        elif result.status == "review" and "name" in sent:
            reason = self._held_reason(connection_id, kind, scoro_id)
            result = dataclasses.replace(
                result,
                message=f"{sent['name']} was not sent: it is held for review. {reason}".strip(),
            )
        return result

    def _held_reason(self, connection_id: int, kind: Kind, scoro_id: str) -> str:
        """The open review item that holds this document back, in its own words."""
        item = (
            m.ReviewItem.select()
            .where(
                (m.ReviewItem.connection == connection_id)
                & (m.ReviewItem.kind == kind.value)
                & (m.ReviewItem.object_id == scoro_id)
                & (m.ReviewItem.status == "open")
            )
            .order_by(m.ReviewItem.id.desc())
            .first()
        )
        return item.message if item is not None else ""

    def _not_in_quickbooks(self, engine: Engine, kind: Kind, scoro_id: str) -> SyncError:
        """A document with no QuickBooks twin yet, by its number, with the real reason."""
        rec = engine.gw[Side.SCORO].fetch(kind, [scoro_id]).get(scoro_id)
        name = _document_name(kind, rec) if rec is not None else f"This {kind.label.lower()}"
        reason = self._held_reason(engine.conn.id, kind, scoro_id)
        if reason:
            return SyncError(
                f"{name} is not in QuickBooks: it is held for review. {reason} "
                "Resolve it in the Review tab first."
            )
        return SyncError(
            f"{name} is not in QuickBooks yet. Select it and click Send to QuickBooks first."
        )

    def pull_receipts(self, connection_id: int, kind: Kind, scoro_id: str) -> RunResult:
        """R43: receipts for one invoice or bill, until it is fully paid."""
        kind = Kind(kind)
        pay_kind = Kind.BILL_PAYMENT if kind is Kind.BILL else Kind.RECEIPT

        def action(engine: Engine) -> None:
            engine._category = "receipts"
            qbo_id = engine.links.other_id(kind, Side.SCORO, scoro_id)
            if qbo_id is None:
                raise self._not_in_quickbooks(engine, kind, scoro_id)
            for batch in engine.gw[Side.QBO].changes(pay_kind, None):
                wanted = [
                    p for p in batch.records if any(a.document.id == qbo_id for a in p.allocations)
                ]
                if wanted:
                    engine.process(pay_kind, Side.QBO, wanted)

        return self._one(connection_id, kind, scoro_id, trigger="single", action=action)

    def send_attachments(self, connection_id: int, kind: Kind, scoro_id: str) -> RunResult:
        kind = Kind(kind)
        return self._one(
            connection_id,
            kind,
            scoro_id,
            trigger="single",
            action=lambda e: self._send_attachments(e, kind, scoro_id),
        )

    def _send_attachments(self, engine: Engine, kind: Kind, scoro_id: str) -> None:
        """R55 manual: the document's Scoro files go to QuickBooks, each once."""
        if engine.links.other_id(kind, Side.SCORO, scoro_id) is None:
            raise self._not_in_quickbooks(engine, kind, scoro_id)
        engine._category = "attachments"
        engine.attachments_of(kind, scoro_id)

    def search_documents(self, connection_id: int, kind: Kind, text: str) -> list[DocumentSummary]:
        conn = self._conn(connection_id)
        kind = Kind(kind)
        gw = self._wiring(conn).scoro
        out = []
        found = gw.search(kind, text)
        names = self._contact_names(conn, gw, found)
        for rec in found:
            qbo_id = (
                m.Link.select(m.Link.qbo_id)
                .where(
                    (m.Link.connection == conn)
                    & (m.Link.kind == kind.value)
                    & (m.Link.scoro_id == rec.id)
                )
                .scalar()
            )
            paid = getattr(rec, "paid", 0) or 0
            can_send = not (kind in (Kind.INVOICE, Kind.BILL) and paid)
            out.append(
                DocumentSummary(
                    kind=kind.value,
                    scoro_id=rec.id,
                    number=getattr(rec, "number", "") or getattr(rec, "name", ""),
                    contact=names.get(getattr(getattr(rec, "contact", None), "id", ""), ""),
                    date=getattr(rec, "date", None),
                    total=str(getattr(rec, "total", "")),
                    currency=getattr(rec, "currency", "") or "",
                    qbo_id=qbo_id,
                    can_send=can_send,
                    why_not="" if can_send else "A payment is attached.",
                )
            )
        return out

    @staticmethod
    def _contact_names(conn: m.Connection, gw, records) -> dict[str, str]:
        """Names for the contacts of listed documents: from the last sync's snapshot where
        there is one, otherwise one read per contact (a handful per search)."""
        wanted = {r.contact.id for r in records if getattr(r, "contact", None) is not None}
        names: dict[str, str] = {}
        for link in m.Link.select(m.Link.scoro_id, m.Link.snapshot).where(
            (m.Link.connection == conn)
            & (m.Link.kind.in_([Kind.CUSTOMER.value, Kind.VENDOR.value]))
            & (m.Link.scoro_id.in_(list(wanted)))
        ):
            try:
                names[link.scoro_id] = json.loads(link.snapshot)["scoro"]["name"]
            except (ValueError, KeyError, TypeError):
                continue
        missing = sorted(wanted - names.keys())
        if missing:
            for cid, rec in gw.fetch(Kind.CUSTOMER, missing).items():
                names[cid] = rec.name
        return names

    def due(self, now: dt.datetime) -> list[tuple[int, list[Category]]]:
        out = []
        for conn in m.Connection.select().where(m.Connection.status == "active"):
            if conn.id in self._running:
                continue
            s = m.SyncSettings.get_or_none(m.SyncSettings.connection == conn)
            if s is None or s.saved_at is None:
                continue
            last = (
                m.Run.select()
                .where(
                    (m.Run.connection == conn)
                    & (m.Run.dry_run == False)  # noqa: E712
                    & (m.Run.trigger.in_(["manual", "automatic", "cli"]))
                )
                .order_by(m.Run.id.desc())
                .first()
            )
            if schedule.is_due(s.mode, last.started_at if last else None, now):
                out.append((conn.id, None))
            elif schedule.is_due(s.background_mode, s.last_background_run_at, now):
                out.append((conn.id, [Category.BACKGROUND]))
        return out

    # ------------------------------------------------------------------ review
    def _review_info(self, item: m.ReviewItem) -> ReviewInfo:
        try:
            details = json.loads(item.details or "{}")
        except ValueError:
            details = {}
        return ReviewInfo(
            item.id,
            item.connection_id,
            item.kind,
            item.type,
            item.object_label,
            item.message,
            details,
            item.status,
            review_mod.resolutions_for(item.type),
            item.created_at,
        )

    def review_items(
        self, connection_id: int | None = None, status: str = "open"
    ) -> list[ReviewInfo]:
        q = m.ReviewItem.select().where(m.ReviewItem.status == status)
        if connection_id is not None:
            q = q.where(m.ReviewItem.connection == connection_id)
        return [self._review_info(i) for i in q.order_by(m.ReviewItem.id)]

    def review_count(self, connection_id: int | None = None) -> int:
        q = m.ReviewItem.select().where(m.ReviewItem.status == "open")
        if connection_id is not None:
            q = q.where(m.ReviewItem.connection == connection_id)
        return q.count()

    def resolve(
        self, review_id: int, resolution: str, choice: str | None = None
    ) -> RunResult | None:
        """`choice` is the current QuickBooks tax rate for "map_tax_rate"."""
        item = m.ReviewItem.get_or_none(m.ReviewItem.id == review_id)
        if item is None:
            raise SyncError("That review item no longer exists.")
        if resolution not in review_mod.resolutions_for(item.type):
            raise SettingsInvalid(f"{resolution!r} does not apply to this item.")
        conn = item.connection
        kind, source = Kind(item.kind), Side(item.object_side)
        result = None
        if resolution == "map_tax_rate":
            self._map_tax_rate(item, choice)
            resolution = "retry"
        elif resolution == "currency_contact":
            self._make_currency_contact(item)
            resolution = "retry"
        if resolution in ("take_source", "retry"):
            force = resolution == "take_source"

            def action(engine: Engine) -> None:
                engine._category = "review"
                rec = engine.gw[source].fetch(kind, [item.object_id]).get(item.object_id)
                if rec is None:
                    raise SyncError(f"{item.object_label} no longer exists in {source.label}.")
                engine.process(kind, source, [rec], force=force)

            result = self._one(conn.id, kind, item.object_id, trigger="review", action=action)
            item = m.ReviewItem.get_by_id(review_id)
            if (
                result.status in ("ok", "review")
                and item.status == "open"
                # Held again by this retry (the same item refreshed): it stays in Review.
                and (force or not (self._still_held(item) or result.held))
            ):
                item.status = "resolved"
        elif resolution == "keep_target":
            self._accept_target(item)
            item.status = "resolved"
        else:
            item.status = "dismissed"
            self._remember_dismissed(item)
        if item.status != "open":
            item.resolution = resolution
            item.resolved_at = m.utcnow()
            item.save()
            self._refresh_held(conn, kind)
        return result

    def _refresh_held(self, conn: m.Connection, kind: Kind) -> None:
        """The Overview's "1 held" follows Review: an item resolved here is no longer held."""
        import re

        from ..domain.kinds import CATEGORY_KINDS

        for category, kinds in CATEGORY_KINDS.items():
            if kind not in kinds:
                continue
            row = m.CategorySetting.get_or_none(
                (m.CategorySetting.connection == conn)
                & (m.CategorySetting.category == category.value)
            )
            if row is None or "held" not in (row.last_result or ""):
                continue
            held = (
                m.ReviewItem.select()
                .where(
                    (m.ReviewItem.connection == conn)
                    & (m.ReviewItem.kind.in_([k.value for k in kinds]))
                    & (m.ReviewItem.status == "open")
                    & ~(m.ReviewItem.type.in_(sorted(review_mod.WARNING_ONLY)))
                )
                .count()
            )
            parts = [p.strip() for p in row.last_result.split(",")]
            parts = [
                (f"{held} held" if held else "") if re.fullmatch(r"\d+ held", p) else p
                for p in parts
            ]
            row.last_result = ", ".join(p for p in parts if p) or "no changes"
            row.save()

    def _remember_dismissed(self, item: m.ReviewItem) -> None:
        """Dismissed stays dismissed until the record changes: the record as it is now is
        kept with the item (see review.raise_item)."""
        try:
            details = json.loads(item.details or "{}")
        except ValueError:
            details = {}
        if details.get("fingerprint") or item.type == "conflict":
            return  # raised with it, or a conflict (its marker covers both sides)
        try:
            gw = self._wiring(item.connection)
            gws = {Side.SCORO: gw.scoro, Side.QBO: gw.qbo}
            rec = gws[Side(item.object_side)].fetch(Kind(item.kind), [item.object_id])
        except (RemoteError, OSError) as exc:
            log.warning("could not read %s to remember its dismissal: %s", item.object_label, exc)
            return
        found = rec.get(item.object_id)
        if found is not None:
            details["fingerprint"] = found.fingerprint()
            item.details = json.dumps(details, sort_keys=True, ensure_ascii=False, default=str)

    # "Fix it here" ----------------------------------------------------------------------

    def tax_rate_choices(self, connection_id: int) -> list[tuple[str, str]]:
        """Current (active) QuickBooks tax rates: (QuickBooks id, name)."""
        out = []
        for link in m.Link.select().where(
            (m.Link.connection == connection_id) & (m.Link.kind == Kind.TAX_RATE.value)
        ):
            try:
                rate = json.loads(link.snapshot)["quickbooks"]
            except (ValueError, KeyError, TypeError):
                continue
            if rate.get("active", True) and not rate.get("deleted"):
                out.append((link.qbo_id, rate.get("name") or link.qbo_id))
        return sorted(out, key=lambda c: c[1])

    def _old_tax_rate(self, item: m.ReviewItem) -> tuple[str, str] | None:
        """(Scoro tax rate id, name) of the outdated rate an item is about."""
        try:
            details = json.loads(item.details or "{}")
        except ValueError:
            details = {}
        links = m.Link.select().where(
            (m.Link.connection == item.connection) & (m.Link.kind == Kind.TAX_RATE.value)
        )
        wanted_id, wanted_name = details.get("scoro_tax_rate"), details.get("tax_rate")
        for link in links:
            try:
                snap = json.loads(link.snapshot)
            except ValueError:
                continue
            names = {
                (snap.get("quickbooks") or {}).get("name"),
                (snap.get("scoro") or {}).get("name"),
            }
            if link.scoro_id == wanted_id or (wanted_name and wanted_name in names):
                return link.scoro_id, wanted_name or (snap.get("scoro") or {}).get("name", "")
        if wanted_id:
            return str(wanted_id), str(wanted_name or wanted_id)
        return None

    def tax_rate_fix(self, review_id: int) -> dict:
        """What "Fix it here" offers for an outdated tax rate: the old rate, the current
        QuickBooks rates, and the one chosen before for this connection."""
        item = m.ReviewItem.get_by_id(review_id)
        old = self._old_tax_rate(item)
        mapped = review_mod.tax_rate_mappings(item.connection)
        return {
            "old_name": old[1] if old else "",
            "choices": self.tax_rate_choices(item.connection_id),
            "current": mapped.get(old[0]) if old else None,
        }

    def _map_tax_rate(self, item: m.ReviewItem, qbo_id: str | None) -> None:
        choices = dict(self.tax_rate_choices(item.connection_id))
        if not qbo_id or qbo_id not in choices:
            raise SettingsInvalid("Choose one of the current QuickBooks tax rates first.")
        old = self._old_tax_rate(item)
        if old is None:
            raise SettingsInvalid(
                "The tax rate of this item is not known here. Update the tax rates (Sync "
                "background items), then try again."
            )
        review_mod.remember_mapping(
            item.connection, Kind.TAX_RATE, old[0], qbo_id, label=choices[qbo_id]
        )
        log.info("tax rate %s is now sent to QuickBooks as %s", old[1], choices[qbo_id])

    def currency_fix(self, review_id: int) -> dict:
        """What "Fix it here" offers for a currency item: a separate contact in the
        document's currency, named the way bookkeepers do ("Müller GmbH (USD)")."""
        item = m.ReviewItem.get_by_id(review_id)
        try:
            details = json.loads(item.details or "{}")
        except ValueError:
            details = {}
        currency = details.get("document_currency") or ""
        contact_kind, contact = self._document_contact(item)
        name = contact.name if contact is not None else ""
        made = (
            review_mod.currency_contact(item.connection, contact_kind, contact.id, currency)
            if contact is not None and currency
            else None
        )
        return {
            "currency": currency,
            "contact_currency": details.get("contact_currency") or "",
            "contact_name": name,
            "new_name": review_mod.currency_contact_name(name, currency) if name else "",
            "made": made.label if made is not None else "",
            "possible": bool(name and currency and details.get("contact_currency")),
        }

    def _document_contact(self, item: m.ReviewItem):
        """(QuickBooks contact kind, the Scoro contact) of a held document."""
        kind = Kind(item.kind)
        contact_kind = Kind.VENDOR if kind is Kind.BILL else Kind.CUSTOMER
        wiring = self._wiring(item.connection)
        doc = wiring.scoro.fetch(kind, [item.object_id]).get(item.object_id)
        ref = getattr(doc, "contact", None)
        if ref is None:
            return contact_kind, None
        found = wiring.scoro.fetch(contact_kind, [ref.id]).get(ref.id)
        return contact_kind, found

    def _make_currency_contact(self, item: m.ReviewItem) -> None:
        from ..domain.ports import WriteOp
        from .engine import make_requestid

        fix = self.currency_fix(item.id)
        if not fix["possible"]:
            raise SettingsInvalid(
                "This item is not about a contact's currency, so no separate contact is made."
            )
        if fix["made"]:
            return
        contact_kind, contact = self._document_contact(item)
        currency, name = fix["currency"], fix["new_name"]
        wiring = self._wiring(item.connection)
        wanted = contact.replace(
            id="",
            name=name,
            currency=currency,
            is_client=contact_kind is Kind.CUSTOMER,
            is_supplier=contact_kind is Kind.VENDOR,
        )
        found = wiring.qbo.find(contact_kind, wanted)
        if found is None:
            op = WriteOp(
                key=contact.id,
                kind=contact_kind,
                op="create",
                record=wanted,
                requestid=make_requestid(
                    item.connection_id, contact_kind, contact.id, f"currency:{currency}"
                ),
            )
            outcome = wiring.qbo.write_many([op])[0]
            if outcome.error is not None:
                raise outcome.error
            found = outcome.record
        if getattr(found, "currency", None) not in (None, "", currency):
            raise SettingsInvalid(
                f"QuickBooks already has a contact named {name} in {found.currency}. Rename "
                f"it in QuickBooks, or change the document's currency in Scoro."
            )
        review_mod.remember_mapping(
            item.connection, contact_kind, contact.id, found.id, currency=currency, label=name
        )

    def _still_held(self, item: m.ReviewItem) -> bool:
        return (
            m.ReviewItem.select()
            .where(
                (m.ReviewItem.connection == item.connection)
                & (m.ReviewItem.kind == item.kind)
                & (m.ReviewItem.object_id == item.object_id)
                & (m.ReviewItem.status == "open")
                & (m.ReviewItem.id != item.id)
            )
            .exists()
        )

    def _accept_target(self, item: m.ReviewItem) -> None:
        """ "Keep QuickBooks'": the target's version becomes the new base, so the source's
        edit is no longer pending and nothing is overwritten."""
        conn = item.connection
        kind, source = Kind(item.kind), Side(item.object_side)
        wiring = self._wiring(conn)
        gws = {Side.SCORO: wiring.scoro, Side.QBO: wiring.qbo}
        from .links import LinkBook

        links = LinkBook(conn)
        link = links.by_side(kind, source, item.object_id)
        if link is None:
            return
        src = gws[source].fetch(kind, [item.object_id]).get(item.object_id)
        other_id = link.qbo_id if source is Side.SCORO else link.scoro_id
        tgt = gws[source.other].fetch(kind, [other_id]).get(other_id)
        if src is None or tgt is None:
            return
        engine = Engine(
            connection=conn,
            scoro=wiring.scoro,
            qbo=wiring.qbo,
            settings=m.SyncSettings.get(m.SyncSettings.connection == conn),
            category_settings={},
            emit=self._emit,
        )
        engine.save_link(kind, source, src, tgt)

    # ------------------------------------------------------------------ history and log
    def history(self, connection_id: int, limit: int = 50) -> list[RunInfo]:
        q = (
            m.Run.select()
            .where(m.Run.connection == connection_id)
            .order_by(m.Run.id.desc())
            .limit(limit)
        )
        return [
            RunInfo(
                r.id,
                r.connection_id,
                r.started_at,
                r.finished_at,
                r.trigger,
                r.status,
                r.created,
                r.updated,
                r.held,
                r.failed,
                r.message,
                bool(r.dry_run),
            )
            for r in q
        ]

    def log(
        self,
        connection_id: int | None = None,
        *,
        limit: int = 1000,
        level: str | None = None,
        text: str | None = None,
    ) -> list[LogInfo]:
        q = m.LogEntry.select()
        if connection_id is not None:
            q = q.where(m.LogEntry.connection == connection_id)
        if level:
            q = q.where(m.LogEntry.level == level)
        if text:
            q = q.where(m.LogEntry.message.contains(text))
        rows = q.order_by(m.LogEntry.id.desc()).limit(limit)
        return [
            LogInfo(r.at, r.level, r.category, r.message, r.connection_id)
            for r in reversed(list(rows))
        ]

    # ------------------------------------------------------------------ reconcile
    def reconcile(
        self,
        connection_id: int,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
    ):
        """Do Scoro and QuickBooks agree? Every document kind of the enabled invoice, bill
        and receipt categories dated in the window (by default 1 January of this year to
        today), read from list pages and queries only, compared by `sync.reconcile`.
        Raises ReconnectNeeded or RemoteError when a side cannot be read."""
        from . import reconcile as rc

        conn = self._conn(connection_id)
        if conn.status in ("reconnect_needed", "disconnected"):
            raise ReconnectNeeded(
                conn.status_message or "Reconnect to QuickBooks first.", side="quickbooks"
            )
        started = time.monotonic()
        rows_by_cat = self._category_rows(conn)
        directions: dict[Kind, Direction] = {}
        for category in (Category.INVOICES, Category.BILLS, Category.RECEIPTS):
            row = rows_by_cat.get(category)
            if row is None or not row.enabled:
                continue
            for kind in category.kinds:
                directions[kind] = Direction(row.direction)
        if date_to is None:
            date_to = dt.datetime.now(dt.UTC).date()
        if date_from is None:
            date_from = date_to.replace(month=1, day=1)
        if date_from is not None and date_to < date_from:
            raise SettingsInvalid("The end date is before the start date. Choose dates in order.")
        wiring = self._wiring(conn)
        before = wiring.request_count
        kinds = [k for k in rc.DOCUMENT_KINDS if k in directions]
        read: dict[Kind, tuple[list, list]] = {}
        unreadable: list[str] = []
        for kind in kinds:
            scoro_rows, scoro_bad = wiring.scoro.list_documents(kind, date_from, date_to)
            qbo_rows, qbo_bad = wiring.qbo.list_documents(kind, date_from, date_to)
            read[kind] = (scoro_rows, qbo_rows)
            unreadable += [logs.redact(str(e)) for e in (*scoro_bad, *qbo_bad)]
        values = [k.value for k in kinds]
        links = {
            (Kind(link.kind), link.scoro_id): link.qbo_id
            for link in m.Link.select(m.Link.kind, m.Link.scoro_id, m.Link.qbo_id).where(
                (m.Link.connection == conn) & (m.Link.kind.in_(values))
            )
        }
        contact_links = {
            (Kind(link.kind), link.scoro_id): link.qbo_id
            for link in m.Link.select(m.Link.kind, m.Link.scoro_id, m.Link.qbo_id).where(
                (m.Link.connection == conn)
                & (m.Link.kind.in_([Kind.CUSTOMER.value, Kind.VENDOR.value]))
            )
        }
        reviews: dict[tuple[Kind, Side, str], int] = {}
        ignored: dict[str, tuple[str, str]] = {}
        for item in m.ReviewItem.select().where(m.ReviewItem.connection == conn):
            if item.type == RECONCILE_IGNORED:
                try:
                    details = json.loads(item.details or "{}")
                    ignored[details["key"]] = (details["signature"], details.get("reason", ""))
                except (ValueError, KeyError, TypeError):
                    continue
            elif item.status == "open" and item.kind in values:
                reviews.setdefault(
                    (Kind(item.kind), Side(item.object_side), item.object_id), item.id
                )
                if item.object_side == Side.SCORO.value:
                    # The item names the source id; its QuickBooks twin shares the item.
                    qid = links.get((Kind(item.kind), item.object_id))
                    if qid:
                        reviews.setdefault((Kind(item.kind), Side.QBO, qid), item.id)
        inputs = rc.Inputs(links, contact_links, directions, reviews, ignored)
        result = rc.reconcile(
            conn.id,
            date_from,
            date_to,
            read,
            inputs,
            requests=wiring.request_count - before,
            seconds=round(time.monotonic() - started, 3),
            unreadable=unreadable,
        )
        if not self.read_only:
            with contextlib.suppress(*STORE_ERRORS):
                m.LogEntry.create(
                    connection=conn,
                    level="info" if result.agrees else "warning",
                    category="reconcile",
                    message=f"Reconcile: {result.summary}",
                )
        return result

    def _force_copy(
        self, connection_id: int, kind: Kind, source: Side, record_id: str, label: str
    ) -> RunResult:
        """One document copied from `source` over its twin, as "Send Scoro's version" does."""

        def body(engine: Engine) -> None:
            engine._category = "reconcile"
            rec = engine.gw[source].fetch(kind, [record_id]).get(record_id)
            if rec is None:
                raise SyncError(f"{label} is no longer in {source.label}.")
            engine.process(kind, source, [rec], force=True)

        return self._one(connection_id, kind, record_id, trigger="single", action=body)

    def resolve_difference(self, connection_id: int, difference, action: str, reason: str = ""):
        """Act on one reconcile difference: "send" Scoro's version to QuickBooks, "pull"
        QuickBooks' into Scoro, "link" the two documents of the same number, or "ignore" it
        with a reason (it stays ignored until its figures change). Returns a RunResult for
        send, pull and link; None for ignore."""
        kind = difference.kind
        s, q = difference.scoro, difference.quickbooks
        if action == "ignore":
            if not reason.strip():
                raise SettingsInvalid("Say why this difference is ignored, for whoever looks next.")
            conn = self._conn(connection_id)
            row = s or q
            m.ReviewItem.create(
                connection=conn,
                kind=kind.value,
                object_id=row.id if row else difference.contact,
                object_side=(row.side if row else Side.SCORO).value,
                object_label=difference.label,
                type=RECONCILE_IGNORED,
                message=f"Ignored in Reconcile: {reason.strip()}",
                details=json.dumps(
                    {
                        "key": difference.key,
                        "signature": difference.signature,
                        "reason": reason.strip(),
                        "description": difference.description,
                    }
                ),
                status="dismissed",
                resolution="ignore",
                resolved_at=m.utcnow(),
            )
            return None
        if action == "send" and s is not None:
            return self._force_copy(connection_id, kind, Side.SCORO, s.id, difference.label)
        if action == "pull" and q is not None:
            return self._force_copy(connection_id, kind, Side.QBO, q.id, difference.label)
        if action == "link" and s is not None and q is not None:

            def body(engine: Engine) -> None:
                src = engine.gw[Side.SCORO].fetch(kind, [s.id]).get(s.id)
                tgt = engine.gw[Side.QBO].fetch(kind, [q.id]).get(q.id)
                if src is None or tgt is None:
                    raise SyncError(f"{difference.label} is no longer in both books.")
                engine.save_link(kind, Side.SCORO, src, tgt)
                engine.counts.linked += 1

            return self._one(connection_id, kind, s.id, trigger="single", action=body)
        raise SettingsInvalid(f"That cannot be done for {difference.label}.")

    # ------------------------------------------------------------------ older documents
    def import_history(
        self,
        connection_id: int,
        category: Category,
        start: dt.date,
        *,
        dry_run: bool = False,
        only=None,
        cancel: threading.Event | None = None,
    ):
        """One category's records from `start`, before its start date: a preview with
        `dry_run`, then the import of what the preview listed (`only`). See sync/history.py."""
        from .history import import_history

        return import_history(
            self, connection_id, category, start, dry_run=dry_run, only=only, cancel=cancel
        )
