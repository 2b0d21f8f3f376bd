"""`make bench`: throughput, request economy and memory of the real engine over real HTTP.

Prints ONE JSON object on stdout; progress goes to stderr.

Layout: the two sandboxes run in this process (threads on 127.0.0.1); the app is connected
here through the real OAuth flow (`DemoEnvironment.connect`), and every measured sync runs the
real `SyncService.run` in a child process (`tests.benchmarks.worker`) on the same data
directory, so its seconds and peak RSS are the app's alone.

Scenarios
- initial_push: 5,000 Scoro invoices (plus their contacts and products) into an empty QBO
  company, with QBO limits scaled down so the rate bound alone makes the push take 20-50 s;
  `rate_limit_bound_fraction` = achieved QBO request rate / the rate the limits allow.
- push_at_real_limits: the same push (1,500 and 5,000 Scoro invoices) with both sandboxes at
  their documented default limits (QuickBooks 500 requests/min, 10/s, 40 batches/min per realm
  and app; Scoro 60 requests per 2 s) and the app's own default budget. Two floors: QuickBooks'
  from the records written (a minute carries at most 40 batches of 30 plus the other 460
  requests of its budget as single writes, at most 10 a second) and Scoro's from the requests
  made (60 per 2 s); `limit_fraction` = the larger floor / the seconds taken.
- no_change_sync: a run with nothing to do over 2,000 and 20,000 linked invoices (links made
  by a real initial sync with high limits; both sandboxes' clocks then moved two days on).
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from qbsync_desktop.demo import DemoEnvironment
from qbsync_desktop.sandbox.scoro import ScoroSandbox
from qbsync_desktop.secrets.file import FileSecretStore
from qbsync_desktop.sync.service import SyncService

ROOT = Path(__file__).resolve().parents[2]
PAIR = "acme_ee"
FAST_QBO = {
    "per_minute": 1_000_000,
    "per_second": 100_000,
    "batch_per_minute": 1_000_000,
    "batch_per_minute_realm": 1_000_000,
}
SCORO_OPEN = {"window_seconds": 1.0, "window_limit": 1_000_000, "daily_limit": 100_000_000}
# Scaled-down QBO limits for the push: per second is the binding one (a run shorter than a
# minute can spend a whole per-minute allowance at once, so those are set not to bind).
PUSH_QBO = {
    "per_minute": 6_000,
    "per_second": int(os.environ.get("BENCH_PUSH_PER_SECOND", "5")),
    "batch_per_minute": 6_000,
    "batch_per_minute_realm": 6_000,
}
# The sandboxes' documented defaults (QuickBooks' published limits; Scoro's short window).
REAL_QBO = {
    "per_minute": 500,
    "per_second": 10,
    "batch_per_minute": 40,
    "batch_per_minute_realm": 120,
}
REAL_SCORO = {"window_seconds": 2.0, "window_limit": 60, "daily_limit": 50_000}
BATCH_ITEMS = 30
REAL_SIZES = [
    int(n) for n in os.environ.get("BENCH_REAL_INVOICES", "1500,5000").split(",") if n.strip()
]
PUSH_INVOICES = int(os.environ.get("BENCH_PUSH_INVOICES", "5000"))
PUSH_CONTACTS = int(os.environ.get("BENCH_PUSH_CONTACTS", "300"))
PUSH_PRODUCTS = int(os.environ.get("BENCH_PUSH_PRODUCTS", "100"))
LINKS_LARGE = int(os.environ.get("BENCH_LINKS_LARGE", "20000"))
LINKS_SMALL = int(os.environ.get("BENCH_LINKS_SMALL", "2000"))
TWO_DAYS = 2 * 86400


def say(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


class Stage:
    """Both sandboxes and one connected data directory."""

    def __init__(self, scoro_size: dict, qbo_limits: dict) -> None:
        self.tmp = tempfile.TemporaryDirectory(prefix="qbsync-bench-")
        self.dir = Path(self.tmp.name)
        self.clock_offset = 0
        self.env = DemoEnvironment(None, size="empty", qbo_kwargs={"limits": qbo_limits})
        # DemoEnvironment gives both sandboxes one size; Scoro gets its own explicit counts.
        self.env.scoro = ScoroSandbox(seed=1, size=scoro_size, recent=True, limits=SCORO_OPEN)
        self.env.start()
        self.data_dir = self.dir / "data"
        self.secrets = self.dir / "secrets.json"
        svc = SyncService(self.data_dir, FileSecretStore(self.secrets))
        try:
            pair = next(p for p in self.env.pairs if p.company_account_id == PAIR)
            info = self.env.connect(svc, pair)
        finally:
            svc.close()
        self.connection = info.id
        self.realm_id = pair.realm_id

    def close(self) -> None:
        self.env.stop()
        self.tmp.cleanup()

    def qbo_ctl(self, method: str, name: str, **body) -> dict:
        r = requests.request(
            method, f"{self.env.qbo_url}/_sandbox/{name}", json=body or None, timeout=30
        )
        r.raise_for_status()
        return r.json()

    def scoro_ctl(self, method: str, name: str, **body) -> dict:
        r = requests.request(
            method, f"{self.env.scoro_url}/_sandbox/{name}", json=body or None, timeout=30
        )
        r.raise_for_status()
        return r.json()

    def advance_clocks(self, seconds: int) -> None:
        self.qbo_ctl("POST", "clock", advance_seconds=seconds)
        self.scoro_ctl("POST", "clock", advance_seconds=seconds)
        self.clock_offset += seconds

    def run_sync(self, qbo_limits: dict | None = None) -> dict:
        args = {
            "data_dir": str(self.data_dir),
            "secrets": str(self.secrets),
            "connection": self.connection,
            "realm_id": self.realm_id,
            "qbo_limits": qbo_limits,
            "clock_offset": self.clock_offset,
        }
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        proc = subprocess.run(
            [sys.executable, "-m", "tests.benchmarks.worker", json.dumps(args)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=sys.stderr,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"worker failed with exit code {proc.returncode}")
        return json.loads(proc.stdout.strip().splitlines()[-1])


def push_counts(res: dict, endpoints: dict[str, int]) -> tuple[int, int, int]:
    """(QuickBooks API requests, of which /batch, records written) of one push. The token
    endpoint is not an API call: the per-realm limits do not count it."""
    oauth = sum(v for k, v in endpoints.items() if "/oauth2/" in k)
    batches = sum(v for k, v in endpoints.items() if "batch" in k.lower())
    records = res["created"] + res["linked"] + res["updated"]
    return res["qbo_requests"] - oauth, batches, records


def qbo_endpoint_counts(before: dict, after: dict) -> dict[str, int]:
    out = {}
    for name, statuses in after["requests"].items():
        prev = before["requests"].get(name, {})
        n = sum(statuses.values()) - sum(prev.values())
        if n:
            out[name] = n
    return out


def min_seconds(n: int, limit: int, window: float) -> float:
    """The least time n requests need under a sliding window of `limit` per `window`."""
    if n <= 0 or limit <= 0:
        return 0.0
    return ((n - 1) // limit) * window


def initial_push() -> dict:
    scoro_size = {
        "base": "empty",
        "extra_invoices": PUSH_INVOICES,
        "extra_contacts": PUSH_CONTACTS,
        "extra_products": PUSH_PRODUCTS,
    }
    say(f"initial push: seeding Scoro {scoro_size} and an empty QBO company")
    stage = Stage(scoro_size, FAST_QBO)
    try:
        stage.qbo_ctl("POST", "limits", **PUSH_QBO)
        # Let the connect's own requests leave the sandbox's one-second window first.
        time.sleep(1.5)
        before = stage.qbo_ctl("GET", "stats")
        say(f"initial push: running with QBO limits {PUSH_QBO}")
        res = stage.run_sync(PUSH_QBO)
        after = stage.qbo_ctl("GET", "stats")
    finally:
        stage.close()
    endpoints = qbo_endpoint_counts(before, after)
    say(f"initial push: {res}")
    say(f"initial push: QBO endpoints {endpoints}")
    n, batch_requests, records = push_counts(res, endpoints)
    write_requests = sum(
        v
        for k, v in endpoints.items()
        if "batch" in k.lower()
        or any(w in k.lower() for w in ("create", "update", "post /invoice", "post /customer"))
    )
    lim = PUSH_QBO
    bound_s = max(
        min_seconds(n, lim["per_second"], 1.0),
        min_seconds(n, lim["per_minute"], 60.0),
        min_seconds(batch_requests, lim["batch_per_minute"], 60.0),
        min_seconds(batch_requests, lim["batch_per_minute_realm"], 60.0),
    )
    seconds = res["seconds"]
    return {
        "records": records,
        "invoices_in_scoro": PUSH_INVOICES,
        "counts": {k: res[k] for k in ("created", "linked", "updated", "held", "failed")},
        "note": (
            "records = objects created or linked in QBO (contacts, products, invoices); "
            "Scoro drafts are skipped by rule R34 and invoices on the outdated VAT22 code "
            "are held for review, so records < invoices_in_scoro + contacts + products"
        ),
        "qbo_requests": n,
        "qbo_requests_by_endpoint": endpoints,
        "qbo_throttled_429": after["throttled"] - before["throttled"],
        "qbo_write_requests": write_requests,
        "scoro_requests": res["scoro_requests"],
        "records_per_qbo_request": round(records / n, 2) if n else None,
        "records_per_qbo_write_request": round(records / write_requests, 2)
        if write_requests
        else None,
        "seconds": seconds,
        "qbo_limits": lim,
        "rate_bound_seconds": bound_s,
        "qbo_requests_per_second": round(n / seconds, 2) if seconds else None,
        "rate_limit_bound_fraction": round(bound_s / seconds, 3) if seconds else None,
        "client_budget_waited_s": res["qbo_budget_waited_s"],
        "status": res["status"],
        "peak_rss_mb": res["peak_rss_mb"],
    }


def qbo_floor_seconds(records: int, lim: dict) -> float:
    """The least time any client needs to write `records` at QuickBooks' steady rate: a
    minute carries the batch quota's records (30 each) plus the rest of its request budget as
    single writes, no faster than the per-second limit allows."""
    batches = min(lim["batch_per_minute"], lim["batch_per_minute_realm"], lim["per_minute"])
    per_minute = batches * BATCH_ITEMS + (lim["per_minute"] - batches)
    per_second_cap = lim["per_second"] * 60  # requests a minute at the per-second limit
    per_minute = min(per_minute, batches * BATCH_ITEMS + max(0, per_second_cap - batches))
    return round(60.0 * records / per_minute, 1)


def push_at_real_limits(invoices: int) -> dict:
    scoro_size = {
        "base": "empty",
        "extra_invoices": invoices,
        "extra_contacts": PUSH_CONTACTS,
        "extra_products": PUSH_PRODUCTS,
    }
    say(f"push at real limits: seeding Scoro with {invoices} invoices, an empty QBO company")
    stage = Stage(scoro_size, FAST_QBO)
    try:
        stage.qbo_ctl("POST", "limits", **REAL_QBO)
        stage.scoro_ctl("POST", "limits", **REAL_SCORO, reset_counters=True)
        # The connect's own requests leave both sandboxes' windows first.
        time.sleep(2.5)
        qbo_before = stage.qbo_ctl("GET", "stats")
        scoro_before = stage.scoro_ctl("GET", "stats")
        say(f"push at real limits: QBO {REAL_QBO}, Scoro {REAL_SCORO}")
        # No qbo_limits: the app runs with its own default budget, as it ships.
        res = stage.run_sync(None)
        qbo_after = stage.qbo_ctl("GET", "stats")
        scoro_after = stage.scoro_ctl("GET", "stats")
    finally:
        stage.close()
    endpoints = qbo_endpoint_counts(qbo_before, qbo_after)
    say(f"push at real limits ({invoices}): {res}")
    say(f"push at real limits ({invoices}): QBO endpoints {endpoints}")
    qbo_n, batches, records = push_counts(res, endpoints)
    scoro_n = res["scoro_requests"]

    def scoro_429(stats: dict) -> int:
        return sum(int(v.get("429", 0)) for v in stats.get("requests", {}).values())

    qbo_floor = qbo_floor_seconds(records, REAL_QBO)
    scoro_floor = min_seconds(scoro_n, REAL_SCORO["window_limit"], REAL_SCORO["window_seconds"])
    floor = max(qbo_floor, scoro_floor)
    seconds = res["seconds"]
    # A client sending one request per record is held to the per-minute budget.
    one_per_record = round(60.0 * records / REAL_QBO["per_minute"], 1)
    out = {
        "invoices_in_scoro": invoices,
        "records": records,
        "counts": {k: res[k] for k in ("created", "linked", "updated", "held", "failed")},
        "seconds": seconds,
        "qbo_limits": REAL_QBO,
        "scoro_limits": REAL_SCORO,
        "qbo_requests": qbo_n,
        "qbo_batch_requests": batches,
        "qbo_single_write_requests": sum(
            v
            for k, v in endpoints.items()
            if k.lower().startswith("post")
            and not any(w in k.lower() for w in ("batch", "query", "/oauth2/"))
        ),
        "qbo_requests_by_endpoint": endpoints,
        "scoro_requests": scoro_n,
        "scoro_requests_per_invoice": round(scoro_n / invoices, 3) if invoices else None,
        "qbo_throttled_429": qbo_after["throttled"] - qbo_before["throttled"],
        "scoro_throttled_429": scoro_429(scoro_after) - scoro_429(scoro_before),
        "qbo_floor_seconds": qbo_floor,
        "scoro_floor_seconds": scoro_floor,
        "floor_seconds": floor,
        "limit_fraction": round(floor / seconds, 3) if seconds else None,
        "one_request_per_record_floor_seconds": one_per_record,
        "client_budget_waited_s": res["qbo_budget_waited_s"],
        "status": res["status"],
        "peak_rss_mb": res["peak_rss_mb"],
        "label": "real default limits of both sandboxes",
    }
    for key in (
        "qbo_idle_s",
        "qbo_gaps",
        "phases",
        "scoro_per_5s",
        "qbo_per_5s",
        "qbo_batches_per_5s",
        "qbo_single_beside_batch_s",
        "scoro_last_request_s",
        "cpu_s",
    ):
        if key in res:
            out[key] = res[key]
    return out


def no_change(links: int) -> dict:
    # About 1 in 12 generated invoices meets a review rule (draft, old tax rate, another
    # currency) and is held, not linked: seed enough for `links` linked invoices.
    seeded = math.ceil(links / 0.9)
    scoro_size = {"base": "empty", "extra_invoices": seeded, "extra_contacts": 200}
    say(f"no-change {links}: seeding Scoro with {seeded} invoices; linking by a real sync")
    stage = Stage(scoro_size, FAST_QBO)
    try:
        first = stage.run_sync(FAST_QBO)
        say(f"no-change {links}: initial sync {first}")
        # Days pass between syncs in real life; the sync after them re-lists what changed in
        # its whole-day window once, and settles the cursors at the time of its read.
        stage.advance_clocks(3 * 86400)
        settle = stage.run_sync(FAST_QBO)
        say(f"no-change {links}: first sync days later {settle}")
        stage.advance_clocks(3600)
        res = stage.run_sync(FAST_QBO)
        say(f"no-change {links}: no-change sync {res}")
    finally:
        stage.close()
    return {
        "links": first["created"] + first["linked"],
        "seeded_invoices": seeded,
        "initial_sync_seconds": first["seconds"],
        "linking_peak_rss_mb": first["peak_rss_mb"],
        "qbo_requests": res["qbo_requests"],
        "scoro_requests": res["scoro_requests"],
        "seconds": res["seconds"],
        "peak_rss_mb": res["peak_rss_mb"],
        "changes": {k: res[k] for k in ("created", "updated", "linked", "held", "failed")},
        "status": res["status"],
    }


RECONCILE_SIZES = (200, 2000)


def reconcile_requests() -> dict:
    """Requests one reconcile makes at 200 and 2,000 invoices (linked by a real sync first,
    in process): they grow with list pages (100 Scoro rows, 1,000 QuickBooks rows a page),
    not with documents."""
    from tests.fixtures.world import FAST_CLIENT, FAST_SCORO
    from tests.fixtures.world import FAST_QBO as QBO_OPEN

    out: dict = {}
    for n in RECONCILE_SIZES:
        say(f"reconcile {n}: seeding and linking")
        size = {"base": "empty", "extra_invoices": n, "extra_contacts": 50}
        env = DemoEnvironment(
            None, size="demo", qbo_kwargs=QBO_OPEN, scoro_kwargs={**FAST_SCORO, "size": size}
        ).start()
        data = Path(tempfile.mkdtemp(prefix="qbsync-bench-reconcile-"))
        svc = SyncService(
            data, FileSecretStore(data / "secrets.json"), connector_options=FAST_CLIENT
        )
        try:
            pair = next(p for p in env.pairs if p.company_account_id == PAIR)
            info = env.connect(svc, pair)
            svc.run(info.id)
            result = svc.reconcile(info.id)
            say(f"reconcile {n}: {result.summary}")
            out[f"invoices_{n}"] = {
                "documents_compared": result.compared,
                "requests": result.requests,
                "seconds": result.seconds,
                "differences": len(result.differences),
            }
        finally:
            svc.close()
            env.stop()
    out["note"] = (
        "Requests of one SyncService.reconcile over this year's invoices and credit notes "
        "(both sides' list pages and queries; no document views)."
    )
    return out


def ui_gap() -> dict:
    """The GUI's longest event-loop stall during a demo sync, in its own process."""
    say("ui: measuring the event loop during a demo sync")
    proc = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.ui_gap"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        return {"ui_max_event_loop_gap_ms": None, "ui_error": proc.stderr[-500:]}
    return json.loads(lines[-1])


def main() -> int:
    started = time.monotonic()
    out: dict = {}
    only = set(filter(None, os.environ.get("BENCH_ONLY", "").split(",")))
    if not only or "push" in only:
        out["initial_push"] = {
            **initial_push(),
            "label": "QuickBooks scaled to 5 requests/s, Scoro wide open",
        }
    if not only or "real" in only:
        out["push_at_real_limits"] = {f"invoices_{n}": push_at_real_limits(n) for n in REAL_SIZES}
    if not only or "nochange" in only:
        large = no_change(LINKS_LARGE)
        small = no_change(LINKS_SMALL)
        out["no_change_sync"] = {
            f"links_{LINKS_LARGE}": large,
            f"links_{LINKS_SMALL}": small,
            "qbo_requests": large["qbo_requests"],
            "scoro_requests": large["scoro_requests"],
            "seconds": large["seconds"],
            "requests_independent_of_links": (
                large["qbo_requests"] == small["qbo_requests"]
                and large["scoro_requests"] == small["scoro_requests"]
            ),
            "peak_rss_mb": large["peak_rss_mb"],
            "linking_sync_peak_rss_mb": large["linking_peak_rss_mb"],
            "note": (
                "Both sandboxes' clocks were advanced by 3 days (POST /_sandbox/clock) after "
                "the linking sync, one sync ran (it re-lists that whole-day window once and "
                "moves the cursors to its read time), the clocks moved one more hour, and the "
                "next sync is the one measured: time passes between syncs in real life, and "
                "Scoro's modified_date filter works in whole days with one day of overlap. "
                "Peak RSS is the worker process's VmHWM (RUSAGE_CHILDREN is not used: it "
                "counts the parent's memory at fork, before the worker's exec)."
            ),
        }
    if not only or "reconcile" in only:
        out["reconcile"] = reconcile_requests()
    out.update(ui_gap())
    out["bench_seconds"] = round(time.monotonic() - started, 1)
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
