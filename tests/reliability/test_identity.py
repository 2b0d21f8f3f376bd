"""A document's identity is its source id: a crash plus a renumbering, or a deletion in
QuickBooks, never makes a duplicate or a write answered with a deleted object."""

from __future__ import annotations

from collections import Counter

import requests

from qbsync_desktop.domain import Category, Kind
from qbsync_desktop.store import models as m
from tests.support.demo import ACME_REALM


def qbo_invoices(world) -> list[dict]:
    return world.qbo_query(ACME_REALM, "select * from Invoice maxresults 1000").get("Invoice", [])


def _posts(world) -> Counter:
    counts = Counter()
    for name, statuses in world.env.qbo.stats()["requests"].items():
        counts[name] += sum(statuses.values())
    return counts


def test_renumbered_after_a_lost_batch_answer_links_what_was_made(world_factory):
    world = world_factory(scoro_kwargs={"size": {"base": "demo", "extra_invoices": 40}})
    info = world.connect()
    world.svc.run(info.id, [Category.CONTACTS, Category.PRODUCTS])
    # Every answer to a batch write is lost after QuickBooks committed it: the run gives up
    # with the writes made but not booked.
    arm = {"type": "drop_after_commit", "path": "/batch", "count": 50}
    requests.post(f"{world.env.qbo_url}/_sandbox/faults", json=arm, timeout=10).raise_for_status()
    failed = world.svc.run(info.id, [Category.INVOICES])
    assert failed.status == "failed", failed.message
    made = {inv["DocNumber"] for inv in qbo_invoices(world)}
    assert made, "the lost answers were for writes QuickBooks had made"
    world.qbo_ctl("DELETE", "faults")
    # While the app was down, the bookkeeper renumbered them in Scoro.
    store = world.env.scoro.store.table("acme_ee", "invoices")
    renamed = {}
    for rid, row in list(store.items()):
        if str(row.get("no")) in made and row.get("_deleted") is None:
            renamed[f"{row['no']}-B"] = str(row["no"])
            world.scoro_edit("invoices", rid, no=f"{row['no']}-B")
    before = _posts(world)
    result = world.svc.run(info.id, [Category.INVOICES])
    assert result.status in ("ok", "review"), result.message
    after = _posts(world)
    # The replay goes in batches, not a request per unconfirmed record.
    assert after["POST invoice"] - before["POST invoice"] <= 1, (before, after)
    numbers = Counter(inv["DocNumber"] for inv in qbo_invoices(world))
    assert [n for n, c in numbers.items() if c > 1] == []
    assert set(renamed) <= set(numbers), "the objects made before were renumbered, not doubled"
    assert not (set(renamed.values()) & set(numbers)), "no orphan under the old number"
    assert len(numbers) == len({inv["Id"] for inv in qbo_invoices(world)})


def test_send_scoros_version_after_a_deletion_in_quickbooks_creates_it_anew(world):
    info = world.connect()
    world.svc.run(info.id)
    store = world.env.scoro.store.table("acme_ee", "invoices")
    unpaid = {str(r["no"]): str(rid) for rid, r in store.items() if not r.get("paid_sum")}
    first = next(inv for inv in qbo_invoices(world) if inv["DocNumber"] in unpaid)
    number, scoro_id = first["DocNumber"], unpaid[first["DocNumber"]]
    token = world.qbo_ctl("POST", "tokens", realmId=ACME_REALM)["access_token"]
    r = requests.post(
        f"{world.env.qbo_url}/v3/company/{ACME_REALM}/invoice",
        params={"operation": "delete"},
        json={"Id": first["Id"], "SyncToken": first["SyncToken"]},
        headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
        timeout=10,
    )
    assert r.status_code == 200, r.text
    # Unchanged in Scoro: the same content that made the deleted object goes again.
    world.svc.send_one(info.id, Kind.INVOICE, scoro_id)
    missing = [i for i in world.svc.review_items(info.id) if i.type == "target_missing"]
    assert [i.object_label for i in missing] == [f"Invoice {number}"]
    result = world.svc.resolve(missing[0].id, "take_source")
    assert result.status in ("ok", "review"), result.message
    again = [inv for inv in qbo_invoices(world) if inv["DocNumber"] == number]
    assert len(again) == 1 and again[0]["Id"] != first["Id"]
    link = (
        m.Link.select()
        .where((m.Link.kind == Kind.INVOICE.value) & (m.Link.scoro_id == scoro_id))
        .first()
    )
    assert link is not None and link.qbo_id == again[0]["Id"]
