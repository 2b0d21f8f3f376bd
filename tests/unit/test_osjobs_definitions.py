"""The OS job definitions, checked as text on every platform: each one parsed the way its OS
parses it, and the arguments the program would receive compared with the ones meant.

Paths with spaces, unicode, quotes, backslashes, % and $ must arrive unchanged: a data folder
under "C:\\Users\\Anne Müller" or "/home/anne/100% sync" is a real bookkeeper's folder.
"""

from __future__ import annotations

import configparser
import plistlib
import re
import xml.etree.ElementTree as ET

import pytest

from qbsync_desktop.osjobs import definitions as d
from qbsync_desktop.osjobs.definitions import Command

NASTY = [
    "/home/anne müller/QB Sync/100% done/$HOME",
    'C:\\Users\\Anne "AM" Müller\\data dir\\',
    "back\\slash `tick` 'single' €",
    "",
]
ARGV = ("/opt/py thon/bin/python3", "-m", "qbsync_desktop.cli", "sync", "--data-dir", *NASTY)
WORKDIR = "/srv/checkouts/qb sync 100%"
NS = {"t": d.TASK_NS}


def unit(text: str) -> configparser.ConfigParser:
    """A systemd unit read as INI: sections, keys exactly as written."""
    parser = configparser.ConfigParser(interpolation=None, strict=True, delimiters=("=",))
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string(text)
    return parser


def windows_argv(line: str) -> list[str]:
    """Split a command line the way the Microsoft C runtime does (CommandLineToArgvW's rules
    for arguments after the first): 2n backslashes + quote -> n backslashes, toggle quoting;
    2n+1 backslashes + quote -> n backslashes and a literal quote."""
    args: list[str] = []
    current, quoted, started, i = [], False, False, 0
    while i < len(line):
        c = line[i]
        if c == "\\":
            j = i
            while j < len(line) and line[j] == "\\":
                j += 1
            n = j - i
            if j < len(line) and line[j] == '"':
                current.append("\\" * (n // 2))
                if n % 2:
                    current.append('"')
                    i = j + 1
                else:
                    i = j
                started = True
                continue
            current.append("\\" * n)
            started, i = True, j
            continue
        if c == '"':
            quoted, started = not quoted, True
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


def desktop_exec_argv(value: str) -> list[str]:
    """The Exec key as the Desktop Entry Specification reads it: string escapes first, then
    the quoting rules, then %% as a literal %."""
    string_escapes = {"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}
    text = re.sub(r"\\(.)", lambda m: string_escapes.get(m[1], "\\" + m[1]), value)
    args, current, quoted, started, i = [], [], False, False, 0
    while i < len(text):
        c = text[i]
        if quoted and c == "\\" and i + 1 < len(text) and text[i + 1] in '"`$\\':
            current.append(text[i + 1])
            i += 2
            continue
        if c == '"':
            quoted, started = not quoted, True
        elif c == " " and not quoted:
            if started:
                args.append("".join(current))
            current, started = [], False
        else:
            assert quoted or c not in '"`$\\', f"unquoted reserved character in {value!r}"
            current.append(c)
            started = True
        i += 1
    assert not quoted, value
    if started:
        args.append("".join(current))
    return [a.replace("%%", "%") for a in args]


# ------------------------------------------------------------------ systemd
def test_systemd_service_runs_exactly_the_arguments_meant():
    text = d.systemd_service(Command(ARGV, WORKDIR), "QBSync test")
    service = unit(text)["Service"]
    assert service["Type"] == "oneshot"
    assert d.systemd_unquote(service["ExecStart"]) == list(ARGV)
    # Every % is doubled (no specifier expands) and every $ too (no variable expands).
    assert "100%% done/$$HOME" in service["ExecStart"]
    assert service["WorkingDirectory"] == "/srv/checkouts/qb sync 100%%"
    # Items to review (1) and "the app was syncing" (4) do not mark the service failed.
    assert service["SuccessExitStatus"].split() == ["1", "4"]


def test_systemd_timer_fires_at_the_frequency_and_catches_up_after_the_computer_was_off():
    for frequency in d.FREQUENCIES:
        timer = unit(d.systemd_timer(frequency, "QBSync test"))
        assert timer["Timer"]["OnCalendar"] == frequency
        assert timer["Timer"]["Persistent"] == "true"
        assert timer["Timer"]["Unit"] == "qbsync-sync.service"
        assert timer["Install"]["WantedBy"] == "timers.target"
    with pytest.raises(ValueError, match="hourly, daily or weekly"):
        d.systemd_timer("manual", "x")


def test_a_line_break_in_a_path_is_refused_rather_than_cut_into_two_lines():
    for make in (
        lambda: d.systemd_service(Command(("/bin/py", "a\nb")), "x"),
        lambda: d.xdg_autostart(Command(("/bin/py", "a\nb"))),
    ):
        with pytest.raises(ValueError, match="line break"):
            make()


# ------------------------------------------------------------------ launchd
def test_launchd_agent_runs_the_arguments_at_the_interval():
    for frequency, seconds in (("hourly", 3600), ("daily", 86400), ("weekly", 604800)):
        job = plistlib.loads(d.launchd_plist(Command(ARGV, WORKDIR), frequency))
        assert job["Label"] == "io.github.qbsync.sync"
        assert job["ProgramArguments"] == list(ARGV)
        assert job["WorkingDirectory"] == WORKDIR
        assert job["StartInterval"] == seconds
        assert d.launchd_frequency(job) == frequency


def test_login_agent_starts_the_app_once_at_login_in_the_graphical_session():
    job = plistlib.loads(d.launchd_login_plist(Command(ARGV)))
    assert job["ProgramArguments"] == list(ARGV)
    assert job["RunAtLoad"] is True
    assert "StartInterval" not in job and "KeepAlive" not in job
    assert job["LimitLoadToSessionType"] == "Aqua"


# ------------------------------------------------------------------ Task Scheduler
def parse_task(xml: str | bytes) -> ET.Element:
    # As Task Scheduler reads the file: UTF-16 bytes, with the encoding it declares.
    data = xml.encode("utf-16") if isinstance(xml, str) else xml
    return ET.fromstring(data)  # noqa: S314 - XML this test made


def test_task_xml_runs_the_arguments_meant_as_windows_splits_them():
    xml_text = d.task_xml(
        Command(ARGV, WORKDIR), "daily", "QBSync & co <test>", "2026-01-05T10:00:00"
    )
    root = parse_task(xml_text)
    assert root.tag == f"{{{d.TASK_NS}}}Task" and root.get("version") == "1.2"
    exec_ = root.find("t:Actions/t:Exec", NS)
    assert exec_.findtext("t:Command", namespaces=NS) == ARGV[0]
    assert windows_argv(exec_.findtext("t:Arguments", namespaces=NS)) == list(ARGV[1:])
    assert exec_.findtext("t:WorkingDirectory", namespaces=NS) == WORKDIR
    assert root.findtext("t:RegistrationInfo/t:Description", namespaces=NS) == "QBSync & co <test>"
    # Only while the user is logged on (no password stored), never two at once, catches up.
    assert root.findtext("t:Principals/t:Principal/t:LogonType", namespaces=NS) == (
        "InteractiveToken"
    )
    settings = root.find("t:Settings", NS)
    assert settings.findtext("t:MultipleInstancesPolicy", namespaces=NS) == "IgnoreNew"
    assert settings.findtext("t:StartWhenAvailable", namespaces=NS) == "true"


def test_task_triggers_follow_the_frequency():
    command = Command(("C:\\Python\\pythonw.exe", "-m", "qbsync_desktop.cli"))
    start = "2026-01-05T10:00:00"
    hourly = parse_task(d.task_xml(command, "hourly", "x", start))
    rep = hourly.find("t:Triggers/t:TimeTrigger/t:Repetition", NS)
    assert rep.findtext("t:Interval", namespaces=NS) == "PT1H"
    assert hourly.findtext("t:Triggers/t:TimeTrigger/t:StartBoundary", namespaces=NS) == start
    daily = parse_task(d.task_xml(command, "daily", "x", start))
    assert daily.findtext(".//t:ScheduleByDay/t:DaysInterval", namespaces=NS) == "1"
    weekly = parse_task(d.task_xml(command, "weekly", "x", start))
    assert weekly.find(".//t:ScheduleByWeek/t:DaysOfWeek/t:Monday", NS) is not None
    for frequency in d.FREQUENCIES:
        text = d.task_xml(command, frequency, "x", start)
        assert d.task_frequency(text) == frequency
        assert "Arguments" not in text or d.task_arguments(text)


def test_windows_command_lines_survive_quotes_spaces_and_trailing_backslashes():
    for argv in (list(ARGV), ["C:\\Program Files\\QBSync\\qbsync-desktop.exe", "--tray"]):
        line = d.windows_command_line(argv)
        assert windows_argv(line) == argv
        # `status` reads the task's arguments back the same way.
        assert d.windows_split(line) == argv


# ------------------------------------------------------------------ XDG autostart
def test_autostart_entry_execs_the_arguments_meant():
    text = d.xdg_autostart(Command(ARGV, WORKDIR))
    entry = unit(text)["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert desktop_exec_argv(entry["Exec"]) == list(ARGV)
    assert entry["Path"] == WORKDIR
    assert entry["X-GNOME-Autostart-enabled"] == "true"
