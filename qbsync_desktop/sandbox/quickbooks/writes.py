"""Creating and updating entities: the request checks, versions and the rules by kind."""

from __future__ import annotations

import copy
from typing import Any

from . import errors as E
from .balances import after_write
from .binding import check_fields, coerce_types
from .clock import qbo_datetime
from .context import Ctx, ref_value
from .names import NAME_RULES
from .specs import SPECS, Spec
from .transactions import normalise_txn

_SERVER_OWNED = frozenset(
    {
        "Id", "SyncToken", "MetaData", "domain", "sparse", "status", "FullyQualifiedName",
        "Level", "Balance", "BalanceWithJobs", "HomeBalance", "CurrentBalance",
        "CurrentBalanceWithSubAccounts", "RemainingCredit",
    }
)  # fmt: skip


def save(ctx: Ctx, spec: Spec, body: Any) -> dict:
    """POST /{resource}: create without Id, update (full or sparse) with it."""
    if not isinstance(body, dict):
        raise E.QuickBooksError(
            "2010", "Request has invalid or unsupported property", "Invalid body"
        )
    check_fields(ctx, spec, body)
    coerce_types(ctx, body)
    if spec.kind == "singleton":
        raise E.unsupported(f"Operation Create/Update on {spec.name} is not supported.")
    if spec.name in ("TaxCode", "TaxRate") and ctx.settings.tax_readonly and not ctx.as_user:
        raise E.unsupported(
            f"Operation {spec.name} create/update is not supported. Use the TaxService endpoint."
        )
    if body.get("Id") not in (None, ""):
        return _update(ctx, spec, body)
    return _create(ctx, spec, body)


def _create(ctx: Ctx, spec: Spec, body: dict) -> dict:
    obj = {k: copy.deepcopy(v) for k, v in body.items() if k not in _SERVER_OWNED}
    if spec.name == "Customer" and ctx.as_user and body.get("IsProject"):
        obj["IsProject"] = True
    elif spec.name == "Customer":
        # Observed: IsProject sent through v3 is always stored as false (.NET SDK #197).
        obj["IsProject"] = False
    obj = _normalise(ctx, spec, obj, None)
    obj_id = ctx.realm.new_id()
    stamp = qbo_datetime(ctx.now)
    obj.update(
        {
            "domain": "QBO",
            "sparse": False,
            "Id": obj_id,
            "SyncToken": "0",
            "MetaData": {"CreateTime": stamp, "LastUpdatedTime": stamp},
            "_ts": ctx.now,
        }
    )
    ctx.realm.table(spec.name)[obj_id] = obj
    ctx.realm.note_write(spec.name, obj, created=True)
    after_write(ctx, spec, obj, None)
    return obj


def check_token(existing: dict, body: dict, entity: str) -> None:
    token = body.get("SyncToken")
    if token is None or token == "":
        raise E.required("SyncToken")
    if str(token) != existing["SyncToken"]:
        raise E.stale(entity)


def _update(ctx: Ctx, spec: Spec, body: dict) -> dict:
    obj_id = str(body["Id"])
    existing = ctx.lookup(spec.name, obj_id)
    if existing is None:
        raise E.not_found(spec.name, obj_id)
    if ctx.as_user:
        if (
            body.get("SyncToken") not in (None, "")
            and str(body["SyncToken"]) != existing["SyncToken"]
        ):
            raise E.stale(spec.name)
    else:
        check_token(existing, body, spec.name)
    if existing.get("_voided"):
        raise E.business("You can't edit a voided transaction.")
    if (
        spec.name == "Customer"
        and existing.get("IsProject")
        and ctx.settings.projects_readonly
        and not ctx.as_user
    ):
        raise E.business(
            "Projects can't be changed with this operation. Use the Projects API.", "IsProject"
        )
    sparse = body.get("sparse") in (True, "true") or ctx.as_user
    incoming = {k: copy.deepcopy(v) for k, v in body.items() if k not in _SERVER_OWNED}
    if sparse:
        if "DisplayName" in incoming and not str(incoming["DisplayName"] or "").strip():
            raise E.QuickBooksError(
                "2020",
                "Required param missing, need to supply the required value for the API",
                "DisplayName cannot be removed with sparse update",
                "DisplayName",
            )
        obj = {k: copy.deepcopy(v) for k, v in existing.items() if not k.startswith("_")}
        obj.update(incoming)
        if "Line" in incoming and "TxnTaxDetail" not in incoming and not ctx.realm.us:
            # New lines with the old computed tax would read as a tax override.
            obj.pop("TxnTaxDetail", None)
    else:
        obj = incoming
        # Full update clears what is omitted, except what can never be unset.
        keep = ["CurrencyRef"] + (["DocNumber", "TxnDate"] if spec.kind == "txn" else [])
        for key in keep:
            if key not in obj and key in existing:
                obj[key] = copy.deepcopy(existing[key])
    if spec.name == "Customer":
        obj["IsProject"] = bool(existing.get("IsProject")) or (
            ctx.as_user and bool(body.get("IsProject"))
        )
    for key in _SERVER_OWNED:
        obj.pop(key, None)
    obj = _normalise(ctx, spec, obj, existing)
    return replace(ctx, spec, existing, obj)


def replace(ctx: Ctx, spec: Spec, existing: dict, obj: dict) -> dict:
    before = dict(existing)
    obj.update(
        {
            "domain": "QBO",
            "sparse": False,
            "Id": existing["Id"],
            "SyncToken": str(int(existing["SyncToken"]) + 1),
            "MetaData": {
                "CreateTime": existing["MetaData"]["CreateTime"],
                "LastUpdatedTime": qbo_datetime(ctx.now),
            },
            "_ts": ctx.now,
        }
    )
    for key, value in existing.items():
        if key.startswith("_") and key != "_ts":
            obj.setdefault(key, value)
    ctx.realm.table(spec.name)[existing["Id"]] = obj
    ctx.realm.note_write(spec.name, obj, created=False)
    after_write(ctx, spec, obj, before)
    return obj


def _normalise(ctx: Ctx, spec: Spec, obj: dict, existing: dict | None) -> dict:
    if spec.kind == "name":
        return NAME_RULES[spec.name](ctx, spec, obj, existing)
    if spec.kind == "txn":
        return normalise_txn(ctx, spec, obj, existing)
    if spec.kind == "attachable":
        return _attachable(ctx, obj, existing)
    raise E.unsupported(f"Operation on {spec.name} is not supported.")


def _attachable(ctx: Ctx, obj: dict, existing: dict | None) -> dict:
    refs = obj.get("AttachableRef") or []
    if not isinstance(refs, list):
        refs = [refs]
    for ref in refs:
        entity_ref = (ref or {}).get("EntityRef") or {}
        target = entity_ref.get("type") or entity_ref.get("Type")
        value = ref_value(entity_ref)
        if target not in SPECS or value is None:
            raise E.required("AttachableRef.EntityRef")
        if ctx.lookup(target, value) is None:
            raise E.invalid_ref("AttachableRef.EntityRef", target, value)
        ref.setdefault("IncludeOnSend", False)
    obj["AttachableRef"] = refs
    if not obj.get("FileName") and not obj.get("Note"):
        raise E.required("Note")
    if existing and existing.get("FileName"):
        for key in ("FileName", "ContentType", "Size", "FileAccessUri", "TempDownloadUri"):
            if key in existing:
                obj[key] = existing[key]
    return obj
