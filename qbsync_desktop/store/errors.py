"""The one error type the store raises, worded for the bookkeeper."""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import tempfile
from pathlib import Path

import peewee as pw

from ..domain.errors import QbsyncError


class StoreError(QbsyncError):
    """The sync database could not be used. `str()` is a message for the bookkeeper: what
    happened and what to do. `backup` is the copy made before an upgrade, if any."""

    def __init__(self, message: str, *, path: Path | None = None, backup: Path | None = None):
        super().__init__(message)
        self.path = path
        self.backup = backup


def backup_note(backup: Path | None) -> str:
    return f" A copy of the database as it was is kept at {backup}." if backup else ""


# No space: the disk is full, the user's quota is used up, or the file size limit is reached.
SPACE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
_PROBE_BYTES = 64 * 1024


def out_of_space(folder: Path) -> bool:
    """Whether `folder` cannot take a small write for lack of space. SQLite reports a full
    disk as "disk I/O error" or "unable to open database file" when it hits it while making
    its -wal/-shm files, so an ambiguous error is checked against the disk itself."""
    with contextlib.suppress(OSError, AttributeError):
        st = os.statvfs(folder)
        if st.f_bavail * st.f_frsize < _PROBE_BYTES:
            return True
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".qbsync-space-", suffix=".tmp")
    except OSError as exc:
        return exc.errno in SPACE_ERRNOS
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(b"\0" * _PROBE_BYTES)
            fh.flush()
    except OSError as exc:
        return exc.errno in SPACE_ERRNOS
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    return False


def _errno_in_chain(chain: list[BaseException]) -> set[int]:
    return {code for e in chain if isinstance(code := getattr(e, "errno", None), int)}


def explain(
    exc: BaseException, path: Path, *, action: str = "open", backup: Path | None = None
) -> StoreError:
    """Turn a sqlite/peewee/OS error into a StoreError a bookkeeper can act on.

    `action` completes "qbsync could not ... the sync database": open, create, back up, upgrade.
    """
    # SQLite rolls a transaction back by itself on some errors (a full disk among them); the
    # rollback peewee then attempts fails and hides the real cause in __context__.
    chain: list[BaseException] = []
    cause: BaseException | None = exc
    while cause is not None and cause not in chain:
        chain.append(cause)
        cause = cause.__cause__ or cause.__context__
    text = " | ".join(str(e) for e in chain).lower()
    shown = chain[-1] if "no transaction is active" in str(exc) else exc
    failed = f"qbsync could not {action} the sync database {path}"
    if "file is not a database" in text or "malformed" in text:
        message = (
            f"{failed}: the file is damaged or is not a qbsync database. Nothing was changed. "
            "Move the file aside (or put back one of the backup copies from the same folder) "
            "and start qbsync again; it will create a new database, and the next sync matches "
            "records that already exist on both sides by name and number."
        )
    elif (
        "disk is full" in text
        or _errno_in_chain(chain) & SPACE_ERRNOS
        or (
            any(w in text for w in ("disk i/o error", "unable to open", "readonly", "read-only"))
            and out_of_space(path.parent)
        )
    ):
        message = (
            f"{failed}: there is no space left on the disk holding {path.parent}. Nothing was "
            "lost: the change was undone. Free some disk space and try again."
        )
    elif (
        "readonly" in text
        or "read-only" in text
        or "unable to open database" in text
        or isinstance(exc, PermissionError)
        or getattr(exc, "errno", None) == errno.EROFS
    ):
        message = (
            f"{failed}: it cannot write to the folder {path.parent}. Check that the folder "
            "exists and that your user account may write to it, or start qbsync with another "
            "data folder (QBSYNC_DATA_DIR)."
        )
    elif "locked" in text or "busy" in text:
        message = (
            f"{failed}: another program is using it (another copy of qbsync?). Close it and "
            "try again."
        )
    else:
        message = (
            f"{failed} ({type(shown).__name__}: {shown}). Nothing was changed. If this keeps "
            "happening, send the log file to support."
        )
    return StoreError(message + backup_note(backup), path=path, backup=backup)


STORE_ERRORS = (pw.DatabaseError, pw.InterfaceError, sqlite3.Error, OSError)
