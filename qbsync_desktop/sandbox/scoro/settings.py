"""Switches for the points the reference marks UNCONFIRMED.

Each default is the stricter reading (the one a client is more likely to trip over), so code
that passes against the sandbox also survives the other reading. Tests flip them through
``ScoroSandbox(behaviour=...)`` or ``POST /_sandbox/behaviour``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

_CHOICES = {
    "error_transport": ("mixed", "http", "envelope"),
    "status_code_style": ("int", "str", "mixed"),
    "date_filter_time": ("truncate", "reject"),
    "unknown_filters": ("refuse", "ignore"),
    "download_format": ("raw", "base64"),
}


@dataclass
class Behaviour:
    # "mixed": validation and not-found errors come as HTTP 200 + status ERROR, auth/routing/
    # rate-limit errors as real 4xx; "http": all real statuses; "envelope": all HTTP 200.
    error_transport: str = "mixed"
    # A number in every envelope, as the SDK types it and compares it (`statusCode !== 200`
    # makes every string answer a failure there). "str" and "mixed" (strings on delete and
    # error envelopes, as some doc examples print them) exist to test clients against them.
    status_code_style: str = "int"
    # Flags (is_client, is_deleted, ...) as 1/0 like the doc examples, not true/false.
    bool_as_int: bool = True
    # Lines stay null in list results even with detailed_response: a view is needed.
    detailed_includes_lines: bool = False
    # Page size caps (documented 100; 25 with detailed_response per N8N).
    max_per_page: int = 100
    max_per_page_detailed: int = 25
    default_per_page: int = 50
    # Deleted objects are returned with include_deleted only this many days; None = forever.
    deleted_retention_days: int | None = 30
    # A time of day in from_date/to_date: ignored ("truncate") or an error ("reject").
    date_filter_time: str = "truncate"
    # A filter key that is no field of the module: "refuse" answers a 400 naming it (a
    # misspelt filter that is ignored would silently return every row); "ignore" drops it.
    unknown_filters: str = "refuse"
    # receipts/view is not in the SDK; off means "Unknown action".
    receipts_view: bool = False
    # The reference lists pdf/<id> for invoices and prepayments only; off means bills/pdf is
    # "Unknown action". Links handed out always serve a PDF.
    bills_pdf: bool = False
    # files/download answers raw bytes; "base64" answers an envelope with file_data.
    download_format: str = "raw"
    # Invoice numbers must be unique among live invoices of the entity.
    unique_invoice_no: bool = True
    # Money as JSON numbers (SDK types) or as numeric strings.
    money_as_string: bool = False

    def update(self, changes: dict[str, Any]) -> None:
        names = {f.name: f for f in dataclasses.fields(self)}
        for key, value in changes.items():
            if key not in names:
                raise ValueError(f"unknown behaviour switch {key!r}")
            if key in _CHOICES and value not in _CHOICES[key]:
                raise ValueError(f"{key} must be one of {_CHOICES[key]}")
            setattr(self, key, value)

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)
