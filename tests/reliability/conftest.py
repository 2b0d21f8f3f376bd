"""Shared machinery for the reliability tests: worlds with explicit sizes, fast connector
options, the business content of both sides normalised (no ids, no timestamps), duplicate and
link-consistency checks, and per-request fault bookkeeping on the in-process sandboxes."""

from __future__ import annotations

import collections
import json
import logging
import os
import re
import sys
import threading
from pathlib import Path

import pytest

from qbsync_desktop.demo import DemoEnvironment
from qbsync_desktop.quickbooks.ratebudget import RateBudget
from qbsync_desktop.sandbox.quickbooks import QuickBooksSandbox
from qbsync_desktop.sandbox.scoro import ScoroSandbox
from qbsync_desktop.secrets.memory import MemorySecretStore
from qbsync_desktop.store import models as m
from qbsync_desktop.sync.service import SyncService
from tests.fixtures.world import World

FAST_QBO_LIMITS = {"per_minute": 10**6, "per_second": 10**6, "batch_per_minute": 10**6}
ENTITY = "acme_ee"


ROOT = Path(__file__).resolve().parents[2]


def cli_call(data_dir: Path, secrets: str, *args: str) -> dict:
    """Keyword arguments for subprocess.run/Popen that run the qbsync CLI on `data_dir`."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("QBSYNC_DATA_DIR", None)
    argv = [sys.executable, "-m", "qbsync_desktop.cli", "--data-dir", str(data_dir)]
    return {
        "args": [*argv, "--secrets", secrets, *args],
        "cwd": ROOT,
        "env": env,
        "text": True,
    }


def fast_options(read_timeout: float = 2.0) -> dict:
    """Short timeouts and waits and no client-side QuickBooks budget: the sandboxes are local,
    and a test must not sit out QuickBooks' real 60-second throttle pause."""
    return {
        "quickbooks": {
            "timeout": (2.0, read_timeout),
            "max_retries": 4,
            "throttle_wait": 0.02,
            "backoff_base": 0.01,
            "backoff_cap": 0.05,
            "rate": RateBudget(10**6, 10**6, 10**6),
        },
        "scoro": {
            "timeout": (2.0, read_timeout),
            "max_attempts": 5,
            "backoff": 0.01,
            "max_wait": 0.05,
        },
    }


def make_env(
    qbo_size="demo", scoro_size="demo", *, seed: int = 1, data_dir: Path | None = None
) -> DemoEnvironment:
    """Both sandboxes (not started) with their own sizes: QuickBooks takes "demo" or an int,
    Scoro "demo" or {"base": "demo", "extra_invoices": N, ...}."""
    env = DemoEnvironment(data_dir, size="demo", seed=seed, qbo_kwargs={"limits": FAST_QBO_LIMITS})
    persist = data_dir is not None
    env.qbo = QuickBooksSandbox(
        seed=seed,
        size=qbo_size,
        recent=True,
        limits=FAST_QBO_LIMITS,
        data_file=str(data_dir / "q.sqlite3") if persist else None,
    )
    env.scoro = ScoroSandbox(
        seed=seed,
        size=scoro_size,
        recent=True,
        limits={"enabled": False},
        data_file=str(data_dir / "s.json") if persist else None,
    )
    return env


@pytest.fixture
def rworld(tmp_path):
    """make(qbo_size, scoro_size, options=..., secrets=...) -> World (started, not connected)."""
    made: list[World] = []

    def make(qbo_size="demo", scoro_size="demo", *, options=None, secrets=None, seed=1):
        env = make_env(qbo_size, scoro_size, seed=seed).start()
        svc = SyncService(
            tmp_path / f"data{len(made)}",
            secrets if secrets is not None else MemorySecretStore(),
            connector_options=fast_options() if options is None else options,
        )
        w = World(env, svc)
        made.append(w)
        return w

    yield make
    for w in made:
        w.svc.close()
        w.env.stop()


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


# ------------------------------------------------------------------ fault bookkeeping
class FaultLedger:
    """Which requests the in-process sandboxes hit with a fault, one entry per request.

    A request may draw two faults at once (e.g. slow and 429): the client sees one failure,
    so failures are counted per request, by the fault the client actually experiences."""

    def __init__(self, env: DemoEnvironment, *, client_timeout: float) -> None:
        self.qbo: collections.Counter = collections.Counter()
        self.scoro: collections.Counter = collections.Counter()
        self._lock = threading.Lock()
        qf, sf = env.qbo.faults, env.scoro.faults
        orig_fire, orig_draw = qf.fire, sf.draw

        def fire(method, path, realm_id):
            rules = orig_fire(method, path, realm_id)
            types = {r.type for r in rules}
            slow = any(r.type == "slow" and r.seconds > client_timeout for r in rules)
            seen = None
            if slow:
                seen = "timeout"
            elif types & {"throttle", "system_error", "drop_after_commit", "drop_before_commit"}:
                seen = sorted(types - {"xml_bodies", "slow"})[0]
            if seen:
                with self._lock:
                    self.qbo[seen] += 1
            return rules

        def draw(module, action):
            fired = orig_draw(module, action)
            seen = None
            if "slow" in fired and fired["slow"].seconds > client_timeout:
                seen = "timeout"
            elif "429" in fired:
                seen = "429"
            elif "5xx" in fired and fired["5xx"].phase == "before":
                seen = "5xx"
            elif "drop" in fired:
                seen = "drop"
            elif "5xx" in fired:
                seen = "5xx"
            if seen:
                with self._lock:
                    self.scoro[seen] += 1
            return fired

        qf.fire = fire
        sf.draw = draw


class LogCapture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def messages(self, prefix: str = "") -> list[str]:
        return [r.getMessage() for r in self.records if r.getMessage().startswith(prefix)]


@pytest.fixture
def app_log():
    """Every record of the app's loggers (DEBUG and up) for the test's duration."""
    handler = LogCapture()
    root = logging.getLogger("qbsync_desktop")
    old = root.level
    root.setLevel(logging.DEBUG)
    root.addHandler(handler)
    yield handler
    root.removeHandler(handler)
    root.setLevel(old)


def copy_scoro_invoice(w: World, number: str, source_no: str = "1001", **changes) -> int:
    """Create a Scoro invoice like `source_no` under a new number, as a Scoro user would."""
    import copy as _copy

    store = w.env.scoro.store
    with store.lock:
        source = next(
            r for r in store.table(ENTITY, "invoices").values() if r.get("no") == source_no
        )
        data = {
            k: _copy.deepcopy(v)
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
