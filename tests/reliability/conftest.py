"""Reliability-test fixtures: worlds with explicit sizes, and the app's log records. The helpers
they use live in tests/support/."""

from __future__ import annotations

import logging

import pytest

from qbsync_desktop.secrets.memory import MemorySecretStore
from qbsync_desktop.sync.service import SyncService
from tests.fixtures.world import World
from tests.support.environments import fast_options, make_env
from tests.support.log_capture import LogCapture


@pytest.fixture
def rworld(tmp_path):
    """make(qbo_size, scoro_size, options=..., secrets=...) -> World (started, not connected)."""
    made: list[World] = []

    def make(qbo_size="demo", scoro_size="demo", *, options=None, secrets=None, seed=1):
        env = make_env(qbo_size, scoro_size, seed=seed).start()
        svc = SyncService(
            tmp_path / f"data{len(made)}",
            secrets if secrets is not None else MemorySecretStore(),
            connector_options=fast_options() if options is None else options,
        )
        w = World(env, svc)
        made.append(w)
        return w

    yield make
    for w in made:
        w.svc.close()
        w.env.stop()


@pytest.fixture
def app_log():
    """Every record of the app's loggers (DEBUG and up) for the test's duration."""
    handler = LogCapture()
    root = logging.getLogger("qbsync_desktop")
    old = root.level
    root.setLevel(logging.DEBUG)
    root.addHandler(handler)
    yield handler
    root.removeHandler(handler)
    root.setLevel(old)
