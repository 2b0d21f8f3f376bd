"""Disk and database trouble at the service and CLI level: an unwritable data dir, a full
disk (SQLite max_page_count), a corrupt database file, a migration that fails halfway. Each
ends with a clear message (CLI exit code 2, no traceback), the backup kept, nothing lost."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

from qbsync_desktop.secrets.memory import MemorySecretStore
from qbsync_desktop.store import migrations as mig
from qbsync_desktop.store import models as m
from qbsync_desktop.store.errors import StoreError
from qbsync_desktop.sync.service import SyncService
from tests.support.books_content import duplicates
from tests.support.environments import cli_call, fast_options


def qbsync(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(**cli_call(data_dir, "memory", *args), capture_output=True, timeout=60)


def clear_failure(proc: subprocess.CompletedProcess, *words: str) -> None:
    text = proc.stdout + proc.stderr
    assert proc.returncode == 2, (proc.returncode, text)
    assert "Traceback" not in text, text
    assert any(w.lower() in text.lower() for w in words), text


def test_unwritable_data_dir_is_a_clear_message(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    clear_failure(qbsync(blocker / "data", "status"), "could not", "cannot", "not a directory")
    if os.geteuid() != 0:  # root ignores file modes
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(0o500)
        try:
            clear_failure(qbsync(ro, "status"), "permission", "could not", "cannot")
        finally:
            ro.chmod(0o700)


def test_corrupt_database_is_explained_and_kept(tmp_path):
    data = tmp_path / "data"
    SyncService(data, MemorySecretStore()).close()
    db = data / "qbsync.sqlite3"
    for side in ("-wal", "-shm"):
        Path(f"{db}{side}").unlink(missing_ok=True)
    garbage = b"this is not a database" * 200
    db.write_bytes(garbage)
    with pytest.raises(StoreError) as caught:
        SyncService(data, MemorySecretStore())
    assert "qbsync.sqlite3" in str(caught.value)
    clear_failure(qbsync(data, "status"), "damaged", "corrupt", "not a database")
    assert db.read_bytes() == garbage, "the damaged file is kept for recovery, not replaced"


def test_migration_failing_halfway_keeps_data_and_backup(tmp_path, rworld):
    w = rworld()
    cid = w.connect().id
    w.svc.run(cid)
    links = m.Link.select().count()
    data = w.svc.data_dir
    w.svc.close()

    def half_done_then_fail(db):
        db.execute_sql("UPDATE link SET qbo_id = 'broken'")
        raise ValueError("a bug in the new migration")

    mig.MIGRATIONS.append(half_done_then_fail)
    try:
        with pytest.raises(StoreError) as caught:
            SyncService(data, MemorySecretStore())
    finally:
        mig.MIGRATIONS.remove(half_done_then_fail)
    message = str(caught.value)
    assert "backup" in message.lower(), message
    backups = list(data.glob("qbsync.v*.backup.sqlite3"))
    assert backups, list(data.iterdir())
    for path in (data / "qbsync.sqlite3", backups[0]):
        with sqlite3.connect(path) as con:
            rows = con.execute("SELECT count(*), sum(qbo_id = 'broken') FROM link").fetchone()
        assert rows[0] == links and not rows[1], (path, rows)
    again = SyncService(data, w.svc.secrets, connector_options=fast_options())
    try:
        assert again.run(cid).created == 0
    finally:
        again.close()


def test_disk_full_during_a_sync_fails_cleanly_and_resumes(rworld):
    w = rworld(scoro_size={"base": "demo", "extra_invoices": 60})
    cid = w.connect().id
    db = w.svc.db
    pages = db.execute_sql("PRAGMA page_count").fetchone()[0]
    db.execute_sql(f"PRAGMA max_page_count = {pages + 2}")
    full = w.svc.run(cid)
    assert full.status == "failed", full
    assert "disk" in full.message.lower() or "full" in full.message.lower(), full.message
    assert "Traceback" not in full.message
    db.execute_sql("PRAGMA max_page_count = 1073741823")
    for _ in range(3):
        done = w.svc.run(cid)
        if done.status in ("ok", "review") and done.failed == 0:
            break
    assert done.status in ("ok", "review"), done.message
    assert w.svc.run(cid).created == 0
    assert duplicates(w.env) == []
