"""Batches and single writes at once, within QuickBooks' limits: chunks handed from several
threads (as the engine hands them) are written once each, the batch quota is used, the rest
goes as single writes with their own requestids, and the sandbox never throttles."""

from __future__ import annotations

import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from qbsync_desktop.domain import Contact, Kind
from qbsync_desktop.domain.errors import ServiceUnavailable
from qbsync_desktop.domain.ports import WriteOp
from qbsync_desktop.quickbooks.ratebudget import RateBudget
from qbsync_desktop.quickbooks.writelanes import SINGLE_WRITERS
from qbsync_desktop.sync.identity import create_intent, make_requestid
from tests.support.qbo_connector import control, count_requests, gateway

LIMITS = {"per_minute": 500, "per_second": 10, "batch_per_minute": 1,
          "batch_per_minute_realm": 1}  # fmt: skip


def _ops(prefix: str, n: int) -> list[WriteOp]:
    contacts = [Contact(id=f"{prefix}{i}", name=f"Lane {prefix} {i:02d}") for i in range(n)]
    return [
        WriteOp(c.id, Kind.CUSTOMER, "create", c,
                make_requestid(7, Kind.CUSTOMER, c.id, create_intent(0, None)))
        for c in contacts
    ]  # fmt: skip


def _lane_names(sandbox, gw) -> Counter:
    """What QuickBooks holds, read within the same budget (the sandbox never throttled)."""
    rows = gw.api.query_all("Customer", "DisplayName LIKE 'Lane %'")
    assert control(sandbox, "GET", "stats")["throttled"] == 0
    return Counter(str(r["DisplayName"]) for r in rows)


@pytest.fixture
def limited(qbo_sandbox_factory):
    sandbox = qbo_sandbox_factory(size="demo", limits=dict(LIMITS))
    rate = RateBudget(per_minute=500, per_second=10, batch_per_minute=1)
    return sandbox, gateway(sandbox, rate=rate)


def test_chunks_from_several_threads_use_the_batch_and_single_writes_once_each(limited):
    sandbox, gw = limited
    chunks = [_ops(p, 20) for p in "abc"]
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(gw.write_many, chunks))
    for ops, outcomes in zip(chunks, results, strict=True):
        assert [o.key for o in outcomes] == [op.key for op in ops]
        assert all(o.error is None and o.record.id for o in outcomes), outcomes
    batches = count_requests(sandbox, "POST batch")
    singles = count_requests(sandbox, "POST customer")
    assert batches == 1  # the minute's one batch place was used, and no more tried
    assert 30 <= singles < 60  # the rest went one by one, beside it
    names = _lane_names(sandbox, gw)
    assert len(names) == 60 and set(names.values()) == {1}, names


def test_single_writes_sent_again_are_replayed_by_their_own_requestids(limited):
    sandbox, gw = limited
    gw.write_many(_ops("p", 30))  # spends the minute's batch place
    ops = _ops("r", 12)
    first = gw.write_many(ops)
    assert all(o.error is None for o in first)
    assert count_requests(sandbox, "POST batch") == 1  # these went one by one
    replays = control(sandbox, "GET", "stats")["replays"]
    # The same writes again, as after an answer lost on the way back: QuickBooks answers each
    # from its requestid instead of writing it twice.
    again = gw.write_many(ops)
    assert [o.record.id for o in again] == [o.record.id for o in first]
    assert control(sandbox, "GET", "stats")["replays"] - replays == len(ops)
    names = _lane_names(sandbox, gw)
    assert len(names) == 42 and set(names.values()) == {1}, names


def test_a_service_that_stops_answering_fails_the_waiting_writes_unsent(limited):
    sandbox, gw = limited
    gw.write_many(_ops("x", 30))  # spends the batch place
    arm = {"type": "system_error", "status": 503, "path": "/customer", "count": 1000}
    control(sandbox, "POST", "faults", arm)
    gw.api.transport.max_retries = 0
    with pytest.raises(ServiceUnavailable):
        gw.write_many(_ops("y", 20))
    control(sandbox, "DELETE", "faults")
    # Once the service failed, the writes still waiting were not sent.
    assert count_requests(sandbox, "POST customer") <= SINGLE_WRITERS


def test_a_stopping_sync_drops_the_writes_not_yet_sent(limited):
    sandbox, gw = limited
    gw.write_many(_ops("s", 30))  # spends the batch place: the rest go at 9 a second
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(gw.write_many, _ops("t", 40))
        while count_requests(sandbox, "POST customer") == 0 and not pending.done():
            time.sleep(0.02)  # until the first single write is on its way
        gw.drop_unsent()
        with pytest.raises(ServiceUnavailable):
            pending.result()
    sent = count_requests(sandbox, "POST customer")
    assert 0 < sent < 40  # what was on the wire finished; the rest never left
    names = _lane_names(sandbox, gw)
    assert sum(1 for n in names if n.startswith("Lane t")) == sent
