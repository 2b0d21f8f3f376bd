"""How often the scheduled sync should wake up, from the app's own settings."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

from ..store.errors import STORE_ERRORS, StoreError
from ..sync.schedule import INTERVALS


def job_frequency(service, only: Iterable[int] = ()) -> str | None:
    """The most frequent automatic sync among the (chosen) active connections, or None when
    every one syncs manually. Each scheduled run syncs only what is due, so waking at the
    most frequent one serves them all."""
    chosen = set(only)
    modes: list[str] = []
    for c in service.connections():
        if c.status.value != "active" or (chosen and c.id not in chosen):
            continue
        # Settings never saved cannot be made in a read-only open: that one has no mode yet.
        with contextlib.suppress(StoreError, *STORE_ERRORS):
            modes.append(service.sync_settings(c.id).mode)
    automatic = [m for m in modes if m in INTERVALS]
    return min(automatic, key=INTERVALS.__getitem__) if automatic else None
