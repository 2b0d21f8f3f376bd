"""``list``: paging, filters, include_deleted and bookmarks.

Rows come in id order (the sort order of real Scoro is UNCONFIRMED; id order is stable, so
paging with a constant ``per_page`` never repeats or skips a row unless rows change between
pages, as on the real site). Filters: equality on scalars (case-insensitive
for text, 1/0 for flags), ``%`` wildcards on text, a list meaning "any of", nested objects for
sub-structures (``means_of_contact: {email: ...}``), and ``{from_date, to_date}`` day ranges,
inclusive, on ``date``-like fields and on ``created_date``/``modified_date``/``deleted_date``
(compared as site-local days). A key that is no field of the module is refused with a 400
(or dropped, with the ``unknown_filters`` switch); a field a record does not have reads as
null.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from . import files
from .envelope import ScoroError
from .fields import Invalid, parse_bool, parse_int
from .records import Ctx, ModuleSpec, render, visible
from .schema import filter_keys

INSTANT_FIELDS = {
    "created_date": "_created",
    "modified_date": "_modified",
    "deleted_date": "_deleted",
}


def flag(value: Any) -> bool:
    try:
        return parse_bool(value)
    except Invalid:
        return False


def _request_part(body: dict[str, Any]) -> dict[str, Any]:
    req = body.get("request")
    return req if isinstance(req, dict) else {}


def include_deleted(body: dict[str, Any]) -> bool:
    # The docs say "in request object", the community clients send it at the top level.
    return flag(body.get("include_deleted")) or flag(_request_part(body).get("include_deleted"))


def page_window(ctx: Ctx, body: dict[str, Any], detailed: bool) -> tuple[int, int]:
    b = ctx.behaviour
    try:
        page = parse_int(body.get("page")) or 1
        per_page = parse_int(body.get("per_page")) or b.default_per_page
    except Invalid as exc:
        raise ScoroError(400, f"page/per_page: {exc}") from None
    cap = b.max_per_page_detailed if detailed else b.max_per_page
    return max(page, 1), max(1, min(per_page, cap))


def run_list(ctx: Ctx, spec: ModuleSpec, body: dict[str, Any]) -> list[dict[str, Any]]:
    detailed = flag(body.get("detailed_response")) or flag(
        _request_part(body).get("detailed_response")
    )
    page, per_page = page_window(ctx, body, detailed)
    with_deleted = include_deleted(body)
    criteria = _criteria(ctx, spec, body)
    ids = _matching_ids(ctx, spec, criteria, with_deleted, fresh=page == 1)
    start = (page - 1) * per_page
    table = ctx.table(spec.name)
    window = ids[start : start + per_page]
    if any(i not in table for i in window):  # removed behind the store's back (tests do)
        ids = _matching_ids(ctx, spec, criteria, with_deleted, fresh=True)
        window = ids[start : start + per_page]
    picked = [table[i] for i in window]
    lines = detailed and ctx.behaviour.detailed_includes_lines
    return [render(ctx, spec, rec, full=detailed, lines=lines) for rec in picked]


LISTINGS_KEPT = 16


def _matching_ids(
    ctx: Ctx, spec: ModuleSpec, criteria: list[tuple[str, Any]], with_deleted: bool, fresh: bool
) -> list[int]:
    """Ids of every row the filter matches, in id order: offset paging as on the real site.

    Page 1 always scans; later pages reuse that scan while nothing has been written since
    (``Store.changed``), so reading a listing to the end costs one scan, not one per page.
    """
    store = ctx.store
    key = (
        ctx.bucket(spec.name),
        spec.name,
        json.dumps(criteria, sort_keys=True, default=str),
        with_deleted,
    )
    cached = store.listings.get(key)
    if not fresh and cached is not None:
        store.listings.move_to_end(key)
        return cached
    ids = [
        rec_id
        for rec_id, rec in ctx.table(spec.name).items()
        if visible(ctx, rec, with_deleted)
        and (spec.name != "files" or files.listable(rec))
        and all(_matches(ctx, spec, rec, k, cond) for k, cond in criteria)
    ]
    store.listings[key] = ids
    store.listings.move_to_end(key)
    while len(store.listings) > LISTINGS_KEPT:
        store.listings.popitem(last=False)
    return ids


def _criteria(ctx: Ctx, spec: ModuleSpec, body: dict[str, Any]) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for source in (body.get("filter"), _request_part(body).get("filter")):
        if source in (None, "", []):
            continue
        if not isinstance(source, dict):
            raise ScoroError(400, "filter: must be an object")
        found.extend(source.items())
    found = _known_only(ctx, spec, found)
    bookmark = body.get("bookmark") or _request_part(body).get("bookmark")
    if bookmark:
        # A saved filter was made in Scoro's own UI: only what the client typed is checked.
        known = _known_keys(spec)
        found.extend((k, v) for k, v in _bookmark_criteria(ctx, spec, bookmark) if k in known)
    if spec.name == "files":
        rel = dict(found)
        found = [(k, v) for k, v in found if k not in ("rel_type", "rel_id")]
        if "rel_type" in rel:
            found.append(("__relation__", (rel["rel_type"], rel.get("rel_id"))))
    for key, cond in found:
        if isinstance(cond, dict) and ("from_date" in cond or "to_date" in cond):
            _check_range(ctx, key, cond)
    return found


def _known_keys(spec: ModuleSpec) -> set[str]:
    keys = filter_keys(spec.name)
    keys.update(spec.fields, spec.defaults, spec.filter_aliases, INSTANT_FIELDS)
    keys.update((spec.id_field, "is_deleted"))
    if spec.name == "files":
        keys.update(("rel_type", "rel_id"))
    return keys


def _known_only(ctx: Ctx, spec: ModuleSpec, found: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    known = _known_keys(spec)
    unknown = sorted({str(k) for k, _ in found if k not in known})
    if unknown and ctx.behaviour.unknown_filters == "refuse":
        raise ScoroError(400, [f"filter: unknown field {key}" for key in unknown])
    return [(k, v) for k, v in found if k in known]


def _bookmark_criteria(ctx: Ctx, spec: ModuleSpec, bookmark: Any) -> list[tuple[str, Any]]:
    raw = bookmark.get("bookmark_id") if isinstance(bookmark, dict) else bookmark
    try:
        bookmark_id = parse_int(raw)
    except Invalid:
        bookmark_id = None
    rec = ctx.live("bookmarks", bookmark_id)
    if rec is None:
        raise ScoroError(404, f"bookmarks object {raw} not found")
    if rec["module"] != spec.name:
        raise ScoroError(400, f"bookmark {bookmark_id} is a {rec['module']} bookmark")
    # A saved filter applies in full here, user and status criteria included; leaving some
    # out (integration rule R51) is the client's business.
    return list(rec["filter"].items())


def _check_range(ctx: Ctx, key: str, cond: dict[str, Any]) -> None:
    for bound in ("from_date", "to_date"):
        value = cond.get(bound)
        if value in (None, ""):
            continue
        if not isinstance(value, str):
            raise ScoroError(400, f"filter.{key}.{bound}: must be a date YYYY-mm-dd")
        if len(value) > 10 and ctx.behaviour.date_filter_time == "reject":
            raise ScoroError(400, f"filter.{key}.{bound}: must be a date YYYY-mm-dd")
        try:
            dt.date.fromisoformat(value[:10])
        except ValueError:
            raise ScoroError(400, f"filter.{key}.{bound}: must be a date YYYY-mm-dd") from None


def _in_range(day: str | None, cond: dict[str, Any]) -> bool:
    if day is None:
        return False
    low = (cond.get("from_date") or "")[:10]
    high = (cond.get("to_date") or "")[:10]
    return (not low or day >= low) and (not high or day <= high)


def _matches(ctx: Ctx, spec: ModuleSpec, rec: dict[str, Any], key: str, cond: Any) -> bool:
    if key == "__relation__":
        return files.matches_relation(rec, *cond)
    if key in INSTANT_FIELDS:
        instant = rec.get(INSTANT_FIELDS[key])
        day = ctx.site.local_date(instant).isoformat() if instant else None
        if isinstance(cond, dict):
            return _in_range(day, cond)
        return day is not None and str(cond)[:10] == day
    if key == "is_deleted":
        return (rec.get("_deleted") is not None) == flag(cond)
    field = spec.filter_aliases.get(key, key)
    # A known field the record has never stored reads as null, as Scoro would show it.
    value = rec.get(field)
    if isinstance(cond, dict):
        if "from_date" in cond or "to_date" in cond:
            return _in_range(value if isinstance(value, str) else None, cond)
        if not isinstance(value, dict):
            return False
        return all(_scalar_match(value.get(k), c) for k, c in cond.items())
    if isinstance(cond, list):
        return any(_scalar_match(value, c) for c in cond)
    return _scalar_match(value, cond)


def _like(pattern: str) -> re.Pattern[str]:
    parts = [re.escape(p) for p in pattern.split("%")]
    return re.compile("^" + ".*".join(parts) + "$", re.IGNORECASE | re.DOTALL)


def _scalar_match(value: Any, cond: Any) -> bool:
    if isinstance(value, list):
        return any(_scalar_match(v, cond) for v in value)
    if value is None:
        return cond in (None, "")
    if isinstance(value, bool):
        try:
            return parse_bool(cond) == value
        except Invalid:
            return False
    if isinstance(value, int | Decimal):
        try:
            return Decimal(str(cond)) == Decimal(value)
        except (InvalidOperation, ValueError):
            return False
    text = str(value)
    wanted = "" if cond is None else str(cond)
    if "%" in wanted:
        return bool(_like(wanted).match(text))
    return text.casefold() == wanted.casefold()
