"""Plays the bookkeeper's browser against the QuickBooks sandbox's consent page.

Used by the CLI demo, tests and benchmarks: it does over HTTP exactly what a person does in
the browser (open the authorize URL, pick the company, press Connect) and then follows the
redirect to the app's loopback callback, so the app's real OAuth code runs end to end.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin

import requests

_INPUT = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r'(\w+)="([^"]*)"')


def _hidden_fields(page: str) -> dict[str, str]:
    fields = {}
    for tag in _INPUT.findall(page):
        attrs = {k.lower(): html.unescape(v) for k, v in _ATTR.findall(tag)}
        if attrs.get("type", "").lower() == "hidden" and "name" in attrs:
            fields[attrs["name"]] = attrs.get("value", "")
    return fields


def consent(
    authorize_url: str,
    realm_id: str,
    *,
    approve: bool = True,
    follow_to_callback: bool = True,
    timeout: float = 10.0,
) -> str:
    """Approve (or cancel) on the consent page; returns the callback URL the browser was sent
    to, after requesting it when `follow_to_callback` (which completes a loopback wait)."""
    session = requests.Session()
    page = session.get(authorize_url, timeout=timeout)
    page.raise_for_status()
    form = _hidden_fields(page.text)
    form["realmId"] = realm_id
    form["action"] = "connect" if approve else "cancel"
    action = urljoin(authorize_url, "/connect/oauth2")
    answer = session.post(action, data=form, allow_redirects=False, timeout=timeout)
    location = answer.headers.get("Location", "")
    if answer.status_code not in (301, 302, 303, 307) or not location:
        raise RuntimeError(f"the consent page did not redirect (HTTP {answer.status_code})")
    if follow_to_callback:
        requests.get(location, timeout=timeout)
    return location
