"""python-quickbooks' batch functions with more than 30 objects (so more than one batch request).

BatchManager gives every item a 36-character UUID bId and sends no requestid; QuickBooks limits
bIds to 10 characters only for batches sent with a requestid.
"""

from conftest import unique
from quickbooks.batch import batch_create, batch_delete, batch_update
from quickbooks.objects.bill import Bill
from quickbooks.objects.detailline import AccountBasedExpenseLine, AccountBasedExpenseLineDetail
from quickbooks.objects.vendor import Vendor

COUNT = 31


def new_vendors(count: int) -> list[Vendor]:
    vendors = []
    for _ in range(count):
        vendor = Vendor()
        vendor.DisplayName = unique("Batch Vendor")
        vendors.append(vendor)
    return vendors


def new_bill(refs) -> Bill:
    bill = Bill()
    bill.VendorRef = refs.vendor.to_ref()
    line = AccountBasedExpenseLine()
    line.Amount = 10
    line.AccountBasedExpenseLineDetail = AccountBasedExpenseLineDetail()
    line.AccountBasedExpenseLineDetail.AccountRef = refs.expense.to_ref()
    line.AccountBasedExpenseLineDetail.TaxCodeRef = refs.tax_code.to_ref()
    bill.Line.append(line)
    return bill


def test_batch_create(qb):
    result = batch_create(new_vendors(COUNT), qb=qb)
    assert result.faults == []
    assert len(result.successes) == COUNT
    assert all(v.Id for v in result.successes)


def test_batch_update(qb):
    created = batch_create(new_vendors(COUNT), qb=qb).successes
    assert len(created) == COUNT
    for vendor in created:
        vendor.CompanyName = "Updated in a batch"
    result = batch_update(created, qb=qb)
    assert result.faults == []
    assert len(result.successes) == COUNT
    assert {v.CompanyName for v in result.successes} == {"Updated in a batch"}
    assert all(str(v.SyncToken) == "1" for v in result.successes)


def test_batch_delete(qb, refs):
    created = batch_create([new_bill(refs) for _ in range(COUNT)], qb=qb)
    assert created.faults == []
    result = batch_delete(created.successes, qb=qb)
    assert result.faults == []
    assert len(result.batch_responses) == COUNT
    ids = {b.Id for b in created.successes}
    left = Bill.choose(sorted(ids), qb=qb)
    assert left == []
