"""The control plane under ``/_sandbox/``: JSON in, JSON out, no authentication.

It is how tests and the demo steer the sandbox; it is never under ``/api`` and is not counted
in rate limits or request stats. See the package docstring for every endpoint and shape.
Errors are ``{"error": "..."}`` with HTTP 400 (bad input) or 404 (unknown endpoint/object).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request, Response

from . import files
from .clock import parse_iso
from .envelope import ScoroError, dumps, loads
from .records import SPECS, Ctx, delete, render, write

if TYPE_CHECKING:
    from .sandbox import ScoroSandbox


class _Bad(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def _reply(body: Any, status: int = 200) -> Response:
    return Response(dumps(body), status=status, content_type="application/json; charset=utf-8")


def handle(sb: ScoroSandbox, request: Request) -> Response:
    name = request.path[len("/_sandbox/") :].strip("/")
    handler = _ROUTES.get((request.method, name))
    if handler is None:
        known = sorted({path for _, path in _ROUTES})
        return _reply(
            {
                "error": f"unknown control endpoint {request.method} /_sandbox/{name}",
                "endpoints": known,
            },
            404,
        )
    try:
        raw = request.get_data(cache=False)
        body = loads(raw) if raw.strip() else {}
        if not isinstance(body, dict):
            raise _Bad("body must be a JSON object")
        result = handler(sb, body)
        if request.method != "GET":
            with sb.store.lock:
                sb.store.changed()  # the clock, data and behaviour all decide what lists show
        return _reply(result)
    except _Bad as exc:
        return _reply({"error": str(exc)}, exc.status)
    except ScoroError as exc:
        return _reply(
            {"error": "; ".join(exc.messages), "status_code": exc.status_code},
            404 if exc.status_code == 404 else 400,
        )
    except (ValueError, TypeError, KeyError) as exc:
        return _reply({"error": str(exc)}, 400)


def _credentials(sb: ScoroSandbox, body: dict[str, Any]) -> dict[str, Any]:
    return {
        "api_key": sb.api_key,
        "site_url": sb.url,
        "company_accounts": [
            {
                "company_account_id": cid,
                "name": e["company_name"],
                "base_currency": e["base_currency"],
                "active_currencies": list(e["active_currencies"]),
            }
            for cid, e in sb.store.entities.items()
        ],
        "user_tokens": [
            {"user_token": token, "user_id": uid} for token, uid in sb.store.user_tokens.items()
        ],
    }


def _faults(sb: ScoroSandbox, body: dict[str, Any]) -> dict[str, Any]:
    if body.get("clear"):
        sb.faults.clear()
    specs = body.get("faults")
    if specs is None and "type" in body:
        specs = [body]
    added = [sb.faults.add(spec).id for spec in specs or []]
    return {"added": added, "active": sb.faults.active(), "injected": dict(sb.faults.injected)}


def _faults_get(sb: ScoroSandbox, body: dict[str, Any]) -> dict[str, Any]:
    return {"active": sb.faults.active(), "injected": dict(sb.faults.injected)}


def _clock(sb: ScoroSandbox, body: dict[str, Any]) -> dict[str, Any]:
    if "now" in body:
        sb.clock.set_now(parse_iso(str(body["now"])))
    if "advance_seconds" in body:
        sb.clock.advance(float(body["advance_seconds"]))
    return _clock_get(sb, body)


def _clock_get(sb: ScoroSandbox, body: dict[str, Any]) -> dict[str, Any]:
    now = sb.clock.now()
    return {"now": now.isoformat(), "site_now": sb.site.iso(now), "site_timezone": sb.site.tz_name}


def _limits(sb: ScoroSandbox, body: dict[str, Any]) -> dict[str, Any]:
    changes = {k: v for k, v in body.items() if k != "reset_counters"}
    sb.limits.update(changes)
    if body.get("reset_counters"):
        sb.limiter.reset()
    return sb.limits.as_dict()


def _limits_get(sb: ScoroSandbox, body: dict[str, Any]) -> dict[str, Any]:
    return sb.limits.as_dict()


def _behaviour(sb: ScoroSandbox, body: dict[str, Any]) -> dict[str, Any]:
    sb.behaviour.update(body)
    return sb.behaviour.as_dict()


def _behaviour_get(sb: ScoroSandbox, body: dict[str, Any]) -> dict[str, Any]:
    return sb.behaviour.as_dict()


def _reset(sb: ScoroSandbox, body: dict[str, Any]) -> dict[str, Any]:
    sb.reset(seed=body.get("seed"), size=body.get("size"))
    return {
        "ok": True,
        "seed": sb.seed,
        "size": sb.size,
        "company_account_ids": sb.company_account_ids,
    }


def _stats(sb: ScoroSandbox, body: dict[str, Any]) -> dict[str, Any]:
    with sb.store.lock:
        objects = sb.store.counts()
    return {**sb.stats.snapshot(), "objects": objects, "faults": dict(sb.faults.injected)}


def _ctx(sb: ScoroSandbox, body: dict[str, Any]) -> tuple[Ctx, str]:
    cid = str(body.get("company_account_id") or sb.company_account_ids[0])
    if cid not in sb.store.entities:
        raise _Bad(f"unknown company_account_id {cid}", 404)
    module = str(body.get("module") or "")
    if module not in SPECS:
        raise _Bad(f"unknown module {module!r}", 404)
    ctx = Ctx(
        store=sb.store,
        cid=cid,
        now=sb.clock.now(),
        site=sb.site,
        behaviour=sb.behaviour,
        user_id=int(body.get("user_id") or 1),
    )
    return ctx, module


def _save(
    sb: ScoroSandbox, ctx: Ctx, module: str, rec_id: int | None, changes: Any
) -> dict[str, Any]:
    if not isinstance(changes, dict):
        raise _Bad("changes must be an object")
    spec = SPECS[module]
    if module == "files":
        rec = files.modify(ctx, rec_id, changes)
    else:
        rec = write(ctx, spec, rec_id, changes)
    sb.persist()
    return {"id": rec[spec.id_field], "record": render(ctx, spec, rec, full=True)}


def _edit(sb: ScoroSandbox, body: dict[str, Any]) -> dict[str, Any]:
    with sb.store.lock:
        ctx, module = _ctx(sb, body)
        if body.get("id") in (None, "", 0):
            raise _Bad("id is required")
        return _save(sb, ctx, module, int(body["id"]), body.get("changes") or {})


def _create(sb: ScoroSandbox, body: dict[str, Any]) -> dict[str, Any]:
    with sb.store.lock:
        ctx, module = _ctx(sb, body)
        data = body.get("data", body.get("changes", body.get("record")))
        return _save(sb, ctx, module, None, data or {})


def _delete(sb: ScoroSandbox, body: dict[str, Any]) -> dict[str, Any]:
    with sb.store.lock:
        ctx, module = _ctx(sb, body)
        delete(ctx, SPECS[module], int(body["id"]))
        sb.persist()
        return {"ok": True}


_ROUTES = {
    ("GET", "credentials"): _credentials,
    ("GET", "faults"): _faults_get,
    ("POST", "faults"): _faults,
    ("GET", "clock"): _clock_get,
    ("POST", "clock"): _clock,
    ("GET", "limits"): _limits_get,
    ("POST", "limits"): _limits,
    ("GET", "behaviour"): _behaviour_get,
    ("POST", "behaviour"): _behaviour,
    ("POST", "reset"): _reset,
    ("GET", "stats"): _stats,
    ("POST", "edit"): _edit,
    ("POST", "create"): _create,
    ("POST", "delete"): _delete,
}
