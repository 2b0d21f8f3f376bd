"""Pick the secret store the user asked for. Never falls back silently to a weaker one."""

from __future__ import annotations

import os
from pathlib import Path

from .base import SecretStore, SecretStoreError
from .file import FileSecretStore
from .keyring_store import KeyringSecretStore
from .memory import MemorySecretStore

ENV_SECRET_STORE = "QBSYNC_SECRET_STORE"  # noqa: S105 - the variable's name, not a secret
CHOICES = ("keyring", "memory", "file")
SECRETS_FILE_NAME = "secrets.json"


def open_secret_store(choice: str | None, data_dir: str | os.PathLike[str]) -> SecretStore:
    """`choice` (from the command line) > $QBSYNC_SECRET_STORE > "keyring".

    "keyring" raises NoSecureStorageError when there is no usable keyring; the caller shows
    that message, it does not switch to "file" on the user's behalf.
    """
    selected = (choice or os.environ.get(ENV_SECRET_STORE, "") or "keyring").strip().lower()
    if selected == "keyring":
        return KeyringSecretStore()
    if selected == "memory":
        return MemorySecretStore()
    if selected == "file":
        return FileSecretStore(Path(data_dir) / SECRETS_FILE_NAME)
    raise SecretStoreError(
        f"Unknown secret storage {selected!r}: choose one of {', '.join(CHOICES)}."
    )
