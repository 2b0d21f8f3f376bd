"""Names of the demo world the tests refer to, taken from the pairing both sandboxes are seeded
from (sandbox/demo_pairing.py), so a test never spells a realm id of its own."""

from __future__ import annotations

from qbsync_desktop.sandbox import demo_pairing

ACME = "acme_ee"  # the Scoro entity most tests connect: Acme OÜ, EUR


def realm_of(company_account_id: str) -> str:
    """The QuickBooks company the demo pairs with a Scoro entity."""
    return next(
        e["realm_id"]
        for e in demo_pairing.ENTITIES
        if e["company_account_id"] == company_account_id
    )


# Acme OÜ's QuickBooks company, the realm the end-to-end tests read and change.
ACME_REALM = realm_of(ACME)
