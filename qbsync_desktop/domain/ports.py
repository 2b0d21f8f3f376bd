"""The contract between the sync engine and each side's connector.

Both connectors (`quickbooks.gateway.QuickBooksGateway`, `scoro.gateway.ScoroGateway`) implement
`SideGateway`. Records crossing this boundary carry refs of the gateway's own side: the engine
translates refs through links before it hands a record to the other side.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from .errors import MalformedRecord, RemoteError
from .kinds import Kind, Side
from .records import Attachment, Record


@dataclass(frozen=True)
class ChangeBatch:
    """Records changed since a watermark, in ascending modification order.

    `watermark` is safe to persist once every record of this batch (and earlier ones) has been
    synced or held for review. Deleted records come back with `deleted=True`. Records that
    could not be parsed are in `errors` and must not stop the others.
    """

    records: Sequence[Record]
    errors: Sequence[MalformedRecord] = ()
    watermark: str = ""


@dataclass(frozen=True)
class WriteOp:
    key: str  # caller's key, e.g. the source id; echoed in the outcome
    kind: Kind
    op: Literal["create", "update"]
    record: Record  # desired content, refs on this gateway's side
    requestid: str
    current: Record | None = None  # for update: the target's current version (SyncToken)


@dataclass(frozen=True)
class WriteOutcome:
    key: str
    record: Record | None = None  # as the service now holds it
    error: RemoteError | None = None
    # False when nothing we own differed, so no request was made.
    sent: bool = True


@dataclass(frozen=True)
class Bookmark:
    id: str
    name: str
    module: str
    filters: dict = field(default_factory=dict)  # with the user and status filters dropped (R51)
    dropped: tuple[str, ...] = ()  # names of the filters not applied


class SideGateway(Protocol):
    side: Side

    def changes(
        self,
        kind: Kind,
        watermark: str | None,
        *,
        bookmark: str | None = None,
    ) -> Iterator[ChangeBatch]:
        """Every record of `kind` modified after `watermark` (None: all of them)."""
        ...

    def fetch(self, kind: Kind, ids: Sequence[str]) -> dict[str, Record]:
        """Current versions by id; missing ids are absent. Batched: not one request per id
        where the service allows better."""
        ...

    def find(self, kind: Kind, record: Record) -> Record | None:
        """The matching record by natural key (name, display name, document number), used by
        the matching rules and as the find-before-create guard."""
        ...

    def write_many(self, ops: Sequence[WriteOp]) -> list[WriteOutcome]:
        """Creates and updates. A per-record failure is an outcome with `error`; only a
        connection-level failure (ServiceUnavailable, ReconnectNeeded...) raises."""
        ...

    def upload_attachment(
        self, attachment: Attachment, data: bytes, requestid: str
    ) -> Attachment: ...

    def download_attachment(self, attachment: Attachment) -> bytes: ...

    @property
    def request_count(self) -> int: ...
