"""Fitting `requestid`s to QuickBooks' length limits and naming a whole batch by its items.

Which id a write carries is decided by the sync layer (sync/identity.py); here they are only
shortened and combined, so distinct ids stay distinct.
"""

from __future__ import annotations

import hashlib

BATCH_LIMIT = 36  # batch requests allow 36 characters, single requests 50


def fit_requestid(requestid: str, limit: int) -> str:
    """Shorten an over-long id by hashing it, so distinct ids stay distinct."""
    if len(requestid) <= limit:
        return requestid
    return hashlib.sha256(requestid.encode("utf-8")).hexdigest()[:limit]


def combine_requestids(requestids: list[str]) -> str:
    """One id for a batch request, from the ids of its items, in order."""
    joined = "\x1e".join(requestids)
    return hashlib.sha256(("batch\x1f" + joined).encode("utf-8")).hexdigest()[:BATCH_LIMIT]
