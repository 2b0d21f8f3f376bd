"""One connection's engine over two in-memory services and a real SQLite store, no HTTP.

`EngineWorld.create()` needs an open store (the `store` fixture of tests/unit/conftest.py). The
connection is a EUR Scoro entity paired with a EUR QuickBooks company without multicurrency;
every category is on, in its default direction, with no start date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from qbsync_desktop.domain import (
    CATEGORY_ORDER,
    Category,
    Contact,
    Direction,
    DocumentLine,
    Invoice,
    Kind,
    Product,
    Record,
    Ref,
    Side,
)
from qbsync_desktop.store import models as m
from qbsync_desktop.sync.engine import DEFAULT_ITEM_NAME, Counts, Engine
from qbsync_desktop.sync.types import Event

from .demo import ACME_REALM
from .fake_gateway import Clock, FakeGateway


def make_connection(**extra) -> m.Connection:
    values = {
        "scoro_site_url": "https://acme.scoro.com",
        "scoro_company_account_id": "acme_ee",
        "scoro_entity_name": "Acme OÜ",
        "scoro_base_currency": "EUR",
        "qbo_realm_id": ACME_REALM,
        "qbo_company_name": "Acme",
        "qbo_home_currency": "EUR",
        "qbo_multicurrency": False,
        "status": "active",
    }
    return m.Connection.create(**(values | extra))


@dataclass
class EngineWorld:
    conn: m.Connection
    settings: m.SyncSettings
    cats: dict[Category, m.CategorySetting]
    scoro: FakeGateway
    qbo: FakeGateway
    events: list[Event] = field(default_factory=list, repr=False)

    @classmethod
    def create(cls, **connection) -> EngineWorld:
        conn = make_connection(**connection)
        # Attachments by hand: an invoice's files are not the subject of these tests.
        settings = m.SyncSettings.create(connection=conn, attachments_mode="manual")
        cats = {}
        for category in CATEGORY_ORDER:
            direction = category.fixed_direction or Direction.SCORO_TO_QBO
            cats[category] = m.CategorySetting.create(
                connection=conn, category=category.value, enabled=True, direction=direction
            )
        clock = Clock()
        world = cls(conn, settings, cats, FakeGateway(Side.SCORO, clock=clock),
                    FakeGateway(Side.QBO, clock=clock))  # fmt: skip
        # QuickBooks needs an item on every invoice line; the company already has the one the
        # app uses for lines without a product, so runs do not make it.
        world.qbo.put(Kind.PRODUCT, Product(id="", name=DEFAULT_ITEM_NAME))
        return world

    def engine(self, **kw) -> Engine:
        return Engine(
            connection=self.conn,
            scoro=self.scoro,
            qbo=self.qbo,
            settings=self.settings,
            category_settings=self.cats,
            emit=self.events.append,
            **kw,
        )

    def run(self, *categories: Category, **kw) -> Counts:
        """One sync run of `categories` (invoices when none are named)."""
        engine = self.engine(**kw)
        engine.run_categories(categories or (Category.INVOICES,))
        return engine.counts

    def start_on(self, category: Category, day: dt.date) -> None:
        row = self.cats[category]
        row.start_date = day
        row.save()

    def set_direction(self, category: Category, direction: Direction) -> None:
        row = self.cats[category]
        row.direction = direction.value
        row.save()

    # ------------------------------------------------------------------ what the store says
    def link(self, kind: Kind, scoro_id: str) -> m.Link | None:
        return m.Link.get_or_none(
            (m.Link.connection == self.conn) & (m.Link.kind == kind.value)
            & (m.Link.scoro_id == scoro_id)
        )  # fmt: skip

    def outbox(self) -> list[m.Outbox]:
        return list(m.Outbox.select().where(m.Outbox.connection == self.conn))

    def review(self, item_type: str | None = None, status: str = "open") -> list[m.ReviewItem]:
        query = m.ReviewItem.select().where(
            (m.ReviewItem.connection == self.conn) & (m.ReviewItem.status == status)
        )
        if item_type is not None:
            query = query.where(m.ReviewItem.type == item_type)
        return list(query.order_by(m.ReviewItem.id))

    def dismiss(self, item: m.ReviewItem) -> None:
        """What the bookkeeper's Dismiss does to the item (sync/service.py)."""
        item.status, item.resolution, item.resolved_at = "dismissed", "dismiss", m.utcnow()
        item.save()

    # ------------------------------------------------------------------ records in Scoro
    def scoro_customer(self, name: str = "Müller GmbH", **kw) -> Contact:
        return self.scoro.put(Kind.CUSTOMER, Contact(id="", name=name, currency="EUR", **kw))

    def scoro_invoice(self, number: str = "1001", contact: Record | None = None, **kw) -> Invoice:
        contact = contact or self.scoro_customer()
        modified = kw.pop("modified", None)
        record = invoice(number, Ref(Kind.CUSTOMER, Side.SCORO, contact.id), **kw)
        return self.scoro.put(Kind.INVOICE, record, modified=modified)


def invoice(
    number: str,
    contact: Ref | None,
    *,
    amount: str = "100.00",
    tax: str = "20.00",
    memo: str = "",
    status: str = "sent",
    currency: str = "EUR",
    date: dt.date = dt.date(2024, 3, 1),
    due_date: dt.date | None = dt.date(2024, 3, 31),
) -> Invoice:
    """A one-line invoice for `amount` net with `tax` on top, as Scoro reports it."""
    line = DocumentLine(
        description="Consulting", unit_price=Decimal(amount), amount=Decimal(amount)
    )
    return Invoice(
        id="",
        number=number,
        contact=contact,
        date=date,
        due_date=due_date,
        currency=currency,
        lines=(line,),
        memo=memo,
        status=status,
        total=Decimal(amount) + Decimal(tax),
        tax_total=Decimal(tax),
    )
