"""The text of every OS job definition: systemd units, launchd property lists, a Task
Scheduler task, an XDG autostart entry, a Windows Run value. Pure: nothing here touches the
disk or runs a command, so every platform's definition is checked as text on every platform.

Each format has its own quoting; a data folder under "C:\\Users\\Anne Müller" or
"/home/anne/100% sync" must reach the program as one unchanged argument.
"""

from __future__ import annotations

import plistlib
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass

FREQUENCIES = ("hourly", "daily", "weekly")
SECONDS = {"hourly": 3600, "daily": 86400, "weekly": 604800}

UNIT_NAME = "qbsync-sync"
LAUNCHD_LABEL = "io.github.qbsync.sync"
LOGIN_LABEL = "io.github.qbsync.tray"
TASK_NAME = "QBSync\\Sync"
RUN_KEY = "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run"
RUN_VALUE = "QBSync"
AUTOSTART_FILE = "io.github.qbsync.Desktop.desktop"

# `qbsync sync --scheduled` exits 1 when items wait for review and 4 when the app was already
# syncing: neither is a failure of the job, so systemd must not mark the service failed.
SUCCESS_EXIT_CODES = (1, 4)
TASK_NS = "http://schemas.microsoft.com/windows/2004/02/mit/task"


@dataclass(frozen=True)
class Command:
    """A program to start: its arguments (the program first) and the folder to start it in."""

    argv: tuple[str, ...]
    workdir: str | None = None


def check_frequency(frequency: str) -> str:
    if frequency not in FREQUENCIES:
        raise ValueError(f"Unknown frequency {frequency!r}: choose hourly, daily or weekly.")
    return frequency


# ------------------------------------------------------------------ systemd (Linux)
def systemd_quote(arg: str) -> str:
    """One ExecStart argument: double-quoted, with systemd's escapes and specifiers (% and $)
    doubled so neither is expanded."""
    if "\n" in arg or "\x00" in arg:
        raise ValueError("A path with a line break cannot be scheduled.")
    inner = arg.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%").replace("$", "$$")
    return f'"{inner}"'


def _systemd_path(path: str) -> str:
    # WorkingDirectory takes a bare path (no quotes); only specifiers need escaping.
    if "\n" in path:
        raise ValueError("A path with a line break cannot be scheduled.")
    return path.replace("%", "%%")


def systemd_service(command: Command, description: str) -> str:
    lines = [
        "[Unit]",
        f"Description={description}",
        "",
        "[Service]",
        "Type=oneshot",
        "ExecStart=" + " ".join(systemd_quote(a) for a in command.argv),
        "SuccessExitStatus=" + " ".join(str(c) for c in SUCCESS_EXIT_CODES),
    ]
    if command.workdir:
        lines.append(f"WorkingDirectory={_systemd_path(command.workdir)}")
    return "\n".join(lines) + "\n"


def systemd_timer(frequency: str, description: str) -> str:
    check_frequency(frequency)
    return (
        "[Unit]\n"
        f"Description={description}\n"
        "\n"
        "[Timer]\n"
        f"OnCalendar={frequency}\n"
        # A run missed while the computer was off or asleep happens when it is back.
        "Persistent=true\n"
        "AccuracySec=1min\n"
        f"Unit={UNIT_NAME}.service\n"
        "\n"
        "[Install]\n"
        "WantedBy=timers.target\n"
    )


def systemd_unquote(value: str) -> list[str]:
    """The arguments of an ExecStart line written by systemd_service (for `status`)."""
    import shlex

    return [a.replace("%%", "%").replace("$$", "$") for a in shlex.split(value)]


# ------------------------------------------------------------------ launchd (macOS)
def launchd_plist(command: Command, frequency: str, label: str = LAUNCHD_LABEL) -> bytes:
    check_frequency(frequency)
    job: dict = {
        "Label": label,
        "ProgramArguments": list(command.argv),
        # Counted from login, and launchd runs a run missed in sleep on wake; RunAtLoad makes
        # logging in count as a chance to catch up (the sync itself skips what is not due).
        "StartInterval": SECONDS[frequency],
        "RunAtLoad": True,
        "ProcessType": "Background",
        "LowPriorityIO": True,
    }
    if command.workdir:
        job["WorkingDirectory"] = command.workdir
    return plistlib.dumps(job)


def launchd_login_plist(command: Command, label: str = LOGIN_LABEL) -> bytes:
    job: dict = {
        "Label": label,
        "ProgramArguments": list(command.argv),
        "RunAtLoad": True,
        "LimitLoadToSessionType": "Aqua",
        "ProcessType": "Interactive",
    }
    if command.workdir:
        job["WorkingDirectory"] = command.workdir
    return plistlib.dumps(job)


def launchd_frequency(plist: dict) -> str | None:
    interval = plist.get("StartInterval")
    return next((f for f, s in SECONDS.items() if s == interval), None)


# ------------------------------------------------------------------ Task Scheduler (Windows)
def windows_command_line(argv: tuple[str, ...] | list[str]) -> str:
    """Arguments as Windows programs parse them (the C runtime's rules)."""
    return subprocess.list2cmdline(list(argv))


def windows_split(line: str) -> list[str]:
    """The arguments a Windows program reads from `line` (the C runtime's rules: backslashes
    are literal except before a quote; 2n+1 of them before a quote make a literal quote)."""
    args: list[str] = []
    current: list[str] = []
    quoted = started = False
    i = 0
    while i < len(line):
        c = line[i]
        if c == "\\":
            run = len(line[i:]) - len(line[i:].lstrip("\\"))
            before_quote = i + run < len(line) and line[i + run] == '"'
            current.append("\\" * (run // 2 if before_quote else run))
            i += run
            if before_quote and run % 2:
                current.append('"')
                i += 1
            started = True
            continue
        if c == '"':
            quoted = not quoted
            started = True
        elif c in " \t" and not quoted:
            if started:
                args.append("".join(current))
            current, started = [], False
        else:
            current.append(c)
            started = True
        i += 1
    if started:
        args.append("".join(current))
    return args


def task_xml(command: Command, frequency: str, description: str, start: str) -> str:
    """A Task Scheduler 1.2 task; `start` is the first run, local time "YYYY-MM-DDTHH:MM:SS".

    Runs only while the user is logged on (their keyring is open then, and no password is
    stored), starts a missed run when the computer is back, never two at once."""
    check_frequency(frequency)
    ET.register_namespace("", TASK_NS)

    def el(parent, tag: str, text: str | None = None, **attrs):
        node = ET.SubElement(parent, f"{{{TASK_NS}}}{tag}", attrs)
        if text is not None:
            node.text = text
        return node

    task = ET.Element(f"{{{TASK_NS}}}Task", {"version": "1.2"})
    reg = el(task, "RegistrationInfo")
    el(reg, "Description", description)
    triggers = el(task, "Triggers")
    if frequency == "hourly":
        trigger = el(triggers, "TimeTrigger")
        el(trigger, "StartBoundary", start)
        rep = el(trigger, "Repetition")
        el(rep, "Interval", "PT1H")
        el(rep, "StopAtDurationEnd", "false")
        el(trigger, "Enabled", "true")
    else:
        trigger = el(triggers, "CalendarTrigger")
        el(trigger, "StartBoundary", start)
        el(trigger, "Enabled", "true")
        if frequency == "daily":
            el(el(trigger, "ScheduleByDay"), "DaysInterval", "1")
        else:
            week = el(trigger, "ScheduleByWeek")
            el(week, "WeeksInterval", "1")
            el(el(week, "DaysOfWeek"), "Monday")
    principal = el(el(task, "Principals"), "Principal", id="Author")
    el(principal, "LogonType", "InteractiveToken")
    el(principal, "RunLevel", "LeastPrivilege")
    settings = el(task, "Settings")
    for tag, text in (
        ("MultipleInstancesPolicy", "IgnoreNew"),
        ("DisallowStartIfOnBatteries", "false"),
        ("StopIfGoingOnBatteries", "false"),
        ("StartWhenAvailable", "true"),
        ("RunOnlyIfNetworkAvailable", "true"),
        ("ExecutionTimeLimit", "PT4H"),
        ("Enabled", "true"),
    ):
        el(settings, tag, text)
    exec_ = el(el(task, "Actions", Context="Author"), "Exec")
    el(exec_, "Command", command.argv[0])
    if len(command.argv) > 1:
        el(exec_, "Arguments", windows_command_line(command.argv[1:]))
    if command.workdir:
        el(exec_, "WorkingDirectory", command.workdir)
    ET.indent(task)
    body = ET.tostring(task, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-16"?>\n' + body + "\n"


def task_frequency(xml_text: str) -> str | None:
    """hourly/daily/weekly from a task's triggers (as written by task_xml)."""
    text = xml_text.split("?>", 1)[1] if xml_text.lstrip().startswith("<?xml") else xml_text
    root = ET.fromstring(text)  # noqa: S314 - the task Task Scheduler gives back, our own
    ns = {"t": TASK_NS}
    if root.find(".//t:Triggers/t:TimeTrigger/t:Repetition[t:Interval='PT1H']", ns) is not None:
        return "hourly"
    if root.find(".//t:CalendarTrigger/t:ScheduleByDay", ns) is not None:
        return "daily"
    if root.find(".//t:CalendarTrigger/t:ScheduleByWeek", ns) is not None:
        return "weekly"
    return None


def task_arguments(xml_text: str) -> str:
    text = xml_text.split("?>", 1)[1] if xml_text.lstrip().startswith("<?xml") else xml_text
    node = ET.fromstring(text).find(  # noqa: S314 - our own task, from Task Scheduler
        f".//{{{TASK_NS}}}Exec/{{{TASK_NS}}}Arguments"
    )
    return node.text or "" if node is not None else ""


# ------------------------------------------------------------------ XDG autostart (Linux)
def desktop_exec_quote(arg: str) -> str:
    """One Exec argument of a .desktop file (Desktop Entry Specification, "The Exec key"):
    quoted with \\ " ` $ escaped, then the string-value escaping doubles every backslash,
    and % is doubled so it is no field code."""
    if "\n" in arg:
        raise ValueError("A path with a line break cannot start at login.")
    quoted = "".join("\\" + c if c in '"`$\\' else c for c in arg)
    return ('"' + quoted + '"').replace("\\", "\\\\").replace("%", "%%")


def xdg_autostart(command: Command, name: str = "QBSync") -> str:
    lines = [
        "[Desktop Entry]",
        "Type=Application",
        f"Name={name}",
        "Comment=Start QBSync in the tray at login",
        "Exec=" + " ".join(desktop_exec_quote(a) for a in command.argv),
        "Icon=io.github.qbsync.Desktop",
        "Terminal=false",
        "X-GNOME-Autostart-enabled=true",
    ]
    if command.workdir:
        # Path is a plain string value: only backslashes are escaped.
        lines.append("Path=" + command.workdir.replace("\\", "\\\\"))
    return "\n".join(lines) + "\n"
