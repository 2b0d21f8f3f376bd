"""What a source record must be before it is copied: odd input is held with its reason, never
sent in a changed form (a negative invoice, a date made up, a number QuickBooks invents).
Pure: decides from the record alone."""

from __future__ import annotations

from dataclasses import dataclass

from ..domain import Bill, Contact, Invoice, Kind, Record, Side
from ..domain.labels import CONTROL as _CONTROL
from ..domain.labels import label, short

# Statuses Scoro documents are known to have; anything else is held, not guessed at.
KNOWN_INVOICE_STATUSES = frozenset(
    {"sent", "unpaid", "paid", "partially_paid", "partiallypaid", "overdue", "draft",
     "void", "voided", "cancelled"}
)  # fmt: skip
KNOWN_BILL_STATUSES = frozenset(
    {"draft", "approved", "unpaid", "paid", "partially_paid", "partiallypaid", "rejected"}
)


@dataclass(frozen=True)
class Problem:
    type: str
    message: str
    details: dict


def _control_in(rec: Record) -> str:
    """The first field holding a control character, in words."""
    fields = [("name", "name"), ("number", "number"), ("memo", "description")]
    for attr, words in fields:
        value = getattr(rec, attr, "")
        if isinstance(value, str) and _CONTROL.search(value):
            return words
    for n, line in enumerate(getattr(rec, "lines", ()), start=1):
        if _CONTROL.search(line.description or ""):
            return f"the description of line {n}"
    return ""


def problem(kind: Kind, rec: Record, source: Side) -> Problem | None:
    """Why this source record must not be copied as it is; None when it may."""
    name = label(kind, rec)
    where = _control_in(rec)
    if where:
        return Problem(
            "validation_error",
            f"{name} has an invisible control character in its {where}, which "
            f"{source.other.label} cannot take. Retype that text in {source.label}, then sync "
            "again.",
            {"field": where},
        )
    if isinstance(rec, Contact):
        return None
    if source is not Side.SCORO or not isinstance(rec, Invoice | Bill):
        return None
    status = (rec.status or "").strip().lower()
    known = KNOWN_BILL_STATUSES if isinstance(rec, Bill) else KNOWN_INVOICE_STATUSES
    if status and status not in known:
        return Problem(
            "validation_error",
            f"{name} has the status “{short(rec.status, 40)}”, which this app does not know, so "
            "it was not sent rather than guessed at. Give it a usual status in Scoro (for "
            "example sent or paid), then sync again.",
            {"status": rec.status},
        )
    if not rec.number:
        return Problem(
            "validation_error",
            f"{name} has no number in Scoro, and QuickBooks would give it one of its own. Number "
            "it in Scoro, then sync again.",
            {},
        )
    if rec.date is None:
        return Problem(
            "validation_error",
            f"{name} has no valid date in Scoro (empty or 0000-00-00), so it was not sent with a "
            "made-up one. Set its date in Scoro, then sync again.",
            {},
        )
    subtotal = rec.subtotal
    if isinstance(rec, Invoice) and rec.is_credit_note and subtotal < 0:
        return Problem(
            "validation_error",
            f"{name} credits an invoice but its lines add up to a charge, not a credit "
            f"({-subtotal:.2f}). Check the signs of its lines in Scoro, then sync again.",
            {"subtotal": str(subtotal)},
        )
    if subtotal < 0:
        what = "invoice" if isinstance(rec, Invoice) else "bill"
        fix = "a credit note" if isinstance(rec, Invoice) else "a supplier credit"
        return Problem(
            "validation_error",
            f"{name} adds up to a negative amount ({subtotal:.2f}); a QuickBooks {what} cannot. "
            f"Make it {fix} in Scoro, or check the quantities of its lines, then sync again.",
            {"subtotal": str(subtotal)},
        )
    return None
