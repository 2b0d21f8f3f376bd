"""Acting on review items: take one side's version, keep the other's, retry, dismiss, and
"Fix it here" (map an outdated tax rate, send a contact's other-currency documents to a
separate QuickBooks contact). Raising the items is `sync.review`'s job."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Callable

from ..domain import Kind, Side
from ..domain.errors import RemoteError, SettingsInvalid, SyncError
from ..domain.kinds import CATEGORY_KINDS
from ..domain.ports import SideGateway, WriteOp
from ..domain.records import Contact
from ..store import models as m
from . import review as review_mod
from .engine import Engine
from .gateways import Gateways
from .identity import make_requestid
from .links import LinkBook
from .runner import Runner
from .types import Event, ReviewInfo, RunResult, RunStatus

log = logging.getLogger(__name__)


def open_review_count(connection_id: int | None = None) -> int:
    """What Review lists now, for one connection or all (None)."""
    q = m.ReviewItem.select().where(m.ReviewItem.status == "open")
    if connection_id is not None:
        q = q.where(m.ReviewItem.connection == connection_id)
    return q.count()


class ReviewActions:
    def __init__(
        self,
        *,
        gateways: Gateways,
        runner: Runner,
        emit: Callable[[Event], None],
        clock: Callable[[], dt.datetime] = m.utcnow,
    ) -> None:
        self.gateways = gateways
        self.runner = runner
        self.emit = emit
        self.clock = clock

    def _info(self, item: m.ReviewItem) -> ReviewInfo:
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

    def items(self, connection_id: int | None = None, status: str = "open") -> list[ReviewInfo]:
        q = m.ReviewItem.select().where(m.ReviewItem.status == status)
        if connection_id is not None:
            q = q.where(m.ReviewItem.connection == connection_id)
        return [self._info(i) for i in q.order_by(m.ReviewItem.id)]

    def count(self, connection_id: int | None = None) -> int:
        return open_review_count(connection_id)

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
            object_id, object_label = item.object_id, item.object_label

            def action(engine: Engine) -> None:
                engine._category = "review"
                rec = engine.gw[source].fetch(kind, [object_id]).get(object_id)
                if rec is None:
                    raise SyncError(f"{object_label} no longer exists in {source.label}.")
                engine.process(kind, source, [rec], force=force)

            result = self.runner.one(conn.id, trigger="review", action=action)
            item = m.ReviewItem.get_by_id(review_id)
            if (
                result.status in (RunStatus.OK, RunStatus.REVIEW)
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
            item.resolved_at = self.clock()
            item.save()
            self._refresh_held(conn, kind)
        return result

    def _refresh_held(self, conn: m.Connection, kind: Kind) -> None:
        """The Overview's "1 held" follows Review: an item resolved here is no longer held."""
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
            gw = self.gateways.get(item.connection)
            gws: dict[Side, SideGateway] = {Side.SCORO: gw.scoro, Side.QBO: gw.qbo}
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

    def _document_contact(self, item: m.ReviewItem) -> tuple[Kind, Contact | None]:
        """(QuickBooks contact kind, the Scoro contact) of a held document."""
        kind = Kind(item.kind)
        contact_kind = Kind.VENDOR if kind is Kind.BILL else Kind.CUSTOMER
        wiring = self.gateways.get(item.connection)
        doc = wiring.scoro.fetch(kind, [item.object_id]).get(item.object_id)
        ref = getattr(doc, "contact", None)
        if ref is None:
            return contact_kind, None
        found = wiring.scoro.fetch(contact_kind, [ref.id]).get(ref.id)
        if found is not None and not isinstance(found, Contact):
            raise SyncError(f"Scoro did not answer with a contact for {item.object_label}.")
        return contact_kind, found

    def _make_currency_contact(self, item: m.ReviewItem) -> None:
        fix = self.currency_fix(item.id)
        if not fix["possible"]:
            raise SettingsInvalid(
                "This item is not about a contact's currency, so no separate contact is made."
            )
        if fix["made"]:
            return
        contact_kind, contact = self._document_contact(item)
        if contact is None:  # "possible" above needs the contact's name, so it was found
            raise SyncError(f"The contact of {item.object_label} is no longer in Scoro.")
        currency, name = fix["currency"], fix["new_name"]
        wiring = self.gateways.get(item.connection)
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
        if not isinstance(found, Contact):
            raise SyncError(f"QuickBooks did not answer with a contact for {name}.")
        if found.currency not in (None, "", currency):
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
        wiring = self.gateways.get(conn)
        gws: dict[Side, SideGateway] = {Side.SCORO: wiring.scoro, Side.QBO: wiring.qbo}
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
            emit=self.emit,
        )
        engine.save_link(kind, source, src, tgt)
