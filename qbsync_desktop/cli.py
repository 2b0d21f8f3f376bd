"""`qbsync`: the headless face of the app, fit for cron and Task Scheduler.

Exit codes: 0 ok, 1 finished with items held for review, 2 failed, 3 reconnect needed.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading

from . import __version__, paths
from .domain import Category

EXIT_OK, EXIT_REVIEW, EXIT_FAILED, EXIT_RECONNECT = 0, 1, 2, 3
STATUS_EXIT = {
    "ok": EXIT_OK,
    "review": EXIT_REVIEW,
    "failed": EXIT_FAILED,
    "cancelled": EXIT_FAILED,
    "reconnect_needed": EXIT_RECONNECT,
}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="qbsync", description="Scoro ⇄ QuickBooks Online sync")
    p.add_argument("--version", action="version", version=f"qbsync {__version__}")
    p.add_argument("--data-dir", help="where the database and logs live (default: per user)")
    p.add_argument(
        "--secrets",
        choices=["keyring", "memory", "file"],
        default=None,
        help="where secrets are kept; 'file' is a 0600 file and NOT secure",
    )
    p.add_argument("-v", "--verbose", action="store_true")
    sub = p.add_subparsers(dest="command", required=True)

    sb = sub.add_parser("sandbox", help="run the local QuickBooks and/or Scoro sandbox")
    sb.add_argument("service", nargs="?", choices=["quickbooks", "scoro"], default=None)
    sb.add_argument("rest", nargs=argparse.REMAINDER)

    demo = sub.add_parser("demo", help="start both sandboxes, connect, sync, summarise")
    demo.add_argument("--keep-running", action="store_true")
    demo.add_argument("--size", default="demo")

    con = sub.add_parser("connect", help="connect a Scoro entity to a QuickBooks company")
    con.add_argument("--scoro-site", required=True)
    con.add_argument("--scoro-api-key", help="or set QBSYNC_SCORO_API_KEY")
    con.add_argument("--entity", required=True, help="Scoro company_account_id")
    con.add_argument("--client-id", required=True)
    con.add_argument("--client-secret", help="or set QBSYNC_QBO_CLIENT_SECRET")
    con.add_argument(
        "--environment", choices=["production", "intuit_sandbox", "local"], default="production"
    )
    con.add_argument("--local-url", default="", help="QuickBooks sandbox URL (local)")
    con.add_argument(
        "--redirect-uri",
        default="",
        help="https redirect for production keys (then paste the address)",
    )

    sy = sub.add_parser("sync", help="run a sync")
    sy.add_argument("--connection", type=int, action="append")
    sy.add_argument("--category", action="append", choices=[c.value for c in Category])
    sy.add_argument("--dry-run", action="store_true")
    sy.add_argument("--json", action="store_true")

    sub.add_parser("status", help="connections and their state")
    rv = sub.add_parser("review", help="items waiting for the bookkeeper")
    rv.add_argument("action", choices=["list", "show", "resolve"])
    rv.add_argument("id", nargs="?", type=int)
    rv.add_argument(
        "resolution", nargs="?", choices=["take_source", "keep_target", "dismiss", "retry"]
    )
    lg = sub.add_parser("log", help="recent log lines")
    lg.add_argument("--connection", type=int)
    lg.add_argument("--limit", type=int, default=50)
    lg.add_argument("--level")
    return p


def _service(args, secrets_choice: str | None = None, *, read_only: bool = False):
    """The service on the data folder. `read_only` (status, log): the database is opened
    read-only when it exists, so these work on a read-only folder (or a copy on a CD)."""
    from .logs import setup_logging
    from .secrets import open_secret_store
    from .store.errors import StoreError
    from .sync.service import SyncService

    data = paths.data_dir(args.data_dir)
    _where["db"] = data / paths.DB_FILE_NAME
    # Logs go to <data>/logs (or the platform's log folder); setup_logging goes on without a
    # file if it cannot make one, so the folder is only computed here, never required.
    log_folder = data / "logs" if args.data_dir or os.environ.get(paths.ENV_DATA_DIR) else None
    if log_folder is None:
        try:
            log_folder = paths.log_dir(args.data_dir)
        except OSError:
            log_folder = data / "logs"
    setup_logging(log_folder, level="DEBUG" if args.verbose else "INFO", console=args.verbose)
    secrets = open_secret_store(secrets_choice or args.secrets, data)
    if read_only and (data / paths.DB_FILE_NAME).exists():
        try:
            return SyncService(data, secrets, read_only=True)
        except StoreError as first:
            # E.g. the file needs an upgrade: that takes a normal open (and a writable folder).
            try:
                return SyncService(data, secrets)
            except StoreError:
                raise first from None
    return SyncService(data, secrets)


# Where the database is, for the last-resort error message in main().
_where: dict[str, object] = {}


def _print_result(result, *, as_json: bool = False) -> None:
    if as_json:
        print(
            json.dumps(
                {
                    k: getattr(result, k)
                    for k in (
                        "connection_id",
                        "status",
                        "created",
                        "updated",
                        "unchanged",
                        "linked",
                        "held",
                        "failed",
                        "totals_differ",
                        "requests",
                        "seconds",
                        "message",
                    )
                }
            )
        )
    else:
        print(f"connection {result.connection_id}: {result.status} — {result.message}")


def cmd_sandbox(args) -> int:
    if args.service == "quickbooks":
        from .sandbox.quickbooks.cli import main_quickbooks

        return main_quickbooks(args.rest)
    if args.service == "scoro":
        from .sandbox.scoro.cli import main_scoro

        return main_scoro(args.rest)
    from .demo import DemoEnvironment

    env = DemoEnvironment(None).start()
    print(f"quickbooks sandbox listening on {env.qbo_url}", flush=True)
    print(f"scoro sandbox listening on {env.scoro_url}", flush=True)
    print(f"client id {env.client_id}\nclient secret {env.client_secret}")
    print(f"scoro api key {env.scoro_api_key}")
    for pair in env.pairs:
        print(f"entity {pair.company_account_id} -> realm {pair.realm_id}")
    _wait_forever()
    env.stop()
    return EXIT_OK


def _wait_forever() -> None:
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    while not stop.wait(0.5):
        pass


def cmd_demo(args) -> int:
    from .demo import DemoEnvironment
    from .domain.errors import SyncError

    svc = _service(args, args.secrets or "memory")
    env = DemoEnvironment(paths.data_dir(args.data_dir) / "demo", size=args.size).start()
    worst = EXIT_OK
    try:
        print(f"QuickBooks sandbox: {env.qbo_url}\nScoro sandbox: {env.scoro_url}")
        for pair in env.pairs:
            try:
                info = env.connect(svc, pair)
            except SyncError as exc:
                print(f"{pair.name}: could not connect: {exc}")
                worst = max(worst, EXIT_FAILED)
                continue
            if info.status.value == "currency_blocked":
                print(f"{info.title}: not activated — {info.status_message}")
                worst = max(worst, EXIT_REVIEW)
                continue
            result = svc.run(info.id, trigger="cli")
            print(f"{info.title}: {result.status} — {result.message}")
            for item in svc.review_items(info.id):
                print(f"  [{item.type}] {item.object_label}: {item.message}")
            worst = max(worst, STATUS_EXIT.get(result.status, EXIT_FAILED))
        if args.keep_running:
            print("Sandboxes keep running; press Ctrl+C to stop.", flush=True)
            _wait_forever()
    finally:
        env.stop()
        svc.close()
    return worst


def cmd_connect(args) -> int:
    import os

    from .sync.types import QboAppConfig

    svc = _service(args)
    api_key = args.scoro_api_key or os.environ.get("QBSYNC_SCORO_API_KEY", "")
    secret = args.client_secret or os.environ.get("QBSYNC_QBO_CLIENT_SECRET", "")
    app = QboAppConfig(args.client_id, secret, args.environment, args.redirect_uri, args.local_url)
    request = svc.begin_authorization(args.scoro_site, api_key, args.entity, app)
    print("Open this address in your browser and authorize:\n" + request.url, flush=True)
    if request.uses_loopback:
        callback = svc.wait_for_callback(request, timeout=600)
    else:
        callback = input("Paste the address you were sent to: ").strip()
    info = svc.complete_authorization(request, callback)
    print(f"Connected: {info.title} (connection {info.id}, status {info.status.value})")
    svc.close()
    return EXIT_OK if info.status.value == "active" else EXIT_REVIEW


def cmd_sync(args) -> int:
    from .sync.service import ConnectionBusy

    svc = _service(args)
    cancel = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: cancel.set())
    ids = args.connection or [
        c.id for c in svc.connections() if c.status.value in ("active", "reconnect_needed")
    ]
    if not ids:
        print("No active connection. Run `qbsync connect` (or the app) first.")
        return EXIT_FAILED
    categories = [Category(c) for c in args.category] if args.category else None
    worst = EXIT_OK
    for cid in ids:
        try:
            result = svc.run(cid, categories, dry_run=args.dry_run, trigger="cli", cancel=cancel)
        except ConnectionBusy as exc:
            # Another process (the app, another cron job) is syncing this connection: this one
            # does nothing and says so (exit 2); the run in progress is not disturbed.
            print(f"Not started: {exc}", file=sys.stderr)
            worst = max(worst, EXIT_FAILED)
            continue
        _print_result(result, as_json=args.json)
        if args.dry_run and not args.json:
            for action in result.plan:
                print(f"  {action.category:<11} {action.action:<8} {action.label}")
        worst = max(worst, STATUS_EXIT.get(result.status, EXIT_FAILED))
    svc.close()
    return worst


def cmd_status(args) -> int:
    from .sync import runlock

    svc = _service(args, read_only=True)
    conns = svc.connections()
    if not conns:
        print("No connections yet.")
    worst = EXIT_OK
    for c in conns:
        last = c.last_run_status
        if last == "running":
            held = runlock.is_locked(runlock.run_lock_path(svc.data_dir, c.id))
            last = "running now" if held else ("interrupted" if held is False else last)
        print(
            f"{c.id}: {c.title} [{c.status.value}] {c.scoro_currency}/{c.qbo_currency} "
            f"last run {c.last_run_at or 'never'} {last}; "
            f"{c.open_reviews} to review"
        )
        if c.status.value == "reconnect_needed":
            worst = EXIT_RECONNECT
    svc.close()
    return worst


def cmd_review(args) -> int:
    svc = _service(args)
    try:
        if args.action == "list":
            items = svc.review_items()
            for i in items:
                print(f"{i.id}: [{i.type}] {i.object_label}: {i.message}")
            return EXIT_REVIEW if items else EXIT_OK
        if args.id is None:
            print("Give the review item's number.")
            return EXIT_FAILED
        if args.action == "show":
            for i in svc.review_items(status="open") + svc.review_items(status="resolved"):
                if i.id == args.id:
                    print(
                        json.dumps(
                            {
                                "id": i.id,
                                "type": i.type,
                                "object": i.object_label,
                                "message": i.message,
                                "details": i.details,
                                "resolutions": i.resolutions,
                            },
                            indent=2,
                            ensure_ascii=False,
                            default=str,
                        )
                    )
                    return EXIT_OK
            print(f"No review item {args.id}.")
            return EXIT_FAILED
        if not args.resolution:
            print("Give a resolution: take_source, keep_target, dismiss or retry.")
            return EXIT_FAILED
        result = svc.resolve(args.id, args.resolution)
        if result is not None:
            _print_result(result)
        return EXIT_OK
    finally:
        svc.close()


def cmd_log(args) -> int:
    svc = _service(args, read_only=True)
    for row in svc.log(args.connection, limit=args.limit, level=args.level):
        print(f"{row.at:%Y-%m-%d %H:%M:%S} {row.level:<7} {row.category:<10} {row.message}")
    svc.close()
    return EXIT_OK


COMMANDS = {
    "sandbox": cmd_sandbox,
    "demo": cmd_demo,
    "connect": cmd_connect,
    "sync": cmd_sync,
    "status": cmd_status,
    "review": cmd_review,
    "log": cmd_log,
}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from .domain.errors import ReconnectNeeded, SyncError
    from .logs import redact
    from .secrets.base import SecretStoreError
    from .store.errors import STORE_ERRORS, StoreError, explain

    try:
        return COMMANDS[args.command](args)
    except ReconnectNeeded as exc:
        print(f"Reconnect needed: {redact(str(exc))}", file=sys.stderr)
        return EXIT_RECONNECT
    except (SyncError, StoreError, SecretStoreError) as exc:
        print(f"Error: {redact(str(exc))}", file=sys.stderr)
        return EXIT_FAILED
    except OSError as exc:
        return _os_failure(exc)
    except STORE_ERRORS as exc:
        # The database failed outside a run's own error handling (locked by another program,
        # a full disk): one line that says why, exit 2, never a traceback.
        from pathlib import Path

        db = Path(str(_where.get("db") or paths.DB_FILE_NAME))
        print(f"Error: {redact(str(explain(exc, db)))}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return EXIT_FAILED
    finally:
        logging.shutdown()


def _os_failure(exc: OSError) -> int:
    # E.g. the data or log folder cannot be created (read-only, a file in the way):
    # a message and exit code 2, not a traceback (tests/reliability/test_disk_and_db.py).
    from .store.errors import SPACE_ERRNOS

    where = f" ({exc.filename})" if exc.filename else ""
    if exc.errno in SPACE_ERRNOS:
        folder = os.path.dirname(str(exc.filename)) if exc.filename else "the data folder"
        print(
            f"Error: qbsync could not use its files{where}: there is no space left on the disk "
            f"holding {folder}. Free some disk space and try again.",
            file=sys.stderr,
        )
        return EXIT_FAILED
    print(
        f"Error: qbsync could not use its files{where}: {exc.strerror or exc}. "
        "Check that the data folder exists and that your user account may write to it.",
        file=sys.stderr,
    )
    return EXIT_FAILED


if __name__ == "__main__":
    raise SystemExit(main())
