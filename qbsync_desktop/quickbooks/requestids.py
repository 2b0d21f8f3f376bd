"""Deterministic QuickBooks `requestid`s: the same intended write always gets the same id.

A retry after a crash or a lost response then makes QuickBooks replay its first answer, and a
changed record (new fingerprint) gets a new id so it is really written.
"""

from __future__ import annotations

import hashlib

BATCH_LIMIT = 36  # batch requests allow 36 characters, single requests 50


def make_requestid(connection_key: str, kind: object, source_id: str, fingerprint: str) -> str:
    kind_text = getattr(kind, "value", kind)
    material = "\x1f".join(("qbsync-v1", connection_key, str(kind_text), source_id, fingerprint))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:BATCH_LIMIT]


def fit_requestid(requestid: str, limit: int) -> str:
    """Shorten an over-long id by hashing it, so distinct ids stay distinct."""
    if len(requestid) <= limit:
        return requestid
    return hashlib.sha256(requestid.encode("utf-8")).hexdigest()[:limit]


def combine_requestids(requestids: list[str]) -> str:
    """One id for a batch request, from the ids of its items, in order."""
    joined = "\x1e".join(requestids)
    return hashlib.sha256(("batch\x1f" + joined).encode("utf-8")).hexdigest()[:BATCH_LIMIT]
