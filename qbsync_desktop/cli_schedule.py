"""`qbsync schedule`: the sync the computer runs while the app is closed, and the start at
login (qbsync_desktop.osjobs does the work; this is its command line)."""

from __future__ import annotations

import argparse
import os
import sys

from . import cli, paths


def add_arguments(sc: argparse.ArgumentParser) -> None:
    """The options of `qbsync schedule` (its example is in cli.EXAMPLES)."""
    sc.add_argument(
        "action",
        choices=["install", "remove", "status", "autostart"],
        help="install, remove or show the scheduled sync; or autostart on|off",
    )
    sc.add_argument(
        "state", nargs="?", choices=["on", "off"], help="autostart: start in the tray at login"
    )
    sc.add_argument(
        "--frequency",
        choices=["hourly", "daily", "weekly"],
        help="how often the computer runs it (default: the connection's automatic frequency "
        "in the app; the most frequent one of several; else daily)",
    )
    sc.add_argument(
        "--connection",
        type=int,
        action="append",
        metavar="ID",
        help="only this connection (repeat for more; default: every active one)",
    )
    sc.add_argument(
        "--dry-run",
        action="store_true",
        help="print what would be installed and the commands, and change nothing",
    )


def cmd_schedule(args) -> int:
    """Install, remove or show the scheduled sync; switch the start at login."""
    from .osjobs import OsJobError, OsJobs
    from .secrets.factory import ENV_SECRET_STORE

    data = paths.data_dir_path(args.data_dir)
    secrets = args.secrets or os.environ.get(ENV_SECRET_STORE, "").strip().lower() or "keyring"
    jobs = OsJobs(data, secrets)
    note = ""
    try:
        if args.action == "status":
            return _schedule_status(jobs)
        if args.action == "autostart":
            if args.state is None:
                print("Say `on` or `off`: qbsync schedule autostart on")
                return cli.EXIT_FAILED
            plan = jobs.set_autostart(args.state == "on", dry_run=args.dry_run)
            done = "would start" if args.dry_run else "starts"
            not_ = "" if args.state == "on" else " not"
            print(f"QBSync {done}{not_} in the tray at login.")
        elif args.action == "remove":
            was = jobs.status().installed
            plan = jobs.remove(dry_run=args.dry_run)
            if not args.dry_run:
                print(
                    "Removed the scheduled sync."
                    if was
                    else "The scheduled sync was not installed; nothing to remove."
                )
        else:
            frequency = args.frequency
            if frequency is None:
                frequency, note = _default_frequency(data, args.connection or [])
            plan = jobs.install(frequency, args.connection or [], dry_run=args.dry_run)
            if not args.dry_run:
                print(
                    f"Installed: your computer runs a sync {frequency} while the app is closed "
                    f"({jobs.scheduler_name}), of the connections that are due."
                )
    except OsJobError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return cli.EXIT_FAILED
    if args.dry_run:
        print("Dry run: nothing was changed.\n" + jobs.describe(plan), end="")
    if args.action == "install" and note:
        print(note)
    return cli.EXIT_OK


def _schedule_status(jobs) -> int:
    st = jobs.status()
    why = jobs.sync_unavailable()
    if not st.installed:
        print("The scheduled sync is not installed. Add it with `qbsync schedule install`.")
    else:
        which = ", ".join(str(c) for c in st.connections)
        argv = list(st.argv)
        folder = argv[argv.index("--data-dir") + 1] if "--data-dir" in argv[:-1] else "?"
        print(
            f"The scheduled sync is installed ({jobs.scheduler_name}): "
            f"{st.frequency or 'at an unknown frequency'}, "
            + (f"connection {which}" if which else "every connection that is due")
            + f", data folder {folder}."
        )
        print(f"Next run: {st.next_run or 'not told by the system'}.")
        if st.note:
            print(f"Note: {st.note}.")
    if why:
        print(f"Not available here: {why}")
    on = jobs.autostart_enabled()
    print(f"Start in the tray at login: {'on' if on else 'off'}.")
    return cli.EXIT_OK


def _default_frequency(data, only: list[int]) -> tuple[str, str]:
    """The app's automatic frequency for the (chosen) connections; daily, and a word why,
    when none is automatic. Reads without changing anything."""
    from .osjobs.frequency import job_frequency
    from .secrets.memory import MemorySecretStore
    from .sync.service import SyncService

    frequency = None
    if (data / paths.DB_FILE_NAME).exists():
        svc = SyncService(data, MemorySecretStore(), read_only=True)
        try:
            frequency = job_frequency(svc, only)
        finally:
            svc.close()
    if frequency:
        return frequency, ""
    return "daily", (
        "No connection syncs automatically yet: choose Automatic in the app, or each "
        "scheduled run finds nothing due."
    )
