"""QuickBooks Online connector: OAuth, transport, API, mapping and the sync gateway."""

from .api import QuickBooksApi
from .endpoints import QuickBooksEndpoints
from .gateway import QuickBooksGateway
from .oauth import QuickBooksOAuth, TokenSet
from .ratebudget import RateBudget
from .tokens import TokenManager
from .transport import QuickBooksTransport

__all__ = [
    "QuickBooksApi",
    "QuickBooksEndpoints",
    "QuickBooksGateway",
    "QuickBooksOAuth",
    "QuickBooksTransport",
    "RateBudget",
    "TokenManager",
    "TokenSet",
]
