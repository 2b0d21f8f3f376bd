"""Advanced filtering with Scoro bookmarks (R50–R53)."""

from qbsync_desktop.domain import Category, Direction, Kind
from tests.support.demo import ACME_REALM


def bills_in_qbo(world):
    return {
        b.get("DocNumber")
        for b in world.qbo_query(ACME_REALM, "select * from Bill").get("Bill", [])
    }


def _bills_bookmark(world, info):
    world.svc.update_category(
        info.id, Category.BILLS, enabled=True, direction=Direction.SCORO_TO_QBO
    )
    marks = world.svc.bookmarks(info.id, Category.BILLS)
    approved = next(b for b in marks if b.name == "Approved bills")
    world.svc.update_category(info.id, Category.BILLS, bookmark_id=approved.id)
    return approved


def test_R50_R52_only_bookmarked_bills_are_pushed(world):
    info = world.connect()
    _bills_bookmark(world, info)
    cats = {c.category: c for c in world.svc.categories(info.id)}
    assert cats[Category.BILLS].bookmark_name == "Approved bills"
    world.svc.run(info.id, [Category.BILLS], trigger="automatic")
    assert bills_in_qbo(world) >= {"B-501"}
    assert "B-502" not in bills_in_qbo(world)


def test_R51_user_and_status_filters_of_an_invoice_bookmark_are_not_applied(world):
    info = world.connect()
    marks = world.svc.bookmarks(info.id, Category.INVOICES)
    sent = next(b for b in marks if b.name == "Sent invoices")
    assert "user filter is not applied" in sent.note
    assert "status filter is not applied" in sent.note
    world.svc.update_category(info.id, Category.INVOICES, bookmark_id=sent.id)
    world.svc.run(info.id)
    docs = {
        r.get("DocNumber")
        for r in world.qbo_query(ACME_REALM, "select * from Invoice").get("Invoice", [])
    }
    # 1005 is "unpaid", not "sent", and owned by another user: still pushed.
    assert "1005" in docs and "1001" in docs


def test_R53_manual_mode_a_document_outside_the_bookmark_can_be_sent_by_hand(world):
    info = world.connect()
    _bills_bookmark(world, info)
    world.svc.run(info.id, [Category.BILLS])
    assert "B-502" not in bills_in_qbo(world)
    b502 = next(str(b["id"]) for b in world.scoro_list("bills") if b["no"] == "B-502")
    result = world.svc.send_one(info.id, Kind.BILL, b502)
    assert result.status in ("ok", "review"), result.message
    assert "B-502" in bills_in_qbo(world)
