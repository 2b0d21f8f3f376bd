"""Review items (sync/review.py): one per record and kind of problem, dismissed ones staying
dismissed until the record changes, and what the engine raises over several runs."""

from __future__ import annotations

from qbsync_desktop.domain import Kind, Ref, Side
from qbsync_desktop.store import models as m
from qbsync_desktop.sync import review
from tests.support.engine_world import invoice, make_connection


def raise_(conn, *, fingerprint="fp-1", message="Invoice 1001 could not be sent.", **kw):
    values = {
        "kind": Kind.INVOICE,
        "object_id": "sc-1",
        "side": Side.SCORO,
        "label": "Invoice 1001",
        "item_type": "write_failed",
        "message": message,
        "fingerprint": fingerprint,
    }
    return review.raise_item(conn, **(values | kw))


def open_items(conn):
    return list(
        m.ReviewItem.select().where(
            (m.ReviewItem.connection == conn) & (m.ReviewItem.status == "open")
        )
    )


def dismiss(item):
    item.status = "dismissed"
    item.save()


# ------------------------------------------------------------------ raise_item
def test_the_same_problem_raised_again_is_one_item_with_the_latest_words(store):
    conn = make_connection()
    raise_(conn, message="first")
    raise_(conn, message="second")

    [item] = open_items(conn)
    assert item.message == "second"


def test_different_problems_of_one_record_are_separate_items(store):
    conn = make_connection()
    raise_(conn)
    raise_(conn, item_type="totals_differ")

    assert sorted(i.type for i in open_items(conn)) == ["totals_differ", "write_failed"]


def test_a_dismissed_item_stays_dismissed_while_the_record_is_unchanged(store):
    conn = make_connection()
    dismiss(raise_(conn))

    again = raise_(conn)

    assert again.status == "dismissed"
    assert open_items(conn) == []


def test_a_dismissed_item_opens_again_when_the_record_changes(store):
    conn = make_connection()
    dismiss(raise_(conn, fingerprint="fp-1"))

    raise_(conn, fingerprint="fp-2")

    [item] = open_items(conn)
    assert item.type == "write_failed"


def test_a_record_that_syncs_closes_its_held_items_only(store):
    conn = make_connection()
    raise_(conn)
    raise_(conn, item_type="totals_differ")

    review.close_open(conn, Kind.INVOICE, "sc-1", ("write_failed",))

    assert [i.type for i in open_items(conn)] == ["totals_differ"]
    closed = m.ReviewItem.get(m.ReviewItem.type == "write_failed")
    assert (closed.status, closed.resolution) == ("resolved", "synced")


def test_a_dismissed_conflict_is_known_by_both_sides_versions(store):
    conn = make_connection()
    item = raise_(conn, item_type="conflict", fingerprint="", details={"marker": "s1:q1"})
    dismiss(item)

    assert review.was_dismissed(conn, Kind.INVOICE, "sc-1", "conflict", "s1:q1")
    assert not review.was_dismissed(conn, Kind.INVOICE, "sc-1", "conflict", "s2:q1")


def test_every_item_type_offers_dismiss():
    for item_type in review.RESOLUTIONS:
        assert "dismiss" in review.resolutions_for(item_type)
    assert review.resolutions_for("conflict") == ("take_source", "keep_target", "dismiss")
    assert review.resolutions_for("something new") == ("dismiss",)


# ------------------------------------------------------------------ over runs of the engine
def test_a_held_invoice_read_again_is_still_one_review_item(books):
    inv = books.scoro.put(Kind.INVOICE, invoice("1001", Ref(Kind.CUSTOMER, Side.SCORO, "gone")))
    books.run()
    books.scoro.touch(Kind.INVOICE, inv.id)

    counts = books.run()

    assert counts.held == 1
    assert len(books.review()) == 1


def test_a_dismissed_hold_stays_dismissed_until_the_invoice_changes(books):
    inv = books.scoro.put(Kind.INVOICE, invoice("1001", Ref(Kind.CUSTOMER, Side.SCORO, "gone")))
    books.run()
    [item] = books.review()
    books.dismiss(item)
    books.scoro.touch(Kind.INVOICE, inv.id)

    books.run()
    assert books.review() == []

    books.scoro.edit(Kind.INVOICE, inv.id, memo="changed")
    books.run()
    assert [i.type for i in books.review()] == ["missing_dependency"]


def test_a_dismissed_conflict_stays_dismissed_until_a_side_changes_again(books):
    inv = books.scoro_invoice("1001")
    books.run()
    [made] = books.qbo.live(Kind.INVOICE)
    books.scoro.edit(Kind.INVOICE, inv.id, memo="Scoro")
    books.qbo.edit(Kind.INVOICE, made.id, memo="QuickBooks")
    books.run()
    [conflict] = books.review("conflict")
    books.dismiss(conflict)

    books.scoro.touch(Kind.INVOICE, inv.id)
    books.run()
    assert books.review("conflict") == []

    books.scoro.edit(Kind.INVOICE, inv.id, memo="Scoro again")
    books.run()
    assert len(books.review("conflict")) == 1
    assert books.qbo.live(Kind.INVOICE)[0].memo == "QuickBooks"
