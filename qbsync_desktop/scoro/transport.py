"""HTTP to one Scoro site: POST + JSON envelopes, typed errors, retries and a rate budget.

Scoro reports errors two ways (a real HTTP status, or HTTP 200 with `status: "ERROR"`), so both
are checked. Only 429, 5xx and connection errors are retried; a write is retried only when the
request cannot have reached the application (connect errors, 429, 502-504), because Scoro has
no idempotency key and a replayed create would make a duplicate.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import ipaddress
import logging
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import requests

from .. import deadline, jsonio
from ..domain.errors import (
    AuthenticationFailed,
    NotFound,
    QuotaExhausted,
    RateLimited,
    RecordRejected,
    RemoteError,
    ServiceUnavailable,
)
from .ratebudget import RateBudget, header_int

log = logging.getLogger("qbsync_desktop.scoro")

SIDE = "scoro"
LOOPBACK_NAMES = {"localhost"}
# Scoro's messages for a wrong key arrive with odd codes on some sites; these words mark them.
_AUTH_WORDS = (
    "api key",
    "apikey",
    "api_key",
    "user_token",
    "unauthor",
    "not authenticated",
    "authentication",
    "company_account_id",
    "access denied",
    "permission",
)
_RETRY_HTTP = {408, 429, 500, 502, 503, 504}
# 500 may mean "crashed after commit": a write is not replayed on it.
_SAFE_WRITE_RETRY_HTTP = {429, 502, 503, 504}


class _Retry(Exception):
    def __init__(self, error: RemoteError, wait: float) -> None:
        super().__init__(str(error))
        self.error = error
        self.wait = wait


def normalise_site_url(site_url: str) -> str:
    """Accept what a user pastes (`https://acme.scoro.com/`, `.../api/v2`) and return the site."""
    url = site_url.strip().rstrip("/")
    for suffix in ("/api/v2", "/api"):
        if url.endswith(suffix):
            url = url[: -len(suffix)]
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError(f"not a Scoro site address: {site_url!r}")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        # Scoro rejects plain HTTP anyway; refusing here keeps the key off the wire.
        raise ValueError("the Scoro site address must start with https://")
    return url


def _is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class ScoroTransport:
    def __init__(
        self,
        site_url: str,
        api_key: str,
        company_account_id: str,
        session: requests.Session | None = None,
        timeout: tuple[float, float] = (5, 30),
        *,
        lang: str = "eng",
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], dt.datetime] | None = None,
        max_attempts: int = 5,
        backoff: float = 0.5,
        max_wait: float = 60.0,
        answer_deadline: float = deadline.ANSWER_DEADLINE,
    ) -> None:
        if not api_key:
            raise ValueError("a Scoro API key is required")
        self.answer_deadline = answer_deadline
        self.site_url = normalise_site_url(site_url)
        self.api_base = f"{self.site_url}/api/v2"
        self._api_key = api_key
        self.company_account_id = company_account_id
        self.lang = lang
        self.session = session or requests.Session()
        self.timeout = timeout
        self._sleep = sleep
        self.max_attempts = max(1, max_attempts)
        self.backoff = backoff
        self.max_wait = max_wait
        self.budget = RateBudget(clock=clock, sleep=sleep, wall_clock=wall_clock)
        self._count = 0
        self.server_time: dt.datetime | None = None
        self._count_lock = threading.Lock()

    def __repr__(self) -> str:
        return (
            f"ScoroTransport(site_url={self.site_url!r}, "
            f"company_account_id={self.company_account_id!r}, api_key=***)"
        )

    @property
    def request_count(self) -> int:
        return self._count

    # -- public --------------------------------------------------------------------------

    def call(
        self,
        module: str,
        action: str,
        object_id: str | int | None = None,
        *,
        request: dict[str, Any] | list[Any] | None = None,
        idempotent: bool = True,
        **top: Any,
    ) -> dict[str, Any]:
        """POST one API call and return the OK envelope (with `data` when Scoro sent it)."""
        response = self._send(module, action, object_id, request, top, idempotent)
        return self._envelope(response, module, action)

    def call_raw(
        self,
        module: str,
        action: str,
        object_id: str | int | None = None,
        *,
        request: dict[str, Any] | None = None,
        **top: Any,
    ) -> tuple[bytes, dict[str, Any] | None]:
        """For downloads: the raw body, plus the envelope when the body was a JSON envelope."""
        response = self._send(module, action, object_id, request, top, True)
        body = response.content
        ctype = response.headers.get("Content-Type", "")
        if "json" in ctype or body[:1] == b"{":
            try:
                doc = jsonio.loads(body)
            except (UnicodeDecodeError, ValueError):
                return body, None
            if isinstance(doc, dict) and "status" in doc:
                return body, self._check_envelope(doc, response.status_code, module, action)
        return body, None

    # -- sending -------------------------------------------------------------------------

    def _url(self, module: str, action: str, object_id: str | int | None) -> str:
        url = f"{self.api_base}/{module}/{action}"
        if object_id is not None:
            url += f"/{object_id}"
        return url

    def _body(self, request: Any, top: dict[str, Any]) -> bytes:
        body: dict[str, Any] = {
            "apiKey": self._api_key,
            "company_account_id": self.company_account_id,
            "lang": self.lang,
            "request": request if request is not None else {},
        }
        body.update({k: v for k, v in top.items() if v is not None})
        return jsonio.dumps(body).encode("utf-8")

    def _send(self, module, action, object_id, request, top, idempotent) -> requests.Response:
        url = self._url(module, action, object_id)
        data = self._body(request, top)
        attempt = 0
        while True:
            attempt += 1
            self.budget.before_request(self._quota_error)
            try:
                return self._attempt(url, data, module, action, idempotent)
            except _Retry as retry:
                if attempt >= self.max_attempts:
                    _log_failure(module, action, retry.error, attempt, "giving up")
                    raise retry.error from None
                wait = min(max(retry.wait, self.backoff * 2 ** (attempt - 1)), self.max_wait)
                _log_failure(module, action, retry.error, attempt, f"retrying in {wait:.1f} s")
                self._sleep(wait)
            except RemoteError as error:
                # A write that may have committed (dropped, timed out, 500): not repeated
                # here; the engine's outbox finds it before creating again.
                _log_failure(module, action, error, attempt, "not retried")
                raise

    def _observe_date(self, header: str | None) -> None:
        """Remember the server's clock: change detection moves its watermark by it, not by
        this machine's clock (which may be off)."""
        if not header:
            return
        try:
            when = email.utils.parsedate_to_datetime(header)
        except (TypeError, ValueError):
            return
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        self.server_time = when

    def _attempt(self, url, data, module, action, idempotent) -> requests.Response:
        with self._count_lock:
            self._count += 1
        try:
            response = deadline.request(
                self.session,
                "POST",
                url,
                deadline=self.answer_deadline,
                data=data,
                headers={"Content-Type": "application/json", "Accept": "application/json"},
                timeout=self.timeout,
                verify=True,  # never configurable: the API key travels in this body
                allow_redirects=False,
            )
        except requests.exceptions.SSLError as exc:
            raise ServiceUnavailable(
                "The Scoro site's security certificate could not be verified.",
                side=SIDE,
                detail=self._redact(type(exc).__name__),
            ) from None
        except (requests.ConnectionError, requests.Timeout) as exc:
            error = ServiceUnavailable(
                "Scoro could not be reached (network error or timeout).",
                side=SIDE,
                detail=type(exc).__name__,
            )
            error.maybe_committed = not _never_sent(exc)  # type: ignore[attr-defined]
            if idempotent or not error.maybe_committed:  # type: ignore[attr-defined]
                raise _Retry(error, 0) from None
            raise error from None
        log.debug("Scoro %s/%s -> HTTP %s", module, action, response.status_code)
        self.budget.observe(response.headers)
        self.budget.finished()
        self._observe_date(response.headers.get("Date"))
        status = response.status_code
        if status == 429 or self._envelope_code(response) == 429:
            self._raise_rate_limited(response)
        if status >= 500 or status == 408:
            error = ServiceUnavailable(
                f"Scoro answered with a server error (HTTP {status}).",
                side=SIDE,
                http_status=status,
                code=str(status),
            )
            if status in (_SAFE_WRITE_RETRY_HTTP if not idempotent else _RETRY_HTTP):
                raise _Retry(error, _retry_after(response.headers) or 0)
            error.maybe_committed = True  # type: ignore[attr-defined]
            raise error
        if 300 <= status < 400:
            raise ServiceUnavailable(
                f"Scoro redirected the request (HTTP {status}); check the site address.",
                side=SIDE,
                http_status=status,
            )
        return response

    def _raise_rate_limited(self, response: requests.Response) -> None:
        quota = self.budget.quota_spent()
        if quota is not None:
            raise self._quota_error()
        wait: float | None = _retry_after(response.headers)
        if wait is None:
            wait = self.budget.window_reset() or 1.0
        wait = min(max(wait, 0.5), self.max_wait)
        error = RateLimited(
            "Scoro's request limit was reached; waited and retried without success.",
            side=SIDE,
            http_status=response.status_code,
            code="429",
            retry_after=wait,
        )
        raise _Retry(error, wait)

    def _quota_error(self) -> QuotaExhausted:
        when = self.budget.quota_reset_at()
        if when is not None:
            stamp = when.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
            detail = f"It resets at {stamp}; the sync resumes after that."
        else:
            detail = "It resets at midnight UTC; the sync resumes after that."
        return QuotaExhausted(
            "Scoro's daily API request quota for this site is used up.",
            side=SIDE,
            code="429",
            detail=detail,
            http_status=429,
        )

    # -- reading -------------------------------------------------------------------------

    @staticmethod
    def _envelope_code(response: requests.Response) -> int | None:
        if "json" not in response.headers.get("Content-Type", "") and response.content[:1] != b"{":
            return None
        try:
            doc = response.json()
        except ValueError:
            return None
        if isinstance(doc, dict) and str(doc.get("status", "")).upper() == "ERROR":
            return _int(doc.get("statusCode"))
        return None

    def _envelope(self, response: requests.Response, module: str, action: str) -> dict[str, Any]:
        try:
            doc = jsonio.loads(response.content)
        except (UnicodeDecodeError, ValueError):
            doc = None
        if not isinstance(doc, dict):
            # Non-JSON bodies (proxy pages, HTML errors) are classified by status alone.
            self._raise_for(response.status_code, None, [], module, action)
            raise ServiceUnavailable(
                f"Scoro sent an unreadable answer to {module}/{action}.",
                side=SIDE,
                http_status=response.status_code,
            )
        return self._check_envelope(doc, response.status_code, module, action)

    def _check_envelope(self, doc, http_status, module, action) -> dict[str, Any]:
        status = str(doc.get("status", "")).upper()
        code = _int(doc.get("statusCode"))
        messages = error_messages(doc)
        if 200 <= http_status < 300 and status == "OK" and (code is None or code < 400):
            return doc
        self._raise_for(http_status, code, messages, module, action)
        raise RecordRejected(
            self._redact("; ".join(messages) or f"Scoro refused {module}/{action}."),
            side=SIDE,
            code=str(code or ""),
            http_status=http_status,
        )

    def _raise_for(self, http_status, code, messages, module, action) -> None:
        effective = http_status if http_status >= 400 else (code or 0)
        if http_status < 400 and code is None and not messages:
            return
        text = self._redact("; ".join(messages))
        kw = {"side": SIDE, "code": str(code or effective or ""), "http_status": http_status}
        lowered = text.lower()
        if effective in (401, 403) or any(w in lowered for w in _AUTH_WORDS):
            raise AuthenticationFailed(
                "Scoro refused the API key or company account; check them in the connection "
                "settings.",
                detail=text,
                **kw,
            )
        if effective == 404:
            raise NotFound(text or f"{module} object not found.", **kw)
        if effective == 429:
            raise RateLimited(text or "Too many requests.", **kw)
        if effective >= 500:
            raise ServiceUnavailable(text or f"Scoro server error ({effective}).", **kw)
        if effective >= 400 or messages:
            raise RecordRejected(text or f"Scoro refused {module}/{action}.", **kw)

    def _redact(self, text: str) -> str:
        return text.replace(self._api_key, "***") if self._api_key else text


def error_messages(doc: dict[str, Any]) -> list[str]:
    """`messages.error` comes as a list, a string or a field map; `errors` may appear too."""
    out: list[str] = []
    messages = doc.get("messages")
    sources: list[Any] = []
    if isinstance(messages, dict):
        sources.append(messages.get("error"))
    elif isinstance(messages, list | str):
        sources.append(messages)
    sources.append(doc.get("errors"))
    for source in sources:
        _flatten(source, "", out)
    return out


def _flatten(value: Any, prefix: str, out: list[str]) -> None:
    if value is None or value == "":
        return
    if isinstance(value, str):
        out.append(f"{prefix}{value}" if prefix else value)
    elif isinstance(value, list):
        for item in value:
            _flatten(item, prefix, out)
    elif isinstance(value, dict):
        for key, item in value.items():
            _flatten(item, f"{key}: ", out)
    else:
        out.append(f"{prefix}{value}")


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _retry_after(headers) -> int | None:
    seconds = header_int(headers.get("Retry-After"))
    return None if seconds is None else max(0, seconds)


def _log_failure(module: str, action: str, error: RemoteError, attempt: int, outcome: str) -> None:
    """One INFO line per failed attempt (429, 5xx, timeout, dropped connection), so every
    failure the service caused is in the log. Never the body: it carries the API key."""
    log.info(
        "Scoro request failed: %s/%s -> %s (attempt %d); %s",
        module,
        action,
        error.http_status or error.detail or type(error).__name__,
        attempt,
        outcome,
    )


def _never_sent(exc: Exception) -> bool:
    """True when the request surely did not reach Scoro (so a write may be sent again)."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = repr(exc)
    return "NewConnectionError" in reason or "NameResolutionError" in reason
