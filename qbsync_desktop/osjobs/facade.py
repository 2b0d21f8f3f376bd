"""One facade over the OS jobs for the command line and the window alike: what would be
installed, installing and removing it, and what is installed now."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path

from . import definitions
from .definitions import Command
from .install import (
    Autostart,
    JobStatus,
    Launchd,
    OsJobError,
    Plan,
    Runner,
    Systemd,
    TaskScheduler,
    apply,
    run_command,
)

DESCRIPTION = "QBSync: sync Scoro and QuickBooks while the app is closed"
# Folder holding the qbsync_desktop package: `python -m` finds the package from there even
# when it is a checkout and not installed.
PACKAGE_ROOT = Path(__file__).resolve().parents[2]


def secret_choice(store) -> str:
    """The --secrets word for a secret store the app opened."""
    from ..secrets.file import FileSecretStore
    from ..secrets.memory import MemorySecretStore

    if isinstance(store, MemorySecretStore):
        return "memory"
    if isinstance(store, FileSecretStore):
        return "file"
    return "keyring"


def kind_of(platform: str) -> str:
    if platform.startswith("linux"):
        return "linux"
    if platform in ("darwin", "win32"):
        return platform
    return ""


class OsJobs:
    """The scheduled sync and the login start, for one data folder and secret store.

    Everything about the machine (platform, home, environment, uid, interpreter, the command
    runner) can be passed in: the tests drive each platform's steps from any platform."""

    def __init__(
        self,
        data_dir: str | os.PathLike[str],
        secrets: str = "keyring",
        *,
        platform: str | None = None,
        home: Path | None = None,
        env: dict[str, str] | None = None,
        runner: Runner | None = None,
        uid: int | None = None,
        executable: str | None = None,
        frozen: bool | None = None,
    ) -> None:
        self.data_dir = Path(data_dir).resolve()
        self.secrets = secrets or "keyring"
        self.platform = kind_of(platform or sys.platform)
        self.home = home or Path.home()
        self.env = dict(os.environ if env is None else env)
        self.runner = runner or run_command
        self.uid = uid if uid is not None else (os.getuid() if hasattr(os, "getuid") else 0)
        self.executable = executable or sys.executable
        self.frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
        self._available: str | None = None

    @classmethod
    def for_service(cls, service, **machine) -> OsJobs:
        """For the app's own data folder and secret store, so the job sees what the app sees."""
        return cls(service.data_dir, secret_choice(service.secrets), **machine)

    # ---------------------------------------------------------------- the commands
    def _python(self) -> str:
        if self.platform == "win32":
            # pythonw: no console window flashing up on every scheduled run.
            exe = Path(self.executable)
            windowless = exe.with_name("pythonw.exe")
            if exe.name.lower() == "python.exe" and windowless.exists():
                return str(windowless)
        return self.executable

    def sync_command(self, connections: Iterable[int] = ()) -> Command:
        """`qbsync sync --scheduled` on this data folder with this secret store: the same
        interpreter and code as the running app."""
        argv = [self._python(), "-m", "qbsync_desktop.cli", "sync", "--scheduled"]
        argv += ["--data-dir", str(self.data_dir)]
        if self.secrets != "keyring":
            argv += ["--secrets", self.secrets]
        for cid in connections:
            argv += ["--connection", str(int(cid))]
        return Command(tuple(argv), str(PACKAGE_ROOT))

    def app_command(self) -> Command:
        """The app, hidden in the tray, on this data folder."""
        tail = ["--tray", "--data-dir", str(self.data_dir)]
        if self.secrets == "file":
            tail.append("--insecure-file-secrets")
        if self.frozen:
            return Command((self.executable, *tail), None)
        return Command((self._python(), "-m", "qbsync_desktop.app", *tail), str(PACKAGE_ROOT))

    # ---------------------------------------------------------------- the scheduled sync
    def _backend(self):
        if self.platform == "linux":
            return Systemd(self.home, self.env, self.runner)
        if self.platform == "darwin":
            return Launchd(self.home, self.runner, self.uid)
        if self.platform == "win32":
            return TaskScheduler(self.runner)
        raise OsJobError("Syncing with the app closed is not available on this system.")

    @property
    def scheduler_name(self) -> str:
        return self._backend().name if self.platform else "scheduler"

    def sync_unavailable(self) -> str:
        """Why the scheduled sync cannot be installed here, or "" when it can."""
        if self._available is None:
            self._available = self._why_not_sync()
        return self._available

    def _why_not_sync(self) -> str:
        if not self.platform:
            return "Syncing with the app closed is not available on this system."
        if self.secrets == "memory":
            return (
                "The sign-ins are kept only while the app is open (demo or memory mode), so "
                "nothing can sync with the app closed."
            )
        if self.frozen:
            return (
                "This copy of QBSync has no command-line qbsync to run on a schedule; install "
                "the qbsync-desktop package to sync with the app closed."
            )
        return self._backend().available()

    def install(
        self, frequency: str, connections: Iterable[int] = (), *, dry_run: bool = False
    ) -> Plan:
        definitions.check_frequency(frequency)
        plan = self._backend().plan_install(self.sync_command(connections), frequency, DESCRIPTION)
        if not dry_run:
            why = self.sync_unavailable()
            if why:
                raise OsJobError(why)
            apply(plan, self.runner)
        return plan

    def remove(self, *, dry_run: bool = False) -> Plan:
        plan = self._backend().plan_remove()
        if not dry_run:
            apply(plan, self.runner)
        return plan

    def status(self) -> JobStatus:
        return self._backend().status()

    # ---------------------------------------------------------------- start at login
    def _autostart(self) -> Autostart:
        return Autostart(self.platform, self.home, self.env, self.runner, self.uid)

    def autostart_unavailable(self) -> str:
        if not self.platform:
            return "Starting at login is not available on this system."
        if self.secrets == "memory":
            return "The demo cannot start at login: it keeps nothing once closed."
        return ""

    def set_autostart(self, on: bool, *, dry_run: bool = False) -> Plan:
        plan = self._autostart().plan(on, self.app_command())
        if not dry_run:
            why = self.autostart_unavailable()
            if why and on:
                raise OsJobError(why)
            apply(plan, self.runner)
        return plan

    def autostart_enabled(self) -> bool:
        return bool(self.platform) and self._autostart().enabled()

    def describe(self, plan: Plan) -> str:
        return plan.describe(windows=self.platform == "win32")
