"""Secrets in the OS keyring (Secret Service / KWallet, macOS Keychain, Windows Credential Locker).

The backend is chosen once, when the store is made, and kept: a keyring that becomes
unavailable later produces an error instead of quietly moving secrets somewhere else.
"""

from __future__ import annotations

import keyring
import keyring.backend
import keyring.errors
from keyring.backends import chainer, fail, null

from ..logs import redact
from .base import NoSecureStorageError, SecretStore, SecretStoreError

SERVICE = "qbsync-desktop"

INSTALL_ADVICE = (
    "No secure password storage (system keyring) is available. On Linux, install and unlock "
    "a Secret Service provider such as GNOME Keyring or KWallet (package gnome-keyring / "
    "kwalletmanager) and log in to a desktop session that starts it, or start the app with "
    "--insecure-file-secrets to keep secrets in a file only your user can read (0600)."
)

# Backends that store nothing, or store it in the clear: choosing one would lose or expose
# tokens without anyone noticing. Named, not imported: keyrings.alt is not a dependency.
_INSECURE_BACKENDS = {
    "keyrings.alt.file.PlaintextKeyring",
    "keyrings.alt.file.EncryptedKeyring",  # its password prompt cannot work in a GUI app
}


def _qualified_name(backend: keyring.backend.KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _refusal(backend: keyring.backend.KeyringBackend) -> str | None:
    """Why this backend cannot hold our secrets, or None if it can."""
    if isinstance(backend, fail.Keyring | null.Keyring):
        return f"the keyring library found no usable backend ({_qualified_name(backend)})"
    if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
        return "the keyring library found no usable backend (empty chain)"
    if _qualified_name(backend) in _INSECURE_BACKENDS:
        return f"the only keyring available stores secrets unprotected ({backend.name})"
    return None


class KeyringSecretStore(SecretStore):
    is_secure = True

    def __init__(
        self, backend: keyring.backend.KeyringBackend | None = None, *, service: str = SERVICE
    ) -> None:
        chosen = backend if backend is not None else keyring.get_keyring()
        reason = _refusal(chosen)
        if reason is not None:
            raise NoSecureStorageError(f"{INSTALL_ADVICE} (Details: {reason}.)")
        self._backend = chosen
        self._service = service
        self.backend_name = str(chosen.name)
        # Persist this (Maestral does) to notice later that secrets were saved elsewhere.
        self.backend_id = _qualified_name(chosen)

    @property
    def backend(self) -> keyring.backend.KeyringBackend:
        return self._backend

    @staticmethod
    def _username(connection_key: str, name: str) -> str:
        return f"{connection_key}/{name}"

    def _failed(self, action: str, exc: Exception) -> SecretStoreError:
        locked = isinstance(exc, keyring.errors.KeyringLocked)
        advice = (
            "Unlock your keyring (log in to the desktop session, or open your keyring app) "
            "and try again."
            if locked
            else "Check that your keyring app is running and unlocked, then try again."
        )
        return SecretStoreError(
            f"The system keyring ({self.backend_name}) could not {action} a secret: "
            f"{type(exc).__name__}: {redact(exc)}. {advice}"
        )

    def _get(self, connection_key: str, name: str) -> str | None:
        try:
            return self._backend.get_password(self._service, self._username(connection_key, name))
        except Exception as exc:  # noqa: BLE001 - D-Bus backends raise their own error types
            raise self._failed("read", exc) from None

    def _set(self, connection_key: str, name: str, value: str) -> None:
        try:
            self._backend.set_password(self._service, self._username(connection_key, name), value)
        except Exception as exc:  # noqa: BLE001 - D-Bus backends raise their own error types
            raise self._failed("save", exc) from None

    def _delete(self, connection_key: str, name: str) -> None:
        try:
            self._backend.delete_password(self._service, self._username(connection_key, name))
        except keyring.errors.PasswordDeleteError:
            return  # not there: nothing to forget
        except Exception as exc:  # noqa: BLE001 - D-Bus backends raise their own error types
            raise self._failed("delete", exc) from None
