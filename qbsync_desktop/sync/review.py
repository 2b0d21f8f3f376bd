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
    "currency_mismatch": ("retry", "dismiss"),
    "outdated_tax_rate": ("retry", "dismiss"),
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
) -> m.ReviewItem:
    """Open (or refresh) one review item per object and type: a rerun never piles up copies."""
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
    payload = json.dumps(details or {}, sort_keys=True, ensure_ascii=False, default=str)
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
