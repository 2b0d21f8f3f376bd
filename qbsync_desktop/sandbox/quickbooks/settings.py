"""Limits and behaviour switches, all changeable at run time through the control plane.

Where the reference marks a behaviour UNCONFIRMED the default is the stricter reading; each such
choice is a switch here so a test can flip it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

LIMIT_KEYS = (
    "enabled",
    "per_minute",
    "per_second",
    "batch_per_minute",
    "batch_per_minute_realm",
    "throttle_body",
    "max_batch_items",
    "cdc_max_objects",
    "cdc_window_days",
    "max_results",
    "default_max_results",
    "requestid_max",
    "batch_requestid_max",
    "batch_bid_max",
    "display_name_max",
)


@dataclass
class Settings:
    # Rate limits (sandbox table of the limits-and-throttles page).
    enabled: bool = True
    per_minute: int = 500
    per_second: int = 10
    batch_per_minute: int = 40
    batch_per_minute_realm: int = 120
    throttle_body: str = "xml"  # the real 429 is XML even when JSON was asked for
    # Sizes.
    max_batch_items: int = 30
    cdc_max_objects: int = 1000
    cdc_window_days: int = 30
    max_results: int = 1000
    default_max_results: int = 100
    requestid_max: int = 50
    batch_requestid_max: int = 36
    batch_bid_max: int = 10
    display_name_max: int = 255
    # Tokens.
    access_token_ttl: int = 3600
    refresh_token_ttl: int = 8726400
    refresh_rotation_seconds: int = 24 * 3600
    refresh_grace_seconds: int = 24 * 3600
    refresh_hard_lifetime: int = 5 * 365 * 24 * 3600
    rotate_refresh_every_time: bool = False
    auth_code_ttl: int = 300  # UNCONFIRMED lifetime: short
    code_reuse_revokes: bool = True  # oauth-jsclient#173
    # Behaviour switches for UNCONFIRMED points (strict defaults).
    maxresults_over_limit: str = "error"  # or "cap"
    hide_inactive: list[str] = field(
        default_factory=lambda: [
            "Account", "Class", "Customer", "Department", "Employee", "Item",
            "PaymentMethod", "Vendor", "TaxCode", "TaxRate", "Term",
        ]
    )  # fmt: skip
    reject_unknown_fields: bool = True
    tax_readonly: bool = True
    projects_readonly: bool = True
    subtotal_lines: bool = True
    duplicate_docnumber_bills: bool = True
    overpayment_error: bool = True
    bill_void_supported: bool = False
    auth_fault_body: str = "json"  # gateway JSON with lower-case keys, or "xml"
    cdc_unsupported_entity_error: bool = True
    case_insensitive_names: bool = True
    # "honor": a TxnTaxDetail.TaxLine Amount supplied for a rate the lines use replaces the
    # computed tax for that rate, with OverrideDeltaAmount = supplied - computed (Intuit's
    # TxnTaxDetail/TaxLineDetail reference). "ignore": the tax is always computed.
    tax_override: str = "honor"
    # PKCE is unconfirmed for Intuit: "ignore" a code_challenge (a server without PKCE) or
    # "verify" it at the code exchange.
    pkce: str = "ignore"
    # The data-queries page says projections are unsupported (all properties come back); clients
    # were seen to get sparse objects. "sparse" returns only the selected properties, which is
    # the reading a client can least rely on; "full" returns whole objects.
    query_projection: str = "sparse"
    # A blank ("") where the XSD wants a date, number or boolean: "ignore" reads it as absent,
    # as QBO must (python-quickbooks sends "" for TxnDate, DueDate, TotalAmt,
    # ApplyTaxAfterDiscount... on every write); "error" refuses it like any malformed value.
    blank_typed_values: str = "ignore"
    # Sandbox companies may send 40 emails a day (limits-and-throttles page).
    emails_per_day: int = 40

    def update(self, values: dict) -> dict:
        known = {f.name for f in fields(self)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise KeyError(", ".join(unknown))
        for key, value in values.items():
            setattr(self, key, value)
        return self.as_dict()

    def as_dict(self) -> dict:
        return asdict(self)

    def limits(self) -> dict:
        return {k: getattr(self, k) for k in LIMIT_KEYS}
