"""Change data capture with a naive datetime, and the errors python-quickbooks turns into
exceptions: a stale SyncToken (5010) and a duplicate name (6240)."""

import datetime as dt

import pytest
from conftest import unique
from quickbooks.cdc import change_data_capture
from quickbooks.exceptions import QuickbooksException
from quickbooks.objects.trackingclass import Class
from quickbooks.objects.vendor import Vendor


def test_cdc_with_a_naive_datetime(qb):
    made = Class()
    made.Name = unique("CDC Class")
    made = made.save(qb=qb)
    # python-quickbooks formats a naive datetime without an offset ("%Y-%m-%dT%H:%M:%S").
    since = dt.datetime.now() - dt.timedelta(days=2)
    result = change_data_capture([Class, Vendor], since, qb=qb)
    assert made.Id in {c.Id for c in result.Class}


def test_stale_sync_token_is_5010(qb):
    made = Class()
    made.Name = unique("Stale Class")
    made = made.save(qb=qb)
    first = Class.get(made.Id, qb=qb)
    second = Class.get(made.Id, qb=qb)
    first.Name = unique("Stale Class first")
    first.save(qb=qb)
    second.Name = unique("Stale Class second")
    with pytest.raises(QuickbooksException) as caught:
        second.save(qb=qb)
    assert caught.value.error_code == 5010
    assert caught.value.message == "Stale Object Error"


def test_duplicate_name_is_6240(qb):
    name = unique("Duplicate Vendor")
    vendor = Vendor()
    vendor.DisplayName = name
    vendor.save(qb=qb)
    again = Vendor()
    again.DisplayName = name
    with pytest.raises(QuickbooksException) as caught:
        again.save(qb=qb)
    assert caught.value.error_code == 6240
    assert caught.value.message == "Duplicate Name Exists Error"
