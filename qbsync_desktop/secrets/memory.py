"""Secrets held only in this process: tests and demo mode (the demo credentials are fake)."""

from __future__ import annotations

import threading

from .base import SecretStore


class MemorySecretStore(SecretStore):
    backend_name = "memory (forgotten when the app quits)"
    is_secure = True  # nothing leaves the process
    is_persistent = False

    def __init__(self) -> None:
        self._values: dict[tuple[str, str], str] = {}
        self._lock = threading.Lock()

    def _get(self, connection_key: str, name: str) -> str | None:
        with self._lock:
            return self._values.get((connection_key, name))

    def _set(self, connection_key: str, name: str, value: str) -> None:
        with self._lock:
            self._values[(connection_key, name)] = value

    def _delete(self, connection_key: str, name: str) -> None:
        with self._lock:
            self._values.pop((connection_key, name), None)
