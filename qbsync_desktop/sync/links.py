"""Links between the two sides' ids, the outbox and cursors: the engine's durable memory.

Every write that completes updates its link and clears its outbox row in one transaction, so
a crash leaves either a pending outbox row (replayed with find-before-create) or a link.
"""

from __future__ import annotations

import json

from ..domain import Kind, Side
from ..store import models as m


class LinkBook:
    def __init__(self, connection: m.Connection) -> None:
        self.connection = connection

    def by_side(self, kind: Kind, side: Side, record_id: str) -> m.Link | None:
        column = m.Link.scoro_id if side is Side.SCORO else m.Link.qbo_id
        return (
            m.Link.select()
            .where(
                (m.Link.connection == self.connection)
                & (m.Link.kind == kind.value)
                & (column == record_id)
            )
            .first()
        )

    def other_id(self, kind: Kind, side: Side, record_id: str) -> str | None:
        link = self.by_side(kind, side, record_id)
        if link is None:
            return None
        return link.qbo_id if side is Side.SCORO else link.scoro_id

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
