"""Validations that hold one record for review, in the bookkeeper's words: rules R24, R33, R34,
R37, R43, R57 and R60. Pure apart from reading links."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from decimal import Decimal

from ..domain import Bill, Category, Contact, Invoice, Kind, Payment, Record, Side
from ..store import models as m
from .links import LinkBook

FIX_CURRENCY = (
    "Change the currency in Scoro under Settings > Sales and finance > Currencies, "
    "or in QuickBooks under Settings > Advanced > Currency (turn on multicurrency), "
    "then choose Check again."
)


@dataclass(frozen=True)
class Hold:
    type: str
    message: str
    details: dict


def unsupported_content(label: str, rec: Record, source: Side) -> Hold:
    """A record holding what the other side cannot show faithfully: copied it would be
    rewritten (a bundle flattened, a percent discount fixed), so it is held instead."""
    what = ", ".join(dict.fromkeys(rec.unsupported))
    return Hold(
        "unsupported_content",
        f"{label} in {source.label} has {what}, which {source.other.label} cannot show the "
        f"same way, so it was not copied. Change it in {source.label} (for example, replace "
        f"the line with ordinary lines), or enter it in {source.other.label} yourself and "
        "dismiss this item.",
        {"unsupported": list(rec.unsupported)},
    )


@dataclass(frozen=True)
class TotalsGap:
    message: str
    details: dict


def totals_gap(
    src: Record, written: Record, source: Side, *, bills_without_tax: bool
) -> TotalsGap | None:
    """The source's gross and tax totals against what the target computed for the document
    just written; None when they agree to the cent or the target did not say."""
    if not isinstance(src, Invoice | Bill) or not isinstance(written, Invoice | Bill):
        return None
    if src.tax_total is None or written.tax_total is None:
        return None
    want_tax = src.tax_total
    want_total = src.total
    if bills_without_tax and isinstance(src, Bill):
        want_total, want_tax = src.total - src.tax_total, Decimal(0)
    if written.total == want_total and written.tax_total == want_tax:
        return None
    source_name, target = source.label, source.other.label
    cur = src.currency or written.currency
    diff = written.total - want_total
    message = (
        f"The totals differ by {abs(diff):.2f} {cur}: {source_name} {want_total:.2f} (tax "
        f"{want_tax:.2f}), {target} {written.total:.2f} (tax {written.tax_total:.2f}). The "
        f"document was sent, but {target} worked out the tax differently. Correct the tax "
        f"amount on the document in {target} so both agree, or check the tax rates of its "
        "lines in both, then dismiss this item."
    )
    return TotalsGap(
        message,
        {
            f"{source_name} total": f"{want_total:.2f}",
            f"{source_name} tax": f"{want_tax:.2f}",
            f"{target} total": f"{written.total:.2f}",
            f"{target} tax": f"{written.tax_total:.2f}",
            "difference": f"{diff:+.2f}",
            "currency": cur,
        },
    )


def category_unavailable(category: Category, conn: m.Connection) -> str:
    if category is Category.CLASSES and conn.qbo_class_tracking != "per_line":
        return (
            "Classes are not synced: turn on class tracking in QuickBooks (Settings > "
            'Advanced > Categories > Track classes) and choose "One to each row in '
            'transaction", then sync background items again.'
        )
    return ""


def skip_reason(kind: Kind, rec: Record, source: Side) -> str:
    """Records deliberately left out, logged but not held."""
    if source is Side.SCORO and isinstance(rec, Invoice):
        status = (rec.status or "").lower()
        if status in ("draft", "void", "voided", "cancelled"):
            return f"it is {status} in Scoro; only open invoices go to QuickBooks"
    return ""


def _qbo_snapshot(links: LinkBook, kind: Kind, qbo_id: str) -> dict | None:
    link = links.by_side(kind, Side.QBO, qbo_id)
    if link is None or not link.snapshot:
        return None
    try:
        return json.loads(link.snapshot).get("quickbooks")
    except ValueError:
        return None


def validate(
    kind: Kind,
    rec: Record,
    desired: Record,
    current: Record | None,
    source: Side,
    conn: m.Connection,
    links: LinkBook,
    *,
    matched: bool,
    update: bool,
) -> Hold | None:
    target = source.other
    if isinstance(rec, Contact) and target is Side.QBO:
        return _contact_currency(rec, _translated_contact(desired), current, conn)
    if isinstance(rec, Invoice | Bill | Payment):
        missing = _contact_not_synced(kind, rec, desired, source, conn)
        if missing is not None:
            return missing
    if isinstance(rec, Invoice | Bill):
        label = f"{kind.label} {rec.number}"
        if isinstance(current, Invoice | Bill) and current.paid and update:
            return Hold(
                "paid_document",
                f"{label} already has a payment in {target.label}, so it can no longer be "
                "changed from here. Make the change in QuickBooks, or remove the "
                "payment first.",
                {},
            )
        if target is Side.QBO:
            return _document_to_qbo(kind, rec, desired, conn, links, label)
    return None


def _translated_contact(desired: Record) -> Contact:
    """A contact's translation: translating never changes a record's class."""
    if not isinstance(desired, Contact):
        raise TypeError(f"a contact was translated into a {type(desired).__name__}")
    return desired


def _contact_not_synced(kind, rec, desired, source: Side, conn) -> Hold | None:
    """A document whose contact could not be synced is held with that contact's reason,
    never sent without one (QuickBooks would refuse it, or worse, book it to nobody)."""
    if rec.contact is None or desired.contact is not None:
        return None
    target = source.other
    contact_kinds = (
        ("vendor",)
        if isinstance(rec, Bill) or getattr(rec, "is_bill_payment", False)
        else ("customer",)
    )
    item = (
        m.ReviewItem.select()
        .where(
            (m.ReviewItem.connection == conn)
            & (m.ReviewItem.kind.in_(contact_kinds))
            & (m.ReviewItem.object_id == rec.contact.id)
            & (m.ReviewItem.status == "open")
        )
        .order_by(m.ReviewItem.id.desc())
        .first()
    )
    who = item.object_label if item is not None else "Its contact"
    why = f" {item.message}" if item is not None else ""
    number = getattr(rec, "number", "") or rec.id
    return Hold(
        "missing_dependency",
        f"{kind.label} {number} was not sent: {who} could not be sent to {target.label} "
        f"first.{why}",
        {"contact": rec.contact.id},
    )


def _contact_currency(rec: Contact, desired: Contact, current, conn) -> Hold | None:
    currency = desired.currency or conn.qbo_home_currency
    if current is not None and current.currency and current.currency != currency:
        # Linked by name to a QuickBooks contact in another currency: QuickBooks never lets it
        # change (R24), so documents in the Scoro currency could not be sent.
        return None
    if (
        current is None
        and not conn.qbo_multicurrency
        and currency
        and conn.qbo_home_currency
        and currency != conn.qbo_home_currency
    ):
        return Hold(
            "currency_mismatch",
            f"{rec.name} is in {currency} in Scoro, but the QuickBooks company works only in "
            f"{conn.qbo_home_currency} (multicurrency is off), so the contact was not sent. "
            + FIX_CURRENCY,
            {"scoro_currency": currency, "quickbooks_currency": conn.qbo_home_currency},
        )
    return None


def _document_to_qbo(kind, rec, desired, conn, links: LinkBook, label) -> Hold | None:
    # R57: a tax rate QuickBooks no longer uses. The translated line says which QuickBooks
    # rate will be sent: the linked one, or the current one the bookkeeper chose for it.
    for line, out in zip(rec.lines, desired.lines, strict=False):
        if line.tax_rate is None:
            continue
        if out.tax_rate is not None and out.tax_rate.side is Side.QBO:
            qbo_id = out.tax_rate.id
        else:
            qbo_id = links.other_id(Kind.TAX_RATE, Side.SCORO, line.tax_rate.id)
        if qbo_id is None:
            return Hold(
                "outdated_tax_rate",
                f"{label} uses a tax rate that QuickBooks does not have. Update the tax rates "
                "(sync background items) or change the line's tax rate in Scoro, then retry.",
                {"scoro_tax_rate": line.tax_rate.id},
            )
        snap = _qbo_snapshot(links, Kind.TAX_RATE, qbo_id) or {}
        if snap.get("active") is False:
            name = snap.get("name") or line.tax_rate.id
            return Hold(
                "outdated_tax_rate",
                f"{label} uses the tax rate {name}, which is no longer active in QuickBooks, so "
                "it was not sent. Change the line to a current rate in Scoro, or update "
                "the tax rates, then retry.",
                {"tax_rate": name, "scoro_tax_rate": line.tax_rate.id},
            )
    # R60: one currency per QuickBooks contact.
    contact = desired.contact
    if contact is not None:
        contact_kind = Kind.VENDOR if isinstance(rec, Bill) else Kind.CUSTOMER
        contact_snap = _qbo_snapshot(links, contact_kind, contact.id)
        if contact_snap is None:
            # A separate contact made for one currency ("Müller GmbH (USD)") has no link.
            made = m.TargetMapping.get_or_none(
                (m.TargetMapping.connection == conn)
                & (m.TargetMapping.kind == contact_kind.value)
                & (m.TargetMapping.qbo_id == contact.id)
            )
            if made is not None:
                contact_snap = {"currency": made.currency, "name": made.label}
        qbo_currency = (contact_snap or {}).get("currency") or conn.qbo_home_currency
        currency = rec.currency or conn.scoro_base_currency
        name = (contact_snap or {}).get("name") or "The contact"
        if currency and qbo_currency and currency != qbo_currency:
            return Hold(
                "currency_mismatch",
                f"{name} is in {qbo_currency} in QuickBooks, but {label} is in {currency}. "
                "QuickBooks allows one currency per contact, so this document was not sent. "
                f"Make a separate {currency} contact in QuickBooks, or change the document's "
                "currency in Scoro, then sync again.",
                {"document_currency": currency, "contact_currency": qbo_currency},
            )
        if currency and not conn.qbo_multicurrency and currency != conn.qbo_home_currency:
            return Hold(
                "currency_mismatch",
                f"{label} is in {currency}, but the QuickBooks company works only in "
                f"{conn.qbo_home_currency}. " + FIX_CURRENCY,
                {"document_currency": currency},
            )
    return None


def _display(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dict) and "$d" in value:
        return value["$d"]
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def conflict_details(link: m.Link | None, rec: Record, current: Record, source: Side) -> dict:
    """Field by field: Scoro, last synced, QuickBooks — for the side-by-side review."""
    base: dict = {}
    if link is not None and link.snapshot:
        try:
            base = json.loads(link.snapshot)
        except ValueError:
            base = {}
    scoro_rec, qbo_rec = (rec, current) if source is Side.SCORO else (current, rec)
    scoro_now = json.loads(scoro_rec.snapshot())
    qbo_now = json.loads(qbo_rec.snapshot())
    fields = []
    skip = {"id", "version", "modified", "deleted"}
    for f in dataclasses.fields(rec):
        if f.name in skip:
            continue
        s, q = scoro_now.get(f.name), qbo_now.get(f.name)
        bs = base.get("scoro", {}).get(f.name)
        bq = base.get("quickbooks", {}).get(f.name)
        if s != bs or q != bq:
            fields.append(
                {
                    "field": f.name.replace("_", " "),
                    "scoro": _display(s),
                    "base": _display(bs if s != bs else bq),
                    "quickbooks": _display(q),
                }
            )
    return {"fields": fields, "source": source.value}
