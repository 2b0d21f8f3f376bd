"""The batch endpoint: up to 30 items, run one after another, each item seeing
only what existed before the batch began, each with its own Fault.

A ``bId`` is limited to ``batch_bid_max`` (10) characters only when the batch carries a
``requestid`` (Intuit: "batch: max 36 characters, and then each bId max 10"); without one,
QuickBooks takes longer bIds, such as the 36-character UUIDs python-quickbooks sends.
"""

from __future__ import annotations

from typing import Any

from . import cdc
from . import errors as E
from .context import Ctx, public
from .removal import delete, void
from .specs import SPECS
from .writes import save


def run(ctx: Ctx, body: Any, run_query, requestid: str | None = None) -> dict:
    if not isinstance(body, dict) or not isinstance(body.get("BatchItemRequest"), list):
        raise E.required("BatchItemRequest")
    items = body["BatchItemRequest"]
    if len(items) > ctx.settings.max_batch_items:
        raise E.business(
            "The maximum number of payloads in a single BatchItemRequest is "
            f"{ctx.settings.max_batch_items}. Supplied: {len(items)}",
            "BatchItemRequest",
        )
    seen: set[str] = set()
    for item in items:
        bid = str((item or {}).get("bId", ""))
        if bid and bid in seen:
            raise E.business(f"Duplicate bId {bid} in the batch request.", "bId")
        seen.add(bid)
    # Items must not see each other: freeze the set of Ids that existed before the batch.
    ctx.visible = {name: set(rows) for name, rows in ctx.realm.objects.items()}
    out = []
    bid_max = ctx.settings.batch_bid_max if requestid else None
    for item in items:
        out.append(_one(ctx, item, run_query, bid_max))
    return {"BatchItemResponse": out}


def _one(ctx: Ctx, item: Any, run_query, bid_max: int | None) -> dict:
    if not isinstance(item, dict):
        return {"Fault": E.required("BatchItemRequest").fault()}
    bid = item.get("bId")
    response: dict = {"bId": bid}
    try:
        if bid is None or str(bid) == "":
            raise E.required("bId")
        if bid_max is not None and len(str(bid)) > bid_max:
            raise E.business(
                f"You cannot enter more than {bid_max} characters in the bId field.",
                "bId",
            )
        if "Query" in item:
            response["QueryResponse"] = run_query(ctx, str(item["Query"]))
            return response
        if "CDCQuery" in item:
            cq = item["CDCQuery"] or {}
            result = cdc.run(ctx, cq.get("Entities"), cq.get("ChangedSince"))
            response["CDCResponse"] = result["CDCResponse"]
            return response
        names = [k for k in item if k in SPECS]
        if len(names) != 1:
            raise E.required("entity")
        spec = SPECS[names[0]]
        entity_body = item[names[0]]
        operation = str(item.get("operation", "create")).lower()
        options = str(item.get("optionsData") or "").lower()
        ctx.allow_duplicate_docnum = "allowduplicatedocnum" in options
        if operation == "create":
            if isinstance(entity_body, dict):
                entity_body = {k: v for k, v in entity_body.items() if k != "Id"}
            result = save(ctx, spec, entity_body)
        elif operation == "update":
            if not isinstance(entity_body, dict) or entity_body.get("Id") in (None, ""):
                raise E.required("Id")
            if "void" in options:
                result = void(ctx, spec, entity_body)
            else:
                result = save(ctx, spec, entity_body)
        elif operation == "delete":
            response[spec.name] = delete(ctx, spec, entity_body)
            return response
        elif operation == "void":
            result = void(ctx, spec, entity_body)
        else:
            raise E.unsupported(f"Operation {operation} is not supported.")
        response[spec.name] = public(result)
    except E.QuickBooksError as err:
        response = {"bId": bid, "Fault": err.fault()}
    finally:
        ctx.allow_duplicate_docnum = False
    return response
