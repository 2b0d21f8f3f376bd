"""Access tokens in memory, refresh tokens in the keyring, one refresh at a time.

The rotated refresh token is written through before the new access token is used: if the app
dies right after a refresh, the keyring still holds a token Intuit accepts.

One refresh at a time across processes too (the GUI and a scheduled `qbsync sync`): with
`interprocess_lock` set, a refresh runs under that lock and re-reads the stored token first,
so a process never sends a refresh token another one has already rotated. A process that does
not share the lock (another machine, an older copy) may still rotate it meanwhile: an
`invalid_grant` for a token that is no longer the stored one is retried with the stored one,
and only a refusal of the current token means "reconnect needed".
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from typing import Protocol

from ..domain.errors import ReconnectNeeded
from .oauth import SIDE, TokenSet

REFRESH_TOKEN_NAME = "qbo_refresh_token"  # noqa: S105 - the key, not a value
EARLY_REFRESH_SECONDS = 60.0
# Refresh tokens another process rotated while this one was sending: tried in turn, at most.
MAX_STALE_RETRIES = 3


class SecretStoreLike(Protocol):
    def get(self, connection_key: str, name: str) -> str | None: ...

    def set(self, connection_key: str, name: str, value: str) -> None: ...

    def delete(self, connection_key: str, name: str) -> None: ...


class OAuthLike(Protocol):
    def refresh(self, refresh_token: str, realm_id: str = "") -> TokenSet: ...


class TokenManager:
    def __init__(
        self,
        oauth: OAuthLike,
        secrets: SecretStoreLike,
        connection_key: str,
        clock: Callable[[], float] | None = None,
        *,
        realm_id: str = "",
    ) -> None:
        self._oauth = oauth
        self._secrets = secrets
        self.connection_key = connection_key
        self.realm_id = realm_id
        self._clock = clock or time.time
        self._lock = threading.Lock()
        self._access: str | None = None
        self._expires_at = 0.0
        self.refresh_count = 0
        # A factory of a context manager held around every refresh (a file lock shared with
        # the other processes using this connection); None: this process only.
        self.interprocess_lock: Callable[[], contextlib.AbstractContextManager] | None = None

    def _shared(self) -> contextlib.AbstractContextManager:
        return self.interprocess_lock() if self.interprocess_lock else contextlib.nullcontext()

    def __repr__(self) -> str:
        return f"TokenManager(connection_key={self.connection_key!r})"

    def adopt(self, tokens: TokenSet) -> None:
        """Take the tokens of a fresh authorization (refresh token persisted first)."""
        with self._lock, self._shared():
            self._secrets.set(self.connection_key, REFRESH_TOKEN_NAME, tokens.refresh_token)
            self._access = tokens.access_token
            self._expires_at = tokens.expires_at
            if tokens.realm_id:
                self.realm_id = tokens.realm_id

    def access_token(self) -> str:
        with self._lock:
            if self._access and self._clock() < self._expires_at - EARLY_REFRESH_SECONDS:
                return self._access
            return self._refresh_locked()

    def force_refresh(self, stale: str | None = None) -> str:
        """Refresh now. With `stale`, skip it when another thread already replaced that token:
        concurrent 401s then cost one refresh, not one each."""
        with self._lock:
            if stale is not None and self._access is not None and self._access != stale:
                return self._access
            return self._refresh_locked()

    def invalidate(self) -> None:
        with self._lock:
            self._access = None
            self._expires_at = 0.0

    def _refresh_locked(self) -> str:
        with self._shared():
            return self._refresh_shared()

    def _refresh_shared(self) -> str:
        # Read under the shared lock: another process may have rotated it a moment ago.
        stored = self._secrets.get(self.connection_key, REFRESH_TOKEN_NAME)
        if not stored:
            raise ReconnectNeeded("QuickBooks is not connected yet (no sign-in stored)", side=SIDE)
        # On ReconnectNeeded the stored token is left as it is: nothing to clean up, and a
        # transient misreport by the service must not destroy a working token.
        for _ in range(MAX_STALE_RETRIES):
            try:
                fresh = self._oauth.refresh(stored, self.realm_id)
                break
            except ReconnectNeeded as exc:
                now_stored = self._secrets.get(self.connection_key, REFRESH_TOKEN_NAME)
                if getattr(exc, "code", "") != "invalid_grant" or not now_stored:
                    raise
                if now_stored == stored:
                    raise  # QuickBooks refused the current token: a real reconnect
                stored = now_stored  # rotated by another process meanwhile: use theirs
        else:
            fresh = self._oauth.refresh(stored, self.realm_id)
        self.refresh_count += 1
        self._secrets.set(self.connection_key, REFRESH_TOKEN_NAME, fresh.refresh_token)
        self._access = fresh.access_token
        self._expires_at = fresh.expires_at
        return fresh.access_token
