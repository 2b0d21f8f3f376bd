"""The services' own JSON of the objects an update may target, kept for a while.

Both gateways keep what they read of an object so an update changes only what we own and
leaves the rest as the service has it. The engine reads a batch's targets just before writing
them, so the newest few thousand are enough; an update whose copy was dropped reads it again.
A lock, because reads and writes run on different threads.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

KEPT = 2000


class RecentObjects:
    def __init__(self, limit: int = KEPT) -> None:
        self._items: OrderedDict[tuple[str, str], dict[str, Any]] = OrderedDict()
        self._limit = limit
        self._lock = threading.Lock()

    def keep(self, kind: str, obj_id: str, obj: dict[str, Any]) -> None:
        key = (kind, str(obj_id))
        with self._lock:
            self._items[key] = obj
            self._items.move_to_end(key)
            while len(self._items) > self._limit:
                self._items.popitem(last=False)

    def get(self, kind: str, obj_id: str) -> dict[str, Any] | None:
        with self._lock:
            return self._items.get((kind, str(obj_id)))

    def pop(self, kind: str, obj_id: str) -> dict[str, Any] | None:
        with self._lock:
            return self._items.pop((kind, str(obj_id)), None)

    def __len__(self) -> int:
        return len(self._items)
