"""The header rules of transactions: party, dates and terms, currency, accounts and document
numbers. Lines and totals are in ``lines``, payment lines in ``payments``."""

from __future__ import annotations

import calendar
import copy
import datetime as dt
from decimal import Decimal

from . import errors as E
from .context import (
    CURRENCY_NAMES,
    Ctx,
    check_ref,
    company_account,
    exchange_rate,
    party_field_of,
    ref_value,
)
from .jsonutil import to_decimal
from .lines import lines_and_totals
from .payments import normalise_payment
from .specs import TXN_TYPE_LABEL, Spec

DOCNUMBER_MAX = 21


def _date(obj: dict, field_name: str) -> None:
    value = obj.get(field_name)
    if value in (None, ""):
        obj.pop(field_name, None)
        return
    try:
        dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise E.business(f"Invalid date {value!r} for {field_name}", field_name) from None
    obj[field_name] = str(value)[:10]


def normalise_txn(ctx: Ctx, spec: Spec, obj: dict, existing: dict | None) -> dict:
    entity = spec.name
    party_field = party_field_of(entity)
    if not ref_value(obj.get(party_field)):
        raise E.required(party_field)
    party = check_ref(ctx, obj[party_field], party_field)
    assert party is not None
    obj["TxnDate"] = obj.get("TxnDate") or ctx.today()
    _date(obj, "TxnDate")
    _date(obj, "DueDate")
    _txn_currency(ctx, obj, party)
    if ref_value(obj.get("ProjectRef")):
        project = check_ref(ctx, obj["ProjectRef"], "ProjectRef")
        if project is None or not project.get("IsProject"):
            raise E.invalid_ref("ProjectRef", "Project", ref_value(obj["ProjectRef"]) or "")
        if (
            entity in ("Invoice", "CreditMemo", "Payment")
            and ref_value(project.get("ParentRef")) != party["Id"]
            and project["Id"] != party["Id"]
        ):
            raise E.business(
                "The project doesn't belong to the customer on this transaction.", "ProjectRef"
            )
    for field_name in ("ClassRef", "ARAccountRef", "APAccountRef", "DepositToAccountRef",
                       "PaymentMethodRef"):  # fmt: skip
        if ref_value(obj.get(field_name)):
            check_ref(ctx, obj[field_name], field_name)
    if entity in ("Invoice", "CreditMemo"):
        _sales_defaults(ctx, entity, obj, party, existing)
    if entity in ("Bill", "VendorCredit", "BillPayment"):
        _ap_account(ctx, obj, party)
    if entity == "Bill":
        _due_date(ctx, obj, party, "TermRef")
    _docnumber(ctx, spec, obj, existing, party)
    if entity in ("Invoice", "CreditMemo", "Bill", "VendorCredit"):
        lines_and_totals(ctx, spec, obj)
    else:
        normalise_payment(ctx, spec, obj, existing, party)
    # LinkedTxn is the server's record of what pays this document; it is always present.
    obj["LinkedTxn"] = copy.deepcopy(existing.get("LinkedTxn") or []) if existing else []
    return obj


_SALES_FLAGS = ("ApplyTaxAfterDiscount",)
_INVOICE_FLAGS = (
    "AllowOnlinePayment", "AllowOnlineCreditCardPayment", "AllowOnlineACHPayment",
    "AllowIPNPayment",
)  # fmt: skip
_STATUS_VALUES = {
    "PrintStatus": ("NotSet", "NeedToPrint", "PrintComplete"),
    "EmailStatus": ("NotSet", "NeedToSend", "EmailSent"),
}


def _sales_defaults(ctx: Ctx, entity: str, obj: dict, party: dict, existing: dict | None) -> None:
    """What QBO fills on a sales form from the customer and the company when not given."""
    for key in ("BillAddr", "ShipAddr"):
        if not obj.get(key) and party.get(key):
            obj[key] = copy.deepcopy(party[key])
    email = (party.get("PrimaryEmailAddr") or {}).get("Address")
    if not (obj.get("BillEmail") or {}).get("Address") and email:
        obj["BillEmail"] = {"Address": email}
    for key, allowed in _STATUS_VALUES.items():
        value = obj.get(key) or (existing or {}).get(key) or "NotSet"
        if value not in allowed:
            raise E.business(f"Invalid {key}: {value}", key)
        obj[key] = value
    if existing and existing.get("DeliveryInfo") and "DeliveryInfo" not in obj:
        obj["DeliveryInfo"] = copy.deepcopy(existing["DeliveryInfo"])
    flags = _SALES_FLAGS + (_INVOICE_FLAGS if entity == "Invoice" else ())
    for key in flags:
        obj.setdefault(key, False)
    _due_date(ctx, obj, party, "SalesTermRef")


def _due_date(ctx: Ctx, obj: dict, party: dict, party_term_field: str) -> None:
    term = None
    if ref_value(obj.get("SalesTermRef")):
        term = check_ref(ctx, obj["SalesTermRef"], "SalesTermRef")
    elif ref_value(party.get(party_term_field)):
        term = ctx.lookup("Term", ref_value(party[party_term_field]) or "")
        if term is not None and term.get("Active") is not False:
            obj["SalesTermRef"] = {"value": term["Id"], "name": term["Name"]}
        else:
            term = None
    if obj.get("DueDate"):
        return
    obj["DueDate"] = term_due_date(obj["TxnDate"], term)


def term_due_date(txn_date: str, term: dict | None) -> str:
    day = dt.date.fromisoformat(txn_date)
    if term is None:
        return day.isoformat()
    if term.get("Type") == "DATE_DRIVEN":
        due_day = int(to_decimal(term.get("DayOfMonthDue")) or 1)
        cutoff = int(to_decimal(term.get("DueNextMonthDays")) or 0)

        def on(year: int, month: int) -> dt.date:
            return dt.date(year, month, min(due_day, calendar.monthrange(year, month)[1]))

        due = on(day.year, day.month)
        if day > due - dt.timedelta(days=cutoff):
            year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
            due = on(year, month)
        return due.isoformat()
    return (day + dt.timedelta(days=int(to_decimal(term.get("DueDays")) or 0))).isoformat()


def _ap_account(ctx: Ctx, obj: dict, party: dict) -> None:
    if ref_value(obj.get("APAccountRef")):
        return
    account = None
    if ref_value(party.get("APAccountRef")):
        account = ctx.lookup("Account", ref_value(party["APAccountRef"]) or "")
    account = account or company_account(ctx, "Accounts Payable")
    if account is not None:
        obj["APAccountRef"] = {"value": account["Id"], "name": account["Name"]}


def _txn_currency(ctx: Ctx, obj: dict, party: dict) -> None:
    realm = ctx.realm
    party_currency = ref_value(party.get("CurrencyRef")) or realm.home_currency
    wanted = (ref_value(obj.get("CurrencyRef")) or party_currency).upper()
    if wanted != realm.home_currency and not realm.multicurrency:
        raise E.business(
            f"Multicurrency is not enabled for this company; {wanted} can't be used. "
            f"The home currency is {realm.home_currency}.",
            "CurrencyRef",
        )
    if wanted != party_currency:
        raise E.business(
            f"The currency of the transaction ({wanted}) must match the currency of the "
            f"customer or vendor ({party_currency}).",
            "CurrencyRef",
        )
    obj["CurrencyRef"] = {"value": wanted, "name": CURRENCY_NAMES.get(wanted, wanted)}
    if wanted == realm.home_currency:
        obj["ExchangeRate"] = Decimal("1")
    else:
        rate = to_decimal(obj.get("ExchangeRate"))
        obj["ExchangeRate"] = (
            rate if rate and rate > 0 else exchange_rate(wanted, realm.home_currency)
        )
    if not realm.multicurrency:
        obj.pop("ExchangeRate", None)


def _docnumber(ctx: Ctx, spec: Spec, obj: dict, existing: dict | None, party: dict) -> None:
    entity = spec.name
    number = obj.get("DocNumber")
    if number in (None, ""):
        obj.pop("DocNumber", None)
        if entity in ("Invoice", "CreditMemo"):
            obj["DocNumber"] = _next_docnumber(ctx)
        return
    number = str(number).strip()
    if len(number) > DOCNUMBER_MAX:
        raise E.business(
            "String length is either shorter or longer than supported by specification. "
            f"Min:0 Max:{DOCNUMBER_MAX} supplied length:{len(number)}",
            "DocNumber",
        )
    obj["DocNumber"] = number
    if ctx.allow_duplicate_docnum:
        return
    if existing is not None and existing.get("DocNumber") == number:
        return
    pool: tuple[str, ...]
    if entity in ("Invoice", "CreditMemo"):
        pool = ("Invoice", "CreditMemo")
    elif entity == "Bill" and ctx.settings.duplicate_docnumber_bills:
        pool = ("Bill",)
    else:
        return
    self_id = existing["Id"] if existing else None
    for other in pool:
        for row in ctx.realm.rows_where(other, "DocNumber", number):
            if row["Id"] == self_id and other == entity:
                continue
            if row.get("DocNumber") != number:
                continue
            if other == "Bill" and ref_value(row.get("VendorRef")) != party["Id"]:
                continue
            raise E.QuickBooksError(
                "6140",
                "Duplicate Document Number Error",
                "Duplicate Document Number Error : You must specify a different number. This "
                f"number has already been used. DocNumber={number} is assigned to "
                f"TxnType={TXN_TYPE_LABEL[other]} with TxnId={row['Id']}",
                "DocNumber",
            )


def _next_docnumber(ctx: Ctx) -> str:
    highest = 1000
    for other in ("Invoice", "CreditMemo"):
        for row in ctx.realm.table(other).values():
            number = str(row.get("DocNumber", ""))
            if number.isdigit():
                highest = max(highest, int(number))
    return str(highest + 1)
