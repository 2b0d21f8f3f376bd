"""Fault injection for the API: server errors, dropped connections, slow answers, throttling.

A fault has a ``type``:
- ``"5xx"``: answer ``status`` (default 503) with an HTML body, as a proxy in front of the
  real site would; ``phase`` "before" (default: nothing is written) or "after" (the write
  committed, the answer still says error).
- ``"drop"``: run the request (the write commits), then close the connection without an
  answer: the client cannot tell whether its write happened.
- ``"slow"``: wait ``seconds`` before handling the request.
- ``"429"``: answer HTTP 429 "Too many requests" with the rate headers, budget untouched.

It fires ``count`` times (default 1), or with ``probability`` on every matching request when
``count`` is null, and only on requests whose ``module``/``action`` match when those are given.
Random draws come from a generator seeded by the sandbox seed, so runs repeat.
"""

from __future__ import annotations

import random
import threading
from dataclasses import asdict, dataclass
from typing import Any

TYPES = {
    "5xx": "5xx",
    "error": "5xx",
    "drop": "drop",
    "drop_after_commit": "drop",
    "disconnect": "drop",
    "slow": "slow",
    "429": "429",
    "throttle": "429",
}


@dataclass
class Fault:
    id: int
    type: str
    count: int | None = 1
    probability: float = 1.0
    module: str | None = None
    action: str | None = None
    status: int = 503
    seconds: float = 1.0
    phase: str = "before"

    def matches(self, module: str, action: str) -> bool:
        return (self.module in (None, module)) and (self.action in (None, action))


class Faults:
    def __init__(self, seed: int) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._next_id = 1
        self._rng = random.Random(seed)
        self.injected: dict[str, int] = {}

    def add(self, spec: dict[str, Any]) -> Fault:
        kind = TYPES.get(str(spec.get("type")))
        if kind is None:
            raise ValueError(f"type must be one of {sorted(TYPES)}")
        count = spec.get("count", 1 if "probability" not in spec else None)
        fault = Fault(
            id=0,
            type=kind,
            count=None if count is None else int(count),
            probability=float(spec.get("probability", 1.0)),
            module=spec.get("module"),
            action=spec.get("action"),
            status=int(spec.get("status", 503)),
            seconds=float(spec.get("seconds", 1.0)),
            phase=str(spec.get("phase", "before")),
        )
        if not 500 <= fault.status <= 599 and kind == "5xx":
            raise ValueError("status must be 5xx")
        if fault.phase not in ("before", "after"):
            raise ValueError("phase must be before or after")
        with self._lock:
            fault.id = self._next_id
            self._next_id += 1
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def reset(self, seed: int) -> None:
        with self._lock:
            self._faults.clear()
            self._rng = random.Random(seed)
            self.injected = {}

    def active(self) -> list[dict[str, Any]]:
        with self._lock:
            return [asdict(f) for f in self._faults]

    def draw(self, module: str, action: str) -> dict[str, Fault]:
        """The faults that fire for this request, at most one per type, consumed."""
        fired: dict[str, Fault] = {}
        with self._lock:
            for fault in list(self._faults):
                if fault.type in fired or not fault.matches(module, action):
                    continue
                if fault.count is None and self._rng.random() >= fault.probability:
                    continue
                fired[fault.type] = fault
                if fault.count is not None:
                    fault.count -= 1
                    if fault.count <= 0:
                        self._faults.remove(fault)
                self.injected[fault.type] = self.injected.get(fault.type, 0) + 1
        return fired
