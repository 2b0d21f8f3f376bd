"""Connection wizard: Scoro entity → QuickBooks app → authorize in the browser → currencies →
first settings, rules R01 to R06 of docs/rules.md. Every network call runs on the worker pool.

One page per module; `dialog` assembles them."""

from .common import PAGE_APP, PAGE_AUTHORIZE, PAGE_CURRENCY, PAGE_SCORO, PAGE_SETTINGS, PAGE_WELCOME
from .dialog import ConnectionWizard

__all__ = [
    "PAGE_APP",
    "PAGE_AUTHORIZE",
    "PAGE_CURRENCY",
    "PAGE_SCORO",
    "PAGE_SETTINGS",
    "PAGE_WELCOME",
    "ConnectionWizard",
]
