"""A service clock that jumps ahead and back never leaves the cursor in the future: what
changes after it came back is still synced."""

from __future__ import annotations

import json

import requests

from qbsync_desktop.domain import Category, Direction
from tests.support.demo import ACME_REALM

DAY = 86400


def scoro_invoice(world, number: str) -> dict:
    rows = world.env.scoro.store.table("acme_ee", "invoices").values()
    return next(r for r in rows if str(r.get("no")) == number)


def qbo_invoice(world, number: str) -> dict:
    rows = world.qbo_query(ACME_REALM, f"select * from Invoice where DocNumber = '{number}'")
    return rows["Invoice"][0]


def test_scoro_clock_ahead_then_back_skips_nothing(world):
    info = world.connect()
    world.svc.run(info.id)
    # Scoro's clock runs 30 days ahead: an edit made then carries a date a month away.
    world.scoro_ctl("POST", "clock", advance_seconds=30 * DAY)
    ahead = scoro_invoice(world, "1005")
    world.scoro_edit("invoices", ahead["id"], deadline="2027-01-05")
    world.svc.run(info.id, [Category.INVOICES])
    assert qbo_invoice(world, "1005")["DueDate"] == "2027-01-05"
    # The clock is put right; the next edit has today's date and must not be skipped.
    world.scoro_ctl("POST", "clock", advance_seconds=-30 * DAY)
    later = scoro_invoice(world, "1006") if _has(world, "1006") else scoro_invoice(world, "1001")
    world.scoro_edit("invoices", later["id"], deadline="2027-02-07")
    result = world.svc.run(info.id, [Category.INVOICES])
    assert result.status in ("ok", "review"), result.message
    assert qbo_invoice(world, str(later["no"]))["DueDate"] == "2027-02-07"


def _has(world, number: str) -> bool:
    rows = world.env.scoro.store.table("acme_ee", "invoices").values()
    return any(str(r.get("no")) == number and not r.get("credited_invoices") for r in rows)


def test_quickbooks_clock_ahead_then_back_skips_nothing(world):
    info = world.connect()
    world.svc.update_category(
        info.id, Category.BILLS, enabled=True, direction=Direction.QBO_TO_SCORO
    )
    world.svc.run(info.id)
    bills = world.qbo_query(ACME_REALM, "select * from Bill")["Bill"]

    def set_memo(bill_id: str, memo: str) -> None:
        token = world.qbo_ctl("POST", "tokens", realmId=ACME_REALM)["access_token"]
        fresh = world.qbo_query(ACME_REALM, f"select * from Bill where Id = '{bill_id}'")["Bill"][0]
        body = {"Id": bill_id, "SyncToken": fresh["SyncToken"], "sparse": True, "PrivateNote": memo}
        r = requests.post(
            f"{world.env.qbo_url}/v3/company/{ACME_REALM}/bill",
            data=json.dumps(body),
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json",
                     "Content-Type": "application/json"},
            timeout=10,
        )  # fmt: skip
        assert r.status_code == 200, r.text

    # QuickBooks' clock runs 10 days ahead while a bill is edited and synced.
    world.qbo_ctl("POST", "clock", advance_seconds=10 * DAY)
    set_memo(bills[0]["Id"], "Edited while the clock ran ahead")
    world.svc.run(info.id, [Category.BILLS])
    # Put right; a bill edited now carries an earlier time than the one seen before.
    world.qbo_ctl("POST", "clock", advance_seconds=-10 * DAY)
    set_memo(bills[1]["Id"], "Edited after the clock came back")
    result = world.svc.run(info.id, [Category.BILLS])
    assert result.status in ("ok", "review"), result.message
    numbers = {b["Id"]: str(b["DocNumber"]) for b in bills}
    stored = world.env.scoro.store.table("acme_ee", "bills").values()
    memos = {str(r.get("no")): r.get("description") for r in stored}
    assert memos[numbers[bills[0]["Id"]]] == "Edited while the clock ran ahead"
    assert memos[numbers[bills[1]["Id"]]] == "Edited after the clock came back"
