"""One document at a time, rules R43 and R55 (manual): find it, send it, pull its receipts, send its
files. Each action is a run of its own in History."""

from __future__ import annotations

import dataclasses
import json

from ..domain import Kind, Side
from ..domain.errors import SyncError
from ..domain.records import Bill, Contact, Invoice, Payment, Record
from ..store import models as m
from .engine import Engine
from .gateways import Gateways
from .runner import Runner
from .settings import connection_row
from .types import DocumentSummary, RunResult, RunStatus


def document_name(kind: Kind, rec: Record) -> str:
    """ "Invoice 1004", "Contact Baltic Foods OÜ": how the bookkeeper knows a record."""
    number = getattr(rec, "number", "") or getattr(rec, "name", "") or ""
    return f"{kind.label} {number}".strip()


def held_reason(connection_id: int, kind: Kind, scoro_id: str) -> str:
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


class DocumentActions:
    def __init__(self, *, gateways: Gateways, runner: Runner) -> None:
        self.gateways = gateways
        self.runner = runner

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
            sent["name"] = document_name(kind, rec)
            if kind in (Kind.INVOICE, Kind.CREDIT_NOTE, Kind.BILL):
                if not isinstance(rec, (Invoice, Bill)):
                    raise _not_a(kind, sent["name"])
                if rec.paid:
                    raise SyncError(
                        f"{sent['name']} already has a payment, so it can no longer be sent. "
                        "Change it in QuickBooks if needed."
                    )
            if kind in (Kind.CUSTOMER, Kind.VENDOR):
                if not isinstance(rec, Contact):
                    raise _not_a(kind, sent["name"])
                # Both roles the contact has, vendor first (R23 renaming before the customer).
                for role in (Kind.VENDOR, Kind.CUSTOMER):
                    flag = rec.is_supplier if role is Kind.VENDOR else rec.is_client
                    if flag or role is kind:
                        engine.process(role, Side.SCORO, [rec])
                return
            engine.process(kind, Side.SCORO, [rec])
            if kind in (Kind.INVOICE, Kind.BILL, Kind.CREDIT_NOTE):
                if engine.settings.attachments_mode == "automatic":
                    self._send_attachments(engine, kind, scoro_id)

        result = self.runner.one(connection_id, trigger="single", action=action)
        changed = result.created + result.updated + result.linked + result.held + result.failed
        if result.status == RunStatus.OK and not changed and "name" in sent:
            name = sent["name"]
            result = dataclasses.replace(
                result,
                message=f"Nothing to send: {name[:1].lower()}{name[1:]} is already the same "
                "in QuickBooks.",
            )
        elif result.status == RunStatus.REVIEW and "name" in sent:
            reason = held_reason(connection_id, kind, scoro_id)
            result = dataclasses.replace(
                result,
                message=f"{sent['name']} was not sent: it is held for review. {reason}".strip(),
            )
        return result

    def pull_receipts(self, connection_id: int, kind: Kind, scoro_id: str) -> RunResult:
        """R43: receipts for one invoice or bill, until it is fully paid."""
        kind = Kind(kind)
        pay_kind = Kind.BILL_PAYMENT if kind is Kind.BILL else Kind.RECEIPT

        def action(engine: Engine) -> None:
            engine._category = "receipts"
            qbo_id = engine.links.other_id(kind, Side.SCORO, scoro_id)
            if qbo_id is None:
                raise _not_in_quickbooks(engine, kind, scoro_id)
            for batch in engine.gw[Side.QBO].changes(pay_kind, None):
                wanted: list[Payment] = []
                for p in batch.records:
                    if not isinstance(p, Payment):
                        raise _not_a(pay_kind, document_name(pay_kind, p))
                    if any(a.document.id == qbo_id for a in p.allocations):
                        wanted.append(p)
                if wanted:
                    engine.process(pay_kind, Side.QBO, wanted)

        return self.runner.one(connection_id, trigger="single", action=action)

    def send_attachments(self, connection_id: int, kind: Kind, scoro_id: str) -> RunResult:
        kind = Kind(kind)
        return self.runner.one(
            connection_id,
            trigger="single",
            action=lambda e: self._send_attachments(e, kind, scoro_id),
        )

    @staticmethod
    def _send_attachments(engine: Engine, kind: Kind, scoro_id: str) -> None:
        """R55 manual: the document's Scoro files go to QuickBooks, each once."""
        if engine.links.other_id(kind, Side.SCORO, scoro_id) is None:
            raise _not_in_quickbooks(engine, kind, scoro_id)
        engine._category = "attachments"
        engine.attachments_of(kind, scoro_id)

    def search(self, connection_id: int, kind: Kind, text: str) -> list[DocumentSummary]:
        conn = connection_row(connection_id)
        kind = Kind(kind)
        gw = self.gateways.get(conn).scoro
        out = []
        found = gw.search(kind, text)
        names = _contact_names(conn, gw, found)
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


def _not_a(kind: Kind, name: str) -> SyncError:
    """A side answered with another sort of record than asked for: never expected, but said
    plainly rather than failing further on."""
    return SyncError(
        f"{name} did not come back as the kind of record asked for "
        f"({kind.label.lower()}). Try again; if it happens again, report it."
    )


def _not_in_quickbooks(engine: Engine, kind: Kind, scoro_id: str) -> SyncError:
    """A document with no QuickBooks twin yet, by its number, with the real reason."""
    rec = engine.gw[Side.SCORO].fetch(kind, [scoro_id]).get(scoro_id)
    name = document_name(kind, rec) if rec is not None else f"This {kind.label.lower()}"
    reason = held_reason(engine.conn.id, kind, scoro_id)
    if reason:
        return SyncError(
            f"{name} is not in QuickBooks: it is held for review. {reason} "
            "Resolve it in the Review tab first."
        )
    return SyncError(
        f"{name} is not in QuickBooks yet. Select it and click Send to QuickBooks first."
    )


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
