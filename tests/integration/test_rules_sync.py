"""Sync rules end to end over both sandboxes: what a bookkeeper sees on each side."""

import json
from decimal import Decimal

from qbsync_desktop.domain import Category, Direction
from tests.support.demo import ACME_REALM


def qbo_names(world, entity: str) -> list[str]:
    rows = world.qbo_query(ACME_REALM, f"select * from {entity} where Active in (true, false)")
    return [r.get("DisplayName") or r.get("Name") for r in rows.get(entity, [])]


def qbo_invoices(world) -> dict:
    rows = world.qbo_query(ACME_REALM, "select * from Invoice maxresults 1000").get("Invoice", [])
    return {r.get("DocNumber"): r for r in rows}


def open_reviews(world, cid):
    return {(i.type, i.object_label) for i in world.svc.review_items(cid)}


def synced(world):
    info = world.connect()
    result = world.svc.run(info.id)
    return info, result


def bills_to_quickbooks(world):
    info = world.connect()
    world.svc.update_category(
        info.id, Category.BILLS, enabled=True, direction=Direction.SCORO_TO_QBO
    )
    return info


def qbo_bill(world, number: str) -> dict:
    bills = world.qbo_query(ACME_REALM, "select * from Bill").get("Bill", [])
    return next(b for b in bills if b.get("DocNumber") == number)


def rebook_scoro_lines(world, module: str, record_id: int, account_id: int) -> list[dict]:
    """Book every line of a Scoro document to `account_id`, as a Scoro user would; returns
    the lines as they were."""
    stored = world.env.scoro.store.table("acme_ee", module)[record_id]["lines"]
    lines = json.loads(json.dumps(stored, default=str))
    world.scoro_edit(
        module, record_id, lines=[{**line, "finance_account_id": account_id} for line in lines]
    )
    return lines


def test_R13_R61_products_matched_by_name_not_duplicated(world):
    _info, result = synced(world)
    assert result.status in ("ok", "review"), result.message
    names = qbo_names(world, "Item")
    for name in ("Consulting hour", "Design work", "Software licence"):
        assert names.count(name) == 1, names
    assert names.count("Hosting (monthly)") == 1


def test_R20_R21_R23_client_and_supplier_becomes_customer_and_vendor_with_suffix(world):
    synced(world)
    customers = qbo_names(world, "Customer")
    vendors = qbo_names(world, "Vendor")
    assert customers.count("Nordic Supplies AS") == 1
    assert vendors.count("Nordic Supplies AS (v)") == 1
    assert "Nordic Supplies AS" not in vendors
    assert "Office Depot Europe" in vendors  # supplier only: no suffix
    assert 'O\'Brien & Sons "Quality" Ltd' in customers


def test_R22_R23_from_quickbooks_individuals_become_persons_and_suffix_is_recognised(world):
    info = world.connect()
    world.svc.update_category(info.id, Category.CONTACTS, direction=Direction.QBO_TO_SCORO)
    result = world.svc.run(info.id, [Category.CONTACTS])
    assert result.status in ("ok", "review"), result.message
    contacts = world.scoro_list("contacts")
    jaan = [c for c in contacts if c.get("lastname") == "Kask"]
    assert len(jaan) == 1 and jaan[0]["contact_type"] == "person"
    nordic = [c for c in contacts if c["name"].startswith("Nordic Supplies")]
    assert len(nordic) == 1, [c["name"] for c in nordic]
    assert str(nordic[0]["is_supplier"]) in ("1", "True", "true")
    assert str(nordic[0]["is_client"]) in ("1", "True", "true")


def test_R24_new_contact_carries_its_client_profile_currency(world):
    synced(world)
    rows = world.qbo_query(
        ACME_REALM, "select * from Customer where DisplayName = 'O\\'Brien & Sons \"Quality\" Ltd'"
    )
    customer = rows["Customer"][0]
    assert customer["CurrencyRef"]["value"] == "GBP"
    mari = world.qbo_query(ACME_REALM, "select * from Customer where DisplayName = 'Mari Tamm'")
    assert mari["Customer"][0]["CurrencyRef"]["value"] == "EUR"  # entity default


def test_R60_document_in_another_currency_than_its_contact_is_held(world):
    info, result = synced(world)
    assert result.status == "review"
    held = [i for i in world.svc.review_items(info.id) if i.type == "currency_mismatch"]
    assert any("1004" in i.object_label for i in held)
    message = next(i.message for i in held if "1004" in i.object_label)
    assert "Müller GmbH" in message and "EUR" in message and "USD" in message
    assert "1004" not in qbo_invoices(world)


def test_R33_invoice_with_two_projects_is_sent_without_project_and_warned(world):
    info, _ = synced(world)
    invoices = qbo_invoices(world)
    assert "1002" in invoices
    assert "ProjectRef" not in invoices["1002"]
    assert ("multiple_projects", "Invoice 1002") in open_reviews(world, info.id)


def test_R31_project_same_name_different_client_gets_its_own_scoro_project(world):
    synced(world)
    projects = world.scoro_list("projects")
    contacts = {c["contact_id"]: c["name"] for c in world.scoro_list("contacts")}
    redesigns = [
        (p["project_name"], contacts.get(p["company_id"]))
        for p in projects
        if p["project_name"] == "Website redesign"
    ]
    assert sorted(redesigns, key=str) == sorted(
        [("Website redesign", "Baltic Foods OÜ"), ("Website redesign", "Nordic Supplies AS")],
        key=str,
    )
    erp = [p for p in projects if p["project_name"] == "ERP rollout"]
    assert len(erp) == 1  # same name and same client: matched


def test_R57_outdated_tax_rate_holds_the_document(world):
    info, _ = synced(world)
    held = {
        i.object_label: i for i in world.svc.review_items(info.id) if i.type == "outdated_tax_rate"
    }
    assert "Invoice 1003" in held
    assert "VAT 22%" in held["Invoice 1003"].message
    assert "1003" not in qbo_invoices(world)


def test_R11_R25_dependencies_sync_even_when_their_categories_are_off(world):
    info = world.connect()
    world.svc.update_category(info.id, Category.CONTACTS, enabled=False)
    world.svc.update_category(info.id, Category.PRODUCTS, enabled=False)
    result = world.svc.run(info.id)
    assert result.status in ("ok", "review"), result.message
    assert "1001" in qbo_invoices(world)
    assert "Baltic Foods OÜ" in qbo_names(world, "Customer")
    assert "Hosting (monthly)" in qbo_names(world, "Item")  # on invoice 1005
    assert "Office Depot Europe" not in qbo_names(world, "Vendor")  # on no synced document


def test_R32_R34_credit_note_syncs_with_invoices_as_an_open_credit_memo(world):
    synced(world)
    memos = world.qbo_query(ACME_REALM, "select * from CreditMemo").get("CreditMemo", [])
    assert [m["DocNumber"] for m in memos] == ["1006"]
    invoice = qbo_invoices(world)["1001"]
    assert Decimal(str(invoice["Balance"])) == Decimal(str(invoice["TotalAmt"]))  # open


def test_R12_line_account_follows_the_quickbooks_item(world):
    # The Scoro line books to "Sales" while its product books to "Services": QuickBooks
    # keeps one account per item, so the item keeps its own and the line follows it.
    invoice_id = next(r["id"] for r in world.scoro_list("invoices") if r["no"] == "1001")
    lines = rebook_scoro_lines(world, "invoices", invoice_id, 4)
    synced(world)
    invoice = qbo_invoices(world)["1001"]
    sales = [li for li in invoice["Line"] if li.get("DetailType") == "SalesItemLineDetail"]
    assert sales and all("AccountRef" not in li["SalesItemLineDetail"] for li in sales)
    item_id = sales[0]["SalesItemLineDetail"]["ItemRef"]["value"]
    item = world.qbo_query(ACME_REALM, f"select * from Item where Id = '{item_id}'")["Item"][0]
    assert item["Name"] == "Consulting hour"
    accounts = world.qbo_query(ACME_REALM, "select * from Account").get("Account", [])
    names = {a["Id"]: a["Name"] for a in accounts}
    item_account = names[item["IncomeAccountRef"]["value"]]
    assert item_account != "Sales"
    # ...and the Scoro line now books to the item's account too.
    scoro_accounts = {a["id"]: a["name"] for a in world.scoro_list("financeAccounts")}
    with world.env.scoro.store.lock:
        after = world.env.scoro.store.table("acme_ee", "invoices")[invoice_id]["lines"]
    assert [scoro_accounts[line["finance_account_id"]] for line in after] == [item_account]
    assert [line["comment"] for line in after] == [line["comment"] for line in lines]
    # The change does not come back as an edit to send again.
    again = world.svc.run(world.svc.connections()[0].id, [Category.INVOICES])
    assert (again.created, again.updated, again.held) == (0, 0, 0), again.message


def test_R36_R46_bills_from_quickbooks_without_tax_details(world):
    info = world.connect()
    world.svc.update_category(
        info.id, Category.BILLS, enabled=True, direction=Direction.QBO_TO_SCORO
    )
    settings = world.svc.sync_settings(info.id)
    world.svc.save_sync_settings(
        info.id, settings.__class__(**{**settings.__dict__, "bills_without_tax": True})
    )
    result = world.svc.run(info.id, [Category.BILLS])
    assert result.status in ("ok", "review"), result.message
    bills = {b["no"]: b for b in world.scoro_list("bills")}
    assert "T-7788" in bills
    assert Decimal(str(bills["T-7788"]["sum"])) == Decimal("39.00")


def test_R44_default_expense_account_on_bill_lines_without_product(world):
    info = bills_to_quickbooks(world)
    result = world.svc.run(info.id, [Category.BILLS])
    assert result.status in ("ok", "review"), result.message
    b501 = qbo_bill(world, "B-501")
    accounts = {
        li["AccountBasedExpenseLineDetail"]["AccountRef"]["value"]
        for li in b501["Line"]
        if li.get("DetailType") == "AccountBasedExpenseLineDetail"
    }
    assert accounts  # every product-less line has an account
    assert (
        len(
            world.qbo_query(
                ACME_REALM, "select * from Vendor where DisplayName = 'Office Depot Europe'"
            )["Vendor"]
        )
        == 1
    )


def test_R45_new_products_get_the_default_income_account(world):
    info, _ = synced(world)
    default_income = world.svc.sync_settings(info.id).default_income_account
    item = world.qbo_query(ACME_REALM, "select * from Item where Name = 'Hosting (monthly)'")[
        "Item"
    ][0]
    assert item["IncomeAccountRef"]["value"] == default_income


def test_R10_R20_one_direction_at_a_time(world):
    info = world.connect()
    world.svc.update_category(info.id, Category.PRODUCTS, direction=Direction.QBO_TO_SCORO)
    cats = {c.category: c for c in world.svc.categories(info.id)}
    assert cats[Category.PRODUCTS].direction is Direction.QBO_TO_SCORO
    world.svc.run(info.id, [Category.PRODUCTS])
    products = [p["name"] for p in world.scoro_list("products")]
    assert "Support retainer" in products  # came from QuickBooks
    assert "Hosting (monthly)" not in qbo_names(world, "Item")  # nothing went the other way


def test_R35_receipts_from_quickbooks_mark_scoro_invoices_paid(world):
    info = world.connect()
    world.svc.update_category(info.id, Category.INVOICES, direction=Direction.QBO_TO_SCORO)
    world.svc.update_category(
        info.id, Category.RECEIPTS, enabled=True, direction=Direction.QBO_TO_SCORO
    )
    result = world.svc.run(info.id)
    assert result.status in ("ok", "review"), result.message
    invoices = {i["no"]: i for i in world.scoro_list("invoices")}
    assert "Q-2001" in invoices
    assert Decimal(str(invoices["Q-2001"]["paid_sum"])) == Decimal("200.00")


def test_R55_attachments_go_with_their_documents(world):
    info = world.connect()
    world.svc.update_category(info.id, Category.ATTACHMENTS, enabled=True)
    result = world.svc.run(info.id)
    assert result.status in ("ok", "review"), result.message
    attachables = world.qbo_query(ACME_REALM, "select * from Attachable").get("Attachable", [])
    names = [a.get("FileName") for a in attachables]
    assert "1001-timesheet.pdf" in names
    again = world.svc.run(info.id)
    attachables = world.qbo_query(ACME_REALM, "select * from Attachable").get("Attachable", [])
    assert [a.get("FileName") for a in attachables].count("1001-timesheet.pdf") == 1, again


def test_R37_classes_need_class_tracking_per_line(world):
    info = world.connect("acme_us")
    world.svc.update_category(info.id, Category.CLASSES, enabled=True)
    cats = {c.category: c for c in world.svc.categories(info.id)}
    assert "class tracking" in cats[Category.CLASSES].unavailable_reason
    ee = world.connect("acme_ee")
    world.svc.update_category(ee.id, Category.CLASSES, enabled=True)
    result = world.svc.run(ee.id, [Category.CLASSES])
    assert result.status in ("ok", "review"), result.message
    objects = [o["name"] for o in world.scoro_list("financeObjects")]
    for name in ("Consulting", "Design", "Licences"):
        assert objects.count(name) == 1, objects


def test_second_sync_without_changes_changes_nothing(world):
    info, _first = synced(world)
    before = world.qbo_ctl("GET", "stats")
    second = world.svc.run(info.id)
    assert (second.created, second.updated) == (0, 0), second.message
    after = world.qbo_ctl("GET", "stats")
    assert after["objects"] == before["objects"]


def test_dry_run_changes_nothing_on_either_side(world):
    info = world.connect()
    qbo_before = world.qbo_ctl("GET", "stats")["objects"]
    scoro_before = world.scoro_ctl("GET", "stats")["objects"]
    preview = world.svc.run(info.id, dry_run=True)
    assert preview.plan, "the preview lists what would happen"
    assert any(a.action == "create" and a.label == "Invoice 1001" for a in preview.plan)
    assert world.qbo_ctl("GET", "stats")["objects"] == qbo_before
    assert world.scoro_ctl("GET", "stats")["objects"] == scoro_before
    real = world.svc.run(info.id)
    assert real.created >= 1


def test_R35_receipts_from_scoro_become_quickbooks_payments_on_their_invoice(world):
    info = world.connect()
    world.svc.update_category(
        info.id, Category.RECEIPTS, enabled=True, direction=Direction.SCORO_TO_QBO
    )
    result = world.svc.run(info.id)
    assert result.status in ("ok", "review"), result.message
    invoice = qbo_invoices(world)["1001"]
    payments = world.qbo_query(ACME_REALM, "select * from Payment").get("Payment", [])
    linked = [
        p
        for p in payments
        if any(
            t.get("TxnId") == invoice["Id"]
            for line in p.get("Line", [])
            for t in line.get("LinkedTxn", [])
        )
    ]
    assert len(linked) == 1
    assert Decimal(str(linked[0]["TotalAmt"])) == Decimal("300.00")
    assert Decimal(str(invoice["Balance"])) == Decimal(str(invoice["TotalAmt"])) - 300
    again = world.svc.run(info.id)
    assert again.created == 0


def test_R12_bill_line_follows_the_quickbooks_item_expense_account(world):
    info = bills_to_quickbooks(world)
    bill_id = next(r["id"] for r in world.scoro_list("bills") if r["no"] == "B-502")
    scoro_accounts = {a["name"]: a["id"] for a in world.scoro_list("financeAccounts")}
    rebook_scoro_lines(world, "bills", bill_id, scoro_accounts["Office Expenses"])
    result = world.svc.run(info.id, [Category.BILLS])
    assert result.status in ("ok", "review"), result.message
    bill = qbo_bill(world, "B-502")
    detail = bill["Line"][0]["ItemBasedExpenseLineDetail"]
    item_id = detail["ItemRef"]["value"]
    item = world.qbo_query(ACME_REALM, f"select * from Item where Id = '{item_id}'")["Item"][0]
    names = {
        a["Id"]: a["Name"] for a in world.qbo_query(ACME_REALM, "select * from Account")["Account"]
    }
    expense = names[item["ExpenseAccountRef"]["value"]]
    assert expense != "Office Expenses"
    with world.env.scoro.store.lock:
        after = world.env.scoro.store.table("acme_ee", "bills")[bill_id]["lines"]
    names_by_id = {v: k for k, v in scoro_accounts.items()}
    assert [names_by_id[li["finance_account_id"]] for li in after] == [expense]
