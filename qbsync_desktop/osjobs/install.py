"""Putting the definitions in place and asking the OS to load them, one platform at a time.

Every step is first written down as a Plan (files to write, commands to run, files to
delete), so `--dry-run` shows exactly what `install` would do. Commands go through a runner
that can be swapped, because the OS schedulers cannot run inside the tests.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import plistlib
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import definitions as d


@dataclass(frozen=True)
class Result:
    returncode: int
    stdout: str = ""
    stderr: str = ""


Runner = Callable[[Sequence[str]], Result]


def run_command(argv: Sequence[str]) -> Result:
    """The real runner: the command's exit code and output; 127 when it does not exist."""
    try:
        done = subprocess.run(list(argv), capture_output=True, text=True, timeout=60, check=False)
    except FileNotFoundError:
        return Result(127, "", f"{argv[0]} was not found")
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Result(126, "", str(exc))
    return Result(done.returncode, done.stdout or "", done.stderr or "")


class OsJobError(RuntimeError):
    """The OS refused a step; the message says which and what it answered."""


@dataclass(frozen=True)
class Step:
    argv: tuple[str, ...]
    # False for "unload it if it is loaded": a refusal there only means it was not.
    check: bool = True


@dataclass
class Plan:
    writes: dict[Path, bytes] = field(default_factory=dict)
    commands: list[Step] = field(default_factory=list)
    deletes: list[Path] = field(default_factory=list)
    # A file written only for one command (the Task Scheduler XML), removed afterwards.
    scratch: list[Path] = field(default_factory=list)

    def describe(self, *, windows: bool = False) -> str:
        """What `apply` would do, in words and the commands as a shell would take them."""
        line = d.windows_command_line if windows else _shell_line
        out = []
        for path, data in self.writes.items():
            out.append(f"Would write {path}:")
            out.append(_readable(data).rstrip("\n"))
            out.append("")
        for step in self.commands:
            out.append("Would run: " + line(step.argv))
        for path in self.deletes:
            out.append(f"Would delete {path}")
        return "\n".join(out) + ("\n" if out else "")


def _readable(data: bytes) -> str:
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16")
    return data.decode("utf-8")


def _shell_line(argv: Sequence[str]) -> str:
    import shlex

    return " ".join(shlex.quote(a) for a in argv)


def apply(plan: Plan, runner: Runner) -> None:
    """Write, run, delete, in that order; stop at the first refused step."""
    try:
        for path, data in plan.writes.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(path.name + ".tmp")
            tmp.write_bytes(data)
            os.replace(tmp, path)
        for step in plan.commands:
            done = runner(step.argv)
            if step.check and done.returncode != 0:
                said = (done.stderr or done.stdout).strip().splitlines()
                raise OsJobError(
                    f"The computer refused `{' '.join(step.argv[:3])}`"
                    + (f": {said[-1]}" if said else f" (exit code {done.returncode})")
                    + "."
                )
        for path in plan.deletes:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
    finally:
        for path in plan.scratch:
            with contextlib.suppress(OSError):
                path.unlink()


@dataclass(frozen=True)
class JobStatus:
    installed: bool
    frequency: str | None = None
    next_run: str | None = None
    # What the OS says beyond "installed" (e.g. "not loaded"), or why it could not be asked.
    note: str = ""
    argv: tuple[str, ...] = ()

    @property
    def connections(self) -> list[int]:
        ids, args = [], list(self.argv)
        for i, a in enumerate(args[:-1]):
            if a == "--connection" and args[i + 1].isdigit():
                ids.append(int(args[i + 1]))
        return ids


def config_home(home: Path, env: dict[str, str]) -> Path:
    xdg = env.get("XDG_CONFIG_HOME", "")
    return Path(xdg) if xdg and Path(xdg).is_absolute() else home / ".config"


# ------------------------------------------------------------------ Linux: systemd --user
class Systemd:
    name = "systemd user timer"

    def __init__(self, home: Path, env: dict[str, str], runner: Runner) -> None:
        self.dir = config_home(home, env) / "systemd" / "user"
        self.service = self.dir / f"{d.UNIT_NAME}.service"
        self.timer = self.dir / f"{d.UNIT_NAME}.timer"
        self.runner = runner

    def available(self) -> str:
        done = self.runner(("systemctl", "--user", "show-environment"))
        if done.returncode == 0:
            return ""
        said = (done.stderr or done.stdout).strip().splitlines()
        return (
            "This computer has no systemd user session to run the sync while the app is closed"
            + (f" ({said[-1]})" if said else "")
            + "."
        )

    def plan_install(self, command: d.Command, frequency: str, description: str) -> Plan:
        sysctl = ("systemctl", "--user")
        timer = f"{d.UNIT_NAME}.timer"
        plan = Plan(
            writes={
                self.service: d.systemd_service(command, description).encode(),
                self.timer: d.systemd_timer(frequency, description).encode(),
            },
            commands=[Step((*sysctl, "daemon-reload")), Step((*sysctl, "enable", "--now", timer))],
        )
        if self.timer.exists():
            # A timer already running keeps its old next run until restarted.
            plan.commands.append(Step((*sysctl, "restart", timer)))
        return plan

    def plan_remove(self) -> Plan:
        sysctl = ("systemctl", "--user")
        return Plan(
            commands=[
                Step((*sysctl, "disable", "--now", f"{d.UNIT_NAME}.timer"), check=False),
                Step((*sysctl, "daemon-reload"), check=False),
            ],
            deletes=[self.timer, self.service],
        )

    def status(self) -> JobStatus:
        if not self.timer.exists():
            return JobStatus(False)
        frequency: str | None = None
        argv: tuple[str, ...] = ()
        for line in self.timer.read_text("utf-8").splitlines():
            if line.startswith("OnCalendar="):
                frequency = line.split("=", 1)[1].strip()
        with contextlib.suppress(OSError, ValueError):
            for line in self.service.read_text("utf-8").splitlines():
                if line.startswith("ExecStart="):
                    argv = tuple(d.systemd_unquote(line.split("=", 1)[1]))
        done = self.runner(
            (
                "systemctl",
                "--user",
                "show",
                f"{d.UNIT_NAME}.timer",
                "--property=ActiveState,NextElapseUSecRealtime",
            )
        )
        if done.returncode != 0:
            return JobStatus(True, frequency, None, "systemd could not be asked", argv)
        props = dict(
            line.split("=", 1) for line in done.stdout.splitlines() if "=" in line
        )  # fmt: skip
        state = props.get("ActiveState", "")
        next_run = props.get("NextElapseUSecRealtime", "").strip() or None
        note = "" if state == "active" else f"the timer is {state or 'not loaded'}"
        return JobStatus(True, frequency, next_run if next_run != "n/a" else None, note, argv)


# ------------------------------------------------------------------ macOS: launchd agent
class Launchd:
    name = "launchd agent"

    def __init__(self, home: Path, runner: Runner, uid: int) -> None:
        self.dir = home / "Library" / "LaunchAgents"
        self.plist = self.dir / f"{d.LAUNCHD_LABEL}.plist"
        self.runner = runner
        self.domain = f"gui/{uid}"

    def available(self) -> str:
        return ""

    def plan_install(self, command: d.Command, frequency: str, description: str) -> Plan:
        return Plan(
            writes={self.plist: d.launchd_plist(command, frequency)},
            commands=[
                Step(("launchctl", "bootout", f"{self.domain}/{d.LAUNCHD_LABEL}"), check=False),
                Step(("launchctl", "bootstrap", self.domain, str(self.plist))),
            ],
        )

    def plan_remove(self) -> Plan:
        return Plan(
            commands=[
                Step(("launchctl", "bootout", f"{self.domain}/{d.LAUNCHD_LABEL}"), check=False)
            ],
            deletes=[self.plist],
        )

    def status(self) -> JobStatus:
        if not self.plist.exists():
            return JobStatus(False)
        try:
            job = plistlib.loads(self.plist.read_bytes())
        except (OSError, plistlib.InvalidFileException, ValueError):
            return JobStatus(True, None, None, "its definition cannot be read")
        done = self.runner(("launchctl", "print", f"{self.domain}/{d.LAUNCHD_LABEL}"))
        note = "" if done.returncode == 0 else "macOS has not loaded it (log out and in again)"
        argv = tuple(job.get("ProgramArguments", ()))
        # launchd does not say when an interval job runs next.
        return JobStatus(True, d.launchd_frequency(job), None, note, argv)


# ------------------------------------------------------------------ Windows: Task Scheduler
class TaskScheduler:
    name = "Task Scheduler task"

    def __init__(self, runner: Runner, scratch_dir: Path | None = None) -> None:
        self.runner = runner
        self.scratch_dir = scratch_dir

    def available(self) -> str:
        return ""

    def plan_install(
        self,
        command: d.Command,
        frequency: str,
        description: str,
        now: dt.datetime | None = None,
    ) -> Plan:
        # The first run: the next full hour, so hourly runs fall on the hour and a daily or
        # weekly one starts within the hour (then at that time of day).
        first = (now or dt.datetime.now()).replace(minute=0, second=0, microsecond=0)
        start = (first + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S")
        xml = d.task_xml(command, frequency, description, start)
        # Named, not created: a dry run must leave no file behind.
        folder = self.scratch_dir or Path(tempfile.gettempdir())
        path = folder / f"qbsync-task-{os.getpid()}.xml"
        return Plan(
            writes={path: xml.encode("utf-16")},
            commands=[Step(("schtasks", "/Create", "/TN", d.TASK_NAME, "/XML", str(path), "/F"))],
            scratch=[path],
        )

    def plan_remove(self) -> Plan:
        return Plan(commands=[Step(("schtasks", "/Delete", "/TN", d.TASK_NAME, "/F"))])

    def status(self) -> JobStatus:
        done = self.runner(("schtasks", "/Query", "/TN", d.TASK_NAME, "/XML", "ONE"))
        if done.returncode != 0:
            return JobStatus(False)
        try:
            frequency = d.task_frequency(done.stdout)
            arguments = d.task_arguments(done.stdout)
        except Exception:  # noqa: BLE001 - xml.etree's ParseError and the like
            return JobStatus(True, None, None, "its definition cannot be read")
        info = self.runner(
            (
                "powershell",
                "-NoProfile",
                "-NonInteractive",
                "-Command",
                "(Get-ScheduledTaskInfo -TaskPath '\\QBSync\\' -TaskName 'Sync')"
                ".NextRunTime.ToString('yyyy-MM-dd HH:mm')",
            )
        )
        next_run = info.stdout.strip() if info.returncode == 0 and info.stdout.strip() else None
        return JobStatus(True, frequency, next_run, "", tuple(d.windows_split(arguments)))


# ------------------------------------------------------------------ start in the tray at login
class Autostart:
    """The XDG autostart entry, a login LaunchAgent, or the Run key value."""

    def __init__(self, platform: str, home: Path, env: dict[str, str], runner: Runner, uid: int):
        self.platform = platform
        self.runner = runner
        self.domain = f"gui/{uid}"
        self.desktop = config_home(home, env) / "autostart" / d.AUTOSTART_FILE
        self.plist = home / "Library" / "LaunchAgents" / f"{d.LOGIN_LABEL}.plist"

    def plan(self, on: bool, command: d.Command) -> Plan:
        if self.platform == "win32":
            argv: tuple[str, ...]  # add and delete take different arguments
            if on:
                line = d.windows_command_line(command.argv)
                argv = ("reg", "add", d.RUN_KEY, "/v", d.RUN_VALUE, "/t", "REG_SZ", "/d", line)
                return Plan(commands=[Step((*argv, "/f"))])
            argv = ("reg", "delete", d.RUN_KEY, "/v", d.RUN_VALUE, "/f")
            return Plan(commands=[Step(argv, check=False)])
        if self.platform == "darwin":
            # Loaded at the next login (RunAtLoad); not now: the app is running already.
            if on:
                return Plan(writes={self.plist: d.launchd_login_plist(command)})
            bootout = ("launchctl", "bootout", f"{self.domain}/{d.LOGIN_LABEL}")
            return Plan(commands=[Step(bootout, check=False)], deletes=[self.plist])
        if on:
            return Plan(writes={self.desktop: d.xdg_autostart(command).encode()})
        return Plan(deletes=[self.desktop])

    def enabled(self) -> bool:
        if self.platform == "win32":
            done = self.runner(("reg", "query", d.RUN_KEY, "/v", d.RUN_VALUE))
            return done.returncode == 0
        if self.platform == "darwin":
            return self.plist.exists()
        return self.desktop.exists()
