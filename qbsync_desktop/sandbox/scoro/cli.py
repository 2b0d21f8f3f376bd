"""``qbsync sandbox scoro``: run the Scoro sandbox in the foreground until interrupted."""

from __future__ import annotations

import argparse
import sys
import threading

from .sandbox import ScoroSandbox


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qbsync sandbox scoro", description="Run a local Scoro API v2 sandbox."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--size", default="demo", help="empty|small|demo|large, optionally +extra_invoices=N ..."
    )
    parser.add_argument(
        "--data", default=None, metavar="FILE", help="keep the data in FILE across restarts"
    )
    return parser


def main_scoro(argv: list[str] | None = None, *, stop: threading.Event | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        sandbox = ScoroSandbox(seed=args.seed, size=args.size, data_file=args.data)
        url = sandbox.start(host=args.host, port=args.port)
    except (OSError, ValueError) as exc:
        print(f"scoro sandbox: {exc}", file=sys.stderr)
        return 2
    print(f"scoro sandbox listening on {url}", flush=True)
    # The demo key is public (demo_pairing.py); a real key is never printed or logged.
    print(f"api key: {sandbox.api_key}", flush=True)
    print(f"company account ids: {', '.join(sandbox.company_account_ids)}", flush=True)
    waiter = stop or threading.Event()
    try:
        while not waiter.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main_scoro(sys.argv[1:]))
