"""Opening the SQLite file: private mode, WAL, foreign keys, migrations, readable errors."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Sequence
from pathlib import Path

import peewee as pw

from . import migrations as schema
from .errors import STORE_ERRORS, StoreError, explain
from .models import database_proxy

log = logging.getLogger(__name__)

# Long enough to ride out a checkpoint or the UI reading while the engine writes; short
# enough that a second copy of the app holding a write lock shows up as an error.
BUSY_TIMEOUT_MS = 5000

PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": BUSY_TIMEOUT_MS,
    # WAL + NORMAL is durable across application crashes; only a power cut can lose the
    # last transactions, which the next sync redoes (outbox + requestid make that safe).
    "synchronous": "normal",
}


def _make_private_file(path: Path) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # O_CREAT with 0600: the file never exists, even for an instant, with a wider mode.
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(fd)
    if os.stat(path).st_mode & 0o077:
        os.chmod(path, 0o600)


def _tighten_sidecars(path: Path) -> None:
    # SQLite gives -wal/-shm the database file's permissions; this is a second line of
    # defence in case the database was created by something else.
    for suffix in ("-wal", "-shm", "-journal"):
        sidecar = path.with_name(path.name + suffix)
        with contextlib.suppress(FileNotFoundError):
            if os.stat(sidecar).st_mode & 0o077:
                os.chmod(sidecar, 0o600)


def _open_read_only(path: Path, migrations: Sequence | None) -> pw.SqliteDatabase:
    """For commands that only read (status, log): works on a read-only folder or file, and
    never creates, upgrades or writes anything."""
    if not path.exists():
        raise StoreError(
            f"There is no sync database at {path} yet: nothing has been connected with this "
            "data folder.",
            path=path,
        )
    latest = len(schema.MIGRATIONS if migrations is None else migrations)
    last: BaseException | None = None
    # mode=ro reads a WAL database alongside a running sync; in a folder where SQLite cannot
    # make the -shm index it is refused, and immutable=1 (no locking; nothing can write there
    # either) reads the file as it is.
    for params in ("mode=ro", "mode=ro&immutable=1"):
        uri = f"{path.resolve().as_uri()}?{params}"
        db = pw.SqliteDatabase(
            uri, uri=True, pragmas={"busy_timeout": BUSY_TIMEOUT_MS, "query_only": 1}
        )
        try:
            db.connect(reuse_if_open=True)
            version = schema.current_version(db)
        except STORE_ERRORS as exc:
            _close_quietly(db)
            last = exc
            continue
        if version != latest:
            _close_quietly(db)
            raise StoreError(
                f"The sync database {path} needs an upgrade (schema {version}, this version "
                f"uses {latest}), which cannot be done while it is read-only. Run qbsync once "
                "with write access to the data folder.",
                path=path,
            )
        if database_proxy.obj is not None and database_proxy.obj is not db:
            close_store()
        database_proxy.initialize(db)
        return db
    assert last is not None
    raise explain(last, path) from last


def open_store(
    path: str | os.PathLike[str],
    *,
    migrations: Sequence | None = None,
    read_only: bool = False,
) -> pw.SqliteDatabase:
    """Open (creating if needed) and upgrade the database, and bind the models to it.

    `migrations` replaces the built-in list (tests). `read_only`: open without creating,
    upgrading or writing anything. Raises StoreError.
    """
    path = Path(path)
    if read_only:
        return _open_read_only(path, migrations)
    try:
        _make_private_file(path)
    except OSError as exc:
        raise explain(exc, path, action="create") from exc

    db = pw.SqliteDatabase(str(path), pragmas=PRAGMAS)
    try:
        db.connect(reuse_if_open=True)
        mode = db.execute_sql("PRAGMA journal_mode").fetchone()[0]
        if str(mode).lower() != "wal":
            # Network file systems cannot do WAL; SQLite then keeps its rollback journal,
            # which is slower with the UI reading while a sync writes, but correct.
            log.warning("SQLite kept journal_mode=%s for %s (WAL unavailable)", mode, path)
        _tighten_sidecars(path)
    except STORE_ERRORS as exc:
        _close_quietly(db)
        raise explain(exc, path) from exc

    try:
        schema.migrate(db, path, schema.MIGRATIONS if migrations is None else migrations)
    except StoreError:
        _close_quietly(db)
        raise
    _tighten_sidecars(path)
    # Opening another file (switching the data folder) replaces the store bound before,
    # but only once the new one has opened and upgraded cleanly.
    if database_proxy.obj is not None and database_proxy.obj is not db:
        close_store()
    database_proxy.initialize(db)
    return db


def _close_quietly(db: pw.Database) -> None:
    with contextlib.suppress(*STORE_ERRORS):
        db.close()


def close_store() -> None:
    """Close the bound database (checkpointing the WAL) and unbind the models."""
    db = database_proxy.obj
    if db is None:
        return
    with contextlib.suppress(*STORE_ERRORS):
        if not db.is_closed() and not _is_read_only(db):
            # Fold the WAL back into the main file so a copied/backed-up .sqlite3 is whole.
            db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    _close_quietly(db)
    database_proxy.initialize(None)


def _is_read_only(db: pw.Database) -> bool:
    return "mode=ro" in str(db.database)


def atomic():
    """One transaction (or a savepoint inside one) on the open store."""
    return database_proxy.atomic()
