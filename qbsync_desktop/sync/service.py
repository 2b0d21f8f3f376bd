"""SyncService: the one facade the GUI and the CLI use (docs/design.md, sync/service_api.md).
No Qt here.

The work is done by the parts it puts together, each given what it needs:
`authorize` (connecting), `settings` (what syncs and how), `runner` (runs under the run lock),
`runs` (History and the log), `documents` (one document at a time), `review_actions` and
`reconcile_actions`. Blocking methods are meant to be called off the GUI thread; events are
delivered through listeners on the calling thread.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from pathlib import Path

from ..domain import Category, Kind
from ..store import models as m
from ..store import open_store
from .authorize import Authorizer
from .documents import DocumentActions
from .gateways import Gateways
from .reconcile_actions import ReconcileActions
from .review_actions import ReviewActions, open_review_count
from .runner import Runner
from .runs import RunRecords
from .settings import ConnectionSettings, connection_row
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
    LogInfo,
    QuickBooksAppConfig,
    ReviewInfo,
    RunInfo,
    RunResult,
    RunStatus,
    ScoroEntity,
    SyncSettingsInfo,
)
from .wiring import QBO_CLIENT_SECRET, SCORO_API_KEY, connection_key

# Raised by the service; importable from here as they always were.
__all__ = ["SyncService"]

log = logging.getLogger(__name__)


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
        emit = self._emit
        self.gateways = Gateways(self.data_dir, secrets, self.connector_options)
        self.settings = ConnectionSettings(self.gateways)
        self.records = RunRecords(self.data_dir, emit=emit)
        self.runner = Runner(
            self.data_dir,
            gateways=self.gateways,
            settings=self.settings,
            records=self.records,
            review_count=open_review_count,
            emit=emit,
        )
        self.review = ReviewActions(gateways=self.gateways, runner=self.runner, emit=emit)
        self.authorizer = Authorizer(
            self.db,
            secrets,
            gateways=self.gateways,
            settings=self.settings,
            runner=self.runner,
            emit=emit,
        )
        self.documents = DocumentActions(gateways=self.gateways, runner=self.runner)
        self.reconciler = ReconcileActions(
            gateways=self.gateways, settings=self.settings, runner=self.runner, read_only=read_only
        )
        if not read_only:
            self.records.mark_interrupted()

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
        self.authorizer.close()
        if not self.db.is_closed():
            self.db.close()

    def forget_gateways(self) -> None:
        """Drop the cached connectors, e.g. after connection addresses changed."""
        self.gateways.forget()

    # ------------------------------------------------------------------ connections
    def _info(self, conn: m.Connection) -> ConnectionInfo:
        last = self.records.last_run(conn.id)
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
            last_run_status=RunStatus(last.status) if last else "",
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
        return self._info(connection_row(connection_id))

    def test_scoro(
        self,
        site_url: str,
        api_key: str,
        company_account_id: str | None = None,
        *,
        connection_id: int | None = None,
    ) -> list[ScoroEntity]:
        """Check the Scoro address and key, and list the entities they can reach; an empty
        `api_key` with `connection_id` uses the key saved for that connection."""
        return self.authorizer.test_scoro(
            site_url, api_key, company_account_id, connection_id=connection_id
        )

    def site_entities(self) -> list[tuple[str, ScoroEntity, int | None]]:
        """Every entity of every connected Scoro site, with its connection if it has one."""
        return self.authorizer.site_entities()

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
        app: QuickBooksAppConfig,
        connection_id: int | None = None,
        copy_secrets_from: int | None = None,
    ) -> AuthorizationRequest:
        """Starts the loopback server when app.redirect_uri is empty. `connection_id`
        reconnects; with it or `copy_secrets_from`, an empty key or secret is the saved one."""
        return self.authorizer.begin(
            site_url, api_key, company_account_id, app, connection_id, copy_secrets_from
        )

    def wait_for_callback(
        self,
        request: AuthorizationRequest,
        timeout: float = 300.0,
        cancel: threading.Event | None = None,
    ) -> str:
        return self.authorizer.wait_for_callback(request, timeout, cancel)

    def cancel_authorization(self, request: AuthorizationRequest) -> None:
        self.authorizer.cancel(request)

    def complete_authorization(
        self, request: AuthorizationRequest, callback_url: str
    ) -> ConnectionInfo:
        return self.connection(self.authorizer.complete(request, callback_url).id)

    def check_currencies(self, connection_id: int) -> CurrencyCheck:
        """R04, re-reading both sides ("Check again")."""
        return self.authorizer.check_currencies(connection_id)

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

    def disconnect(self, connection_id: int) -> None:
        """Revoke the tokens and forget the secrets; links stay so a reconnect resumes."""
        self.authorizer.disconnect(connection_id)

    def rebind_local(self, scoro_url: str, qbo_url: str, reconnect_message: str) -> int:
        """Point every connection to local sandboxes (environment "local") at new addresses;
        an active one whose sign-in the secret store no longer holds needs a reconnect, with
        `reconnect_message`. Returns how many connections were moved."""
        return self.authorizer.rebind_local(scoro_url, qbo_url, reconnect_message)

    # ------------------------------------------------------------------ settings
    def categories(self, connection_id: int) -> list[CategoryConfig]:
        return self.settings.categories(connection_id)

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
        """Raises SettingsInvalid with the reason when the rules do not allow the change."""
        return self.settings.update_category(
            connection_id,
            category,
            enabled=enabled,
            direction=direction,
            start_date=start_date,
            bookmark_id=bookmark_id,
        )

    def sync_settings(self, connection_id: int) -> SyncSettingsInfo:
        return self.settings.sync_settings(connection_id)

    def save_sync_settings(self, connection_id: int, info: SyncSettingsInfo) -> None:
        self.settings.save_sync_settings(connection_id, info)

    def settings_complete(self, connection_id: int) -> list[str]:
        """R06: what must still be set before the first sync; [] when ready."""
        return self.settings.settings_complete(connection_id)

    def accounts(self, connection_id: int, purpose: str) -> list[AccountChoice]:
        return self.settings.accounts(connection_id, purpose)

    def bookmarks(self, connection_id: int, category: Category) -> list[BookmarkChoice]:
        return self.settings.bookmarks(connection_id, category)

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
        """Raises ConnectionBusy when this connection is already syncing anywhere."""
        return self.runner.run(
            connection_id, categories, dry_run=dry_run, trigger=trigger, cancel=cancel
        )

    def is_running(self, connection_id: int) -> bool:
        return self.runner.is_running(connection_id)

    def due(self, now: dt.datetime) -> list[tuple[int, list[Category] | None]]:
        """Automatic runs that are due: (connection id, categories or None for all)."""
        return self.runner.due(now)

    def send_one(self, connection_id: int, kind: Kind, scoro_id: str) -> RunResult:
        return self.documents.send_one(connection_id, kind, scoro_id)

    def pull_receipts(self, connection_id: int, kind: Kind, scoro_id: str) -> RunResult:
        return self.documents.pull_receipts(connection_id, kind, scoro_id)

    def send_attachments(self, connection_id: int, kind: Kind, scoro_id: str) -> RunResult:
        return self.documents.send_attachments(connection_id, kind, scoro_id)

    def search_documents(self, connection_id: int, kind: Kind, text: str) -> list[DocumentSummary]:
        return self.documents.search(connection_id, kind, text)

    # ------------------------------------------------------------------ review
    def review_items(
        self, connection_id: int | None = None, status: str = "open"
    ) -> list[ReviewInfo]:
        return self.review.items(connection_id, status)

    def review_count(self, connection_id: int | None = None) -> int:
        return self.review.count(connection_id)

    def resolve(
        self, review_id: int, resolution: str, choice: str | None = None
    ) -> RunResult | None:
        """`choice` is the current QuickBooks tax rate for "map_tax_rate"."""
        return self.review.resolve(review_id, resolution, choice)

    def tax_rate_choices(self, connection_id: int) -> list[tuple[str, str]]:
        return self.review.tax_rate_choices(connection_id)

    def tax_rate_fix(self, review_id: int) -> dict:
        return self.review.tax_rate_fix(review_id)

    def currency_fix(self, review_id: int) -> dict:
        return self.review.currency_fix(review_id)

    # ------------------------------------------------------------------ history and log
    def history(self, connection_id: int, limit: int = 50) -> list[RunInfo]:
        return self.records.history(connection_id, limit)

    def log(
        self,
        connection_id: int | None = None,
        *,
        limit: int = 1000,
        level: str | None = None,
        text: str | None = None,
    ) -> list[LogInfo]:
        return self.records.log(connection_id, limit=limit, level=level, text=text)

    # ------------------------------------------------------------------ reconcile
    def reconcile(
        self,
        connection_id: int,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
    ):
        """Do Scoro and QuickBooks agree? A `sync.reconcile.Reconciliation`. Raises
        ReconnectNeeded or RemoteError when a side cannot be read."""
        return self.reconciler.read(connection_id, date_from, date_to)

    def resolve_difference(self, connection_id: int, difference, action: str, reason: str = ""):
        """Act on a difference: send, pull or link (a RunResult), or ignore with a reason."""
        return self.reconciler.resolve(connection_id, difference, action, reason)

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
