"""Light document summaries, read from list pages and queries for reconciliation.

A summary carries what both books must agree on (totals, tax, currency, contact, status, open
balance) and nothing that needs a document's lines, so reading them costs a request per page,
not per document.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from .kinds import Kind, Side


@dataclass(frozen=True, slots=True)
class DocumentRow:
    kind: Kind
    side: Side
    id: str
    number: str
    date: dt.date | None
    contact_id: str  # the contact's id on this row's side ("" when none)
    contact_name: str
    currency: str
    total: Decimal  # gross: net plus tax (a payment's amount)
    tax: Decimal | None  # None: the side did not say, or the kind has no tax (payments)
    balance: Decimal | None  # what is still open; None for payments
    # open | partially_paid | paid | draft | void (documents); "" for payments
    status: str = ""
