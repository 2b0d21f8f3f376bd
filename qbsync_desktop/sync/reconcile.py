"""Reconcile: do Scoro and QuickBooks agree? Pure comparison, no Qt, no HTTP.

It is given each side's light document summaries (`domain.summaries.DocumentRow`, read from
list pages and queries), the links between them, the open review items and what the
bookkeeper chose to ignore, and it returns the differences in a bookkeeper's words: documents
only in Scoro, only in QuickBooks, the same number on both sides but not linked, linked but
differing in gross total, tax, currency, customer or vendor, status or open balance; and, per
contact, the open balance on each side.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from ..domain import Direction, Kind, Side, normalise_text
from ..domain.summaries import DocumentRow

# The document kinds reconciled, in the order shown.
DOCUMENT_KINDS: tuple[Kind, ...] = (
    Kind.INVOICE,
    Kind.CREDIT_NOTE,
    Kind.BILL,
    Kind.RECEIPT,
    Kind.BILL_PAYMENT,
)
PAYMENT_KINDS = frozenset({Kind.RECEIPT, Kind.BILL_PAYMENT})
VENDOR_KINDS = frozenset({Kind.BILL, Kind.BILL_PAYMENT})
# Scoro documents in these states never go to QuickBooks (R34), so they are not missing there.
NOT_SYNCED_STATES = frozenset({"draft", "void"})
ZERO = Decimal(0)

# What can be done about a difference, in the bookkeeper's words.
ACTION_LABELS = {
    "send": "Send Scoro's version to QuickBooks",
    "pull": "Bring QuickBooks' version into Scoro",
    "link": "Link the two",
    "review": "Open the review item",
    "ignore": "Ignore…",
}
STATUS_WORDS = {
    "open": "open",
    "partially_paid": "partly paid",
    "paid": "paid",
    "draft": "a draft",
    "void": "void",
    "": "",
}


@dataclass(frozen=True)
class FieldDifference:
    label: str  # "Gross total", "Tax", "Currency", "Customer", "Status", "Open balance"
    scoro: str
    quickbooks: str


@dataclass(frozen=True)
class Difference:
    kind: Kind
    what: str  # only_scoro | only_quickbooks | not_linked | differs | contact_balance
    scoro: DocumentRow | None = None
    quickbooks: DocumentRow | None = None
    fields: tuple[FieldDifference, ...] = ()
    actions: tuple[str, ...] = ()
    review_id: int | None = None
    note: str = ""
    contact: str = ""  # for contact_balance: the contact's name

    @property
    def key(self) -> str:
        """Which pair of records this is about, stable from one reconcile to the next."""
        s = self.scoro.id if self.scoro else ""
        q = self.quickbooks.id if self.quickbooks else ""
        if self.what == "contact_balance":
            return f"contact:{self.kind.value}:{self.contact}"
        return f"{self.kind.value}:{s}:{q}"

    @property
    def signature(self) -> str:
        """The key plus the figures: an ignored difference comes back once they change."""
        text = "|".join(
            [self.key, self.what, *(f"{f.label}={f.scoro}/{f.quickbooks}" for f in self.fields)]
        )
        return hashlib.sha256(text.encode()).hexdigest()[:24]

    @property
    def scoro_number(self) -> str:
        return self.scoro.number if self.scoro else ""

    @property
    def quickbooks_number(self) -> str:
        return self.quickbooks.number if self.quickbooks else ""

    @property
    def label(self) -> str:
        """ "Invoice 1004": how the bookkeeper knows it."""
        if self.what == "contact_balance":
            return f"{_contact_word(self.kind)} {self.contact}"
        number = self.scoro_number or self.quickbooks_number
        if not number and self.kind in PAYMENT_KINDS:
            row = self.scoro or self.quickbooks
            when = row.date.isoformat() if row and row.date else ""
            return f"{self.kind.label} of {_money(row.total) if row else ''} {when}".strip()
        return f"{self.kind.label} {number}".strip()

    @property
    def description(self) -> str:
        if self.what == "only_scoro":
            text = "Only in Scoro."
        elif self.what == "only_quickbooks":
            text = "Only in QuickBooks."
        elif self.what == "not_linked":
            text = "In both, but not linked."
        elif self.what == "contact_balance":
            text = "Open balances differ."
        else:
            text = ""
        parts = [text] if text else []
        parts += [f"{f.label}: {f.scoro or '—'} in Scoro, {f.quickbooks or '—'} in QuickBooks."
                  for f in self.fields]  # fmt: skip
        if self.note:
            parts.append(self.note)
        return " ".join(parts)

    def as_dict(self) -> dict:
        row = self.scoro or self.quickbooks
        return {
            "kind": self.kind.value,
            "document": self.label,
            "difference": self.what,
            "scoro_number": self.scoro_number,
            "quickbooks_number": self.quickbooks_number,
            "scoro_id": self.scoro.id if self.scoro else "",
            "quickbooks_id": self.quickbooks.id if self.quickbooks else "",
            "date": row.date.isoformat() if row and row.date else "",
            "contact": self.contact or (row.contact_name if row else ""),
            "fields": [
                {"field": f.label, "scoro": f.scoro, "quickbooks": f.quickbooks}
                for f in self.fields
            ],
            "description": self.description,
            "actions": list(self.actions),
            "review_item": self.review_id,
        }


@dataclass(frozen=True)
class ContactBalance:
    kind: Kind  # CUSTOMER or VENDOR
    name: str
    currency: str
    scoro: Decimal
    quickbooks: Decimal
    scoro_id: str = ""
    quickbooks_id: str = ""

    @property
    def agrees(self) -> bool:
        return self.scoro == self.quickbooks

    def as_dict(self) -> dict:
        return {
            "kind": self.kind.value,
            "contact": self.name,
            "currency": self.currency,
            "scoro_open_balance": _money(self.scoro),
            "quickbooks_open_balance": _money(self.quickbooks),
            "agrees": self.agrees,
        }


@dataclass(frozen=True)
class Ignored:
    difference: Difference
    reason: str


@dataclass(frozen=True)
class Reconciliation:
    connection_id: int
    date_from: dt.date | None
    date_to: dt.date | None
    kinds: tuple[Kind, ...]
    differences: tuple[Difference, ...] = ()
    contacts: tuple[ContactBalance, ...] = ()
    ignored: tuple[Ignored, ...] = ()
    compared: int = 0  # documents read on both sides together
    requests: int = 0
    seconds: float = 0.0
    unreadable: tuple[str, ...] = ()  # rows that could not be read, in words

    @property
    def agrees(self) -> bool:
        return not self.differences

    @property
    def summary(self) -> str:
        window = _window_words(self.date_from, self.date_to)
        head = (
            "Books agree"
            if self.agrees
            else f"{len(self.differences)} difference{'s' if len(self.differences) != 1 else ''}"
        )
        parts = [f"{head} ({self.compared} documents compared{window})"]
        if self.ignored:
            parts.append(f"{len(self.ignored)} ignored")
        if self.unreadable:
            parts.append(f"{len(self.unreadable)} could not be read")
        parts.append(f"{self.requests} requests")
        return "; ".join(parts) + "."

    def as_dict(self) -> dict:
        return {
            "connection_id": self.connection_id,
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "kinds": [k.value for k in self.kinds],
            "agrees": self.agrees,
            "summary": self.summary,
            "compared": self.compared,
            "requests": self.requests,
            "seconds": self.seconds,
            "differences": [d.as_dict() for d in self.differences],
            "contacts": [c.as_dict() for c in self.contacts],
            "ignored": [{**i.difference.as_dict(), "reason": i.reason} for i in self.ignored],
            "unreadable": list(self.unreadable),
        }

    def to_csv(self) -> str:
        out = io.StringIO()
        w = csv.writer(out)
        w.writerow(
            [
                "Document",
                "Difference",
                "Scoro number",
                "QuickBooks number",
                "Date",
                "Contact",
                "Scoro",
                "QuickBooks",
                "Details",
            ]
        )
        for d in self.differences:
            row = d.scoro or d.quickbooks
            w.writerow(
                [
                    d.label,
                    WHAT_WORDS[d.what],
                    d.scoro_number,
                    d.quickbooks_number,
                    row.date.isoformat() if row and row.date else "",
                    d.contact or (row.contact_name if row else ""),
                    _money(d.scoro.total) if d.scoro else "",
                    _money(d.quickbooks.total) if d.quickbooks else "",
                    d.description,
                ]
            )
        for c in self.contacts:
            if not c.agrees:
                w.writerow(
                    [
                        f"{_contact_word(c.kind)} {c.name}",
                        "Open balance",
                        "",
                        "",
                        "",
                        c.name,
                        _money(c.scoro),
                        _money(c.quickbooks),
                        f"Open balance in {c.currency}",
                    ]
                )
        return out.getvalue()


WHAT_WORDS = {
    "only_scoro": "Only in Scoro",
    "only_quickbooks": "Only in QuickBooks",
    "not_linked": "Not linked",
    "differs": "Differs",
    "contact_balance": "Open balance",
}


@dataclass
class Inputs:
    """Everything the comparison needs besides the rows, all keyed by ids."""

    # (kind, scoro_id) -> qbo_id, for the document kinds
    links: Mapping[tuple[Kind, str], str] = field(default_factory=dict)
    # (CUSTOMER|VENDOR, scoro contact id) -> qbo contact id
    contact_links: Mapping[tuple[Kind, str], str] = field(default_factory=dict)
    # kind -> the category's direction
    directions: Mapping[Kind, Direction] = field(default_factory=dict)
    # (kind, side, id) -> open review item id
    reviews: Mapping[tuple[Kind, Side, str], int] = field(default_factory=dict)
    # difference key -> (signature, reason)
    ignored: Mapping[str, tuple[str, str]] = field(default_factory=dict)


def compare(
    kind: Kind,
    scoro_rows: Sequence[DocumentRow],
    qbo_rows: Sequence[DocumentRow],
    inputs: Inputs,
) -> list[Difference]:
    """The differences for one kind of document. Rows outside the window must not be given:
    a linked document whose twin is missing is reported as missing on that side."""
    by_qbo = {r.id: r for r in qbo_rows}
    matched_qbo: set[str] = set()
    out: list[Difference] = []
    unmatched_scoro: list[tuple[DocumentRow, str | None]] = []
    for s in scoro_rows:
        qid = inputs.links.get((kind, s.id))
        q = by_qbo.get(qid) if qid is not None else None
        if q is None:
            unmatched_scoro.append((s, qid))
            continue
        matched_qbo.add(q.id)
        fields = compare_fields(kind, s, q, inputs)
        if fields:
            out.append(_with_actions(Difference(kind, "differs", s, q, tuple(fields)), inputs))
    linked_qbo = {v for (k, _), v in inputs.links.items() if k is kind}
    # The same number on both sides but no link: offered as a pair to link.
    free_qbo: dict[str, list[DocumentRow]] = {}
    for q in qbo_rows:
        if q.id not in matched_qbo and q.id not in linked_qbo:
            free_qbo.setdefault(_number_key(kind, q), []).append(q)
    for s, qid in unmatched_scoro:
        if s.status in NOT_SYNCED_STATES and qid is None:
            continue  # drafts and void documents are not sent (R34)
        twins = free_qbo.get(_number_key(kind, s)) if qid is None else None
        if twins:
            q = twins.pop(0)
            matched_qbo.add(q.id)
            fields = compare_fields(kind, s, q, inputs)
            out.append(_with_actions(Difference(kind, "not_linked", s, q, tuple(fields)), inputs))
            continue
        note = ""
        if qid is not None:
            note = (
                f"It was linked to a QuickBooks {kind.label.lower()} that is no longer there "
                "(deleted, or dated outside these dates)."
            )
        out.append(_with_actions(Difference(kind, "only_scoro", s, None, note=note), inputs))
    scoro_ids = {s.id for s in scoro_rows}
    linked_scoro = {sid: qid for (k, sid), qid in inputs.links.items() if k is kind}
    back = {qid: sid for sid, qid in linked_scoro.items()}
    for q in qbo_rows:
        if q.id in matched_qbo:
            continue
        note = ""
        if q.id in back and back[q.id] not in scoro_ids:
            note = (
                f"It was linked to a Scoro {kind.label.lower()} that is no longer there "
                "(deleted, or dated outside these dates)."
            )
        out.append(_with_actions(Difference(kind, "only_quickbooks", None, q, note=note), inputs))
    return out


def compare_fields(
    kind: Kind, s: DocumentRow, q: DocumentRow, inputs: Inputs
) -> list[FieldDifference]:
    fields: list[FieldDifference] = []
    if s.total != q.total:
        label = "Amount" if kind in PAYMENT_KINDS else "Gross total"
        fields.append(FieldDifference(label, _money(s.total), _money(q.total)))
    if s.tax is not None and q.tax is not None and s.tax != q.tax:
        fields.append(FieldDifference("Tax", _money(s.tax), _money(q.tax)))
    if s.currency and q.currency and s.currency.upper() != q.currency.upper():
        fields.append(FieldDifference("Currency", s.currency, q.currency))
    if not _same_contact(kind, s, q, inputs):
        fields.append(
            FieldDifference(
                _contact_word(_contact_kind(kind)),
                s.contact_name or s.contact_id,
                q.contact_name or q.contact_id,
            )
        )
    if kind not in PAYMENT_KINDS:
        if s.status != q.status and (
            s.status in NOT_SYNCED_STATES or q.status in NOT_SYNCED_STATES
        ):
            fields.append(FieldDifference("Status", STATUS_WORDS[s.status], STATUS_WORDS[q.status]))
        if s.balance is not None and q.balance is not None and s.balance != q.balance:
            fields.append(FieldDifference("Open balance", _money(s.balance), _money(q.balance)))
    return fields


def contact_balances(
    scoro_rows: Iterable[DocumentRow],
    qbo_rows: Iterable[DocumentRow],
    inputs: Inputs,
) -> list[ContactBalance]:
    """Per contact and currency, the open balance of the documents in the window on each
    side (credit notes count against it). A Scoro contact is put with its linked QuickBooks
    customer or vendor; unlinked ones are shown on their own."""
    acc: dict[tuple[Kind, str, str], list] = {}

    def add(row: DocumentRow, side: Side) -> None:
        if row.kind in PAYMENT_KINDS or row.balance is None:
            return
        if side is Side.SCORO and row.status in NOT_SYNCED_STATES:
            return
        ckind = _contact_kind(row.kind)
        if side is Side.SCORO:
            qid = inputs.contact_links.get((ckind, row.contact_id))
            key = (ckind, f"q:{qid}" if qid else f"s:{row.contact_id}", row.currency.upper())
        else:
            key = (ckind, f"q:{row.contact_id}", row.currency.upper())
        slot = acc.setdefault(key, [ZERO, ZERO, "", "", ""])
        amount = -row.balance if row.kind is Kind.CREDIT_NOTE else row.balance
        if side is Side.SCORO:
            slot[0] += amount
            slot[3] = row.contact_id
            slot[2] = slot[2] or _plain_name(row.contact_name)
        else:
            slot[1] += amount
            slot[4] = row.contact_id
            slot[2] = _plain_name(row.contact_name) or slot[2]

    for r in scoro_rows:
        add(r, Side.SCORO)
    for r in qbo_rows:
        add(r, Side.QBO)
    out = [
        ContactBalance(k[0], v[2] or "(no name)", k[2], v[0], v[1], v[3], v[4])
        for k, v in acc.items()
    ]
    out.sort(key=lambda c: (c.agrees, c.kind.value, c.name.casefold(), c.currency))
    return out


def reconcile(
    connection_id: int,
    date_from: dt.date | None,
    date_to: dt.date | None,
    rows: Mapping[Kind, tuple[Sequence[DocumentRow], Sequence[DocumentRow]]],
    inputs: Inputs,
    *,
    requests: int = 0,
    seconds: float = 0.0,
    unreadable: Sequence[str] = (),
) -> Reconciliation:
    """The whole comparison for the kinds in `rows` ((scoro rows, QuickBooks rows) each)."""
    differences: list[Difference] = []
    all_scoro: list[DocumentRow] = []
    all_qbo: list[DocumentRow] = []
    compared = 0
    for kind in DOCUMENT_KINDS:
        if kind not in rows:
            continue
        scoro_rows, qbo_rows = rows[kind]
        compared += len(scoro_rows) + len(qbo_rows)
        all_scoro.extend(scoro_rows)
        all_qbo.extend(qbo_rows)
        differences.extend(compare(kind, scoro_rows, qbo_rows, inputs))
    contacts = contact_balances(all_scoro, all_qbo, inputs)
    # A contact's balances that differ while none of its documents does (a document put with
    # another contact, say) is a difference of its own.
    explained = set()
    for d in differences:
        for row, side in ((d.scoro, Side.SCORO), (d.quickbooks, Side.QBO)):
            if row is None:
                continue
            ckind = _contact_kind(d.kind)
            qid = (
                inputs.contact_links.get((ckind, row.contact_id))
                if side is Side.SCORO
                else row.contact_id
            )
            explained.add((ckind, qid or f"s:{row.contact_id}"))
            if side is Side.SCORO:
                explained.add((ckind, f"s:{row.contact_id}"))
    for c in contacts:
        if c.agrees:
            continue
        if (c.kind, c.quickbooks_id) in explained or (c.kind, f"s:{c.scoro_id}") in explained:
            continue
        differences.append(
            Difference(
                c.kind,
                "contact_balance",
                contact=c.name,
                fields=(FieldDifference("Open balance", _money(c.scoro), _money(c.quickbooks)),),
                actions=("ignore",),
            )
        )
    kept: list[Difference] = []
    ignored: list[Ignored] = []
    for d in differences:
        hit = inputs.ignored.get(d.key)
        if hit is not None and hit[0] == d.signature:
            ignored.append(Ignored(d, hit[1]))
        else:
            kept.append(d)
    return Reconciliation(
        connection_id=connection_id,
        date_from=date_from,
        date_to=date_to,
        kinds=tuple(k for k in DOCUMENT_KINDS if k in rows),
        differences=tuple(kept),
        contacts=tuple(contacts),
        ignored=tuple(ignored),
        compared=compared,
        requests=requests,
        seconds=seconds,
        unreadable=tuple(unreadable),
    )


# -- helpers -------------------------------------------------------------------------------


def _with_actions(d: Difference, inputs: Inputs) -> Difference:
    direction = inputs.directions.get(d.kind)
    actions: list[str] = []
    review_id = None
    for row in (d.scoro, d.quickbooks):
        if row is not None and review_id is None:
            review_id = inputs.reviews.get((d.kind, row.side, row.id))
    if review_id is not None:
        actions.append("review")
    if d.what == "not_linked":
        actions.append("link")
    elif d.scoro is not None and direction is Direction.SCORO_TO_QBO:
        actions.append("send")
    elif d.quickbooks is not None and direction is Direction.QBO_TO_SCORO:
        actions.append("pull")
    actions.append("ignore")
    return Difference(
        d.kind,
        d.what,
        d.scoro,
        d.quickbooks,
        d.fields,
        tuple(actions),
        review_id,
        d.note,
        d.contact,
    )


def _same_contact(kind: Kind, s: DocumentRow, q: DocumentRow, inputs: Inputs) -> bool:
    qid = inputs.contact_links.get((_contact_kind(kind), s.contact_id))
    if qid is not None:
        return qid == q.contact_id
    # Not linked (yet): the names must agree, " (v)" of a supplier that is also a client aside.
    return _plain_name(s.contact_name).casefold() == _plain_name(q.contact_name).casefold()


def _plain_name(name: str) -> str:
    text = normalise_text(name or "").strip()
    return text[:-4].rstrip() if text.endswith(" (v)") else text


def _number_key(kind: Kind, row: DocumentRow) -> str:
    if kind in PAYMENT_KINDS and not row.number:
        # Receipts rarely carry a number: date, amount and contact name instead.
        return f"{row.date}|{row.total}|{_plain_name(row.contact_name).casefold()}"
    return normalise_text(row.number).casefold()


def _contact_kind(kind: Kind) -> Kind:
    return Kind.VENDOR if kind in VENDOR_KINDS else Kind.CUSTOMER


def _contact_word(kind: Kind) -> str:
    return "Vendor" if kind in (Kind.VENDOR, *VENDOR_KINDS) else "Customer"


def _money(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value:,.2f}"


def _window_words(date_from: dt.date | None, date_to: dt.date | None) -> str:
    if date_from and date_to:
        return f", {date_from.isoformat()} to {date_to.isoformat()}"
    if date_from:
        return f", from {date_from.isoformat()}"
    if date_to:
        return f", up to {date_to.isoformat()}"
    return ""
