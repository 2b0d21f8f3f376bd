"""Locks between processes (and machines sharing a data folder): one run per connection, one
token refresh per connection.

An OS file lock in `<data folder>/locks/` (flock on POSIX, msvcrt on Windows). The operating
system releases it when the holder exits, however it exits (SIGKILL, power off of a client of
a network share): a lock can never be left behind by a crash, so there is nothing to clean up
and no stale-lock heuristics. The holder writes who it is into the file, for the message the
next process shows ("already running: process 1234 on host, since 10:02").
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import socket
import sys
import time
from pathlib import Path

LOCKS_DIR = "locks"

# sys.platform rather than os.name: type checkers follow it and skip the other branch.
if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    # Lock a byte far beyond the holder's note, so the note stays readable to others.
    _WIN_OFFSET = 0x7FFFFFF0

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, _WIN_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, _WIN_OFFSET, os.SEEK_SET)
        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        # flock: held per open file, so two opens in one process also exclude each other; on
        # Linux NFS and SMB mounts it is carried out as a byte-range lock on the server.
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                return False
            raise
        return True

    def _unlock(fd: int) -> None:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)


def locks_dir(data_dir: str | os.PathLike[str]) -> Path:
    return Path(data_dir) / LOCKS_DIR


def run_lock_path(data_dir: str | os.PathLike[str], connection_id: int) -> Path:
    return locks_dir(data_dir) / f"connection-{connection_id}.run.lock"


def token_lock_path(data_dir: str | os.PathLike[str], connection_id: int) -> Path:
    return locks_dir(data_dir) / f"connection-{connection_id}.token.lock"


class LockTimeout(TimeoutError):
    """The lock is held by someone else. `holder` describes them when they said who they are."""

    def __init__(self, path: Path, holder: dict | None) -> None:
        super().__init__(f"{path} is locked")
        self.path = path
        self.holder = holder or {}

    def describe(self) -> str:
        """'process 1234 on host, since 2024-05-01 10:02 UTC', or '' when unknown."""
        h = self.holder
        parts = []
        if h.get("pid"):
            parts.append(f"process {h['pid']}")
        if h.get("host"):
            parts.append(f"on {h['host']}")
        if h.get("since"):
            parts.append(f"since {h['since']}")
        if h.get("what"):
            parts.insert(0, str(h["what"]))
        return " ".join(parts)


class InterProcessLock:
    """An exclusive, non-reentrant OS lock on one file. `acquire` waits up to `timeout`."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def _open(self) -> int:
        if not self.path.parent.is_dir():
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
        return os.open(self.path, flags, 0o600)

    def acquire(self, timeout: float = 0.0, *, what: str = "", poll: float = 0.05) -> None:
        """Take the lock or raise LockTimeout. OSError if the lock file cannot be made."""
        if self._fd is not None:
            raise RuntimeError(f"{self.path} is already held by this object")
        deadline = time.monotonic() + max(0.0, timeout)
        fd = self._open()
        try:
            while not _try_lock(fd):
                if time.monotonic() >= deadline:
                    raise LockTimeout(self.path, read_holder(self.path))
                time.sleep(poll)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        self._note(fd, what)

    def _note(self, fd: int, what: str) -> None:
        note = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "since": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S %Z"),
            "what": what,
        }
        with contextlib.suppress(OSError):  # the note is a courtesy; the lock is what counts
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, json.dumps(note).encode())

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        _unlock(fd)
        os.close(fd)

    def __enter__(self) -> InterProcessLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def read_holder(path: Path) -> dict | None:
    try:
        text = path.read_text(encoding="utf-8")
        value = json.loads(text) if text.strip() else None
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def is_locked(path: str | os.PathLike[str]) -> bool | None:
    """Whether another holder has the lock now (probes by taking it for an instant); None
    when it cannot be told (the lock file cannot be opened, e.g. a read-only folder)."""
    if not Path(path).exists():
        return False
    probe = InterProcessLock(path)
    try:
        probe.acquire(0.0)
    except LockTimeout:
        return True
    except OSError:
        return None
    probe.release()
    return False
