"""Bad input from both services: malformed, truncated, wrong-typed, oversized and unicode
fields in records the sandboxes hand out. The app must never crash and never write a partial
record: each odd record is synced whole, held for review, or reported as failed."""

from __future__ import annotations

import copy
import itertools
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qbsync_desktop.domain import Category, Direction
from qbsync_desktop.store import models as m
from tests.support.books_content import copy_scoro_invoice, duplicates, link_problems, qbo_rows
from tests.support.demo import ACME as ENTITY

SETTINGS = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
odd_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="\u202e\u0000\ufeff\U0001f600ÄÕž漢字\n\t\"'<>&", max_size=20),
    st.just("x" * 100_000),
    st.just(""),
)
odd_number = st.one_of(
    st.just("NaN"),
    st.just("1e400"),
    st.just("-0"),
    st.just("12,50"),
    st.just("99999999999999999999999.999999"),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    odd_text,
)
odd_any = st.one_of(
    odd_number,
    odd_text,
    st.none(),
    st.booleans(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
counter = itertools.count(1)


def outcome_is_whole_or_reported(w, cid, result, *, found, source_id, kind) -> str:
    assert result.status in ("ok", "review", "failed"), result.message
    if found:
        link = m.Link.get_or_none(
            (m.Link.kind == kind) & (m.Link.scoro_id == str(source_id))
            if kind == "invoice"
            else (m.Link.kind == kind) & (m.Link.qbo_id == str(source_id))
        )
        assert link is not None, "written to the other side but not linked"
        return "synced"
    held = (
        m.ReviewItem.select()
        .where((m.ReviewItem.connection == cid) & (m.ReviewItem.object_id == str(source_id)))
        .exists()
    )
    if held:
        return "held"
    if result.failed:
        return "record failed"
    # Or the service choked on its own record (the sandbox answers 500 like a real server
    # would): the run stops with a clear message, no traceback, nothing written.
    assert result.status == "failed" and result.message, result
    assert "Traceback" not in result.message and "Error:" not in result.message, result.message
    return "connection error"


def test_odd_scoro_invoices_are_synced_whole_held_or_reported(rworld):
    w = rworld()
    cid = w.connect().id
    w.svc.run(cid)
    store = w.env.scoro.store
    outcomes = []

    @SETTINGS
    @given(
        field=st.sampled_from(
            [
                "lines.price",
                "lines.amount",
                "lines.comment",
                "currency",
                "date",
                "company_id",
                "lines",
                "lines.vat_code_id",
                "no",
                "lines.product_id",
                "discount",
            ]
        ),
        value=odd_any,
    )
    def check(field, value):
        number = f"HX{next(counter)}"
        sid = copy_scoro_invoice(w, number)
        with store.lock:
            rec = store.table(ENTITY, "invoices")[sid]
            if field.startswith("lines."):
                for line in rec["lines"]:
                    line[field[6:]] = copy.deepcopy(value)
            else:
                rec[field] = copy.deepcopy(value)
        result = w.svc.run(cid, [Category.INVOICES])
        wanted = str(value) if field == "no" else number
        link = m.Link.get_or_none((m.Link.kind == "invoice") & (m.Link.scoro_id == str(sid)))
        docs = [
            o
            for o in qbo_rows(w, "Invoice")
            if o.get("DocNumber") == wanted or (link and o["Id"] == link.qbo_id)
        ]
        assert len(docs) <= 1
        for doc in docs:
            assert any(line.get("DetailType") == "SalesItemLineDetail" for line in doc["Line"])
        outcomes.append(
            outcome_is_whole_or_reported(
                w, cid, result, found=bool(docs), source_id=sid, kind="invoice"
            )
        )
        if outcomes[-1] == "connection error":
            with store.lock:  # the bookkeeper fixes it in Scoro; the next example starts clean
                del store.table(ENTITY, "invoices")[sid]

    check()
    again = w.svc.run(cid)
    assert again.status in ("ok", "review", "failed")
    assert duplicates(w.env) == [] and link_problems(w.env, w.svc, cid) == []
    print("\nSCORO BAD INPUT", {k: outcomes.count(k) for k in set(outcomes)})


def test_odd_quickbooks_bills_are_synced_whole_held_or_reported(rworld):
    w = rworld()
    cid = w.connect().id
    w.svc.update_category(cid, Category.BILLS, enabled=True, direction=Direction.QBO_TO_SCORO)
    w.svc.run(cid)
    realm_id = next(p.realm_id for p in w.env.pairs if p.company_account_id == ENTITY)
    template = sorted(qbo_rows(w, "Bill"), key=lambda b: int(b["Id"]))[-1]
    template = json.loads(json.dumps(template, default=str))
    template = {k: v for k, v in template.items() if not k.startswith("_")}
    outcomes = []

    @SETTINGS
    @given(
        field=st.sampled_from(
            [
                "Line.Amount",
                "Line.Description",
                "DocNumber",
                "TxnDate",
                "CurrencyRef",
                "VendorRef",
                "Line",
                "TotalAmt",
                "Line.AccountBasedExpenseLineDetail",
                "DueDate",
            ]
        ),
        value=odd_any,
    )
    def check(field, value):
        number = f"BX{next(counter)}"
        new = {
            k: copy.deepcopy(v)
            for k, v in template.items()
            if k not in ("Id", "SyncToken", "MetaData", "Balance", "TotalAmt")
        }
        for line in new.get("Line", []):
            line.pop("Id", None)
        new["DocNumber"] = number
        bill = w.qbo_ctl("POST", f"objects/{realm_id}/Bill", **new)["Bill"]
        with w.env.qbo.lock:
            raw = w.env.qbo.realms[realm_id].table("Bill")[bill["Id"]]
            if field.startswith("Line."):
                for line in raw["Line"]:
                    line[field[5:]] = copy.deepcopy(value)
            else:
                raw[field] = copy.deepcopy(value)
        result = w.svc.run(cid, [Category.BILLS])
        with w.env.scoro.store.lock:
            made = [
                dict(b)
                for b in w.env.scoro.store.table(ENTITY, "bills").values()
                if b.get("no") == number and b.get("_deleted") is None
            ]
        if field == "DocNumber":  # the number itself is the odd value: find it by its link
            link = m.Link.get_or_none((m.Link.kind == "bill") & (m.Link.qbo_id == bill["Id"]))
            with w.env.scoro.store.lock:
                row = link and w.env.scoro.store.table(ENTITY, "bills").get(int(link.scoro_id))
            made = [dict(row)] if row else []
        assert len(made) <= 1
        for b in made:
            assert b.get("lines"), "a bill without its lines was written"
        outcomes.append(
            outcome_is_whole_or_reported(
                w, cid, result, found=bool(made), source_id=bill["Id"], kind="bill"
            )
        )
        if outcomes[-1] == "connection error":
            with w.env.qbo.lock:
                del w.env.qbo.realms[realm_id].table("Bill")[bill["Id"]]

    check()
    assert duplicates(w.env) == [] and link_problems(w.env, w.svc, cid) == []
    print("\nQBO BAD INPUT", {k: outcomes.count(k) for k in set(outcomes)})
