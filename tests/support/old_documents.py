"""Documents dated long before the connection, made in either sandbox, for the tests of
importing older documents (integration and UI)."""

from __future__ import annotations

import datetime as dt
import json

from tests.fixtures.world import World
from tests.support.demo import ACME_REALM as REALM

# Made this long before the connection: older than any start date the category can have.
AGE_DAYS = 400


def scoro_invoice_rows(env) -> dict[str, dict]:
    rows = env.scoro.store.table("acme_ee", "invoices").values()
    return {str(r["no"]): r for r in rows if r.get("_deleted") is None}


def new_scoro_invoice(ctl, env, number: str, day: dt.date) -> dict:
    """A new open Scoro invoice like 1001 (same client and lines), made as a user would;
    `ctl` is the Scoro sandbox's control plane (World.scoro_ctl)."""
    model = scoro_invoice_rows(env)["1001"]
    lines = [
        {k: json.loads(json.dumps(line[k], default=str)) for k in
         ("product_id", "comment", "amount", "price", "vat_code_id", "finance_account_id")}
        for line in model["lines"]
    ]  # fmt: skip
    return ctl(
        "POST",
        "create",
        company_account_id="acme_ee",
        module="invoices",
        data={
            "no": number,
            "company_id": model["company_id"],
            "date": day.isoformat(),
            "status": "sent",
            "currency": model.get("currency") or "EUR",
            "lines": lines,
        },
    )


def make_old_scoro_invoices(world: World, numbers, day: dt.date = dt.date(2025, 2, 3)):
    """Invoices made in Scoro long ago, like 1001: Scoro stamps them with the date they were
    made, before the connection existed."""
    world.scoro_ctl("POST", "clock", advance_seconds=-AGE_DAYS * 86400)
    try:
        for number in numbers:
            new_scoro_invoice(world.scoro_ctl, world.env, number, day)
    finally:
        world.scoro_ctl("POST", "clock", advance_seconds=AGE_DAYS * 86400)


def qbo_invoices(world: World) -> list[dict]:
    return world.qbo_query(REALM, "select * from Invoice maxresults 1000").get("Invoice", [])


def numbers(invoices) -> list[str]:
    return sorted(i.get("DocNumber", "") for i in invoices)


def make_qbo_invoice(world: World, number: str, *, like: str, customer: str | None = None):
    """An invoice typed into QuickBooks by hand, copying the lines of invoice `like`."""
    model = next(i for i in qbo_invoices(world) if i.get("DocNumber") == like)
    lines = [
        {k: v for k, v in line.items() if k not in ("Id", "LineNum")}
        for line in model["Line"]
        if line.get("DetailType") == "SalesItemLineDetail"
    ]
    body = {
        "DocNumber": number,
        "TxnDate": "2025-02-03",
        "CustomerRef": {"value": customer or model["CustomerRef"]["value"]},
        "Line": lines,
    }
    return world.qbo_api(REALM, "POST", "invoice", json.loads(json.dumps(body)))["Invoice"]


def other_customer(world: World, than: str) -> str:
    customers = world.qbo_query(REALM, "select * from Customer maxresults 1000")["Customer"]
    return next(c["Id"] for c in customers if c["Id"] != than and c.get("Active", True))
