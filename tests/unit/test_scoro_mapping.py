"""Scoro JSON <-> domain records: field names, lenient types, credit notes, and fuzzing."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qbsync_desktop.domain import (
    Account,
    Bill,
    Contact,
    Invoice,
    Kind,
    Payment,
    Product,
    Project,
    Ref,
    Side,
    TaxRate,
    TrackingClass,
)
from qbsync_desktop.domain.errors import MalformedRecord
from qbsync_desktop.scoro.bookmarks import parse_bookmark
from qbsync_desktop.scoro.inbound import from_scoro
from qbsync_desktop.scoro.outbound import contact_to_scoro, invoice_to_scoro, to_scoro

S = Side.SCORO


def test_person_contact_with_profile_currency_and_string_flags():
    raw = {
        "contact_id": "17",
        "contact_type": "person",
        "name": "Mari",
        "lastname": "Tamm",
        "is_client": "1",
        "is_supplier": 0,
        "client_profile_id": 3,
        "vatno": "EE1",
        "means_of_contact": {"email": ["mari@example.ee"], "mobile": ["+372 555"]},
        "addresses": [
            {"street": "Pikk 1", "city": "Tallinn", "zipcode": "10123", "country": "EST"}
        ],
        "modified_date": "2026-11-02T09:48:22+02:00",
        "is_deleted": False,
    }
    c = from_scoro(Kind.CUSTOMER, raw, profile_currency={"3": "USD"}.get, base_currency="EUR")
    assert isinstance(c, Contact)
    assert (c.id, c.name, c.first_name, c.last_name) == ("17", "Mari Tamm", "Mari", "Tamm")
    assert c.is_person and c.is_client and not c.is_supplier
    assert (c.email, c.phone, c.currency, c.vat_number) == (
        "mari@example.ee",
        "+372 555",
        "USD",
        "EE1",
    )
    assert c.address.city == "Tallinn" and c.address.postal_code == "10123"
    assert c.modified == dt.datetime(
        2026, 11, 2, 9, 48, 22, tzinfo=dt.timezone(dt.timedelta(hours=2))
    )


def test_company_without_profile_takes_base_currency_R24():
    c = from_scoro(
        Kind.VENDOR,
        {"contact_id": 5, "name": "Office Depot", "is_supplier": True},
        base_currency="EUR",
    )
    assert c.currency == "EUR" and c.is_supplier and not c.is_person


def test_contact_body_keeps_other_role_flag():
    c = Contact(id="5", name="Nordic", is_client=True, is_supplier=True)
    body = contact_to_scoro(c, kind=Kind.VENDOR)
    assert body["is_supplier"] == 1 and "is_client" not in body


def test_invoice_with_lines_naive_date_and_string_money():
    raw = {
        "id": 10,
        "no": "1001",
        "company_id": 4,
        "date": "2026-11-02",
        "deadline": "2026-11-16",
        "currency": "eur",
        "sum": "760.00",
        "vat_sum": "182.40",
        "paid_sum": "300",
        "status": "sent",
        "project_id": 0,
        "credited_invoices": [],
        "modified_date": "2026-11-02 10:00:00",
        "lines": [
            {
                "product_id": 1,
                "comment": "Workshop",
                "amount": "8",
                "price": 95,
                "sum": "760.00",
                "vat_code_id": 2,
                "finance_account_id": 7,
                "project_id": 3,
                "finance_object_id": 9,
            }
        ],
    }
    inv = from_scoro(Kind.INVOICE, raw)
    assert isinstance(inv, Invoice) and not inv.is_credit_note
    assert inv.contact == Ref(Kind.CUSTOMER, S, "4") and inv.project is None
    assert inv.total == Decimal("942.40") and inv.paid == Decimal("300")
    assert inv.currency == "EUR" and inv.modified == dt.datetime(2026, 11, 2, 10)
    (line,) = inv.lines
    assert line.amount == Decimal("760.00") and line.quantity == Decimal(8)
    assert line.product == Ref(Kind.PRODUCT, S, "1")
    assert line.tax_rate == Ref(Kind.TAX_RATE, S, "2")
    assert line.account == Ref(Kind.ACCOUNT, S, "7")
    assert line.project == Ref(Kind.PROJECT, S, "3")
    assert line.tracking_class == Ref(Kind.TRACKING_CLASS, S, "9")


def test_paid_from_receivable_sum_when_paid_sum_missing():
    raw = {
        "id": 1,
        "no": "7",
        "company_id": 2,
        "sum": 100,
        "vat_sum": 24,
        "receivable_sum": "24.00",
    }
    assert from_scoro(Kind.INVOICE, raw).paid == Decimal("100")


def test_credit_invoice_is_positive_in_the_domain_and_negative_in_scoro():
    raw = {
        "id": 11,
        "no": "1006",
        "company_id": 4,
        "credited_invoices": ["10"],
        "sum": "-95.00",
        "vat_sum": "-22.80",
        "lines": [{"comment": "unused", "amount": -1, "price": "95.00", "sum": "-95.00"}],
    }
    cn = from_scoro(Kind.CREDIT_NOTE, raw)
    assert cn.is_credit_note and cn.credited_invoice == Ref(Kind.INVOICE, S, "10")
    assert cn.total == Decimal("117.80") and cn.lines[0].amount == Decimal("95.00")
    assert cn.lines[0].quantity == 1 and cn.lines[0].unit_price == Decimal("95.00")
    body = invoice_to_scoro(cn)
    assert body["credited_invoices"] == [10]
    assert body["lines"][0]["amount"] == -1 and body["lines"][0]["price"] == Decimal("95.00")


def test_bill_payment_and_receipt():
    bill = from_scoro(
        Kind.BILL,
        {
            "id": 3,
            "no": "B-501",
            "company_id": 8,
            "project_id": -1,
            "sum": 115,
            "vat_sum": "17.10",
            "status": "paid",
        },
    )
    assert isinstance(bill, Bill) and bill.contact == Ref(Kind.VENDOR, S, "8")
    assert bill.paid == Decimal("132.10") and not bill.tax_included
    pay = from_scoro(
        Kind.BILL_PAYMENT,
        {
            "id": 4,
            "date": "2026-11-12",
            "contact_id": 8,
            "sum": "50",
            "currency": "EUR",
            "sales_doc_type": "bills",
            "modified_date": "2026-11-12 08:00:00",
            "receipts": [{"receipt_id": 1, "invoice_id": 3, "sum": "50"}],
        },
    )
    assert isinstance(pay, Payment) and pay.is_bill_payment
    assert pay.allocations[0].document == Ref(Kind.BILL, S, "3")
    assert pay.contact == Ref(Kind.VENDOR, S, "8")
    receipt = from_scoro(Kind.RECEIPT, {"id": 5, "receipts": [{"invoice_id": 10, "sum": 7}]})
    assert not receipt.is_bill_payment and receipt.amount == Decimal(7)
    body = to_scoro(Kind.RECEIPT, receipt)
    assert body["receipts"][0]["invoice_id"] == 10 and body["sales_doc_type"] == "invoices"


def test_reference_modules():
    p = from_scoro(
        Kind.PRODUCT,
        {
            "product_id": 1,
            "name": "Consulting hour",
            "price": "95",
            "buying_price": None,
            "is_active": "0",
            "sales_finance_account_id": 4,
        },
    )
    assert isinstance(p, Product) and not p.active and p.unit_price == 95
    assert p.income_account == Ref(Kind.ACCOUNT, S, "4")
    pr = from_scoro(
        Kind.PROJECT,
        {"project_id": 2, "project_name": "ERP rollout", "company_id": 6, "status": "completed"},
    )
    assert isinstance(pr, Project) and pr.client == Ref(Kind.CUSTOMER, S, "6")
    assert not pr.active
    a = from_scoro(
        Kind.ACCOUNT, {"id": 1, "name": "Sales", "account_symbol": "4000", "is_sales_account": 1}
    )
    assert isinstance(a, Account) and a.number == "4000" and a.account_type == "sales"
    t = from_scoro(Kind.TAX_RATE, {"vat_code_id": 1, "vat_code": "VAT24", "percent": "24.0"})
    assert isinstance(t, TaxRate) and t.rate == Decimal("24.0") and t.name == "VAT24"
    tc = from_scoro(Kind.TRACKING_CLASS, {"object_id": 2, "name": "Design"})
    assert isinstance(tc, TrackingClass)
    f = from_scoro(
        Kind.ATTACHMENT,
        {"file_id": 9, "file_name": "a.pdf", "file_size": 10, "relations": {"bills": [3]}},
    )
    assert f.document == Ref(Kind.BILL, S, "3") and f.content_type == "application/pdf"


@pytest.mark.parametrize(
    "raw",
    [
        {"id": 1, "no": "1", "sum": 1.5},  # float: money must never come through float
        {"id": 1, "no": "1", "sum": "abc"},
        {"id": 1, "no": "1", "sum": "1e400"},
        {"id": 1, "no": "1", "date": "02.11.2026"},
        {"id": 1, "no": "1", "lines": "x"},
        {"no": "1"},
        "not an object",
    ],
)
def test_malformed_invoice_is_one_malformed_record(raw):
    with pytest.raises(MalformedRecord):
        from_scoro(Kind.INVOICE, raw)


def test_R51_bookmark_drops_user_and_invoice_status_filters():
    b = parse_bookmark(
        {
            "bookmark_id": 3,
            "name": "Sent",
            "module": "invoices",
            "filter": {"status": "sent", "user_id": 2, "company_id": 4},
        }
    )
    assert b.filters == {"company_id": 4} and set(b.dropped) == {"status", "user_id"}
    b = parse_bookmark(
        {"bookmark_id": 4, "name": "Approved", "module": "bills", "filter": {"status": "approved"}}
    )
    assert b.filters == {"status": "approved"} and b.dropped == ()


# -- fuzzing -------------------------------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(
        [
            "1",
            "0",
            "true",
            "",
            "2026-11-02",
            "2026-11-02 10:00:00",
            "2026-11-02T09:48:22+02:00",
            "1e999999",
            "-1",
            "0000-00-00",
            "Ünïcödé ☃",
            "9" * 40,
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
FIELDS = [
    "id",
    "contact_id",
    "product_id",
    "project_id",
    "vat_code_id",
    "object_id",
    "file_id",
    "name",
    "lastname",
    "contact_type",
    "is_client",
    "is_supplier",
    "means_of_contact",
    "addresses",
    "client_profile_id",
    "no",
    "company_id",
    "date",
    "deadline",
    "currency",
    "sum",
    "vat_sum",
    "paid_sum",
    "receivable_sum",
    "status",
    "lines",
    "credited_invoices",
    "modified_date",
    "is_deleted",
    "receipts",
    "sales_doc_type",
    "price",
    "buying_price",
    "is_active",
    "percent",
    "vat_code",
    "project_name",
    "account_symbol",
    "file_name",
    "file_size",
    "relations",
]
records = st.dictionaries(st.sampled_from(FIELDS), values, max_size=12)
lines = st.lists(
    st.dictionaries(
        st.sampled_from(
            ["amount", "price", "sum", "discount", "product_id", "vat_code_id", "comment"]
        ),
        values,
        max_size=5,
    ),
    max_size=3,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(list(Kind)), raw=st.one_of(records, values))
def test_fuzz_mapper_returns_a_record_or_malformed_record(kind, raw):
    try:
        record = from_scoro(kind, raw, profile_currency=lambda _id: "USD", base_currency="EUR")
    except MalformedRecord as exc:
        assert exc.kind == kind.value
        return
    record.fingerprint()  # usable downstream: Decimal only, no floats


@settings(max_examples=150, deadline=None)
@given(raw_lines=lines, credit=st.booleans())
def test_fuzz_document_lines(raw_lines, credit):
    raw = {
        "id": 1,
        "no": "X",
        "company_id": 2,
        "lines": raw_lines,
        "credited_invoices": [1] if credit else [],
    }
    try:
        inv = from_scoro(Kind.INVOICE, raw)
    except MalformedRecord:
        return
    to_scoro(inv.kind, inv)
    inv.fingerprint()


# -- nulls: real Scoro sends every field, unset ones as null ------------------------------

_NULL_INVOICE = {
    "id": 7,
    "no": "1007",
    "company_id": 5,
    "person_id": None,
    "company_address_id": None,
    "interested_party_id": None,
    "project_id": None,
    "owner_id": None,
    "owner_email": None,
    "account_id": None,
    "date": "2026-11-02",
    "deadline": None,
    "status": None,
    "is_sent": None,
    "payment_type": None,
    "reference_no": None,
    "fine": None,
    "currency": None,
    "currency_rate": None,
    "discount": None,
    "discount2": None,
    "discount3": None,
    "sum": "100.00",
    "vat_sum": "20.00",
    "vat": None,
    "vat_code_id": None,
    "vat_code": None,
    "paid_sum": None,
    "receivable_sum": None,
    "payment_fee": None,
    "prepayment_sum": None,
    "quote_id": None,
    "order_id": None,
    "prepayment_id": None,
    "credited_invoices": None,
    "scheduled_invoice_id": None,
    "generation_type": None,
    "accounting_period_from": None,
    "accounting_period_to": None,
    "pay_now_link": None,
    "is_role_based": None,
    "lines": None,
    "custom_fields": None,
    "created_date": None,
    "modified_date": "2026-11-02 10:00:00",
    "is_deleted": None,
    "deleted_date": None,
}
_NULL_LINE = {
    "id": 1,
    "product_id": None,
    "product_name": None,
    "product_code": None,
    "comment": None,
    "comment2": None,
    "price": "100",
    "amount": None,
    "amount2": None,
    "discount": None,
    "sum": None,
    "vat": None,
    "vat_code_id": None,
    "vat_code": None,
    "unit": None,
    "finance_account_id": None,
    "finance_account_name": None,
    "finance_account_symbol": None,
    "finance_object_id": None,
    "finance_object_name": None,
    "finance_object_symbol": None,
    "project_id": None,
    "project_name": None,
    "cost": None,
    "supplier_id": None,
    "doer_id": None,
    "role_id": None,
    "is_internal": None,
    "depot_amounts": None,
    "dates": None,
    "custom_fields": None,
}


def _no_none_text(record) -> None:
    """No field of the record (its lines and refs included) reads as the text "None"."""
    for f in dataclasses.fields(record):
        value = getattr(record, f.name)
        items = value if isinstance(value, tuple) else (value,)
        for item in items:
            if dataclasses.is_dataclass(item):
                _no_none_text(item)
            assert not (isinstance(item, str) and "None" in item), (f.name, record)


def test_invoice_list_row_with_nulls_reads_as_not_set():
    inv = from_scoro(Kind.INVOICE, dict(_NULL_INVOICE))
    assert isinstance(inv, Invoice)
    assert inv.lines == () and inv.project is None and inv.due_date is None
    assert inv.currency == "" and inv.status == "" and not inv.deleted
    assert not inv.is_credit_note and inv.credited_invoice is None
    assert (inv.total, inv.paid) == (Decimal("120.00"), Decimal(0))
    _no_none_text(inv)


def test_invoice_view_with_null_line_fields_reads_as_not_set():
    raw = {**_NULL_INVOICE, "lines": [dict(_NULL_LINE)], "currency": "EUR"}
    inv = from_scoro(Kind.INVOICE, raw)
    (line,) = inv.lines
    assert line.tax_rate is None and line.project is None and line.product is None
    assert line.account is None and line.tracking_class is None
    assert (line.quantity, line.unit_price, line.amount) == (
        Decimal(1),
        Decimal("100"),
        Decimal("100.00"),
    )
    assert line.description == ""
    _no_none_text(inv)


def test_credit_invoice_with_nulls_elsewhere():
    raw = {**_NULL_INVOICE, "credited_invoices": [3], "sum": "-10", "vat_sum": None}
    inv = from_scoro(Kind.CREDIT_NOTE, raw)
    assert inv.is_credit_note and inv.total == Decimal("10") and inv.paid == Decimal(0)


def test_bill_with_nulls_reads_as_not_set():
    raw = {
        **{k: None for k in _NULL_INVOICE},
        "id": 4,
        "no": "B-4",
        "company_id": None,
        "purchase_order_id": None,
        "dateofpayment": None,
        "recognition_date": None,
        "description": None,
        "is_chargeable": None,
        "lines": [dict(_NULL_LINE, price=None)],
    }
    bill = from_scoro(Kind.BILL, raw)
    assert isinstance(bill, Bill)
    assert bill.contact is None and bill.date is None and bill.modified is None
    assert bill.memo == "" and bill.total == Decimal(0) and bill.version == ""
    assert bill.lines[0].amount == Decimal("0.00")
    _no_none_text(bill)


def test_contact_product_project_with_nulls():
    contact = from_scoro(
        Kind.CUSTOMER,
        {
            "contact_id": 3,
            "name": "Acme",
            "lastname": None,
            "search_name": None,
            "contact_type": None,
            "id_code": None,
            "vatno": None,
            "bankaccount": None,
            "manager_id": None,
            "is_client": None,
            "is_supplier": None,
            "client_profile_id": None,
            "tags": None,
            "addresses": None,
            "means_of_contact": None,
            "related_companies": None,
            "contact_users": None,
            "modified_date": None,
            "is_deleted": None,
            "deleted_date": None,
        },
        profile_currency=lambda _id: "USD",
        base_currency="EUR",
    )
    assert isinstance(contact, Contact)
    assert contact.address is None and contact.email == "" and contact.currency == "EUR"
    assert contact.vat_number == "" and not contact.is_client and not contact.is_person
    _no_none_text(contact)
    address = from_scoro(
        Kind.CUSTOMER,
        {
            "contact_id": 4,
            "name": "B",
            "addresses": [{k: None for k in ("street", "city", "zipcode", "county")}],
            "means_of_contact": {"email": None, "phone": [None, "+1 5"]},
        },
    )
    assert address.address is None and address.email == "" and address.phone == "+1 5"

    product = from_scoro(
        Kind.PRODUCT,
        {
            "product_id": 2,
            "name": "Hour",
            "code": None,
            "price": None,
            "buying_price": None,
            "description": None,
            "is_active": None,
            "is_service": None,
            "sales_finance_account_id": None,
            "purchases_finance_account_id": None,
            "default_vat_code_id": None,
        },
    )
    assert isinstance(product, Product)
    assert (product.sku, product.description, product.unit_price) == ("", "", Decimal(0))
    assert product.income_account is None and product.active
    _no_none_text(product)

    project = from_scoro(
        Kind.PROJECT,
        {"project_id": 9, "project_name": "P", "company_id": None, "status": None},
    )
    assert isinstance(project, Project)
    assert project.client is None and project.status == "" and project.active
    _no_none_text(project)


def test_payment_and_reference_modules_with_nulls():
    payment = from_scoro(
        Kind.RECEIPT,
        {
            "id": 5,
            "date": "2026-11-03",
            "contact_id": None,
            "sum": None,
            "currency": None,
            "sales_doc_type": None,
            "receipt_account_id": None,
            "receipts": [
                {
                    "receipt_id": 1,
                    "date": None,
                    "invoice_id": 7,
                    "prepayment_id": None,
                    "sum": "12.50",
                    "sales_doc_type": None,
                    "contact_id": None,
                    "contact_name": None,
                },
                {"receipt_id": 2, "invoice_id": None, "prepayment_id": 3, "sum": "1"},
            ],
            "modified_date": None,
            "custom_fields": None,
            "is_deleted": None,
            "deleted_date": None,
        },
    )
    assert isinstance(payment, Payment)
    assert payment.contact is None and payment.currency == "" and not payment.is_bill_payment
    assert payment.amount == Decimal("12.50") and len(payment.allocations) == 1
    assert payment.allocations[0].document == Ref(Kind.INVOICE, S, "7")
    _no_none_text(payment)
    empty = from_scoro(Kind.RECEIPT, {"id": 6, "receipts": None, "sum": None})
    assert empty.allocations == () and empty.amount == Decimal(0)

    account = from_scoro(
        Kind.ACCOUNT,
        {
            "id": 1,
            "account_symbol": None,
            "name": "Sales",
            "parent_id": None,
            "parent_name": None,
            "is_active": None,
            "is_sales_account": None,
            "is_purchases_account": None,
            "created_date": None,
            "modified_date": None,
        },
    )
    assert isinstance(account, Account) and account.number == "" and account.active
    rate = from_scoro(
        Kind.TAX_RATE,
        {"vat_code_id": 2, "vat_code": "VAT22", "percent": None, "vat_name": None},
    )
    assert isinstance(rate, TaxRate) and rate.name == "VAT22" and rate.rate == Decimal(0)
    tracking = from_scoro(
        Kind.TRACKING_CLASS,
        {"object_id": 3, "object_symbol": None, "name": "Dept", "parent_group_name": None},
    )
    assert isinstance(tracking, TrackingClass) and tracking.active
    attachment = from_scoro(
        Kind.ATTACHMENT,
        {
            "file_id": 8,
            "file_name": "a.pdf",
            "file_type": None,
            "file_size": None,
            "relations": None,
            "is_deleted": None,
        },
    )
    assert attachment.content_type == "application/pdf" and attachment.size == 0
    assert attachment.document is None
    for record in (account, rate, tracking, attachment):
        _no_none_text(record)
