"""A third party's view of the QuickBooks sandbox: python-quickbooks and intuit-oauth over HTTP.

Nothing here imports the app. The sandbox runs as its own process, started with the command in
``QBO_SANDBOX_CMD`` (``make conformance`` passes the app's ``qbsync sandbox quickbooks``), or is
reached at ``QBO_SANDBOX_URL`` when one is already running. The libraries are pointed at it the
way their users point them at a mock: intuit-oauth's discovery URL (``intuitlib.config``) and
python-quickbooks' API base URL attributes.
"""

from __future__ import annotations

import html.parser
import os
import queue
import re
import shlex
import subprocess
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from intuitlib import config as intuit_config
from intuitlib.client import AuthClient
from intuitlib.enums import Scopes
from quickbooks import QuickBooks
from quickbooks.objects.account import Account
from quickbooks.objects.customer import Customer
from quickbooks.objects.item import Item
from quickbooks.objects.preferences import Preferences
from quickbooks.objects.taxcode import TaxCode
from quickbooks.objects.vendor import Vendor

REPO = Path(__file__).resolve().parents[2]
# python-quickbooks talks through requests-oauthlib, which refuses plain http unless told, as
# every user of it against a local mock tells it: oauthlib's documented switch.
os.environ.setdefault("OAUTHLIB_INSECURE_TRANSPORT", "1")
# Any loopback /callback is a registered redirect URI for the sandbox's development keys.
REDIRECT_URI = "http://localhost:8765/callback"
MINOR_VERSION = 75
# The sandbox enforces the real sandbox throttles (10 requests/second per realm and app); a test
# suite runs faster than that, so they are lifted through the control plane, as its docs say.
TEST_LIMITS = {
    "per_minute": 100_000,
    "per_second": 100_000,
    "batch_per_minute": 100_000,
    "batch_per_minute_realm": 100_000,
}


@dataclass
class Sandbox:
    url: str
    client_id: str
    client_secret: str
    realm_id: str

    def control(self, method: str, path: str, body: dict | None = None) -> requests.Response:
        return requests.request(method, f"{self.url}/_sandbox/{path}", json=body, timeout=30)


def _start_process(command: list[str]) -> tuple[subprocess.Popen, dict[str, str]]:
    process = subprocess.Popen(
        command,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    info: dict[str, str] = {}
    seen: list[str] = []
    while "realm_ids" not in info:
        try:
            line = lines.get(timeout=60)
        except queue.Empty:
            line = None
        if line is None:
            process.kill()
            raise RuntimeError("the sandbox did not start:\n" + "".join(seen))
        seen.append(line)
        found = re.match(r"quickbooks sandbox listening on (\S+)", line)
        if found:
            info["url"] = found.group(1)
        elif ":" in line:
            key, _, value = line.partition(":")
            info[key.strip()] = value.strip()
    return process, info


@pytest.fixture(scope="session")
def sandbox() -> Sandbox:
    url = os.environ.get("QBO_SANDBOX_URL")
    process = None
    if url:
        companies = requests.get(f"{url}/_sandbox/companies", timeout=30).json()
        info = {
            "url": url,
            "client_id": companies["client_id"],
            "client_secret": companies["client_secret"],
            "realm_ids": companies["companies"][0]["realmId"],
        }
    else:
        start = os.environ.get("QBO_SANDBOX_CMD", ".venv/bin/qbsync sandbox quickbooks")
        command = [*shlex.split(start), "--host", "127.0.0.1", "--port", "0", "--size", "demo"]
        process, info = _start_process(command)
    box = Sandbox(
        url=info["url"].rstrip("/"),
        client_id=info["client_id"],
        client_secret=info["client_secret"],
        realm_id=info["realm_ids"].split(",")[0].strip(),
    )
    try:
        box.control("POST", "limits", TEST_LIMITS).raise_for_status()
        yield box
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="session", autouse=True)
def _discovery_points_at_sandbox(sandbox: Sandbox):
    """intuit-oauth reads its discovery document from intuitlib.config.DISCOVERY_URL."""
    saved = dict(intuit_config.DISCOVERY_URL)
    discovery = f"{sandbox.url}/.well-known/openid_sandbox_configuration/"
    intuit_config.DISCOVERY_URL["sandbox"] = discovery
    intuit_config.DISCOVERY_URL["production"] = discovery
    yield
    intuit_config.DISCOVERY_URL.update(saved)


class _ConsentForm(html.parser.HTMLParser):
    """What a browser submits from the consent page: the hidden fields and the chosen company."""

    def __init__(self) -> None:
        super().__init__()
        self.action = ""
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "form":
            self.action = values.get("action") or ""
        if tag != "input":
            return
        kind = values.get("type")
        if kind == "hidden":
            self.fields[values["name"]] = values.get("value") or ""
        elif kind == "radio" and "checked" in values:
            self.fields[values["name"]] = values.get("value") or ""


def new_auth_client(sandbox: Sandbox, **kwargs) -> AuthClient:
    return AuthClient(sandbox.client_id, sandbox.client_secret, REDIRECT_URI, "sandbox", **kwargs)


def user_consents(sandbox: Sandbox, authorization_url: str) -> dict[str, str]:
    """Open the authorization URL as a browser and press Connect; return the redirect's query."""
    page = requests.get(authorization_url, timeout=30)
    page.raise_for_status()
    form = _ConsentForm()
    form.feed(page.text)
    target = requests.compat.urljoin(authorization_url, form.action)
    answer = requests.post(
        target, data={**form.fields, "action": "connect"}, allow_redirects=False, timeout=30
    )
    assert answer.status_code == 302, answer.text
    location = answer.headers["Location"]
    assert location.startswith(REDIRECT_URI)
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def connect(sandbox: Sandbox) -> AuthClient:
    """The whole OAuth 2.0 code flow with the openid scope, as an app's users go through it."""
    auth = new_auth_client(sandbox)
    url = auth.get_authorization_url([Scopes.ACCOUNTING, Scopes.OPENID])
    redirect = user_consents(sandbox, url)
    assert redirect["state"] == auth.state_token
    auth.get_bearer_token(redirect["code"], realm_id=redirect["realmId"])
    return auth


@pytest.fixture(scope="session")
def connected(sandbox: Sandbox) -> AuthClient:
    return connect(sandbox)


@pytest.fixture(scope="session")
def qb(sandbox: Sandbox, connected: AuthClient) -> QuickBooks:
    auth = new_auth_client(sandbox, refresh_token=connected.refresh_token)
    client = QuickBooks(
        auth_client=auth,
        refresh_token=connected.refresh_token,
        company_id=connected.realm_id,
        minorversion=MINOR_VERSION,
    )
    client.sandbox_api_url_v3 = f"{sandbox.url}/v3"
    client.api_url_v3 = f"{sandbox.url}/v3"
    return client


def unique(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:10]}"


@dataclass
class Refs:
    """Objects the transaction tests point at, found or made as a user's app would."""

    income: object
    expense: object
    bank: object
    asset: object
    cogs: object
    customer: object
    vendor: object
    service: object
    tax_code: object


def home_currency(qb: QuickBooks) -> str:
    return Preferences.get(qb=qb).CurrencyPrefs.HomeCurrency.value


def first(cls, where: str, qb: QuickBooks):
    found = cls.where(where, qb=qb)
    assert found, f"no {cls.qbo_object_name} where {where}"
    return found[0]


@pytest.fixture(scope="session")
def refs(qb: QuickBooks) -> Refs:
    # Seeded objects, so that the transaction tests do not depend on the name-list writes.
    home = home_currency(qb)
    return Refs(
        income=first(Account, "AccountType = 'Income'", qb),
        expense=first(Account, "AccountType = 'Expense'", qb),
        bank=first(Account, "AccountType = 'Bank'", qb),
        asset=first(Account, "AccountType = 'Other Current Asset'", qb),
        cogs=first(Account, "AccountType = 'Cost of Goods Sold'", qb),
        customer=_in_home_currency(Customer.all(max_results=100, qb=qb), home),
        vendor=_in_home_currency(Vendor.all(max_results=100, qb=qb), home),
        service=first(Item, "Type = 'Service'", qb),
        # The first company keeps VAT: every line carries a tax code, as its users' lines do.
        tax_code=TaxCode.all(qb=qb)[0],
    )


def _in_home_currency(parties: list, home: str):
    for party in parties:
        currency = getattr(party, "CurrencyRef", None)
        if currency is None or currency.value == home:
            return party
    raise AssertionError(f"no party in {home}")
