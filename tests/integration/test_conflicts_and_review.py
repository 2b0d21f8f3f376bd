"""Incremental syncs, conflicts and their resolutions, single sends: nothing is ever
overwritten silently and every decision is the bookkeeper's."""

import datetime as dt

import pytest

from qbsync_desktop.domain import Category, Kind
from tests.support.demo import ACME_REALM


def scoro_id_of(world, module, field, value):
    return next(
        str(r.get("id") or r.get("product_id") or r.get("contact_id"))
        for r in world.scoro_list(module)
        if r.get(field) == value
    )


def qbo_item(world, name):
    return world.qbo_query(ACME_REALM, f"select * from Item where Name = '{name}'")["Item"][0]


@pytest.fixture
def synced(world):
    info = world.connect()
    first = world.svc.run(info.id)
    assert first.status in ("ok", "review"), first.message
    return world, info


def test_incremental_sync_carries_a_scoro_edit_to_quickbooks(synced):
    world, info = synced
    pid = scoro_id_of(world, "products", "name", "Hosting (monthly)")
    world.scoro_edit("products", pid, price="59.90")
    result = world.svc.run(info.id, [Category.PRODUCTS])
    assert result.updated == 1, result.message
    assert str(qbo_item(world, "Hosting (monthly)")["UnitPrice"]) == "59.9"


def test_edit_on_both_sides_becomes_a_conflict_and_nothing_is_overwritten(synced):
    world, info = synced
    conflict = _conflict(world, info)
    conflicts = [i for i in world.svc.review_items(info.id) if i.type == "conflict"]
    assert [c.object_label for c in conflicts] == ["Product Hosting (monthly)"]
    fields = {f["field"]: f for f in conflict.details["fields"]}
    assert fields["unit price"]["scoro"] == "59.9"
    assert fields["unit price"]["quickbooks"] == "45"
    assert fields["unit price"]["base"] == "49.9"
    assert str(qbo_item(world, "Hosting (monthly)")["UnitPrice"]) == "45"  # not overwritten
    assert set(conflict.resolutions) == {"take_source", "keep_target", "dismiss"}


def _conflict(world, info):
    pid = scoro_id_of(world, "products", "name", "Hosting (monthly)")
    item = qbo_item(world, "Hosting (monthly)")
    world.qbo_ctl("POST", f"objects/{ACME_REALM}/Item", Id=item["Id"], UnitPrice=45)
    world.scoro_edit("products", pid, price="59.90")
    result = world.svc.run(info.id, [Category.PRODUCTS])
    assert result.status == "review", result.message
    return next(i for i in world.svc.review_items(info.id) if i.type == "conflict")


def test_resolving_a_conflict_with_scoros_version_sends_it(synced):
    world, info = synced
    item = _conflict(world, info)
    world.svc.resolve(item.id, "take_source")
    assert str(qbo_item(world, "Hosting (monthly)")["UnitPrice"]) == "59.9"
    assert not [i for i in world.svc.review_items(info.id) if i.type == "conflict"]
    again = world.svc.run(info.id, [Category.PRODUCTS])
    assert again.updated == 0 and again.held == 0


def test_keeping_quickbooks_version_leaves_it_and_stops_asking(synced):
    world, info = synced
    item = _conflict(world, info)
    world.svc.resolve(item.id, "keep_target")
    assert str(qbo_item(world, "Hosting (monthly)")["UnitPrice"]) == "45"
    again = world.svc.run(info.id, [Category.PRODUCTS])
    assert again.held == 0 and again.updated == 0
    assert not world.svc.review_items(info.id, status="open") or all(
        i.type != "conflict" for i in world.svc.review_items(info.id)
    )


def test_dismissed_conflict_does_not_come_back_until_something_changes(synced):
    world, info = synced
    item = _conflict(world, info)
    world.svc.resolve(item.id, "dismiss")
    world.svc.run(info.id, [Category.PRODUCTS])
    assert all(i.type != "conflict" for i in world.svc.review_items(info.id))


def test_R43_send_one_invoice_and_refuse_once_paid(synced):
    world, info = synced
    inv_id = scoro_id_of(world, "invoices", "no", "1005")
    world.scoro_edit("invoices", inv_id, deadline="2026-12-24")
    result = world.svc.send_one(info.id, Kind.INVOICE, inv_id)
    assert result.status in ("ok", "review"), result.message
    assert result.updated == 1
    world.scoro_ctl(
        "POST",
        "create",
        company_account_id="acme_ee",
        module="receipts",
        data={
            "date": dt.date.today().isoformat(),
            "sum": "100",
            "currency": "EUR",
            "sales_doc_type": "invoices",
            "receipts": [{"invoice_id": int(inv_id), "sum": "100"}],
        },
    )
    refused = world.svc.send_one(info.id, Kind.INVOICE, inv_id)
    assert refused.status == "failed"
    assert "already has a payment" in refused.message


def test_R43_a_contact_can_be_sent_any_time(synced):
    world, info = synced
    cid = scoro_id_of(world, "contacts", "name", "Office Depot Europe")
    world.scoro_edit("contacts", cid, is_client=1)
    result = world.svc.send_one(info.id, Kind.CUSTOMER, cid)
    assert result.status in ("ok", "review"), result.message
    rows = world.qbo_query(
        ACME_REALM, "select * from Customer where DisplayName = 'Office Depot Europe'"
    )
    assert len(rows["Customer"]) == 1


def test_R42_one_category_syncs_alone(world):
    info = world.connect()
    result = world.svc.run(info.id, [Category.PRODUCTS])
    assert result.status in ("ok", "review")
    assert "1001" not in {
        r.get("DocNumber")
        for r in world.qbo_query(ACME_REALM, "select * from Invoice").get("Invoice", [])
    }
    cats = {c.category: c for c in world.svc.categories(info.id)}
    assert cats[Category.PRODUCTS].last_run_at is not None
    assert cats[Category.INVOICES].last_run_at is None


def test_R41_automatic_mode_makes_a_sync_due(world):
    info = world.connect()
    settings = world.svc.sync_settings(info.id)
    world.svc.save_sync_settings(
        info.id, settings.__class__(**{**settings.__dict__, "mode": "hourly"})
    )
    now = dt.datetime.now(dt.UTC)
    assert (info.id, None) in world.svc.due(now)
    world.svc.run(info.id, trigger="automatic")
    assert (info.id, None) not in world.svc.due(now + dt.timedelta(minutes=5))
    assert (info.id, None) in world.svc.due(now + dt.timedelta(hours=2))


def test_R56_scoro_edit_of_a_tax_rate_is_reported_and_reverted(synced):
    world, info = synced
    vat = next(v for v in world.scoro_list("vatCodes") if v["vat_code"] == "VAT24")
    world.scoro_edit("vatCodes", vat["vat_code_id"], percent="25")
    world.svc.run(info.id, [Category.BACKGROUND])
    items = [i for i in world.svc.review_items(info.id) if i.type == "edited_in_scoro"]
    assert items and "QuickBooks" in items[0].message
    vat = next(v for v in world.scoro_list("vatCodes") if v["vat_code"] == "VAT24")
    assert str(vat["percent"]) in ("24", "24.0", "24.00")


def test_deleted_in_scoro_is_reported_not_propagated(synced):
    world, info = synced
    pid = scoro_id_of(world, "products", "name", "Hosting (monthly)")
    world.scoro_ctl("POST", "delete", company_account_id="acme_ee", module="products", id=pid)
    world.svc.run(info.id, [Category.PRODUCTS])
    items = [i for i in world.svc.review_items(info.id) if i.type == "deleted_at_source"]
    assert items and "Hosting (monthly)" in items[0].object_label
    assert qbo_item(world, "Hosting (monthly)")["Active"] is True


def test_R57_retry_after_fixing_the_tax_rate_sends_the_invoice(synced):
    world, info = synced
    item = next(i for i in world.svc.review_items(info.id) if i.type == "outdated_tax_rate")
    inv_id = scoro_id_of(world, "invoices", "no", "1003")
    vat24 = next(v for v in world.scoro_list("vatCodes") if v["vat_code"] == "VAT24")
    raw = next(i for i in world.scoro_list("invoices") if i["no"] == "1003")
    del raw
    world.scoro_ctl(
        "POST",
        "edit",
        company_account_id="acme_ee",
        module="invoices",
        id=inv_id,
        changes={
            "lines": [
                {
                    "product_id": int(scoro_id_of(world, "products", "name", "Software licence")),
                    "comment": "Licence",
                    "amount": "1",
                    "price": "1200.00",
                    "vat_code_id": int(vat24["vat_code_id"]),
                }
            ]
        },
    )
    world.svc.resolve(item.id, "retry")
    docs = {
        r.get("DocNumber")
        for r in world.qbo_query(ACME_REALM, "select * from Invoice").get("Invoice", [])
    }
    assert "1003" in docs
    assert all(i.type != "outdated_tax_rate" for i in world.svc.review_items(info.id))


def test_R43_documents_search_shows_contact_names_and_what_can_be_sent(synced):
    world, info = synced
    found = {d.number: d for d in world.svc.search_documents(info.id, Kind.INVOICE, "100")}
    assert found["1001"].contact == "Baltic Foods OÜ"
    assert found["1001"].qbo_id  # already in QuickBooks
    assert not found["1001"].can_send and "payment" in found["1001"].why_not  # paid in Scoro
    assert found["1005"].can_send


def test_the_summary_counts_what_review_lists(world):
    info = world.connect()
    world.svc.run(info.id)
    again = world.svc.run(info.id)  # nothing new held, earlier items still open
    open_items = world.svc.review_count(info.id)
    assert open_items > 0
    assert f"{open_items} to review" in again.message, again.message
