"""A connection's settings: which categories sync, in which direction and from when, how
often, and the default accounts. Everything the rules do not allow is refused here with a
message that says why: rules R06, R40 and R51 in docs/rules.md."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

from ..domain import Category, Direction, Kind
from ..domain.errors import SettingsInvalid, SyncError
from ..store import models as m
from . import schedule
from .gateways import Gateways
from .rules import category_unavailable
from .types import (
    AccountChoice,
    BookmarkChoice,
    CategoryConfig,
    ConnectionStatus,
    SyncSettingsInfo,
)

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
BOOKMARK_CATEGORIES = {
    Category.INVOICES: "invoices",
    Category.BILLS: "bills",
    Category.CONTACTS: "contacts",
}
# The order the settings page lists the categories in.
LISTED = (
    Category.BACKGROUND,
    Category.CONTACTS,
    Category.PRODUCTS,
    Category.PROJECTS,
    Category.INVOICES,
    Category.BILLS,
    Category.RECEIPTS,
    Category.CLASSES,
    Category.ATTACHMENTS,
)


def connection_row(connection_id: int) -> m.Connection:
    conn = m.Connection.get_or_none(m.Connection.id == connection_id)
    if conn is None:
        raise SyncError(f"There is no connection number {connection_id}.")
    return conn


class ConnectionSettings:
    """Reads and changes the `CategorySetting` and `SyncSettings` rows of connections."""

    def __init__(self, gateways: Gateways, *, clock: Callable[[], dt.datetime] = m.utcnow):
        self.gateways = gateways  # bookmarks are read from Scoro
        self.clock = clock

    def ensure_defaults(self, conn: m.Connection) -> None:
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

    def category_rows(self, conn: m.Connection) -> dict[Category, m.CategorySetting]:
        self.ensure_defaults(conn)
        return {Category(r.category): r for r in conn.categories}

    def categories(self, connection_id: int) -> list[CategoryConfig]:
        conn = connection_row(connection_id)
        rows = self.category_rows(conn)
        floor = conn.first_connected_at.date() if conn.first_connected_at else None
        out = []
        for category in LISTED:
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
        conn = connection_row(connection_id)
        row = self.category_rows(conn)[category]
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
        conn = connection_row(connection_id)
        self.ensure_defaults(conn)
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
        conn = connection_row(connection_id)
        self.ensure_defaults(conn)
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
        s.saved_at = self.clock()
        s.save()

    def settings_complete(self, connection_id: int) -> list[str]:
        """R06: what must still be set before the first sync."""
        conn = connection_row(connection_id)
        missing = []
        rows = self.category_rows(conn)
        if not any(r.enabled for c, r in rows.items() if c is not Category.BACKGROUND):
            missing.append("Choose at least one category to sync.")
        s = m.SyncSettings.get(m.SyncSettings.connection == conn)
        if s.saved_at is None:
            missing.append("Choose automatic or manual sync.")
        if not s.default_income_account:
            missing.append("Choose the default income account.")
        if not s.default_expense_account:
            missing.append("Choose the default expense account.")
        if conn.status == ConnectionStatus.CURRENCY_BLOCKED:
            missing.append(conn.status_message)
        return missing

    def accounts(self, connection_id: int, purpose: str) -> list[AccountChoice]:
        conn = connection_row(connection_id)
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
        conn = connection_row(connection_id)
        out = []
        for b in self.gateways.get(conn).scoro.bookmarks(module):
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
