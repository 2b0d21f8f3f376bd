"""`qbsync`: the headless face of the app, fit for cron and Task Scheduler.

Exit codes: 0 ok, 1 finished with items held for review, 2 failed, 3 reconnect needed,
4 a scheduled sync skipped a connection the app was syncing.
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
from .domain import IMPORTABLE_CATEGORIES, Category
from .sync.types import ConnectionStatus, RunStatus

EXIT_OK, EXIT_REVIEW, EXIT_FAILED, EXIT_RECONNECT = 0, 1, 2, 3
# `sync --scheduled` found a connection already syncing (the app): not a failure, nothing done.
EXIT_BUSY = 4
# A scheduled run counts a connection due this much early: a timer firing a few seconds
# before the hour must not skip a whole hour.
SCHEDULED_SLACK_MINUTES = 10
STATUS_EXIT = {
    RunStatus.OK: EXIT_OK,
    RunStatus.REVIEW: EXIT_REVIEW,
    RunStatus.FAILED: EXIT_FAILED,
    RunStatus.CANCELLED: EXIT_FAILED,
    RunStatus.RECONNECT_NEEDED: EXIT_RECONNECT,
}
# The connections a plain `qbsync sync` or `qbsync reconcile` goes through.
SYNCED = (ConnectionStatus.ACTIVE, ConnectionStatus.RECONNECT_NEEDED)


EXAMPLES = {
    "": """examples:
  qbsync status
  qbsync sync --connection 1
  qbsync reconcile --from 2026-01-01 --to 2026-03-31
  qbsync demo --data-dir /tmp/qbsync-demo

Options --data-dir, --secrets and -v go before or after the command.
Exit codes: 0 ok, 1 items to review (or differences found), 2 failed, 3 reconnect needed.""",
    "sandbox": "example:\n  qbsync sandbox quickbooks --port 8301",
    "demo": "example:\n  qbsync demo --data-dir /tmp/qbsync-demo --keep-running",
    "connect": """example:
  qbsync connect --scoro-site acme.scoro.com --entity acme --client-id ABC123 \\
      --redirect-uri https://example.com/callback
  (the Scoro API key and the client secret are asked for, or read from
  QBSYNC_SCORO_API_KEY and QBSYNC_QBO_CLIENT_SECRET)""",
    "sync": "examples:\n  qbsync sync\n  qbsync sync --connection 1 --category invoices --dry-run",
    "import-history": """examples:
  qbsync import-history --connection 1 --category invoices --from 2025-01-01 --dry-run
  qbsync import-history --connection 1 --category invoices --from 2025-01-01 --yes

Shows what would be created, linked (already in both) or held, then asks before importing.
Exit codes: 0 ok, 1 items held for review, 2 failed or not confirmed, 3 reconnect needed.""",
    "status": "example:\n  qbsync status --data-dir ~/qbsync",
    "review": (
        "examples:\n  qbsync review list\n  qbsync review show 12\n  qbsync review resolve 12 retry"
    ),
    "log": "example:\n  qbsync log --connection 1 --level error --limit 20",
    "reconcile": """examples:
  qbsync reconcile
  qbsync reconcile --connection 1 --from 2026-01-01 --to 2026-03-31 --json

Exit codes: 0 books agree, 1 differences found, 2 failed, 3 reconnect needed.""",
    "schedule": """examples:
  qbsync schedule install --dry-run
  qbsync schedule install --frequency hourly
  qbsync schedule status
  qbsync schedule remove
  qbsync schedule autostart on

install: the computer runs `qbsync sync --scheduled` on this data folder while the app is
closed (a systemd user timer, a launchd agent, or a Task Scheduler task). Each run syncs the
connections whose automatic sync is due by the app's settings; one the app is syncing at that
moment is skipped (exit 4). autostart on|off: start the app in the tray at login.""",
}


def _global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """--data-dir, --secrets and -v: on the main parser (with defaults) and on every
    subcommand (suppressed defaults, so a value given before the command is kept)."""
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--data-dir",
        default=default,
        metavar="FOLDER",
        help="where the database and logs live (default: your user's data folder)",
    )
    parser.add_argument(
        "--secrets",
        choices=["keyring", "memory", "file"],
        default=default,
        help="where API keys and sign-ins are kept: keyring (default), memory (forgotten on "
        "exit) or file (a file only your user can read; NOT as safe as a keyring)",
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=argparse.SUPPRESS if suppress else False,
        help="print the detailed log on the screen as well",
    )


def _date(text: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-01-31"
        ) from None


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # type: ignore[override]
        # One line that says what this command accepts, then exit 2 (argparse's code too).
        self.print_usage(sys.stderr)
        hint = f"Run `{self.prog} --help` for the options and an example."
        self.exit(EXIT_FAILED, f"{self.prog}: error: {message[:1].upper()}{message[1:]}. {hint}\n")


def _parser() -> argparse.ArgumentParser:
    fmt = argparse.RawDescriptionHelpFormatter
    p = _Parser(
        prog="qbsync",
        description="Scoro ⇄ QuickBooks Online sync, without a window (for cron and Task "
        "Scheduler).",
        epilog=EXAMPLES[""],
        formatter_class=fmt,
    )
    p.add_argument("--version", action="version", version=f"qbsync {__version__}")
    _global_options(p, suppress=False)
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(
            name, help=help_text, description=help_text, epilog=EXAMPLES[name], formatter_class=fmt
        )
        _global_options(sp, suppress=True)
        return sp

    sb = command("sandbox", "run the local QuickBooks and/or Scoro sandbox")
    sb.add_argument(
        "service",
        nargs="?",
        choices=["quickbooks", "scoro"],
        default=None,
        help="only this sandbox (default: both, with the demo company)",
    )
    sb.add_argument("rest", nargs=argparse.REMAINDER, help="options for that sandbox")

    demo = command("demo", "start both sandboxes, connect, sync and print a summary")
    demo.add_argument(
        "--keep-running", action="store_true", help="keep the sandboxes running afterwards"
    )
    demo.add_argument(
        "--size", default="demo", help="how much demo data: demo (default), or a bigger size"
    )

    con = command("connect", "connect a Scoro entity to a QuickBooks company")
    con.add_argument("--scoro-site", required=True, help="your Scoro address, e.g. acme.scoro.com")
    con.add_argument("--scoro-api-key", help="Scoro API key (or set QBSYNC_SCORO_API_KEY)")
    con.add_argument(
        "--entity", required=True, help="the Scoro company account id (shown with the API key)"
    )
    con.add_argument("--client-id", required=True, help="your QuickBooks app's client id")
    con.add_argument(
        "--client-secret", help="your QuickBooks app's client secret (or set "
        "QBSYNC_QBO_CLIENT_SECRET)"
    )  # fmt: skip
    con.add_argument(
        "--environment",
        choices=["production", "intuit_sandbox", "local"],
        default="production",
        help="which QuickBooks: production (default), Intuit's sandbox, or the local sandbox",
    )
    con.add_argument("--local-url", default="", help="the local QuickBooks sandbox's address")
    con.add_argument(
        "--redirect-uri",
        default="",
        help="https redirect for production keys (then paste the address you are sent to)",
    )

    sy = command("sync", "run a sync")
    sy.add_argument(
        "--connection",
        type=int,
        action="append",
        metavar="ID",
        help="only this connection (repeat for more; default: every active one)",
    )
    sy.add_argument(
        "--category",
        action="append",
        choices=[c.value for c in Category],
        help="only this category (repeat for more; default: every enabled one)",
    )
    sy.add_argument(
        "--dry-run", action="store_true", help="show what would change, and change nothing"
    )
    sy.add_argument("--json", action="store_true", help="print each result as one JSON object")
    sy.add_argument(
        "--scheduled",
        action="store_true",
        help="as the computer's scheduler runs it: only connections whose automatic sync is "
        "due; one being synced elsewhere (the app) is skipped with exit code 4",
    )

    ih = command("import-history", "bring in one category's older documents, after a preview")
    ih.add_argument("--connection", type=int, required=True, metavar="ID", help="the connection")
    ih.add_argument(
        "--category",
        required=True,
        choices=[c.value for c in IMPORTABLE_CATEGORIES],
        help="which category to import",
    )
    ih.add_argument(
        "--from",
        dest="date_from",
        type=_date,
        required=True,
        metavar="DATE",
        help="import what was made or changed on or after this day, YYYY-MM-DD (it may be "
        "before the category's start date, which stays as it is)",
    )
    ih.add_argument("--dry-run", action="store_true", help="only show the preview")
    ih.add_argument("--yes", action="store_true", help="import without asking")
    ih.add_argument("--json", action="store_true", help="print the outcome as one JSON object")

    command("status", "connections and their state")
    rv = command("review", "items waiting for the bookkeeper")
    rv.add_argument(
        "action", choices=["list", "show", "resolve"], help="list them, show one, or resolve one"
    )
    rv.add_argument("id", nargs="?", type=int, help="the review item's number (show, resolve)")
    rv.add_argument(
        "resolution",
        nargs="?",
        choices=["take_source", "keep_target", "dismiss", "retry"],
        help="how to resolve it (resolve)",
    )
    lg = command("log", "recent log lines")
    lg.add_argument("--connection", type=int, metavar="ID", help="only this connection's lines")
    lg.add_argument("--limit", type=int, default=50, help="how many lines (default 50)")
    lg.add_argument(
        "--level", choices=["debug", "info", "warning", "error"], help="only lines of this level"
    )

    rc = command("reconcile", "check that Scoro and QuickBooks agree, document by document")
    rc.add_argument(
        "--connection",
        type=int,
        action="append",
        metavar="ID",
        help="only this connection (repeat for more; default: every active one)",
    )
    rc.add_argument(
        "--from",
        dest="date_from",
        type=_date,
        metavar="DATE",
        help="first document date, YYYY-MM-DD (default: 1 January of this year)",
    )
    rc.add_argument(
        "--to",
        dest="date_to",
        type=_date,
        metavar="DATE",
        help="last document date, YYYY-MM-DD (default: today)",
    )
    rc.add_argument(
        "--json", action="store_true", help="print one JSON object with every difference"
    )
    rc.add_argument("--csv", metavar="FILE", help="also write the differences to this CSV file")
    from .cli_schedule import add_arguments

    add_arguments(command("schedule", "sync with the app closed, and start it at login"))
    return p


def _service(
    args,
    secrets_choice: str | None = None,
    *,
    read_only: bool = False,
    needs_secrets: bool = True,
):
    """The service on the data folder. `read_only` (status, log): the database is opened
    read-only when it exists, so these work on a read-only folder (or a copy on a CD).
    `needs_secrets` False (status, log, review list): no keyring needed; without one the
    command goes on with nothing stored."""
    from .logs import setup_logging
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
    secrets = _secret_store(secrets_choice or args.secrets, data, needs_secrets)
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


def _secret_store(choice: str | None, data, needs_secrets: bool):
    """The chosen secret store. Without a usable keyring: commands that need no secret go on
    with an empty one; the others stop with advice this command understands (--secrets file),
    not the app's own switch."""
    from .secrets import open_secret_store
    from .secrets.base import NoSecureStorageError
    from .secrets.memory import MemorySecretStore

    try:
        return open_secret_store(choice, data)
    except NoSecureStorageError as exc:
        if not needs_secrets:
            return MemorySecretStore()
        raise NoSecureStorageError(cli_advice(str(exc))) from None


def cli_advice(message: str) -> str:
    """The keyring advice in the command line's words."""
    return message.replace(
        "start the app with --insecure-file-secrets",
        "add --secrets file to the command (or set QBSYNC_SECRET_STORE=file)",
    )


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
            if info.status is ConnectionStatus.CURRENCY_BLOCKED:
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

    from .sync.types import QuickBooksAppConfig

    svc = _service(args)
    api_key = args.scoro_api_key or os.environ.get("QBSYNC_SCORO_API_KEY", "")
    secret = args.client_secret or os.environ.get("QBSYNC_QBO_CLIENT_SECRET", "")
    app = QuickBooksAppConfig(
        args.client_id, secret, args.environment, args.redirect_uri, args.local_url
    )
    request = svc.begin_authorization(args.scoro_site, api_key, args.entity, app)
    print("Open this address in your browser and authorize:\n" + request.url, flush=True)
    if request.uses_loopback:
        callback = svc.wait_for_callback(request, timeout=600)
    else:
        callback = input("Paste the address you were sent to: ").strip()
    info = svc.complete_authorization(request, callback)
    print(f"Connected: {info.title} (connection {info.id}, status {info.status.value})")
    svc.close()
    return EXIT_OK if info.status is ConnectionStatus.ACTIVE else EXIT_REVIEW


def cmd_sync(args) -> int:
    from .domain.errors import ConnectionBusy

    svc = _service(args)
    cancel = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: cancel.set())
    ids = args.connection or [c.id for c in svc.connections() if c.status in SYNCED]
    if not ids:
        print("No active connection. Run `qbsync connect` (or the app) first.")
        return EXIT_FAILED
    categories = [Category(c) for c in args.category] if args.category else None
    plan = [(cid, categories) for cid in ids]
    if args.scheduled:
        plan = _scheduled_plan(svc, ids, categories)
    # A scheduled run is the app's automatic sync, run with the window closed.
    trigger = "automatic" if args.scheduled else "cli"
    worst, skipped = EXIT_OK, False
    for cid, cats in plan:
        try:
            result = svc.run(cid, cats, dry_run=args.dry_run, trigger=trigger, cancel=cancel)
        except ConnectionBusy as exc:
            if args.scheduled:
                # The app (or another run) has it: nothing is wrong, and the next scheduled
                # run carries on; a quiet line on stdout, not an error.
                print(f"Skipped: {str(exc).partition('. ')[0]}. The next scheduled run carries on.")
                skipped = True
                continue
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
    return EXIT_BUSY if skipped and worst == EXIT_OK else worst


def _scheduled_plan(
    svc, ids: list[int], categories: list[Category] | None
) -> list[tuple[int, list[Category] | None]]:
    """What a scheduled run syncs: the connections (of `ids`) whose automatic sync or
    background items are due by the app's settings, exactly as the open app decides."""
    import datetime as dt

    soon = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=SCHEDULED_SLACK_MINUTES)
    due = [(cid, categories or cats) for cid, cats in svc.due(soon) if cid in ids]
    if not due:
        print("Nothing is due: every connection has synced recently or syncs manually.")
    return due


def cmd_import_history(args) -> int:
    """Preview, then (confirmed by --yes or a "y" typed at the terminal) import."""
    svc = _service(args)
    try:
        category = Category(args.category)
        preview = svc.import_history(args.connection, category, args.date_from, dry_run=True)
        out = sys.stderr if args.json else sys.stdout
        if args.dry_run or preview.status in ("failed", "reconnect_needed", "cancelled"):
            _print_history(preview, as_json=args.json)
            return STATUS_EXIT.get(preview.status, EXIT_FAILED)
        print("\n".join(preview.lines()), file=out, flush=True)
        if not preview.to_write:
            if args.json:
                _print_history(preview, as_json=True)
            return STATUS_EXIT.get(preview.status, EXIT_FAILED)
        if not args.yes:
            if not sys.stdin.isatty():
                print(
                    "Nothing was imported: run it again with --yes to import what is listed.",
                    file=sys.stderr,
                )
                return EXIT_FAILED
            print("Import these? [y/N] ", end="", file=out, flush=True)
            if sys.stdin.readline().strip().lower() not in ("y", "yes"):
                print("Nothing was imported.", file=out)
                return EXIT_OK
        done = svc.import_history(
            args.connection, category, args.date_from, dry_run=False, only=preview.records
        )
        _print_history(done, as_json=args.json)
        return STATUS_EXIT.get(done.status, EXIT_FAILED)
    finally:
        svc.close()


def _print_history(outcome, *, as_json: bool) -> None:
    if as_json:
        print(json.dumps(outcome.as_dict(), ensure_ascii=False))
    else:
        print("\n".join(outcome.lines()))


def cmd_status(args) -> int:
    from .sync import runlock

    svc = _service(args, read_only=True, needs_secrets=False)
    conns = svc.connections()
    if not conns:
        print(
            "No connections yet. Add one with `qbsync connect --scoro-site SITE --entity ID "
            "--client-id ID` (see `qbsync connect --help`), or with Connect in the app."
        )
    worst = EXIT_OK
    for c in conns:
        last = c.last_run_status
        if last == RunStatus.RUNNING:
            held = runlock.is_locked(runlock.run_lock_path(svc.data_dir, c.id))
            last = "running now" if held else (RunStatus.INTERRUPTED if held is False else last)
        print(
            f"{c.id}: {c.title} [{c.status.value}] {c.scoro_currency}/{c.qbo_currency} "
            f"last run {c.last_run_at or 'never'} {last}; "
            f"{c.open_reviews} to review"
        )
        if c.status is ConnectionStatus.RECONNECT_NEEDED:
            worst = EXIT_RECONNECT
    svc.close()
    return worst


def cmd_review(args) -> int:
    svc = _service(args, needs_secrets=args.action == "resolve")
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
    svc = _service(args, read_only=True, needs_secrets=False)
    for row in svc.log(args.connection, limit=args.limit, level=args.level):
        print(f"{row.at:%Y-%m-%d %H:%M:%S} {row.level:<7} {row.category:<10} {row.message}")
    svc.close()
    return EXIT_OK


def cmd_reconcile(args) -> int:
    """Exit 0 books agree, 1 differences found, 2 failed, 3 reconnect needed."""
    from .domain.errors import ReconnectNeeded, SyncError

    svc = _service(args)
    try:
        ids = args.connection or [c.id for c in svc.connections() if c.status in SYNCED]
        if not ids:
            print("No active connection. Run `qbsync connect` (or the app) first.")
            return EXIT_FAILED
        worst = EXIT_OK
        results, failures = [], []
        for cid in ids:
            try:
                result = svc.reconcile(cid, args.date_from, args.date_to)
            except ReconnectNeeded as exc:
                failures.append({"connection_id": cid, "reconnect": True, "error": str(exc)})
                worst = max(worst, EXIT_RECONNECT)
                continue
            except SyncError as exc:
                failures.append({"connection_id": cid, "reconnect": False, "error": str(exc)})
                worst = max(worst, EXIT_FAILED)
                continue
            results.append(result)
            if not result.agrees:
                worst = max(worst, EXIT_REVIEW)
        if args.csv:
            from pathlib import Path

            Path(args.csv).write_text(
                "".join(r.to_csv() for r in results), encoding="utf-8", newline=""
            )
        if args.json:
            payload = [r.as_dict() for r in results] + failures
            print(json.dumps(payload[0] if len(payload) == 1 else {"connections": payload}))
            return worst
        for r in results:
            title = svc.connection(r.connection_id).title
            print(f"{title} (connection {r.connection_id}): {r.summary}")
            for d in r.differences:
                hint = _difference_hint(d)
                print(f"  {d.label}: {d.description}{hint}")
        for f in failures:
            head = "Reconnect needed" if f["reconnect"] else "Could not reconcile"
            print(f"connection {f['connection_id']}: {head}: {f['error']}", file=sys.stderr)
        return worst
    finally:
        svc.close()


def _difference_hint(d) -> str:
    if d.review_id is not None:
        return f" See `qbsync review show {d.review_id}`."
    if "send" in d.actions:
        return " Send it from the app's Reconcile tab."
    if "link" in d.actions:
        return " Link them from the app's Reconcile tab."
    return ""


def cmd_schedule(args) -> int:
    from .cli_schedule import cmd_schedule

    return cmd_schedule(args)


COMMANDS = {
    "sandbox": cmd_sandbox,
    "demo": cmd_demo,
    "connect": cmd_connect,
    "sync": cmd_sync,
    "status": cmd_status,
    "review": cmd_review,
    "log": cmd_log,
    "reconcile": cmd_reconcile,
    "import-history": cmd_import_history,
    "schedule": cmd_schedule,
}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from .domain.errors import QbsyncError, ReconnectNeeded
    from .logs import redact
    from .store.errors import STORE_ERRORS, explain

    try:
        return COMMANDS[args.command](args)
    except ReconnectNeeded as exc:
        print(f"Reconnect needed: {redact(str(exc))}", file=sys.stderr)
        return EXIT_RECONNECT
    except QbsyncError as exc:
        print(f"Error: {redact(exc.user_message)}", file=sys.stderr)
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
