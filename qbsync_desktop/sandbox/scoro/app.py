"""The WSGI application: routing, authentication, rate limits, faults and module dispatch.

``POST /api/v2/<module>/<action>[/<id>]`` is the API; ``/_sandbox/...`` is the control plane
(see ``control.py``); ``GET /pdf/...`` serves the ``pdf_link`` URLs (``pdfs.py``). Anything
else is a 404 envelope; any method but POST on the API is a 405 envelope.
"""

from __future__ import annotations

import base64
import socket
import time
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request, Response

from . import control, files, listing, pdfs
from .documents import add_invoice_numbers
from .envelope import ScoroError, dumps, error_body, http_status_for, loads, ok
from .faults import Fault
from .ratelimit import Limited
from .records import Ctx, delete, find, render, spec_for, write

if TYPE_CHECKING:
    from .sandbox import ScoroSandbox

API_PREFIX = "/api/v2/"
MUTATING = {"modify", "delete"}
HTML_5XX = (
    "<html><head><title>{code} Server Error</title></head><body><center><h1>{code} "
    "Server Error</h1></center><hr><center>nginx</center></body></html>"
)


class _Dropped(ConnectionResetError):
    """Raised after the socket is shut: werkzeug treats it as a client that went away."""


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        dumps(body),
        status=status,
        headers=headers or {},
        content_type="application/json; charset=utf-8",
    )


def _required_id(module: str, action: str, rec_id: int | None) -> int:
    """The record id an action on one record needs; Scoro answers 400 without one."""
    if rec_id is None:
        raise ScoroError(400, f"{module}/{action} needs an id")
    return rec_id


class ScoroApp:
    def __init__(self, sandbox: ScoroSandbox) -> None:
        self.sb = sandbox

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        path = request.path
        if path.startswith("/_sandbox/"):
            response = control.handle(self.sb, request)
        elif path.startswith(pdfs.PREFIX):
            response = pdfs.serve(self.sb, request)
        elif path.startswith(API_PREFIX):
            response = self._api(request, path[len(API_PREFIX) :], environ)
        else:
            response = self._error(ScoroError(404, "Not found", transport="http"))
        return response(environ, start_response)

    # -- API ------------------------------------------------------------------------------

    def _error(self, err: ScoroError, headers: dict[str, str] | None = None) -> Response:
        behaviour = self.sb.behaviour
        response = _json(error_body(err, behaviour), http_status_for(err, behaviour), headers)
        # Stats count the envelope's code, also when the transport said HTTP 200.
        response.scoro_status = err.status_code  # type: ignore[attr-defined]
        return response

    def _api(self, request: Request, route: str, environ: dict[str, Any]) -> Response:
        parts = [p for p in route.split("/") if p]
        module = parts[0] if parts else ""
        action = parts[1] if len(parts) > 1 else ""
        label = f"{module}/{action}"
        try:
            response = self._api_inner(request, parts, module, action, environ)
        except _Dropped:
            self.sb.stats.record(label, "dropped")
            raise
        self.sb.stats.record(label, getattr(response, "scoro_status", response.status_code))
        return response

    def _api_inner(
        self, request: Request, parts: list[str], module: str, action: str, environ: dict[str, Any]
    ) -> Response:
        if request.method != "POST":
            return self._error(
                ScoroError(405, "Only POST requests are supported", transport="http")
            )
        if len(parts) < 2 or len(parts) > 3:
            return self._error(ScoroError(404, "Unknown endpoint", transport="http"))
        try:
            raw = request.get_data(cache=False)
            body = loads(raw) if raw.strip() else {}
        except (ValueError, UnicodeDecodeError):
            return self._error(ScoroError(400, "Request body is not valid JSON", transport="http"))
        if not isinstance(body, dict):
            return self._error(
                ScoroError(400, "Request body must be a JSON object", transport="http")
            )
        try:
            key, user_id = self._authenticate(body)
        except ScoroError as err:
            return self._error(err)
        fired = self.sb.faults.draw(module, action)
        if "slow" in fired:
            time.sleep(fired["slow"].seconds)
        if "429" in fired:
            return self._too_many(self.sb.limiter.headers(key))
        try:
            headers = self.sb.limiter.hit(key)
        except Limited as exc:
            return self._too_many(exc.headers)
        five = fired.get("5xx")
        if five is not None and five.phase == "before":
            return self._server_error(five, headers)
        try:
            response = self._dispatch(body, parts, module, action, user_id, headers)
        except ScoroError as err:
            response = self._error(err, headers)
        if "drop" in fired:
            self._drop(environ)
        if five is not None:
            return self._server_error(five, headers)
        return response

    def _too_many(self, headers: dict[str, str]) -> Response:
        return self._error(ScoroError(429, "Too many requests", transport="http"), headers)

    def _server_error(self, fault: Fault, headers: dict[str, str]) -> Response:
        return Response(
            HTML_5XX.format(code=fault.status),
            status=fault.status,
            headers=headers,
            content_type="text/html; charset=utf-8",
        )

    def _drop(self, environ: dict[str, Any]) -> None:
        sock = environ.get("werkzeug.socket")
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        raise _Dropped("connection dropped by fault injection")

    def _authenticate(self, body: dict[str, Any]) -> tuple[str, int | None]:
        store = self.sb.store
        api_key = body.get("apiKey")
        token = body.get("user_token")
        user_id = None
        if api_key not in (None, "") and api_key == store.api_key:
            key = "key:" + store.api_key
        elif token not in (None, "") and str(token) in store.user_tokens:
            user_id = store.user_tokens[str(token)]
            key = "token:" + str(token)
        else:
            raise ScoroError(401, "Invalid apiKey or user_token", transport="http")
        cid = body.get("company_account_id")
        if cid in (None, ""):
            raise ScoroError(401, "company_account_id is required", transport="http")
        if str(cid) not in store.entities:
            raise ScoroError(401, f"Unknown company_account_id: {cid}", transport="http")
        return key, user_id

    # -- dispatch -------------------------------------------------------------------------

    def _dispatch(
        self,
        body: dict[str, Any],
        parts: list[str],
        module: str,
        action: str,
        user_id: int | None,
        headers: dict[str, str],
    ) -> Response:
        rec_id = None
        if len(parts) == 3 and module != "companyAccount":
            try:
                rec_id = int(parts[2])
            except ValueError:
                raise ScoroError(404, f"Invalid id: {parts[2]}") from None
        sb = self.sb
        with sb.store.lock:
            ctx = Ctx(
                store=sb.store,
                cid=str(body["company_account_id"]),
                now=sb.clock.now(),
                site=sb.site,
                behaviour=sb.behaviour,
                user_id=user_id or 1,
            )
            if module == "companyAccount":
                account = self._company_account(ctx, action, parts)
                return _json(ok(account, sb.behaviour), headers=headers)
            spec = spec_for(module)
            if (
                action not in spec.actions
                or (action == "view" and module == "receipts" and not sb.behaviour.receipts_view)
                or (action == "pdf" and module == "bills" and not sb.behaviour.bills_pdf)
            ):
                raise ScoroError(404, f"Unknown action: {module}/{action}", transport="http")
            request = body.get("request")
            request = request if isinstance(request, dict) else {}
            with_data = True
            if action == "list":
                if rec_id is not None:
                    raise ScoroError(404, "list takes no id", transport="http")
                data: Any = listing.run_list(ctx, spec, body)
            elif action == "view":
                rec = find(
                    ctx, spec, _required_id(module, action, rec_id), listing.include_deleted(body)
                )
                data = render(ctx, spec, rec, full=True)
            elif action == "modify":
                if module == "files":
                    rec = files.modify(ctx, rec_id, request)
                else:
                    rec = write(ctx, spec, rec_id, request)
                if listing.flag(body.get("return_data")) or listing.flag(
                    request.get("return_data")
                ):
                    data = render(ctx, spec, rec, full=True)
                    if module == "receipts":
                        add_invoice_numbers(ctx, data)
                else:
                    data = {spec.id_field: rec[spec.id_field]}
            elif action == "delete":
                delete(ctx, spec, _required_id(module, action, rec_id))
                data, with_data = None, False
            elif action == "download":
                return self._download(ctx, _required_id(module, action, rec_id), headers)
            elif action == "pdf":
                rec = find(ctx, spec, _required_id(module, action, rec_id), False)
                data = pdfs.link(sb, ctx, module, rec)
            elif action == "settings":
                rec = find(ctx, spec, _required_id(module, action, rec_id), False)
                data = {
                    "id": rec["id"],
                    "timezone": rec.get("timezone"),
                    "language": "eng",
                    "date_format": "d.m.Y",
                    "time_format": "H:i",
                }
            else:
                raise ScoroError(404, f"Unknown action: {module}/{action}", transport="http")
            if action in MUTATING:
                sb.persist()
        return _json(ok(data, sb.behaviour, with_data=with_data), headers=headers)

    def _company_account(self, ctx: Ctx, action: str, parts: list[str]) -> Any:
        entities = self.sb.store.entities
        active = [
            {"entity_id": cid, "entity_name": e["company_name"]} for cid, e in entities.items()
        ]

        def shown(e: dict[str, Any]) -> dict[str, Any]:
            return {**e, "active_entities": active}

        if action == "list":
            return [shown(e) for e in entities.values()]
        if action == "view" and len(parts) == 3:
            entity = entities.get(parts[2])
            if entity is None:
                raise ScoroError(404, f"companyAccount object {parts[2]} not found")
            return shown(entity)
        raise ScoroError(404, f"Unknown action: companyAccount/{action}", transport="http")

    def _download(self, ctx: Ctx, rec_id: int, headers: dict[str, str]) -> Response:
        rec, blob = files.download(ctx, rec_id)
        if ctx.behaviour.download_format == "base64":
            data = {
                "file_id": rec["file_id"],
                "file_name": rec["file_name"],
                "file_type": rec["file_type"],
                "file_data": base64.b64encode(blob).decode("ascii"),
            }
            return _json(ok(data, ctx.behaviour), headers=headers)
        disposition = f'attachment; filename="{rec["file_name"]}"'
        return Response(
            blob,
            status=200,
            content_type=rec["file_type"],
            headers={**headers, "Content-Disposition": disposition},
        )
