"""Errors every layer understands. Messages are written for a bookkeeper; never hold secrets."""

from __future__ import annotations


class QbsyncError(Exception):
    """Root of every error qbsync raises on purpose: the store's, the secret stores', the
    connectors' and the sync's. `str()` is the message for the bookkeeper (what happened and
    what to do) and never holds a secret, so a caller may show it as it is."""

    @property
    def user_message(self) -> str:
        return str(self)


class SyncError(QbsyncError):
    """Base of everything the engine knows how to report."""


class RemoteError(SyncError):
    """A service answered with an error (or did not answer).

    `side` is "scoro" or "quickbooks"; `code` the service's own code (QBO "6240", Scoro's
    statusCode); `tid` the intuit_tid for QuickBooks support requests.
    """

    retryable = False

    def __init__(
        self,
        message: str,
        *,
        side: str = "",
        code: str = "",
        detail: str = "",
        http_status: int | None = None,
        tid: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.side = side
        self.code = code
        self.detail = detail
        self.http_status = http_status
        self.tid = tid

    def __str__(self) -> str:
        parts = [self.message]
        if self.detail and self.detail not in self.message:
            parts.append(self.detail)
        if self.code:
            parts.append(f"(code {self.code})")
        if self.tid:
            parts.append(f"[intuit_tid {self.tid}]")
        return " ".join(parts)


class RecordRejected(RemoteError):
    """The service refused this one record (validation, duplicate name, bad reference).
    Affects only that record: it becomes a review item."""


class StaleObject(RecordRejected):
    """QuickBooks 5010: someone changed the object since we read it. Re-read and re-plan."""


class NotRepresentable(RecordRejected):
    """The update would rewrite something of the other side's copy that we cannot represent
    faithfully (a bundle line, a percent discount, a link to a vendor credit). Nothing is
    sent; the record is held with the reason."""


class NotFound(RecordRejected):
    """The object does not exist (or was deleted) at the service."""


class ServiceUnavailable(RemoteError):
    """Network error, timeout, 5xx or throttling that outlived the retries. Stops this
    connection's run; everything not yet done is retried next time."""

    retryable = True


class RateLimited(ServiceUnavailable):
    def __init__(self, message: str, *, retry_after: float | None = None, **kw) -> None:
        super().__init__(message, **kw)
        self.retry_after = retry_after


class QuotaExhausted(ServiceUnavailable):
    """Scoro's daily request quota is spent: stop cleanly and resume tomorrow."""


class AuthenticationFailed(RemoteError):
    """Credentials refused (bad Scoro API key, 401/403 after a refresh)."""


class ReconnectNeeded(AuthenticationFailed):
    """The QuickBooks refresh token is revoked or expired (invalid_grant): the bookkeeper must
    authorize again. Nothing is lost; only this connection stops."""


class MalformedRecord(SyncError):
    """A record the service sent could not be understood; affects only that record."""

    def __init__(self, message: str, *, kind: str = "", record_id: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.record_id = record_id


class SettingsInvalid(SyncError):
    """A setting the rules do not allow; the message says which and why."""


class ConnectionBusy(SyncError):
    """A sync of this connection is already running, here or in another process."""
