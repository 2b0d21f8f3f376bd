"""The sync the computer's scheduler starts (`qbsync sync --scheduled`) next to the open app:
never the same connection at once, and a skipped run is quiet, clear and has its own exit
code (4), so the scheduler does not report a failure.

The app is played by a process holding the connection's run lock exactly as the app's runs
take it (the OS lock in the data folder); the sandboxes and the CLI are real.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys

from qbsync_desktop import cli
from qbsync_desktop.secrets.factory import SECRETS_FILE_NAME
from qbsync_desktop.secrets.file import FileSecretStore
from qbsync_desktop.store import models as m
from qbsync_desktop.sync import runlock
from qbsync_desktop.sync.service import SyncService
from tests.support.environments import ROOT, cli_call, make_env

from .test_crashes import connected_dir


def set_mode(data, cid: int, mode: str) -> None:
    svc = SyncService(data, FileSecretStore(data / SECRETS_FILE_NAME))
    try:
        svc.save_sync_settings(cid, dataclasses.replace(svc.sync_settings(cid), mode=mode))
    finally:
        svc.close()


def runs(data, cid: int) -> list[tuple[str, str]]:
    svc = SyncService(data, FileSecretStore(data / SECRETS_FILE_NAME))
    try:
        rows = m.Run.select().where(m.Run.connection == cid).order_by(m.Run.id)
        return [(r.trigger, r.status) for r in rows]
    finally:
        svc.close()


def hold_run_lock(data, cid: int) -> subprocess.Popen:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from qbsync_desktop.sync.runlock import InterProcessLock\n"
            "lock = InterProcessLock(sys.argv[1]); lock.acquire(what='manual sync')\n"
            "print('held', flush=True); time.sleep(120)\n",
            str(runlock.run_lock_path(data, cid)),
        ],
        cwd=ROOT,
        env=cli_call(data, "file")["env"],
        text=True,
        stdout=subprocess.PIPE,
    )
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_a_scheduled_sync_skips_the_connection_the_app_is_syncing_quietly_with_exit_4(tmp_path):
    env = make_env().start()
    data = tmp_path / "data"
    try:
        cid = connected_dir(env, data)
        set_mode(data, cid, "hourly")
        before = runs(data, cid)
        holder = hold_run_lock(data, cid)
        try:
            proc = subprocess.run(
                **cli_call(data, "file", "sync", "--scheduled"), capture_output=True, timeout=120
            )
        finally:
            holder.kill()
            holder.wait()
        assert proc.returncode == cli.EXIT_BUSY == 4, (proc.stdout, proc.stderr)
        line = proc.stdout.strip()
        assert line.startswith(f"Skipped: A sync of connection {cid} is already running"), line
        assert f"manual sync process {holder.pid}" in line
        assert line.endswith("The next scheduled run carries on.")
        assert proc.stderr.strip() == "", proc.stderr
        assert runs(data, cid) == before  # nothing was started next to the app's run

        # A plain `qbsync sync` (a person at the terminal) keeps its own answer: exit 2.
        holder = hold_run_lock(data, cid)
        try:
            plain = subprocess.run(
                **cli_call(data, "file", "sync"), capture_output=True, timeout=120
            )
        finally:
            holder.kill()
            holder.wait()
        assert plain.returncode == cli.EXIT_FAILED and "Not started" in plain.stderr

        # The app has let go: the scheduled run syncs, as the app's automatic sync.
        done = subprocess.run(
            **cli_call(data, "file", "sync", "--scheduled"), capture_output=True, timeout=300
        )
        assert done.returncode in (cli.EXIT_OK, cli.EXIT_REVIEW), (done.stdout, done.stderr)
        (new,) = runs(data, cid)[len(before) :]
        assert new[0] == "automatic" and new[1] in ("ok", "review"), new

        # Run again within the hour: nothing is due, nothing runs.
        again = subprocess.run(
            **cli_call(data, "file", "sync", "--scheduled"), capture_output=True, timeout=120
        )
        assert again.returncode == cli.EXIT_OK, (again.stdout, again.stderr)
        assert "Nothing is due" in again.stdout
        assert len(runs(data, cid)) == len(before) + 1
    finally:
        env.stop()


def test_a_scheduled_sync_leaves_a_manual_connection_alone(tmp_path):
    env = make_env().start()
    data = tmp_path / "data"
    try:
        cid = connected_dir(env, data)  # the demo connects in manual mode
        before = runs(data, cid)
        proc = subprocess.run(
            **cli_call(data, "file", "sync", "--scheduled"), capture_output=True, timeout=120
        )
        assert proc.returncode == cli.EXIT_OK, (proc.stdout, proc.stderr)
        assert "Nothing is due" in proc.stdout
        assert runs(data, cid) == before
    finally:
        env.stop()
