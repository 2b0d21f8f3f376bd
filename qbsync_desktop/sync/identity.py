"""Which QuickBooks `requestid` a write carries: the same intended write always the same id,
so a retry after a crash or a lost answer makes QuickBooks replay its first answer instead of
creating a second object (docs/design.md, "the outbox and identity")."""

from __future__ import annotations

import hashlib

from ..domain import Kind, Record


def make_requestid(connection_id: int, kind: Kind, source_id: str, intent: str) -> str:
    """Deterministic: the same write always carries the same id, so QuickBooks answers a
    replay with the original result instead of a second object (≤ 36 characters).

    A create's intent is the record's identity, never its content: renumbered or edited
    after a crash, it is still the same create. It moves only when nothing was made (a
    refusal moves the generation) or what was made is gone (the deleted target's id)."""
    raw = f"{connection_id}|{kind.value}|{source_id}|{intent}".encode()
    return hashlib.sha256(raw).hexdigest()[:36]


def create_intent(generation: int, previous_target: str | None) -> str:
    return f"create|{generation}|{previous_target or ''}"


def update_intent(current: Record, fingerprint: str) -> str:
    # The version updated and the content sent: a repeat of the same update is recognised,
    # a corrected one after a refusal is not mistaken for it.
    return f"update|{current.id}|{current.version}|{fingerprint}"
