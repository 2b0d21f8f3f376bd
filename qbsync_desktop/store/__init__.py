"""The SQLite store: models on a proxy, `open_store` to bind them to a real file."""

from .db import atomic, close_store, open_store
from .errors import StoreError
from .migrations import LATEST_VERSION, MIGRATIONS, current_version
from .models import (
    ALL_MODELS,
    BaseModel,
    CategorySetting,
    Connection,
    Cursor,
    Link,
    LogEntry,
    Outbox,
    ReviewItem,
    Run,
    SchemaVersion,
    SyncSettings,
    UTCDateTimeField,
    database_proxy,
    utcnow,
)

__all__ = [
    "ALL_MODELS",
    "LATEST_VERSION",
    "MIGRATIONS",
    "BaseModel",
    "CategorySetting",
    "Connection",
    "Cursor",
    "Link",
    "LogEntry",
    "Outbox",
    "ReviewItem",
    "Run",
    "SchemaVersion",
    "StoreError",
    "SyncSettings",
    "UTCDateTimeField",
    "atomic",
    "close_store",
    "current_version",
    "database_proxy",
    "open_store",
    "utcnow",
]
