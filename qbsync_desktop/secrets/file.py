"""Secrets in a plain JSON file, readable only by the user (0600).

Explicit opt-in only (--insecure-file-secrets): for machines with no Secret Service. Anyone
who can read the user's files can read these secrets, which is why `is_secure` is False and
the UI says so.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from pathlib import Path

from .base import SecretStore, SecretStoreError


class FileSecretStore(SecretStore):
    is_secure = False

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.backend_name = f"unencrypted file {self.path}"
        self._lock = threading.Lock()
        if self.path.exists():
            # A file copied in or restored from a backup may have lost its private mode.
            os.chmod(self.path, 0o600)

    def _load(self) -> dict[str, dict[str, str]]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise SecretStoreError(
                f"The secrets file {self.path} could not be read ({exc.strerror}). "
                "Check that it exists and that your user account may read it."
            ) from None
        try:
            data = json.loads(text) if text.strip() else {}
        except ValueError:
            data = None
        if not isinstance(data, dict):
            # `from None`: the JSON error would quote the file's content, i.e. the secrets.
            raise SecretStoreError(
                f"The secrets file {self.path} is damaged. Move it aside and reconnect "
                "QuickBooks and Scoro to enter the credentials again."
            ) from None
        return data

    def _write(self, data: dict[str, dict[str, str]]) -> None:
        # Write a sibling and rename over the original, so a crash or a full disk mid-write
        # leaves the previous file intact rather than a truncated one.
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, indent=1, sort_keys=True)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise SecretStoreError(
                f"The secrets file {self.path} could not be written ({exc.strerror}). "
                "Check free disk space and that your user account may write to its folder."
            ) from None

    def _get(self, connection_key: str, name: str) -> str | None:
        with self._lock:
            value = self._load().get(connection_key, {}).get(name)
        return value if isinstance(value, str) else None

    def _set(self, connection_key: str, name: str, value: str) -> None:
        with self._lock:
            data = self._load()
            data.setdefault(connection_key, {})[name] = value
            self._write(data)

    def _delete(self, connection_key: str, name: str) -> None:
        with self._lock:
            data = self._load()
            entries = data.get(connection_key)
            if not entries or name not in entries:
                return
            del entries[name]
            if not entries:
                del data[connection_key]
            self._write(data)
