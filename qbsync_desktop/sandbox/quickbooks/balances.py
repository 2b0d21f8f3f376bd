"""Linked-transaction bookkeeping: what payments apply to each document, and the balances
of documents and names that follow from it."""

from __future__ import annotations

from decimal import Decimal

from .context import ZERO, Ctx, bump, money, party_field_of, ref_value
from .jsonutil import to_decimal
from .specs import Spec
from .store import Realm


def linked_payments(ctx: Ctx, entity: str, obj_id: str) -> list[tuple[str, str]]:
    payer = {
        "Invoice": "Payment",
        "CreditMemo": "Payment",
        "Bill": "BillPayment",
        "VendorCredit": "BillPayment",
    }.get(entity)
    if payer is None:
        return []
    return [(payer, p["Id"]) for p in ctx.realm.table(payer).values() if applied_to(p, obj_id)]


def applied_to(payment: dict, txn_id: str) -> Decimal:
    total = ZERO
    for line in payment.get("Line", []):
        for link in line.get("LinkedTxn", []):
            if str(link.get("TxnId")) == txn_id:
                total += to_decimal(line.get("Amount")) or ZERO
    return total


def after_write(ctx: Ctx, spec: Spec, obj: dict | None, before: dict | None) -> None:
    """Keep Balance/LinkedTxn of linked documents and names in step with payments."""
    if spec.kind != "txn":
        return
    touched: set[tuple[str, str]] = set()
    parties: set[tuple[str, str]] = set()
    for version in (before, obj):
        if version is None:
            continue
        party_field = party_field_of(spec.name)
        party = ref_value(version.get(party_field))
        if party:
            parties.add(("Vendor" if party_field == "VendorRef" else "Customer", party))
        for line in version.get("Line", []) if spec.name in ("Payment", "BillPayment") else []:
            for link in line.get("LinkedTxn", []):
                touched.add((str(link.get("TxnType")), str(link.get("TxnId"))))
    for entity, txn_id in sorted(touched):
        target = ctx.realm.get(entity, txn_id)
        if target is not None:
            _recompute_document(ctx, entity, target)
    for entity, party_id in sorted(parties):
        recompute_party(ctx.realm, entity, party_id)


def _recompute_document(ctx: Ctx, entity: str, doc: dict) -> None:
    payer = "BillPayment" if entity in ("Bill", "VendorCredit") else "Payment"
    applied = ZERO
    links = []
    for payment in ctx.realm.table(payer).values():
        amount = applied_to(payment, doc["Id"])
        if any(
            str(link.get("TxnId")) == doc["Id"] and link.get("TxnType") == entity
            for line in payment.get("Line", [])
            for link in line.get("LinkedTxn", [])
        ):
            applied += amount
            links.append({"TxnId": payment["Id"], "TxnType": payer})
    total = to_decimal(doc.get("TotalAmt")) or ZERO
    key = "RemainingCredit" if entity == "CreditMemo" else "Balance"
    new_balance = money(total - applied)
    changed = doc.get(key) != new_balance or (doc.get("LinkedTxn") or []) != links
    if not changed:
        return
    doc[key] = new_balance
    if entity == "CreditMemo":
        doc["Balance"] = new_balance
    if "HomeBalance" in doc or ctx.realm.multicurrency:
        rate = to_decimal(doc.get("ExchangeRate")) or Decimal("1")
        doc["HomeBalance"] = money(new_balance * rate)
    doc["LinkedTxn"] = links
    # A payment applied in QBO is an edit of the invoice: new SyncToken, shows up in CDC.
    bump(ctx, entity, doc)


def recompute_party(realm: Realm, entity: str, party_id: str) -> None:
    party = realm.get(entity, party_id)
    if party is None:
        return
    if entity == "Vendor":
        owed = sum(
            (
                to_decimal(b.get("Balance")) or ZERO
                for b in realm.rows_where("Bill", "VendorRef", party_id)
            ),
            ZERO,
        )
        owed -= sum(
            (
                to_decimal(c.get("Balance")) or ZERO
                for c in realm.rows_where("VendorCredit", "VendorRef", party_id)
            ),
            ZERO,
        )
        party["Balance"] = money(owed)
        return
    own = ZERO
    for inv in realm.rows_where("Invoice", "CustomerRef", party_id):
        own += to_decimal(inv.get("Balance")) or ZERO
    for memo in realm.rows_where("CreditMemo", "CustomerRef", party_id):
        own -= to_decimal(memo.get("RemainingCredit")) or ZERO
    for pay in realm.rows_where("Payment", "CustomerRef", party_id):
        own -= to_decimal(pay.get("UnappliedAmt")) or ZERO
    party["Balance"] = money(own)
    jobs = money(
        own
        + sum(
            (
                to_decimal(c.get("Balance")) or ZERO
                for c in realm.rows_where("Customer", "ParentRef", party_id)
            ),
            ZERO,
        )
    )
    party["BalanceWithJobs"] = jobs
    parent = ref_value(party.get("ParentRef"))
    if parent:
        recompute_party(realm, "Customer", parent)
