"""A faithful local Scoro API v2 server for demo mode, tests and benchmarks.

Usage::

    from qbsync_desktop.sandbox.scoro import ScoroSandbox
    sb = ScoroSandbox(seed=1, size="demo")      # clock=, data_file=, limits=, behaviour=
    url = sb.start()                             # "http://127.0.0.1:PORT"; API at url/api/v2
    sb.api_key, sb.company_account_ids           # "ScoroDemoApiKey_...", ["acme_ee", ...]
    sb.stop()

API (what it imitates is in docs/sandbox.md):
``POST /api/v2/<module>/<action>[/<id>]`` with a JSON body carrying ``apiKey`` (or
``user_token``) and ``company_account_id``; replies ``{status, statusCode, messages, data}``
with ``statusCode`` a number. list and view answer every field of the object (``schema.py``),
unset ones as null. ``invoices/pdf/<id>`` answers a ``pdf_link``; ``GET`` on it serves the PDF.
Modules: contacts, clientProfiles, products, projects, invoices, bills, receipts,
receiptAccounts, financeAccounts, financeObjects, vatCodes, companyAccount, files, bookmarks,
users. Points the reference leaves UNCONFIRMED are switches in ``behaviour.Behaviour``,
defaulting to the stricter reading.

Control plane (JSON in and out; never under /api; no auth; not rate limited)::

    GET  /_sandbox/credentials
         -> {"api_key", "site_url", "company_accounts": [{"company_account_id", "name",
             "base_currency", "active_currencies"}], "user_tokens": [{"user_token", "user_id"}]}
    POST /_sandbox/faults   {"type": "5xx"|"drop"|"slow"|"429", "count": 1 | null,
                             "probability": 0.0-1.0, "module": "invoices", "action": "modify",
                             "status": 503, "seconds": 1.5, "phase": "before"|"after"}
         or {"faults": [...]} or {"clear": true}
         -> {"added": [ids], "active": [faults], "injected": {type: n}}
    GET  /_sandbox/faults   -> {"active": [...], "injected": {...}}
    POST /_sandbox/clock    {"advance_seconds": N} or {"now": "2026-12-01T10:00:00+00:00"}
    GET  /_sandbox/clock    -> {"now": utc iso, "site_now": site-local iso, "site_timezone"}
    POST /_sandbox/limits   {"enabled", "window_seconds", "window_limit", "daily_limit",
                             "reset_counters": true}  -> the limits
    GET  /_sandbox/limits
    POST /_sandbox/behaviour {switch: value, ...} -> all switches;  GET likewise
    POST /_sandbox/reset    {"seed"?: N, "size"?: ...} -> fresh data; faults, rate counters
                            and stats cleared; the clock is kept
    GET  /_sandbox/stats    -> {"requests": {"invoices/list": {"200": 3, "429": 1}},
                                "requests_total": N, "objects": {cid: {module: live count}},
                                "faults": {type: n}}
    POST /_sandbox/edit     {"company_account_id", "module", "id", "changes": {...},
                             "user_id"?} -> {"id", "record"}   (as a Scoro user would: same
                             validation, modified_date bumped)
    POST /_sandbox/create   {"company_account_id", "module", "data": {...}} -> {"id", "record"}
    POST /_sandbox/delete   {"company_account_id", "module", "id"} -> {"ok": true}

Control-plane errors are ``{"error": "..."}`` with HTTP 400 or 404.
"""

from .ratelimit import Limits
from .sandbox import ScoroSandbox
from .settings import Behaviour

__all__ = ["Behaviour", "Limits", "ScoroSandbox"]
