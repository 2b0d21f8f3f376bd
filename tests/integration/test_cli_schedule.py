"""`qbsync schedule` end to end: the real command in its own process, files under a temporary
home folder.

The one stand-in: `systemctl` itself. This machine has no systemd user session (and a test
must never install a timer in the real user's session), so a small `systemctl` script first
on PATH answers and writes down what it was asked. Everything else is the real program.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

from qbsync_desktop.osjobs import definitions as d

from ..unit.test_osjobs_definitions import unit

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the systemd steps are Linux's"
)

ROOT = Path(__file__).resolve().parents[2]
FAKE_SYSTEMCTL = """#!/bin/sh
printf '%s\\n' "$*" >> "$SYSTEMCTL_LOG"
case "$*" in
  *show-environment*) echo "HOME=$HOME" ;;
  *"show qbsync-sync.timer"*)
    echo "ActiveState=active"
    echo "NextElapseUSecRealtime=Mon 2026-05-11 00:00:00 UTC" ;;
esac
exit 0
"""


@pytest.fixture
def machine(tmp_path):
    """A home folder with a space and an umlaut, and the stand-in systemctl first on PATH."""
    home = tmp_path / "home of Jürgen"
    home.mkdir()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "systemctl"
    script.write_text(FAKE_SYSTEMCTL)
    script.chmod(0o755)
    log = tmp_path / "systemctl.log"
    env = {
        k: v for k, v in os.environ.items() if k not in ("QBSYNC_SECRET_STORE", "QBSYNC_DATA_DIR")
    }
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
        SYSTEMCTL_LOG=str(log),
        PYTHONPATH=str(ROOT),
    )
    return {"home": home, "env": env, "log": log, "units": home / ".config" / "systemd" / "user"}


def qbsync(machine, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "qbsync_desktop.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=machine["env"],
        cwd=ROOT,
    )


def asked(machine) -> list[str]:
    log = machine["log"]
    return log.read_text().splitlines() if log.exists() else []


def test_dry_run_prints_the_units_and_commands_and_changes_nothing(machine, tmp_path):
    data = tmp_path / "Bücher 2026 & co"
    proc = qbsync(machine, "schedule", "install", "--dry-run", "--frequency", "hourly",
                  "--data-dir", str(data), "--secrets", "file")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "Dry run: nothing was changed." in out
    assert f"Would write {machine['units'] / 'qbsync-sync.service'}:" in out
    assert "OnCalendar=hourly" in out
    assert f'"--data-dir" "{data}" "--secrets" "file"' in out
    assert "Would run: systemctl --user enable --now qbsync-sync.timer" in out
    assert not machine["home"].joinpath(".config").exists()
    assert not data.exists()
    assert [a for a in asked(machine) if "show-environment" not in a] == []


def test_install_status_remove_under_a_temporary_home(machine, tmp_path):
    data = tmp_path / "Bücher 2026"
    proc = qbsync(machine, "schedule", "install", "--frequency", "daily", "--data-dir", str(data))
    assert proc.returncode == 0, proc.stderr
    assert "Installed: your computer runs a sync daily while the app is closed" in proc.stdout
    service = unit((machine["units"] / "qbsync-sync.service").read_text("utf-8"))["Service"]
    argv = d.systemd_unquote(service["ExecStart"])
    assert argv[0] == sys.executable and argv[1:5] == ["-m", "qbsync_desktop.cli", "sync",
                                                      "--scheduled"]  # fmt: skip
    assert argv[5:] == ["--data-dir", str(data)]
    assert Path(service["WorkingDirectory"], "qbsync_desktop", "cli.py").exists()
    timer = unit((machine["units"] / "qbsync-sync.timer").read_text("utf-8"))["Timer"]
    assert timer["OnCalendar"] == "daily"
    assert "--user daemon-reload" in asked(machine)
    assert "--user enable --now qbsync-sync.timer" in asked(machine)

    status = qbsync(machine, "schedule", "status", "--data-dir", str(data))
    assert status.returncode == 0, status.stderr
    assert "The scheduled sync is installed (systemd user timer): daily" in status.stdout
    assert f"data folder {data}" in status.stdout
    assert "Next run: Mon 2026-05-11 00:00:00 UTC." in status.stdout
    assert "Start in the tray at login: off." in status.stdout

    on = qbsync(machine, "schedule", "autostart", "on", "--data-dir", str(data))
    assert on.returncode == 0 and "starts in the tray at login" in on.stdout
    entry = machine["home"] / ".config" / "autostart" / d.AUTOSTART_FILE
    assert "--tray" in entry.read_text("utf-8")
    assert "login: on." in qbsync(machine, "schedule", "status", "--data-dir", str(data)).stdout

    gone = qbsync(machine, "schedule", "remove", "--data-dir", str(data))
    assert gone.returncode == 0 and "Removed the scheduled sync." in gone.stdout
    assert "--user disable --now qbsync-sync.timer" in asked(machine)
    assert not list(machine["units"].iterdir())
    assert "is not installed" in qbsync(machine, "schedule", "status").stdout
    again = qbsync(machine, "schedule", "remove")
    assert again.returncode == 0 and "was not installed" in again.stdout


def test_where_systemd_cannot_be_reached_install_says_why_and_writes_nothing(machine, tmp_path):
    (Path(machine["env"]["PATH"].split(os.pathsep)[0]) / "systemctl").write_text(
        "#!/bin/sh\necho 'Failed to connect to bus: No medium found' >&2\nexit 1\n"
    )
    proc = qbsync(machine, "schedule", "install", "--data-dir", str(tmp_path / "d"))
    assert proc.returncode == 2
    assert "no systemd user session" in proc.stderr and "No medium found" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not machine["home"].joinpath(".config").exists()
    status = qbsync(machine, "schedule", "status", "--data-dir", str(tmp_path / "d"))
    assert "Not available here:" in status.stdout


def test_autostart_needs_on_or_off(machine):
    proc = qbsync(machine, "schedule", "autostart")
    assert proc.returncode == 2 and "on` or `off`" in proc.stdout


def test_the_frequency_defaults_to_the_connections_automatic_setting(machine, world):
    cid = world.connect().id
    svc = world.svc
    data = svc.data_dir
    manual = qbsync(machine, "schedule", "install", "--dry-run", "--data-dir", str(data))
    assert "OnCalendar=daily" in manual.stdout
    assert "No connection syncs automatically yet" in manual.stdout
    info = svc.sync_settings(cid)
    svc.save_sync_settings(cid, dataclasses.replace(info, mode="hourly"))
    proc = qbsync(machine, "schedule", "install", "--dry-run", "--data-dir", str(data),
                  "--connection", str(cid))  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "OnCalendar=hourly" in proc.stdout
    assert f'"--connection" "{cid}"' in proc.stdout
    assert "No connection syncs automatically" not in proc.stdout
