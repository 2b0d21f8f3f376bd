"""Reconcile for a connection: read both books' documents in a window, compare them
(`sync.reconcile`, pure), and act on a difference the bookkeeper picked."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import time
from collections.abc import Callable

from .. import logs
from ..domain import Category, Direction, Kind, Side
from ..domain.errors import ReconnectNeeded, SettingsInvalid, SyncError
from ..store import models as m
from ..store.errors import STORE_ERRORS
from . import reconcile as rc
from .engine import Engine
from .gateways import Gateways
from .runner import Runner
from .settings import ConnectionSettings, connection_row
from .types import ConnectionStatus, RunResult

# Review items of this type record a reconcile difference the bookkeeper chose to ignore.
RECONCILE_IGNORED = "reconcile_ignored"


class ReconcileActions:
    def __init__(
        self,
        *,
        gateways: Gateways,
        settings: ConnectionSettings,
        runner: Runner,
        read_only: bool = False,
        clock: Callable[[], dt.datetime] = m.utcnow,
    ) -> None:
        self.gateways = gateways
        self.settings = settings
        self.runner = runner
        self.read_only = read_only  # a read-only database: compare, but write no log line
        self.clock = clock

    def read(
        self,
        connection_id: int,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
    ):
        """Do Scoro and QuickBooks agree? Every document kind of the enabled invoice, bill
        and receipt categories dated in the window (by default 1 January of this year to
        today), read from list pages and queries only, compared by `sync.reconcile`.
        Raises ReconnectNeeded or RemoteError when a side cannot be read."""
        conn = connection_row(connection_id)
        if ConnectionStatus(conn.status).needs_reconnect:
            raise ReconnectNeeded(
                conn.status_message or "Reconnect to QuickBooks first.", side="quickbooks"
            )
        started = time.monotonic()
        rows_by_cat = self.settings.category_rows(conn)
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
        wiring = self.gateways.get(conn)
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

        return self.runner.one(connection_id, trigger="single", action=body)

    def resolve(self, connection_id: int, difference, action: str, reason: str = ""):
        """Act on one reconcile difference: "send" Scoro's version to QuickBooks, "pull"
        QuickBooks' into Scoro, "link" the two documents of the same number, or "ignore" it
        with a reason (it stays ignored until its figures change). Returns a RunResult for
        send, pull and link; None for ignore."""
        kind = difference.kind
        s, q = difference.scoro, difference.quickbooks
        if action == "ignore":
            if not reason.strip():
                raise SettingsInvalid("Say why this difference is ignored, for whoever looks next.")
            conn = connection_row(connection_id)
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
                resolved_at=self.clock(),
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

            return self.runner.one(connection_id, trigger="single", action=body)
        raise SettingsInvalid(f"That cannot be done for {difference.label}.")
