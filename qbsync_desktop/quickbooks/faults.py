"""Turn QuickBooks error responses into the typed errors the engine understands.

Bodies are read by status first: the 429 throttle fault is XML even when JSON was asked for, 413
comes from a proxy as HTML, and the API gateway's 401 JSON uses lower-case keys.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from typing import Any

from .. import jsonio
from ..domain.errors import (
    AuthenticationFailed,
    NotFound,
    RateLimited,
    RecordRejected,
    RemoteError,
    ServiceUnavailable,
    StaleObject,
)

SIDE = "quickbooks"
_MAX_DETAIL = 500

_XML_ERROR = re.compile(r"<Error\b([^>]*)>(.*?)</Error>", re.S | re.I)
_XML_CODE = re.compile(r"\bcode\s*=\s*\"([^\"]*)\"", re.I)
_XML_ELEMENT = re.compile(r"\belement\s*=\s*\"([^\"]*)\"", re.I)
_XML_MESSAGE = re.compile(r"<Message>(.*?)</Message>", re.S | re.I)
_XML_DETAIL = re.compile(r"<Detail>(.*?)</Detail>", re.S | re.I)
_XML_FAULT_TYPE = re.compile(r"<Fault\b[^>]*\btype\s*=\s*\"([^\"]*)\"", re.I)

# Codes where the record itself is at fault (validation, duplicates, bad references).
_THROTTLE_CODES = {"3001"}
_AUTH_CODES = {"100", "3200", "3201", "003200"}
_AUTHZ_CODES = {"120", "3100", "003100"}
_NOT_FOUND_CODES = {"610"}
_STALE_CODES = {"5010"}


@dataclass(frozen=True)
class FaultError:
    code: str = ""
    message: str = ""
    detail: str = ""
    element: str = ""


@dataclass(frozen=True)
class Fault:
    type: str = ""
    errors: tuple[FaultError, ...] = ()

    @property
    def first(self) -> FaultError:
        return self.errors[0] if self.errors else FaultError()


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_DETAIL else text[: _MAX_DETAIL - 1] + "…"


def _get(mapping: dict, *names: str):
    for name in names:
        if name in mapping:
            return mapping[name]
    lowered = {str(k).lower(): v for k, v in mapping.items()}
    for name in names:
        if name.lower() in lowered:
            return lowered[name.lower()]
    return None


def fault_from_json(obj: object) -> Fault | None:
    """The Fault of an envelope (or a Fault object itself) in either key casing."""
    if not isinstance(obj, dict):
        return None
    fault = _get(obj, "Fault", "fault")
    if fault is None and _get(obj, "Error", "error") is not None:
        fault = obj
    if not isinstance(fault, dict):
        return None
    raw_errors = _get(fault, "Error", "error") or []
    if isinstance(raw_errors, dict):
        raw_errors = [raw_errors]
    errors = []
    for raw in raw_errors:
        if not isinstance(raw, dict):
            continue
        errors.append(
            FaultError(
                code=str(_get(raw, "code", "Code") or ""),
                message=_clip(str(_get(raw, "Message", "message") or "")),
                detail=_clip(str(_get(raw, "Detail", "detail") or "")),
                element=str(_get(raw, "element", "Element") or ""),
            )
        )
    return Fault(type=str(_get(fault, "type", "Type") or ""), errors=tuple(errors))


def fault_from_xml(text: str) -> Fault | None:
    # Regular expressions rather than an XML parser: the body is untrusted and we need only
    # four values; this cannot be made to expand entities or fetch anything.
    errors = []
    for attrs, inner in _XML_ERROR.findall(text):
        code = _XML_CODE.search(attrs)
        element = _XML_ELEMENT.search(attrs)
        message = _XML_MESSAGE.search(inner)
        detail = _XML_DETAIL.search(inner)
        errors.append(
            FaultError(
                code=code.group(1) if code else "",
                message=_clip(html.unescape(message.group(1))) if message else "",
                detail=_clip(html.unescape(detail.group(1))) if detail else "",
                element=html.unescape(element.group(1)) if element else "",
            )
        )
    if not errors:
        return None
    fault_type = _XML_FAULT_TYPE.search(text)
    return Fault(type=fault_type.group(1) if fault_type else "", errors=tuple(errors))


def parse_error_body(status: int, content_type: str, body: bytes) -> Fault | None:
    text = body.decode("utf-8", "replace").strip()
    if status == 413:
        return Fault("SERVICE", (FaultError("413", "Request Entity Too Large"),))
    looks_xml = text.startswith("<") or "xml" in content_type.lower()
    if status == 429 or looks_xml:
        found = fault_from_xml(text)
        if found:
            return found
    if text.startswith("{"):
        try:
            return fault_from_json(jsonio.loads(text))
        except (ValueError, json.JSONDecodeError):
            return None
    return None


def _message_for(status: int, fault: Fault | None) -> str:
    err = fault.first if fault else FaultError()
    if err.message and not err.message.startswith("message="):
        return err.message
    if status == 429 or err.code in _THROTTLE_CODES:
        return "QuickBooks asked us to slow down (request limit reached)"
    if status == 401:
        return "QuickBooks did not accept the sign-in"
    if status == 403:
        return "QuickBooks refused access to this company"
    if status == 413:
        return "The request was too large for QuickBooks"
    if status >= 500:
        return f"QuickBooks is not available right now (HTTP {status})"
    return err.message or f"QuickBooks refused the request (HTTP {status})"


def error_from_fault(
    fault: Fault | None,
    *,
    status: int = 400,
    tid: str = "",
    retry_after: float | None = None,
) -> RemoteError:
    """The typed error for a fault (HTTP status for a whole response, 400 for a batch item)."""
    err = fault.first if fault else FaultError()
    code = err.code.lstrip("0") or err.code
    detail = err.detail
    if err.element and err.element not in detail:
        detail = f"{detail} (field {err.element})".strip()
    kw: dict[str, Any] = {
        "side": SIDE,
        "code": code,
        "detail": detail,
        "http_status": status,
        "tid": tid,
    }
    message = _message_for(status, fault)
    if status == 429 or code in _THROTTLE_CODES:
        return RateLimited(message, retry_after=retry_after, **kw)
    if status == 401 or code in _AUTH_CODES:
        return AuthenticationFailed(message, **kw)
    if code in _AUTHZ_CODES:
        if code == "3100":
            kw["detail"] = (detail + " Check that the environment matches the keys.").strip()
        return AuthenticationFailed(message, **kw)
    if code in _STALE_CODES:
        return StaleObject(message, **kw)
    if code in _NOT_FOUND_CODES or status == 404:
        return NotFound(message, **kw)
    if status >= 500 or (code.isdigit() and int(code) >= 10000):
        return ServiceUnavailable(message, **kw)
    if status == 403:
        return AuthenticationFailed(message, **kw)
    return RecordRejected(message, **kw)
