"""Name-list objects through python-quickbooks: create, sparse update, full update.

python-quickbooks offers no delete or void for Customer, Vendor, Item, Account or Class (real
QuickBooks cannot delete them either: they are made inactive), so none is tested here.
"""

import datetime as dt

import pytest
from conftest import unique
from quickbooks.objects.account import Account
from quickbooks.objects.customer import Customer
from quickbooks.objects.item import Item
from quickbooks.objects.trackingclass import Class
from quickbooks.objects.vendor import Vendor


def customer(refs):
    obj = Customer()
    obj.DisplayName = unique("Customer")
    obj.CompanyName = "Conformance OÜ"
    return obj


def vendor(refs):
    obj = Vendor()
    obj.DisplayName = unique("Vendor")
    obj.CompanyName = "Conformance AS"
    return obj


def service_item(refs):
    obj = Item()
    obj.Name = unique("Service")
    obj.Type = "Service"
    obj.UnitPrice = 80
    obj.IncomeAccountRef = refs.income.to_ref()
    return obj


def non_inventory_item(refs):
    obj = Item()
    obj.Name = unique("NonInventory")
    obj.Type = "NonInventory"
    obj.UnitPrice = 12.5
    obj.IncomeAccountRef = refs.income.to_ref()
    obj.ExpenseAccountRef = refs.expense.to_ref()
    return obj


def inventory_item(refs):
    obj = Item()
    obj.Name = unique("Inventory")
    obj.Type = "Inventory"
    obj.TrackQtyOnHand = True
    obj.QtyOnHand = 10
    obj.InvStartDate = dt.date.today().isoformat()
    obj.UnitPrice = 30
    obj.PurchaseCost = 18
    obj.IncomeAccountRef = refs.income.to_ref()
    obj.ExpenseAccountRef = refs.cogs.to_ref()
    obj.AssetAccountRef = refs.asset.to_ref()
    return obj


def account(refs):
    obj = Account()
    obj.Name = unique("Account")
    obj.AccountType = "Expense"
    obj.AccountSubType = "OfficeGeneralAdministrativeExpenses"
    return obj


def tracking_class(refs):
    obj = Class()
    obj.Name = unique("Class")
    return obj


BUILDERS = {
    "Customer": customer,
    "Vendor": vendor,
    "Item-Service": service_item,
    "Item-NonInventory": non_inventory_item,
    "Item-Inventory": inventory_item,
    "Account": account,
    "Class": tracking_class,
}
# The field each update changes, and the two values (sparse, then full).
CHANGES = {
    "Customer": ("CompanyName", "Sparse OÜ", "Full OÜ"),
    "Vendor": ("CompanyName", "Sparse AS", "Full AS"),
    "Item-Service": ("Description", "sparse description", "full description"),
    "Item-NonInventory": ("Description", "sparse description", "full description"),
    "Item-Inventory": ("Description", "sparse description", "full description"),
    "Account": ("Description", "sparse description", "full description"),
    "Class": ("Name", unique("Sparse Class"), unique("Full Class")),
}


@pytest.mark.parametrize("kind", list(BUILDERS))
def test_create(qb, refs, kind):
    made = BUILDERS[kind](refs).save(qb=qb)
    assert made.Id
    assert str(made.SyncToken) == "0"
    again = type(made).get(made.Id, qb=qb)
    assert again.Id == made.Id


@pytest.mark.parametrize("kind", list(BUILDERS))
def test_sparse_update(qb, refs, kind):
    made = BUILDERS[kind](refs).save(qb=qb)
    field, value, _ = CHANGES[kind]
    fetched = type(made).get(made.Id, qb=qb)
    fetched.sparse = True
    setattr(fetched, field, value)
    updated = fetched.save(qb=qb)
    assert getattr(updated, field) == value
    assert int(updated.SyncToken) == int(made.SyncToken) + 1


@pytest.mark.parametrize("kind", list(BUILDERS))
def test_full_update(qb, refs, kind):
    made = BUILDERS[kind](refs).save(qb=qb)
    field, _, value = CHANGES[kind]
    setattr(made, field, value)
    updated = made.save(qb=qb)
    assert getattr(updated, field) == value
    assert int(updated.SyncToken) == int(made.SyncToken) + 1
    assert getattr(type(made).get(made.Id, qb=qb), field) == value
