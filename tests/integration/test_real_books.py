"""Real books: our updates change only what we own, totals agree to the cent, and what we cannot
represent is held, never rewritten. Records are made in the QuickBooks sandbox with fields the
app does not model, linked by a sync, edited in Scoro, synced again and read back."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from qbsync_desktop.domain import Category, Direction
from tests.support.demo import ACME_REALM


def qbo(world, method: str, path: str, body: dict | None = None, **params) -> dict:
    return world.qbo_api(ACME_REALM, method, path, body, **params)


def qbo_one(world, entity: str, where: str) -> dict:
    rows = world.qbo_query(ACME_REALM, f"select * from {entity} where {where}").get(entity, [])
    assert len(rows) == 1, rows
    return rows[0]


def account_id(world, account_type: str) -> str:
    rows = world.qbo_query(
        ACME_REALM, f"select * from Account where AccountType = '{account_type}'"
    )
    return rows["Account"][0]["Id"]


def scoro_create(world, module: str, **data) -> dict:
    return world.scoro_ctl("POST", "create", company_account_id="acme_ee", module=module, data=data)


def scoro_id(made: dict) -> int:
    return int(made["id"])


def stored_lines(record: dict) -> list[dict]:
    """A Scoro document's lines as a Scoro user would send them back (plain JSON)."""
    return json.loads(json.dumps(record["lines"], default=str))


def reviews(world, cid, item_type: str) -> list:
    return [i for i in world.svc.review_items(cid) if i.type == item_type]


def invoices_to_scoro(world):
    info = world.connect()
    world.svc.update_category(
        info.id, Category.INVOICES, enabled=True, direction=Direction.QBO_TO_SCORO
    )
    return info


# -- totals ------------------------------------------------------------------------------------


def scoro_totals(world) -> dict[str, tuple[Decimal, Decimal]]:
    rows = world.env.scoro.store.table("acme_ee", "invoices").values()
    return {
        str(r["no"]): (Decimal(str(r["sum"])) + Decimal(str(r["vat_sum"])),
                       Decimal(str(r["vat_sum"])))
        for r in rows
        if r.get("_deleted") is None and not r.get("credited_invoices")
    }  # fmt: skip


def test_pushed_invoices_agree_with_scoro_to_the_cent(world_factory):
    world = world_factory(scoro_kwargs={"size": {"base": "demo", "extra_invoices": 150}})
    info = world.connect()
    world.svc.run(info.id)
    scoro = scoro_totals(world)
    pushed = world.qbo_query(ACME_REALM, "select * from Invoice maxresults 1000")["Invoice"]
    compared = 0
    for inv in pushed:
        if inv.get("DocNumber") not in scoro:
            continue
        gross, tax = scoro[inv["DocNumber"]]
        assert Decimal(str(inv["TotalAmt"])) == gross, inv["DocNumber"]
        assert Decimal(str(inv["TxnTaxDetail"]["TotalTax"])) == tax, inv["DocNumber"]
        compared += 1
    assert compared > 100
    assert reviews(world, info.id, "totals_differ") == []


def test_tax_worked_out_by_quickbooks_alone_shows_each_difference(world_factory):
    """With QuickBooks ignoring the tax we send, rounding on the total makes some documents a
    cent apart: each is a review item with both figures, none goes unnoticed."""
    world = world_factory(scoro_kwargs={"size": {"base": "demo", "extra_invoices": 150}})
    world.qbo_ctl("POST", "settings", tax_override="ignore")
    info = world.connect()
    result = world.svc.run(info.id)
    scoro = scoro_totals(world)
    pushed = world.qbo_query(ACME_REALM, "select * from Invoice maxresults 1000")["Invoice"]
    apart = {
        inv["DocNumber"]
        for inv in pushed
        if inv.get("DocNumber") in scoro
        and Decimal(str(inv["TotalAmt"])) != scoro[inv["DocNumber"]][0]
    }
    assert apart, "the generated invoices should include per-line rounding cases"
    items = reviews(world, info.id, "totals_differ")
    assert {i.object_label.split()[-1] for i in items} == apart
    sample = items[0]
    gross = scoro[sample.object_label.split()[-1]][0]
    assert f"{gross:.2f}" in sample.message and "QuickBooks" in sample.message
    assert result.status == "review"


# -- contacts ----------------------------------------------------------------------------------


def test_customer_company_name_address_and_notes_survive_an_edit_from_scoro(world):
    qbo(world, "POST", "customer", {
        "DisplayName": "Harbour Logistics", "CompanyName": "Harbour Logistics Holding OÜ",
        "Notes": "Pays by standing order", "PrimaryPhone": {"FreeFormNumber": "+372 600 0000"},
        "BillAddr": {"Line1": "Sadama 1", "Line2": "Gate B", "City": "Tallinn"},
        "PrimaryEmailAddr": {"Address": "old@harbour.example"}, "CurrencyRef": {"value": "EUR"},
    })  # fmt: skip
    contact = scoro_create(
        world,
        "contacts",
        name="Harbour Logistics",
        contact_type="company",
        is_client=True,
        means_of_contact={"email": ["old@harbour.example"]},
        addresses=[{"street": "Sadama 1", "city": "Tallinn", "country": "EST"}],
    )
    info = world.connect()
    world.svc.run(info.id, [Category.CONTACTS])
    world.scoro_edit(
        "contacts",
        scoro_id(contact),
        means_of_contact={"email": ["new@harbour.example"]},
        addresses=[{"street": "Sadama 3", "city": "Tallinn", "country": "EST"}],
    )
    world.svc.run(info.id, [Category.CONTACTS])
    after = qbo_one(world, "Customer", "DisplayName = 'Harbour Logistics'")
    assert after["PrimaryEmailAddr"]["Address"] == "new@harbour.example"
    assert after["BillAddr"]["Line1"] == "Sadama 3"
    assert after["BillAddr"]["Line2"] == "Gate B"
    assert after["CompanyName"] == "Harbour Logistics Holding OÜ"
    assert after["Notes"] == "Pays by standing order"
    assert after["PrimaryPhone"]["FreeFormNumber"] == "+372 600 0000"


# -- products ----------------------------------------------------------------------------------


def test_inventory_item_keeps_its_type_quantity_and_asset_account(world):
    asset = account_id(world, "Other Current Asset")
    cogs = account_id(world, "Cost of Goods Sold")
    income = account_id(world, "Income")
    qbo(world, "POST", "item", {
        "Name": "Pallet rack", "Type": "Inventory", "TrackQtyOnHand": True, "QtyOnHand": 40,
        "InvStartDate": "2026-01-01", "UnitPrice": 120, "PurchaseCost": 70,
        "IncomeAccountRef": {"value": income}, "ExpenseAccountRef": {"value": cogs},
        "AssetAccountRef": {"value": asset}, "Sku": "PR-1",
    })  # fmt: skip
    product = scoro_create(world, "products", name="Pallet rack", price="120.00", code="PR-1")
    info = world.connect()
    world.svc.update_category(info.id, Category.PRODUCTS, enabled=True)
    world.svc.run(info.id, [Category.PRODUCTS])
    world.scoro_edit("products", scoro_id(product), price="135.50")
    world.svc.run(info.id, [Category.PRODUCTS])
    after = qbo_one(world, "Item", "Name = 'Pallet rack'")
    assert Decimal(str(after["UnitPrice"])) == Decimal("135.50")
    assert after["Type"] == "Inventory"
    assert Decimal(str(after["QtyOnHand"])) == 40
    assert after["AssetAccountRef"]["value"] == asset
    assert after["InvStartDate"] == "2026-01-01"
    assert after["TrackQtyOnHand"] is True


# -- invoices ----------------------------------------------------------------------------------


def _pushed_invoice(world):
    info = world.connect()
    world.svc.run(info.id)
    inv = qbo_one(world, "Invoice", "DocNumber = '1001'")
    return info, inv


def _scoro_invoice(world, number: str) -> dict:
    rows = world.env.scoro.store.table("acme_ee", "invoices").values()
    return next(r for r in rows if str(r.get("no")) == number)


def test_invoice_fields_made_in_quickbooks_survive_an_edit_from_scoro(world):
    info, inv = _pushed_invoice(world)
    lines = [dict(line) for line in inv["Line"] if line["DetailType"] != "SubTotalLineDetail"]
    lines[0]["SalesItemLineDetail"] = {**lines[0]["SalesItemLineDetail"],
                                       "ServiceDate": "2026-02-03"}  # fmt: skip
    qbo(world, "POST", "invoice", {
        "Id": inv["Id"], "SyncToken": inv["SyncToken"], "sparse": True,
        "CustomerMemo": {"value": "Thank you for your business"},
        "CustomField": [{"DefinitionId": "1", "Name": "Crew #", "Type": "StringType",
                         "StringValue": "102"}],
        "BillEmail": {"Address": "ap@customer.example"}, "Line": lines,
    })  # fmt: skip
    scoro_inv = _scoro_invoice(world, "1001")
    world.scoro_edit("invoices", scoro_inv["id"], deadline="2026-12-24")
    world.svc.run(info.id, [Category.INVOICES])
    after = qbo_one(world, "Invoice", "DocNumber = '1001'")
    assert after["DueDate"] == "2026-12-24"
    assert after["CustomerMemo"]["value"] == "Thank you for your business"
    assert after["CustomField"][0]["StringValue"] == "102"
    assert after["BillEmail"]["Address"] == "ap@customer.example"
    assert after["Line"][0]["SalesItemLineDetail"]["ServiceDate"] == "2026-02-03"

    # A line edit rewrites that line's owned fields and keeps the rest of it.
    edited = stored_lines(scoro_inv)
    edited[0]["amount"] = str(Decimal(str(edited[0]["amount"])) + 1)
    world.scoro_edit("invoices", scoro_inv["id"], lines=edited)
    world.svc.run(info.id, [Category.INVOICES])
    again = qbo_one(world, "Invoice", "DocNumber = '1001'")
    first = again["Line"][0]
    assert Decimal(str(first["SalesItemLineDetail"]["Qty"])) == Decimal(str(edited[0]["amount"]))
    assert first["SalesItemLineDetail"]["ServiceDate"] == "2026-02-03"
    assert first["Id"] == inv["Line"][0]["Id"]
    assert again["CustomField"][0]["StringValue"] == "102"


def test_invoice_with_a_bundle_line_is_held_not_flattened(world):
    info, inv = _pushed_invoice(world)
    item = inv["Line"][0]["SalesItemLineDetail"]["ItemRef"]
    del item
    group = qbo(world, "POST", "item", {"Name": "Starter bundle", "Type": "Group"})["Item"]
    bundle_line = {
        "DetailType": "GroupLineDetail",
        "GroupLineDetail": {
            "GroupItemRef": {"value": group["Id"], "name": "Starter bundle"},
            "Quantity": 1,
            "Line": [{"DetailType": "SalesItemLineDetail", "Amount": 10,
                      "SalesItemLineDetail": {**inv["Line"][0]["SalesItemLineDetail"],
                                              "Qty": 1, "UnitPrice": 10}}],
        },
    }  # fmt: skip
    lines = [line for line in inv["Line"] if line["DetailType"] != "SubTotalLineDetail"]
    qbo(world, "POST", "invoice", {"Id": inv["Id"], "SyncToken": inv["SyncToken"],
                                   "sparse": True, "Line": [*lines, bundle_line]})  # fmt: skip
    before = qbo_one(world, "Invoice", "DocNumber = '1001'")
    scoro_inv = _scoro_invoice(world, "1001")
    edited = stored_lines(scoro_inv)
    edited[0]["comment"] = "Changed in Scoro"
    world.scoro_edit("invoices", scoro_inv["id"], lines=edited)
    world.svc.run(info.id, [Category.INVOICES])
    after = qbo_one(world, "Invoice", "DocNumber = '1001'")
    assert after["Line"] == before["Line"]
    assert after["SyncToken"] == before["SyncToken"]
    held = reviews(world, info.id, "unsupported_content")
    assert [i.object_label for i in held] == ["Invoice 1001"]
    assert "bundle" in held[0].message


def test_quickbooks_invoice_with_a_percent_discount_is_held_not_copied(world):
    info = invoices_to_scoro(world)
    customer = world.qbo_query(ACME_REALM, "select * from Customer")["Customer"][0]
    item = world.qbo_query(ACME_REALM, "select * from Item where Type = 'Service'")["Item"][0]
    tax = world.qbo_query(ACME_REALM, "select * from TaxCode")["TaxCode"][0]
    qbo(world, "POST", "invoice", {
        "DocNumber": "Q-77", "CustomerRef": {"value": customer["Id"]}, "TxnDate": "2026-11-20",
        "Line": [
            {"DetailType": "SalesItemLineDetail", "Amount": 200,
             "SalesItemLineDetail": {"ItemRef": {"value": item["Id"]}, "Qty": 2,
                                     "UnitPrice": 100, "TaxCodeRef": {"value": tax["Id"]}}},
            {"DetailType": "DiscountLineDetail",
             "DiscountLineDetail": {"PercentBased": True, "DiscountPercent": 10}},
        ],
    })  # fmt: skip
    world.svc.run(info.id, [Category.INVOICES])
    held = [i for i in reviews(world, info.id, "unsupported_content") if "Q-77" in i.object_label]
    assert held and "10" in held[0].message and "discount" in held[0].message
    numbers = {
        str(r.get("no")) for r in world.env.scoro.store.table("acme_ee", "invoices").values()
    }
    assert "Q-77" not in numbers


# -- bills -------------------------------------------------------------------------------------


def bill_in_both(world, direction: Direction):
    """Sync bills one way; a bill now in both systems, as (connection, QuickBooks, Scoro)."""
    info = world.connect()
    world.svc.update_category(info.id, Category.BILLS, enabled=True, direction=direction)
    world.svc.run(info.id)
    rows = world.env.scoro.store.table("acme_ee", "bills").values()
    numbers = {str(r.get("no")): r for r in rows if r.get("_deleted") is None}
    bills = world.qbo_query(ACME_REALM, "select * from Bill")["Bill"]
    bill = next(b for b in bills if b.get("DocNumber") in numbers)
    return info, bill, numbers[bill["DocNumber"]]


def test_bill_line_billable_customer_survives_an_edit_from_scoro(world):
    info, bill, scoro_bill = bill_in_both(world, Direction.SCORO_TO_QBO)
    customer = world.qbo_query(ACME_REALM, "select * from Customer")["Customer"][0]
    lines = [dict(line) for line in bill["Line"]]
    kind = lines[0]["DetailType"]
    lines[0][kind] = {**lines[0][kind], "CustomerRef": {"value": customer["Id"]},
                      "BillableStatus": "Billable"}  # fmt: skip
    qbo(world, "POST", "bill", {"Id": bill["Id"], "SyncToken": bill["SyncToken"],
                                "sparse": True, "Line": lines})  # fmt: skip
    edited = stored_lines(scoro_bill)
    edited[0]["price"] = str(Decimal(str(edited[0]["price"])) + 5)
    world.scoro_edit("bills", scoro_bill["id"], lines=edited, description="Checked")
    world.svc.run(info.id, [Category.BILLS])
    after = qbo_one(world, "Bill", f"Id = '{bill['Id']}'")
    detail = after["Line"][0][kind]
    assert after["PrivateNote"] == "Checked"
    assert detail["CustomerRef"]["value"] == customer["Id"]
    assert detail["BillableStatus"] == "Billable"
    assert Decimal(str(after["Line"][0]["Amount"])) != Decimal(str(bill["Line"][0]["Amount"]))


@pytest.mark.parametrize("active", [None, "null"])
def test_a_customer_read_with_no_active_flag_is_active(active):
    from qbsync_desktop.domain import Kind
    from qbsync_desktop.quickbooks.mapping import to_domain

    obj = {"Id": "1", "DisplayName": "X"}
    if active == "null":
        obj["Active"] = None
    assert to_domain(Kind.CUSTOMER, obj).active is True


# -- the Scoro side ----------------------------------------------------------------------------


def test_scoro_contact_keeps_its_other_emails_and_addresses_when_quickbooks_changes_one(world):
    contact = scoro_create(
        world,
        "contacts",
        name="Fjord Freight AS",
        contact_type="company",
        is_client=True,
        means_of_contact={"email": ["a@fjord.example", "b@fjord.example"], "website": ["fjord.no"]},
        addresses=[
            {"street": "Kai 1", "city": "Bergen", "country": "NOR"},
            {"street": "Lager 9", "city": "Oslo", "country": "NOR"},
        ],
    )
    qbo(world, "POST", "customer", {
        "DisplayName": "Fjord Freight AS", "CurrencyRef": {"value": "EUR"},
        "PrimaryEmailAddr": {"Address": "a@fjord.example"},
        "BillAddr": {"Line1": "Kai 1", "City": "Bergen", "Country": "NOR"},
    })  # fmt: skip
    info = world.connect()
    world.svc.update_category(info.id, Category.CONTACTS, direction=Direction.QBO_TO_SCORO)
    world.svc.run(info.id, [Category.CONTACTS])
    customer = qbo_one(world, "Customer", "DisplayName = 'Fjord Freight AS'")
    qbo(world, "POST", "customer", {
        "Id": customer["Id"], "SyncToken": customer["SyncToken"], "sparse": True,
        "PrimaryEmailAddr": {"Address": "billing@fjord.example"},
    })  # fmt: skip
    world.svc.run(info.id, [Category.CONTACTS])
    after = world.env.scoro.store.table("acme_ee", "contacts")[scoro_id(contact)]
    assert after["means_of_contact"]["email"] == ["billing@fjord.example", "b@fjord.example"]
    assert after["means_of_contact"]["website"] == ["fjord.no"]
    assert [a["city"] for a in after["addresses"]] == ["Bergen", "Oslo"]


def test_scoro_bill_line_keeps_its_unit_and_second_comment_when_quickbooks_changes_it(world):
    info, bill, scoro_bill = bill_in_both(world, Direction.QBO_TO_SCORO)
    lines = stored_lines(scoro_bill)
    lines[0].update(unit="h", comment2="Checked by Mari")
    world.scoro_edit("bills", scoro_bill["id"], lines=lines)
    world.svc.run(info.id, [Category.BILLS])  # Scoro's edit is Scoro's; nothing goes back
    qbo_lines = [dict(line) for line in bill["Line"]]
    qbo_lines[0]["Description"] = "Changed in QuickBooks"
    fresh = qbo_one(world, "Bill", f"Id = '{bill['Id']}'")
    qbo(world, "POST", "bill", {"Id": bill["Id"], "SyncToken": fresh["SyncToken"],
                                "sparse": True, "Line": qbo_lines})  # fmt: skip
    world.svc.run(info.id, [Category.BILLS])
    after = world.env.scoro.store.table("acme_ee", "bills")[scoro_bill["id"]]
    assert after["lines"][0]["comment"] == "Changed in QuickBooks"
    assert after["lines"][0]["unit"] == "h"
    assert after["lines"][0]["comment2"] == "Checked by Mari"


# -- matching ----------------------------------------------------------------------------------


def test_same_number_for_another_customer_is_held_not_linked_or_moved(world):
    """Numbering repeats (two series, older years): a QuickBooks invoice with the number of a
    Scoro invoice but another customer is neither linked (the next update would move it to our
    customer) nor duplicated; it waits for the bookkeeper."""
    info = world.connect()
    world.svc.run(info.id, [Category.CONTACTS, Category.PRODUCTS])
    customers = world.qbo_query(ACME_REALM, "select * from Customer")["Customer"]
    scoro_client = _scoro_invoice(world, "1001")["company_id"]
    active = sorted(c["Id"] for c in customers if c.get("Active", True))
    item = world.qbo_query(ACME_REALM, "select * from Item")["Item"][0]
    tax = world.qbo_query(ACME_REALM, "select * from TaxCode")["TaxCode"][0]
    line = {"Amount": "120.00", "DetailType": "SalesItemLineDetail",
            "SalesItemLineDetail": {"ItemRef": {"value": item["Id"]}, "Qty": "1",
                                    "UnitPrice": "120.00",
                                    "TaxCodeRef": {"value": tax["Id"]}}}  # fmt: skip
    names = {c["Id"]: c["DisplayName"] for c in customers}
    client = world.env.scoro.store.table("acme_ee", "contacts")[int(scoro_client)]
    client_name = client.get("name") or client.get("search_name")
    other = next(i for i in active if names[i] != client_name)
    theirs = qbo(
        world,
        "POST",
        "invoice",
        {
            "DocNumber": "1001",
            "TxnDate": "2026-11-02",
            "CustomerRef": {"value": other},
            "Line": [line],
        },
    )
    theirs = theirs["Invoice"]

    world.svc.run(info.id, [Category.INVOICES])

    after = world.qbo_query(ACME_REALM, "select * from Invoice where DocNumber = '1001'")
    assert len(after["Invoice"]) == 1  # not copied a second time
    kept = after["Invoice"][0]
    assert kept["Id"] == theirs["Id"] and kept["SyncToken"] == theirs["SyncToken"]
    assert kept["CustomerRef"]["value"] == other  # not moved to our customer
    held = [i for i in world.svc.review_items(info.id) if "1001" in i.object_label]
    assert held and "another contact" in held[0].message
