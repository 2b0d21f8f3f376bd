"""QuickBooks Online connector: OAuth, transport, API, mapping and the sync gateway."""

from .api import QboApi
from .endpoints import QboEndpoints
from .gateway import QuickBooksGateway
from .oauth import QboOAuth, TokenSet
from .ratebudget import RateBudget
from .tokens import TokenManager
from .transport import QboTransport

__all__ = [
    "QboApi",
    "QboEndpoints",
    "QboOAuth",
    "QboTransport",
    "QuickBooksGateway",
    "RateBudget",
    "TokenManager",
    "TokenSet",
]
