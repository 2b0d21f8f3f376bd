"""Migration 5 drops `connection.qbo_auth_base`, a column nothing read, from real files."""

from __future__ import annotations

import sqlite3

import peewee as pw
import pytest

from qbsync_desktop.store import (
    LATEST_VERSION,
    MIGRATIONS,
    Connection,
    Link,
    Run,
    atomic,
    close_store,
    current_version,
    open_store,
)

# The table as schema 4 made it (peewee's DDL for the model that still had the column).
CONNECTION_V4 = """
CREATE TABLE "connection" ("id" INTEGER NOT NULL PRIMARY KEY, "scoro_site_url" TEXT NOT NULL,
 "scoro_company_account_id" TEXT NOT NULL, "scoro_entity_name" TEXT NOT NULL,
 "scoro_base_currency" TEXT NOT NULL, "qbo_realm_id" TEXT NOT NULL,
 "qbo_company_name" TEXT NOT NULL, "qbo_home_currency" TEXT NOT NULL,
 "qbo_multicurrency" INTEGER NOT NULL, "qbo_class_tracking" TEXT NOT NULL,
 "qbo_client_id" TEXT NOT NULL, "environment" TEXT NOT NULL, "qbo_api_base" TEXT NOT NULL,
 "qbo_auth_base" TEXT NOT NULL, "redirect_uri" TEXT NOT NULL, "first_connected_at" TEXT,
 "status" TEXT NOT NULL, "status_message" TEXT NOT NULL, "created_at" TEXT NOT NULL);
CREATE UNIQUE INDEX "connection_scoro_site_url_scoro_company_account_id"
 ON "connection" ("scoro_site_url", "scoro_company_account_id");
INSERT INTO connection VALUES (7, 'https://acme.scoro.com', 'acme', 'Acme OÜ', 'EUR', '9130',
 'Acme Books', 'EUR', 0, 'off', 'client-1', 'local', 'http://127.0.0.1:8001',
 'http://127.0.0.1:8001/oauth', '', '2026-01-05 10:00:00', 'active', '', '2026-01-05 10:00:00');
"""


@pytest.fixture
def db_file(tmp_path):
    yield tmp_path / "qbsync.sqlite3"
    close_store()


def columns(path, table: str) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return [row[1] for row in con.execute(f'PRAGMA table_info("{table}")')]
    finally:
        con.close()


def write_version4_file(path) -> None:
    con = sqlite3.connect(path)
    con.executescript(CONNECTION_V4)
    con.commit()
    con.close()
    open_store(path, migrations=MIGRATIONS[:4])
    conn = Connection.get_by_id(7)
    Link.create(connection=conn, kind="customer", scoro_id="sc-12", qbo_id="qb-58")
    Run.create(connection=conn, status="ok", created=3, message="Sync finished: 3 created")
    close_store()


def test_the_unused_column_is_dropped_and_everything_else_kept(db_file):
    write_version4_file(db_file)
    assert "qbo_auth_base" in columns(db_file, "connection")

    db = open_store(db_file)

    assert current_version(db) == LATEST_VERSION
    assert "qbo_auth_base" not in columns(db_file, "connection")
    conn = Connection.get_by_id(7)
    assert (conn.scoro_entity_name, conn.qbo_api_base, conn.status) == (
        "Acme OÜ",
        "http://127.0.0.1:8001",
        "active",
    )
    link = Link.get(Link.connection == conn)
    assert (link.scoro_id, link.qbo_id) == ("sc-12", "qb-58")
    assert [(r.status, r.created) for r in conn.runs] == [("ok", 3)]
    assert db.execute_sql("PRAGMA foreign_key_check").fetchall() == []
    # A new connection needs no value for the dropped column; the unique pair still holds.
    Connection.create(scoro_site_url="https://acme.scoro.com", scoro_company_account_id="beta")
    with pytest.raises(pw.IntegrityError), atomic():
        Connection.create(scoro_site_url="https://acme.scoro.com", scoro_company_account_id="acme")
    # The copy taken before the upgrade still has it, as the file was.
    (saved,) = db_file.parent.glob("*.v4-*.backup.sqlite3")
    assert "qbo_auth_base" in columns(saved, "connection")


def test_a_file_that_never_had_the_column_upgrades_as_well(db_file):
    open_store(db_file, migrations=MIGRATIONS[:4])
    Connection.create(scoro_site_url="https://acme.scoro.com", scoro_company_account_id="acme")
    close_store()

    db = open_store(db_file)

    assert current_version(db) == LATEST_VERSION
    assert Connection.get().scoro_company_account_id == "acme"
