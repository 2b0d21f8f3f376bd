"""Properties of record fingerprints: what counts as a change, and what does not."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from qbsync_desktop.domain import (
    Contact,
    DocumentLine,
    Invoice,
    Kind,
    MoneyError,
    Product,
    Ref,
    Side,
    normalise_text,
    to_decimal,
)

# Per test, not a global profile (loading one would change other modules' tests). No
# example database: CI starts from a clean clone, so replaying old failures buys nothing.
quick = settings(max_examples=60, deadline=None, database=None)

amounts = st.decimals(
    min_value=Decimal("-1000000"), max_value=Decimal("1000000"), places=2, allow_nan=False
)
words = st.lists(
    st.text(alphabet=st.characters(categories=("L", "N", "P")), min_size=1, max_size=8),
    min_size=1,
    max_size=5,
)
names = words.map(" ".join)
ids = st.text(alphabet="0123456789abcdef", min_size=1, max_size=10)
timestamps = st.datetimes(
    min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2030, 1, 1), timezones=st.just(dt.UTC)
)
lines = st.builds(
    DocumentLine,
    description=names,
    quantity=amounts,
    unit_price=amounts,
    amount=amounts,
    product=st.none() | ids.map(lambda i: Ref(Kind.PRODUCT, Side.SCORO, i)),
)


def invoice(lines_=(), **changes) -> Invoice:
    base = Invoice(
        id="inv-1",
        number="1042",
        contact=Ref(Kind.CUSTOMER, Side.SCORO, "17"),
        date=dt.date(2025, 3, 1),
        currency="EUR",
        lines=tuple(lines_),
    )
    return base.replace(**changes)


@quick
@given(amount=amounts, extra_zeros=st.integers(min_value=1, max_value=4))
def test_trailing_zeros_do_not_change_a_fingerprint(amount, extra_zeros):
    padded = amount + Decimal("0." + "0" * extra_zeros)  # 10.0 -> 10.00..., same value
    a = Product(id="p1", name="Consulting", unit_price=amount)
    b = Product(id="p1", name="Consulting", unit_price=padded)
    assert a.fingerprint() == b.fingerprint()


def test_ten_point_zero_and_ten_point_zero_zero_alike():
    a = Product(id="p1", name="Hour", unit_price=Decimal("10.0"))
    b = Product(id="p1", name="Hour", unit_price=Decimal("10.00"))
    c = Product(id="p1", name="Hour", unit_price=Decimal("10"))
    assert a.fingerprint() == b.fingerprint() == c.fingerprint()


@quick
@given(
    parts=words,
    lead=st.sampled_from(["", " ", "\t", "  \n"]),
    gap=st.sampled_from(["  ", "\t", " \n "]),
)
def test_whitespace_is_normalised(parts, lead, gap):
    tidy = Contact(id="c1", name=" ".join(parts))
    messy = Contact(id="c1", name=lead + gap.join(parts) + lead)
    assert tidy.fingerprint() == messy.fingerprint()


@quick
@given(
    id_a=ids, id_b=ids, version_a=ids, version_b=ids, modified_a=timestamps, modified_b=timestamps
)
def test_ids_versions_and_timestamps_are_ignored(
    id_a, id_b, version_a, version_b, modified_a, modified_b
):
    a = Contact(id=id_a, name="Acme OÜ", version=version_a, modified=modified_a)
    b = Contact(id=id_b, name="Acme OÜ", version=version_b, modified=modified_b)
    assert a.fingerprint() == b.fingerprint()
    assert (
        invoice(id=id_a, version=version_a).fingerprint()
        == invoice(id=id_b, version=version_b, modified=modified_b).fingerprint()
    )


@quick
@given(first=lines, second=lines)
def test_line_order_is_significant(first, second):
    a = invoice([first, second])
    b = invoice([second, first])
    if invoice([first]).fingerprint() == invoice([second]).fingerprint():
        assert a.fingerprint() == b.fingerprint()  # identical lines: order cannot show
    else:
        assert a.fingerprint() != b.fingerprint()


@quick
@given(old=names, new=names)
def test_a_changed_name_changes_the_fingerprint(old, new):
    assume(normalise_text(old) != normalise_text(new))
    assert Product(id="p", name=old).fingerprint() != Product(id="p", name=new).fingerprint()


@quick
@given(old=amounts, new=amounts, field=st.sampled_from(["quantity", "unit_price", "amount"]))
def test_a_changed_line_amount_changes_the_fingerprint(old, new, field):
    assume(old != new)  # Decimal equality is by value: 10.0 == 10.00
    before = invoice([DocumentLine(description="Hours", **{field: old})])
    after = invoice([DocumentLine(description="Hours", **{field: new})])
    assert before.fingerprint() != after.fingerprint()


@quick
@given(
    change=st.sampled_from(
        [
            {"number": "1043"},
            {"currency": "USD"},
            {"date": dt.date(2025, 3, 2)},
            {"due_date": dt.date(2025, 4, 1)},
            {"memo": "Thanks!"},
            {"contact": Ref(Kind.CUSTOMER, Side.SCORO, "18")},
            {"is_credit_note": True},
            {"project": Ref(Kind.PROJECT, Side.QBO, "5")},
        ]
    ),
    line=lines,
)
def test_any_content_change_changes_the_fingerprint(change, line):
    before = invoice([line])
    assert before.fingerprint() != before.replace(**change).fingerprint()
    # ... and adding or removing a line does too.
    assert before.fingerprint() != invoice([line, line]).fingerprint()
    assert before.fingerprint() != invoice([]).fingerprint()


@quick
@given(value=st.floats(allow_nan=True, allow_infinity=True))
def test_float_is_refused_for_money(value):
    with pytest.raises(MoneyError):
        to_decimal(value)


def test_float_in_a_record_is_refused():
    with pytest.raises(TypeError, match="float"):
        Product(id="p", name="x", unit_price=10.5).fingerprint()  # type: ignore[arg-type]


@quick
@given(amount=amounts)
def test_to_decimal_accepts_strings_and_decimals_alike(amount):
    assert to_decimal(str(amount)) == amount
    assert to_decimal(amount) == amount
