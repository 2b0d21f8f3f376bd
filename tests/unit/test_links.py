"""Links, the outbox and cursors on a real SQLite file (sync/links.py), and links holding when
a record is renumbered."""

from __future__ import annotations

from qbsync_desktop.domain import Kind, Side
from qbsync_desktop.sync.links import LinkBook
from tests.support.engine_world import make_connection


def save(book: LinkBook, scoro_id: str, qbo_id: str, kind: Kind = Kind.INVOICE, **kw):
    values = {"scoro_fingerprint": "s", "qbo_fingerprint": "q", "snapshot": "{}"}
    return book.save(kind, scoro_id=scoro_id, qbo_id=qbo_id, **(values | kw))


# ------------------------------------------------------------------ links
def test_a_link_answers_from_both_sides(store):
    book = LinkBook(make_connection())
    save(book, "sc-1", "qb-1")

    assert book.other_id(Kind.INVOICE, Side.SCORO, "sc-1") == "qb-1"
    assert book.other_id(Kind.INVOICE, Side.QBO, "qb-1") == "sc-1"
    assert book.other_id(Kind.CREDIT_NOTE, Side.SCORO, "sc-1") is None
    assert book.by_side(Kind.INVOICE, Side.SCORO, "sc-1").qbo_fingerprint == "q"


def test_a_link_saved_again_is_updated_not_doubled(store):
    book = LinkBook(make_connection())
    save(book, "sc-1", "qb-1", sync_token="0")
    save(book, "sc-1", "qb-1", sync_token="3", qbo_fingerprint="q2")

    link = book.by_side(Kind.INVOICE, Side.QBO, "qb-1")
    assert (link.qbo_sync_token, link.qbo_fingerprint) == ("3", "q2")
    assert link.select().count() == 1


def test_a_link_pointed_at_another_target_forgets_the_old_one(store):
    book = LinkBook(make_connection())
    assert book.other_id(Kind.INVOICE, Side.SCORO, "sc-1") is None  # remembered as unknown
    save(book, "sc-1", "qb-1")
    save(book, "sc-1", "qb-2")  # the first copy was deleted in QuickBooks and made again

    assert book.other_id(Kind.INVOICE, Side.SCORO, "sc-1") == "qb-2"
    assert book.other_id(Kind.INVOICE, Side.QBO, "qb-1") is None
    # A fresh book (a new run) reads the same from the file.
    assert LinkBook(book.connection).other_id(Kind.INVOICE, Side.QBO, "qb-2") == "sc-1"


def test_links_belong_to_their_connection(store):
    mine = LinkBook(make_connection())
    other = LinkBook(make_connection(scoro_company_account_id="acme_us"))
    save(mine, "sc-1", "qb-1")

    assert other.other_id(Kind.INVOICE, Side.SCORO, "sc-1") is None


def test_saving_a_link_clears_its_outbox_row_in_the_same_step(store):
    book = LinkBook(make_connection())
    book.stage(Kind.INVOICE, "create", Side.QBO, "sc-1", "rid-1", {"number": "1001"})

    save(book, "sc-1", "qb-1", clear_outbox_key="sc-1")

    assert book.pending() == []


# ------------------------------------------------------------------ outbox and generations
def test_staging_the_same_record_again_keeps_one_row_with_the_latest_request(store):
    book = LinkBook(make_connection())
    book.stage(Kind.INVOICE, "create", Side.QBO, "sc-1", "rid-1", {"number": "1001"})
    book.stage(Kind.INVOICE, "update", Side.QBO, "sc-1", "rid-2", {"number": "1001-A"})

    [row] = book.pending()
    assert (row.op, row.requestid, row.attempts) == ("update", "rid-2", 1)
    assert '"1001-A"' in row.payload
    book.clear_outbox(Kind.INVOICE, "sc-1")
    assert book.pending() == []


def test_a_generation_moves_only_when_bumped(store):
    book = LinkBook(make_connection())
    assert book.generation(Kind.INVOICE, "sc-1") == 0
    book.bump_generation(Kind.INVOICE, "sc-1")
    book.bump_generation(Kind.INVOICE, "sc-1")

    assert book.generation(Kind.INVOICE, "sc-1") == 2
    assert book.generation(Kind.BILL, "sc-1") == 0


# ------------------------------------------------------------------ cursors
def test_cursors_are_kept_per_kind_and_side_and_an_empty_watermark_never_moves_one(store):
    book = LinkBook(make_connection())
    book.move_cursor(Kind.INVOICE, Side.SCORO, "2024-03-01T00:00:00+00:00")
    book.move_cursor(Kind.INVOICE, Side.SCORO, "")

    assert book.cursor(Kind.INVOICE, Side.SCORO) == "2024-03-01T00:00:00+00:00"
    assert book.cursor(Kind.INVOICE, Side.QBO) is None
    assert book.cursor(Kind.BILL, Side.SCORO) is None


# ------------------------------------------------------------------ renumbering
def test_an_invoice_renumbered_in_scoro_updates_its_quickbooks_copy(books):
    inv = books.scoro_invoice("1001")
    books.run()
    [made] = books.qbo.live(Kind.INVOICE)
    books.scoro.edit(Kind.INVOICE, inv.id, number="2024-1001")

    books.run()

    [renumbered] = books.qbo.live(Kind.INVOICE)
    assert (renumbered.id, renumbered.number) == (made.id, "2024-1001")
    assert books.link(Kind.INVOICE, inv.id).qbo_id == made.id


def test_an_invoice_renumbered_in_quickbooks_stays_linked(books):
    inv = books.scoro_invoice("1001")
    books.run()
    [made] = books.qbo.live(Kind.INVOICE)
    books.qbo.edit(Kind.INVOICE, made.id, number="QB-1001")
    books.scoro.edit(Kind.INVOICE, inv.id, memo="PO 5")

    books.run()

    [only] = books.qbo.live(Kind.INVOICE)
    assert only.id == made.id
    assert books.link(Kind.INVOICE, inv.id).qbo_id == made.id


def test_an_invoice_renumbered_while_its_create_was_unconfirmed_is_found_and_linked(books):
    inv = books.scoro_invoice("1001")
    books.qbo.fail("transient", kind=Kind.INVOICE, committed=True)
    books.run()
    books.scoro.edit(Kind.INVOICE, inv.id, number="2024-1001")

    books.run()

    [made] = books.qbo.live(Kind.INVOICE)
    assert made.number == "2024-1001"
    assert books.link(Kind.INVOICE, inv.id).qbo_id == made.id
    assert books.outbox() == []
