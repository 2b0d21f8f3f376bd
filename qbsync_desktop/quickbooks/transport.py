"""HTTP to the QuickBooks Accounting API: budget, retries, token refresh, typed errors.

Only 429, 5xx and connection errors are retried; a 4xx is an answer about the request and
repeating it changes nothing. Every write carries a `requestid`, so repeating a write whose
response was lost makes QuickBooks replay its first answer instead of writing twice.
"""

from __future__ import annotations

import email.utils
import logging
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any, Protocol

import requests

from .. import deadline, jsonio
from ..domain.errors import (
    AuthenticationFailed,
    RateLimited,
    RemoteError,
    ServiceUnavailable,
)
from .endpoints import QuickBooksEndpoints
from .faults import SIDE, error_from_fault, fault_from_json, parse_error_body
from .ratebudget import RateBudget, budget_for_realm

log = logging.getLogger(__name__)

MINOR_VERSION = "75"
USER_AGENT = "qbsync-desktop/0.1"
_RETRYABLE_EXC = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
)


class TokenSource(Protocol):
    def access_token(self) -> str: ...

    def force_refresh(self, stale: str | None = None) -> str: ...


def _retry_after(response: requests.Response, now: Callable[[], float]) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return int(value)  # whole seconds (RFC 9110); a wait, not money
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now())


class QuickBooksTransport:
    def __init__(
        self,
        endpoints: QuickBooksEndpoints,
        realm_id: str,
        tokens: TokenSource,
        session: requests.Session | None = None,
        timeout: tuple[float, float] = (5, 30),
        rate: RateBudget | None = None,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        max_retries: int = 4,
        throttle_wait: float = 60.0,
        backoff_base: float = 1.0,
        backoff_cap: float = 60.0,
        answer_deadline: float = deadline.ANSWER_DEADLINE,
    ) -> None:
        self.endpoints = endpoints
        self.answer_deadline = answer_deadline
        self.realm_id = str(realm_id)
        self.tokens = tokens
        self.session = session or requests.Session()
        self.timeout = timeout
        self.rate = rate if rate is not None else budget_for_realm(self.realm_id)
        self._clock = clock
        self._sleep = sleep
        self.max_retries = max_retries
        self.throttle_wait = throttle_wait
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self._count = 0
        self._count_lock = threading.Lock()
        self.last_tid = ""

    @property
    def company_url(self) -> str:
        return f"{self.endpoints.api_base}/company/{self.realm_id}"

    @property
    def request_count(self) -> int:
        return self._count

    def _counted(self) -> None:
        with self._count_lock:
            self._count += 1

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        body: Any = None,
        text_body: str | None = None,
        files: Any = None,
        requestid: str | None = None,
        write: bool | None = None,
        batch: bool = False,
    ) -> dict:
        """One API call relative to the company URL; returns the parsed JSON envelope."""
        method = method.upper()
        is_write = write if write is not None else (method == "POST" and text_body is None)
        if is_write and not requestid:
            # Without a requestid a retried write could create a second object.
            requestid = uuid.uuid4().hex
        query = {"minorversion": MINOR_VERSION, **(params or {})}
        if requestid:
            query["requestid"] = requestid
        headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
        data: bytes | None = None
        if body is not None:
            data = jsonio.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        elif text_body is not None:
            data = text_body.encode("utf-8")
            headers["Content-Type"] = "application/text"
        url = f"{self.company_url}/{path.lstrip('/')}"
        return self._send(method, url, query, headers, data, files, batch=batch)

    def _http(self, batch: bool, method: str, url: str, **kw) -> requests.Response:
        """A few requests in flight per company (`ratebudget.CONCURRENT`): single writes go
        beside batches. Each counts in the budget from its admission until its answer is
        back, so requests overlapping on the wire still reach Intuit's windows within the
        budget (a 429 there costs a minute). The budget is waited for before a place on the
        wire, so single writes waiting for the minute's budget never keep a batch or a read
        off the wire."""
        self.rate.acquire(batch=batch)
        try:
            with self.rate.sending:
                return deadline.request(
                    self.session, method, url, deadline=self.answer_deadline, **kw
                )
        finally:
            self.rate.settle()

    def _send(self, method, url, query, headers, data, files, *, batch: bool) -> dict:
        refreshed = False
        attempt = 0
        while True:
            token = self.tokens.access_token()
            started = time.monotonic()
            try:
                self._counted()
                response = self._http(
                    batch,
                    method,
                    url,
                    params=query,
                    data=data,
                    files=files,
                    headers={**headers, "Authorization": f"Bearer {token}"},
                    timeout=self.timeout,
                    verify=True,
                    allow_redirects=False,
                )
            except requests.exceptions.SSLError:
                raise ServiceUnavailable(
                    "The secure connection to QuickBooks could not be verified (its certificate "
                    "was not trusted). Nothing was sent. Check the computer's date and any "
                    "network proxy, then try again.",
                    side=SIDE,
                ) from None
            except _RETRYABLE_EXC as exc:
                if attempt >= self.max_retries:
                    _log_failure(method, url, type(exc).__name__, "", attempt, None)
                    kind = "timed out" if isinstance(exc, requests.Timeout) else "network error"
                    raise ServiceUnavailable(
                        f"QuickBooks could not be reached ({kind}, after {attempt + 1} tries). "
                        "Check the internet connection; the sync will carry on from here next "
                        "time.",
                        side=SIDE,
                    ) from None
                wait = self._backoff(attempt)
                _log_failure(method, url, type(exc).__name__, "", attempt, wait)
                self._sleep(wait)
                attempt += 1
                continue
            tid = response.headers.get("intuit_tid", "")
            self.last_tid = tid
            log.debug(
                "%s %s -> %s intuit_tid=%s (%.0f ms)",
                method,
                _path(url),
                response.status_code,
                tid,
                (time.monotonic() - started) * 1000,
            )
            status = response.status_code
            if status == 401 and not refreshed:
                refreshed = True
                self.tokens.force_refresh(stale=token)
                continue
            if 200 <= status < 300:
                return self._parse_ok(response, tid, batch=batch)
            error = self._error(response, tid)
            if isinstance(error, AuthenticationFailed) or not error.retryable:
                raise error
            if attempt >= self.max_retries:
                _log_failure(method, url, f"HTTP {status}", tid, attempt, None)
                raise error
            wait = self._wait_for(error, response, attempt)
            _log_failure(method, url, f"HTTP {status}", tid, attempt, wait)
            self._sleep(wait)
            attempt += 1

    def _backoff(self, attempt: int) -> float:
        return min(self.backoff_cap, self.backoff_base * (2**attempt))

    def _wait_for(self, error: RemoteError, response: requests.Response, attempt: int) -> float:
        retry_after = _retry_after(response, self._clock)
        if retry_after is not None:
            return retry_after
        if isinstance(error, RateLimited):
            return self.throttle_wait
        return self._backoff(attempt)

    def _error(self, response: requests.Response, tid: str) -> RemoteError:
        fault = parse_error_body(
            response.status_code, response.headers.get("Content-Type", ""), response.content
        )
        status = response.status_code
        if status == 403 and fault and fault.first.code.lstrip("0") == "3001":
            status = 429  # 2016-era throttles came as 403
        return error_from_fault(
            fault, status=status, tid=tid, retry_after=_retry_after(response, self._clock)
        )

    def _parse_ok(self, response: requests.Response, tid: str, *, batch: bool) -> dict:
        try:
            payload = jsonio.loads(response.content)
        except ValueError:
            raise ServiceUnavailable(
                "QuickBooks sent a response that could not be read",
                side=SIDE,
                http_status=response.status_code,
                tid=tid,
            ) from None
        if not isinstance(payload, dict):
            raise ServiceUnavailable("QuickBooks sent an unexpected response", side=SIDE, tid=tid)
        fault = fault_from_json(payload) if not batch else None
        if fault and fault.errors:
            raise error_from_fault(fault, status=400, tid=tid)
        return payload

    def download(self, url: str, *, max_bytes: int = 200 * 1024 * 1024) -> bytes:
        """Fetch a file QuickBooks links to (an attachment's temporary URL).

        No Authorization header: the link is pre-signed and may point at another host.
        """
        from .endpoints import check_url

        check_url(url)
        attempt = 0
        while True:
            try:
                self._counted()
                response = self.session.get(
                    url, timeout=self.timeout, verify=True, stream=True, allow_redirects=True
                )
                if response.status_code >= 500 and attempt < self.max_retries:
                    self._sleep(self._backoff(attempt))
                    attempt += 1
                    continue
                if response.status_code != 200:
                    raise ServiceUnavailable(
                        f"The attachment could not be downloaded (HTTP {response.status_code})",
                        side=SIDE,
                        http_status=response.status_code,
                    )
                chunks, size = [], 0
                for chunk in response.iter_content(64 * 1024):
                    size += len(chunk)
                    if size > max_bytes:
                        raise ServiceUnavailable("The attachment is too large", side=SIDE)
                    chunks.append(chunk)
                return b"".join(chunks)
            except _RETRYABLE_EXC:
                if attempt >= self.max_retries:
                    raise ServiceUnavailable(
                        "The attachment could not be downloaded", side=SIDE
                    ) from None
                self._sleep(self._backoff(attempt))
                attempt += 1


def _path(url: str) -> str:
    return url.split("?", 1)[0]


def _log_failure(method, url, what: str, tid: str, attempt: int, wait: float | None) -> None:
    """One INFO line per failed attempt (429, 5xx, timeout, dropped connection), so every
    failure the service caused can be found in the log: retried or given up. The path only:
    the query string may carry a query's text, never a token (those go in headers)."""
    outcome = "giving up" if wait is None else f"retrying in {wait:.1f} s"
    log.info(
        "QuickBooks request failed: %s %s -> %s (attempt %d); %s%s",
        method,
        _path(url),
        what,
        attempt + 1,
        outcome,
        f" (intuit_tid={tid})" if tid else "",
    )
