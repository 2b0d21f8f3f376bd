"""Company: several qbsync processes on one data folder at once (cron overlapping itself, the
app and a scheduled CLI), with QuickBooks rotating the refresh token on every refresh.

One run per connection across processes (an OS lock in the data folder): the others say so
and exit 2. Token refresh is single-flight across processes, and an `invalid_grant` for a
token someone else already rotated is retried with the stored one, never "reconnect needed".
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from werkzeug.test import EnvironBuilder

from qbsync_desktop.domain.errors import ConnectionBusy
from qbsync_desktop.quickbooks.tokens import REFRESH_TOKEN_NAME
from qbsync_desktop.secrets.factory import SECRETS_FILE_NAME
from qbsync_desktop.secrets.file import FileSecretStore
from qbsync_desktop.store import models as m
from qbsync_desktop.sync.service import SyncService
from qbsync_desktop.sync.wiring import connection_key
from tests.support.books_content import duplicates
from tests.support.environments import ROOT, cli_call, make_env

from .test_crashes import connected_dir


def slow_refreshes(env, seconds: float) -> list[str]:
    """Every refresh rotates and is held `seconds` on the server (so processes overlap);
    returns the list the refresh tokens sent are appended to."""
    env.qbo.settings.update({"rotate_refresh_every_time": True})
    original = env.qbo.oauth._refresh
    sent: list[str] = []

    def held(client, request):
        sent.append(request.form.get("refresh_token", ""))
        time.sleep(seconds)
        return original(client, request)

    env.qbo.oauth._refresh = held
    return sent


def status_of(data: Path, cid: int) -> str:
    svc = SyncService(data, FileSecretStore(data / SECRETS_FILE_NAME))
    try:
        return m.Connection.get_by_id(cid).status
    finally:
        svc.close()


def test_four_syncs_at_once_run_one_at_a_time_and_never_lose_the_sign_in(tmp_path):
    env = make_env("demo", {"base": "demo", "extra_invoices": 40}).start()
    try:
        data = tmp_path / "cli"
        cid = connected_dir(env, data)
        slow_refreshes(env, 0.4)
        procs = [
            subprocess.Popen(
                **cli_call(data, "file", "sync", "--json"),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            for _ in range(4)
        ]
        results = [(p.wait(timeout=300), *p.communicate()) for p in procs]
        codes = sorted(r[0] for r in results)
        for code, out, err in results:
            assert "Traceback" not in err, err
            assert code in (0, 1, 2), (code, out, err)
            if code == 2:
                # The others were told plainly, at once, and did nothing.
                assert "already running" in err, err
                assert len(err.strip().splitlines()) == 1, err
                assert out.strip() == "", out
        assert any(c in (0, 1) for c in codes), results
        print("\nFOUR AT ONCE exit codes", codes)
        assert status_of(data, cid) == "active"
        # The stored refresh token still works: one more run signs in and has nothing to do.
        again = subprocess.run(**cli_call(data, "file", "sync", "--json"), capture_output=True)
        assert again.returncode in (0, 1), again.stderr
        assert '"created": 0' in again.stdout, again.stdout
        assert duplicates(env) == []
    finally:
        env.stop()


REFRESH_SNIPPET = """
import sys
from pathlib import Path
from qbsync_desktop.secrets.file import FileSecretStore
from qbsync_desktop.sync.service import SyncService
data = Path(sys.argv[1])
svc = SyncService(data, FileSecretStore(data / "secrets.json"))
check = svc.check_currencies(int(sys.argv[2]))  # reads QuickBooks: a fresh token is needed
print("ok", check.ok)
svc.close()
"""


def test_token_refresh_is_single_flight_across_processes(tmp_path):
    env = make_env().start()
    try:
        data = tmp_path / "cli"
        cid = connected_dir(env, data)
        assert SECRETS_FILE_NAME == "secrets.json"
        sent = slow_refreshes(env, 0.3)
        store = FileSecretStore(data / SECRETS_FILE_NAME)
        before = store.get(connection_key(cid), REFRESH_TOKEN_NAME)
        call = cli_call(data, "file")
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", REFRESH_SNIPPET, str(data), str(cid)],
                cwd=ROOT,
                env=call["env"],
                text=True,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            for _ in range(4)
        ]
        results = [(p.wait(timeout=120), *p.communicate()) for p in procs]
        for code, out, err in results:
            assert code == 0 and out.startswith("ok"), (code, out, err[-2000:])
        # One refresh at a time, each with the token the previous one stored.
        assert len(sent) == 4 and len(set(sent)) == 4, "a rotated token was sent again"
        assert sent[0] == before
        after = store.get(connection_key(cid), REFRESH_TOKEN_NAME)
        assert after not in sent, "the last rotation was stored"
        assert status_of(data, cid) == "active"
    finally:
        env.stop()


def test_invalid_grant_for_a_token_rotated_elsewhere_is_retried_not_reconnect(tmp_path):
    """Another machine (not sharing our lock) rotates the token twice while our refresh is
    on the wire: QuickBooks refuses ours (invalid_grant), the stored one is newer, so the
    refresh is retried with it and the run goes on."""
    env = make_env().start()
    try:
        data = tmp_path / "cli"
        cid = connected_dir(env, data)
        env.qbo.settings.update({"rotate_refresh_every_time": True})
        store = FileSecretStore(data / SECRETS_FILE_NAME)
        key = connection_key(cid)
        original = env.qbo.oauth._refresh
        calls: list[str] = []
        elsewhere: list[str] = []

        def rotate_elsewhere(client, sent: str) -> str:
            # Another machine's refresh, answered by the same server (which serves token
            # requests one at a time, so it runs here, while ours is on the wire).
            request = EnvironBuilder(method="POST", data={"refresh_token": sent}).get_request()
            return json.loads(original(client, request).get_data())["refresh_token"]

        def first_held(client, request):
            calls.append(request.form.get("refresh_token", ""))
            if len(calls) == 1:
                token = store.get(key, REFRESH_TOKEN_NAME)
                for _ in range(2):  # ours is now neither current nor in its grace period
                    token = rotate_elsewhere(client, token)
                store.set(key, REFRESH_TOKEN_NAME, token)
                elsewhere.append(token)
            return original(client, request)

        env.qbo.oauth._refresh = first_held
        proc = subprocess.Popen(
            **cli_call(data, "file", "sync", "--json"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        out, err = proc.communicate(timeout=300)
        assert proc.returncode in (0, 1), (proc.returncode, out, err)
        assert '"reconnect_needed"' not in out
        assert elsewhere, "the CLI never refreshed"
        token = elsewhere[0]
        # The first refresh was refused; the retry sent the token the other machine stored.
        assert calls[:2] == [calls[0], token], calls
        assert status_of(data, cid) == "active"
        assert store.get(key, REFRESH_TOKEN_NAME) not in (None, token)
    finally:
        env.stop()


def test_a_run_held_by_another_process_stops_the_cli_and_the_app_with_a_message(rworld):
    from qbsync_desktop.sync import runlock

    w = rworld()
    cid = w.connect().id
    data = w.svc.data_dir
    path = runlock.run_lock_path(data, cid)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from qbsync_desktop.sync.runlock import InterProcessLock\n"
            "lock = InterProcessLock(sys.argv[1]); lock.acquire(what='automatic sync')\n"
            "print('held', flush=True); time.sleep(60)\n",
            str(path),
        ],
        cwd=ROOT,
        env=cli_call(data, "memory")["env"],
        text=True,
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        # The app's run (same service the GUI uses) is refused with a clear message.
        with pytest.raises(ConnectionBusy) as caught:
            w.svc.run(cid)
        assert "already running" in str(caught.value)
        assert f"process {holder.pid}" in str(caught.value), str(caught.value)
        assert time.monotonic() - started < 10
        cli = subprocess.run(**cli_call(data, "memory", "sync"), capture_output=True, timeout=60)
        assert cli.returncode == 2, (cli.stdout, cli.stderr)
        assert "already running" in cli.stderr and "Traceback" not in cli.stderr
        runs = m.Run.select().where(m.Run.connection == cid).count()
    finally:
        holder.kill()
        holder.wait()
    # Once the holder is gone (killed: the OS released its lock), runs start again.
    assert w.svc.run(cid).status in ("ok", "review")
    assert m.Run.select().where(m.Run.connection == cid).count() == runs + 1
