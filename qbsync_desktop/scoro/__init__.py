"""Scoro connector: transport (HTTP, errors, rate budget), api (paging, files), mapping
(Scoro JSON <-> domain) and the SideGateway for Side.SCORO."""

from .api import ScoroApi
from .gateway import ScoroGateway
from .transport import ScoroTransport

__all__ = ["ScoroApi", "ScoroGateway", "ScoroTransport"]
