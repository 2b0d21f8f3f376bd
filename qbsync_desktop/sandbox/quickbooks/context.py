"""What every entity rule shares: the write context and small helpers on refs and money.

Everything in the entity modules runs under the sandbox lock with a ``Ctx`` describing the realm,
the clock and, for batch items, which objects the item may see. Stored objects keep Decimals for
money and private ``_``-prefixed bookkeeping keys that never leave the server.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from . import errors as E
from .clock import PACIFIC, qbo_datetime
from .jsonutil import to_decimal
from .settings import Settings
from .specs import REF_TARGETS
from .store import Realm

CENT = Decimal("0.01")
ZERO = Decimal("0")
_TO_EUR = {
    "EUR": Decimal("1"),
    "USD": Decimal("0.92"),
    "GBP": Decimal("1.17"),
    "SEK": Decimal("0.087"),
    "NOK": Decimal("0.085"),
    "DKK": Decimal("0.134"),
    "CAD": Decimal("0.66"),
    "AUD": Decimal("0.60"),
}


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Ctx:
    realm: Realm
    settings: Settings
    now: dt.datetime
    visible: dict[str, set[str]] | None = None
    as_user: bool = False
    allow_duplicate_docnum: bool = False
    base_url: str = ""

    def lookup(self, entity: str, obj_id: Any) -> dict | None:
        key = str(obj_id)
        obj = self.realm.get(entity, key)
        if obj is None:
            return None
        if self.visible is not None and key not in self.visible.get(entity, set()):
            return None
        return obj

    def today(self) -> str:
        return self.now.astimezone(PACIFIC).date().isoformat()


# The US pseudo tax codes TAX and NON are not real list entities: QBO shows them without
# SyncToken, domain, sparse or Active.
_PSEUDO_HIDDEN = ("SyncToken", "domain", "sparse", "Active")


def public(obj: dict) -> dict:
    """A deep copy without the private bookkeeping keys."""
    out = {k: copy.deepcopy(v) for k, v in obj.items() if not k.startswith("_")}
    if obj.get("_pseudo"):
        for key in _PSEUDO_HIDDEN:
            out.pop(key, None)
    return out


def exchange_rate(foreign: str, home: str) -> Decimal:
    if foreign == home:
        return Decimal("1")
    a, b = _TO_EUR.get(foreign), _TO_EUR.get(home)
    if a is None or b is None:
        return Decimal("1")
    return (a / b).quantize(Decimal("0.000001"))


def read(ctx: Ctx, entity: str, obj_id: str) -> dict:
    obj = ctx.lookup(entity, obj_id)
    if obj is None:
        raise E.not_found(entity, obj_id)
    return obj


def bump(ctx: Ctx, entity: str, obj: dict) -> None:
    obj["SyncToken"] = str(int(obj["SyncToken"]) + 1)
    obj["MetaData"] = dict(obj["MetaData"], LastUpdatedTime=qbo_datetime(ctx.now))
    obj["_ts"] = ctx.now


def ref_value(ref: Any) -> str | None:
    if isinstance(ref, dict):
        value = ref.get("value")
        return None if value in (None, "") else str(value)
    if isinstance(ref, (str, int)):
        return str(ref)
    return None


def check_ref(
    ctx: Ctx, ref: Any, field_name: str, element: str | None = None, *, allow_inactive=False
) -> dict | None:
    """Resolve a reference; missing → 2500, inactive → 610."""
    target = REF_TARGETS.get(field_name)
    value = ref_value(ref)
    if target is None or value is None:
        return None
    obj = ctx.lookup(target, value)
    where = element or field_name
    if obj is None:
        raise E.invalid_ref(where, target, value)
    if obj.get("Active") is False and not allow_inactive:
        raise E.inactive_ref(where)
    if isinstance(ref, dict):
        label = obj.get("FullyQualifiedName") or obj.get("DisplayName") or obj.get("Name")
        if label:
            ref["name"] = label
    return obj


CURRENCY_NAMES = {
    "EUR": "Euro",
    "USD": "United States Dollar",
    "GBP": "British Pound Sterling",
    "SEK": "Swedish Krona",
    "NOK": "Norwegian Krone",
    "DKK": "Danish Krone",
    "CAD": "Canadian Dollar",
    "AUD": "Australian Dollar",
}


def party_field_of(entity: str) -> str:
    return "VendorRef" if entity in ("Bill", "BillPayment", "VendorCredit") else "CustomerRef"


def company_account(
    ctx: Ctx, acct_type: str | None = None, subtype: str | None = None
) -> dict | None:
    rows = sorted(ctx.realm.table("Account").values(), key=lambda r: (len(r["Id"]), r["Id"]))
    for row in rows:
        if row.get("Active") is False:
            continue
        if acct_type and row.get("AccountType") != acct_type:
            continue
        if subtype and row.get("AccountSubType") != subtype:
            continue
        return row
    return None


def num(value: Any, element: str) -> Decimal | None:
    if value is None or value == "":
        return None
    number = to_decimal(value)
    if number is None:
        raise E.business(f"Invalid number: {value!r}", element)
    return number
