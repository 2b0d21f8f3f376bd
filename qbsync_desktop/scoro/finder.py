"""Find a Scoro object by natural key: the matching rules and the find-before-create guard.

Scoro filters narrow the search on the server; the final comparison is done here on
normalised text, because server-side text matching (case, `%` wildcards) is not specified.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ..domain import (
    Account,
    Bill,
    Contact,
    Invoice,
    Kind,
    Payment,
    Product,
    Project,
    Record,
    TaxRate,
    TrackingClass,
)
from ..domain.errors import MalformedRecord
from ..domain.fingerprint import normalise_text
from .api import ScoroApi
from .kinds import KINDS

VENDOR_SUFFIX = " (v)"


def key(value: str) -> str:
    return normalise_text(value).casefold()


class Finder:
    def __init__(self, api: ScoroApi, mapper: Callable[[Kind, Any], Record]) -> None:
        self.api = api
        self.map = mapper

    def _candidates(self, kind: Kind, criteria: dict[str, Any]) -> list[Record]:
        out = []
        for raw in self.api.list_all(KINDS[kind].module, criteria):
            if not KINDS[kind].accepts(raw) and kind not in (Kind.CUSTOMER, Kind.VENDOR):
                continue
            try:
                record = self.map(kind, raw)
            except MalformedRecord:
                continue
            if not getattr(record, "deleted", False):
                out.append(record)
        return out

    def find(self, kind: Kind, record: Record) -> Record | None:
        if isinstance(record, Contact):
            return self._contact(kind, record)
        if isinstance(record, Product | TrackingClass):
            return self._by_name(kind, record.name, {"name": record.name})
        if isinstance(record, Project):
            return self._project(record)
        if isinstance(record, Invoice | Bill):
            return self._document(kind, record)
        if isinstance(record, Account):
            return self._account(record)
        if isinstance(record, TaxRate):
            return self._tax_rate(record)
        if isinstance(record, Payment):
            return self._payment(kind, record)
        return None

    def _by_name(self, kind: Kind, name: str, criteria: dict[str, Any]) -> Record | None:
        wanted = key(name)
        for found in self._candidates(kind, criteria):
            if key(getattr(found, "name", "")) == wanted:
                return found
        return None

    def _contact(self, kind: Kind, record: Contact) -> Record | None:
        names = [record.name]
        if kind is Kind.VENDOR and record.name.endswith(VENDOR_SUFFIX):
            names.append(record.name[: -len(VENDOR_SUFFIX)])
        for name in names:
            if record.is_person and (record.first_name or record.last_name):
                criteria = {"name": record.first_name, "lastname": record.last_name}
            else:
                criteria = {"name": name}
            # Both roles are searched: a customer may already exist as a supplier (R23).
            found = self._by_name(Kind.CUSTOMER, name, criteria)
            if found is None and record.is_person:
                found = self._by_name(Kind.CUSTOMER, name, {"name": name})
            if found is not None:
                return found
        return None

    def _project(self, record: Project) -> Record | None:
        wanted = key(record.name)
        for found in self._candidates(Kind.PROJECT, {"project_name": record.name}):
            assert isinstance(found, Project)
            if key(found.name) != wanted:
                continue
            # R31: with a client, the names and the clients must both match.
            if record.client is None or found.client == record.client:
                return found
        return None

    def _document(self, kind: Kind, record: Invoice | Bill) -> Record | None:
        if not record.number:
            return None
        for found in self._candidates(kind, {"no": record.number}):
            assert isinstance(found, Invoice | Bill)
            if key(found.number) != key(record.number):
                continue
            # Bill numbers are the suppliers' own, so they are unique per supplier only.
            if (
                isinstance(record, Bill)
                and record.contact is not None
                and found.contact != record.contact
            ):
                continue
            return found
        return None

    def _account(self, record: Account) -> Record | None:
        criteria = {"account_symbol": record.number} if record.number else {"name": record.name}
        for found in self._candidates(Kind.ACCOUNT, criteria):
            assert isinstance(found, Account)
            if (record.number and found.number == record.number) or (
                not record.number and key(found.name) == key(record.name)
            ):
                return found
        return None

    def _tax_rate(self, record: TaxRate) -> Record | None:
        for found in self._candidates(Kind.TAX_RATE, {}):
            assert isinstance(found, TaxRate)
            if (record.code and key(found.code) == key(record.code)) or (
                not record.code and key(found.name) == key(record.name)
            ):
                return found
        return None

    def _payment(self, kind: Kind, record: Payment) -> Record | None:
        """Receipts have no number: the same date, contact, amount and documents is a match."""
        if record.date is None:
            return None
        wanted = _allocations(record)
        criteria: dict[str, Any] = {
            "date": {"from_date": record.date.isoformat(), "to_date": record.date.isoformat()}
        }
        for found in self._candidates(kind, criteria):
            assert isinstance(found, Payment)
            if (
                found.date == record.date
                and found.amount == record.amount
                and _allocations(found) == wanted
                and (record.contact is None or found.contact == record.contact)
            ):
                return found
        return None


def _allocations(payment: Payment) -> list[tuple[str, Decimal]]:
    return sorted((a.document.id, a.amount) for a in payment.allocations)
