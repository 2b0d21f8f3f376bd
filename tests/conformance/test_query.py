"""python-quickbooks reads: query (all / filter / where), get by Id, count."""

from quickbooks.objects.account import Account
from quickbooks.objects.customer import Customer
from quickbooks.objects.invoice import Invoice


def test_query_all_and_where(qb):
    customers = Customer.all(max_results=10, qb=qb)
    assert 0 < len(customers) <= 10
    name = customers[0].DisplayName
    found = Customer.filter(DisplayName=name, qb=qb)
    assert [c.Id for c in found] == [customers[0].Id]
    income = Account.where("AccountType = 'Income'", order_by="Name", qb=qb)
    assert income
    assert all(a.AccountType == "Income" for a in income)


def test_query_raw_select(qb):
    invoices = Invoice.query("SELECT * FROM Invoice STARTPOSITION 1 MAXRESULTS 5", qb=qb)
    assert 0 < len(invoices) <= 5


def test_get_by_id(qb):
    some = Customer.all(max_results=1, qb=qb)[0]
    again = Customer.get(some.Id, qb=qb)
    assert again.Id == some.Id
    assert again.DisplayName == some.DisplayName
    assert again.SyncToken == some.SyncToken


def test_count(qb):
    total = Customer.count(qb=qb)
    assert isinstance(total, int)
    assert total >= len(Customer.all(max_results=1000, qb=qb))
    assert Invoice.count("TotalAmt > '0'", qb=qb) >= 1
