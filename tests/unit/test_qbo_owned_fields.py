"""The sparse update sends only what we own and changed, laid over QuickBooks' copy; reads hold
only the one row they cannot trust. Payloads are shaped like Intuit's documented examples."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from qbsync_desktop.domain import Allocation, Kind, Ref, Side
from qbsync_desktop.domain.errors import MalformedRecord, NotRepresentable
from qbsync_desktop.quickbooks.mapping import MappingContext, to_domain, update_payload

CTX = MappingContext(home_currency="USD")


def _update(kind: Kind, raw: dict, **changes):
    current = to_domain(kind, raw, CTX)
    return update_payload(kind, current.replace(**changes), current, raw, CTX, label="It")


INVENTORY = {
    "Id": "11", "SyncToken": "2", "Name": "Pump", "Type": "Inventory", "TrackQtyOnHand": True,
    "QtyOnHand": 25, "InvStartDate": "2024-01-01", "UnitPrice": 15,
    "IncomeAccountRef": {"value": "79"}, "ExpenseAccountRef": {"value": "80"},
    "AssetAccountRef": {"value": "81"}, "Sku": "P-1",
}  # fmt: skip


def test_inventory_item_update_sends_only_the_new_price():
    body = _update(Kind.PRODUCT, INVENTORY, unit_price=Decimal("17.50"), is_service=True)
    assert body == {"UnitPrice": Decimal("17.50"), "Id": "11", "SyncToken": "2", "sparse": True}


def test_unchanged_record_sends_nothing():
    assert _update(Kind.PRODUCT, INVENTORY) is None


CUSTOMER = {
    "Id": "58", "SyncToken": "3", "DisplayName": "Bird Sanctuary",
    "CompanyName": "Amy's Bird Sanctuary LLC", "Notes": "VIP",
    "BillAddr": {"Id": "7", "Line1": "4581 Finch St.", "Line2": "Suite 2", "City": "Bayshore"},
}  # fmt: skip


def test_company_name_of_its_own_is_never_overwritten():
    body = _update(Kind.CUSTOMER, CUSTOMER, name="Bird Sanctuary Ltd")
    assert body["DisplayName"] == "Bird Sanctuary Ltd"
    assert "CompanyName" not in body and "Notes" not in body


def test_company_name_follows_a_rename_while_it_was_the_display_name():
    raw = {**CUSTOMER, "CompanyName": "Bird Sanctuary"}
    body = _update(Kind.CUSTOMER, raw, name="Bird Sanctuary Ltd")
    assert body["CompanyName"] == "Bird Sanctuary Ltd"


def test_address_change_keeps_the_address_id_and_the_lines_we_do_not_map():
    current = to_domain(Kind.CUSTOMER, CUSTOMER, CTX)
    moved = current.address.__class__(street="1 New Rd", city="Bayshore")
    body = update_payload(Kind.CUSTOMER, current.replace(address=moved), current, CUSTOMER, CTX)
    assert body["BillAddr"] == {"Id": "7", "Line1": "1 New Rd", "Line2": "Suite 2",
                                "City": "Bayshore"}  # fmt: skip


CARD_PAYMENT = {
    "Id": "90", "SyncToken": "0", "VendorRef": {"value": "41"}, "PayType": "CreditCard",
    "CreditCardPayment": {"CCAccountRef": {"value": "42", "name": "Visa"}}, "TotalAmt": 100,
    "TxnDate": "2024-05-01",
    "Line": [{"Amount": 100, "LinkedTxn": [{"TxnId": "7", "TxnType": "Bill"}]}],
}  # fmt: skip


def test_card_bill_payment_stays_a_card_payment():
    body = _update(
        Kind.BILL_PAYMENT, CARD_PAYMENT, account=Ref(Kind.ACCOUNT, Side.QBO, "43"), reference="X"
    )
    assert "PayType" not in body and "CheckPayment" not in body
    assert body["CreditCardPayment"]["CCAccountRef"] == {"value": "43"}


def test_bill_payment_linked_to_a_vendor_credit_is_held_when_its_lines_would_change():
    raw = {**CARD_PAYMENT, "Line": [
        *CARD_PAYMENT["Line"],
        {"Amount": 20, "LinkedTxn": [{"TxnId": "8", "TxnType": "VendorCredit"}]}]}  # fmt: skip
    record = to_domain(Kind.BILL_PAYMENT, raw, CTX)
    assert record.unsupported == ("a line applied to a vendor credit",)
    assert _update(Kind.BILL_PAYMENT, raw, reference="PAY-7")["DocNumber"] == "PAY-7"
    moved = (Allocation(Ref(Kind.BILL, Side.QBO, "7"), Decimal(90)),)
    with pytest.raises(NotRepresentable, match="vendor credit"):
        _update(Kind.BILL_PAYMENT, raw, allocations=moved)


BILL = {
    "Id": "9", "SyncToken": "1", "VendorRef": {"value": "41"}, "TotalAmt": 150,
    "Line": [{"Id": "1", "DetailType": "AccountBasedExpenseLineDetail", "Amount": 150,
              "Description": "Lumber",
              "AccountBasedExpenseLineDetail": {
                  "AccountRef": {"value": "7"}, "CustomerRef": {"value": "3"},
                  "BillableStatus": "Billable", "MarkupInfo": {"Percent": 10},
                  "TaxCodeRef": {"value": "NON"}}}],
}  # fmt: skip


def test_bill_line_edit_keeps_billable_customer_status_and_markup():
    current = to_domain(Kind.BILL, BILL, MappingContext(is_project=lambda _i: False))
    line = replace(current.lines[0], amount=Decimal(175), unit_price=Decimal(175))
    body = update_payload(Kind.BILL, current.replace(lines=(line,)), current, BILL, CTX)
    sent = body["Line"][0]
    detail = sent["AccountBasedExpenseLineDetail"]
    assert sent["Id"] == "1" and sent["Amount"] == Decimal(175)
    assert detail["CustomerRef"] == {"value": "3"} and detail["BillableStatus"] == "Billable"
    assert detail["MarkupInfo"] == {"Percent": 10}


INVOICE = {
    "Id": "130", "SyncToken": "0", "CustomerRef": {"value": "58"}, "TotalAmt": 90,
    "DocNumber": "1037",
    "Line": [
        {"Id": "1", "DetailType": "SalesItemLineDetail", "Amount": 100,
         "SalesItemLineDetail": {"ItemRef": {"value": "1"}, "Qty": 1, "UnitPrice": 100}},
        {"DetailType": "DiscountLineDetail", "Amount": 10,
         "DiscountLineDetail": {"PercentBased": True, "DiscountPercent": 10}},
        {"DetailType": "SubTotalLineDetail", "Amount": 100, "SubTotalLineDetail": {}},
    ],
}  # fmt: skip


def test_percent_discount_is_read_flagged_and_kept_when_only_the_header_changes():
    current = to_domain(Kind.INVOICE, INVOICE, CTX)
    assert current.unsupported == ("a 10% discount",)
    assert current.lines[1].amount == Decimal(-10)
    body = update_payload(Kind.INVOICE, current.replace(memo="Late"), current, INVOICE, CTX)
    assert "Line" not in body and body["PrivateNote"] == "Late"


def test_percent_discount_is_never_turned_into_a_fixed_amount():
    current = to_domain(Kind.INVOICE, INVOICE, CTX)
    cheaper = replace(current.lines[1], amount=Decimal(-15), unit_price=Decimal(-15))
    with pytest.raises(NotRepresentable, match="percentage discount"):
        update_payload(
            Kind.INVOICE, current.replace(lines=(current.lines[0], cheaper)), current, INVOICE
        )


def test_discount_without_an_account_round_trips_as_a_discount():
    raw = {**INVOICE, "Line": [INVOICE["Line"][0], {
        "DetailType": "DiscountLineDetail", "Amount": 5,
        "DiscountLineDetail": {"PercentBased": False}}]}  # fmt: skip
    current = to_domain(Kind.INVOICE, raw, CTX)
    first = replace(current.lines[0], description="Changed")
    body = update_payload(Kind.INVOICE, current.replace(lines=(first, current.lines[1])),
                          current, raw, CTX)  # fmt: skip
    assert body["Line"][1]["DetailType"] == "DiscountLineDetail"
    assert body["Line"][1]["Amount"] == Decimal(5)


@pytest.mark.parametrize(
    ("kind", "obj", "why"),
    [
        (Kind.CUSTOMER, {"Id": "5"}, "DisplayName is missing"),
        (Kind.CUSTOMER, {"Id": "5", "DisplayName": "  "}, "DisplayName is missing"),
        (Kind.PRODUCT, {"Id": "5", "Type": "Service"}, "Name is missing"),
        (Kind.INVOICE, {"Id": "5", "DocNumber": "1"}, "TotalAmt is missing"),
        (Kind.CUSTOMER, {"Id": "5", "DisplayName": "X", "MetaData": "yesterday"}, "MetaData"),
        (Kind.CUSTOMER, {"Id": "5", "DisplayName": "X", "MetaData": {"LastUpdatedTime": 5}},
         "LastUpdatedTime"),
        (Kind.CUSTOMER, {"Id": "5", "DisplayName": "X", "Active": "yes"}, "Active"),
    ],
)  # fmt: skip
def test_rows_we_cannot_trust_are_held_with_the_reason(kind, obj, why):
    with pytest.raises(MalformedRecord, match=why):
        to_domain(kind, obj, CTX)


def test_credit_memo_without_a_balance_is_open_not_paid():
    memo = to_domain(Kind.CREDIT_NOTE, {"Id": "3", "CustomerRef": {"value": "1"},
                                        "TotalAmt": 40, "Line": []}, CTX)  # fmt: skip
    assert memo.status == "open" and memo.paid == 0


def test_group_line_is_reported_not_flattened():
    raw = {**INVOICE, "Line": [INVOICE["Line"][0], {
        "DetailType": "GroupLineDetail", "Amount": 30,
        "GroupLineDetail": {"GroupItemRef": {"value": "19", "name": "Kit"}, "Line": [
            {"DetailType": "SalesItemLineDetail", "Amount": 30,
             "SalesItemLineDetail": {"ItemRef": {"value": "2"}, "Qty": 1, "UnitPrice": 30}}]}},
        {"DetailType": "WeirdLineDetail", "Amount": 1}]}  # fmt: skip
    record = to_domain(Kind.INVOICE, raw, CTX)
    assert len(record.lines) == 1
    assert record.unsupported == (
        "a bundle line (Kit)",
        "a line of a kind this app does not handle (WeirdLineDetail)",
    )
