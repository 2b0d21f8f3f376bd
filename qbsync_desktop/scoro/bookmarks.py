"""Saved filters (bookmarks) and rule R51: two of their filters are never applied.

R51: the user filter is dropped (all users' records are used) and, for invoices, the status
filter is dropped (all statuses are used). The dropped names are kept so the app can say so
next to the bookmark.
"""

from __future__ import annotations

from typing import Any

from ..domain.ports import Bookmark

# Criteria that restrict by person: owner, responsible user, creator.
USER_FILTERS = frozenset(
    {
        "user_id",
        "user_ids",
        "users",
        "user",
        "owner_id",
        "owner_ids",
        "owner",
        "owner_email",
        "responsible_id",
        "responsible_user_id",
        "created_by",
        "creator_id",
        "manager_id",
        "manager_email",
    }
)
STATUS_FILTERS = frozenset({"status", "statuses", "status_id", "status_ids"})


def split_filters(module: str, criteria: dict[str, Any]) -> tuple[dict[str, Any], tuple[str, ...]]:
    """(filters still applied, names of the dropped ones)."""
    kept: dict[str, Any] = {}
    dropped: list[str] = []
    for key, value in criteria.items():
        name = str(key)
        if name.lower() in USER_FILTERS or (
            module == "invoices" and name.lower() in STATUS_FILTERS
        ):
            dropped.append(name)
        else:
            kept[name] = value
    return kept, tuple(dropped)


def parse_bookmark(row: dict[str, Any]) -> Bookmark | None:
    """The bookmark object's fields are unconfirmed; accept the likely spellings."""
    ident = row.get("bookmark_id", row.get("id"))
    if ident in (None, ""):
        return None
    module = str(row.get("module") or row.get("module_name") or "")
    # Scoro answers every field, unset ones as null: a null `filter` is no filter spelling.
    criteria = row.get("filter") or row.get("filters") or row.get("criteria")
    if not isinstance(criteria, dict):
        criteria = {}
    kept, dropped = split_filters(module, criteria)
    name = row.get("name") or row.get("bookmark_name") or row.get("title") or f"#{ident}"
    return Bookmark(id=str(ident), name=str(name), module=module, filters=kept, dropped=dropped)
