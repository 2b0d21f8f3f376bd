"""The business content of both sandboxes, normalised (no ids, no timestamps), with duplicate
and link-consistency checks, and a few hands on the sandboxes' books for reliability tests."""

from __future__ import annotations

import collections
import copy
import json
import re

from qbsync_desktop.demo import DemoEnvironment
from qbsync_desktop.store import models as m
from qbsync_desktop.sync.service import SyncService
from tests.fixtures.world import World

from .demo import ACME as ENTITY

# ------------------------------------------------------------------ normalised content
_QBO_DROP = {"Id", "SyncToken", "MetaData", "TxnId", "LineNum", "domain", "sparse"}
_QBO_TYPES = ("Invoice", "CreditMemo", "Customer", "Vendor", "Item", "Bill", "Payment")
_SCORO_MODULES = ("contacts", "products", "projects", "invoices", "bills", "receipts")
_SCORO_REFS = {
    "company_id": "contacts",
    "contact_id": "contacts",
    "person_id": "contacts",
    "supplier_id": "contacts",
    "product_id": "products",
    "project_id": "projects",
    "vat_code_id": "vatCodes",
    "finance_account_id": "financeAccounts",
    "finance_object_id": "financeObjects",
}
_SCORO_DROP = re.compile(r"^(id|_.*|.*_date|.*_id|.*_ids|modified|created|deleted)$")
# Text the app writes that may name an id of the other side (numbers differ between runs).
_IDS_IN_TEXT = re.compile(r"\b(?:id|#)\s*[:=]?\s*\d+\b", re.I)


def _qbo_norm(value, realm):
    if isinstance(value, dict):
        if set(value) <= {"value", "name", "type"} and "value" in value:
            if value.get("name"):
                return value["name"]
            return "ref"  # an id without a name: the ref exists; which one is checked by links
        return {
            k: _qbo_norm(v, realm)
            for k, v in sorted(value.items())
            if k not in _QBO_DROP and not k.startswith("_")
        }
    if isinstance(value, list):
        return [_qbo_norm(v, realm) for v in value]
    if isinstance(value, str):
        return _IDS_IN_TEXT.sub("#", value)
    return value


def _scoro_name(store, cid, module, rid):
    for bucket in (cid, "*"):
        rec = store.records.get(bucket, {}).get(module, {}).get(int(rid) if rid else rid)
        if rec is not None:
            for key in ("name", "project_name", "code", "title", "no", "lastname"):
                if rec.get(key):
                    return f"{module}:{rec[key]}"
            return f"{module}:?"
    return None


def _scoro_norm(value, store, cid):
    if isinstance(value, dict):
        out = {}
        for k, v in sorted(value.items()):
            if k in _SCORO_REFS and v not in (None, "", 0):
                out[k] = _scoro_name(store, cid, _SCORO_REFS[k], v)
            elif not _SCORO_DROP.match(k):
                out[k] = _scoro_norm(v, store, cid)
        return out
    if isinstance(value, list):
        return [_scoro_norm(v, store, cid) for v in value]
    if isinstance(value, str):
        return _IDS_IN_TEXT.sub("#", value)
    return value


def business_content(env: DemoEnvironment, company_account_id: str = ENTITY) -> dict:
    """Both sides' business records as sorted lists of canonical JSON (ids and times out)."""
    pair = next(p for p in env.pairs if p.company_account_id == company_account_id)
    out: dict[str, list[str]] = {}
    with env.qbo.lock:
        realm = env.qbo.realms[pair.realm_id]
        for entity in _QBO_TYPES:
            rows = [_qbo_norm(o, realm) for o in realm.table(entity).values()]
            out[f"qbo.{entity}"] = sorted(json.dumps(r, sort_keys=True, default=str) for r in rows)
    store = env.scoro.store
    with store.lock:
        for module in _SCORO_MODULES:
            rows = [
                _scoro_norm(r, store, company_account_id)
                for r in store.table(company_account_id, module).values()
                if r.get("_deleted") is None
            ]
            out[f"scoro.{module}"] = sorted(
                json.dumps(r, sort_keys=True, default=str) for r in rows
            )
    return out


def content_diff(a: dict, b: dict, limit: int = 3) -> list[str]:
    """Readable differences between two business_content() results."""
    problems = []
    for key in sorted(set(a) | set(b)):
        ca, cb = collections.Counter(a.get(key, [])), collections.Counter(b.get(key, []))
        if ca == cb:
            continue
        only_a = list((ca - cb).elements())[:limit]
        only_b = list((cb - ca).elements())[:limit]
        problems.append(
            f"{key}: {sum(ca.values())} vs {sum(cb.values())}\n  only here: {only_a}\n"
            f"  only in the reference: {only_b}"
        )
    return problems


# ------------------------------------------------------------------ duplicates and links
def duplicates(env: DemoEnvironment, company_account_id: str = ENTITY) -> list[str]:
    """Two objects that are the same business object: same document number / same name."""
    pair = next(p for p in env.pairs if p.company_account_id == company_account_id)
    found = []
    with env.qbo.lock:
        realm = env.qbo.realms[pair.realm_id]
        for entity, key in (
            ("Invoice", "DocNumber"),
            ("CreditMemo", "DocNumber"),
            ("Bill", "DocNumber"),
            ("Customer", "DisplayName"),
            ("Vendor", "DisplayName"),
            ("Item", "Name"),
        ):
            seen = collections.Counter(
                str(o.get(key)) for o in realm.table(entity).values() if o.get(key)
            )
            found += [f"QuickBooks {entity} {k!r} x{n}" for k, n in seen.items() if n > 1]
        payments = collections.Counter(
            (o.get("CustomerRef", {}).get("value"), str(o.get("TotalAmt")), o.get("TxnDate"))
            for o in realm.table("Payment").values()
        )
        found += [f"QuickBooks Payment {k} x{n}" for k, n in payments.items() if n > 1]
    store = env.scoro.store
    with store.lock:
        for module, key in (
            ("invoices", ("no",)),
            ("bills", ("no", "company_id")),
            ("contacts", ("name", "lastname", "contact_type")),
            ("products", ("name",)),
            ("projects", ("project_name", "company_id")),
            ("receipts", ("contact_id", "sum", "date", "receipts")),
        ):
            seen = collections.Counter(
                tuple(str(r.get(k)) for k in key)
                for r in store.table(company_account_id, module).values()
                if r.get("_deleted") is None
            )
            found += [f"Scoro {module} {k} x{n}" for k, n in seen.items() if n > 1]
    return found


_KIND_TO_QBO = {
    "customer": ("Customer",),
    "vendor": ("Vendor",),
    "product": ("Item",),
    "invoice": ("Invoice",),
    "credit_note": ("CreditMemo",),
    "bill": ("Bill",),
    "receipt": ("Payment",),
    "bill_payment": ("BillPayment",),
    "account": ("Account",),
    "tax_rate": ("TaxCode", "TaxRate"),
    "tracking_class": ("Class",),
    "project": ("Customer",),
}
_KIND_TO_SCORO = {
    "customer": ("contacts",),
    "vendor": ("contacts",),
    "product": ("products",),
    "invoice": ("invoices",),
    "credit_note": ("invoices",),
    "bill": ("bills",),
    "receipt": ("receipts",),
    "account": ("financeAccounts",),
    "tax_rate": ("vatCodes",),
    "tracking_class": ("financeObjects",),
    "project": ("projects",),
}


def link_problems(env: DemoEnvironment, svc: SyncService, connection_id: int) -> list[str]:
    """Every link names an object that exists on both sides; no object is linked twice."""
    conn = m.Connection.get_by_id(connection_id)
    pair = next(p for p in env.pairs if p.company_account_id == conn.scoro_company_account_id)
    realm = env.qbo.realms[pair.realm_id]
    store = env.scoro.store
    problems = []
    seen_q, seen_s = collections.Counter(), collections.Counter()
    for link in m.Link.select().where(m.Link.connection == connection_id):
        seen_q[(link.kind, link.qbo_id)] += 1
        seen_s[(link.kind, link.scoro_id)] += 1
        q_tables = _KIND_TO_QBO.get(link.kind)
        s_tables = _KIND_TO_SCORO.get(link.kind)
        if q_tables and not any(realm.get(t, link.qbo_id) for t in q_tables):
            problems.append(f"link {link.kind} -> QuickBooks {link.qbo_id} does not exist")
        if s_tables:
            sid = int(link.scoro_id) if str(link.scoro_id).isdigit() else link.scoro_id
            if not any(
                store.records.get(b, {}).get(t, {}).get(sid)
                for t in s_tables
                for b in (conn.scoro_company_account_id, "*")
            ):
                problems.append(f"link {link.kind} -> Scoro {link.scoro_id} does not exist")
    problems += [f"QuickBooks {k} linked {n} times" for k, n in seen_q.items() if n > 1]
    problems += [f"Scoro {k} linked {n} times" for k, n in seen_s.items() if n > 1]
    return problems


def copy_scoro_invoice(w: World, number: str, source_no: str = "1001", **changes) -> int:
    """Create a Scoro invoice like `source_no` under a new number, as a Scoro user would."""
    store = w.env.scoro.store
    with store.lock:
        source = next(
            r for r in store.table(ENTITY, "invoices").values() if r.get("no") == source_no
        )
        data = {
            k: copy.deepcopy(v)
            for k, v in source.items()
            if not k.startswith("_") and k not in ("id", "no", "sum", "vat_sum", "modified_date")
        }
    for line in data.get("lines", []):
        line.pop("id", None)
        line.pop("sum", None)
    data.update(no=number, **changes)
    data = json.loads(json.dumps(data, default=str))  # Decimal and dates as text
    made = w.scoro_ctl("POST", "create", company_account_id=ENTITY, module="invoices", data=data)
    return int(made["id"])


def qbo_rows(w: World, entity: str, company_account_id: str = ENTITY) -> list[dict]:
    realm = next(p.realm_id for p in w.env.pairs if p.company_account_id == company_account_id)
    with w.env.qbo.lock:
        return [dict(o) for o in w.env.qbo.realms[realm].table(entity).values()]
