"""Composition root of the desktop app: arguments, paths, logging, secrets, service, then Qt.

Qt is imported only after the arguments are parsed (inside `qbsync_desktop.ui`), so
`--version` and `--help` work without a display.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

log = logging.getLogger(__name__)


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version("qbsync-desktop")
    except PackageNotFoundError:
        import tomllib
        from pathlib import Path

        pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
        try:
            return tomllib.loads(pyproject.read_text("utf-8"))["project"]["version"]
        except (OSError, KeyError, tomllib.TOMLDecodeError):
            return "unknown"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="qbsync-desktop",
        description="Keep a Scoro site and QuickBooks Online in sync.",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="run against local Scoro and QuickBooks sandboxes with demo data (no accounts needed)",
    )
    parser.add_argument(
        "--data-dir", metavar="DIR", help="keep the database, logs and settings here"
    )
    parser.add_argument(
        "--insecure-file-secrets",
        action="store_true",
        help="keep tokens and keys in a plain file in the data folder when no keyring is available",
    )
    parser.add_argument(
        "--tray",
        action="store_true",
        help="start hidden in the tray (as at login); the tray icon opens the window",
    )
    parser.add_argument("--log-level", default="INFO", help=argparse.SUPPRESS)
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    # Qt's own options (-platform, -style ...) pass through to QApplication.
    args, rest = parser.parse_known_args(list(argv) if argv is not None else sys.argv[1:])
    args.qt_args = rest
    return args


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = parse_args(argv)
    except SystemExit as exc:  # --version, --help, bad options: argparse has printed why
        return exc.code if isinstance(exc.code, int) else 0

    from . import paths
    from .logs import setup_logging

    demo_env = None
    data_override = args.data_dir
    if args.demo and not data_override:
        # The demo keeps its own folder so it never mixes with the bookkeeper's real data.
        data_override = paths.data_dir() / "demo"
    app_paths = paths.Paths.resolve(data_override)
    setup_logging(app_paths.logs, args.log_level)
    log.info("qbsync-desktop %s starting; data in %s", version(), app_paths.data)

    from .domain.errors import QbsyncError
    from .secrets import open_secret_store

    service = None
    startup_error: BaseException | None = None
    try:
        if args.demo:
            from .demo import DemoEnvironment

            env = DemoEnvironment(app_paths.data)
            demo_env = env.start() or env
            # Demo tokens are worthless outside this process; keep them out of the keyring.
            secrets = open_secret_store("memory", app_paths.data)
        else:
            choice = "file" if args.insecure_file_secrets else None
            secrets = open_secret_store(choice, app_paths.data)
        from .sync.service import SyncService

        service = SyncService(app_paths.data, secrets)
        if demo_env is not None:
            from .demo import rebind

            # Connections saved by an earlier demo session follow the sandboxes' new ports.
            rebind(service, demo_env)
    except (QbsyncError, OSError) as exc:
        # Shown in a dialog by the GUI: a bookkeeper launching from a menu sees no stderr.
        # QbsyncError: the keyring or the database; OSError: the data folder, or no free
        # port for the demo's sandboxes.
        log.error("start-up failed: %s", exc)
        startup_error = exc

    from .ui.application import run_gui

    try:
        return run_gui(
            service,
            app_paths,
            demo=demo_env,
            startup_error=startup_error,
            qt_args=args.qt_args,
            start_hidden=args.tray,
        )
    finally:
        if service is not None:
            service.close()
        if demo_env is not None:
            demo_env.stop()


if __name__ == "__main__":
    # `python -m qbsync_desktop.app`: how the login start runs the app from any install.
    raise SystemExit(main())
