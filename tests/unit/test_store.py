"""The SQLite store on real files: modes, pragmas, constraints, upgrades, and failures."""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
from pathlib import Path

import peewee as pw
import pytest

from qbsync_desktop.store import (
    LATEST_VERSION,
    MIGRATIONS,
    Connection,
    Link,
    StoreError,
    atomic,
    close_store,
    current_version,
    open_store,
)


@pytest.fixture
def db_file(tmp_path):
    yield tmp_path / "store" / "qbsync.sqlite3"
    close_store()


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def backups(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.stem}.v*.backup{path.suffix}"))


def dump(path: Path) -> list[str]:
    """The file's schema and rows as SQL: equal dumps, equal content."""
    con = sqlite3.connect(path)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def make_connection(**extra) -> Connection:
    values = {"scoro_site_url": "https://acme.scoro.com", "scoro_company_account_id": "acme_ee"}
    return Connection.create(**(values | extra))


def test_new_store_is_private_wal_and_current(db_file):
    db = open_store(db_file)
    make_connection()  # forces the -wal and -shm files into existence

    assert mode(db_file) == 0o600
    for suffix in ("-wal", "-shm"):
        sidecar = db_file.with_name(db_file.name + suffix)
        assert sidecar.exists()
        assert mode(sidecar) == 0o600
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert current_version(db) == LATEST_VERSION == len(MIGRATIONS)
    assert backups(db_file) == []  # nothing to back up in a new file


def test_existing_loose_file_is_made_private(db_file):
    open_store(db_file)
    close_store()
    os.chmod(db_file, 0o644)
    open_store(db_file)
    assert mode(db_file) == 0o600


def test_foreign_keys_are_enforced_and_cascade(db_file):
    open_store(db_file)
    with pytest.raises(pw.IntegrityError):
        Link.create(connection=9999, kind="customer", scoro_id="1", qbo_id="1")

    conn = make_connection()
    Link.create(connection=conn, kind="customer", scoro_id="1", qbo_id="1")
    conn.delete_instance()
    assert Link.select().count() == 0


def test_link_is_unique_per_side(db_file):
    open_store(db_file)
    conn = make_connection()
    Link.create(connection=conn, kind="customer", scoro_id="s1", qbo_id="q1")

    with pytest.raises(pw.IntegrityError), atomic():
        Link.create(connection=conn, kind="customer", scoro_id="s1", qbo_id="q2")
    with pytest.raises(pw.IntegrityError), atomic():
        Link.create(connection=conn, kind="customer", scoro_id="s2", qbo_id="q1")
    # The same ids under another kind are different objects (a contact as customer and vendor).
    Link.create(connection=conn, kind="vendor", scoro_id="s1", qbo_id="q1")
    assert Link.select().count() == 2


def test_atomic_rolls_back(db_file):
    open_store(db_file)
    with pytest.raises(RuntimeError), atomic():
        make_connection()
        raise RuntimeError("boom")
    assert Connection.select().count() == 0


def _write_version0_file(path: Path) -> None:
    """A file from before migrations existed: fewer columns, no schema_version, real rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path)
    con.executescript(
        """
        CREATE TABLE connection (
            id INTEGER PRIMARY KEY,
            scoro_site_url TEXT NOT NULL,
            scoro_company_account_id TEXT NOT NULL,
            scoro_entity_name TEXT NOT NULL,
            status TEXT
        );
        CREATE TABLE link (
            id INTEGER PRIMARY KEY,
            connection_id INTEGER NOT NULL REFERENCES connection (id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            scoro_id TEXT NOT NULL,
            qbo_id TEXT NOT NULL
        );
        INSERT INTO connection VALUES (7, 'https://acme.scoro.com', 'acme_ee', 'Acme OÜ', NULL);
        INSERT INTO link VALUES (3, 7, 'customer', 'sc-12', 'qb-58');
        """
    )
    con.commit()
    con.close()


def test_upgrade_from_version0_keeps_data_and_backs_up(db_file):
    _write_version0_file(db_file)
    original = dump(db_file)

    db = open_store(db_file)

    assert current_version(db) == LATEST_VERSION
    conn = Connection.get_by_id(7)
    assert (conn.scoro_entity_name, conn.scoro_company_account_id) == ("Acme OÜ", "acme_ee")
    assert conn.environment == "production"  # column added with its default
    assert conn.qbo_multicurrency is False
    assert conn.status == "draft"  # v2's data fix
    assert conn.created_at is not None
    link = Link.get_by_id(3)
    assert (link.connection_id, link.scoro_id, link.qbo_id) == (7, "sc-12", "qb-58")
    assert link.qbo_sync_token == ""
    # v2's index is there.
    indexes = {row[0] for row in db.execute_sql("SELECT name FROM sqlite_master")}
    assert "review_item_open_by_connection" in indexes
    assert "run_connection_started_at" in indexes
    # New rows work against the upgraded schema, unique indexes included.
    with pytest.raises(pw.IntegrityError), atomic():
        Link.create(connection=conn, kind="customer", scoro_id="sc-12", qbo_id="other")

    (saved,) = backups(db_file)
    assert ".v0-" in saved.name
    assert mode(saved) == 0o600
    assert dump(saved) == original


def test_upgrade_from_version1_to_latest(db_file):
    open_store(db_file, migrations=MIGRATIONS[:1])
    make_connection(scoro_entity_name="Acme Inc")
    close_store()

    db = open_store(db_file)
    assert current_version(db) == LATEST_VERSION
    assert Connection.get().scoro_entity_name == "Acme Inc"
    (saved,) = backups(db_file)
    assert ".v1-" in saved.name
    check = sqlite3.connect(saved)
    assert check.execute("SELECT MAX(version) FROM schema_version").fetchone() == (1,)
    assert check.execute("SELECT scoro_entity_name FROM connection").fetchall() == [("Acme Inc",)]
    check.close()


def _half_done_then_fail(db):
    db.execute_sql("CREATE TABLE half_done (x INTEGER)")
    Connection.update(scoro_entity_name="changed by a broken migration").execute()
    raise ValueError("a bug in migration 3")


def test_failing_migration_rolls_back_and_keeps_backup(db_file):
    open_store(db_file)
    make_connection(scoro_entity_name="Acme OÜ")
    close_store()

    with pytest.raises(StoreError) as caught:
        open_store(db_file, migrations=[*MIGRATIONS, _half_done_then_fail])

    message = str(caught.value)
    assert "Nothing was changed" in message
    assert "a bug in migration 3" in message
    assert caught.value.backup is not None and caught.value.backup.exists()
    assert str(caught.value.backup) in message

    db = open_store(db_file)
    assert current_version(db) == LATEST_VERSION
    assert Connection.get().scoro_entity_name == "Acme OÜ"
    assert "half_done" not in db.get_tables()
    assert len(backups(db_file)) == 1


def _fill_the_disk(db):
    pages = db.execute_sql("PRAGMA page_count").fetchone()[0]
    db.execute_sql(f"PRAGMA max_page_count = {pages + 1}")
    db.execute_sql("CREATE TABLE big (blob BLOB)")
    db.execute_sql("INSERT INTO big VALUES (zeroblob(1000000))")


def test_disk_full_during_migration_is_explained(db_file):
    open_store(db_file)
    make_connection()
    close_store()

    with pytest.raises(StoreError) as caught:
        open_store(db_file, migrations=[*MIGRATIONS, _fill_the_disk])

    message = str(caught.value)
    assert "disk" in message and "full" in message
    assert "Free some disk space" in message
    assert caught.value.backup is not None and caught.value.backup.exists()
    db = open_store(db_file)
    assert current_version(db) == LATEST_VERSION
    assert Connection.select().count() == 1


def test_corrupt_file_is_explained_and_untouched(db_file):
    db_file.parent.mkdir(parents=True)
    garbage = b"this is not an sqlite database, it is a spreadsheet\n" * 200
    db_file.write_bytes(garbage)

    with pytest.raises(StoreError) as caught:
        open_store(db_file)

    message = str(caught.value)
    assert "damaged or is not a qbsync database" in message
    assert "Move the file aside" in message
    assert str(db_file) in message
    assert db_file.read_bytes() == garbage
    assert backups(db_file) == []


def test_read_only_folder_is_explained(db_file, monkeypatch):
    folder = db_file.parent
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            # Running as root: permission bits do not bind, so refuse the way the OS would.
            real_open = os.open

            def refusing_open(path, flags, *args, **kwargs):
                if Path(path).parent == folder and flags & os.O_CREAT:
                    raise PermissionError(errno.EACCES, "Permission denied", str(path))
                return real_open(path, flags, *args, **kwargs)

            monkeypatch.setattr(os, "open", refusing_open)

        with pytest.raises(StoreError) as caught:
            open_store(db_file)
    finally:
        folder.chmod(0o700)

    message = str(caught.value)
    assert "cannot write to the folder" in message
    assert str(folder) in message


def test_newer_schema_is_refused(db_file):
    open_store(db_file)
    close_store()
    with pytest.raises(StoreError, match="newer version of qbsync"):
        open_store(db_file, migrations=MIGRATIONS[:1])
