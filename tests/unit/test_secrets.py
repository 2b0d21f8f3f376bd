"""Secret stores: memory, file (0600), keyring (refusing unusable backends), the factory."""

from __future__ import annotations

import json
import os
import stat

import keyring
import keyring.errors
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null

from qbsync_desktop.logs import redact
from qbsync_desktop.secrets import (
    FileSecretStore,
    KeyringSecretStore,
    MemorySecretStore,
    NoSecureStorageError,
    SecretStoreError,
    open_secret_store,
)


class InMemoryKeyring(KeyringBackend):
    """A keyring backend that lives in a dict: what the OS keyring does, minus the OS."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.passwords.get((service, username))

    def set_password(self, service, username, password):
        self.passwords[(service, username)] = password

    def delete_password(self, service, username):
        if self.passwords.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("not found")


class LockedKeyring(InMemoryKeyring):
    def get_password(self, service, username):
        raise keyring.errors.KeyringLocked("the collection is locked")


def roundtrip(store) -> None:
    assert store.get("conn-1", "refresh_token") is None
    store.set("conn-1", "refresh_token", "RT-first-value-0001")
    store.set("conn-2", "refresh_token", "RT-other-connection")
    store.set("conn-1", "refresh_token", "RT-rotated-value-0002")
    assert store.get("conn-1", "refresh_token") == "RT-rotated-value-0002"
    assert store.get("conn-2", "refresh_token") == "RT-other-connection"
    store.delete("conn-1", "refresh_token")
    store.delete("conn-1", "refresh_token")  # twice: forgetting what is gone is fine
    assert store.get("conn-1", "refresh_token") is None
    assert store.get("conn-2", "refresh_token") == "RT-other-connection"


def test_memory_store():
    store = MemorySecretStore()
    roundtrip(store)
    assert store.is_secure and not store.is_persistent


def test_file_store_is_private_and_persistent(tmp_path):
    path = tmp_path / "data" / "secrets.json"
    store = FileSecretStore(path)
    roundtrip(store)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert store.is_secure is False
    assert str(path) in store.backend_name
    # A second store on the same file (the next start of the app) sees the same values.
    assert FileSecretStore(path).get("conn-2", "refresh_token") == "RT-other-connection"
    assert json.loads(path.read_text()) == {"conn-2": {"refresh_token": "RT-other-connection"}}
    # No temporary files left behind.
    assert sorted(p.name for p in path.parent.iterdir()) == ["secrets.json"]


def test_file_store_tightens_a_loose_file(tmp_path):
    path = tmp_path / "secrets.json"
    path.write_text("{}")
    os.chmod(path, 0o644)
    FileSecretStore(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_damaged_file_does_not_quote_its_content(tmp_path):
    path = tmp_path / "secrets.json"
    path.write_text('{"conn-1": {"refresh_token": "RT-half-written-secret')
    with pytest.raises(SecretStoreError) as caught:
        FileSecretStore(path).get("conn-1", "refresh_token")
    assert "damaged" in str(caught.value)
    assert "RT-half-written-secret" not in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_values_are_registered_for_redaction(tmp_path):
    MemorySecretStore().set("conn-1", "client_secret", "cs-never-in-a-log-91")
    assert "cs-never-in-a-log-91" not in redact("token call failed for cs-never-in-a-log-91")

    # A value read back after a restart (never `set` in this process) is registered too.
    path = tmp_path / "secrets.json"
    path.write_text(json.dumps({"conn-1": {"api_key": "scoro-key-read-back-77"}}))
    assert FileSecretStore(path).get("conn-1", "api_key") == "scoro-key-read-back-77"
    assert redact("POST with scoro-key-read-back-77") == "POST with [REDACTED]"


@pytest.mark.parametrize(
    "backend",
    [fail.Keyring(), null.Keyring()],
    ids=["fail", "null"],
)
def test_keyring_store_refuses_unusable_backends(backend):
    with pytest.raises(NoSecureStorageError) as caught:
        KeyringSecretStore(backend)
    message = str(caught.value)
    assert "gnome-keyring" in message and "kwalletmanager" in message
    assert "Secret Service" in message
    assert "--insecure-file-secrets" in message


def test_keyring_store_refuses_an_empty_chain(monkeypatch):
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [])
    with pytest.raises(NoSecureStorageError, match="GNOME Keyring"):
        KeyringSecretStore(chainer.ChainerBackend())


def test_default_keyring_in_tests_is_the_fail_backend():
    # conftest sets PYTHON_KEYRING_BACKEND to the fail backend: nothing reaches a real keyring.
    with pytest.raises(NoSecureStorageError):
        KeyringSecretStore()


def test_keyring_store_with_a_working_backend():
    backend = InMemoryKeyring()
    store = KeyringSecretStore(backend)
    roundtrip(store)
    assert store.is_secure
    assert store.backend_name == InMemoryKeyring.name
    assert store.backend_id.endswith("test_secrets.InMemoryKeyring")
    store.set("conn-9", "api_key", "scoro-api-key-0042")
    assert backend.passwords[("qbsync-desktop", "conn-9/api_key")] == "scoro-api-key-0042"


def test_keyring_store_keeps_the_backend_it_chose(monkeypatch):
    backend = InMemoryKeyring()
    monkeypatch.setattr(keyring, "get_keyring", lambda: backend)
    store = KeyringSecretStore()
    keyring.set_keyring(fail.Keyring())  # the global choice changes later ...
    try:
        store.set("conn-1", "refresh_token", "RT-stays-in-memory-kr")
        assert backend.passwords  # ... the store still writes where it started
    finally:
        keyring.set_keyring(fail.Keyring())


def test_locked_keyring_error_says_what_to_do_without_the_secret():
    store = KeyringSecretStore(LockedKeyring())
    with pytest.raises(SecretStoreError) as caught:
        store.get("conn-1", "refresh_token")
    assert "Unlock your keyring" in str(caught.value)


def test_open_secret_store_choices(tmp_path, monkeypatch):
    assert isinstance(open_secret_store("memory", tmp_path), MemorySecretStore)
    file_store = open_secret_store("file", tmp_path)
    assert isinstance(file_store, FileSecretStore)
    assert file_store.path == tmp_path / "secrets.json"
    # Keyring is the default and does not fall back silently when unusable.
    monkeypatch.delenv("QBSYNC_SECRET_STORE", raising=False)
    with pytest.raises(NoSecureStorageError):
        open_secret_store(None, tmp_path)
    monkeypatch.setenv("QBSYNC_SECRET_STORE", "memory")
    assert isinstance(open_secret_store(None, tmp_path), MemorySecretStore)
    # An explicit choice wins over the environment.
    assert isinstance(open_secret_store("file", tmp_path), FileSecretStore)
    with pytest.raises(SecretStoreError, match="keyring, memory, file"):
        open_secret_store("vault", tmp_path)
