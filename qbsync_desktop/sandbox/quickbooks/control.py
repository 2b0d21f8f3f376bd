"""The sandbox control plane: JSON in, JSON out, only under ``/_sandbox/``, no auth.

Tests, the demo and benchmarks drive the sandbox with these; the QBO API paths never reach them.

``GET  /_sandbox/companies``
    ``{"companies": [{"realmId", "name", "homeCurrency", "multicurrency"}], "client_id",
    "client_secret", "redirect_uris"}``
``POST /_sandbox/tokens`` ``{"realmId": "...", "scope"?: "..."}``
    A token response exactly as the token endpoint gives it, without the browser.
``GET|POST|DELETE /_sandbox/faults``
    POST one rule or ``{"faults": [rule, ...]}``; a rule is ``{"type", "count"?, "probability"?,
    "path"?, "method"?, "realmId"?, "seconds"?, "status"?}``. Types: ``throttle`` (429),
    ``system_error`` (5xx SystemFault, ``status`` default 500), ``drop_after_commit`` (the write
    happens, the connection is closed without an answer), ``drop_before_commit``, ``slow``
    (sleep ``seconds`` first), ``xml_bodies`` (error bodies as XML), ``stale_object`` (5010 on
    the next write), and the immediate actions ``expire_access_token`` and
    ``revoke_refresh_token`` (optionally for one ``realmId``). Without ``count`` or
    ``probability`` a rule fires once; ``path`` is a substring of the request path (default:
    any ``/v3/company/`` path). GET lists active rules; DELETE or ``{"clear": true}`` clears.
``GET|POST /_sandbox/clock`` ``{"advance_seconds": N}`` or ``{"now": "2026-11-26T10:00:00Z"}``
    → ``{"now": iso}``. Tokens, MetaData times and the CDC window follow this clock; throttling
    uses real time.
``GET|POST /_sandbox/limits``
    ``{"enabled", "per_minute", "per_second", "batch_per_minute", "batch_per_minute_realm",
    "throttle_body": "xml"|"json", "max_batch_items", "cdc_max_objects", "cdc_window_days",
    "max_results", "default_max_results", "requestid_max", "batch_requestid_max", ...}``
``GET|POST /_sandbox/settings``
    Every switch of ``settings.Settings`` (limits, token lifetimes, ``rotate_refresh_every_time``
    and the strict-by-default switches for UNCONFIRMED behaviour).
``POST /_sandbox/reset`` ``{"seed"?, "size"?, "tokens"?: bool}``
    Re-seed the data; clear faults, stats, throttle windows, requestid caches and the clock
    offset. Tokens survive unless ``"tokens": true``.
``GET  /_sandbox/stats``
    ``{"requests": {"POST invoice": {"200": 3}}, "objects": {realmId: {"Invoice": n}},
    "faults": {"throttle": 1}, "throttled": n, "replays": n, "total_requests": n}``
``GET  /_sandbox/objects/{realmId}/{Entity}`` every row, inactive included.
``POST /_sandbox/objects/{realmId}/{Entity}`` create (no ``Id``) or edit (sparse, ``Id``) an
    object as a QuickBooks user would: SyncToken and LastUpdatedTime move, the business rules
    apply, projects (``IsProject: true`` with ``ParentRef``) and tax codes may be created.
    ``?operation=delete`` / ``?operation=void`` too. → ``{"Entity": {...}}``
``POST /_sandbox/company/{realmId}`` ``{"multicurrency"?: bool, "class_tracking"?: ...,
    "home_currency"?: "EUR", "name"?: ...}`` change company settings as the owner would.
``GET|POST /_sandbox/redirect_uris`` ``{"redirect_uris": ["https://..."]}`` registers more
    redirect URIs for the demo client (``http://localhost:<port>/callback`` and
    ``http://127.0.0.1:<port>/callback`` are always accepted).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request, Response

from . import errors as E
from .clock import parse_datetime
from .context import Ctx, bump, public
from .faults import IMMEDIATE_FAULTS, parse_rule
from .jsonutil import dumps, loads
from .removal import delete, void
from .settings import LIMIT_KEYS
from .specs import SPECS
from .writes import save

if TYPE_CHECKING:
    from .sandbox import QuickBooksSandbox


def _json(body: Any, status: int = 200) -> Response:
    return Response(dumps(body), status=status, content_type="application/json")


def _error(message: str, status: int = 400) -> Response:
    return _json({"error": message}, status)


def _body(request: Request) -> dict:
    raw = request.get_data(as_text=True)
    if not raw.strip():
        return {}
    value = loads(raw)
    if not isinstance(value, dict):
        raise ValueError("expected a JSON object")
    return value


def handle(sb: QuickBooksSandbox, request: Request) -> Response:
    parts = [p for p in request.path.split("/") if p][1:]
    try:
        body = _body(request) if request.method in ("POST", "PUT", "DELETE") else {}
    except ValueError as exc:
        return _error(f"invalid JSON body: {exc}")
    if not parts:
        return _json({"endpoints": [
            "companies", "tokens", "faults", "clock", "limits", "settings", "reset", "stats",
            "objects/{realmId}/{Entity}", "company/{realmId}", "redirect_uris",
        ]})  # fmt: skip
    name, rest, method = parts[0], parts[1:], request.method
    try:
        with sb.lock:
            return _dispatch(sb, request, name, rest, method, body)
    except E.QuickBooksError as err:
        return _json({"Fault": err.fault()}, err.status)
    except (KeyError, ValueError, TypeError) as exc:
        return _error(str(exc))


def _dispatch(sb, request, name, rest, method, body) -> Response:
    if name == "companies" and method == "GET":
        return _json(sb.describe())
    if name == "tokens" and method == "POST":
        realm_id = str(body.get("realmId", ""))
        if realm_id not in sb.realms:
            return _error(f"unknown realmId {realm_id!r}", 404)
        tokens = sb.oauth.issue_tokens(sb.client_id, realm_id, body.get("scope"))
        sb.persist()
        return _json(tokens)
    if name == "faults":
        return _faults(sb, method, body)
    if name == "clock":
        if method == "POST":
            if "advance_seconds" in body:
                sb.clock.advance(float(body["advance_seconds"]))
            elif "now" in body:
                when = parse_datetime(str(body["now"]))
                if when is None:
                    return _error("now must be an ISO date-time")
                sb.clock.set_now(when)
            else:
                return _error("give advance_seconds or now")
        return _json({"now": sb.clock.now().isoformat()})
    if name == "limits":
        if method == "POST":
            unknown = sorted(set(body) - set(LIMIT_KEYS))
            if unknown:
                return _error(f"unknown limit(s): {', '.join(unknown)}")
            sb.settings.update(body)
        return _json(sb.settings.limits())
    if name == "settings":
        if method == "POST":
            sb.settings.update(body)
        return _json(sb.settings.as_dict())
    if name == "reset" and method == "POST":
        sb.reset(seed=body.get("seed"), size=body.get("size"), tokens=bool(body.get("tokens")))
        return _json({"ok": True, "realmIds": sb.realm_ids})
    if name == "stats" and method == "GET":
        return _json(sb.stats())
    if name == "redirect_uris":
        client = sb.oauth.state.clients[sb.client_id]
        if method == "POST":
            uris = body.get("redirect_uris") or ([body["uri"]] if "uri" in body else [])
            for uri in uris:
                if uri not in client.redirect_uris:
                    client.redirect_uris.append(str(uri))
            sb.persist()
        return _json({"redirect_uris": list(client.redirect_uris)})
    if name == "company" and len(rest) == 1 and method == "POST":
        return _company(sb, rest[0], body)
    if name == "objects" and len(rest) == 2:
        return _objects(sb, request, rest[0], rest[1], method, body)
    return _error(f"no such control endpoint: {method} {request.path}", 404)


def _faults(sb, method: str, body: dict) -> Response:
    if method == "DELETE" or body.get("clear"):
        sb.faults.clear()
        return _json({"faults": []})
    if method == "POST":
        rules = body["faults"] if "faults" in body else [body]
        applied = {}
        for raw in rules:
            rule = parse_rule(raw)
            if rule.type in IMMEDIATE_FAULTS:
                if rule.type == "expire_access_token":
                    applied[rule.type] = sb.oauth.expire_access_tokens(rule.realm_id)
                else:
                    applied[rule.type] = sb.oauth.revoke_refresh_tokens(rule.realm_id)
                sb.faults.note(rule.type)
            else:
                sb.faults.add(rule)
        sb.persist()
        return _json({"faults": sb.faults.describe(), "applied": applied})
    return _json({"faults": sb.faults.describe(), "injected": dict(sb.faults.injected)})


def _company(sb, realm_id: str, body: dict) -> Response:
    realm = sb.realms.get(realm_id)
    if realm is None:
        return _error(f"unknown realmId {realm_id!r}", 404)
    ctx = Ctx(realm=realm, settings=sb.settings, now=sb.clock.now(), as_user=True)
    prefs = realm.get("Preferences", "1")
    info = realm.get("CompanyInfo", realm_id)
    if "multicurrency" in body:
        if realm.multicurrency and not body["multicurrency"]:
            return _error("multicurrency can't be turned off once it has been turned on")
        realm.multicurrency = bool(body["multicurrency"])
        prefs["CurrencyPrefs"]["MultiCurrencyEnabled"] = realm.multicurrency
    if "home_currency" in body:
        realm.home_currency = str(body["home_currency"]).upper()
        prefs["CurrencyPrefs"]["HomeCurrency"] = {"value": realm.home_currency}
    if "class_tracking" in body:
        mode = body["class_tracking"]
        if mode not in ("off", "per_txn", "per_line"):
            return _error("class_tracking is off, per_txn or per_line")
        realm.class_tracking = mode
        prefs["AccountingInfoPrefs"]["ClassTrackingPerTxn"] = mode == "per_txn"
        prefs["AccountingInfoPrefs"]["ClassTrackingPerTxnLine"] = mode == "per_line"
    if "name" in body:
        realm.name = str(body["name"])
        info["CompanyName"] = realm.name
        bump(ctx, "CompanyInfo", info)
    bump(ctx, "Preferences", prefs)
    sb.persist()
    return _json(sb.describe_realm(realm))


def _objects(sb, request: Request, realm_id: str, entity: str, method: str, body) -> Response:
    realm = sb.realms.get(realm_id)
    if realm is None:
        return _error(f"unknown realmId {realm_id!r}", 404)
    spec = SPECS.get(entity)
    if spec is None:
        return _error(f"unknown entity {entity!r}", 404)
    if method == "GET":
        rows = sorted(realm.table(entity).values(), key=lambda r: (len(r["Id"]), r["Id"]))
        return _json({entity: [public(r) for r in rows]})
    if method != "POST":
        return _error("use GET or POST", 405)
    ctx = Ctx(realm=realm, settings=sb.settings, now=sb.clock.now(), as_user=True,
              base_url=request.host_url.rstrip("/"))  # fmt: skip
    operation = request.args.get("operation", "")
    if operation in ("delete", "void") and body.get("Id") is not None and "SyncToken" not in body:
        # A user in the QuickBooks UI always edits the latest version.
        current = realm.get(entity, str(body["Id"]))
        if current is not None:
            body = dict(body, SyncToken=current["SyncToken"])
    if operation == "delete":
        result = delete(ctx, spec, body)
    elif operation == "void":
        result = public(void(ctx, spec, body))
    else:
        result = public(save(ctx, spec, body))
    sb.persist()
    return _json({entity: result})
