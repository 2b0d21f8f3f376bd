"""Pure decisions: what to do with one source record, given the target and the last sync.

No I/O here, so every rule of the three-way merge is tested without a server.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    LINK = "link"  # matched an existing target record (R13, R31, documents by number)
    NOTHING = "nothing"
    CONFLICT = "conflict"
    TARGET_MISSING = "target_missing"  # linked, but gone at the target
    SOURCE_DELETED = "source_deleted"  # deleted at the source: never propagated silently


@dataclass(frozen=True)
class Base:
    """What a link remembers of the last sync: both sides' fingerprints."""

    source_fingerprint: str
    target_fingerprint: str


@dataclass(frozen=True)
class Decision:
    action: Action
    reason: str = ""
    refresh_base: bool = False  # the link's fingerprints should be brought up to date


def decide(
    *,
    source_fingerprint: str,
    source_deleted: bool,
    desired_fingerprint: str | None,
    target_fingerprint: str | None,
    base: Base | None,
    matched: bool = False,
) -> Decision:
    """Decide for one record.

    `desired_fingerprint` is the target-side record this source would produce (merged over the
    current target, so fields the source cannot express are kept); `target_fingerprint` is the
    target as it is now (None: not there). `base` is None when the record was never synced;
    `matched` says the target was found by the matching rules rather than through a link.
    """
    if source_deleted:
        if base is None and not matched:
            return Decision(Action.NOTHING, "deleted before it was ever synced")
        return Decision(Action.SOURCE_DELETED, "deleted at the source")

    if base is None:
        if target_fingerprint is None:
            return Decision(Action.CREATE, "new")
        if matched:
            if desired_fingerprint == target_fingerprint:
                return Decision(Action.LINK, "already the same on both sides", refresh_base=True)
            return Decision(Action.LINK, "matched; brought in line with the source")
        return Decision(Action.CREATE, "new")

    if target_fingerprint is None:
        return Decision(Action.TARGET_MISSING, "deleted at the target since the last sync")

    source_changed = source_fingerprint != base.source_fingerprint
    target_changed = target_fingerprint != base.target_fingerprint

    if not source_changed:
        # One-way sync: an edit made only at the target is the bookkeeper's and is kept.
        return Decision(Action.NOTHING, "no change at the source")
    if desired_fingerprint == target_fingerprint:
        return Decision(Action.NOTHING, "both sides already agree", refresh_base=True)
    if target_changed:
        return Decision(Action.CONFLICT, "changed on both sides since the last sync")
    return Decision(Action.UPDATE, "changed at the source")
