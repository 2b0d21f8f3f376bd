"""Deleting and voiding: refused while payments are applied to the document."""

from __future__ import annotations

import copy
from typing import Any

from . import errors as E
from .balances import after_write, linked_payments
from .clock import qbo_datetime
from .context import ZERO, Ctx
from .specs import Spec
from .writes import check_token, replace


def delete(ctx: Ctx, spec: Spec, body: Any) -> dict:
    if not spec.deletable:
        raise E.unsupported(f"Operation Delete is not supported for {spec.name}.")
    if not isinstance(body, dict) or body.get("Id") in (None, ""):
        raise E.required("Id")
    obj_id = str(body["Id"])
    existing = ctx.lookup(spec.name, obj_id)
    if existing is None:
        raise E.not_found(spec.name, obj_id)
    check_token(existing, body, spec.name)
    linked = linked_payments(ctx, spec.name, obj_id)
    if linked:
        raise E.business(
            f"This transaction is linked to other transactions ({linked[0][0]} Id="
            f"{linked[0][1]}). Unlink them before you delete it."
        )
    del ctx.realm.table(spec.name)[obj_id]
    ctx.realm.files.pop(obj_id, None)
    stamp = qbo_datetime(ctx.now)
    ctx.realm.deleted.setdefault(spec.name, {})[obj_id] = {
        "domain": "QBO",
        "status": "Deleted",
        "Id": obj_id,
        "MetaData": {"LastUpdatedTime": stamp},
        "_ts": ctx.now,
    }
    after_write(ctx, spec, None, existing)
    return {"status": "Deleted", "domain": "QBO", "Id": obj_id}


def void(ctx: Ctx, spec: Spec, body: Any) -> dict:
    allowed = spec.voidable or (spec.name == "Bill" and ctx.settings.bill_void_supported)
    if not allowed:
        raise E.unsupported(f"Operation Void is not supported for {spec.name}.")
    if not isinstance(body, dict) or body.get("Id") in (None, ""):
        raise E.required("Id")
    obj_id = str(body["Id"])
    existing = ctx.lookup(spec.name, obj_id)
    if existing is None:
        raise E.not_found(spec.name, obj_id)
    check_token(existing, body, spec.name)
    if existing.get("_voided"):
        raise E.business("This transaction has already been voided.")
    linked = linked_payments(ctx, spec.name, obj_id)
    if linked:
        raise E.business(
            f"This transaction is linked to other transactions ({linked[0][0]} Id="
            f"{linked[0][1]}). Unlink them before you void it."
        )
    obj = {k: copy.deepcopy(v) for k, v in existing.items() if not k.startswith("_")}
    for line in obj.get("Line", []):
        if "Amount" in line:
            line["Amount"] = ZERO
        for detail in ("SalesItemLineDetail", "ItemBasedExpenseLineDetail"):
            if detail in line and "Qty" in line[detail]:
                line[detail]["Qty"] = ZERO
    if spec.name in ("Payment", "BillPayment"):
        obj["Line"] = []
        if spec.name == "Payment":
            obj["UnappliedAmt"] = ZERO
    obj["TotalAmt"] = ZERO
    for key in ("HomeTotalAmt", "Balance", "HomeBalance", "RemainingCredit"):
        if key in obj:
            obj[key] = ZERO
    if "TxnTaxDetail" in obj:
        obj["TxnTaxDetail"] = dict(obj["TxnTaxDetail"], TotalTax=ZERO, TaxLine=[])
    note = obj.get("PrivateNote")
    obj["PrivateNote"] = f"Voided - {note}" if note else "Voided"
    obj["_voided"] = True
    return replace(ctx, spec, existing, obj)
