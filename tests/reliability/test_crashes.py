"""Crashes: the CLI sync is SIGKILLed at random points of an initial sync (sandboxes in this
process, the CLI in its own, over HTTP) and run again after each kill. The end state must
equal an uninterrupted run: nothing duplicated, nothing missing, links consistent with both
sides. A kill in the middle of a token refresh must leave a refresh token that still works."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from qbsync_desktop.quickbooks.tokens import REFRESH_TOKEN_NAME
from qbsync_desktop.secrets.factory import SECRETS_FILE_NAME
from qbsync_desktop.secrets.file import FileSecretStore
from qbsync_desktop.store import models as m
from qbsync_desktop.sync.service import SyncService
from qbsync_desktop.sync.wiring import connection_key
from tests.fixtures.world import World
from tests.support.books_content import business_content, content_diff, duplicates, link_problems
from tests.support.environments import cli_call, fast_options, make_env


def cli(data_dir: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        **cli_call(data_dir, "file", *args), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def connected_dir(env, data_dir: Path) -> int:
    """Connect acme_ee in-process with the file secret store the CLI will read."""
    secrets = FileSecretStore(data_dir / SECRETS_FILE_NAME)
    svc = SyncService(data_dir, secrets)
    try:
        info = World(env, svc).connect("acme_ee")
        return info.id
    finally:
        svc.close()


def requests_seen(env) -> int:
    return env.qbo.stats()["total_requests"] + env.scoro.stats.snapshot()["requests_total"]


def reference(tmp_path: Path, scoro_size) -> dict:
    env = make_env("demo", scoro_size).start()
    try:
        from qbsync_desktop.secrets.memory import MemorySecretStore

        svc = SyncService(tmp_path / "ref", MemorySecretStore(), connector_options=fast_options())
        info = World(env, svc).connect("acme_ee")
        for _ in range(2):
            svc.run(info.id)
        svc.close()
        return business_content(env)
    finally:
        env.stop()


def kill_and_rerun(tmp_path: Path, documents: int, kills: int, seed: int) -> dict:
    scoro_size = {"base": "demo", "extra_invoices": documents}
    expected = reference(tmp_path, scoro_size)
    env = make_env("demo", scoro_size).start()
    rng = random.Random(seed)
    data = tmp_path / "cli"
    figures = {"documents": documents, "kills": 0, "killed_after_requests": [], "exit": []}
    started = time.monotonic()
    try:
        cid = connected_dir(env, data)
        while figures["kills"] < kills:
            base = requests_seen(env)
            threshold = rng.randint(1, 120)
            proc = cli(data, "sync")
            while proc.poll() is None and requests_seen(env) - base < threshold:
                time.sleep(0.005)
            if proc.poll() is not None:
                out, err = proc.communicate()
                figures["exit"].append(proc.returncode)
                assert proc.returncode in (0, 1), (proc.returncode, out, err)
                break  # the sync finished before the chosen point: nothing left to kill
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            figures["kills"] += 1
            figures["killed_after_requests"].append(requests_seen(env) - base)
        for _ in range(2):  # finish, then confirm there is nothing left to do
            proc = cli(data, "sync", "--json")
            out, err = proc.communicate(timeout=600)
            figures["exit"].append(proc.returncode)
            assert proc.returncode in (0, 1), (proc.returncode, out, err)
        assert '"created": 0' in out and '"updated": 0' in out, (proc.returncode, out, err[-3000:])
        figures["seconds"] = round(time.monotonic() - started, 1)
        assert duplicates(env) == []
        problems = content_diff(business_content(env), expected)
        assert not problems, "\n".join(problems)
        svc = SyncService(data, FileSecretStore(data / SECRETS_FILE_NAME))
        try:
            assert link_problems(env, svc, cid) == []
            assert m.Outbox.select().count() == 0
        finally:
            svc.close()
    finally:
        env.stop()
    print("\nCRASH FIGURES", figures)
    return figures


def test_sigkill_during_initial_sync_loses_and_duplicates_nothing(tmp_path):
    figures = kill_and_rerun(tmp_path, documents=200, kills=8, seed=7)
    assert figures["kills"] >= 6, figures


@pytest.mark.slow
def test_sigkill_20_times_during_a_1000_document_initial_sync(tmp_path):
    figures = kill_and_rerun(tmp_path, documents=1000, kills=20, seed=11)
    assert figures["kills"] >= 20, figures


def test_sigkill_during_token_refresh_leaves_a_working_refresh_token(tmp_path):
    env = make_env().start()
    try:
        data = tmp_path / "cli"
        cid = connected_dir(env, data)
        # Every refresh rotates, and the sandbox holds the refresh request until the CLI
        # has been killed: the rotation commits on the server, its answer is lost.
        env.qbo.settings.update({"rotate_refresh_every_time": True})
        arrived, release = threading.Event(), threading.Event()
        original = env.qbo.oauth._refresh

        def held_refresh(client, request):
            arrived.set()
            release.wait(10)
            return original(client, request)

        env.qbo.oauth._refresh = held_refresh
        store = FileSecretStore(data / SECRETS_FILE_NAME)
        key = connection_key(cid)
        before = store.get(key, REFRESH_TOKEN_NAME)
        proc = cli(data, "sync")
        assert arrived.wait(60), "the CLI never refreshed its access token"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        release.set()
        time.sleep(0.3)
        env.qbo.oauth._refresh = original
        stored = store.get(key, REFRESH_TOKEN_NAME)
        assert stored == before, "nothing half-written: the store still holds the last token"
        # The server rotated meanwhile; the stored (previous) token is inside its grace
        # period, so the next run signs in with it and syncs.
        proc = cli(data, "sync")
        out, err = proc.communicate(timeout=300)
        assert proc.returncode in (0, 1), (proc.returncode, out, err)
        assert store.get(key, REFRESH_TOKEN_NAME) not in (None, before), "rotated and saved"
    finally:
        env.stop()


def _renumber_some(env, rng: random.Random, count: int, round_no: int) -> dict[str, str]:
    """As a bookkeeper would while the app is down: rename some Scoro invoices."""
    import requests

    rows = [
        (rid, str(r["no"]))
        for rid, r in env.scoro.store.table("acme_ee", "invoices").items()
        if r.get("_deleted") is None and r.get("no") and not r.get("credited_invoices")
    ]
    renamed = {}
    for rid, number in rng.sample(rows, min(count, len(rows))):
        new = f"{number}-R{round_no}"
        requests.post(
            f"{env.scoro_url}/_sandbox/edit",
            json={"company_account_id": "acme_ee", "module": "invoices", "id": rid,
                  "changes": {"no": new}},
            timeout=10,
        ).raise_for_status()  # fmt: skip
        renamed[number] = new
    return renamed


def kill_renumber_and_rerun(tmp_path: Path, documents: int, kills: int, seed: int) -> dict:
    env = make_env("demo", {"base": "demo", "extra_invoices": documents}).start()
    rng = random.Random(seed)
    data = tmp_path / "cli"
    figures = {"documents": documents, "kills": 0, "renumbered": 0}
    old_numbers: set[str] = set()
    try:
        connected_dir(env, data)
        while figures["kills"] < kills:
            base = requests_seen(env)
            threshold = rng.randint(5, 120)
            proc = cli(data, "sync")
            while proc.poll() is None and requests_seen(env) - base < threshold:
                time.sleep(0.005)
            if proc.poll() is not None:
                proc.communicate()
                break
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            figures["kills"] += 1
            renamed = _renumber_some(env, rng, 6, figures["kills"])
            figures["renumbered"] += len(renamed)
            old_numbers.update(renamed)
        for _ in range(2):
            proc = cli(data, "sync", "--json")
            out, err = proc.communicate(timeout=600)
            assert proc.returncode in (0, 1), (proc.returncode, out, err[-3000:])
        assert '"created": 0' in out, out
        assert duplicates(env) == []
        current = {
            str(r["no"])
            for r in env.scoro.store.table("acme_ee", "invoices").values()
            if r.get("_deleted") is None
        }
        realm = env.pairs[0].realm_id
        numbers = [str(o.get("DocNumber")) for o in env.qbo.realms[realm].table("Invoice").values()]
        orphans = sorted((set(numbers) & old_numbers) - current)
        assert orphans == [], f"QuickBooks kept invoices under numbers renamed since: {orphans}"
    finally:
        env.stop()
    print("\nRENUMBER FIGURES", figures)
    return figures


def test_sigkill_then_renumbering_makes_no_duplicates_or_orphans(tmp_path):
    figures = kill_renumber_and_rerun(tmp_path, documents=120, kills=4, seed=5)
    assert figures["kills"] >= 3 and figures["renumbered"] >= 12, figures


@pytest.mark.slow
def test_sigkill_20_times_with_renumbering_over_1000_documents(tmp_path):
    figures = kill_renumber_and_rerun(tmp_path, documents=1000, kills=20, seed=13)
    assert figures["kills"] >= 20, figures
