"""Unit-test fixtures: a real SQLite store in tmp_path and an engine over in-memory services."""

from __future__ import annotations

import pytest

from qbsync_desktop.store import close_store, open_store
from tests.support.engine_world import EngineWorld


@pytest.fixture
def store(tmp_path):
    """The app's store on a real file, opened (and upgraded) as the app opens it."""
    db = open_store(tmp_path / "store" / "qbsync.sqlite3")
    yield db
    close_store()


@pytest.fixture
def books(store) -> EngineWorld:
    """One connection's engine between an in-memory Scoro and an in-memory QuickBooks."""
    return EngineWorld.create()
