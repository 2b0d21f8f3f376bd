"""Review items: everything the bookkeeper must see, in words a bookkeeper uses."""

from __future__ import annotations

import json

from ..domain import Kind, Side
from ..store import models as m

RESOLUTIONS = {
    "conflict": ("take_source", "keep_target", "dismiss"),
    "target_missing": ("take_source", "dismiss"),
    "deleted_at_source": ("dismiss",),
    "edited_in_scoro": ("dismiss",),
    "multiple_projects": ("dismiss",),
    # "Fix it here": a separate contact in the document's currency, or a current tax rate.
    "currency_mismatch": ("currency_contact", "retry", "dismiss"),
    "outdated_tax_rate": ("map_tax_rate", "retry", "dismiss"),
    "paid_document": ("dismiss",),
    "class_tracking_off": ("dismiss",),
    "validation_error": ("retry", "dismiss"),
    "write_failed": ("retry", "dismiss"),
    "missing_dependency": ("retry", "dismiss"),
    # Changed in the other system, or with its content changed, it can go: try again then.
    "unsupported_content": ("retry", "dismiss"),
    # The document was written; the bookkeeper corrects the tax in one system and dismisses.
    "totals_differ": ("dismiss",),
}

# Warnings that do not hold the record back: it synced, but the bookkeeper should know.
WARNING_ONLY = frozenset({"multiple_projects", "edited_in_scoro", "totals_differ"})


def resolutions_for(item_type: str) -> tuple[str, ...]:
    return RESOLUTIONS.get(item_type, ("dismiss",))


def raise_item(
    connection: m.Connection,
    *,
    kind: Kind,
    object_id: str,
    side: Side,
    label: str,
    item_type: str,
    message: str,
    details: dict | None = None,
    fingerprint: str = "",
) -> m.ReviewItem:
    """Open (or refresh) one review item per object and type: a rerun never piles up copies.

    An item the bookkeeper dismissed stays dismissed while the record is as it was then
    (same `fingerprint`); a changed record opens it again."""
    if fingerprint:
        hidden = dismissed_for(connection, kind, object_id, item_type, fingerprint)
        if hidden is not None:
            return hidden
    existing = (
        m.ReviewItem.select()
        .where(
            (m.ReviewItem.connection == connection)
            & (m.ReviewItem.kind == kind.value)
            & (m.ReviewItem.object_id == object_id)
            & (m.ReviewItem.type == item_type)
            & (m.ReviewItem.status == "open")
        )
        .first()
    )
    details = dict(details or {})
    if fingerprint:
        details["fingerprint"] = fingerprint
    payload = json.dumps(details, sort_keys=True, ensure_ascii=False, default=str)
    if existing is not None:
        existing.message = message
        existing.details = payload
        existing.object_label = label
        existing.save()
        return existing
    return m.ReviewItem.create(
        connection=connection,
        kind=kind.value,
        object_id=object_id,
        object_side=side.value,
        object_label=label,
        type=item_type,
        message=message,
        details=payload,
    )


def was_dismissed(
    connection: m.Connection, kind: Kind, object_id: str, item_type: str, marker: str
) -> bool:
    """A dismissed conflict stays dismissed while neither side changes again."""
    rows = m.ReviewItem.select().where(
        (m.ReviewItem.connection == connection)
        & (m.ReviewItem.kind == kind.value)
        & (m.ReviewItem.object_id == object_id)
        & (m.ReviewItem.type == item_type)
        & (m.ReviewItem.status == "dismissed")
    )
    for row in rows:
        try:
            if json.loads(row.details).get("marker") == marker:
                return True
        except ValueError:
            continue
    return False


def close_open(
    connection: m.Connection, kind: Kind, object_id: str, types: tuple[str, ...]
) -> None:
    """A record that now syncs cleanly closes its old held items."""
    (
        m.ReviewItem.update(status="resolved", resolution="synced", resolved_at=m.utcnow())
        .where(
            (m.ReviewItem.connection == connection)
            & (m.ReviewItem.kind == kind.value)
            & (m.ReviewItem.object_id == object_id)
            & (m.ReviewItem.type.in_(types))
            & (m.ReviewItem.status == "open")
        )
        .execute()
    )


def dismissed_for(
    connection: m.Connection, kind: Kind, object_id: str, item_type: str, fingerprint: str
) -> m.ReviewItem | None:
    """The dismissed item of this record and type, if the record has not changed since."""
    rows = m.ReviewItem.select().where(
        (m.ReviewItem.connection == connection)
        & (m.ReviewItem.kind == kind.value)
        & (m.ReviewItem.object_id == object_id)
        & (m.ReviewItem.type == item_type)
        & (m.ReviewItem.status == "dismissed")
    )
    for row in rows.order_by(m.ReviewItem.id.desc()):
        try:
            if json.loads(row.details).get("fingerprint") == fingerprint:
                return row
        except (ValueError, AttributeError):
            continue
    return None


# ---------------------------------------------------------------- "Fix it here" mappings


def tax_rate_mappings(connection: m.Connection) -> dict[str, str]:
    """Scoro tax rate id -> the current QuickBooks rate the bookkeeper chose for it."""
    rows = m.TargetMapping.select(m.TargetMapping.scoro_id, m.TargetMapping.qbo_id).where(
        (m.TargetMapping.connection == connection) & (m.TargetMapping.kind == Kind.TAX_RATE.value)
    )
    return {r.scoro_id: r.qbo_id for r in rows}


def remember_mapping(
    connection: m.Connection,
    kind: Kind,
    scoro_id: str,
    qbo_id: str,
    *,
    currency: str = "",
    label: str = "",
) -> m.TargetMapping:
    row = m.TargetMapping.get_or_none(
        (m.TargetMapping.connection == connection)
        & (m.TargetMapping.kind == kind.value)
        & (m.TargetMapping.scoro_id == scoro_id)
        & (m.TargetMapping.currency == currency)
    )
    if row is None:
        return m.TargetMapping.create(
            connection=connection,
            kind=kind.value,
            scoro_id=scoro_id,
            currency=currency,
            qbo_id=qbo_id,
            label=label,
        )
    row.qbo_id, row.label = qbo_id, label
    row.save()
    return row


def currency_contact(
    connection: m.Connection, kind: Kind, scoro_id: str, currency: str
) -> m.TargetMapping | None:
    """The separate QuickBooks contact made for a Scoro contact's documents in `currency`."""
    return m.TargetMapping.get_or_none(
        (m.TargetMapping.connection == connection)
        & (m.TargetMapping.kind == kind.value)
        & (m.TargetMapping.scoro_id == scoro_id)
        & (m.TargetMapping.currency == currency)
    )


def currency_contact_name(name: str, currency: str) -> str:
    """How bookkeepers name a contact's second currency in QuickBooks: "Müller GmbH (USD)"."""
    return f"{name} ({currency})"
