"""Every error qbsync raises on purpose has one root, so the app and the command line catch
it by type and show its message as it is."""

from __future__ import annotations

import pytest

from qbsync_desktop import cli
from qbsync_desktop.domain.errors import (
    ConnectionBusy,
    QbsyncError,
    ReconnectNeeded,
    SettingsInvalid,
    SyncError,
)
from qbsync_desktop.quickbooks.endpoints import InsecureEndpoint, check_url
from qbsync_desktop.secrets import NoSecureStorageError, SecretStoreError
from qbsync_desktop.store import StoreError
from qbsync_desktop.store.errors import explain


@pytest.mark.parametrize(
    "error",
    [
        SyncError,
        ReconnectNeeded,
        SettingsInvalid,
        ConnectionBusy,
        StoreError,
        SecretStoreError,
        NoSecureStorageError,
        InsecureEndpoint,
    ],
)
def test_each_deliberate_error_has_the_one_root(error):
    assert issubclass(error, QbsyncError)


def test_an_insecure_address_says_what_to_do_and_is_still_a_bad_value():
    with pytest.raises(InsecureEndpoint) as caught:
        check_url("http://books.example.com/v3")
    assert isinstance(caught.value, ValueError)
    assert caught.value.user_message.startswith("http://books.example.com/v3 is not a safe")
    assert "https://" in str(caught.value)


def test_the_command_line_prints_a_store_error_as_one_line(tmp_path, capsys):
    data = tmp_path / "data"
    data.mkdir()
    (data / "qbsync.sqlite3").write_bytes(b"not a database at all, just text" * 64)
    code = cli.main(["status", "--data-dir", str(data), "--secrets", "memory"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == cli.EXIT_FAILED
    expected = explain(Exception("file is not a database"), data / "qbsync.sqlite3")
    assert err == [f"Error: {expected}"]
