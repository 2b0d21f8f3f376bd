"""Fault injection rules set through ``POST /_sandbox/faults``.

A rule fires for the next ``count`` matching requests, or with ``probability`` on each one (both
may be given: random firing until the count is used up). Rolls use a seeded RNG so a test run is
repeatable.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass

REQUEST_FAULTS = (
    "throttle",
    "system_error",
    "drop_after_commit",
    "drop_before_commit",
    "slow",
    "xml_bodies",
    "stale_object",
)
IMMEDIATE_FAULTS = ("expire_access_token", "revoke_refresh_token")


@dataclass
class FaultRule:
    type: str
    count: int | None = 1
    probability: float | None = None
    path: str | None = None
    method: str | None = None
    realm_id: str | None = None
    seconds: float = 0.0
    status: int = 500

    def matches(self, method: str, path: str, realm_id: str | None) -> bool:
        if self.path is not None:
            if self.path not in path:
                return False
        elif "/v3/company/" not in path:
            return False
        if self.method and self.method.upper() != method.upper():
            return False
        return not (self.realm_id and realm_id and self.realm_id != realm_id)

    def exhausted(self) -> bool:
        return self.count is not None and self.count <= 0


def parse_rule(body: dict) -> FaultRule:
    kind = body.get("type")
    if kind not in REQUEST_FAULTS and kind not in IMMEDIATE_FAULTS:
        raise ValueError(f"unknown fault type {kind!r}; one of {REQUEST_FAULTS + IMMEDIATE_FAULTS}")
    count = body.get("count")
    probability = body.get("probability")
    if count is None and probability is None:
        count = 1
    if probability is not None and not 0 <= float(probability) <= 1:
        raise ValueError("probability must be between 0 and 1")
    return FaultRule(
        type=kind,
        count=None if count is None else int(count),
        probability=None if probability is None else float(probability),
        path=body.get("path"),
        method=body.get("method"),
        realm_id=body.get("realmId"),
        seconds=float(body.get("seconds", 0) or 0),
        status=int(body.get("status", 500) or 500),
    )


class Faults:
    def __init__(self, seed: int) -> None:
        self.rules: list[FaultRule] = []
        self.rng = random.Random(seed)
        self.injected: dict[str, int] = {}

    def add(self, rule: FaultRule) -> None:
        self.rules.append(rule)

    def clear(self) -> None:
        self.rules.clear()

    def note(self, kind: str) -> None:
        self.injected[kind] = self.injected.get(kind, 0) + 1

    def fire(self, method: str, path: str, realm_id: str | None) -> list[FaultRule]:
        fired = []
        for rule in self.rules:
            if not rule.matches(method, path, realm_id):
                continue
            if rule.probability is not None and self.rng.random() >= rule.probability:
                continue
            if rule.count is not None:
                rule.count -= 1
            fired.append(rule)
            self.note(rule.type)
        self.rules = [r for r in self.rules if not r.exhausted()]
        return fired

    def describe(self) -> list[dict]:
        return [asdict(r) for r in self.rules]
