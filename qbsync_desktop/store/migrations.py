"""Numbered schema migrations (Vorta's pattern: back up, then upgrade in one transaction).

MIGRATIONS[i] takes the schema from version i to version i + 1. Append only: never edit or
reorder a migration that has shipped, since users' files record which ones they have run.
Version 0 is any file without a `schema_version` row: a new file, or one written before
migrations existed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

import peewee as pw
from playhouse.migrate import SqliteMigrator

from .errors import STORE_ERRORS, StoreError, backup_note, explain
from .models import (
    ALL_MODELS,
    Connection,
    ReviewItem,
    Run,
    SchemaVersion,
    TargetMapping,
    WriteGeneration,
)

log = logging.getLogger(__name__)

Migration = Callable[[pw.SqliteDatabase], None]


def _v1_create_tables(db: pw.SqliteDatabase) -> None:
    """All tables of the models. A table that already exists (a pre-migration file) gets the
    columns it lacks, with their defaults, so its rows are kept."""
    migrator = SqliteMigrator(db)
    existing = set(db.get_tables())
    for model in ALL_MODELS:
        table = model._meta.table_name
        if table not in existing:
            continue
        have = {column.name for column in db.get_columns(table)}
        for field in model._meta.sorted_fields:
            if field.column_name not in have:
                migrator.add_column(table, field.column_name, field).run()
    # safe=True: CREATE TABLE/INDEX IF NOT EXISTS, which also adds missing indexes.
    db.create_tables(ALL_MODELS, safe=True)


def _v2_history_and_review_indexes(db: pw.SqliteDatabase) -> None:
    """The log pane lists a connection's runs newest first, and the review badge counts open
    items on every refresh; both scanned whole tables without these."""
    run = Run._meta.table_name
    review = ReviewItem._meta.table_name
    connection_fk = Run.connection.column_name
    db.execute_sql(
        f'CREATE INDEX IF NOT EXISTS "{run}_connection_started_at" '
        f'ON "{run}" ("{connection_fk}", "started_at" DESC)'
    )
    db.execute_sql(
        f'CREATE INDEX IF NOT EXISTS "{review}_open_by_connection" '
        f'ON "{review}" ("{ReviewItem.connection.column_name}") WHERE "status" = \'open\''
    )
    # Rows written before `Connection.status` existed in its current form may hold NULL.
    Connection.update(status="draft").where(Connection.status.is_null()).execute()


def _v3_write_generations(db: pw.SqliteDatabase) -> None:
    """Requestids of creates no longer follow the record's content (a renumbered invoice kept
    its identity only by chance); a refused create moves a generation instead."""
    db.create_tables([WriteGeneration], safe=True)


def _v4_target_mappings(db: pw.SqliteDatabase) -> None:
    """ "Fix it here" in Review: an outdated tax rate mapped to a current QuickBooks rate, a
    contact's documents in another currency sent to a separate QuickBooks contact."""
    db.create_tables([TargetMapping], safe=True)


def _v5_drop_connection_auth_base(db: pw.SqliteDatabase) -> None:
    """`connection.qbo_auth_base` was never read: the sign-in address follows from the
    environment and `qbo_api_base`. Dropped because it is NOT NULL without a default in the
    file, so rows made without it would be refused. A file that never had it is left as it is."""
    table = Connection._meta.table_name
    if "qbo_auth_base" in {column.name for column in db.get_columns(table)}:
        # ALTER TABLE ... DROP COLUMN (SQLite 3.35+) keeps row ids, indexes and the rows
        # that refer to them. An older SQLite gets peewee's copy-and-rename instead, safe
        # because foreign keys are off while migrations run (see _apply).
        SqliteMigrator(db).drop_column(table, "qbo_auth_base").run()


MIGRATIONS: list[Migration] = [
    _v1_create_tables,
    _v2_history_and_review_indexes,
    _v3_write_generations,
    _v4_target_mappings,
    _v5_drop_connection_auth_base,
]

LATEST_VERSION = len(MIGRATIONS)


def current_version(db: pw.SqliteDatabase) -> int:
    if SchemaVersion._meta.table_name not in db.get_tables():
        return 0
    with db.bind_ctx([SchemaVersion]):
        value = SchemaVersion.select(pw.fn.MAX(SchemaVersion.version)).scalar()
    return int(value or 0)


def _backup_path(path: Path, version: int) -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    candidate = path.with_name(f"{path.stem}.v{version}-{stamp}.backup{path.suffix}")
    counter = 1
    while candidate.exists():
        counter += 1
        candidate = path.with_name(f"{path.stem}.v{version}-{stamp}-{counter}.backup{path.suffix}")
    return candidate


def backup(db: pw.SqliteDatabase, path: Path, version: int) -> Path:
    """A consistent copy next to the file. SQLite's backup API rather than a file copy: in
    WAL mode the main file alone can lack recently committed pages."""
    target = _backup_path(path, version)
    fd = os.open(target, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    try:
        dest = sqlite3.connect(str(target))
        try:
            db.connection().backup(dest)
        finally:
            dest.close()
    except BaseException:
        with contextlib.suppress(OSError):
            target.unlink()
        raise
    return target


def migrate(db: pw.SqliteDatabase, path: Path, migrations: Sequence[Migration]) -> int:
    """Bring `db` to len(migrations). Returns the version it is at."""
    try:
        version = current_version(db)
    except STORE_ERRORS as exc:
        raise explain(exc, path) from exc
    latest = len(migrations)
    if version > latest:
        raise StoreError(
            f"The sync database {path} was written by a newer version of qbsync (schema "
            f"{version}; this version knows up to {latest}). Install the newer version again, "
            "or move the file aside to start afresh.",
            path=path,
        )
    if version == latest:
        return version

    saved: Path | None = None
    try:
        # A new file (connecting in WAL mode already wrote its header) holds nothing to save.
        if path.stat().st_size > 0 and db.get_tables():
            saved = backup(db, path, version)
            log.info("Backed up %s to %s before upgrading from schema %d", path, saved, version)
    except STORE_ERRORS as exc:
        raise explain(exc, path, action="back up") from exc

    try:
        with db.bind_ctx(ALL_MODELS, bind_refs=False, bind_backrefs=False):
            _apply(db, version, migrations)
    except STORE_ERRORS as exc:
        raise explain(exc, path, action="upgrade", backup=saved) from exc
    except Exception as exc:
        raise StoreError(
            f"qbsync could not upgrade the sync database {path} from version {version} "
            f"({type(exc).__name__}: {exc}). Nothing was changed: the upgrade was undone and "
            "the database is as it was. Please send the log file to support." + backup_note(saved),
            path=path,
            backup=saved,
        ) from exc
    log.info("Upgraded %s from schema %d to %d", path, version, latest)
    return latest


def _apply(db: pw.SqliteDatabase, version: int, migrations: Sequence[Migration]) -> None:
    """Every pending migration in one transaction, so a failure leaves the file exactly as it
    was, not half-way between two versions."""
    # Table rebuilds (adding NOT NULL columns) drop and re-create tables; with foreign keys on,
    # that would cascade-delete child rows. The pragma is ignored inside a transaction, so it
    # is switched off around it, and the keys are checked before committing instead.
    db.pragma("foreign_keys", 0)
    try:
        with db.atomic():
            for number in range(version + 1, len(migrations) + 1):
                with db.atomic():
                    migrations[number - 1](db)
                    SchemaVersion.create(version=number)
            broken = db.execute_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"{len(broken)} rows refer to rows that do not exist")
    finally:
        db.pragma("foreign_keys", 1)
