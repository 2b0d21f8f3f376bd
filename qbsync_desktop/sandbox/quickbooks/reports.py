"""The Reports API (``GET /reports/{ReportName}``), computed from the stored documents.

QBO answers with ``{"Header", "Columns", "Rows"}`` at the top level: sections hold ``Header``,
``Rows`` and ``Summary`` rows, data rows hold ``ColData`` cells of text values (money as text
with two decimals), an account or name cell carrying the object's ``id``. The ledger below posts
every document as a double entry, so the balance sheet balances with the profit and loss.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from . import errors as E
from .clock import qbo_time
from .context import ZERO, Ctx, money, ref_value
from .jsonutil import to_decimal

REPORTS = ("ProfitAndLoss", "BalanceSheet", "AgedReceivables", "CustomerBalance")
_AGING = ("Current", "1 - 30", "31 - 60", "61 - 90", "91 and over")
_TAX_KEY = "tax"


def _day(text: str | None, name: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise E.QuickBooksError(
            "2010", "Request has invalid or unsupported property",
            f"Property Name:{name} specified value :{text}", name,
        ) from None  # fmt: skip


def _amount(value) -> Decimal:
    return to_decimal(value) or ZERO


def _text(value: Decimal) -> str:
    return format(money(value), "f")


def _col(value: str, obj_id: str | None = None) -> dict:
    return {"value": value, "id": obj_id} if obj_id else {"value": value}


def _header(ctx: Ctx, name: str, start: dt.date | None, end: dt.date, options: list) -> dict:
    header = {
        "Time": qbo_time(ctx.now),
        "ReportName": name,
        "ReportBasis": "Accrual",
        "Currency": ctx.realm.home_currency,
        "Option": options,
    }
    if start is not None:
        header["StartPeriod"] = start.isoformat()
        header["EndPeriod"] = end.isoformat()
        header["SummarizeColumnsBy"] = "Total"
    else:
        header["ReportDate"] = end.isoformat()
    return header


def _columns(titles: list[tuple[str, str]]) -> dict:
    return {
        "Column": [
            {"ColTitle": title, "ColType": kind, "MetaData": [{"Name": "ColKey", "Value": key}]}
            for (title, kind), key in zip(titles, _col_keys(titles), strict=True)
        ]
    }


def _col_keys(titles: list[tuple[str, str]]) -> list[str]:
    return ["account" if i == 0 else (t.lower().replace(" ", "") or "total")
            for i, (t, _k) in enumerate(titles)]  # fmt: skip


def _home(doc: dict, value: Decimal) -> Decimal:
    return value * (to_decimal(doc.get("ExchangeRate")) or Decimal("1"))


def _ledger(ctx: Ctx, start: dt.date | None, end: dt.date) -> dict[str, Decimal]:
    """Debit-positive balances per account Id (and ``tax``) from documents dated in range."""
    realm = ctx.realm
    bal: dict[str, Decimal] = defaultdict(lambda: ZERO)

    def dated(doc: dict) -> bool:
        day = dt.date.fromisoformat(doc.get("TxnDate") or "1970-01-01")
        return day <= end and (start is None or day >= start)

    def account_of(entity: str, name: str) -> str:
        for row in sorted(realm.table("Account").values(), key=lambda r: (len(r["Id"]), r["Id"])):
            if row.get("AccountType") == entity:
                return row["Id"]
        return name

    ar = account_of("Accounts Receivable", "AR")
    ap = account_of("Accounts Payable", "AP")

    def item_account(item_ref, field_name: str) -> str:
        item = realm.get("Item", ref_value(item_ref) or "")
        return ref_value((item or {}).get(field_name)) or "uncategorised"

    def post_document(doc: dict, sign: int, sales: bool) -> None:
        # sign +1: invoice / bill; -1: credit memo / vendor credit.
        total = _home(doc, _amount(doc.get("TotalAmt")))
        tax = _home(doc, _amount((doc.get("TxnTaxDetail") or {}).get("TotalTax")))
        control = ar if sales else ref_value(doc.get("APAccountRef")) or ap
        # Sales: Dr A/R, Cr income. Purchases: Cr A/P, Dr expense.
        side = 1 if sales else -1
        bal[control] += side * sign * total
        bal[_TAX_KEY] -= side * sign * tax
        posted = ZERO
        first = None
        lines: list[dict] = []
        for line in doc.get("Line", []):
            kind = line.get("DetailType")
            if kind == "GroupLineDetail":
                lines.extend((line.get("GroupLineDetail") or {}).get("Line") or [])
            else:
                lines.append(line)
        for line in lines:
            kind = line.get("DetailType")
            detail = line.get(kind) or {}
            amount = _home(doc, _amount(line.get("Amount")))
            if kind == "SalesItemLineDetail":
                acct, value = item_account(detail.get("ItemRef"), "IncomeAccountRef"), amount
            elif kind == "DiscountLineDetail":
                acct = ref_value(detail.get("DiscountAccountRef")) or "uncategorised"
                value = -amount
            elif kind == "ItemBasedExpenseLineDetail":
                acct, value = item_account(detail.get("ItemRef"), "ExpenseAccountRef"), amount
            elif kind == "AccountBasedExpenseLineDetail":
                acct, value = ref_value(detail.get("AccountRef")) or "uncategorised", amount
            else:
                continue
            first = first or acct
            bal[acct] -= side * sign * value
            posted += value
        # Tax-inclusive lines and rounding: what the lines don't explain lands on the first line.
        rest = total - tax - posted
        if rest and first:
            bal[first] -= side * sign * rest

    for doc in realm.table("Invoice").values():
        if dated(doc):
            post_document(doc, 1, True)
    for doc in realm.table("CreditMemo").values():
        if dated(doc):
            post_document(doc, -1, True)
    for doc in realm.table("Bill").values():
        if dated(doc):
            post_document(doc, 1, False)
    for doc in realm.table("VendorCredit").values():
        if dated(doc):
            post_document(doc, -1, False)
    for pay in realm.table("Payment").values():
        if dated(pay):
            total = _home(pay, _amount(pay.get("TotalAmt")))
            bal[ref_value(pay.get("DepositToAccountRef")) or "undeposited"] += total
            bal[ref_value(pay.get("ARAccountRef")) or ar] -= total
    for pay in realm.table("BillPayment").values():
        if dated(pay):
            total = _home(pay, _amount(pay.get("TotalAmt")))
            source = (
                (pay.get("CreditCardPayment") or {}).get("CCAccountRef")
                if pay.get("PayType") == "CreditCard"
                else (pay.get("CheckPayment") or {}).get("BankAccountRef")
            )
            bal[ref_value(source) or "bank"] -= total
            bal[ref_value(pay.get("APAccountRef")) or ap] += total
    return bal


_PL_GROUPS = [
    ("Income", "Income", ("Income",), -1),
    ("COGS", "Cost of Goods Sold", ("Cost of Goods Sold",), 1),
    ("Expenses", "Expenses", ("Expense",), 1),
    ("OtherIncome", "Other Income", ("Other Income",), -1),
    ("OtherExpenses", "Other Expense", ("Other Expense",), 1),
]


def _account_rows(ctx: Ctx, bal: dict, types: tuple[str, ...], sign: int) -> tuple[list, Decimal]:
    rows = []
    total = ZERO
    accounts = sorted(ctx.realm.table("Account").values(), key=lambda r: (len(r["Id"]), r["Id"]))
    for account in accounts:
        if account.get("AccountType") not in types:
            continue
        value = sign * bal.get(account["Id"], ZERO)
        if not value:
            continue
        total += value
        rows.append({
            "ColData": [_col(account["Name"], account["Id"]), _col(_text(value))],
            "type": "Data",
        })  # fmt: skip
    return rows, total


def _section(group: str, title: str, rows: list, total: Decimal) -> dict:
    return {
        "Header": {"ColData": [_col(title), _col("")]},
        "Rows": {"Row": rows},
        "Summary": {"ColData": [_col(f"Total {title}"), _col(_text(total))]},
        "type": "Section",
        "group": group,
    }


def _net_income(ctx: Ctx, bal: dict) -> tuple[list, Decimal]:
    sections = []
    totals = {}
    for group, title, types, sign in _PL_GROUPS:
        rows, total = _account_rows(ctx, bal, types, sign)
        totals[group] = total
        if rows:
            sections.append(_section(group, title, rows, total))
    gross = totals["Income"] - totals["COGS"]
    net = gross - totals["Expenses"] + totals["OtherIncome"] - totals["OtherExpenses"]
    return sections, net


def profit_and_loss(ctx: Ctx, args) -> dict:
    end = _day(args.get("end_date"), "end_date") or dt.date.fromisoformat(ctx.today())
    start = _day(args.get("start_date"), "start_date") or end.replace(month=1, day=1)
    sections, net = _net_income(ctx, _ledger(ctx, start, end))
    sections.append({
        "Summary": {"ColData": [_col("Net Income"), _col(_text(net))]},
        "type": "Section", "group": "NetIncome",
    })  # fmt: skip
    return {
        "Header": _header(ctx, "ProfitAndLoss", start, end,
                          [{"Name": "NoReportData", "Value": str(not sections[:-1]).lower()}]),
        "Columns": _columns([("", "Account"), ("Total", "Money")]),
        "Rows": {"Row": sections},
    }  # fmt: skip


_BS_ASSETS = ("Bank", "Accounts Receivable", "Other Current Asset", "Fixed Asset", "Other Asset")
_BS_LIABILITIES = (
    "Accounts Payable", "Credit Card", "Other Current Liability", "Long Term Liability",
)  # fmt: skip


def balance_sheet(ctx: Ctx, args) -> dict:
    end = _day(args.get("end_date"), "end_date") or dt.date.fromisoformat(ctx.today())
    start = _day(args.get("start_date"), "start_date") or end.replace(month=1, day=1)
    bal = _ledger(ctx, None, end)
    asset_rows, assets = _account_rows(ctx, bal, _BS_ASSETS, 1)
    known = {a["Id"] for a in ctx.realm.table("Account").values()}
    unfiled = sum((v for k, v in bal.items() if k not in known and k != _TAX_KEY
                   and k not in ("uncategorised",)), ZERO)  # fmt: skip
    if unfiled:
        asset_rows.append({"ColData": [_col("Other assets"), _col(_text(unfiled))],
                           "type": "Data"})  # fmt: skip
        assets += unfiled
    liab_rows, liabilities = _account_rows(ctx, bal, _BS_LIABILITIES, -1)
    tax = -bal.get(_TAX_KEY, ZERO)
    if tax:
        liab_rows.append({"ColData": [_col("Sales tax payable"), _col(_text(tax))],
                          "type": "Data"})  # fmt: skip
        liabilities += tax
    equity_rows, equity = _account_rows(ctx, bal, ("Equity",), -1)
    _sections, net = _net_income(ctx, bal)
    uncategorised = -bal.get("uncategorised", ZERO)
    net += uncategorised
    equity_rows.append({"ColData": [_col("Net Income"), _col(_text(net))], "type": "Data"})
    equity += net
    rows = [
        _section("TotalAssets", "ASSETS", asset_rows, assets),
        {
            "Header": {"ColData": [_col("LIABILITIES AND EQUITY"), _col("")]},
            "Rows": {"Row": [
                _section("Liabilities", "Liabilities", liab_rows, liabilities),
                _section("Equity", "Equity", equity_rows, equity),
            ]},
            "Summary": {"ColData": [_col("TOTAL LIABILITIES AND EQUITY"),
                                    _col(_text(liabilities + equity))]},
            "type": "Section",
            "group": "TotalLiabilitiesAndEquity",
        },
    ]  # fmt: skip
    return {
        "Header": _header(ctx, "BalanceSheet", start, end, []),
        "Columns": _columns([("", "Account"), ("Total", "Money")]),
        "Rows": {"Row": rows},
    }


def _open_documents(ctx: Ctx):
    realm = ctx.realm
    for doc in realm.table("Invoice").values():
        balance = _amount(doc.get("Balance"))
        if balance:
            yield doc, balance
    for doc in realm.table("CreditMemo").values():
        credit = _amount(doc.get("RemainingCredit", doc.get("Balance")))
        if credit:
            yield doc, -credit
    for pay in realm.table("Payment").values():
        unapplied = _amount(pay.get("UnappliedAmt"))
        if unapplied:
            yield pay, -unapplied


def _customer_name(ctx: Ctx, customer_id: str) -> str:
    customer = ctx.realm.get("Customer", customer_id) or {}
    return str(customer.get("FullyQualifiedName") or customer.get("DisplayName") or customer_id)


def aged_receivables(ctx: Ctx, args) -> dict:
    as_of = _day(args.get("report_date"), "report_date") or dt.date.fromisoformat(ctx.today())
    buckets: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO] * len(_AGING))
    for doc, open_amount in _open_documents(ctx):
        if dt.date.fromisoformat(doc.get("TxnDate") or as_of.isoformat()) > as_of:
            continue
        due = dt.date.fromisoformat(doc.get("DueDate") or doc.get("TxnDate"))
        late = (as_of - due).days
        index = 0 if late <= 0 else 1 if late <= 30 else 2 if late <= 60 else 3 if late <= 90 else 4
        buckets[ref_value(doc.get("CustomerRef")) or ""][index] += _home(doc, open_amount)
    rows: list[dict[str, Any]] = []
    totals = [ZERO] * len(_AGING)
    for customer_id in sorted(buckets, key=lambda c: _customer_name(ctx, c).casefold()):
        values = buckets[customer_id]
        for i, value in enumerate(values):
            totals[i] += value
        rows.append({"ColData": [_col(_customer_name(ctx, customer_id), customer_id)]
                     + [_col(_text(v) if v else "") for v in values]
                     + [_col(_text(sum(values, ZERO)))], "type": "Data"})  # fmt: skip
    rows.append({
        "Summary": {"ColData": [_col("TOTAL")] + [_col(_text(v)) for v in totals]
                    + [_col(_text(sum(totals, ZERO)))]},
        "type": "Section", "group": "GrandTotal",
    })  # fmt: skip
    titles = [("", "Customer")] + [(t, "Money") for t in _AGING] + [("Total", "Money")]
    return {
        "Header": _header(ctx, "AgedReceivables", None, as_of,
                          [{"Name": "report_date", "Value": as_of.isoformat()}]),
        "Columns": _columns(titles),
        "Rows": {"Row": rows},
    }  # fmt: skip


def customer_balance(ctx: Ctx, args) -> dict:
    as_of = _day(args.get("report_date"), "report_date") or dt.date.fromisoformat(ctx.today())
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for doc, open_amount in _open_documents(ctx):
        if dt.date.fromisoformat(doc.get("TxnDate") or as_of.isoformat()) <= as_of:
            totals[ref_value(doc.get("CustomerRef")) or ""] += _home(doc, open_amount)
    rows: list[dict[str, Any]] = []
    grand = ZERO
    for customer_id in sorted(totals, key=lambda c: _customer_name(ctx, c).casefold()):
        value = totals[customer_id]
        if not value:
            continue
        grand += value
        rows.append({"ColData": [_col(_customer_name(ctx, customer_id), customer_id),
                                 _col(_text(value))], "type": "Data"})  # fmt: skip
    rows.append({"Summary": {"ColData": [_col("TOTAL"), _col(_text(grand))]},
                 "type": "Section", "group": "GrandTotal"})  # fmt: skip
    return {
        "Header": _header(ctx, "CustomerBalance", None, as_of, []),
        "Columns": _columns([("", "Customer"), ("Total", "Money")]),
        "Rows": {"Row": rows},
    }


_BUILDERS = {
    "ProfitAndLoss": profit_and_loss,
    "BalanceSheet": balance_sheet,
    "AgedReceivables": aged_receivables,
    "CustomerBalance": customer_balance,
}


def run(ctx: Ctx, name: str, args) -> dict:
    builder = _BUILDERS.get(name)
    if builder is None:
        raise E.unsupported(f"Operation Report {name} is not supported.")
    return builder(ctx, args)
