"""The state of one sync run and how it reports, shared by Engine and its parts.

Engine (engine.py) reads changes and decides; its parts write and book (writes.py), send
attachments (attachments_sync.py), check totals and line accounts after a write
(totals_and_accounts.py) and hold records for review (holds.py). Each part is a mixin on
`EngineCore`; what one part calls of another is declared here for the type checker only.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..domain import Category, Direction, Kind, Payment, Record, Ref, Side, labels
from ..domain.ports import SideGateway
from ..store import models as m
from . import translate
from .links import LinkBook
from .plan import Action
from .types import Event, EventType, PlannedAction

if TYPE_CHECKING:
    from .writes import InFlight, Pending

log = logging.getLogger(__name__)


class Cancelled(Exception):
    pass


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    linked: int = 0
    held: int = 0
    failed: int = 0
    # Documents written whose totals the other side computed differently (each is a review
    # item showing both figures).
    totals_differ: int = 0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def record_label(kind: Kind, rec: Record | None, fallback: str = "") -> str:
    if isinstance(rec, Payment) and not getattr(rec, "number", ""):
        return f"{kind.label} {rec.amount} {rec.currency} ({rec.date})"
    return labels.label(kind, rec, fallback)


class EngineCore:
    """One run's connection, gateways, settings, counts and plan; its log and events."""

    def __init__(
        self,
        *,
        connection: m.Connection,
        scoro: SideGateway,
        qbo: SideGateway,
        settings: m.SyncSettings,
        category_settings: dict[Category, m.CategorySetting],
        emit: Callable[[Event], None],
        cancel: threading.Event | None = None,
        dry_run: bool = False,
        run: m.Run | None = None,
    ) -> None:
        self.conn = connection
        self.gw = {Side.SCORO: scoro, Side.QBO: qbo}
        self.settings = settings
        self.cats = category_settings
        self.emit_event = emit
        self.cancel = cancel or threading.Event()
        self.dry_run = dry_run
        self.run_row = run
        self.links = LinkBook(connection)
        self.counts = Counts()
        self.plan: list[PlannedAction] = []
        self._category = ""
        self._resolving: set[tuple[Kind, Side, str]] = set()
        self._planned_creates: set[tuple[Kind, str]] = set()
        # Documents found by number at the target but for another contact: held, never linked.
        self._other_contact: dict[tuple[Kind, str], str] = {}
        self._failed_kinds: set[Kind] = set()
        self._default_item: str | None = None
        self._writer: dict[Side, ThreadPoolExecutor] = {}  # per target side
        self._inflight: deque[InFlight] = deque()
        self._item_accounts: dict[tuple[str, str], str | None] = {}

    # ------------------------------------------------------------------ reporting
    def emit(self, type_: EventType, message: str = "", level: str = "info", **kw) -> None:
        self.emit_event(
            Event(
                type=type_,
                connection_id=self.conn.id,
                category=self._category,
                message=message,
                level=level,
                counts=self.counts.as_dict(),
                **kw,
            )
        )

    def note(self, message: str, level: str = "info") -> None:
        if not self.dry_run:
            m.LogEntry.create(
                connection=self.conn,
                run=self.run_row,
                level=level,
                category=self._category,
                message=message,
            )
        getattr(log, "warning" if level == "warning" else level, log.info)(message)
        # A preview's lines are shown apart from real runs': they say what would happen.
        self.emit(EventType.LOG, f"Preview: {message}" if self.dry_run else message, level)

    def _plan(self, category: str, kind: Kind, action: str, label: str, detail: str = ""):
        self.plan.append(PlannedAction(category, kind.value, action, label, detail))

    def check_cancel(self) -> None:
        if self.cancel.is_set():
            raise Cancelled()

    # ------------------------------------------------------------------ context
    def context(self, source: Side) -> translate.Context:
        return translate.Context(
            source=source,
            home_currency=self.conn.qbo_home_currency,
            entity_currency=self.conn.scoro_base_currency,
            multicurrency=bool(self.conn.qbo_multicurrency),
            default_income_account=self.settings.default_income_account,
            default_expense_account=self.settings.default_expense_account,
            bills_without_tax=bool(self.settings.bills_without_tax),
        )

    def direction_of(self, category: Category) -> Direction:
        fixed = category.fixed_direction
        if fixed is not None:
            return fixed
        row = self.cats.get(category)
        return Direction(row.direction) if row else Direction.SCORO_TO_QBO

    # ------------------------------------------------------------------ counting
    def _count_action(self, action: Action) -> None:
        if action is Action.CREATE:
            self.counts.created += 1
        elif action is Action.LINK:
            self.counts.linked += 1
        else:
            self.counts.updated += 1

    if TYPE_CHECKING:
        # Supplied by Engine and its parts; declared so each part type-checks on its own.
        def process(
            self,
            kind: Kind,
            source: Side,
            records: Sequence[Record],
            *,
            dependency: bool = False,
            replay: bool = False,
            force: bool = False,
            pipelined: bool = False,
            hints: dict[str, Record] | None = None,
        ) -> None: ...
        def resolver(self, source: Side) -> Callable[[Ref], Ref | None]: ...
        def save_link(self, kind: Kind, source: Side, src: Record, tgt: Record) -> None: ...
        def hold(
            self,
            kind: Kind,
            source: Side,
            rec: Record,
            item_type: str,
            message: str,
            details: dict,
        ) -> None: ...
        def emit_warnings(
            self, kind: Kind, source: Side, rec: Record, warnings: list[tuple[str, str]]
        ) -> None: ...
        def _review(
            self,
            kind: Kind,
            source: Side,
            rec: Record,
            item_type: str,
            message: str,
            details: dict | None = None,
        ) -> None: ...
        def check_totals(self, kind: Kind, source: Side, src: Record, written: Record) -> None: ...
        def align_line_accounts(
            self, kind: Kind, written: list[tuple[Pending, Record]]
        ) -> None: ...
        def attachments_automatic(self) -> bool: ...
        def attachments_of(self, kind: Kind, scoro_id: str) -> None: ...
