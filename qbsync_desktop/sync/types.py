"""Plain values the service hands to the GUI and the CLI. No Qt, no peewee objects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from ..domain import Category, Direction


def site_key(site_url: str) -> str:
    """One Scoro site however its address was typed: case, spaces, a trailing slash or the
    API path aside (" https://Acme.scoro.com/api/v2" is https://acme.scoro.com)."""
    url = site_url.strip().rstrip("/").lower()
    for suffix in ("/api/v2", "/api"):
        if url.endswith(suffix):
            url = url[: -len(suffix)]
    return url


class EventType(StrEnum):
    RUN_STARTED = "run_started"
    CATEGORY_STARTED = "category_started"
    RECORD_DONE = "record_done"  # created / updated / unchanged / linked
    RECORD_HELD = "record_held"  # turned into a review item
    RECORD_FAILED = "record_failed"  # will be retried next run
    PROGRESS = "progress"
    CATEGORY_FINISHED = "category_finished"
    RUN_FINISHED = "run_finished"
    LOG = "log"
    CONNECTION_STATUS = "connection_status"


@dataclass(frozen=True)
class Event:
    type: EventType
    connection_id: int | None = None
    category: str = ""
    message: str = ""
    level: str = "info"
    done: int = 0
    total: int = 0  # 0 when unknown
    counts: dict = field(default_factory=dict)
    at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))


class ConnectionStatus(StrEnum):
    """`Connection.status` in the database: the values are stored as they are, so a
    database written before these enums existed reads the same."""

    DRAFT = "draft"
    CURRENCY_BLOCKED = "currency_blocked"
    ACTIVE = "active"
    RECONNECT_NEEDED = "reconnect_needed"
    DISCONNECTED = "disconnected"

    @property
    def needs_reconnect(self) -> bool:
        """No sign-in to sync with: authorize again first."""
        return self in (ConnectionStatus.RECONNECT_NEEDED, ConnectionStatus.DISCONNECTED)


class RunStatus(StrEnum):
    """`Run.status` in the database and `RunResult.status`; stored as these strings."""

    RUNNING = "running"
    OK = "ok"
    REVIEW = "review"
    FAILED = "failed"
    CANCELLED = "cancelled"
    RECONNECT_NEEDED = "reconnect_needed"
    # Left "running" by a process that died; marked so once nobody holds its run lock.
    INTERRUPTED = "interrupted"

    @property
    def is_error(self) -> bool:
        """Logged and shown as an error, not as information."""
        return self in (RunStatus.FAILED, RunStatus.RECONNECT_NEEDED)


@dataclass(frozen=True)
class ScoroEntity:
    company_account_id: str
    name: str
    base_currency: str
    active_currencies: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuickBooksAppConfig:
    """What the wizard's QuickBooks page collects. The secret goes to the keyring only."""

    client_id: str
    client_secret: str
    environment: str  # production | intuit_sandbox | local
    redirect_uri: str = ""  # empty: http://localhost:<port>/callback on a loopback server
    local_base_url: str = ""  # for environment == "local" (the demo sandbox)


@dataclass(frozen=True)
class AuthorizationRequest:
    """One authorization attempt: open `url` in the browser, then wait or paste."""

    url: str
    state: str
    redirect_uri: str
    uses_loopback: bool


@dataclass(frozen=True)
class CurrencyCheck:
    ok: bool
    scoro_currency: str
    qbo_currency: str
    multicurrency: bool
    message: str


@dataclass(frozen=True)
class ConnectionInfo:
    id: int
    scoro_site_url: str
    company_account_id: str
    entity_name: str
    scoro_currency: str
    qbo_realm_id: str
    qbo_company_name: str
    qbo_currency: str
    multicurrency: bool
    class_tracking: str
    environment: str
    status: ConnectionStatus
    status_message: str
    first_connected_at: dt.datetime | None
    last_run_at: dt.datetime | None = None
    last_run_status: RunStatus | str = ""  # "" before the first run
    open_reviews: int = 0
    secrets_secure: bool = True
    has_saved_keys: bool = False  # the Scoro key and QuickBooks secret are in the keyring
    qbo_client_id: str = ""
    qbo_local_url: str = ""  # the QuickBooks sandbox address, environment "local" only
    redirect_uri: str = ""

    @property
    def title(self) -> str:
        return f"{self.entity_name} ⇄ {self.qbo_company_name or 'QuickBooks (not connected)'}"


@dataclass(frozen=True)
class CategoryConfig:
    category: Category
    enabled: bool
    direction: Direction
    direction_fixed: bool
    start_date: dt.date | None
    start_date_floor: dt.date | None  # R40: not before the first connection
    start_date_locked: bool  # R40: locked once the initial sync ran
    bookmark_id: str | None = None
    bookmark_name: str | None = None
    last_run_at: dt.datetime | None = None
    last_result: str = ""
    unavailable_reason: str = ""  # e.g. class tracking off (R37)


@dataclass(frozen=True)
class SyncSettingsInfo:
    mode: str  # manual | hourly | daily | weekly
    background_mode: str
    default_income_account: str | None
    default_expense_account: str | None
    bills_without_tax: bool
    attachments_mode: str  # automatic | manual


@dataclass(frozen=True)
class AccountChoice:
    id: str
    label: str
    account_type: str


@dataclass(frozen=True)
class BookmarkChoice:
    id: str
    name: str
    note: str  # R51: which filters are not applied


@dataclass(frozen=True)
class PlannedAction:
    category: str
    kind: str
    action: str  # create | update | link | conflict | hold | nothing
    label: str
    detail: str = ""


@dataclass(frozen=True)
class RunResult:
    run_id: int | None
    connection_id: int
    status: RunStatus
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    linked: int = 0
    held: int = 0
    failed: int = 0
    # Documents written whose totals the other side worked out differently (review items).
    totals_differ: int = 0
    requests: int = 0
    seconds: float = 0.0
    message: str = ""
    plan: tuple[PlannedAction, ...] = ()


@dataclass(frozen=True)
class ReviewInfo:
    id: int
    connection_id: int
    kind: str
    type: str
    object_label: str
    message: str
    details: dict
    status: str
    resolutions: tuple[str, ...]  # subset of take_source, keep_target, dismiss, retry
    created_at: dt.datetime


@dataclass(frozen=True)
class RunInfo:
    id: int
    connection_id: int
    started_at: dt.datetime
    finished_at: dt.datetime | None
    trigger: str
    status: RunStatus
    created: int
    updated: int
    held: int
    failed: int
    message: str
    dry_run: bool


@dataclass(frozen=True)
class LogInfo:
    at: dt.datetime
    level: str
    category: str
    message: str
    connection_id: int | None


@dataclass(frozen=True)
class DocumentSummary:
    kind: str
    scoro_id: str
    number: str
    contact: str
    date: dt.date | None
    total: str
    currency: str
    qbo_id: str | None  # linked QuickBooks id, if synced
    can_send: bool
    why_not: str = ""
