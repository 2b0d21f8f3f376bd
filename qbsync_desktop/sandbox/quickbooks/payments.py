"""Payment and bill-payment lines: what each applies to, and how much it may apply."""

from __future__ import annotations

import copy

from . import errors as E
from .balances import applied_to
from .context import ZERO, Ctx, check_ref, money, num, party_field_of, ref_value
from .jsonutil import to_decimal
from .specs import Spec


def normalise_payment(ctx: Ctx, spec: Spec, obj: dict, existing: dict | None, party: dict) -> None:
    entity = spec.name
    total = num(obj.get("TotalAmt"), "TotalAmt")
    if total is None:
        raise E.required("TotalAmt")
    if total < 0:
        raise E.business("The payment amount can't be negative.", "TotalAmt")
    obj["TotalAmt"] = money(total)
    if entity == "BillPayment":
        pay_type = obj.get("PayType")
        if pay_type not in ("Check", "CreditCard"):
            raise E.required("PayType")
        if pay_type == "Check":
            bank = (obj.get("CheckPayment") or {}).get("BankAccountRef")
            if not ref_value(bank):
                raise E.required("CheckPayment.BankAccountRef")
            account = check_ref(ctx, bank, "BankAccountRef", "CheckPayment.BankAccountRef")
            wanted = "Bank"
        else:
            card = (obj.get("CreditCardPayment") or {}).get("CCAccountRef")
            if not ref_value(card):
                raise E.required("CreditCardPayment.CCAccountRef")
            account = check_ref(ctx, card, "CCAccountRef", "CreditCardPayment.CCAccountRef")
            wanted = "Credit Card"
        if account is not None and account.get("AccountType") != wanted:
            raise E.business(
                f"A {pay_type} bill payment must be paid from a {wanted} account.",
                "CheckPayment.BankAccountRef"
                if pay_type == "Check"
                else "CreditCardPayment.CCAccountRef",
            )
    targets = ("Bill", "VendorCredit") if entity == "BillPayment" else ("Invoice", "CreditMemo")
    party_field = party_field_of(entity)
    applied = ZERO
    credits = ZERO
    lines = []
    for line in obj.get("Line") or []:
        amount = num(line.get("Amount"), "Line.Amount")
        if amount is None:
            raise E.required("Line.Amount")
        links = line.get("LinkedTxn") or []
        if not links:
            raise E.required("Line.LinkedTxn")
        line = copy.deepcopy(line)
        line["Amount"] = money(amount)
        for link in line["LinkedTxn"]:
            txn_type = link.get("TxnType")
            if txn_type not in targets:
                raise E.business(f"A {entity} can't be linked to a {txn_type}.", "LinkedTxn")
            target = ctx.lookup(txn_type, str(link.get("TxnId")))
            if target is None:
                raise E.invalid_ref("Line.LinkedTxn.TxnId", txn_type, str(link.get("TxnId")))
            link["TxnId"] = target["Id"]
            if ref_value(target.get(party_field)) != party["Id"]:
                raise E.business(
                    f"{txn_type} {target['Id']} belongs to a different customer or vendor.",
                    "LinkedTxn",
                )
            if target.get("_voided"):
                raise E.business(f"{txn_type} {target['Id']} has been voided.", "LinkedTxn")
            already = applied_to(existing, target["Id"]) if existing else ZERO
            key = "RemainingCredit" if txn_type == "CreditMemo" else "Balance"
            open_amount = (to_decimal(target.get(key)) or ZERO) + already
            if ctx.settings.overpayment_error and line["Amount"] > open_amount:
                raise E.business(
                    f"The amount applied to {txn_type} {target['Id']} ({line['Amount']}) is "
                    f"more than its open balance ({open_amount}).",
                    "Line.Amount",
                )
            if txn_type in ("CreditMemo", "VendorCredit"):
                credits += line["Amount"]
            else:
                applied += line["Amount"]
        lines.append(line)
    net = applied - credits
    if net > obj["TotalAmt"]:
        raise E.business(
            f"The amount applied ({net}) is more than the payment total ({obj['TotalAmt']}).",
            "TotalAmt",
        )
    obj["Line"] = lines
    if entity == "Payment":
        obj["UnappliedAmt"] = obj["TotalAmt"] - net
    if ctx.realm.multicurrency and "ExchangeRate" in obj:
        obj["HomeTotalAmt"] = money(obj["TotalAmt"] * obj["ExchangeRate"])
