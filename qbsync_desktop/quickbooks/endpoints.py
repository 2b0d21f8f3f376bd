"""Where the QuickBooks service lives: Intuit's hosts, or a local sandbox on the loopback.

Plain http is accepted only for loopback hosts, and nothing here can turn TLS verification off:
a bookkeeper's books must never travel over an unverified connection.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from ..domain.errors import QbsyncError

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

_INTUIT_AUTHORIZE = "https://appcenter.intuit.com/connect/oauth2"
_INTUIT_TOKEN = "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer"  # noqa: S105 - a URL
_INTUIT_REVOKE = "https://developer.api.intuit.com/v2/oauth2/tokens/revoke"


class InsecureEndpoint(QbsyncError, ValueError):
    """A configured URL would send credentials without TLS. Still a ValueError: it is a bad
    setting, and callers that check settings catch those."""


def is_loopback(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host in LOOPBACK_HOSTS


def check_url(url: str) -> str:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "https" and parts.hostname:
        return url.rstrip("/")
    if scheme == "http" and is_loopback(url):
        return url.rstrip("/")
    raise InsecureEndpoint(
        f"{url} is not a safe address for QuickBooks: it must start with https:// (http:// "
        "only for this computer's own loopback address). Correct the address and try again."
    )


@dataclass(frozen=True)
class QuickBooksEndpoints:
    authorize_url: str
    token_url: str
    revoke_url: str
    api_base: str  # ends with /v3
    environment: str = "production"

    def __post_init__(self) -> None:
        for name in ("authorize_url", "token_url", "revoke_url", "api_base"):
            object.__setattr__(self, name, check_url(getattr(self, name)))

    @property
    def verify(self) -> bool:
        # Deliberately not configurable: https is always verified, loopback http has no TLS.
        return True

    @classmethod
    def production(cls) -> QuickBooksEndpoints:
        return cls(
            _INTUIT_AUTHORIZE,
            _INTUIT_TOKEN,
            _INTUIT_REVOKE,
            "https://quickbooks.api.intuit.com/v3",
            "production",
        )

    @classmethod
    def intuit_sandbox(cls) -> QuickBooksEndpoints:
        # Same OAuth hosts; the development keys decide the environment.
        return cls(
            _INTUIT_AUTHORIZE,
            _INTUIT_TOKEN,
            _INTUIT_REVOKE,
            "https://sandbox-quickbooks.api.intuit.com/v3",
            "sandbox",
        )

    @classmethod
    def local(cls, base_url: str) -> QuickBooksEndpoints:
        base = check_url(base_url)
        return cls(
            f"{base}/connect/oauth2",
            f"{base}/oauth2/v1/tokens/bearer",
            f"{base}/oauth2/v1/tokens/revoke",
            f"{base}/v3",
            "local",
        )
