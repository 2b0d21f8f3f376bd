"""The QuickBooks sandbox behaves like QBO where clients notice: server-filled fields, XSD types,
tax per rate with client overrides, projections, pseudo tax codes, what QBO accepts."""

# QBO query statements, not SQL.

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from qbsync_desktop.sandbox.quickbooks.clock import PACIFIC
from tests.fixtures.qbo_sandbox import QuickBooksClient

D = Decimal


def _rows(qbo: QuickBooksClient, entity: str, where: str = "") -> list[dict]:
    res = qbo.query(f"select * from {entity} {where} MAXRESULTS 1000")
    assert res.status_code == 200, res.text
    return qbo.json(res)["QueryResponse"].get(entity, [])


def _by_name(qbo: QuickBooksClient, entity: str, where: str = "") -> dict[str, dict]:
    return {r.get("DisplayName") or r.get("Name") or r["Id"]: r for r in _rows(qbo, entity, where)}


def _fault(res) -> dict:
    return res.json()["Fault"]["Error"][0]


def _ok(res, entity: str) -> dict:
    assert res.status_code == 200, res.text
    return QuickBooksClient.json(res)[entity]


def _settings(qbo: QuickBooksClient, **values) -> None:
    res = qbo.control("POST", "settings", values)
    assert res.status_code == 200, res.text


def _sales_line(item: dict, code: dict, amount: str, qty=None, price=None, **extra) -> dict:
    detail = {"ItemRef": {"value": item["Id"]}, "TaxCodeRef": {"value": code["Id"]}}
    if qty is not None:
        detail["Qty"] = D(qty)
    if price is not None:
        detail["UnitPrice"] = D(price)
    return {"DetailType": "SalesItemLineDetail", "Amount": D(amount),
            "SalesItemLineDetail": detail, **extra}  # fmt: skip


@pytest.fixture
def books(qbo):
    """Names the tests use in the demo (EE, VAT) company."""
    return {
        "customer": _by_name(qbo, "Customer")["Jaan Kask"],
        "item": _by_name(qbo, "Item")["Consulting hour"],
        "codes": _by_name(qbo, "TaxCode"),
        "rates": {r["Name"]: r for r in _rows(qbo, "TaxRate")},
        "vendor": next(iter(_by_name(qbo, "Vendor").values())),
        "accounts": _by_name(qbo, "Account"),
    }


def _invoice(qbo, books, lines, **extra) -> dict:
    body = {"CustomerRef": {"value": books["customer"]["Id"]}, "TxnDate": "2026-11-20",
            "Line": lines, **extra}  # fmt: skip
    return _ok(qbo.post("invoice", body), "Invoice")


def _tax_lines(doc: dict) -> dict[str, dict]:
    return {t["TaxLineDetail"]["TaxRateRef"]["value"]: t for t in doc["TxnTaxDetail"]["TaxLine"]}


# --------------------------------------------------------------------------- 6. tax


def test_vat_is_computed_on_the_total_per_rate_not_per_line(qbo, books):
    vat24, vat9 = books["codes"]["VAT24"], books["codes"]["VAT9"]
    item = books["item"]
    lines = [_sales_line(item, vat24, "0.02") for _ in range(3)]
    lines.append(_sales_line(item, vat9, "10.05"))
    inv = _invoice(qbo, books, lines)
    taxes = _tax_lines(inv)
    r24 = books["rates"]["VAT 24%"]["Id"]
    r9 = books["rates"]["VAT 9%"]["Id"]
    # Per line 0.02 * 24% rounds to 0.00 three times; on the rate's total 0.06 it is 0.01.
    assert taxes[r24]["Amount"] == D("0.01")
    assert taxes[r24]["TaxLineDetail"]["NetAmountTaxable"] == D("0.06")
    assert taxes[r9]["Amount"] == D("0.90")  # 10.05 * 9% = 0.9045
    assert inv["TxnTaxDetail"]["TotalTax"] == D("0.91")
    assert inv["TotalAmt"] == D("11.02") and inv["Balance"] == D("11.02")
    assert "OverrideDeltaAmount" not in taxes[r24]["TaxLineDetail"]


def test_vat_inclusive_takes_the_tax_out_of_the_rate_total(qbo, books):
    vat24 = books["codes"]["VAT24"]
    lines = [_sales_line(books["item"], vat24, "10.00") for _ in range(3)]
    inv = _invoice(qbo, books, lines, GlobalTaxCalculation="TaxInclusive")
    tax = _tax_lines(inv)[books["rates"]["VAT 24%"]["Id"]]
    # 30.00 * 24/124 = 5.806 → 5.81 (per line it would be 3 * 1.94 = 5.82).
    assert tax["Amount"] == D("5.81")
    assert tax["TaxLineDetail"]["NetAmountTaxable"] == D("24.19")
    assert inv["TxnTaxDetail"]["TotalTax"] == D("5.81")
    assert inv["TotalAmt"] == D("30.00")


def test_supplied_tax_amount_overrides_that_rate_only(qbo, books):
    vat24, vat9 = books["codes"]["VAT24"], books["codes"]["VAT9"]
    r24 = books["rates"]["VAT 24%"]["Id"]
    r9 = books["rates"]["VAT 9%"]["Id"]
    lines = [_sales_line(books["item"], vat24, "100.00"), _sales_line(books["item"], vat9, "50.00")]
    supplied = {"TxnTaxDetail": {"TotalTax": D("0"), "TaxLine": [{
        "Amount": D("23.99"), "DetailType": "TaxLineDetail",
        "TaxLineDetail": {"TaxRateRef": {"value": r24}, "PercentBased": True},
    }]}}  # fmt: skip
    inv = _invoice(qbo, books, lines, **supplied)
    taxes = _tax_lines(inv)
    assert taxes[r24]["Amount"] == D("23.99")
    assert taxes[r24]["TaxLineDetail"]["OverrideDeltaAmount"] == D("-0.01")
    assert taxes[r9]["Amount"] == D("4.50")
    assert "OverrideDeltaAmount" not in taxes[r9]["TaxLineDetail"]
    assert inv["TxnTaxDetail"]["TotalTax"] == D("28.49")
    assert inv["TotalAmt"] == D("178.49") and inv["Balance"] == D("178.49")
    read = _ok(qbo.get(f"invoice/{inv['Id']}"), "Invoice")
    assert _tax_lines(read)[r24]["TaxLineDetail"]["OverrideDeltaAmount"] == D("-0.01")

    # A sparse update with new lines and no TxnTaxDetail computes again.
    again = _ok(qbo.post("invoice", {"Id": inv["Id"], "SyncToken": inv["SyncToken"],
                                     "sparse": True, "Line": lines[:1]}), "Invoice")  # fmt: skip
    assert again["TxnTaxDetail"]["TotalTax"] == D("24.00")
    assert "OverrideDeltaAmount" not in _tax_lines(again)[r24]["TaxLineDetail"]

    _settings(qbo, tax_override="ignore")
    ignored = _invoice(qbo, books, lines, **supplied)
    assert ignored["TxnTaxDetail"]["TotalTax"] == D("28.50")
    assert ignored["TotalAmt"] == D("178.50")


def test_override_for_a_rate_no_line_uses_is_ignored(qbo, books):
    r9 = books["rates"]["VAT 9%"]["Id"]
    lines = [_sales_line(books["item"], books["codes"]["VAT24"], "100.00")]
    inv = _invoice(qbo, books, lines, TxnTaxDetail={"TaxLine": [{
        "Amount": D("7"), "DetailType": "TaxLineDetail",
        "TaxLineDetail": {"TaxRateRef": {"value": r9}},
    }]})  # fmt: skip
    assert r9 not in _tax_lines(inv)
    assert inv["TxnTaxDetail"]["TotalTax"] == D("24.00")


def test_us_company_keeps_the_supplied_total_tax(qbo_sandbox):
    us = QuickBooksClient(qbo_sandbox, qbo_sandbox.realm_ids[1])
    customer = _ok(us.post("customer", {"DisplayName": "Acme Inc"}), "Customer")
    income = next(a for a in _rows(us, "Account") if a["AccountType"] == "Income")
    item = _ok(us.post("item", {"Name": "Widget", "Type": "Service",
                                "IncomeAccountRef": {"value": income["Id"]}}), "Item")  # fmt: skip
    body = {"CustomerRef": {"value": customer["Id"]}, "TxnDate": "2026-11-20",
            "TxnTaxDetail": {"TotalTax": D("8.25")},
            "Line": [{"DetailType": "SalesItemLineDetail", "Amount": D("100"),
                      "SalesItemLineDetail": {"ItemRef": {"value": item["Id"]}}}]}  # fmt: skip
    inv = _ok(us.post("invoice", body), "Invoice")
    assert inv["TxnTaxDetail"]["TotalTax"] == D("8.25") and inv["TotalAmt"] == D("108.25")
    # Line tax code filled: a non-taxable item gets NON.
    assert inv["Line"][0]["SalesItemLineDetail"]["TaxCodeRef"]["value"] == "NON"


# --------------------------------------------------------------------------- 1. server-filled


def test_invoice_fills_terms_addresses_email_and_flags(qbo, books):
    addr = {"Line1": "Pikk 1", "City": "Tallinn", "PostalCode": "10123"}
    ship = {"Line1": "Lai 2", "City": "Tallinn"}
    customer = _ok(qbo.post("customer", {
        "DisplayName": "Terms Client OÜ", "BillAddr": addr, "ShipAddr": ship,
        "PrimaryEmailAddr": {"Address": "ap@terms.example"}, "SalesTermRef": {"value": "2"},
    }), "Customer")  # fmt: skip
    line = _sales_line(books["item"], books["codes"]["VAT24"], "95.00", "1", "95")
    body = {"CustomerRef": {"value": customer["Id"]}, "TxnDate": "2026-11-20", "Line": [line]}
    inv = _ok(qbo.post("invoice", body), "Invoice")
    assert inv["SalesTermRef"]["value"] == "2"
    assert inv["DueDate"] == "2026-12-05"  # Net 15
    assert inv["BillAddr"] == addr and inv["ShipAddr"] == ship
    assert inv["BillEmail"] == {"Address": "ap@terms.example"}
    assert inv["PrintStatus"] == "NotSet" and inv["EmailStatus"] == "NotSet"
    for flag in ("ApplyTaxAfterDiscount", "AllowOnlinePayment", "AllowOnlineCreditCardPayment",
                 "AllowOnlineACHPayment", "AllowIPNPayment"):  # fmt: skip
        assert inv[flag] is False, flag
    assert inv["LinkedTxn"] == []

    # Explicit terms win over the customer's; a full update without them fills them again.
    net30 = _ok(qbo.post("invoice", dict(body, SalesTermRef={"value": "3"})), "Invoice")
    assert net30["DueDate"] == "2026-12-20"
    full = _ok(qbo.post("invoice", dict(body, Id=inv["Id"], SyncToken=inv["SyncToken"])),
               "Invoice")  # fmt: skip
    assert full["DueDate"] == "2026-12-05" and full["BillAddr"] == addr
    assert full["EmailStatus"] == "NotSet" and full["LinkedTxn"] == []

    # No terms anywhere: due on the transaction date.
    plain = _invoice(qbo, books, [line])
    assert plain["DueDate"] == plain["TxnDate"] == "2026-11-20"
    assert "SalesTermRef" not in plain


def test_bill_fills_ap_account_due_date_billable_status(qbo, books):
    expense = next(a for a in books["accounts"].values() if a["AccountType"] == "Expense")
    vendor = _ok(qbo.post("vendor", {"DisplayName": "Terms Vendor OÜ",
                                     "TermRef": {"value": "4"}}), "Vendor")  # fmt: skip
    body = {
        "VendorRef": {"value": vendor["Id"]}, "TxnDate": "2026-11-20",
        "Line": [{"DetailType": "AccountBasedExpenseLineDetail", "Amount": D("10.00"),
                  "AccountBasedExpenseLineDetail": {
                      "AccountRef": {"value": expense["Id"]},
                      "TaxCodeRef": {"value": books["codes"]["VAT24"]["Id"]}}}],
    }  # fmt: skip
    bill = _ok(qbo.post("bill", body), "Bill")
    ap = next(a for a in books["accounts"].values() if a["AccountType"] == "Accounts Payable")
    assert bill["APAccountRef"]["value"] == ap["Id"]
    assert bill["DueDate"] == "2027-01-19"  # vendor's Net 60
    assert bill["Line"][0]["AccountBasedExpenseLineDetail"]["BillableStatus"] == "NotBillable"
    assert bill["LinkedTxn"] == []
    plain = _ok(qbo.post("bill", dict(body, VendorRef={"value": books["vendor"]["Id"]})), "Bill")
    assert plain["DueDate"] == "2026-11-20"


# --------------------------------------------------------------------------- 2. types


def test_values_of_the_wrong_type_are_refused_like_the_xsd(qbo, books):
    line = _sales_line(books["item"], books["codes"]["VAT24"], "95.00", "1", "95")
    base = {"CustomerRef": {"value": books["customer"]["Id"]}, "Line": [line]}
    for extra, element in (
        ({"TxnDate": "20.11.2026"}, "TxnDate"),
        ({"DueDate": "2026-02-30"}, "DueDate"),
        ({"AllowOnlinePayment": "yes"}, "AllowOnlinePayment"),
        ({"AllowOnlinePayment": 1}, "AllowOnlinePayment"),
    ):
        res = qbo.post("invoice", dict(base, **extra))
        assert res.status_code == 400, (extra, res.text)
        err = _fault(res)
        assert err["code"].startswith("2") and err["element"] == element, err
    bad_qty = dict(line, SalesItemLineDetail=dict(line["SalesItemLineDetail"], Qty="one"))
    err = _fault(qbo.post("invoice", dict(base, Line=[bad_qty])))
    assert err["element"] == "Line.SalesItemLineDetail.Qty"
    res = qbo.post("customer", {"DisplayName": "Yes Man OÜ", "Active": "yes"})
    assert res.status_code == 400 and _fault(res)["element"] == "Active"

    # What the XSD binding accepts is normalised to the real type.
    as_text = dict(line, Amount="95.00")
    inv = _ok(qbo.post("invoice", dict(base, ApplyTaxAfterDiscount="true", Line=[as_text])),
              "Invoice")  # fmt: skip
    assert inv["ApplyTaxAfterDiscount"] is True
    raw = qbo.get(f"invoice/{inv['Id']}").json()["Invoice"]
    assert isinstance(raw["TotalAmt"], (int, float)) and isinstance(raw["Line"][0]["Amount"], float)
    assert isinstance(raw["Id"], str) and isinstance(raw["SyncToken"], str)


def test_blank_typed_values_read_as_absent(qbo, books):
    # python-quickbooks sends "" for every unset date, amount and flag.
    line = _sales_line(books["item"], books["codes"]["VAT24"], "95.00", "1", "95")
    line["SalesItemLineDetail"]["ServiceDate"] = ""
    blanks = {"TxnDate": "", "DueDate": "", "ShipDate": "", "TotalAmt": "",
              "ApplyTaxAfterDiscount": ""}  # fmt: skip
    body = {"CustomerRef": {"value": books["customer"]["Id"]}, "Line": [line], **blanks}
    inv = _ok(qbo.post("invoice", body), "Invoice")
    assert inv["TxnDate"] == qbo.sandbox.clock.now().astimezone(PACIFIC).date().isoformat()
    assert inv["DueDate"] == inv["TxnDate"] and "ShipDate" not in inv
    assert inv["ApplyTaxAfterDiscount"] is False and inv["TotalAmt"] == D("117.80")
    assert "ServiceDate" not in inv["Line"][0]["SalesItemLineDetail"]
    _settings(qbo, blank_typed_values="error")
    res = qbo.post("invoice", dict(body, TxnDate="2026-11-20"))
    assert (
        res.status_code == 400 and _fault(res)["element"] == "Line.SalesItemLineDetail.ServiceDate"
    )


# --------------------------------------------------------------------------- 3. projections


def test_projection_query_returns_sparse_objects(qbo):
    res = qbo.query("SELECT Id, DisplayName FROM Customer MAXRESULTS 5")
    rows = qbo.json(res)["QueryResponse"]["Customer"]
    assert rows and all(set(r) == {"Id", "DisplayName", "domain", "sparse"} for r in rows)
    assert all(r["sparse"] is True for r in rows)
    nested = qbo.json(qbo.query("SELECT Id, MetaData.LastUpdatedTime FROM Invoice MAXRESULTS 2"))
    first = nested["QueryResponse"]["Invoice"][0]
    assert set(first["MetaData"]) == {"LastUpdatedTime"}
    full = qbo.json(qbo.query("SELECT *, Sku FROM Item MAXRESULTS 2"))["QueryResponse"]["Item"]
    assert full[0]["sparse"] is False and "IncomeAccountRef" in full[0]
    _settings(qbo, query_projection="full")
    whole = qbo.json(qbo.query("SELECT Id, DisplayName FROM Customer MAXRESULTS 1"))
    assert "CurrencyRef" in whole["QueryResponse"]["Customer"][0]


# --------------------------------------------------------------------------- 4. pseudo codes


def test_us_pseudo_tax_codes_have_no_version_or_status(qbo_sandbox):
    us = QuickBooksClient(qbo_sandbox, qbo_sandbox.realm_ids[1])
    for code in ("TAX", "NON"):
        obj = _ok(us.get(f"taxcode/{code}"), "TaxCode")
        assert obj["Id"] == code
        assert not {"SyncToken", "domain", "sparse", "Active"} & set(obj), obj
    listed = _rows(us, "TaxCode")
    assert {c["Id"] for c in listed} >= {"TAX", "NON"}
    assert all("SyncToken" not in c for c in listed if c["Id"] in ("TAX", "NON"))


# --------------------------------------------------------------------------- 5. lenient


def test_zero_qty_and_price_defaults_are_not_given(qbo, books):
    line = _sales_line(books["item"], books["codes"]["VAT24"], "50.00", "0", "0")
    inv = _invoice(qbo, books, [line])
    detail = inv["Line"][0]["SalesItemLineDetail"]
    assert inv["Line"][0]["Amount"] == D("50.00") and "Qty" not in detail
    wrong = _sales_line(books["item"], books["codes"]["VAT24"], "50.00", "2", "0")
    res = qbo.post("invoice", {"CustomerRef": {"value": books["customer"]["Id"]},
                               "Line": [wrong]})  # fmt: skip
    assert res.status_code == 400 and _fault(res)["code"] == "6070"


def test_account_type_is_inferred_from_the_subtype(qbo):
    acct = _ok(qbo.post("account", {"Name": "Rainy day", "AccountSubType": "Savings"}), "Account")
    assert acct["AccountType"] == "Bank" and acct["Classification"] == "Asset"
    res = qbo.post("account", {"Name": "Mystery", "AccountSubType": "NoSuchSubtype"})
    assert res.status_code == 400


# --------------------------------------------------------------------------- 7. objects


def test_inventory_item_rules(qbo, books):
    accounts = books["accounts"]
    body = {
        "Name": "Gadget", "Type": "Inventory", "UnitPrice": D("20"), "QtyOnHand": D("5"),
        "InvStartDate": "2026-01-01", "TrackQtyOnHand": True,
        "IncomeAccountRef": {"value": next(a["Id"] for a in accounts.values()
                                           if a["AccountType"] == "Income")},
        "ExpenseAccountRef": {"value": next(a["Id"] for a in accounts.values()
                                            if a["AccountType"] == "Cost of Goods Sold")},
    }  # fmt: skip
    res = qbo.post("item", body)
    assert res.status_code == 400 and _fault(res)["element"] == "AssetAccountRef"
    body["AssetAccountRef"] = {"value": accounts["Inventory Asset"]["Id"]}
    item = _ok(qbo.post("item", body), "Item")
    assert item["TrackQtyOnHand"] is True and item["QtyOnHand"] == D("5")
    assert item["InvStartDate"] == "2026-01-01"
    res = qbo.post("item", {"Id": item["Id"], "SyncToken": item["SyncToken"], "sparse": True,
                            "Type": "NonInventory"})  # fmt: skip
    assert res.status_code == 400 and _fault(res)["code"] == "6000"


def test_credit_card_bill_payment_applies_a_vendor_credit(qbo, books):
    accounts = books["accounts"]
    expense = next(a for a in accounts.values() if a["AccountType"] == "Expense")
    vendor = books["vendor"]
    vat = books["codes"]["VAT0"]

    def expense_doc(entity: str, amount: str) -> dict:
        return _ok(qbo.post(entity.lower(), {
            "VendorRef": {"value": vendor["Id"]}, "TxnDate": "2026-11-20",
            "Line": [{"DetailType": "AccountBasedExpenseLineDetail", "Amount": D(amount),
                      "AccountBasedExpenseLineDetail": {"AccountRef": {"value": expense["Id"]},
                                                        "TaxCodeRef": {"value": vat["Id"]}}}],
        }), entity)  # fmt: skip

    bill = expense_doc("Bill", "100.00")
    credit = expense_doc("VendorCredit", "30.00")
    assert credit["Balance"] == D("30.00") and credit["APAccountRef"]["value"]
    card = accounts["Company credit card"]
    body = {
        "VendorRef": {"value": vendor["Id"]}, "PayType": "CreditCard", "TotalAmt": D("70.00"),
        "CreditCardPayment": {"CCAccountRef": {"value": card["Id"]}},
        "Line": [
            {"Amount": D("100.00"), "LinkedTxn": [{"TxnId": bill["Id"], "TxnType": "Bill"}]},
            {"Amount": D("30.00"),
             "LinkedTxn": [{"TxnId": credit["Id"], "TxnType": "VendorCredit"}]},
        ],
    }  # fmt: skip
    bank = next(a for a in accounts.values() if a["AccountType"] == "Bank")
    wrong = dict(body, CreditCardPayment={"CCAccountRef": {"value": bank["Id"]}})
    assert qbo.post("billpayment", wrong).status_code == 400
    paid = _ok(qbo.post("billpayment", body), "BillPayment")
    assert paid["CreditCardPayment"]["CCAccountRef"]["value"] == card["Id"]
    after_bill = _ok(qbo.get(f"bill/{bill['Id']}"), "Bill")
    after_credit = _ok(qbo.get(f"vendorcredit/{credit['Id']}"), "VendorCredit")
    assert after_bill["Balance"] == D("0.00") and after_credit["Balance"] == D("0.00")
    assert after_credit["LinkedTxn"] == [{"TxnId": paid["Id"], "TxnType": "BillPayment"}]


def test_bundle_percent_discount_and_custom_fields(qbo, books):
    vat24 = books["codes"]["VAT24"]
    item = books["item"]
    custom = [{"DefinitionId": "1", "Name": "Crew #", "Type": "StringType", "StringValue": "7"}]
    lines = [
        {"DetailType": "GroupLineDetail", "GroupLineDetail": {
            "GroupItemRef": {"value": item["Id"]}, "Quantity": D("1"),
            "Line": [_sales_line(item, vat24, "95.00", "1", "95"),
                     _sales_line(item, vat24, "5.00", "1", "5")]}},
        {"DetailType": "DiscountLineDetail",
         "DiscountLineDetail": {"PercentBased": True, "DiscountPercent": D("10")}},
    ]  # fmt: skip
    inv = _invoice(qbo, books, lines, CustomField=custom)
    group, discount = inv["Line"][0], inv["Line"][1]
    assert group["Amount"] == D("100.00")
    assert [ln["Amount"] for ln in group["GroupLineDetail"]["Line"]] == [D("95.00"), D("5.00")]
    assert discount["Amount"] == D("10.00")
    assert discount["DiscountLineDetail"]["DiscountAccountRef"]["name"] == "Discounts given"
    # Tax before discount (ApplyTaxAfterDiscount false): 24% of 100.
    assert inv["TxnTaxDetail"]["TotalTax"] == D("24.00")
    assert inv["TotalAmt"] == D("114.00")
    assert inv["CustomField"] == custom
    after = _invoice(qbo, books, lines, ApplyTaxAfterDiscount=True)
    assert after["TxnTaxDetail"]["TotalTax"] == D("21.60") and after["TotalAmt"] == D("111.60")


def test_expense_line_billable_fields_are_kept(qbo, books):
    project = next(c for c in _rows(qbo, "Customer") if c.get("IsProject"))
    expense = next(a for a in books["accounts"].values() if a["AccountType"] == "Expense")
    markup = {"PercentBased": True, "Percent": D("10")}
    detail = {"AccountRef": {"value": expense["Id"]}, "TaxCodeRef": {"value":
              books["codes"]["VAT24"]["Id"]}, "CustomerRef": {"value": books["customer"]["Id"]},
              "BillableStatus": "Billable", "MarkupInfo": markup}  # fmt: skip
    bill = _ok(qbo.post("bill", {
        "VendorRef": {"value": books["vendor"]["Id"]}, "TxnDate": "2026-11-20",
        "Line": [{"DetailType": "AccountBasedExpenseLineDetail", "Amount": D("40.00"),
                  "ProjectRef": {"value": project["Id"]},
                  "AccountBasedExpenseLineDetail": detail}],
    }), "Bill")  # fmt: skip
    line = bill["Line"][0]
    kept = line["AccountBasedExpenseLineDetail"]
    assert kept["CustomerRef"]["value"] == books["customer"]["Id"]
    assert kept["BillableStatus"] == "Billable" and kept["MarkupInfo"] == markup
    assert line["ProjectRef"]["value"] == project["Id"]


# --------------------------------------------------------------------------- 8. seed


def test_seed_has_payment_methods_terms_inventory_and_card_accounts(qbo):
    methods = _by_name(qbo, "PaymentMethod")
    assert {"Cash", "Check", "Visa", "MasterCard", "American Express"} <= set(methods)
    assert methods["Visa"]["Type"] == "CREDIT_CARD"
    assert _ok(qbo.get("term/3"), "Term")["Name"] == "Net 30"
    accounts = _by_name(qbo, "Account")
    asset = accounts["Inventory Asset"]
    assert (asset["AccountType"], asset["AccountSubType"]) == ("Other Current Asset", "Inventory")
    assert accounts["Company credit card"]["AccountType"] == "Credit Card"
    stock = [i for i in _rows(qbo, "Item") if i["Type"] == "Inventory"]
    assert stock and stock[0]["AssetAccountRef"]["value"] == asset["Id"]


# --------------------------------------------------------------------------- 9. endpoints


def _cells(row: dict) -> list[str]:
    return [c["value"] for c in row["ColData"]]


def _summary(section: dict) -> D:
    return D(section["Summary"]["ColData"][-1]["value"])


def test_reports_have_qbo_shape_and_add_up(qbo):
    today = qbo.sandbox.clock.now().date()
    args = {"start_date": f"{today.year - 2}-01-01", "end_date": today.isoformat()}
    pnl = qbo.get("reports/ProfitAndLoss", **args).json()
    assert set(pnl) == {"Header", "Columns", "Rows"}
    assert pnl["Header"]["ReportName"] == "ProfitAndLoss"
    assert pnl["Header"]["StartPeriod"] == args["start_date"]
    assert [c["ColType"] for c in pnl["Columns"]["Column"]] == ["Account", "Money"]
    groups = {r["group"]: r for r in pnl["Rows"]["Row"]}
    income = groups["Income"]
    assert income["Rows"]["Row"] and income["Rows"]["Row"][0]["ColData"][0].get("id")
    assert D(sum((D(_cells(r)[1]) for r in income["Rows"]["Row"]), D(0))) == _summary(income)

    sheet = qbo.get("reports/BalanceSheet", end_date=today.isoformat()).json()
    assets, rest = sheet["Rows"]["Row"]
    assert _summary(assets) == _summary(rest) != 0

    # Far ahead, so documents dated after the sandbox's today count as they do in Balance.
    aged = qbo.get("reports/AgedReceivables", report_date="2100-01-01").json()
    cols = [c["ColTitle"] for c in aged["Columns"]["Column"]]
    assert cols == ["", "Current", "1 - 30", "31 - 60", "61 - 90", "91 and over", "Total"]
    balances = qbo.get("reports/CustomerBalance", report_date="2100-01-01").json()
    grand = balances["Rows"]["Row"][-1]
    assert D(aged["Rows"]["Row"][-1]["Summary"]["ColData"][-1]["value"]) == _summary(grand)
    # Report amounts are in home currency; a home-currency customer's row is its Balance.
    customers = _rows(qbo, "Customer", "WHERE Active IN (true, false)")
    home = {c["Id"]: c["Balance"] for c in customers if c["CurrencyRef"]["value"] == "EUR"}
    rows = {r["ColData"][0]["id"]: D(r["ColData"][1]["value"])
            for r in balances["Rows"]["Row"][:-1]}  # fmt: skip
    assert home and all(rows.get(cid, D(0)) == bal for cid, bal in home.items())
    assert qbo.get("reports/NoSuchReport").status_code == 400


def test_invoice_send_marks_it_sent_and_counts_emails(qbo, books):
    line = _sales_line(books["item"], books["codes"]["VAT24"], "95.00", "1", "95")
    inv = _invoice(qbo, books, [line])
    res = qbo.post(f"invoice/{inv['Id']}/send", data="", headers={
        "Content-Type": "application/octet-stream"}, sendTo="boss@client.example")  # fmt: skip
    sent = _ok(res, "Invoice")
    assert sent["EmailStatus"] == "EmailSent"
    assert sent["BillEmail"]["Address"] == "boss@client.example"
    assert sent["DeliveryInfo"]["DeliveryType"] == "Email"
    assert dt.datetime.fromisoformat(sent["DeliveryInfo"]["DeliveryTime"])
    assert int(sent["SyncToken"]) == int(inv["SyncToken"]) + 1
    # The status survives a later update that doesn't mention it.
    edited = _ok(qbo.post("invoice", {"Id": inv["Id"], "SyncToken": sent["SyncToken"],
                                      "sparse": True, "PrivateNote": "x"}), "Invoice")  # fmt: skip
    assert edited["EmailStatus"] == "EmailSent"
    _settings(qbo, emails_per_day=1)
    again = qbo.post(f"invoice/{inv['Id']}/send", data="", sendTo="boss@client.example")
    assert again.status_code == 400 and _fault(again)["code"] == "6000"
