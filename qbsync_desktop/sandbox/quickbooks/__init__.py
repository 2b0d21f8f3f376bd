"""A faithful local QuickBooks Online server for tests, benchmarks and demo mode.

One HTTP server carries Intuit OAuth (``/connect/oauth2``, ``/oauth2/v1/tokens/bearer``,
``/oauth2/v1/tokens/revoke``, ``/.well-known/openid_configuration``), the v3 Accounting API
(``/v3/company/{realmId}/...``) and a control plane under ``/_sandbox/`` (documented in
``control.py``). Behaviour follows ``reference/quickbooks-api.md``; where that says UNCONFIRMED
the stricter reading is the default and a switch in ``settings.Settings`` flips it.

    from qbsync_desktop.sandbox.quickbooks import QuickBooksSandbox
    sb = QuickBooksSandbox(seed=1, size="demo", clock=None, data_file=None)
    url = sb.start(host="127.0.0.1", port=0)
    tokens = sb.issue_tokens(sb.realm_ids[0])
    sb.stop()

Module map: ``app`` (routing and the API pipeline), ``oauth``, ``query`` (query language),
the entity rules (``specs`` the fields of each entity, ``context`` the write context and shared
helpers, ``binding`` the request's fields and their types, ``writes`` create and update,
``removal`` delete and void, ``names`` the name lists, ``transactions`` the transaction headers,
``lines`` their lines and tax, ``payments`` payment lines, ``balances`` the linked-transaction
bookkeeping), ``cdc``, ``batch``, ``faults``, ``limits``, ``seed``, ``store``, ``control``,
``server``, ``cli``.
"""

from .sandbox import QuickBooksSandbox

__all__ = ["QuickBooksSandbox"]
