"""Where refresh tokens, client secrets and API keys live: the OS keyring, never SQLite.

Every value that passes through a store (set or read) is registered with the log redactor,
so it cannot reach a log file, a crash dialog or an exception text by any route.
"""

from .base import NoSecureStorageError, SecretStore, SecretStoreError
from .factory import CHOICES, ENV_SECRET_STORE, open_secret_store
from .file import FileSecretStore
from .keyring_store import KeyringSecretStore
from .memory import MemorySecretStore

__all__ = [
    "CHOICES",
    "ENV_SECRET_STORE",
    "FileSecretStore",
    "KeyringSecretStore",
    "MemorySecretStore",
    "NoSecureStorageError",
    "SecretStore",
    "SecretStoreError",
    "open_secret_store",
]
