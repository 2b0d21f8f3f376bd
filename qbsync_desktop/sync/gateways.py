"""Each connection's gateways, built once and kept while its addresses and sign-in hold."""

from __future__ import annotations

import contextlib
from pathlib import Path

from ..domain.errors import SyncError
from ..store import models as m
from . import runlock
from .wiring import Wiring

# A token refresh takes one request (30 s read timeout at most); another process refreshing
# the same connection's token is waited for, then its new token is used.
TOKEN_LOCK_WAIT_SECONDS = 90.0


class Gateways:
    """Wirings by connection id. Dropped when a connection's addresses or sign-in change, so
    the next use builds them from the store and the keyring again."""

    def __init__(self, data_dir: Path, secrets, connector_options: dict | None = None) -> None:
        # connector_options: transport keyword arguments per side, see sync.wiring.Wiring.
        self.data_dir = data_dir
        self.secrets = secrets
        self.options = connector_options or {}
        self._wirings: dict[int, Wiring] = {}

    def get(self, conn: m.Connection) -> Wiring:
        wiring = self._wirings.get(conn.id)
        if wiring is None:
            wiring = Wiring(conn, self.secrets, self.options)
            # Token refresh is single-flight across processes (the GUI and a scheduled CLI).
            wiring.tokens.interprocess_lock = self._token_lock(conn.id)
            self._wirings[conn.id] = wiring
        return wiring

    def forget(self, connection_id: int | None = None) -> None:
        """Drop one connection's gateways, or all of them (None)."""
        if connection_id is None:
            self._wirings.clear()
        else:
            self._wirings.pop(connection_id, None)

    def _token_lock(self, connection_id: int):
        path = runlock.token_lock_path(self.data_dir, connection_id)

        @contextlib.contextmanager
        def hold():
            lock = runlock.InterProcessLock(path)
            try:
                lock.acquire(TOKEN_LOCK_WAIT_SECONDS, what="QuickBooks sign-in refresh")
            except runlock.LockTimeout:
                raise SyncError(
                    "Another qbsync process has been refreshing this connection's QuickBooks "
                    "sign-in for too long. Try again in a minute."
                ) from None
            try:
                yield
            finally:
                lock.release()

        return hold
