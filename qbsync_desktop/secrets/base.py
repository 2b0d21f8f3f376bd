"""The interface every secret store offers, and its errors."""

from __future__ import annotations

from abc import ABC, abstractmethod

from ..domain.errors import QbsyncError
from ..logs import register_secret


class SecretStoreError(QbsyncError):
    """A secret could not be read or written. The message is for the bookkeeper and never
    contains the secret itself."""


class NoSecureStorageError(SecretStoreError):
    """No usable OS keyring, and the user has not opted in to a plain file."""


def _check_key(connection_key: str, name: str) -> None:
    if not connection_key or not name:
        raise ValueError("connection_key and name must both be non-empty")


class SecretStore(ABC):
    """get / set / delete one secret, addressed by (connection, name).

    `backend_name` is what the settings screen shows; `is_secure` says whether the values are
    protected by the OS (False for the plain file, which the UI must flag).
    """

    backend_name: str = "?"
    is_secure: bool = True
    is_persistent: bool = True

    def get(self, connection_key: str, name: str) -> str | None:
        _check_key(connection_key, name)
        value = self._get(connection_key, name)
        # Secrets read back after a restart were never `set` in this process: register them too.
        register_secret(value)
        return value

    def set(self, connection_key: str, name: str, value: str) -> None:
        _check_key(connection_key, name)
        if not isinstance(value, str):
            raise TypeError("a secret must be a str")
        register_secret(value)
        self._set(connection_key, name, value)

    def delete(self, connection_key: str, name: str) -> None:
        """Forget the secret; deleting one that is not there is not an error."""
        _check_key(connection_key, name)
        self._delete(connection_key, name)

    @abstractmethod
    def _get(self, connection_key: str, name: str) -> str | None: ...

    @abstractmethod
    def _set(self, connection_key: str, name: str, value: str) -> None: ...

    @abstractmethod
    def _delete(self, connection_key: str, name: str) -> None: ...

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.backend_name}>"
