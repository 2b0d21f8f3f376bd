"""Incremental syncs: a sync with no changes costs the same few requests however many
records are linked (reads by change cursor, not by walking links)."""

import pytest

from qbsync_desktop.domain import Category, Direction
from tests.support.demo import ACME_REALM


def no_change_requests(world_factory, extra: int) -> tuple[int, int, int]:
    world = world_factory(scoro_kwargs={"size": {"base": "demo", "extra_invoices": extra}})
    info = world.connect()
    world.svc.update_category(
        info.id, Category.BILLS, enabled=True, direction=Direction.QBO_TO_SCORO
    )
    first = world.svc.run(info.id)
    assert first.status in ("ok", "review"), first.message
    # Days pass between syncs, as in real use: Scoro filters by whole days, so what changed
    # yesterday and today is always listed again; older records are not.
    for days in (3, 1):
        world.pass_time(days * 86400)
        if days == 3:
            world.svc.run(info.id)  # settles the cursors at the time of a read
    quiet = world.svc.run(info.id)
    assert (quiet.created, quiet.updated) == (0, 0), quiet.message
    return first.created, quiet.requests, world.svc.connection(info.id).open_reviews


def test_no_change_sync_request_count_does_not_grow_with_linked_records(world_factory):
    small_created, small_requests, _ = no_change_requests(world_factory, 10)
    large_created, large_requests, _ = no_change_requests(world_factory, 150)
    assert large_created >= small_created + 30  # many more links...
    # ...same cost when nothing changed (give or take a retried request on a busy machine;
    # growth with the data would add a page per 25 invoices, a fetch per linked record).
    assert large_requests <= small_requests + 2, (small_requests, large_requests)
    assert large_requests <= 3 * len(Category)  # a few reads per category


@pytest.mark.parametrize("module", ["products"])
def test_an_edit_after_a_quiet_sync_is_still_seen(world_factory, module):
    world = world_factory()
    info = world.connect()
    world.svc.run(info.id)
    world.scoro_ctl("POST", "clock", advance_seconds=4000)
    world.svc.run(info.id)
    pid = next(
        str(p["product_id"])
        for p in world.scoro_list("products")
        if p["name"] == "Hosting (monthly)"
    )
    world.scoro_ctl(
        "POST",
        "edit",
        company_account_id="acme_ee",
        module=module,
        id=pid,
        changes={"price": "51.00"},
    )
    result = world.svc.run(info.id, [Category.PRODUCTS])
    assert result.updated == 1, result.message


def test_invoices_and_credit_notes_share_one_read_of_scoro_invoices(world_factory):
    world = world_factory(scoro_kwargs={"size": {"base": "demo", "extra_invoices": 120}})
    info = world.connect()
    before = world.scoro_ctl("GET", "stats")["requests"].get("invoices/list", {})
    result = world.svc.run(info.id, [Category.INVOICES])
    assert result.status in ("ok", "review"), result.message
    after = world.scoro_ctl("GET", "stats")["requests"]["invoices/list"]
    lists = sum(after.values()) - sum(before.values())
    scoro_invoices = len(world.scoro_list("invoices"))
    assert lists == scoro_invoices // 25 + 1  # detailed pages of 25: one read, not one per kind
    memos = world.qbo_query(ACME_REALM, "select * from CreditMemo").get("CreditMemo", [])
    assert "1006" in [m["DocNumber"] for m in memos]  # the credit note still arrives
