"""The tax of a document as Scoro computed it, in QuickBooks' `TxnTaxDetail`.

Scoro rounds VAT per line; QuickBooks, left to itself, rounds it on the total of each rate, so
one document in seven came out a cent apart. QuickBooks takes the tax a client supplies when it
adds a transaction (Intuit's TxnTaxDetail reference: "calculated by QuickBooks business logic
or you may supply it"), so we send Scoro's figure split over QuickBooks' tax rates. What still
differs after the write is shown to the bookkeeper (engine: totals_differ).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from ..domain import Bill, Invoice, round_money, to_decimal

ZERO = Decimal(0)
CENT = Decimal("0.01")


@dataclass
class TaxTable:
    """TaxCode Id -> its sales and purchase rates as (TaxRate Id, percent)."""

    sales: dict[str, list[tuple[str, Decimal]]] = field(default_factory=dict)
    purchase: dict[str, list[tuple[str, Decimal]]] = field(default_factory=dict)

    @classmethod
    def load(cls, api) -> TaxTable:
        rates: dict[str, Decimal] = {}
        for row in api.query_all("TaxRate"):
            try:
                rates[str(row["Id"])] = to_decimal(row.get("RateValue") or 0, field="RateValue")
            except (KeyError, TypeError, ValueError, ArithmeticError):
                continue
        table = cls()
        for row in api.query_all("TaxCode"):
            if not isinstance(row, Mapping) or row.get("Id") in (None, ""):
                continue
            code = str(row["Id"])
            table.sales[code] = _rates(row.get("SalesTaxRateList"), rates)
            table.purchase[code] = _rates(row.get("PurchaseTaxRateList"), rates)
        return table


def _rates(raw: object, rates: Mapping[str, Decimal]) -> list[tuple[str, Decimal]]:
    details = raw.get("TaxRateDetail") if isinstance(raw, Mapping) else None
    out = []
    for detail in details if isinstance(details, list) else ():
        ref = detail.get("TaxRateRef") if isinstance(detail, Mapping) else None
        rate_id = str(ref.get("value")) if isinstance(ref, Mapping) else ""
        if rate_id in rates:
            out.append((rate_id, rates[rate_id]))
    return out


def split_by_rate(
    record: Invoice | Bill, table: TaxTable, *, purchase: bool
) -> dict[str, tuple[Decimal, Decimal, Decimal]] | None:
    """Rate Id -> (percent, net, tax), each line's tax rounded on its own as Scoro does, then
    made to add up to Scoro's total. None when Scoro's total is not one this split can explain
    (then QuickBooks computes, and the comparison after the write tells)."""
    codes = table.purchase if purchase else table.sales
    buckets: dict[str, list[Decimal]] = {}
    lines = 0
    for line in record.lines:
        if line.tax_rate is None:
            continue
        components = codes.get(line.tax_rate.id)
        if components is None:
            return None
        lines += 1
        for rate_id, percent in components:
            tax = round_money(line.amount * percent / 100)
            bucket = buckets.setdefault(rate_id, [percent, ZERO, ZERO])
            bucket[1] += line.amount
            bucket[2] += tax
    wanted = record.tax_total or ZERO
    computed = sum((b[2] for b in buckets.values()), ZERO)
    residual = wanted - computed
    if residual:
        if not buckets or abs(residual) > CENT * lines:
            return None
        largest = max(buckets.values(), key=lambda b: abs(b[2]))
        largest[2] += residual
    return {rate: (b[0], b[1], b[2]) for rate, b in buckets.items()}


def tax_detail(record: Invoice | Bill, table: TaxTable, *, purchase: bool, us: bool) -> dict | None:
    if record.tax_total is None or getattr(record, "tax_included", False):
        return None
    if us:
        # A US company has one tax for the whole transaction; its TotalTax can be supplied.
        return {"TotalTax": record.tax_total} if record.tax_total else None
    split = split_by_rate(record, table, purchase=purchase)
    if not split:
        return None
    return {
        "TotalTax": record.tax_total,
        "TaxLine": [
            {
                "Amount": tax,
                "DetailType": "TaxLineDetail",
                "TaxLineDetail": {
                    "TaxRateRef": {"value": rate_id},
                    "PercentBased": True,
                    "TaxPercent": percent,
                    "NetAmountTaxable": net,
                },
            }
            for rate_id, (percent, net, tax) in split.items()
        ],
    }
