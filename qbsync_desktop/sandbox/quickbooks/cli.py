"""``qbsync sandbox quickbooks``: serve the sandbox until interrupted."""

from __future__ import annotations

import argparse
import sys
import threading

from .sandbox import QuickBooksSandbox


def _size(value: str) -> str | int:
    if value.isdigit():
        return int(value)
    if value not in ("empty", "small", "demo", "large"):
        raise argparse.ArgumentTypeError("size is empty, small, demo, large or a number")
    return value


def main_quickbooks(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="qbsync sandbox quickbooks", description="Run the local QuickBooks Online sandbox."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--size", type=_size, default="demo")
    parser.add_argument("--data", default=None, help="SQLite file that keeps data across runs")
    args = parser.parse_args(argv)
    sandbox = QuickBooksSandbox(seed=args.seed, size=args.size, data_file=args.data)
    url = sandbox.start(host=args.host, port=args.port)
    print(f"quickbooks sandbox listening on {url}", flush=True)
    # The secret is the published demo secret from demo_pairing, not a real credential.
    print(f"client_id: {sandbox.client_id}")
    print(f"client_secret: {sandbox.client_secret}")
    print(f"realm_ids: {', '.join(sandbox.realm_ids)}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main_quickbooks(sys.argv[1:]))
