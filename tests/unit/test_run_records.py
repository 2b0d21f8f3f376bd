"""The run record (sync/runs.py) and the stored statuses, on a real SQLite file and a real
process that dies mid-run. No network: the run dies before it talks to either service."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from qbsync_desktop.domain import Category
from qbsync_desktop.secrets.memory import MemorySecretStore
from qbsync_desktop.store import close_store
from qbsync_desktop.store import models as m
from qbsync_desktop.sync.runs import INTERRUPTED_MESSAGE, RunRecords, summary
from qbsync_desktop.sync.service import SyncService
from qbsync_desktop.sync.types import ConnectionStatus, EventType, RunResult, RunStatus

ROOT = Path(__file__).resolve().parents[2]

# A child process that starts a run the way the app does and dies inside it (power cut,
# kill -9): the run lock is taken, the History row written "running", then nothing more.
CRASHING_RUN = textwrap.dedent(
    """
    import os, sys
    from qbsync_desktop.quickbooks.tokens import REFRESH_TOKEN_NAME
    from qbsync_desktop.secrets.memory import MemorySecretStore
    from qbsync_desktop.store import models as m
    from qbsync_desktop.sync.service import SyncService
    from qbsync_desktop.sync.wiring import SCORO_API_KEY, connection_key

    secrets = MemorySecretStore()
    svc = SyncService(sys.argv[1], secrets)
    conn = m.Connection.create(
        scoro_site_url="https://acme.scoro.com",
        scoro_company_account_id="acme",
        environment="intuit_sandbox",
        status="active",
    )
    secrets.set(connection_key(conn.id), SCORO_API_KEY, "key")
    secrets.set(connection_key(conn.id), REFRESH_TOKEN_NAME, "token")

    def die(engine):
        os._exit(9)

    svc.runner.one(conn.id, trigger="single", action=die)
    """
)


@pytest.fixture
def data(tmp_path):
    yield tmp_path / "data"
    close_store()


def raw(data: Path, sql: str) -> list[tuple]:
    con = sqlite3.connect(data / "qbsync.sqlite3")
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_a_run_cut_off_by_a_dying_process_reads_interrupted_after_a_restart(data):
    child = subprocess.run(
        [sys.executable, "-c", CRASHING_RUN, str(data)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.returncode == 9, child.stderr
    # What the dead process left: a run that never finished.
    assert raw(data, "SELECT status, finished_at FROM run") == [("running", None)]

    svc = SyncService(data, MemorySecretStore())
    try:
        (run,) = svc.history(1)
        assert run.status is RunStatus.INTERRUPTED
        assert run.finished_at is not None and run.message == INTERRUPTED_MESSAGE
        assert svc.connection(1).last_run_status == "interrupted"
    finally:
        svc.close()
    # Stored as the plain word, as before the enums.
    assert raw(data, "SELECT status FROM run") == [("interrupted",)]


def test_statuses_written_before_the_enums_read_back_and_compare_as_strings(data):
    svc = SyncService(data, MemorySecretStore())
    svc.close()
    # Rows as an earlier version wrote them: plain text, straight into the file.
    con = sqlite3.connect(data / "qbsync.sqlite3")
    con.executescript(
        """
        INSERT INTO connection (id, scoro_site_url, scoro_company_account_id, scoro_entity_name,
            scoro_base_currency, qbo_realm_id, qbo_company_name, qbo_home_currency,
            qbo_multicurrency, qbo_class_tracking, qbo_client_id, environment, qbo_api_base,
            redirect_uri, status, status_message, created_at)
        VALUES (4, 'https://acme.scoro.com', 'acme', 'Acme', 'EUR', '9130', 'Acme Books', 'USD',
            0, 'off', 'client', 'production', '', '', 'currency_blocked', 'EUR and USD',
            '2026-01-02 03:04:05');
        INSERT INTO run (connection_id, started_at, finished_at, "trigger", categories, dry_run,
            status, created, updated, unchanged, held, failed, requests, message)
        VALUES (4, '2026-01-02 03:04:05', '2026-01-02 03:05:00', 'manual', 'invoices', 0,
            'review', 2, 1, 0, 1, 0, 12, 'Sync finished: 2 created');
        """
    )
    con.commit()
    con.close()

    svc = SyncService(data, MemorySecretStore())
    try:
        info = svc.connection(4)
        assert info.status is ConnectionStatus.CURRENCY_BLOCKED
        assert info.status == "currency_blocked" and info.last_run_status == "review"
        (run,) = svc.history(4)
        assert run.status is RunStatus.REVIEW and run.status == "review"
        assert (run.created, run.updated, run.held) == (2, 1, 1)
        # A blocked connection does not run; it says why, without a History row.
        result = svc.run(4)
        assert result.status is RunStatus.FAILED and result.message == "EUR and USD"
        assert len(svc.history(4)) == 1
    finally:
        svc.close()


def test_a_finished_run_is_stored_as_plain_words_and_announced(data):
    svc = SyncService(data, MemorySecretStore())
    events = []
    svc.add_listener(events.append)
    try:
        conn = m.Connection.create(
            scoro_site_url="https://acme.scoro.com", scoro_company_account_id="acme"
        )
        records = RunRecords(data, emit=svc._emit)
        row = records.start(conn, [Category.INVOICES], "manual", dry_run=False)
        assert raw(data, "SELECT status, categories FROM run") == [("running", "invoices")]
        result = RunResult(row.id, conn.id, RunStatus.FAILED, failed=2, message="2 failed")
        assert records.finish(row, conn, result, None) == result
    finally:
        svc.close()
    assert raw(data, "SELECT status, failed, message FROM run") == [("failed", 2, "2 failed")]
    assert raw(data, "SELECT level, message FROM log_entry") == [("error", "2 failed")]
    assert [e.type for e in events] == [EventType.RUN_STARTED, EventType.RUN_FINISHED]
    assert events[-1].counts["status"] == "failed" and events[-1].level == "error"


def test_the_summary_counts_what_review_lists_now():
    class Counts:
        created, updated, linked, held, failed, totals_differ = 3, 1, 2, 1, 0, 0

    assert summary(Counts(), dry_run=False, open_items=4) == (
        "Sync finished: 3 created, 1 updated, 2 matched, 4 to review"
    )
    assert summary(Counts(), dry_run=True) == (
        "Preview: 3 created, 1 updated, 2 matched, 1 to review (nothing was changed)"
    )
