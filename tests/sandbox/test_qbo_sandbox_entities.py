"""The QuickBooks sandbox's entity rules, over real HTTP (docs/sandbox.md)."""

# QBO query statements, not SQL.

from __future__ import annotations

from decimal import Decimal

from tests.fixtures.qbo_sandbox import QuickBooksClient


def _ids(qbo: QuickBooksClient, entity: str, where: str = "") -> dict[str, dict]:
    res = qbo.query(f"select * from {entity} {where} MAXRESULTS 1000")
    rows = qbo.json(res)["QueryResponse"].get(entity, [])
    return {r.get("DisplayName") or r.get("Name") or r.get("DocNumber") or r["Id"]: r for r in rows}


def _fault(res) -> dict:
    body = res.json()
    return body["Fault"]["Error"][0]


def _invoice_body(
    qbo: QuickBooksClient,
    customer: str = "Jaan Kask",
    qty="2",
    price="95.00",
    amount="190.00",
    **extra,
) -> dict:
    customers = _ids(qbo, "Customer")
    items = _ids(qbo, "Item")
    codes = _ids(qbo, "TaxCode")
    body = {
        "CustomerRef": {"value": customers[customer]["Id"]},
        "TxnDate": "2026-11-20",
        "Line": [
            {
                "DetailType": "SalesItemLineDetail",
                "Amount": Decimal(amount),
                "SalesItemLineDetail": {
                    "ItemRef": {"value": items["Consulting hour"]["Id"]},
                    "Qty": Decimal(qty),
                    "UnitPrice": Decimal(price),
                    "TaxCodeRef": {"value": codes["VAT24"]["Id"]},
                },
            }
        ],
    }
    body.update(extra)
    return body


def test_create_read_sparse_and_full_update(qbo):
    res = qbo.post(
        "customer",
        {"DisplayName": "Sparse Test OÜ", "CompanyName": "Sparse Test OÜ", "Notes": "first"},
    )
    assert res.status_code == 200, res.text
    assert res.headers["intuit_tid"]
    body = qbo.json(res)
    assert "time" in body
    created = body["Customer"]
    assert created["Id"].isdigit() and created["SyncToken"] == "0"
    assert created["CurrencyRef"]["value"] == "EUR"  # home currency by default
    assert created["MetaData"]["CreateTime"] == created["MetaData"]["LastUpdatedTime"]

    sparse = qbo.post(
        "customer", {"Id": created["Id"], "SyncToken": "0", "sparse": True, "Notes": "second"}
    )
    assert sparse.status_code == 200, sparse.text
    updated = qbo.json(sparse)["Customer"]
    assert updated["SyncToken"] == "1" and updated["Notes"] == "second"
    assert updated["CompanyName"] == "Sparse Test OÜ"

    full = qbo.post(
        "customer", {"Id": created["Id"], "SyncToken": "1", "DisplayName": "Sparse Test OÜ"}
    )
    after = qbo.json(full)["Customer"]
    assert after["SyncToken"] == "2"
    assert "Notes" not in after and "CompanyName" not in after  # full update clears omitted

    read = qbo.json(qbo.get(f"customer/{created['Id']}"))["Customer"]
    assert read == after


def test_stale_sync_token_is_5010(qbo):
    created = qbo.json(qbo.post("vendor", {"DisplayName": "Stale Vendor"}))["Vendor"]
    ok = qbo.post("vendor", {"Id": created["Id"], "SyncToken": "0", "sparse": True, "Notes": "x"})
    assert ok.status_code == 200
    stale = qbo.post(
        "vendor", {"Id": created["Id"], "SyncToken": "0", "sparse": True, "Notes": "y"}
    )
    assert stale.status_code == 400
    err = _fault(stale)
    assert err["code"] == "5010" and err["Message"] == "Stale Object Error"
    assert stale.json()["Fault"]["type"] == "ValidationFault"


def test_display_name_unique_across_customer_vendor_employee(qbo):
    for entity, name in (
        ("vendor", "Jaan Kask"),
        ("customer", "Telia Eesti AS"),
        ("customer", "kadri mets"),
    ):
        res = qbo.post(entity, {"DisplayName": name})
        assert res.status_code == 400, (entity, name)
        assert _fault(res)["code"] == "6240"
        assert _fault(res)["Message"] == "Duplicate Name Exists Error"
    # the " (v)" convention is how a contact can be both
    assert qbo.post("vendor", {"DisplayName": "Jaan Kask (v)"}).status_code == 200


def test_duplicate_docnumber_6140_unless_allowed(qbo):
    body = _invoice_body(qbo, DocNumber="Q-2001")
    res = qbo.post("invoice", body)
    assert res.status_code == 400
    err = _fault(res)
    assert err["code"] == "6140" and "DocNumber=Q-2001" in err["Detail"]
    ok = qbo.post("invoice", body, include="allowduplicatedocnum")
    assert ok.status_code == 200, ok.text


def test_amount_must_equal_qty_times_price_6070(qbo):
    res = qbo.post("invoice", _invoice_body(qbo, qty="3", price="19.33", amount="58"))
    err = _fault(res)
    assert res.status_code == 400 and err["code"] == "6070"
    assert err["element"] == "Line.Amount"
    assert "Supplied value:58" in err["Detail"]


def test_invoice_totals_tax_and_exact_decimals(qbo):
    res = qbo.post("invoice", _invoice_body(qbo, qty="3", price="0.10", amount="0.30"))
    assert res.status_code == 200, res.text
    assert '"TotalAmt":0.37' in res.text  # 0.30 + 24 % VAT 0.072 → 0.07, never a float artefact
    invoice = qbo.json(res)["Invoice"]
    assert invoice["TxnTaxDetail"]["TotalTax"] == Decimal("0.07")
    assert invoice["Balance"] == invoice["TotalAmt"]
    assert invoice["DocNumber"]  # numbered by QuickBooks when not given
    assert invoice["Line"][-1]["DetailType"] == "SubTotalLineDetail"


def test_currency_rules(qbo_sandbox_factory):
    sb = qbo_sandbox_factory(size="small")
    qbo = QuickBooksClient(sb)
    usd = qbo.json(
        qbo.post("customer", {"DisplayName": "Yankee Inc", "CurrencyRef": {"value": "USD"}})
    )["Customer"]
    assert usd["CurrencyRef"]["value"] == "USD"
    change = qbo.post(
        "customer",
        {"Id": usd["Id"], "SyncToken": "0", "sparse": True, "CurrencyRef": {"value": "EUR"}},
    )
    assert change.status_code == 400 and _fault(change)["element"] == "CurrencyRef"
    # a Müller GmbH invoice (customer in EUR) in USD is refused
    mismatch = qbo.post(
        "invoice", _invoice_body(qbo, customer="Müller GmbH", CurrencyRef={"value": "USD"})
    )
    assert mismatch.status_code == 400 and _fault(mismatch)["element"] == "CurrencyRef"
    ok = qbo.post("invoice", _invoice_body(qbo, customer="Yankee Inc"))
    assert ok.status_code == 200, ok.text
    inv = qbo.json(ok)["Invoice"]
    assert inv["CurrencyRef"]["value"] == "USD" and inv["ExchangeRate"] > 0
    assert "HomeTotalAmt" in inv
    # realm 2 has multicurrency off: foreign currency is refused
    us = QuickBooksClient(sb, sb.realm_ids[1])
    refused = us.post("customer", {"DisplayName": "Euro GmbH", "CurrencyRef": {"value": "EUR"}})
    assert refused.status_code == 400 and "Multicurrency" in _fault(refused)["Detail"]


def test_invalid_and_inactive_references(qbo):
    bad = qbo.post("invoice", _invoice_body(qbo) | {"CustomerRef": {"value": "999999"}})
    assert bad.status_code == 400 and _fault(bad)["code"] == "2500"
    body = _invoice_body(qbo)
    codes = _ids(qbo, "TaxCode", "where Active IN (true, false)")
    body["Line"][0]["SalesItemLineDetail"]["TaxCodeRef"] = {"value": codes["VAT22"]["Id"]}
    inactive = qbo.post("invoice", body)
    assert inactive.status_code == 400 and _fault(inactive)["code"] == "610"
    missing = qbo.get("invoice/424242")
    assert missing.status_code == 400 and _fault(missing)["code"] == "610"


def test_unknown_field_and_missing_line(qbo):
    res = qbo.post("customer", {"DisplayName": "Field Test", "Nickname": "x"})
    assert res.status_code == 400 and _fault(res)["code"] == "2010"
    body = _invoice_body(qbo)
    body["Line"] = []
    res = qbo.post("invoice", body)
    assert res.status_code == 400 and _fault(res)["code"] == "2020"


def test_payment_reduces_balance_and_bumps_invoice(qbo):
    invoice = qbo.json(qbo.post("invoice", _invoice_body(qbo)))["Invoice"]
    total = invoice["TotalAmt"]
    pay = qbo.post(
        "payment",
        {
            "CustomerRef": invoice["CustomerRef"],
            "TotalAmt": Decimal("100.00"),
            "Line": [
                {
                    "Amount": Decimal("100.00"),
                    "LinkedTxn": [{"TxnId": invoice["Id"], "TxnType": "Invoice"}],
                }
            ],
        },
    )
    assert pay.status_code == 200, pay.text
    after = qbo.json(qbo.get(f"invoice/{invoice['Id']}"))["Invoice"]
    assert after["Balance"] == total - Decimal("100.00")
    assert after["SyncToken"] == "1"
    payment = qbo.json(pay)["Payment"]
    assert after["LinkedTxn"] == [{"TxnId": payment["Id"], "TxnType": "Payment"}]
    over = qbo.post(
        "payment",
        {
            "CustomerRef": invoice["CustomerRef"],
            "TotalAmt": Decimal("9999"),
            "Line": [
                {
                    "Amount": Decimal("9999"),
                    "LinkedTxn": [{"TxnId": invoice["Id"], "TxnType": "Invoice"}],
                }
            ],
        },
    )
    assert over.status_code == 400
    # deleting the payment restores the balance
    gone = qbo.post(
        "payment", {"Id": payment["Id"], "SyncToken": payment["SyncToken"]}, operation="delete"
    )
    assert gone.status_code == 200
    assert qbo.json(gone)["Payment"]["status"] == "Deleted"
    restored = qbo.json(qbo.get(f"invoice/{invoice['Id']}"))["Invoice"]
    assert restored["Balance"] == total and restored["LinkedTxn"] == []


def test_bill_and_billpayment(qbo):
    vendors = _ids(qbo, "Vendor")
    accounts = _ids(qbo, "Account")
    codes = _ids(qbo, "TaxCode")
    bill = qbo.post(
        "bill",
        {
            "VendorRef": {"value": vendors["Telia Eesti AS"]["Id"]},
            "DocNumber": "T-9000",
            "Line": [
                {
                    "DetailType": "AccountBasedExpenseLineDetail",
                    "Amount": Decimal("10.00"),
                    "AccountBasedExpenseLineDetail": {
                        "AccountRef": {"value": accounts["Office Expenses"]["Id"]},
                        "TaxCodeRef": {"value": codes["VAT9"]["Id"]},
                    },
                }
            ],
        },
    )
    assert bill.status_code == 200, bill.text
    bill = qbo.json(bill)["Bill"]
    assert bill["TotalAmt"] == Decimal("10.90")
    paid = qbo.post(
        "billpayment",
        {
            "VendorRef": bill["VendorRef"],
            "PayType": "Check",
            "TotalAmt": Decimal("10.90"),
            "CheckPayment": {"BankAccountRef": {"value": accounts["Bank"]["Id"]}},
            "Line": [
                {
                    "Amount": Decimal("10.90"),
                    "LinkedTxn": [{"TxnId": bill["Id"], "TxnType": "Bill"}],
                }
            ],
        },
    )
    assert paid.status_code == 200, paid.text
    assert qbo.json(qbo.get(f"bill/{bill['Id']}"))["Bill"]["Balance"] == 0
    # a bill with a payment can't be deleted; the payment can be voided
    blocked = qbo.post("bill", {"Id": bill["Id"], "SyncToken": "1"}, operation="delete")
    assert blocked.status_code == 400
    bp = qbo.json(paid)["BillPayment"]
    voided = qbo.post(
        "billpayment",
        {"Id": bp["Id"], "SyncToken": bp["SyncToken"], "sparse": True},
        operation="update",
        include="void",
    )
    assert voided.status_code == 200, voided.text
    assert qbo.json(voided)["BillPayment"]["TotalAmt"] == 0
    assert qbo.json(qbo.get(f"bill/{bill['Id']}"))["Bill"]["Balance"] == Decimal("10.90")


def test_void_invoice_and_name_lists_not_deletable(qbo):
    invoice = qbo.json(qbo.post("invoice", _invoice_body(qbo)))["Invoice"]
    res = qbo.post("invoice", {"Id": invoice["Id"], "SyncToken": "0"}, operation="void")
    assert res.status_code == 200, res.text
    voided = qbo.json(res)["Invoice"]
    assert voided["TotalAmt"] == 0 and voided["Balance"] == 0 and "Voided" in voided["PrivateNote"]
    customer = _ids(qbo, "Customer")["Jaan Kask"]
    res = qbo.post(
        "customer", {"Id": customer["Id"], "SyncToken": customer["SyncToken"]}, operation="delete"
    )
    assert res.status_code == 400 and _fault(res)["code"] == "500"


def test_projects_are_read_only_customers(qbo):
    projects = _ids(qbo, "Customer", "where IsProject = true")
    assert {"Website redesign", "ERP rollout", "Annual audit"} <= set(projects)
    audit = projects["Annual audit"]
    assert audit["Job"] is True and audit["FullyQualifiedName"] == "Jaan Kask:Annual audit"
    res = qbo.post(
        "customer",
        {"Id": audit["Id"], "SyncToken": audit["SyncToken"], "sparse": True, "Notes": "x"},
    )
    assert res.status_code == 400
    made = qbo.json(qbo.post("customer", {"DisplayName": "Not A Project", "IsProject": True}))
    assert made["Customer"]["IsProject"] is False
    # the control plane creates projects the way a QuickBooks user would
    res = qbo.control(
        "POST",
        f"objects/{qbo.realm_id}/Customer",
        {
            "DisplayName": "Phase 2",
            "IsProject": True,
            "ParentRef": {"value": _ids(qbo, "Customer")["Müller GmbH"]["Id"]},
        },
    )
    assert res.status_code == 200, res.text
    assert res.json()["Customer"]["IsProject"] is True


def test_control_plane_edit_bumps_sync_token(qbo):
    customer = _ids(qbo, "Customer")["Jaan Kask"]
    before = customer["SyncToken"]
    res = qbo.control(
        "POST",
        f"objects/{qbo.realm_id}/Customer",
        {"Id": customer["Id"], "Notes": "edited in QuickBooks"},
    )
    assert res.status_code == 200, res.text
    assert int(res.json()["Customer"]["SyncToken"]) == int(before) + 1
    stale = qbo.post(
        "customer",
        {"Id": customer["Id"], "SyncToken": before, "sparse": True, "Notes": "from the app"},
    )
    assert _fault(stale)["code"] == "5010"


def test_companyinfo_preferences_and_minorversion(qbo):
    info = qbo.json(qbo.get(f"companyinfo/{qbo.realm_id}", minorversion="40"))["CompanyInfo"]
    assert info["Id"] == qbo.realm_id and info["CompanyName"]
    prefs = qbo.json(qbo.get("preferences", minorversion="75"))["Preferences"]
    assert prefs["CurrencyPrefs"]["HomeCurrency"]["value"] == "EUR"
    assert prefs["CurrencyPrefs"]["MultiCurrencyEnabled"] is True
    assert prefs["AccountingInfoPrefs"]["ClassTrackingPerTxnLine"] is True
    assert qbo.get("Customer/1").status_code == 400  # resource paths are case sensitive


def test_customer_balance_follows_its_invoices_when_one_moves(qbo):
    def balance(name: str) -> Decimal:
        return _ids(qbo, "Customer")[name]["Balance"]

    names = [n for n in _ids(qbo, "Customer") if n != "Jaan Kask"][:1]
    other = names[0]
    start_jaan, start_other = balance("Jaan Kask"), balance(other)
    made = qbo.json(qbo.post("invoice", _invoice_body(qbo)))["Invoice"]
    assert balance("Jaan Kask") == start_jaan + made["TotalAmt"]
    moved = {**made, "CustomerRef": {"value": _ids(qbo, "Customer")[other]["Id"]}}
    res = qbo.post("invoice", moved)
    assert res.status_code == 200, res.text
    assert balance("Jaan Kask") == start_jaan
    assert balance(other) == start_other + made["TotalAmt"]
