"""Which Scoro module, filter and row test serve each kind of record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..domain import Kind
from .coerce import flag, int_list

# These Scoro modules have no created/modified dates: every read is a full list.
MODULES_WITHOUT_DATES = frozenset(
    {"vatCodes", "financeObjects", "files", "clientProfiles", "bookmarks", "receiptAccounts"}
)


def _true(raw: dict[str, Any], key: str) -> bool:
    try:
        return flag(raw.get(key), key)
    except ValueError:
        return True  # let the mapper report the bad value as a MalformedRecord


def _credit(raw: dict[str, Any]) -> bool:
    try:
        return bool(int_list(raw.get("credited_invoices"), "credited_invoices"))
    except ValueError:
        return False


def _doc_type(raw: dict[str, Any]) -> str:
    value = raw.get("sales_doc_type")
    return value if isinstance(value, str) and value else "invoices"


@dataclass(frozen=True)
class KindSpec:
    module: str
    # Sent to Scoro to narrow the list; `accepts` re-checks because a server may ignore it.
    filter: dict[str, Any] = field(default_factory=dict)
    accepts: Callable[[dict[str, Any]], bool] = lambda raw: True
    # List results carry no document lines; each changed document needs a view.
    needs_view: bool = False


KINDS: dict[Kind, KindSpec] = {
    Kind.CUSTOMER: KindSpec("contacts", {"is_client": 1}, lambda r: _true(r, "is_client")),
    Kind.VENDOR: KindSpec("contacts", {"is_supplier": 1}, lambda r: _true(r, "is_supplier")),
    Kind.PRODUCT: KindSpec("products"),
    Kind.PROJECT: KindSpec("projects"),
    Kind.INVOICE: KindSpec("invoices", accepts=lambda r: not _credit(r), needs_view=True),
    Kind.CREDIT_NOTE: KindSpec("invoices", accepts=_credit, needs_view=True),
    Kind.BILL: KindSpec("bills", needs_view=True),
    Kind.RECEIPT: KindSpec("receipts", accepts=lambda r: _doc_type(r) == "invoices"),
    Kind.BILL_PAYMENT: KindSpec("receipts", accepts=lambda r: _doc_type(r) == "bills"),
    Kind.ACCOUNT: KindSpec("financeAccounts"),
    Kind.TAX_RATE: KindSpec("vatCodes"),
    Kind.TRACKING_CLASS: KindSpec("financeObjects"),
    Kind.ATTACHMENT: KindSpec("files"),
}
