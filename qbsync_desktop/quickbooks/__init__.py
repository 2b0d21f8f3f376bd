"""QuickBooks Online connector: OAuth, transport, API, mapping and the sync gateway."""

from .api import QboApi
from .endpoints import QboEndpoints
from .factory import QboConnection, build_connection, build_gateway
from .gateway import QuickBooksGateway
from .oauth import QboOAuth, TokenSet
from .ratebudget import RateBudget
from .tokens import TokenManager
from .transport import QboTransport

__all__ = [
    "QboApi",
    "QboConnection",
    "QboEndpoints",
    "QboOAuth",
    "QboTransport",
    "QuickBooksGateway",
    "RateBudget",
    "TokenManager",
    "TokenSet",
    "build_connection",
    "build_gateway",
]
