"""An in-memory SyncService with the real API's shape, for fast widget tests.

The end-to-end tests (test_demo_*.py) use the real service against the sandboxes; this one lets
the category-table rules, the review panel and the run plumbing be checked in milliseconds and
deterministically. Runs emit events from the calling (worker) thread, as the real one does.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import replace

from qbsync_desktop.domain import CATEGORY_ORDER, Category, Direction, Kind
from qbsync_desktop.sync.types import (
    AccountChoice,
    BookmarkChoice,
    CategoryConfig,
    ConnectionInfo,
    ConnectionStatus,
    DocumentSummary,
    Event,
    EventType,
    LogInfo,
    PlannedAction,
    ReviewInfo,
    RunInfo,
    RunResult,
    SyncSettingsInfo,
)


class SettingsInvalid(Exception):
    pass


FLOOR = dt.date(2026, 11, 1)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class FakeService:
    def __init__(self, *, run_seconds: float = 0.2, records: int = 20) -> None:
        self.run_seconds = run_seconds
        self.records = records
        self.listeners = []
        self.calls: list[tuple] = []
        self.run_threads: list[str] = []
        self._lock = threading.Lock()
        self.conns = {
            1: ConnectionInfo(
                id=1,
                scoro_site_url="https://acme.scoro.com",
                company_account_id="acme_ee",
                entity_name="Acme OÜ",
                scoro_currency="EUR",
                qbo_realm_id="1",
                qbo_company_name="Acme OÜ (QuickBooks)",
                qbo_currency="EUR",
                multicurrency=True,
                class_tracking="per_line",
                environment="local",
                status=ConnectionStatus.ACTIVE,
                status_message="",
                first_connected_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
            ),
            2: ConnectionInfo(
                id=2,
                scoro_site_url="https://acme.scoro.com",
                company_account_id="acme_uk",
                entity_name="Acme Ltd",
                scoro_currency="GBP",
                qbo_realm_id="3",
                qbo_company_name="Acme Ltd books",
                qbo_currency="USD",
                multicurrency=False,
                class_tracking="off",
                environment="local",
                status=ConnectionStatus.CURRENCY_BLOCKED,
                status_message="GBP in Scoro, USD in QuickBooks.",
                first_connected_at=None,
            ),
        }
        self.cats = {
            cid: {
                c: CategoryConfig(
                    category=c,
                    enabled=c
                    in (
                        Category.BACKGROUND,
                        Category.CONTACTS,
                        Category.INVOICES,
                        Category.PRODUCTS,
                    ),
                    direction=c.fixed_direction or Direction.SCORO_TO_QBO,
                    direction_fixed=c.fixed_direction is not None,
                    start_date=FLOOR,
                    start_date_floor=FLOOR,
                    start_date_locked=False,
                    unavailable_reason=(
                        "Turn on class tracking in QuickBooks (per line) to sync classes."
                        if c is Category.CLASSES
                        else ""
                    ),
                )
                for c in CATEGORY_ORDER
            }
            for cid in self.conns
        }
        self.settings = {
            cid: SyncSettingsInfo("manual", "daily", "4000", "6000", False, "automatic")
            for cid in self.conns
        }
        self.reviews: dict[int, ReviewInfo] = {
            11: ReviewInfo(
                id=11,
                connection_id=1,
                kind="invoice",
                type="conflict",
                object_label="Invoice INV-1040",
                message="INV-1040 changed in both Scoro and QuickBooks since the last sync.",
                details={
                    "fields": [
                        {
                            "field": "Due date",
                            "scoro": "2026-12-10",
                            "base": "2026-12-01",
                            "quickbooks": "2026-12-15",
                        },
                        {"field": "Line 2 quantity", "scoro": 3, "base": 2, "quickbooks": 2},
                    ]
                },
                status="open",
                resolutions=("take_source", "keep_target", "dismiss"),
                created_at=_now(),
            ),
            12: ReviewInfo(
                id=12,
                connection_id=1,
                kind="customer",
                type="currency_mismatch",
                object_label="Contact Müller GmbH",
                message="Müller GmbH is in USD in Scoro but in EUR in QuickBooks.",
                details={"scoro_currency": "USD", "quickbooks_currency": "EUR"},
                status="open",
                resolutions=("retry", "dismiss"),
                created_at=_now(),
            ),
        }
        self.runs: list[RunInfo] = []
        self.logs: list[LogInfo] = [
            LogInfo(_now(), "info", "contacts", "Contact Baltic Foods OÜ linked", 1),
            LogInfo(_now(), "warning", "invoices", "INV-1043 held for review: two projects", 1),
            LogInfo(_now(), "error", "bills", "Bill B-7 rejected by QuickBooks", 1),
        ]
        self.due_answer: list[tuple[int, list[Category] | None]] = []

    # listeners
    def add_listener(self, fn):
        self.listeners.append(fn)

    def remove_listener(self, fn):
        if fn in self.listeners:
            self.listeners.remove(fn)

    def emit(self, ev: Event) -> None:
        for fn in list(self.listeners):
            fn(ev)

    def close(self):
        pass

    # connections
    def connections(self):
        return [replace(c, open_reviews=self.review_count(c.id)) for c in self.conns.values()]

    def connection(self, cid):
        return next(c for c in self.connections() if c.id == cid)

    def check_currencies(self, cid):
        from qbsync_desktop.sync.types import CurrencyCheck

        c = self.conns[cid]
        ok = c.scoro_currency == c.qbo_currency or c.multicurrency
        return CurrencyCheck(
            ok, c.scoro_currency, c.qbo_currency, c.multicurrency, "" if ok else "GBP vs USD"
        )

    def disconnect(self, cid):
        self.calls.append(("disconnect", cid))
        self.conns[cid] = replace(self.conns[cid], status=ConnectionStatus.DISCONNECTED)
        self.emit(Event(EventType.CONNECTION_STATUS, cid, message="Disconnected"))

    # settings
    def categories(self, cid):
        return [self.cats[cid][c] for c in CATEGORY_ORDER]

    def update_category(
        self, cid, category, *, enabled=None, direction=None, start_date=None, bookmark_id=...
    ):
        self.calls.append(("update_category", cid, category, enabled, direction, start_date))
        cfg = self.cats[cid][category]
        if start_date is not None:
            if cfg.start_date_locked and start_date != cfg.start_date:
                raise SettingsInvalid("The start date is locked (R40).")
            if start_date < cfg.start_date_floor:
                raise SettingsInvalid("The start date cannot be before the first connection.")
            cfg = replace(cfg, start_date=start_date)
        if enabled is not None:
            cfg = replace(cfg, enabled=enabled)
        if direction is not None:
            cfg = replace(cfg, direction=Direction(direction))
        if bookmark_id is not ...:
            cfg = replace(cfg, bookmark_id=bookmark_id)
        self.cats[cid][category] = cfg
        return cfg

    def sync_settings(self, cid):
        return self.settings[cid]

    def save_sync_settings(self, cid, info):
        self.calls.append(("save_sync_settings", cid, info))
        self.settings[cid] = info

    def settings_complete(self, cid):
        s = self.settings[cid]
        missing = []
        if not s.default_income_account:
            missing.append("Choose the default income account.")
        if not s.default_expense_account:
            missing.append("Choose the default expense account.")
        return missing

    def accounts(self, cid, purpose):
        if purpose == "income":
            return [
                AccountChoice("4000", "4000 Sales", "Income"),
                AccountChoice("4100", "4100 Services", "Income"),
            ]
        return [AccountChoice("6000", "6000 Office Expenses", "Expense")]

    def bookmarks(self, cid, category):
        return [
            BookmarkChoice(
                "b1", "Sent invoices", "The bookmark's user filter is not applied. (R51)"
            )
        ]

    # running
    def run(self, cid, categories=None, *, dry_run=False, trigger="manual", cancel=None):
        self.calls.append(("run", cid, categories, dry_run, trigger))
        self.run_threads.append(threading.current_thread().name)
        self.emit(Event(EventType.RUN_STARTED, cid, message="Sync started"))
        cats = categories or [c for c, v in self.cats[cid].items() if v.enabled]
        done = 0
        total = self.records
        status = "ok"
        plan = []
        for cat in cats:
            self.emit(Event(EventType.CATEGORY_STARTED, cid, category=cat.value))
            for i in range(total // max(1, len(cats))):
                if cancel is not None and cancel.is_set():
                    status = "cancelled"
                    break
                time.sleep(self.run_seconds / total)
                done += 1
                self.emit(
                    Event(
                        EventType.PROGRESS,
                        cid,
                        category=cat.value,
                        done=done,
                        total=total,
                        counts={"created": done},
                    )
                )
                if dry_run:
                    plan.append(PlannedAction(cat.value, "invoice", "create", f"INV-{i}"))
                else:
                    self.emit(
                        Event(
                            EventType.RECORD_DONE,
                            cid,
                            category=cat.value,
                            message=f"{cat.label} record {i} created",
                        )
                    )
            if status == "cancelled":
                break
            if not dry_run:
                cfg = self.cats[cid][cat]
                self.cats[cid][cat] = replace(
                    cfg, start_date_locked=True, last_run_at=_now(), last_result="ok"
                )
        result = RunResult(
            run_id=len(self.runs) + 1,
            connection_id=cid,
            status=status,
            created=0 if dry_run else done,
            message=f"{status}: {done} created",
            plan=tuple(plan),
        )
        if not dry_run:
            self.runs.insert(
                0,
                RunInfo(
                    result.run_id,
                    cid,
                    _now(),
                    _now(),
                    trigger,
                    status,
                    done,
                    0,
                    0,
                    0,
                    result.message,
                    False,
                ),
            )
        self.emit(Event(EventType.RUN_FINISHED, cid, message=result.message))
        return result

    def send_one(self, cid, kind, scoro_id):
        self.calls.append(("send_one", cid, kind, scoro_id))
        return RunResult(None, cid, "ok", created=1, message="sent")

    def pull_receipts(self, cid, kind, scoro_id):
        self.calls.append(("pull_receipts", cid, kind, scoro_id))
        return RunResult(None, cid, "ok", message="no receipts")

    def send_attachments(self, cid, kind, scoro_id):
        self.calls.append(("send_attachments", cid, kind, scoro_id))
        return RunResult(None, cid, "ok", message="1 attachment sent")

    def search_documents(self, cid, kind, text):
        self.calls.append(("search_documents", cid, kind, text))
        return [
            DocumentSummary(
                Kind(kind).value,
                "101",
                "INV-1042",
                "Baltic Foods OÜ",
                dt.date(2026, 11, 20),
                "1200.00",
                "EUR",
                None,
                True,
            ),
            DocumentSummary(
                Kind(kind).value,
                "102",
                "INV-1043",
                "Müller GmbH",
                dt.date(2026, 11, 21),
                "80.00",
                "EUR",
                "77",
                False,
                "A payment is attached (R43).",
            ),
        ]

    def due(self, now):
        answer, self.due_answer = self.due_answer, []
        return answer

    # review, history, log
    def review_items(self, cid=None, status="open"):
        return [
            r
            for r in self.reviews.values()
            if r.status == status and (cid is None or r.connection_id == cid)
        ]

    def review_count(self, cid=None):
        return len(self.review_items(cid))

    def resolve(self, review_id, resolution):
        self.calls.append(("resolve", review_id, resolution))
        item = self.reviews[review_id]
        self.reviews[review_id] = replace(item, status="resolved")
        return RunResult(None, item.connection_id, "ok", updated=1, message="updated")

    def history(self, cid, limit=50):
        return [r for r in self.runs if r.connection_id == cid][:limit]

    def log(self, cid=None, *, limit=1000, level=None, text=None):
        return [e for e in self.logs if cid is None or e.connection_id == cid][-limit:]
