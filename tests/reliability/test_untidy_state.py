"""Untidy state and shared resources: a database held by another program, a full disk (a real
write failure: RLIMIT_FSIZE in the CLI's own process), a killed run left "running", counts of
a run that ended in "reconnect needed", the demo sandbox's files, a read-only data folder, and
the sign-in listener under an idle local connection and a squatter on [::1]."""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import resource
import signal
import socket
import sqlite3
import stat
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from qbsync_desktop.demo import DemoEnvironment
from qbsync_desktop.quickbooks.loopback import LoopbackCallbackServer
from qbsync_desktop.sandbox.quickbooks import QuickBooksSandbox
from qbsync_desktop.secrets.factory import SECRETS_FILE_NAME
from qbsync_desktop.secrets.file import FileSecretStore
from qbsync_desktop.store import models as m
from qbsync_desktop.sync.service import SyncService
from qbsync_desktop.sync.types import EventType
from tests.support.demo import ACME as ENTITY
from tests.support.environments import ROOT, cli_call, make_env

from .test_crashes import connected_dir, requests_seen


def qbsync(data: Path, *args: str, preexec=None, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run(
        **cli_call(data, "file", *args), capture_output=True, timeout=timeout, preexec_fn=preexec
    )


def one_clear_line(proc: subprocess.CompletedProcess, *words: str) -> str:
    err = proc.stderr
    assert proc.returncode == 2, (proc.returncode, proc.stdout, err)
    assert "Traceback" not in err and "Logging error" not in err, err
    lines = [line for line in err.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("Error")]
    assert len(errors) == 1, err
    for word in words:
        assert word.lower() in errors[0].lower(), errors[0]
    return errors[0]


@pytest.fixture
def synced_dir(tmp_path):
    """A data folder with acme_ee connected (file secrets, for the CLI) and synced once."""
    env = make_env().start()
    data = tmp_path / "cli"
    cid = connected_dir(env, data)
    first = qbsync(data, "sync")
    assert first.returncode in (0, 1), first.stderr
    yield env, data, cid
    env.stop()


# ------------------------------------------------------------------ 2. a locked database
def test_database_held_by_another_program_is_one_line_and_exit_2(synced_dir):
    _, data, _ = synced_dir
    holder = sqlite3.connect(data / "qbsync.sqlite3", timeout=1, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        line = one_clear_line(qbsync(data, "sync"), "another program")
        assert str(data) in line
        assert time.monotonic() - started < 30
        for args in (("status",), ("log",), ("review", "list")):
            # WAL lets these read beside the other program; if they cannot, they say so.
            proc = qbsync(data, *args)
            assert proc.returncode in (0, 1, 2), (args, proc.returncode, proc.stderr)
            assert "Traceback" not in proc.stderr, (args, proc.stderr)
            if proc.returncode == 2:
                one_clear_line(proc)
    finally:
        holder.rollback()
        holder.close()
    assert qbsync(data, "sync").returncode in (0, 1)


# ------------------------------------------------------------------ 2 + 3. a full disk
def _file_size_limit(limit: int):
    def apply() -> None:
        # Writes past `limit` bytes fail with EFBIG, as writes on a full disk fail with
        # ENOSPC: a real failure in the kernel, no root tricks (SIGXFSZ is ignored by Python).
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_disk_full_at_start_is_one_line_naming_the_disk_and_exit_2(synced_dir):
    _, data, _ = synced_dir
    log_file = data / "logs" / "qbsync.log"
    with log_file.open("a") as fh:  # past the limit: every new line fails, as on a full disk
        fh.write("an older line\n" * 1000)
    for args in (("sync",), ("-v", "sync"), ("review", "list")):
        proc = qbsync(data, *args, preexec=_file_size_limit(4096))
        assert proc.returncode == 2, (args, proc.returncode, proc.stderr[-3000:])
        err = proc.stderr
        assert "Traceback" not in err and "Logging error" not in err, err[-3000:]
        assert len(err.encode()) < 2000, f"{len(err)} bytes on stderr"
        lines = [line for line in err.splitlines() if line.strip()]
        # At most: the log file cannot be written (once), and the error.
        assert len(lines) <= 2 + (args[0] == "-v") * 50, err
        error = next(line for line in lines if line.startswith("Error"))
        assert "no space left on the disk holding" in error, error
        assert str(data) in error, error
        log_notes = [line for line in lines if "log file" in line]
        assert len(log_notes) <= 1, err
    # Space again: everything works and nothing was half-written.
    assert qbsync(data, "sync").returncode in (0, 1)


LOGGING_SNIPPET = """
import logging, sys
from qbsync_desktop.logs import setup_logging
setup_logging(sys.argv[1], level="INFO", console=False)
log = logging.getLogger("qbsync_desktop.test")
for i in range(3000):
    log.info("line %d of a sync that goes on while the disk is full", i)
print("went on", flush=True)
"""


def test_log_file_on_a_full_disk_is_reported_once_and_the_program_goes_on(tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "qbsync.log").write_text("x" * 10_000)
    proc = subprocess.run(
        [sys.executable, "-c", LOGGING_SNIPPET, str(logs)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_file_size_limit(8192),
    )
    assert proc.returncode == 0 and proc.stdout.strip() == "went on", proc
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr[:3000]
    assert "no space left on the disk holding" in lines[0] and str(logs) in lines[0], lines


# ------------------------------------------------------------------ 5. killed runs
def test_a_killed_run_is_marked_interrupted_and_a_live_one_is_left_alone(tmp_path):
    env = make_env("demo", {"base": "demo", "extra_invoices": 80}).start()
    try:
        data = tmp_path / "cli"
        cid = connected_dir(env, data)
        base = requests_seen(env)
        proc = subprocess.Popen(
            **cli_call(data, "file", "sync"), stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        while proc.poll() is None and requests_seen(env) - base < 40:
            time.sleep(0.005)
        assert proc.poll() is None, "the sync finished before it could be observed"
        # While it runs, another process opening the data folder leaves its run alone.
        svc = SyncService(data, FileSecretStore(data / SECRETS_FILE_NAME))
        live = [r.status for r in svc.history(cid)]
        svc.close()
        assert live[0] == "running", live
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        status = qbsync(data, "status")
        assert "interrupted" in status.stdout, status.stdout
        again = qbsync(data, "sync", timeout=300)
        assert again.returncode in (0, 1), again.stderr
        svc = SyncService(data, FileSecretStore(data / SECRETS_FILE_NAME))
        try:
            history = [r.status for r in svc.history(cid)]
            killed = svc.history(cid)[1]
        finally:
            svc.close()
        assert "running" not in history, history
        assert killed.status == "interrupted" and killed.finished_at is not None, killed
        assert "interrupted" in killed.message.lower()
    finally:
        env.stop()


# ------------------------------------------------------------------ 5. true counts
def test_counts_are_true_when_a_run_ends_in_reconnect_needed(rworld):
    w = rworld(scoro_size={"base": "demo", "extra_invoices": 30})
    cid = w.connect().id
    realm = next(p.realm_id for p in w.env.pairs if p.company_account_id == ENTITY)
    done = []

    def revoke_midway(event):
        if event.type is EventType.RECORD_DONE and event.category == "invoices" and not done:
            done.append(True)
            w.env.qbo.oauth.revoke_refresh_tokens(realm)
            w.qbo_ctl("POST", "faults", type="expire_access_token", realmId=realm)

    w.svc.add_listener(revoke_midway)
    result = w.svc.run(cid)
    w.svc.remove_listener(revoke_midway)
    assert done and result.status == "reconnect_needed", result
    assert result.requests > 0, result
    assert result.created > 0, result
    row = m.Run.get_by_id(result.run_id)
    assert (row.requests, row.created, row.status) == (
        result.requests,
        result.created,
        "reconnect_needed",
    )


# ------------------------------------------------------------------ 5. demo files
def test_demo_sandbox_files_are_private_json_and_round_trip_exactly(tmp_path):
    folder = tmp_path / "demo"
    env = DemoEnvironment(folder).start()
    try:
        env.qbo.persist()
    finally:
        env.stop()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    files = list(folder.iterdir())
    assert files
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    with contextlib.closing(sqlite3.connect(folder / "demo-quickbooks.sqlite3")) as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        rows = db.execute("SELECT value FROM state").fetchall()
    assert "snapshot" not in tables and rows
    for (value,) in rows:
        assert isinstance(value, str)
        json.loads(value)  # JSON, not a pickle
    again = QuickBooksSandbox(data_file=str(folder / "demo-quickbooks.sqlite3"), recent=True)
    assert again.realms == env.qbo.realms  # Decimal and datetimes exactly, types included
    assert again.oauth.state == env.qbo.oauth.state
    for realm_id, realm in env.qbo.realms.items():
        for entity, rows_ in realm.objects.items():
            for obj_id, obj in rows_.items():
                assert json.dumps(again.realms[realm_id].objects[entity][obj_id], default=repr) == (
                    json.dumps(obj, default=repr)
                )


# ------------------------------------------------------------------ 5. read-only folder
def _without_root_overrides():
    """As root, file modes are not enforced: drop the capabilities that bypass them (the
    process stays uid 0 and owner of the files, so the owner's mode bits apply)."""
    libc = ctypes.CDLL(None, use_errno=True)
    pr_capbset_drop = 24
    for cap in (1, 2, 3):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
        if libc.prctl(pr_capbset_drop, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def test_status_and_log_work_on_a_read_only_data_folder(synced_dir):
    _, data, _ = synced_dir
    preexec = _without_root_overrides if os.geteuid() == 0 else None
    every = [data, *data.rglob("*")]
    modes = {p: stat.S_IMODE(p.stat().st_mode) for p in every}
    try:
        for p in every:
            p.chmod(0o500 if p.is_dir() else 0o400)
        probe = subprocess.run(
            ["sh", "-c", f"touch '{data}/x'"], preexec_fn=preexec, capture_output=True
        )
        assert probe.returncode != 0, "the folder is not read-only for the CLI"
        status = qbsync(data, "status", preexec=preexec)
        assert status.returncode == 0, (status.stdout, status.stderr)
        assert "acme" in status.stdout.lower() and "Traceback" not in status.stderr
        log = qbsync(data, "log", preexec=preexec)
        assert log.returncode == 0, (log.stdout, log.stderr)
        assert log.stdout.strip() and "Traceback" not in log.stderr
        sync = qbsync(data, "sync", preexec=preexec)
        assert sync.returncode == 2 and "Traceback" not in sync.stderr, sync.stderr
    finally:
        for p, mode in modes.items():
            p.chmod(mode)


# ------------------------------------------------------------------ 4. sign-in listener
def test_an_idle_local_connection_does_not_block_the_callback():
    server = LoopbackCallbackServer(expected_state="s" * 20)
    idle = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    half = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    half.sendall(b"GET /callback?state=")  # a request that never finishes
    try:
        url = f"http://127.0.0.1:{server.port}/callback?state={'s' * 20}&code=abc&realmId=1"
        got: list = []
        t = threading.Thread(target=lambda: got.append(urllib.request.urlopen(url, timeout=5)))
        t.start()
        result = server.wait(8)
        t.join(8)
        assert result.params["code"] == "abc"
        assert got and got[0].status == 200
    finally:
        idle.close()
        half.close()
        server.cancel()


def _ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _ipv6_loopback(), reason="no IPv6 loopback on this machine")
def test_localhost_redirect_is_served_on_both_loopbacks_and_a_squatter_is_refused():
    from qbsync_desktop.quickbooks.loopback import LoopbackUnavailable

    server = LoopbackCallbackServer(expected_state="t" * 20)
    try:
        assert server.redirect_uri.startswith(f"http://localhost:{server.port}/")
        # [::1] on the same port is ours: nobody else can bind it...
        with socket.socket(socket.AF_INET6) as squatter, pytest.raises(OSError):
            squatter.bind(("::1", server.port))
        # ...and a browser that resolves localhost to ::1 reaches us.
        url = f"http://[::1]:{server.port}/callback?state={'t' * 20}&code=v6"
        assert urllib.request.urlopen(url, timeout=5).status == 200
        assert server.wait(5).params["code"] == "v6"
    finally:
        server.cancel()
    # A port already taken on [::1] by another program is a clear error, not a half-bound
    # listener.
    with socket.socket(socket.AF_INET6) as squatter:
        squatter.bind(("::1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        with pytest.raises(LoopbackUnavailable) as caught:
            LoopbackCallbackServer(expected_state="u" * 20, port=port)
        assert "[::1]" in str(caught.value) and str(port) in str(caught.value)
        with socket.socket(socket.AF_INET) as v4:
            v4.bind(("127.0.0.1", port))  # nothing of ours was left bound on 127.0.0.1
