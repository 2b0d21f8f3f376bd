"""An in-memory service behind the engine's port (`domain.ports.SideGateway`), for unit tests.

Not a mock: it keeps each kind's records in a dict, gives ids and versions, stamps modification
times, and answers the engine the way the real gateways do (quickbooks/gateway.py,
scoro/gateway.py):

- `changes` returns what was modified after the watermark, oldest first, with deletions;
- `fetch` leaves out missing and deleted ids; `find` matches by natural key (name, number);
- `write_many` answers one `WriteOutcome` per op: a per-record failure is an outcome with an
  error, only a lost connection raises; an update whose content is already there is not sent
  (`sent=False`); an update of a version someone has since changed is `StaleObject`;
  a record naming a record of the other side is refused, as QuickBooks refuses a foreign ref;
- QuickBooks answers a repeated requestid with its first answer, refusal included; Scoro has no
  requestid and looks for the record before it creates one.

A test tells it to fail a write (`fail`) and reads what it was sent (`sent`, `applied`,
`calls`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from qbsync_desktop.domain import Attachment, Bill, Invoice, Kind, Record, Ref, Side
from qbsync_desktop.domain.errors import (
    NotFound,
    NotRepresentable,
    RecordRejected,
    RemoteError,
    ServiceUnavailable,
    StaleObject,
)
from qbsync_desktop.domain.fingerprint import normalise_text
from qbsync_desktop.domain.ports import ChangeBatch, WriteOp, WriteOutcome
from qbsync_desktop.sync.translate import refs_of

EPOCH = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)

# How a test asks a write to fail, and what the engine then sees.
FAILURES = ("transient", "permanent", "validation")


class Clock:
    """Modification times both fakes share: every change is one second after the last."""

    def __init__(self, start: dt.datetime = EPOCH) -> None:
        self.now = start
        self._lock = threading.Lock()

    def tick(self) -> dt.datetime:
        with self._lock:
            self.now += dt.timedelta(seconds=1)
            return self.now


@dataclass
class _Failure:
    error: RemoteError
    kind: Kind | None
    key: str | None
    committed: bool
    times: int


def _failure_error(mode: str, side: Side) -> RemoteError:
    if mode == "transient":
        # A 5xx, a timeout, a batch item not answered: the write may be retried.
        return ServiceUnavailable(f"{side.label} did not answer in time", side=side.value)
    if mode == "permanent":
        return RecordRejected("Another record already uses this name", side=side.value, code="6240")
    if mode == "validation":
        # The gateway's own check: it would rewrite what it cannot represent; nothing is sent.
        return NotRepresentable(
            "The document has a line this app cannot copy faithfully", side=side.value
        )
    raise ValueError(f"unknown failure {mode!r}; one of {FAILURES}")


_NAMED = frozenset(
    {Kind.CUSTOMER, Kind.VENDOR, Kind.PRODUCT, Kind.ACCOUNT, Kind.TRACKING_CLASS, Kind.PROJECT}
)
_NUMBERED = frozenset({Kind.INVOICE, Kind.CREDIT_NOTE, Kind.BILL})


def _fold(text: str) -> str:
    return normalise_text(text).casefold()


class FakeGateway:
    """One side's service, in memory. Thread-safe: the engine writes on a writer thread."""

    def __init__(
        self,
        side: Side,
        *,
        clock: Clock | None = None,
        tax: Callable[[Invoice | Bill], Decimal] | None = None,
    ) -> None:
        self.side = side
        self.clock = clock or Clock()
        # The tax the service works out for a document it is sent; by default the tax it is
        # told (QuickBooks takes the TxnTaxDetail the gateway adds).
        self.tax = tax
        self.records: dict[Kind, dict[str, Record]] = defaultdict(dict)
        self.files: dict[str, bytes] = {}
        self.calls: Counter[str] = Counter()
        self.sent: list[WriteOp] = []  # every op handed to write_many, replays included
        self.applied: list[WriteOp] = []  # the ops that changed the books
        self._answers: dict[str, WriteOutcome] = {}  # requestid -> first answer (QuickBooks)
        self._failures: list[_Failure] = []
        self._down: RemoteError | None = None
        self._down_calls: frozenset[str] = frozenset()
        self._ids = itertools.count(1)
        self._prefix = "qb-" if side is Side.QBO else "sc-"
        self._lock = threading.RLock()

    # ------------------------------------------------------------------ the test's hand
    def put(self, kind: Kind, record: Record, *, modified: dt.datetime | None = None) -> Record:
        """A record made in the service by a person; returns it as the service holds it."""
        with self._lock:
            rid = record.id or self._new_id()
            stored = self._computed(
                record.replace(id=rid, version="0", modified=modified or self.clock.tick())
            )
            self.records[kind][rid] = stored
            return stored

    def edit(self, kind: Kind, rid: str, **changes: object) -> Record:
        """A person edits the record in the service: new version, new modification time."""
        with self._lock:
            old = self.records[kind][rid]
            new = old.replace(
                **changes, version=str(int(old.version or 0) + 1), modified=self.clock.tick()
            )
            self.records[kind][rid] = self._computed(new)
            return self.records[kind][rid]

    def touch(self, kind: Kind, rid: str) -> Record:
        """Saved again without a change: a new modification time, the same content."""
        return self.edit(kind, rid)

    def delete(self, kind: Kind, rid: str) -> None:
        with self._lock:
            old = self.records[kind][rid]
            self.records[kind][rid] = old.replace(deleted=True, modified=self.clock.tick())

    def live(self, kind: Kind) -> list[Record]:
        with self._lock:
            return [r for r in self.records[kind].values() if not r.deleted]

    def fail(
        self,
        mode: str = "transient",
        *,
        kind: Kind | None = None,
        key: str | None = None,
        committed: bool = False,
        times: int = 1,
        error: RemoteError | None = None,
    ) -> None:
        """The next `times` writes (of `kind`, for source id `key`, when given) fail.

        transient: the service did not answer (retryable); with `committed`, it did the write
        and only the answer was lost. permanent: the service refused the record. validation:
        the gateway refused it before sending (something it cannot represent)."""
        self._failures.append(
            _Failure(error or _failure_error(mode, self.side), kind, key, committed, times)
        )

    def go_down(self, error: RemoteError | None = None, *, calls: Sequence[str] = ()) -> None:
        """The connection is lost: every call (or only those named, e.g. "write_many": the
        reads went through, then the line dropped) raises until `come_back`."""
        self._down = error or ServiceUnavailable(
            f"{self.side.label} cannot be reached", side=self.side.value
        )
        self._down_calls = frozenset(calls)

    def come_back(self) -> None:
        self._down = None

    # ------------------------------------------------------------------ the port
    @property
    def request_count(self) -> int:
        return sum(self.calls.values())

    def _call(self, name: str) -> None:
        self.calls[name] += 1
        if self._down is not None and (not self._down_calls or name in self._down_calls):
            raise self._down

    def changes(
        self, kind: Kind, watermark: str | None, *, bookmark: str | None = None
    ) -> Iterator[ChangeBatch]:
        with self._lock:
            self._call("changes")
            since = dt.datetime.fromisoformat(watermark) if watermark else None
            changed = sorted(
                (r for r in self.records[kind].values() if since is None or r.modified > since),
                key=lambda r: r.modified,
            )
        if changed:
            yield ChangeBatch(records=changed, watermark=changed[-1].modified.isoformat())

    def fetch(self, kind: Kind, ids: Sequence[str]) -> dict[str, Record]:
        with self._lock:
            self._call("fetch")
            table = self.records[kind]
            return {i: table[i] for i in ids if i in table and not table[i].deleted}

    def find(self, kind: Kind, record: Record) -> Record | None:
        with self._lock:
            self._call("find")
            return self._find(kind, record)

    def _find(self, kind: Kind, record: Record) -> Record | None:
        if kind in _NAMED:
            wanted, key = _fold(record.name), lambda r: _fold(r.name)
        elif kind is Kind.TAX_RATE:
            wanted, key = _fold(record.code or record.name), lambda r: _fold(r.code or r.name)
        elif kind in _NUMBERED and record.number:
            wanted, key = _fold(record.number), lambda r: _fold(r.number)
        else:
            return None
        hits = [r for r in self.live(kind) if key(r) == wanted]
        if kind is Kind.BILL and record.contact is not None and record.contact.side is self.side:
            hits = [r for r in hits if r.contact == record.contact]  # numbers are per vendor
        hits.sort(key=lambda r: not getattr(r, "active", True))
        return hits[0] if hits else None

    def write_many(self, ops: Sequence[WriteOp]) -> list[WriteOutcome]:
        with self._lock:
            self._call("write_many")
            return [self._write(op) for op in ops]

    def upload_attachment(self, attachment: Attachment, data: bytes, requestid: str) -> Attachment:
        with self._lock:
            self._call("upload_attachment")
            stored = self.put(Kind.ATTACHMENT, attachment.replace(id=""))
            self.files[stored.id] = data
            return stored

    def download_attachment(self, attachment: Attachment) -> bytes:
        with self._lock:
            self._call("download_attachment")
            return self.files.get(attachment.id, b"")

    # ------------------------------------------------------------------ writing
    def _write(self, op: WriteOp) -> WriteOutcome:
        self.sent.append(op)
        if self.side is Side.QBO and op.requestid in self._answers:
            return dataclasses.replace(self._answers[op.requestid], key=op.key)
        failure = self._take_failure(op)
        if failure is not None and not failure.committed:
            outcome = WriteOutcome(op.key, error=failure.error)
            if not failure.error.retryable:
                self._remember(op, outcome)  # a refusal is an answer too
            return outcome
        outcome = self._apply(op)
        self._remember(op, outcome)
        if failure is not None:
            return WriteOutcome(op.key, error=failure.error)  # written; the answer was lost
        return outcome

    def _remember(self, op: WriteOp, outcome: WriteOutcome) -> None:
        if self.side is Side.QBO and op.requestid:
            self._answers[op.requestid] = outcome

    def _take_failure(self, op: WriteOp) -> _Failure | None:
        for failure in self._failures:
            if failure.kind not in (None, op.kind) or failure.key not in (None, op.key):
                continue
            failure.times -= 1
            if failure.times <= 0:
                self._failures.remove(failure)
            return failure
        return None

    def _apply(self, op: WriteOp) -> WriteOutcome:
        foreign = [r for r in refs_of(op.record) if r.side is not self.side]
        if foreign:
            return WriteOutcome(op.key, error=self._foreign(foreign[0]))
        table = self.records[op.kind]
        if op.op == "create":
            if self.side is Side.SCORO:
                existing = self._find(op.kind, op.record)
                if existing is not None:
                    return WriteOutcome(op.key, record=existing)  # adopted, not made twice
            stored = self._computed(
                op.record.replace(id=self._new_id(), version="0", modified=self.clock.tick())
            )
            table[stored.id] = stored
            self.applied.append(op)
            return WriteOutcome(op.key, record=stored)
        target_id = op.current.id if op.current is not None else op.record.id
        stored = table.get(target_id)
        if stored is None or stored.deleted:
            return WriteOutcome(
                op.key,
                error=NotFound(
                    f"The {op.kind.label.lower()} to update is not in {self.side.label}",
                    side=self.side.value,
                    code="610",
                ),
            )
        stale = op.current is not None and op.current.version != stored.version
        if self.side is Side.QBO and stale:
            return WriteOutcome(
                op.key,
                error=StaleObject(
                    "Someone changed this record since it was read", side="quickbooks", code="5010"
                ),
            )
        new = self._computed(
            op.record.replace(id=stored.id, version=stored.version, modified=stored.modified)
        )
        if new.fingerprint() == stored.fingerprint():
            return WriteOutcome(op.key, record=op.current or stored, sent=False)
        new = new.replace(version=str(int(stored.version or 0) + 1), modified=self.clock.tick())
        table[stored.id] = new
        self.applied.append(op)
        return WriteOutcome(op.key, record=new)

    def _foreign(self, ref: Ref) -> RecordRejected:
        return RecordRejected(
            f"The record names {ref.kind.label.lower()} {ref.id} of {ref.side.label}, which "
            f"{self.side.label} does not know",
            side=self.side.value,
        )

    def _computed(self, rec: Record) -> Record:
        """What the service works out itself on a document: its tax and total."""
        if not isinstance(rec, Invoice | Bill):
            return rec
        tax = self.tax(rec) if self.tax is not None else (rec.tax_total or Decimal(0))
        return rec.replace(tax_total=tax, total=rec.subtotal + tax)

    def _new_id(self) -> str:
        return f"{self._prefix}{next(self._ids)}"
