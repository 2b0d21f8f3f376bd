"""Installing, reading and removing the OS jobs, every platform's steps on any platform.

The one fake in these tests: the OS scheduler commands (systemctl, launchctl, schtasks, reg)
are answered by a recording runner, because no OS scheduler can run inside the test sandbox
(this machine has no systemd user session, and no launchd or Task Scheduler at all). The
files are real, written under a temporary home folder. On a Linux machine where
`systemctl --user` works, the last test installs, reads and removes a real timer.
"""

from __future__ import annotations

import datetime as dt
import plistlib
import shutil
import subprocess
from pathlib import Path

import pytest

from qbsync_desktop.osjobs import OsJobError, OsJobs
from qbsync_desktop.osjobs import definitions as d
from qbsync_desktop.osjobs.install import Result, TaskScheduler, run_command

from .test_osjobs_definitions import desktop_exec_argv, parse_task, unit, windows_argv


class RecordingRunner:
    """Answers OS commands from a table of argv prefixes; records every call (and, for a
    file the command was given, what the file held at that moment)."""

    def __init__(self, answers: dict[tuple[str, ...], Result] | None = None) -> None:
        self.answers = answers or {}
        self.calls: list[tuple[str, ...]] = []
        self.files_seen: dict[str, bytes] = {}

    def __call__(self, argv) -> Result:
        argv = tuple(argv)
        self.calls.append(argv)
        for arg in argv:
            if arg.endswith(".xml") and Path(arg).exists():
                self.files_seen[arg] = Path(arg).read_bytes()
        best = max((p for p in self.answers if argv[: len(p)] == p), key=len, default=None)
        return self.answers[best] if best is not None else Result(0)

    def commands(self) -> list[tuple[str, ...]]:
        """The calls that change something (not the look-ups)."""
        looks = ("show-environment", "show", "print", "/Query", "query", "-NoProfile")
        return [c for c in self.calls if not any(x in c for x in looks)]


DATA = "Dätä folder/100% $sync"


@pytest.fixture
def home(tmp_path) -> Path:
    h = tmp_path / "home of Anne Müller"
    h.mkdir()
    return h


def jobs_for(platform, home, tmp_path, runner, secrets="keyring", **kw) -> OsJobs:
    return OsJobs(
        tmp_path / DATA,
        secrets,
        platform=platform,
        home=home,
        env=kw.pop("env", {}),
        runner=runner,
        uid=501,
        executable="/usr/bin/python3",
        frozen=False,
        **kw,
    )


# ------------------------------------------------------------------ Linux
def test_linux_install_writes_both_units_under_home_and_enables_the_timer(home, tmp_path):
    runner = RecordingRunner()
    jobs = jobs_for("linux", home, tmp_path, runner, secrets="file")
    jobs.install("hourly", [3])
    folder = home / ".config" / "systemd" / "user"
    service = unit((folder / "qbsync-sync.service").read_text("utf-8"))["Service"]
    argv = d.systemd_unquote(service["ExecStart"])
    assert argv[:5] == ["/usr/bin/python3", "-m", "qbsync_desktop.cli", "sync", "--scheduled"]
    assert argv[5:] == ["--data-dir", str((tmp_path / DATA).resolve()), "--secrets", "file",
                        "--connection", "3"]  # fmt: skip
    assert unit((folder / "qbsync-sync.timer").read_text("utf-8"))["Timer"]["OnCalendar"] == (
        "hourly"
    )
    assert runner.commands() == [
        ("systemctl", "--user", "daemon-reload"),
        ("systemctl", "--user", "enable", "--now", "qbsync-sync.timer"),
    ]
    # Installing again (another frequency) restarts the timer so its next run follows.
    runner.calls.clear()
    jobs.install("weekly")
    assert ("systemctl", "--user", "restart", "qbsync-sync.timer") in runner.commands()
    assert "OnCalendar=weekly" in (folder / "qbsync-sync.timer").read_text("utf-8")


def test_linux_status_reports_frequency_next_run_and_connection_then_remove_deletes(home, tmp_path):
    runner = RecordingRunner(
        {
            ("systemctl", "--user", "show", "qbsync-sync.timer"): Result(
                0, "ActiveState=active\nNextElapseUSecRealtime=Tue 2026-05-05 00:00:00 EEST\n"
            )
        }
    )
    jobs = jobs_for("linux", home, tmp_path, runner)
    assert jobs.status().installed is False
    jobs.install("daily", [7])
    st = jobs.status()
    assert (st.installed, st.frequency, st.next_run, st.note) == (
        True, "daily", "Tue 2026-05-05 00:00:00 EEST", ""
    )  # fmt: skip
    assert st.connections == [7]
    runner.calls.clear()
    jobs.remove()
    assert runner.commands()[0] == ("systemctl", "--user", "disable", "--now", "qbsync-sync.timer")
    assert not list((home / ".config" / "systemd" / "user").iterdir())
    assert jobs.status().installed is False


def test_linux_follows_xdg_config_home(home, tmp_path):
    config = tmp_path / "elsewhere config"
    jobs = jobs_for("linux", home, tmp_path, RecordingRunner(),
                    env={"XDG_CONFIG_HOME": str(config)})  # fmt: skip
    jobs.install("daily")
    jobs.set_autostart(True)
    assert (config / "systemd" / "user" / "qbsync-sync.timer").exists()
    assert (config / "autostart" / d.AUTOSTART_FILE).exists()
    assert not (home / ".config").exists()


def test_without_a_systemd_user_session_install_is_refused_with_the_reason(home, tmp_path):
    runner = RecordingRunner(
        {("systemctl", "--user", "show-environment"): Result(1, "", "Failed to connect to bus")}
    )
    jobs = jobs_for("linux", home, tmp_path, runner)
    assert "no systemd user session" in jobs.sync_unavailable()
    with pytest.raises(OsJobError, match="Failed to connect to bus"):
        jobs.install("daily")
    assert not (home / ".config").exists()
    # The dry run still shows what would be installed, and writes nothing.
    plan = jobs.install("daily", dry_run=True)
    assert "OnCalendar=daily" in jobs.describe(plan)
    assert "systemctl --user enable --now qbsync-sync.timer" in jobs.describe(plan)
    assert not (home / ".config").exists()


def test_a_refused_command_stops_the_install_with_what_the_os_said(home, tmp_path):
    runner = RecordingRunner(
        {("systemctl", "--user", "enable"): Result(1, "", "Unit file is masked.\n")}
    )
    with pytest.raises(OsJobError, match="Unit file is masked"):
        jobs_for("linux", home, tmp_path, runner).install("daily")


def test_memory_secrets_cannot_sync_with_the_app_closed(home, tmp_path):
    jobs = jobs_for("linux", home, tmp_path, RecordingRunner(), secrets="memory")
    assert "only while the app is open" in jobs.sync_unavailable()
    assert jobs.autostart_unavailable()
    with pytest.raises(OsJobError):
        jobs.install("daily")


def test_linux_autostart_entry_starts_the_app_in_the_tray_on_this_data_folder(home, tmp_path):
    jobs = jobs_for("linux", home, tmp_path, RecordingRunner(), secrets="file")
    assert not jobs.autostart_enabled()
    jobs.set_autostart(True)
    entry = unit((home / ".config" / "autostart" / d.AUTOSTART_FILE).read_text("utf-8"))
    argv = desktop_exec_argv(entry["Desktop Entry"]["Exec"])
    assert argv == ["/usr/bin/python3", "-m", "qbsync_desktop.app", "--tray", "--data-dir",
                    str((tmp_path / DATA).resolve()), "--insecure-file-secrets"]  # fmt: skip
    assert jobs.autostart_enabled()
    jobs.set_autostart(False)
    assert not jobs.autostart_enabled()


# ------------------------------------------------------------------ macOS
def test_macos_install_bootstraps_the_agent_in_the_users_gui_domain(home, tmp_path):
    runner = RecordingRunner({("launchctl", "bootout"): Result(3, "", "No such process")})
    jobs = jobs_for("darwin", home, tmp_path, runner)
    jobs.install("hourly")
    plist = home / "Library" / "LaunchAgents" / "io.github.qbsync.sync.plist"
    job = plistlib.loads(plist.read_bytes())
    assert job["ProgramArguments"][-2:] == ["--data-dir", str((tmp_path / DATA).resolve())]
    assert job["StartInterval"] == 3600
    # A job not loaded yet cannot be booted out: that refusal does not stop the install.
    assert runner.commands() == [
        ("launchctl", "bootout", "gui/501/io.github.qbsync.sync"),
        ("launchctl", "bootstrap", "gui/501", str(plist)),
    ]
    st = jobs.status()
    assert (st.installed, st.frequency, st.next_run) == (True, "hourly", None)
    jobs.remove()
    assert not plist.exists()
    assert runner.calls[-1] == ("launchctl", "bootout", "gui/501/io.github.qbsync.sync")


def test_macos_status_says_when_the_agent_is_not_loaded(home, tmp_path):
    runner = RecordingRunner({("launchctl", "print"): Result(113, "", "Could not find service")})
    jobs = jobs_for("darwin", home, tmp_path, runner)
    jobs.install("daily")
    assert "not loaded" in jobs.status().note


def test_macos_login_item_is_a_run_at_load_agent(home, tmp_path):
    runner = RecordingRunner()
    jobs = jobs_for("darwin", home, tmp_path, runner)
    jobs.set_autostart(True)
    plist = home / "Library" / "LaunchAgents" / "io.github.qbsync.tray.plist"
    job = plistlib.loads(plist.read_bytes())
    assert job["RunAtLoad"] is True and "--tray" in job["ProgramArguments"]
    assert jobs.autostart_enabled()
    jobs.set_autostart(False)
    assert not plist.exists() and not jobs.autostart_enabled()


# ------------------------------------------------------------------ Windows
def test_windows_install_creates_the_task_from_a_utf16_xml_file_then_deletes_it(
    home, tmp_path, monkeypatch
):
    runner = RecordingRunner()
    jobs = jobs_for("win32", home, tmp_path, runner)
    jobs.install("daily", [2])
    (create,) = runner.commands()
    assert create[:4] == ("schtasks", "/Create", "/TN", "QBSync\\Sync")
    assert create[4] == "/XML" and create[-1] == "/F"
    xml_bytes = runner.files_seen[create[5]]
    assert xml_bytes.startswith(b"\xff\xfe")  # UTF-16, as the file says it is
    root = parse_task(xml_bytes)
    exec_ = root.find(f".//{{{d.TASK_NS}}}Exec")
    args = windows_argv(exec_.findtext(f"{{{d.TASK_NS}}}Arguments"))
    assert args[:4] == ["-m", "qbsync_desktop.cli", "sync", "--scheduled"]
    assert args[4:] == ["--data-dir", str((tmp_path / DATA).resolve()), "--connection", "2"]
    assert not Path(create[5]).exists()  # the scratch file is gone


def test_windows_status_reads_the_task_back_and_asks_for_the_next_run(home, tmp_path):
    folder = "C:\\Users\\Anne Müller\\QB data\\"
    argv = ("C:\\py\\pythonw.exe", "-m", "qbsync_desktop.cli", "sync", "--data-dir", folder)
    xml_text = d.task_xml(
        d.Command((*argv, "--connection", "5")),
        "weekly",
        "x",
        "2026-01-05T10:00:00",
    )
    runner = RecordingRunner(
        {
            ("schtasks", "/Query"): Result(0, xml_text),
            ("powershell",): Result(0, "2026-01-12 10:00\r\n"),
        }
    )
    st = jobs_for("win32", home, tmp_path, runner).status()
    assert (st.installed, st.frequency, st.next_run, st.connections) == (
        True, "weekly", "2026-01-12 10:00", [5]
    )  # fmt: skip
    assert st.argv[-4:] == ("--data-dir", folder, "--connection", "5")
    gone = RecordingRunner({("schtasks", "/Query"): Result(1, "", "ERROR: cannot find")})
    assert jobs_for("win32", home, tmp_path, gone).status().installed is False


def test_windows_first_run_is_the_next_full_hour():
    plan = TaskScheduler(RecordingRunner()).plan_install(
        d.Command(("py",)), "hourly", "x", now=dt.datetime(2026, 3, 1, 23, 41, 7)
    )
    (xml_bytes,) = plan.writes.values()
    start = parse_task(xml_bytes).find(f".//{{{d.TASK_NS}}}StartBoundary")
    assert start.text == "2026-03-02T00:00:00"


def test_windows_login_start_is_a_run_key_value(home, tmp_path):
    runner = RecordingRunner({("reg", "query"): Result(1, "", "unable to find")})
    jobs = jobs_for("win32", home, tmp_path, runner)
    assert not jobs.autostart_enabled()
    jobs.set_autostart(True)
    add = runner.commands()[-1]
    assert add[:6] == ("reg", "add", d.RUN_KEY, "/v", "QBSync", "/t")
    line = add[add.index("/d") + 1]
    assert windows_argv(line)[1:] == ["-m", "qbsync_desktop.app", "--tray", "--data-dir",
                                      str((tmp_path / DATA).resolve())]  # fmt: skip
    jobs.set_autostart(False)
    assert runner.commands()[-1] == ("reg", "delete", d.RUN_KEY, "/v", "QBSync", "/f")


def test_an_unknown_system_says_it_cannot(home, tmp_path):
    jobs = jobs_for("sunos5", home, tmp_path, RecordingRunner())
    assert "not available on this system" in jobs.sync_unavailable()
    assert jobs.autostart_unavailable()


def test_the_real_runner_reports_a_missing_program_instead_of_raising():
    assert run_command(["qbsync-no-such-program-here"]).returncode == 127


# ------------------------------------------------------------------ a real systemd, if any
def _systemd_user_session() -> str:
    if shutil.which("systemctl") is None:
        return "systemctl is not installed"
    done = subprocess.run(
        ["systemctl", "--user", "show-environment"], capture_output=True, text=True, check=False
    )
    return "" if done.returncode == 0 else f"no systemd user session: {done.stderr.strip()}"


@pytest.mark.skipif(bool(_systemd_user_session()), reason=_systemd_user_session() or "available")
def test_real_systemd_user_timer_install_status_remove(tmp_path):
    # The real user's systemd and ~/.config: a unit name of its own, removed at the end.
    jobs = OsJobs(tmp_path / "data", "file")
    if jobs.status().installed:
        pytest.skip("a qbsync-sync timer is installed on this account already; left alone")
    try:
        jobs.install("weekly")
        st = jobs.status()
        assert st.installed and st.frequency == "weekly" and st.note == ""
        assert st.next_run
    finally:
        jobs.remove()
    assert jobs.status().installed is False
