"""Links between the two sides' ids, the outbox and cursors: the engine's durable memory.

Every write that completes updates its link and clears its outbox row in one transaction, so
a crash leaves either a pending outbox row (replayed with find-before-create) or a link.
"""

from __future__ import annotations

import json
from collections import OrderedDict

from ..domain import Kind, Side
from ..store import models as m

# Remembered other-side ids per run: dependency resolution asks for the same few contacts,
# products and tax rates once per line of every document. Bounded, so memory stays flat.
ID_CACHE_SIZE = 20_000


class LinkBook:
    def __init__(self, connection: m.Connection) -> None:
        self.connection = connection
        self._ids: OrderedDict[tuple[str, str, str], str | None] = OrderedDict()
        meta = m.Link._meta
        owner = meta.fields["connection"].column_name
        # Fixed identifiers only; every value goes in as a parameter.
        select = f'SELECT * FROM "{meta.table_name}" WHERE "{owner}" = ? AND "kind" = ? AND '  # noqa: S608
        self._by_sql = {
            Side.SCORO: select + '"scoro_id" = ? LIMIT 1',
            Side.QBO: select + '"qbo_id" = ? LIMIT 1',
        }

    def by_side(self, kind: Kind, side: Side, record_id: str) -> m.Link | None:
        # Plain SQL with parameters: building the peewee query cost more than running it.
        rows = m.Link.raw(self._by_sql[side], self.connection.id, kind.value, str(record_id))
        for row in rows:
            return row
        return None

    def other_id(self, kind: Kind, side: Side, record_id: str) -> str | None:
        key = (kind.value, side.value, str(record_id))
        if key in self._ids:
            self._ids.move_to_end(key)
            return self._ids[key]
        link = self.by_side(kind, side, record_id)
        other = None if link is None else (link.qbo_id if side is Side.SCORO else link.scoro_id)
        self._remember(key, other)
        return other

    def _remember(self, key: tuple[str, str, str], other: str | None) -> None:
        self._ids[key] = other
        self._ids.move_to_end(key)
        while len(self._ids) > ID_CACHE_SIZE:
            self._ids.popitem(last=False)

    def save(
        self,
        kind: Kind,
        *,
        scoro_id: str,
        qbo_id: str,
        scoro_fingerprint: str,
        qbo_fingerprint: str,
        snapshot: str,
        sync_token: str = "",
        clear_outbox_key: str | None = None,
    ) -> m.Link:
        with m.database_proxy.atomic():
            link = self.by_side(kind, Side.SCORO, scoro_id) or self.by_side(kind, Side.QBO, qbo_id)
            if link is None:
                link = m.Link(connection=self.connection, kind=kind.value)
                old = None
            else:
                old = (link.scoro_id, link.qbo_id)
            link.scoro_id = scoro_id
            link.qbo_id = qbo_id
            link.scoro_fingerprint = scoro_fingerprint
            link.qbo_fingerprint = qbo_fingerprint
            link.snapshot = snapshot
            link.qbo_sync_token = sync_token
            link.synced_at = m.utcnow()
            link.save()
            if clear_outbox_key is not None:
                self.clear_outbox(kind, clear_outbox_key)
        if old is not None:
            self._ids.pop((kind.value, Side.SCORO.value, old[0]), None)
            self._ids.pop((kind.value, Side.QBO.value, old[1]), None)
        self._remember((kind.value, Side.SCORO.value, scoro_id), qbo_id)
        self._remember((kind.value, Side.QBO.value, qbo_id), scoro_id)
        return link

    # --- outbox -------------------------------------------------------------------------
    def stage(
        self, kind: Kind, op: str, target: Side, key: str, requestid: str, payload: dict
    ) -> None:
        (
            m.Outbox.insert(
                connection=self.connection,
                kind=kind.value,
                op=op,
                target_side=target.value,
                key=key,
                requestid=requestid,
                payload=json.dumps(payload, sort_keys=True),
            )
            .on_conflict(
                conflict_target=[m.Outbox.connection, m.Outbox.kind, m.Outbox.key],
                update={
                    m.Outbox.op: op,
                    m.Outbox.requestid: requestid,
                    m.Outbox.payload: json.dumps(payload, sort_keys=True),
                    m.Outbox.attempts: m.Outbox.attempts + 1,
                },
            )
            .execute()
        )

    def generation(self, kind: Kind, key: str) -> int:
        row = (
            m.WriteGeneration.select(m.WriteGeneration.value)
            .where(
                (m.WriteGeneration.connection == self.connection)
                & (m.WriteGeneration.kind == kind.value)
                & (m.WriteGeneration.key == key)
            )
            .first()
        )
        return row.value if row else 0

    def bump_generation(self, kind: Kind, key: str) -> None:
        (
            m.WriteGeneration.insert(connection=self.connection, kind=kind.value, key=key, value=1)
            .on_conflict(
                conflict_target=[
                    m.WriteGeneration.connection,
                    m.WriteGeneration.kind,
                    m.WriteGeneration.key,
                ],
                update={m.WriteGeneration.value: m.WriteGeneration.value + 1},
            )
            .execute()
        )

    def clear_outbox(self, kind: Kind, key: str) -> None:
        m.Outbox.delete().where(
            (m.Outbox.connection == self.connection)
            & (m.Outbox.kind == kind.value)
            & (m.Outbox.key == key)
        ).execute()

    def pending(self) -> list[m.Outbox]:
        return list(
            m.Outbox.select().where(m.Outbox.connection == self.connection).order_by(m.Outbox.id)
        )

    # --- cursors ------------------------------------------------------------------------
    def cursor(self, kind: Kind, side: Side) -> str | None:
        row = (
            m.Cursor.select()
            .where(
                (m.Cursor.connection == self.connection)
                & (m.Cursor.kind == kind.value)
                & (m.Cursor.side == side.value)
            )
            .first()
        )
        return row.watermark if row and row.watermark else None

    def move_cursor(self, kind: Kind, side: Side, watermark: str) -> None:
        if not watermark:
            return
        (
            m.Cursor.insert(
                connection=self.connection,
                kind=kind.value,
                side=side.value,
                watermark=watermark,
                updated_at=m.utcnow(),
            )
            .on_conflict(
                conflict_target=[m.Cursor.connection, m.Cursor.kind, m.Cursor.side],
                update={m.Cursor.watermark: watermark, m.Cursor.updated_at: m.utcnow()},
            )
            .execute()
        )
