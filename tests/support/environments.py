"""Worlds for reliability tests: both sandboxes with explicit sizes, fast connector options,
and the qbsync command line run on a data folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from qbsync_desktop.demo import DemoEnvironment
from qbsync_desktop.quickbooks.ratebudget import RateBudget
from qbsync_desktop.sandbox.quickbooks import QuickBooksSandbox
from qbsync_desktop.sandbox.scoro import ScoroSandbox

FAST_QBO_LIMITS = {"per_minute": 10**6, "per_second": 10**6, "batch_per_minute": 10**6}


ROOT = Path(__file__).resolve().parents[2]  # the repository


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
