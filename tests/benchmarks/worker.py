"""One sync run of the real app in its own process, so its time and memory are its own.

The sandboxes live in the parent (`run.py`); this process opens the same data directory and
secrets file the parent connected with, runs `SyncService.run` once and prints one JSON line:
the run's counts, client-side request counts per side, seconds and peak RSS (VmHWM).

Usage: python -m tests.benchmarks.worker '{"data_dir": ..., "secrets": ..., "connection": 1,
"qbo_limits": {...} | null}'
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import resource
import sys
import time


def peak_rss_mb() -> float:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class WireTrace:
    """When the QuickBooks side was busy (waiting for the budget or on the wire), so a run's
    idle stretches (BENCH_TRACE=1) can be found and blamed on what the engine was doing."""

    def __init__(self, transport) -> None:
        self.spans: list[tuple[float, float, str]] = []
        self.marks: list[tuple[float, str]] = []
        inner = transport._http

        def traced(batch, method, url, **kw):
            start = time.monotonic()
            try:
                return inner(batch, method, url, **kw)
            finally:
                self.spans.append((start, time.monotonic(), url.rsplit("/", 1)[-1]))

        transport._http = traced

    def watch_scoro(self, transport) -> None:
        self.scoro_calls: list[str] = []
        inner = transport.call

        self.scoro_spans: list[tuple[float, float, str]] = []

        def traced(module, action, object_id=None, **kw):
            self.scoro_calls.append(f"{module}/{action}" + (f"/{object_id}" if object_id else ""))
            start = time.monotonic()
            try:
                return inner(module, action, object_id, **kw)
            finally:
                self.scoro_spans.append((start, time.monotonic(), f"{module}/{action}"))

        transport.call = traced

    def on_event(self, event) -> None:
        if event.type.name.startswith("CATEGORY"):
            self.marks.append((time.monotonic(), event.message))

    def _phase(self, at: float) -> str:
        return next((text for t, text in reversed(self.marks) if t <= at), "")

    def report(self, started: float, ended: float) -> dict:
        spans = sorted(self.spans)
        gaps: list[tuple[float, float, str]] = []
        busy_until, last = started, "start"
        for a, b, what in spans:
            if a > busy_until:
                gaps.append(
                    (busy_until - started, a - busy_until, f"after {last} [{self._phase(a)}]")
                )
            if b > busy_until:
                busy_until, last = b, what
        if ended > busy_until:
            gaps.append((busy_until - started, ended - busy_until, "after the last request"))
        idle = sum(g for _, g, _ in gaps)
        worst = sorted(gaps, key=lambda g: -g[1])[:12]
        # Scoro requests started per 5 s (the window allows 150), to see where reads stall.
        scoro = sorted(getattr(self, "scoro_spans", []))
        buckets: dict[int, int] = {}
        for a, _b, _what in scoro:
            buckets[int((a - started) // 5)] = buckets.get(int((a - started) // 5), 0) + 1
        qbo_buckets: dict[int, int] = {}
        batch_buckets: dict[int, int] = {}
        # Seconds with a batch on the wire while a single write was too, per 5 s.
        beside: dict[int, float] = {}
        batch_spans = [(a, b) for a, b, what in spans if what.startswith("batch")]
        for a, b, what in spans:
            n = int((a - started) // 5)
            qbo_buckets[n] = qbo_buckets.get(n, 0) + 1
            if what.startswith("batch"):
                batch_buckets[n] = batch_buckets.get(n, 0) + 1
            elif what.split("?")[0] in ("invoice", "customer", "item", "vendor"):
                overlap = sum(max(0.0, min(b, d) - max(a, c)) for c, d in batch_spans)
                beside[n] = beside.get(n, 0.0) + overlap
        return {
            "qbo_idle_s": round(idle, 2),
            "scoro_per_5s": [buckets.get(i, 0) for i in range(int((ended - started) // 5) + 1)],
            "qbo_per_5s": [qbo_buckets.get(i, 0) for i in range(int((ended - started) // 5) + 1)],
            "qbo_batches_per_5s": [
                batch_buckets.get(i, 0) for i in range(int((ended - started) // 5) + 1)
            ],
            "qbo_single_beside_batch_s": round(sum(beside.values()), 2),
            "scoro_last_request_s": round(
                max((b for _a, b, _w in scoro), default=started) - started, 2
            ),
            "qbo_gaps": [f"t={t:.2f}s idle {g:.2f}s {w}" for t, g, w in worst],
            "phases": [f"t={t - started:.2f}s {text}" for t, text in self.marks],
            "scoro_calls": getattr(self, "scoro_calls", [])[:40],
        }


def main() -> int:
    args = json.loads(sys.argv[1])
    logging.basicConfig(level=logging.ERROR, stream=sys.stderr)
    logging.getLogger("qbsync_desktop.quickbooks.transport").setLevel(logging.INFO)

    from qbsync_desktop.quickbooks import ratebudget
    from qbsync_desktop.secrets.file import FileSecretStore
    from qbsync_desktop.sync.service import SyncService
    from qbsync_desktop.sync.settings import connection_row

    limits = args.get("qbo_limits")
    if limits:
        # The client's budget is configured with the same (scaled-down) limits the sandbox
        # enforces, as the real app is configured with Intuit's.
        ratebudget._shared[args["realm_id"]] = ratebudget.RateBudget(
            per_minute=limits["per_minute"],
            per_second=limits["per_second"],
            batch_per_minute=min(limits["batch_per_minute"], limits["batch_per_minute_realm"]),
            # BENCH_MARGIN tries another allowance on top of counting each request until its
            # answer (a fixed 0.05 s alone drew a 429, and a minute's pause, in this push).
            **(
                {"margin": float(os.environ["BENCH_MARGIN"])}
                if "BENCH_MARGIN" in os.environ
                else {}
            ),
        )
    # The parent moved the sandboxes' clocks to stand for days passing: ours moves with them,
    # or the app would take them for clocks that ran ahead and read everything again.
    offset = dt.timedelta(seconds=float(args.get("clock_offset") or 0))
    svc = SyncService(
        args["data_dir"],
        FileSecretStore(args["secrets"]),
        connector_options={"clock": lambda: dt.datetime.now(dt.UTC) + offset},
    )
    try:
        conn_id = int(args["connection"])
        wiring = svc.gateways.get(connection_row(conn_id))
        qbo_before = wiring.qbo.request_count
        scoro_before = wiring.scoro.request_count
        trace = WireTrace(wiring.qbo_transport) if os.environ.get("BENCH_TRACE") else None
        if trace is not None:
            svc.add_listener(trace.on_event)
            trace.watch_scoro(wiring.scoro.api.transport)
        started = time.monotonic()
        if os.environ.get("BENCH_PROFILE"):
            import cProfile
            import pstats

            prof = cProfile.Profile()
            result = prof.runcall(svc.run, conn_id, trigger="benchmark")
            stats = pstats.Stats(prof, stream=sys.stderr).sort_stats(
                os.environ.get("BENCH_PROFILE_SORT", "tottime")
            )
            stats.print_stats(int(os.environ.get("BENCH_PROFILE_N", "25")))
            stats.print_callers("sleep")
        else:
            result = svc.run(conn_id, trigger="benchmark")
        seconds = time.monotonic() - started
        out = {
            "status": result.status,
            "message": result.message,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "linked": result.linked,
            "held": result.held,
            "failed": result.failed,
            "seconds": round(seconds, 3),
            "qbo_requests": wiring.qbo.request_count - qbo_before,
            "scoro_requests": wiring.scoro.request_count - scoro_before,
            "qbo_budget_waited_s": round(wiring.qbo_transport.rate.waited, 2),
            "peak_rss_mb": peak_rss_mb(),
            "cpu_s": round(sum(os.times()[:2]), 1),
        }
        if trace is not None:
            out.update(trace.report(started, started + seconds))
    finally:
        svc.close()
    print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
