"""Peewee models on a Proxy database (docs/design.md). No secret is ever stored here."""

from __future__ import annotations

import datetime as dt

import peewee as pw

database_proxy = pw.DatabaseProxy()


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTimeField(pw.DateTimeField):
    """Stored as ISO text with offset; always read back as an aware UTC datetime."""

    field_type = "TEXT"

    def db_value(self, value):
        if value is None:
            return None
        if isinstance(value, str):
            return value
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC).isoformat()

    def python_value(self, value):
        if value is None or isinstance(value, dt.datetime):
            return value
        parsed = dt.datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


class BaseModel(pw.Model):
    # The key peewee adds by itself when a model declares none, written out so type checkers
    # know `Model.id`; every table keeps the same "id" INTEGER PRIMARY KEY.
    id = pw.AutoField()
    # Likewise each `x = ForeignKeyField(...)` below is followed by the bare annotation
    # `x_id: int`: the raw key peewee exposes beside it. An annotation alone adds no class
    # attribute, so peewee's own accessor stays and the schema is unchanged.

    class Meta:
        database = database_proxy
        legacy_table_names = False


class SchemaVersion(BaseModel):
    version = pw.IntegerField()
    applied_at = UTCDateTimeField(default=utcnow)


class Connection(BaseModel):
    """One Scoro entity paired with one QuickBooks company."""

    scoro_site_url = pw.TextField()
    scoro_company_account_id = pw.TextField()
    scoro_entity_name = pw.TextField(default="")
    scoro_base_currency = pw.TextField(default="")
    qbo_realm_id = pw.TextField(default="")
    qbo_company_name = pw.TextField(default="")
    qbo_home_currency = pw.TextField(default="")
    qbo_multicurrency = pw.BooleanField(default=False)
    qbo_class_tracking = pw.TextField(default="off")  # off | per_document | per_line
    qbo_client_id = pw.TextField(default="")
    environment = pw.TextField(default="production")  # production | intuit_sandbox | local
    qbo_api_base = pw.TextField(default="")
    redirect_uri = pw.TextField(default="")
    first_connected_at = UTCDateTimeField(null=True)
    # draft | currency_blocked | active | reconnect_needed | disconnected
    status = pw.TextField(default="draft")
    status_message = pw.TextField(default="")
    created_at = UTCDateTimeField(default=utcnow)

    # Backrefs peewee sets on this class from the foreign keys below, declared (annotation
    # only, like the `x_id` keys) so type checkers know them.
    categories: pw.ModelSelect[CategorySetting]
    sync_settings: pw.ModelSelect[SyncSettings]
    links: pw.ModelSelect[Link]
    cursors: pw.ModelSelect[Cursor]
    outbox: pw.ModelSelect[Outbox]
    generations: pw.ModelSelect[WriteGeneration]
    runs: pw.ModelSelect[Run]
    log: pw.ModelSelect[LogEntry]
    review_items: pw.ModelSelect[ReviewItem]
    target_mappings: pw.ModelSelect[TargetMapping]

    class Meta:
        indexes = ((("scoro_site_url", "scoro_company_account_id"), True),)

    @property
    def title(self) -> str:
        left = self.scoro_entity_name or self.scoro_company_account_id
        right = self.qbo_company_name or "QuickBooks (not connected)"
        return f"{left} ⇄ {right}"


class CategorySetting(BaseModel):
    connection = pw.ForeignKeyField(Connection, backref="categories", on_delete="CASCADE")
    connection_id: int
    category = pw.TextField()
    enabled = pw.BooleanField(default=False)
    direction = pw.TextField()
    start_date = pw.DateField(null=True)
    initial_sync_done_at = UTCDateTimeField(null=True)
    bookmark_id = pw.TextField(null=True)
    bookmark_name = pw.TextField(null=True)
    last_run_at = UTCDateTimeField(null=True)
    last_result = pw.TextField(default="")

    class Meta:
        indexes = ((("connection", "category"), True),)


class SyncSettings(BaseModel):
    connection = pw.ForeignKeyField(
        Connection, backref="sync_settings", on_delete="CASCADE", unique=True
    )
    connection_id: int
    mode = pw.TextField(default="manual")  # manual | hourly | daily | weekly
    background_mode = pw.TextField(default="daily")  # manual | hourly | daily | weekly
    default_income_account = pw.TextField(null=True)  # QBO account id
    default_expense_account = pw.TextField(null=True)
    bills_without_tax = pw.BooleanField(default=False)
    attachments_mode = pw.TextField(default="automatic")  # automatic | manual
    last_background_run_at = UTCDateTimeField(null=True)
    saved_at = UTCDateTimeField(null=True)


class Link(BaseModel):
    """The three-way merge base: what both sides looked like when last in sync."""

    connection = pw.ForeignKeyField(Connection, backref="links", on_delete="CASCADE")
    connection_id: int
    kind = pw.TextField()
    scoro_id = pw.TextField()
    qbo_id = pw.TextField()
    qbo_sync_token = pw.TextField(default="")
    scoro_fingerprint = pw.TextField(default="")
    qbo_fingerprint = pw.TextField(default="")
    snapshot = pw.TextField(default="")
    synced_at = UTCDateTimeField(default=utcnow)

    class Meta:
        indexes = (
            (("connection", "kind", "scoro_id"), True),
            (("connection", "kind", "qbo_id"), True),
        )


class Cursor(BaseModel):
    connection = pw.ForeignKeyField(Connection, backref="cursors", on_delete="CASCADE")
    connection_id: int
    kind = pw.TextField()
    side = pw.TextField()
    watermark = pw.TextField(default="")
    updated_at = UTCDateTimeField(default=utcnow)

    class Meta:
        indexes = ((("connection", "kind", "side"), True),)


class Outbox(BaseModel):
    """A write that has been decided but not confirmed. Replayed first on the next run."""

    connection = pw.ForeignKeyField(Connection, backref="outbox", on_delete="CASCADE")
    connection_id: int
    kind = pw.TextField()
    op = pw.TextField()  # create | update | delete
    target_side = pw.TextField()
    key = pw.TextField()  # the source record id
    requestid = pw.TextField()
    payload = pw.TextField()
    created_at = UTCDateTimeField(default=utcnow)
    attempts = pw.IntegerField(default=0)

    class Meta:
        indexes = ((("connection", "kind", "key"), True),)


class WriteGeneration(BaseModel):
    """Moves when a create is known not to have made anything (QuickBooks refused it), so the
    next try carries a new requestid: QuickBooks answers a repeated requestid with the first
    answer, refusal included."""

    connection = pw.ForeignKeyField(Connection, backref="generations", on_delete="CASCADE")
    connection_id: int
    kind = pw.TextField()
    key = pw.TextField()  # the source record id
    value = pw.IntegerField(default=0)

    class Meta:
        indexes = ((("connection", "kind", "key"), True),)


class Run(BaseModel):
    connection = pw.ForeignKeyField(Connection, backref="runs", on_delete="CASCADE")
    connection_id: int
    started_at = UTCDateTimeField(default=utcnow)
    finished_at = UTCDateTimeField(null=True)
    trigger = pw.TextField(default="manual")  # manual | automatic | single | cli
    categories = pw.TextField(default="")
    dry_run = pw.BooleanField(default=False)
    status = pw.TextField(default="running")  # running | ok | review | failed | cancelled
    created = pw.IntegerField(default=0)
    updated = pw.IntegerField(default=0)
    unchanged = pw.IntegerField(default=0)
    held = pw.IntegerField(default=0)
    failed = pw.IntegerField(default=0)
    requests = pw.IntegerField(default=0)
    message = pw.TextField(default="")

    log: pw.ModelSelect[LogEntry]  # backref from LogEntry.run, annotation only


class LogEntry(BaseModel):
    connection = pw.ForeignKeyField(Connection, backref="log", on_delete="CASCADE", null=True)
    connection_id: int | None
    run = pw.ForeignKeyField(Run, backref="log", on_delete="CASCADE", null=True)
    run_id: int | None
    at = UTCDateTimeField(default=utcnow, index=True)
    level = pw.TextField(default="info")  # debug | info | warning | error
    category = pw.TextField(default="")
    message = pw.TextField()


class ReviewItem(BaseModel):
    connection = pw.ForeignKeyField(Connection, backref="review_items", on_delete="CASCADE")
    connection_id: int
    kind = pw.TextField()
    object_id = pw.TextField()  # the source-side id
    object_side = pw.TextField()
    object_label = pw.TextField(default="")
    # conflict | currency_mismatch | multiple_projects | outdated_tax_rate | class_tracking_off
    # | paid_document | validation_error | deleted_at_source | edited_in_scoro | write_failed
    type = pw.TextField()
    message = pw.TextField()
    details = pw.TextField(default="{}")
    status = pw.TextField(default="open")  # open | resolved | dismissed
    resolution = pw.TextField(default="")
    created_at = UTCDateTimeField(default=utcnow)
    resolved_at = UTCDateTimeField(null=True)

    class Meta:
        indexes = ((("connection", "kind", "object_id", "type", "status"), False),)


class TargetMapping(BaseModel):
    """A bookkeeper's "Fix it here" choice, remembered per connection: a Scoro tax rate sent
    as another (current) QuickBooks rate, or a Scoro contact's documents in one currency sent
    to a separate QuickBooks contact in that currency."""

    connection = pw.ForeignKeyField(Connection, backref="target_mappings", on_delete="CASCADE")
    connection_id: int
    kind = pw.TextField()  # tax_rate | customer | vendor
    scoro_id = pw.TextField()
    currency = pw.TextField(default="")  # "" for tax rates
    qbo_id = pw.TextField()
    label = pw.TextField(default="")  # what the bookkeeper chose, e.g. "VAT 24%"
    created_at = UTCDateTimeField(default=utcnow)

    class Meta:
        indexes = ((("connection", "kind", "scoro_id", "currency"), True),)


ALL_MODELS = [
    SchemaVersion,
    Connection,
    CategorySetting,
    SyncSettings,
    Link,
    Cursor,
    Outbox,
    WriteGeneration,
    Run,
    LogEntry,
    ReviewItem,
    TargetMapping,
]
