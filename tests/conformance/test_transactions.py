"""Transactions through python-quickbooks: create, sparse update, full update, delete, void.

Delete is tested for every object here (python-quickbooks gives each a DeleteMixin); void only for
Invoice, Payment and BillPayment, the ones python-quickbooks gives a VoidMixin.
"""

import pytest
from conftest import unique
from quickbooks.exceptions import ObjectNotFoundException
from quickbooks.objects.account import Account
from quickbooks.objects.bill import Bill
from quickbooks.objects.billpayment import (
    BillPayment,
    BillPaymentCreditCard,
    BillPaymentLine,
    CheckPayment,
)
from quickbooks.objects.creditmemo import CreditMemo
from quickbooks.objects.detailline import (
    AccountBasedExpenseLine,
    AccountBasedExpenseLineDetail,
    ItemBasedExpenseLine,
    ItemBasedExpenseLineDetail,
    SalesItemLine,
    SalesItemLineDetail,
)
from quickbooks.objects.invoice import Invoice
from quickbooks.objects.payment import Payment, PaymentLine


def sales_line(refs, amount, qty=1):
    line = SalesItemLine()
    line.Amount = amount
    line.Description = "Consulting"
    line.SalesItemLineDetail = SalesItemLineDetail()
    line.SalesItemLineDetail.ItemRef = refs.service.to_ref()
    line.SalesItemLineDetail.Qty = qty
    line.SalesItemLineDetail.UnitPrice = amount / qty
    line.SalesItemLineDetail.TaxCodeRef = refs.tax_code.to_ref()
    return line


def invoice(qb, refs, amount=100):
    obj = Invoice()
    obj.CustomerRef = refs.customer.to_ref()
    obj.Line.append(sales_line(refs, amount))
    return obj


def credit_memo(qb, refs):
    obj = CreditMemo()
    obj.CustomerRef = refs.customer.to_ref()
    obj.Line.append(sales_line(refs, 40))
    return obj


def bill(qb, refs, amount=250):
    obj = Bill()
    obj.VendorRef = refs.vendor.to_ref()
    line = AccountBasedExpenseLine()
    line.Amount = amount
    line.AccountBasedExpenseLineDetail = AccountBasedExpenseLineDetail()
    line.AccountBasedExpenseLineDetail.AccountRef = refs.expense.to_ref()
    line.AccountBasedExpenseLineDetail.TaxCodeRef = refs.tax_code.to_ref()
    obj.Line.append(line)
    return obj


def payment(qb, refs):
    target = invoice(qb, refs, 120).save(qb=qb)
    obj = Payment()
    obj.CustomerRef = refs.customer.to_ref()
    obj.TotalAmt = target.TotalAmt
    line = PaymentLine()
    line.Amount = target.TotalAmt
    line.LinkedTxn.append(target.to_linked_txn())
    obj.Line.append(line)
    return obj


def bill_payment(qb, refs):
    target = bill(qb, refs, 75).save(qb=qb)
    obj = BillPayment()
    obj.VendorRef = refs.vendor.to_ref()
    obj.PayType = "Check"
    obj.TotalAmt = target.TotalAmt
    obj.CheckPayment = CheckPayment()
    obj.CheckPayment.BankAccountRef = refs.bank.to_ref()
    line = BillPaymentLine()
    line.Amount = target.TotalAmt
    line.LinkedTxn.append(target.to_linked_txn())
    obj.Line.append(line)
    return obj


BUILDERS = {
    "Invoice": invoice,
    "CreditMemo": credit_memo,
    "Bill": bill,
    "Payment": payment,
    "BillPayment": bill_payment,
}
VOIDABLE = ["Invoice", "Payment", "BillPayment"]


@pytest.mark.parametrize("kind", list(BUILDERS))
def test_create(qb, refs, kind):
    made = BUILDERS[kind](qb, refs).save(qb=qb)
    assert made.Id
    assert str(made.SyncToken) == "0"
    assert float(made.TotalAmt) > 0
    assert type(made).get(made.Id, qb=qb).Id == made.Id


@pytest.mark.parametrize("kind", list(BUILDERS))
def test_sparse_update(qb, refs, kind):
    made = BUILDERS[kind](qb, refs).save(qb=qb)
    fetched = type(made).get(made.Id, qb=qb)
    fetched.sparse = True
    fetched.PrivateNote = "changed sparsely"
    updated = fetched.save(qb=qb)
    assert updated.PrivateNote == "changed sparsely"
    assert int(updated.SyncToken) == int(made.SyncToken) + 1
    assert float(updated.TotalAmt) == float(made.TotalAmt)


@pytest.mark.parametrize("kind", list(BUILDERS))
def test_full_update(qb, refs, kind):
    made = BUILDERS[kind](qb, refs).save(qb=qb)
    made.PrivateNote = "changed in full"
    updated = made.save(qb=qb)
    assert updated.PrivateNote == "changed in full"
    assert int(updated.SyncToken) == int(made.SyncToken) + 1
    assert type(made).get(made.Id, qb=qb).PrivateNote == "changed in full"


@pytest.mark.parametrize("kind", list(BUILDERS))
def test_delete(qb, refs, kind):
    made = BUILDERS[kind](qb, refs).save(qb=qb)
    answer = made.delete(qb=qb)
    assert answer[kind]["status"] == "Deleted"
    assert answer[kind]["Id"] == made.Id
    with pytest.raises(ObjectNotFoundException):
        type(made).get(made.Id, qb=qb)


@pytest.mark.parametrize("kind", VOIDABLE)
def test_void(qb, refs, kind):
    made = BUILDERS[kind](qb, refs).save(qb=qb)
    made.void(qb=qb)
    voided = type(made).get(made.Id, qb=qb)
    assert float(voided.TotalAmt) == 0
    assert int(voided.SyncToken) > int(made.SyncToken)


def test_bill_with_item_based_lines(qb, refs):
    """A Bill with an item-based expense line, as python-quickbooks builds it."""
    obj = Bill()
    obj.VendorRef = refs.vendor.to_ref()
    line = ItemBasedExpenseLine()
    line.Amount = 30
    line.ItemBasedExpenseLineDetail = ItemBasedExpenseLineDetail()
    line.ItemBasedExpenseLineDetail.ItemRef = refs.service.to_ref()
    line.ItemBasedExpenseLineDetail.Qty = 3
    line.ItemBasedExpenseLineDetail.UnitPrice = 10
    line.ItemBasedExpenseLineDetail.TaxCodeRef = refs.tax_code.to_ref()
    obj.Line.append(line)
    made = obj.save(qb=qb)
    assert float(made.Line[0].Amount) == 30
    assert float(made.TotalAmt) >= 30  # plus the line's VAT


def test_bill_payment_by_credit_card(qb, refs):
    card = Account()
    card.Name = unique("Card")
    card.AccountType = "Credit Card"
    card = card.save(qb=qb)
    target = bill(qb, refs, 60).save(qb=qb)
    obj = BillPayment()
    obj.VendorRef = refs.vendor.to_ref()
    obj.PayType = "CreditCard"
    obj.TotalAmt = target.TotalAmt
    obj.CreditCardPayment = BillPaymentCreditCard()
    obj.CreditCardPayment.CCAccountRef = card.to_ref()
    line = BillPaymentLine()
    line.Amount = target.TotalAmt
    line.LinkedTxn.append(target.to_linked_txn())
    obj.Line.append(line)
    made = obj.save(qb=qb)
    assert made.PayType == "CreditCard"
    assert float(Bill.get(target.Id, qb=qb).Balance) == 0
