"""Change data capture: changes since a time within the window, deletes as stubs."""

from __future__ import annotations

import datetime as dt

from . import errors as E
from .clock import parse_datetime
from .context import Ctx, public
from .specs import SPECS


def _lookup_entity(name: str):
    for spec in SPECS.values():
        if spec.name.lower() == name.lower():
            return spec
    return None


def run(ctx: Ctx, entities_param: str | None, changed_since: str | None) -> dict:
    if not entities_param or not entities_param.strip():
        raise E.required("entities")
    if not changed_since or not changed_since.strip():
        raise E.required("changedSince")
    since = parse_datetime(changed_since)
    if since is None:
        raise E.QuickBooksError(
            "4000", "Error parsing query", f"Invalid changedSince date: {changed_since}"
        )
    oldest = ctx.now - dt.timedelta(days=ctx.settings.cdc_window_days)
    if since < oldest:
        # Text from QuickBooksSharp#19; code and status are UNCONFIRMED (see settings).
        raise E.QuickBooksError(
            "6000",
            f"Operation cdc with changedSince date {changed_since} which is older than fixed "
            "days is not supported.",
            f"Operation cdc with changedSince date {changed_since} which is older than fixed "
            f"days ({ctx.settings.cdc_window_days}) is not supported.",
            "changedSince",
        )
    specs = []
    for raw in entities_param.split(","):
        name = raw.strip()
        if not name:
            continue
        spec = _lookup_entity(name)
        if spec is None or not spec.cdc:
            if ctx.settings.cdc_unsupported_entity_error:
                raise E.QuickBooksError(
                    "4001",
                    "Invalid query",
                    f"QueryValidationError: Change data capture is not supported for {name}",
                    "entities",
                )
            continue
        if spec not in specs:
            specs.append(spec)
    remaining = ctx.settings.cdc_max_objects
    responses: list[dict] = []
    for spec in specs:
        changed = [o for o in ctx.realm.table(spec.name).values() if o["_ts"] >= since]
        changed += [s for s in ctx.realm.deleted.get(spec.name, {}).values() if s["_ts"] >= since]
        changed.sort(key=lambda o: (o["_ts"], len(o["Id"]), o["Id"]))
        page = changed[: max(remaining, 0)]
        remaining -= len(page)
        if page:
            responses.append(
                {spec.name: [public(o) for o in page], "startPosition": 1, "maxResults": len(page)}
            )
        else:
            responses.append({})
    return {"CDCResponse": [{"QueryResponse": responses}]}
