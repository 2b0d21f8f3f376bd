"""The WSGI application: routing, the API pipeline and the cross-cutting rules.

Pipeline for ``/v3/company/{realmId}/...``: injected faults → bearer token (401/403) →
throttles (429) → ``requestid`` replay → the handler under the sandbox lock → envelope with
``time`` → ``intuit_tid`` header. The control plane lives under ``/_sandbox/`` only.
"""

from __future__ import annotations

import base64
import secrets
import socket
import time
import uuid
from typing import TYPE_CHECKING, Any

from werkzeug.datastructures import Headers
from werkzeug.http import parse_options_header
from werkzeug.sansio.multipart import Data, Epilogue, Field, File, MultipartDecoder, NeedData
from werkzeug.wrappers import Request, Response

from . import batch as batch_mod
from . import cdc as cdc_mod
from . import control
from . import errors as E
from . import query as Q
from . import reports as reports_mod
from .clock import qbo_datetime, qbo_time
from .context import Ctx, bump, public, read
from .jsonutil import dumps, loads
from .removal import delete, void
from .specs import BY_RESOURCE, SPECS
from .store import CachedResponse
from .writes import save

if TYPE_CHECKING:
    from .sandbox import QuickBooksSandbox

JSON_TYPE = "application/json;charset=UTF-8"
_DISCOVERY = {
    "/.well-known/openid_configuration",
    "/.well-known/openid-configuration",
    "/.well-known/openid_sandbox_configuration",
    "/.well-known/openid-sandbox-configuration",
}


class _Drop(Exception):
    """Close the connection without an answer."""


def _tid() -> str:
    return f"1-{uuid.uuid4().hex[:8]}-{uuid.uuid4().hex[:24]}"


class SandboxApp:
    def __init__(self, sandbox: QuickBooksSandbox) -> None:
        self.sb = sandbox

    # ------------------------------------------------------------------ WSGI entry

    def __call__(self, environ, start_response):
        request = Request(environ)
        try:
            response = self.route(request)
        except _Drop:
            _drop_connection(environ)
            response = Response(b"", status=500)
        response.headers["intuit_tid"] = _tid()
        return response(environ, start_response)

    def route(self, request: Request) -> Response:
        path = request.path
        if path.startswith("/_sandbox/") or path == "/_sandbox":
            return control.handle(self.sb, request)
        if path.startswith("/v3/company/"):
            return self.api(request)
        return self.web(request)

    def _record(self, endpoint: str, status: int) -> None:
        self.sb.record_request(endpoint, status)

    # ------------------------------------------------------------------ OAuth and pages

    def web(self, request: Request) -> Response:
        path = request.path.rstrip("/") or "/"
        sb = self.sb
        fired = self._faults(request, None)
        early = self._early_fault(fired, request, None)
        if early is not None:
            self._record(f"{request.method} {path}", early.status_code)
            return early
        with sb.lock:
            if path == "/connect/oauth2":
                response = sb.oauth.authorize(request)
            elif path == "/oauth2/v1/tokens/bearer":
                response = sb.oauth.token_endpoint(request)
            elif path in ("/oauth2/v1/tokens/revoke", "/v2/oauth2/tokens/revoke"):
                response = sb.oauth.revoke_endpoint(request)
            elif path in _DISCOVERY:
                response = sb.oauth.discovery(request.host_url)
            elif path == "/v1/openid_connect/userinfo":
                response = sb.oauth.userinfo(request)
            elif path == "/op/v1/jwks":
                response = sb.oauth.jwks_endpoint()
            elif path.startswith("/attachments/"):
                response = self._download(path)
            elif path == "/":
                response = Response(
                    "<!DOCTYPE html><title>QuickBooks sandbox</title><h1>QuickBooks sandbox</h1>"
                    "<p>API under /v3/company/{realmId}/, OAuth at /connect/oauth2, "
                    "control plane under /_sandbox/.</p>",
                    content_type="text/html; charset=utf-8",
                )
            else:
                response = Response("Not Found", status=404, content_type="text/plain")
            if request.method == "POST" and path.startswith("/oauth2/"):
                sb.persist()
        if any(r.type == "drop_after_commit" for r in fired):
            raise _Drop()
        self._record(f"{request.method} {path}", response.status_code)
        return response

    def _download(self, path: str) -> Response:
        parts = path.split("/")
        if len(parts) < 5:
            return Response("Not Found", status=404)
        realm = self.sb.realms.get(parts[2])
        if realm is None:
            return Response("Not Found", status=404)
        obj = realm.get("Attachable", parts[3])
        if obj is None or obj.get("_dl") != parts[4] or parts[3] not in realm.files:
            return Response("Not Found", status=404)
        content, ctype = realm.files[parts[3]]
        return Response(content, content_type=ctype or "application/octet-stream")

    # ------------------------------------------------------------------ faults

    def _faults(self, request: Request, realm_id: str | None):
        with self.sb.lock:
            fired = self.sb.faults.fire(request.method, request.path, realm_id)
        for rule in fired:
            if rule.type == "slow" and rule.seconds > 0:
                time.sleep(rule.seconds)
        return fired

    def _early_fault(self, fired, request: Request, realm_id: str | None) -> Response | None:
        xml = any(r.type == "xml_bodies" for r in fired)
        for rule in fired:
            if rule.type == "drop_before_commit":
                raise _Drop()
            if rule.type == "throttle":
                return self._throttled(force_xml=xml)
            if rule.type == "system_error":
                err = E.system_fault()
                err.status = rule.status
                return self._error(err, xml)
        return None

    # ------------------------------------------------------------------ responses

    def _now_text(self) -> str:
        return qbo_time(self.sb.clock.now())

    def _json(self, body: dict, status: int = 200) -> Response:
        body = dict(body)
        body["time"] = self._now_text()
        return Response(
            dumps(body),
            status=status,
            content_type=JSON_TYPE,
            headers={
                "Cache-Control": "max-age=0, no-cache, no-store, must-revalidate, private",
                "Expires": "0",
                "QBO-Version": "1944.175",
            },
        )

    def _error(self, err: E.QuickBooksError, xml: bool = False) -> Response:
        if xml:
            return Response(
                err.xml(self._now_text()), status=err.status, content_type="application/xml"
            )
        return self._json({"Fault": err.fault()}, err.status)

    def _throttled(self, force_xml: bool = False) -> Response:
        with self.sb.lock:
            self.sb.throttled += 1
        err = E.throttle()
        xml = force_xml or self.sb.settings.throttle_body == "xml"
        response = self._error(err, xml)
        return response

    def _unauthorized(self, xml: bool) -> Response:
        if xml or self.sb.settings.auth_fault_body == "xml":
            err = E.QuickBooksError(
                "100",
                "General Authentication Error",
                "AuthenticationErrorGeneral: SRV-110-Authentication Failure , statusCode: 401",
                status=401,
                fault_type="AuthenticationFault",
            )
            response = self._error(err, True)
        else:
            # The gateway's JSON shape, lower-case keys (python-quickbooks#250).
            body: dict[str, Any] = {
                "warnings": None,
                "intuitObject": None,
                "fault": {
                    "error": [
                        {
                            "message": "message=AuthenticationFailed; errorCode=003200; "
                            "statusCode=401",
                            "detail": "Token expired or invalid",
                            "code": "3200",
                            "element": None,
                        }
                    ],
                    "type": "AUTHENTICATION",
                },
                "report": None,
                "queryResponse": None,
                "batchItemResponse": [],
                "attachableResponse": [],
                "syncErrorResponse": None,
                "requestId": None,
                "time": int(self.sb.clock.now().timestamp() * 1000),
                "status": None,
                "cdcresponse": [],
            }
            response = Response(dumps(body), status=401, content_type=JSON_TYPE)
        response.headers["WWW-Authenticate"] = 'Bearer realm="Intuit", error="invalid_token"'
        return response

    # ------------------------------------------------------------------ API

    def api(self, request: Request) -> Response:
        sb = self.sb
        rest = request.path[len("/v3/company/") :]
        realm_id, _, tail = rest.partition("/")
        endpoint = _endpoint_label(request.method, tail)
        fired = self._faults(request, realm_id)
        xml = any(r.type == "xml_bodies" for r in fired)
        early = self._early_fault(fired, request, realm_id)
        if early is not None:
            self._record(endpoint, early.status_code)
            return early
        header = request.headers.get("Authorization", "")
        token = header[7:].strip() if header.lower().startswith("bearer ") else None
        with sb.lock:
            access = sb.oauth.check_access(token)
            client_id = sb.oauth.state.grants[access.grant_id].client_id if access else ""
        if access is None:
            self._record(endpoint, 401)
            return self._unauthorized(xml)
        if access.realm_id != realm_id or realm_id not in sb.realms:
            self._record(endpoint, 403)
            return self._error(E.authorization_failed(), xml)
        with sb.lock:
            allowed = sb.limiter.allow(realm_id, client_id, tail.split("/")[0] == "batch")
        if not allowed:
            self._record(endpoint, 429)
            return self._throttled(force_xml=xml)
        requestid = request.args.get("requestid")
        is_batch = tail == "batch"
        if requestid is not None:
            limit = sb.settings.batch_requestid_max if is_batch else sb.settings.requestid_max
            if len(requestid) > limit:
                err = E.business(
                    f"You cannot enter more than {limit} characters in the request_id field. "
                    "Please shorten the request_id and try again.",
                    "requestid",
                )
                self._record(endpoint, 400)
                return self._error(err, xml)
        drop_after = any(r.type == "drop_after_commit" for r in fired)
        with sb.lock:
            realm = sb.realms[realm_id]
            if requestid and requestid in realm.requestids:
                cached = realm.requestids[requestid]
                sb.replays += 1
                response = Response(cached.body, status=cached.status,
                                    content_type=cached.content_type)  # fmt: skip
            else:
                try:
                    if any(r.type == "stale_object" for r in fired) and request.method == "POST":
                        raise E.stale("object")
                    response = self._handle(request, realm_id, tail)
                except E.QuickBooksError as err:
                    response = self._error(err, xml)
                if requestid and response.status_code < 500:
                    realm.remember(
                        requestid,
                        CachedResponse(response.status_code, response.get_data(),
                                       response.content_type),
                    )  # fmt: skip
                if request.method == "POST" and response.status_code < 500:
                    sb.persist()
        self._record(endpoint, response.status_code)
        if drop_after:
            raise _Drop()
        return response

    def _ctx(self, realm_id: str, request: Request) -> Ctx:
        return Ctx(
            realm=self.sb.realms[realm_id],
            settings=self.sb.settings,
            now=self.sb.clock.now(),
            allow_duplicate_docnum="allowduplicatedocnum"
            in request.args.get("include", "").lower(),
            base_url=request.host_url.rstrip("/"),
        )

    def _body(self, request: Request) -> Any:
        raw = request.get_data()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise E.QuickBooksError(
                "500",
                "Unsupported Operation",
                "Unsupported Operation: Invalid byte 1 of 1-byte UTF-8 sequence.",
                status=500,
                fault_type="SystemFault",
            ) from None
        if not text.strip():
            raise E.required("body")
        try:
            return loads(text)
        except ValueError:
            raise E.QuickBooksError(
                "2010",
                "Request has invalid or unsupported property",
                "Property Name:Can not parse the request body as JSON",
            ) from None

    def _handle(self, request: Request, realm_id: str, tail: str) -> Response:
        ctx = self._ctx(realm_id, request)
        parts = [p for p in tail.split("/") if p]
        method = request.method
        if not parts:
            raise self._no_resource(request)
        head = parts[0]
        if head == "query" and len(parts) == 1 and method in ("GET", "POST"):
            text = request.args.get("query")
            if text is None and method == "POST":
                text = request.get_data(as_text=True)
            return self._json({"QueryResponse": self.run_query(ctx, text or "")})
        if head == "cdc" and len(parts) == 1 and method in ("GET", "POST"):
            args = request.args
            result = cdc_mod.run(ctx, args.get("entities"), args.get("changedSince"))
            return self._json(result)
        if head == "batch" and len(parts) == 1 and method == "POST":
            requestid = request.args.get("requestid")
            return self._json(batch_mod.run(ctx, self._body(request), self.run_query, requestid))
        if head == "upload" and len(parts) == 1 and method == "POST":
            return self._json(self._upload(ctx, request, realm_id))
        if head == "companyinfo" and method == "GET" and len(parts) == 2:
            if parts[1] != realm_id:
                raise E.not_found("CompanyInfo", parts[1])
            return self._json({"CompanyInfo": public(read(ctx, "CompanyInfo", realm_id))})
        if head == "preferences" and len(parts) == 1:
            if method == "GET":
                return self._json({"Preferences": public(read(ctx, "Preferences", "1"))})
            return self._json({"Preferences": public(self._update_preferences(ctx, request))})
        if head == "reports" and len(parts) == 2 and method == "GET":
            # Reports come back bare: Header/Columns/Rows, the time is Header.Time.
            report = reports_mod.run(ctx, parts[1], request.args)
            return Response(dumps(report), content_type=JSON_TYPE)
        if head == "download" and len(parts) == 2 and method == "GET":
            obj = read(ctx, "Attachable", parts[1])
            return Response(obj.get("TempDownloadUri", ""), content_type="text/plain")
        spec = BY_RESOURCE.get(head)
        if spec is None or spec.kind == "singleton":
            raise self._no_resource(request)
        if method == "GET" and len(parts) == 2:
            return self._json({spec.name: public(read(ctx, spec.name, parts[1]))})
        if method == "GET" and len(parts) == 3 and parts[2] == "pdf" and spec.kind == "txn":
            obj = read(ctx, spec.name, parts[1])
            return Response(_pdf(spec.name, obj), content_type="application/pdf")
        if method == "POST" and len(parts) == 3 and parts[2] == "send":
            if spec.name not in ("Invoice", "CreditMemo"):
                raise self._no_resource(request)
            obj = self._send(ctx, spec.name, parts[1], request.args.get("sendTo"))
            return self._json({spec.name: public(obj)})
        if method == "POST" and len(parts) == 1:
            body = self._body(request)
            operation = (request.args.get("operation") or "").lower()
            include = request.args.get("include", "").lower()
            if operation == "delete":
                return self._json({spec.name: delete(ctx, spec, body)})
            if operation == "void" or (operation == "update" and "void" in include):
                return self._json({spec.name: public(void(ctx, spec, body))})
            if operation not in ("", "update", "create"):
                raise E.unsupported(f"Operation {operation} is not supported.")
            return self._json({spec.name: public(save(ctx, spec, body))})
        raise self._no_resource(request)

    @staticmethod
    def _no_resource(request: Request) -> E.QuickBooksError:
        return E.unsupported(
            f"Operation Could not find resource for relative : {request.path} of full path: "
            f"{request.url} is not supported."
        )

    def run_query(self, ctx: Ctx, text: str) -> dict:
        parsed = Q.parse(text)
        Q.validate(parsed)
        if parsed.entity not in SPECS:
            return {"totalCount": 0} if parsed.count else {}
        rows = list(ctx.realm.table(parsed.entity).values())
        if ctx.visible is not None:
            seen = ctx.visible.get(parsed.entity, set())
            rows = [r for r in rows if r["Id"] in seen]
        hide = parsed.entity in self.sb.settings.hide_inactive
        result = Q.run(parsed, rows, hide_inactive=hide, settings=self.sb.settings)
        if parsed.entity in result:
            result[parsed.entity] = [public(r) for r in result[parsed.entity]]
            if parsed.fields and self.sb.settings.query_projection == "sparse":
                result[parsed.entity] = [Q.project(r, parsed.fields) for r in result[parsed.entity]]
        return result

    def _send(self, ctx: Ctx, entity: str, obj_id: str, send_to: str | None) -> dict:
        obj = read(ctx, entity, obj_id)
        if obj.get("_voided"):
            raise E.business("You can't send a voided transaction.")
        address = (send_to or "").strip() or (obj.get("BillEmail") or {}).get("Address")
        if not address or "@" not in address:
            raise E.business("Enter a valid email address to send this to.", "BillEmail")
        day = ctx.today()
        # The emails-per-day sandbox limit, counted on the simulated clock's day.
        sent = ctx.realm.__dict__.setdefault("emails_sent", {})
        if sent.get(day, 0) >= self.sb.settings.emails_per_day:
            raise E.business(
                f"You've reached the limit of {self.sb.settings.emails_per_day} emails a day "
                "for this company. Try again tomorrow.",
                "sendTo",
            )
        if day not in sent:
            sent.clear()
        sent[day] = sent.get(day, 0) + 1
        if send_to:
            obj["BillEmail"] = {"Address": address}
        obj["EmailStatus"] = "EmailSent"
        obj["DeliveryInfo"] = {"DeliveryType": "Email", "DeliveryTime": qbo_datetime(ctx.now)}
        bump(ctx, entity, obj)
        ctx.realm.note_write(entity, obj, created=False)
        return obj

    def _update_preferences(self, ctx: Ctx, request: Request) -> dict:
        body = self._body(request)
        prefs = read(ctx, "Preferences", "1")
        if not isinstance(body, dict):
            raise E.required("Preferences")
        if str(body.get("SyncToken", "")) != prefs["SyncToken"]:
            raise E.stale("Preferences")
        wanted = (body.get("CurrencyPrefs") or {}).get("MultiCurrencyEnabled")
        if wanted is not None:
            if ctx.realm.multicurrency and wanted in (False, "false"):
                raise E.business("Multicurrency can't be turned off once it has been turned on.")
            if wanted in (True, "true"):
                ctx.realm.multicurrency = True
        for group, values in body.items():
            if isinstance(values, dict) and group in prefs and group != "MetaData":
                prefs[group] = {**prefs[group], **values}
        prefs["CurrencyPrefs"]["MultiCurrencyEnabled"] = ctx.realm.multicurrency
        bump(ctx, "Preferences", prefs)
        return prefs

    def _upload(self, ctx: Ctx, request: Request, realm_id: str) -> dict:
        # Parts are read as raw bytes with their own headers: a content part without
        # ``filename=`` (python-quickbooks sends none) is still a file, named by the metadata's
        # FileName, and its Content-Transfer-Encoding must survive.
        parts = _multipart_parts(request)
        results = []
        index = 1
        while True:
            suffix = f"{index:02d}"
            meta = parts.get(f"file_metadata_{suffix}")
            content = parts.get(f"file_content_{suffix}")
            if meta is None and content is None:
                break
            index += 1
            try:
                results.append({"Attachable": public(self._one_upload(
                    ctx, meta, content, realm_id))})  # fmt: skip
            except E.QuickBooksError as err:
                results.append({"Fault": err.fault()})
        if not results:
            raise E.required("file_content_01")
        return {"AttachableResponse": results}

    def _one_upload(
        self,
        ctx: Ctx,
        meta: tuple[Headers, bytes] | None,
        content: tuple[Headers, bytes] | None,
        realm_id: str,
    ) -> dict:
        try:
            metadata = loads(meta[1].decode("utf-8")) if meta and meta[1].strip() else {}
        except (ValueError, UnicodeDecodeError):
            raise E.required("file_metadata") from None
        if not isinstance(metadata, dict):
            raise E.required("file_metadata")
        if content is None:
            raise E.required("file_content")
        headers, data = content
        if headers.get("Content-Transfer-Encoding", "").strip().lower() == "base64":
            try:
                data = base64.b64decode(data, validate=False)
            except ValueError:
                raise E.business("The file content is not valid base64.") from None
        _, disposition = parse_options_header(headers.get("Content-Disposition", ""))
        mimetype, _ = parse_options_header(headers.get("Content-Type", ""))
        metadata["FileName"] = (
            metadata.get("FileName") or disposition.get("filename") or "attachment"
        )
        metadata["ContentType"] = (
            metadata.get("ContentType") or mimetype or "application/octet-stream"
        )
        obj = save(ctx, SPECS["Attachable"], metadata)
        token = secrets.token_urlsafe(16)
        obj["_dl"] = token
        obj["Size"] = len(data)
        obj["FileAccessUri"] = f"/v3/company/{realm_id}/download/{obj['Id']}"
        obj["TempDownloadUri"] = f"{ctx.base_url}/attachments/{realm_id}/{obj['Id']}/{token}"
        ctx.realm.files[obj["Id"]] = (data, metadata["ContentType"])
        return obj


def _multipart_parts(request: Request) -> dict[str, tuple[Headers, bytes]]:
    """Each named part of a multipart/form-data body: its headers and its raw bytes."""
    boundary = request.mimetype_params.get("boundary")
    if request.mimetype != "multipart/form-data" or not boundary:
        return {}
    decoder = MultipartDecoder(boundary.encode("latin-1"))
    decoder.receive_data(request.get_data())
    decoder.receive_data(None)
    parts: dict[str, tuple[Headers, bytes]] = {}
    current: tuple[str, Headers] | None = None
    chunks: list[bytes] = []
    try:
        while True:
            event = decoder.next_event()
            if isinstance(event, Field | File):
                current, chunks = (event.name, event.headers), []
            elif isinstance(event, Data) and current is not None:
                chunks.append(event.data)
                if not event.more_data:
                    parts.setdefault(current[0], (current[1], b"".join(chunks)))
                    current = None
            elif isinstance(event, Epilogue | NeedData):
                break
    except ValueError:
        raise E.required("file_content_01") from None
    return parts


def _endpoint_label(method: str, tail: str) -> str:
    parts = [p for p in tail.split("/") if p]
    if not parts:
        return f"{method} /"
    label = parts[0]
    if len(parts) >= 2:
        label += "/{id}" + ("/" + "/".join(parts[2:]) if len(parts) > 2 else "")
    return f"{method} {label}"


def _drop_connection(environ) -> None:
    sock = environ.get("werkzeug.socket")
    if sock is None:
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def _pdf(entity: str, obj: dict) -> bytes:
    text = f"{entity} {obj.get('DocNumber', obj['Id'])} total {obj.get('TotalAmt')}"
    text = text.replace("(", "[").replace(")", "]")
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
