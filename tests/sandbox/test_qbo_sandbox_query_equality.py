"""The QuickBooks sandbox answers ``=``/``IN`` with set lookups; they must select exactly the
rows the general comparison rule selects, or the sandbox would find (or miss) objects the
real service would not."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from qbsync_desktop.sandbox.quickbooks.query import Condition, _compared_match, compile_condition

scalars = st.one_of(
    st.booleans(),
    st.integers(-5, 5),
    st.decimals(min_value=-5, max_value=5, places=2, allow_nan=False),
    st.sampled_from(
        ["1", "01", "1.0", "true", "False", "ACME", "acme", "Ärger", " ", "", "2026-11-26"]
    ),
    st.text(max_size=4),
    st.none(),
)
paths = st.sampled_from(["DocNumber", "TxnDate", "MetaData.LastUpdatedTime", "Active"])
times = st.sampled_from(
    ["2026-11-26T10:00:00-08:00", "2026-11-26T18:00:00Z", "2026-11-26", "2026-11-27"]
)


@settings(max_examples=400, deadline=None)
@given(
    path=paths,
    values=st.lists(st.one_of(scalars, times), min_size=0, max_size=3),
    literals=st.lists(st.one_of(scalars.filter(lambda v: v is not None), times), min_size=1),
    op=st.sampled_from(["=", "IN"]),
)
def test_equality_lookup_selects_what_comparison_selects(path, values, literals, op):
    leaf = path.rsplit(".", 1)[-1]
    row = {"MetaData": {"LastUpdatedTime": values}} if "." in path else {leaf: values}
    cond = Condition(path, op, literals)
    slow = _compared_match([v for v in values if v is not None], cond) or (
        any(isinstance(v, str) and v == " " for v in literals)
        and all(v in (None, "") for v in values)
    )
    assert compile_condition(cond)(row) == slow


def test_in_list_of_document_numbers():
    rows = [{"DocNumber": str(n)} for n in range(1, 2000)] + [{"DocNumber": "Ä-7"}]
    cond = Condition("DocNumber", "IN", ["0042", "1999", "ä-7", "42.0", "nope"])
    test = compile_condition(cond)
    assert [r["DocNumber"] for r in rows if test(r)] == ["42", "1999", "Ä-7"]
    assert Decimal("42") == Decimal("42.0")
