"""Test-wide setup: headless Qt, isolated data dirs, an in-memory keyring, the sandboxes."""

import os

# Before any Qt import: no screen here, and none in CI.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
# The tests read the window's English words, whatever the machine's locale (README, "Languages");
# tests/ui/test_translations.py switches to Estonian where it checks it.
os.environ["QBSYNC_LANG"] = "en"

import pytest

# tests/conformance runs in its own venv with python-quickbooks and intuit-oauth (make conformance).
collect_ignore = ["conformance"]

pytest_plugins = [
    "tests.fixtures.qbo_sandbox",
    "tests.fixtures.scoro_sandbox",
    "tests.fixtures.world",
]


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path, monkeypatch):
    """No test may touch the real user's data, config or log directories."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local/share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local/state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("QBSYNC_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
