"""Building QuickBooks query statements safely."""

from __future__ import annotations

# Name lists hide inactive rows unless asked: a deactivated customer is how
# QuickBooks "deletes" one, and a sync must see that.
NAME_LISTS = frozenset(
    {
        "Account",
        "Class",
        "Customer",
        "Department",
        "Employee",
        "Item",
        "PaymentMethod",
        "TaxCode",
        "TaxRate",
        "Term",
        "Vendor",
    }
)

ORDER_FIELD = "MetaData.LastUpdatedTime"


def quote(value: str) -> str:
    """A query string literal: backslash first, then the apostrophe (`Adam\\'s`)."""
    if not isinstance(value, str):
        raise TypeError("quote() takes a str")
    escaped = value.replace("\\", "\\\\").replace("'", "\\'")
    return f"'{escaped}'"


def conditions(entity: str, where: str | None, *extra: str | None) -> list[str]:
    parts = [p for p in (where, *extra) if p]
    if entity in NAME_LISTS and not any(p.strip().lower().startswith("active ") for p in parts):
        parts.append("Active IN (true, false)")
    return parts


def select(
    entity: str,
    parts: list[str],
    *,
    order: str | None = ORDER_FIELD,
    start: int = 1,
    max_results: int = 1000,
) -> str:
    sql = f"SELECT * FROM {entity}"  # noqa: S608 - values go through quote()
    if parts:
        sql += " WHERE " + " AND ".join(parts)
    if order:
        sql += f" ORDERBY {order}"
    return sql + f" STARTPOSITION {start} MAXRESULTS {max_results}"
