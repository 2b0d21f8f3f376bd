"""Seed data built from ``sandbox/demo_pairing.py``, deterministic for a given seed.

Sizes:
- ``empty``: the entities and users only.
- ``small``: acme_ee reference data (vatCodes, financeAccounts, financeObjects,
  receiptAccounts, clientProfiles), contacts, products, projects and invoices 1001-1002; the
  other entities get a few contacts and products.
- ``demo``: all of demo_pairing: invoices, the credit invoice, bills, the receipt, bookmarks
  and PDF attachments (on 1001 and B-501).
- ``large``: demo plus 50 contacts, 20 products, 300 invoices and 100 bills, generated.
- explicit counts: ``{"base": "demo", "extra_invoices": N, "extra_contacts": N,
  "extra_products": N, "extra_bills": N}`` (or the string ``"demo+extra_invoices=N"``).

All writes go through the same code as the API, so seeded records obey the same rules.
Seeded records are stamped one day before the sandbox's "now", so an edit made "today" is
visible to a day-granular ``modified_date`` filter.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from .. import demo_pairing as demo
from . import files
from .clock import SiteTime
from .records import SPECS, Ctx, write
from .settings import Behaviour
from .store import SITE, Store

SIZES = ("empty", "small", "demo", "large")
LARGE_EXTRA = {
    "extra_contacts": 50,
    "extra_products": 20,
    "extra_invoices": 300,
    "extra_bills": 100,
}
EXTRA_KEYS = ("extra_contacts", "extra_products", "extra_invoices", "extra_bills")

ENTITY_DETAILS: dict[str, dict[str, Any]] = {
    "acme_ee": {
        "alternative_name": "Acme",
        "email": "office@acme.example",
        "website": "https://acme.example",
        "phone": "+372 600 0000",
        "reg_no": "12345678",
        "vat_no": "EE101234567",
        "language": "est",
        "address": [
            {
                "country": "EST",
                "city": "Tallinn",
                "street": "Narva mnt 5",
                "zipcode": "10117",
                "county": "Harjumaa",
                "municipality": None,
            }
        ],
    },
    "acme_us": {
        "alternative_name": "Acme US",
        "email": "us@acme.example",
        "website": "https://acme.example/us",
        "phone": "+1 555 0100",
        "reg_no": "US-778899",
        "vat_no": None,
        "language": "eng",
        "address": [
            {
                "country": "USA",
                "city": "Boston",
                "street": "1 Main St",
                "zipcode": "02110",
                "county": "MA",
                "municipality": None,
            }
        ],
    },
    "acme_uk": {
        "alternative_name": "Acme UK",
        "email": "uk@acme.example",
        "website": "https://acme.example/uk",
        "phone": "+44 20 7946 0000",
        "reg_no": "09876543",
        "vat_no": "GB123456789",
        "language": "eng",
        "address": [
            {
                "country": "GBR",
                "city": "London",
                "street": "10 Fleet St",
                "zipcode": "EC4Y 1AA",
                "county": None,
                "municipality": None,
            }
        ],
    },
}
USERS = [
    ("Anna", "Admin", "anna.admin@acme.example", "Administrator"),
    ("Kati", "Kask", "kati.kask@acme.example", "Bookkeeper"),
    ("Peeter", "Paju", "peeter.paju@acme.example", "Sales"),
]
# Per extra entity: vat codes, finance accounts, contacts, products.
OTHER_ENTITY_DATA = {
    "acme_us": {
        "vat": [("EXEMPT", "0"), ("ST6", "6.25")],
        "contacts": [("Boston Bakers LLC", "client"), ("Harbor Paper Co", "supplier")],
        "products": [("Consulting hour", "120.00"), ("Training day", "900.00")],
    },
    "acme_uk": {
        "vat": [("VAT20", "20"), ("VAT0", "0")],
        "contacts": [("Thames Tea Ltd", "client"), ("Camden Print", "supplier")],
        "products": [("Consulting hour", "85.00"), ("Workshop", "650.00")],
    },
}
NAME_A = [
    "Nordic",
    "Baltic",
    "Alpine",
    "Harbor",
    "Granite",
    "Silver",
    "Amber",
    "Pine",
    "Cobalt",
    "Linden",
    "Aurora",
    "Meadow",
    "Falcon",
    "Oak",
    "River",
    "Summit",
]
NAME_B = [
    "Logistics",
    "Foods",
    "Design",
    "Systems",
    "Textiles",
    "Motors",
    "Media",
    "Energy",
    "Pharma",
    "Builders",
    "Studio",
    "Analytics",
    "Furniture",
    "Travel",
]
NAME_C = ["OÜ", "AS", "GmbH", "Ltd", "SIA", "Oy", "AB", "LLC"]
PRODUCT_WORDS = [
    "Audit",
    "Workshop",
    "Licence",
    "Support",
    "Training",
    "Report",
    "Setup",
    "Migration",
    "Review",
    "Maintenance",
    "Analysis",
    "Design",
]


def parse_size(size: Any) -> tuple[str, dict[str, int]]:
    """'demo' | 'demo+extra_invoices=10' | {'base': 'demo', 'extra_invoices': 10}."""
    if isinstance(size, dict):
        base = str(size.get("base", "demo"))
        extra = {k: int(v) for k, v in size.items() if k != "base"}
    else:
        base, *rest = str(size).split("+")
        extra = {}
        for part in rest:
            key, _, value = part.partition("=")
            extra[key.strip()] = int(value)
    if base not in SIZES:
        raise ValueError(f"size must be one of {SIZES} (or a mapping with 'base')")
    unknown = set(extra) - set(EXTRA_KEYS)
    if unknown:
        raise ValueError(f"unknown size keys: {sorted(unknown)}")
    if base == "large":
        extra = {**LARGE_EXTRA, **{k: LARGE_EXTRA.get(k, 0) + v for k, v in extra.items()}}
    return base, extra


def build(
    store: Store,
    *,
    seed: int,
    size: Any,
    now: dt.datetime,
    site: SiteTime,
    behaviour: Behaviour,
    recent: bool = False,
) -> None:
    base, extra = parse_size(size)
    rng = random.Random(seed)
    # Demo mode seeds "just made" records so the first sync after connecting meets them (R40).
    stamp = now - (dt.timedelta(minutes=2) if recent else dt.timedelta(days=1))
    store.api_key = demo.DEMO_SCORO_API_KEY
    for entity in demo.ENTITIES:
        info = {k: v for k, v in entity.items() if k != "realm_id"}
        info["company_name"] = info.pop("name")
        info["active_currencies"] = list(info["active_currencies"])
        info.update(ENTITY_DETAILS.get(info["company_account_id"], {}))
        info["site_version"] = "2026.11"
        store.add_entity(info)
    first = demo.ENTITIES[0]["company_account_id"]
    seeder = _Seeder(store, first, stamp, site, behaviour, rng)
    seeder.users(seed)
    if base == "empty" and not any(extra.values()):
        return
    if base != "empty":
        seeder.reference_data()
        seeder.contacts_products_projects()
        seeder.documents(full=base in ("demo", "large"))
        for cid in list(store.entities)[1:]:
            _Seeder(store, cid, stamp, site, behaviour, rng).other_entity(cid)
    seeder.generate(extra)


class _Seeder:
    def __init__(
        self,
        store: Store,
        cid: str,
        stamp: dt.datetime,
        site: SiteTime,
        behaviour: Behaviour,
        rng: random.Random,
    ) -> None:
        self.ctx = Ctx(store=store, cid=cid, now=stamp, site=site, behaviour=behaviour, user_id=1)
        self.rng = rng
        self.ids: dict[tuple[str, str], int] = {}

    def put(self, module: str, key: str | None, data: dict[str, Any]) -> dict[str, Any]:
        rec = write(self.ctx, SPECS[module], None, data)
        if key is not None:
            self.ids[(module, key)] = rec[SPECS[module].id_field]
        return rec

    def ref(self, module: str, key: str | None) -> int | None:
        return None if key is None else self.ids[(module, key)]

    def users(self, seed: int) -> None:
        store = self.ctx.store
        rng = random.Random(seed * 7919 + 17)
        for first, last, email, category in USERS:
            rec = self.put(
                "users",
                email,
                {"firstname": first, "lastname": last, "email": email, "category": category},
            )
            token = "ScoroDemoUserToken_" + "".join(
                rng.choice("0123456789abcdef") for _ in range(24)
            )
            store.user_tokens[token] = rec["id"]

    def reference_data(self) -> None:
        for tax in demo.TAX_RATES:
            # QuickBooks holds VAT22 as inactive; in Scoro it is still an active code (R57).
            self.put(
                "vatCodes",
                tax["code"],
                {
                    "vat_code": tax["code"],
                    "vat_name": tax["name"],
                    "percent": tax["rate"],
                    "is_active": True,
                },
            )
        for acc in demo.ACCOUNTS:
            self.put(
                "financeAccounts",
                acc["number"],
                {
                    "account_symbol": acc["number"],
                    "name": acc["name"],
                    "is_sales_account": acc["type"] == "Income",
                    "is_purchases_account": acc["type"] in ("Expense", "Cost of Goods Sold"),
                },
            )
        for name in demo.CLASSES:
            self.put(
                "financeObjects",
                name,
                {
                    "object_symbol": name[:4].upper(),
                    "name": name,
                    "parent_group_name": "Departments",
                },
            )
        self.put(
            "receiptAccounts",
            "bank",
            {
                "name": "Bank (EUR)",
                "type": "bank",
                "currency": "EUR",
                "finance_account_id": self.ref("financeAccounts", "1000"),
            },
        )
        self.put("receiptAccounts", "cash", {"name": "Cash", "type": "cash", "currency": "EUR"})
        self.put(
            "clientProfiles", "EUR", {"name": "Default", "currency": "EUR", "is_default": True}
        )
        self.put("clientProfiles", "USD", {"name": "USD clients", "currency": "USD"})
        self.put("clientProfiles", "GBP", {"name": "GBP clients", "currency": "GBP"})

    def contacts_products_projects(self) -> None:
        country = {"EUR": "EST", "USD": "DEU", "GBP": "GBR"}
        for i, c in enumerate(demo.CONTACTS_SCORO):
            data: dict[str, Any] = {
                "contact_type": c["type"],
                "is_client": c["client"],
                "is_supplier": c["supplier"],
                "means_of_contact": {"email": [c["email"]]},
                "client_profile_id": self.ref("clientProfiles", c["currency"]),
                "manager_id": 2 if i % 2 == 0 else 3,
                "addresses": [
                    {
                        "country": country[c["currency"] or "EUR"],
                        "city": "Tallinn" if not c["currency"] else None,
                        "street": f"Street {i + 1}",
                    }
                ],
            }
            if c["type"] == "person":
                data.update(name=c["first_name"], lastname=c["last_name"])
            else:
                data.update(name=c["name"], vatno=f"EE10{i:07d}")
            self.put("contacts", c["name"], data)
        all_products = [(p, True) for p in demo.PRODUCTS_BOTH]
        all_products += [(p, False) for p in demo.PRODUCTS_SCORO_ONLY]
        for i, (p, _both) in enumerate(all_products):
            service = "hour" in p["name"] or "work" in p["name"]
            self.put(
                "products",
                p["name"],
                {
                    "code": f"P-{i + 1:03d}",
                    "name": p["name"],
                    "price": p["price"],
                    "buying_price": p["buying_price"],
                    "is_service": service,
                    "unit": "h" if service else "pcs",
                    "default_vat_code_id": self.ref("vatCodes", "VAT24"),
                    "sales_finance_account_id": self.ref("financeAccounts", p["income"]),
                    "purchases_finance_account_id": self.ref("financeAccounts", "5000"),
                },
            )
        for p in demo.PROJECTS_SCORO:
            self.put(
                "projects",
                p["name"],
                {
                    "project_name": p["name"],
                    "company_id": self.ref("contacts", p["client"]),
                    "status": p["status"],
                    "manager_id": 2,
                    "date": "2026-10-01",
                },
            )

    def _line(
        self,
        product: str | None,
        text: str,
        qty: str,
        price: str,
        vat: str,
        project: str | None,
        account: str | None = None,
    ) -> dict[str, Any]:
        prod = self.ctx.live("products", self.ref("products", product))
        if account is None:
            account_id = (
                prod["sales_finance_account_id"] if prod else self.ref("financeAccounts", "4100")
            )
        else:
            account_id = self.ref("financeAccounts", account)
        return {
            "product_id": prod["product_id"] if prod else None,
            "comment": text,
            "amount": qty,
            "price": price,
            "vat_code_id": self.ref("vatCodes", vat),
            "project_id": self.ref("projects", project),
            "finance_account_id": account_id,
            "unit": prod.get("unit") if prod else None,
        }

    def documents(self, *, full: bool) -> None:
        owners = {"1001": 2, "1002": 2, "1003": 3, "1004": 2, "1005": 1}
        statuses = {
            "1001": "sent",
            "1002": "sent",
            "1003": "unpaid",
            "1004": "sent",
            "1005": "unpaid",
        }
        invoices = demo.INVOICES_SCORO if full else demo.INVOICES_SCORO[:2]
        for inv in invoices:
            rec = self.put(
                "invoices",
                inv["no"],
                {
                    "no": inv["no"],
                    "company_id": self.ref("contacts", inv["client"]),
                    "date": inv["date"],
                    "deadline": inv["deadline"],
                    "currency": inv["currency"],
                    "status": statuses.get(inv["no"], "sent"),
                    "owner_id": owners.get(inv["no"], 1),
                    "lines": [self._line(*line) for line in inv["lines"]],
                },
            )
            if full and inv.get("attachment"):
                files.attach(
                    self.ctx,
                    inv["attachment"],
                    files.pdf_bytes(f"Invoice {inv['no']} - {inv['attachment']}"),
                    "invoices",
                    rec["id"],
                )
        if not full:
            return
        for cn in demo.CREDIT_NOTES_SCORO:
            self.put(
                "invoices",
                cn["no"],
                {
                    "no": cn["no"],
                    "company_id": self.ref("contacts", cn["client"]),
                    "date": cn["date"],
                    "currency": cn["currency"],
                    "status": "sent",
                    "owner_id": 2,
                    "credited_invoices": [self.ref("invoices", cn["credits"])],
                    "lines": [self._line(*line) for line in cn["lines"]],
                },
            )
        bill_status = {"B-501": "approved", "B-502": "unpaid"}
        for bill in demo.BILLS_SCORO:
            rec = self.put(
                "bills",
                bill["no"],
                {
                    "no": bill["no"],
                    "company_id": self.ref("contacts", bill["supplier"]),
                    "date": bill["date"],
                    "deadline": bill["deadline"],
                    "currency": bill["currency"],
                    "status": bill_status.get(bill["no"], "unpaid"),
                    "owner_id": 2,
                    "lines": [self._line(*line) for line in bill["lines"]],
                },
            )
            if bill.get("attachment"):
                files.attach(
                    self.ctx,
                    bill["attachment"],
                    files.pdf_bytes(f"Bill {bill['no']} - {bill['attachment']}"),
                    "bills",
                    rec["id"],
                )
        for r in demo.RECEIPTS_SCORO:
            self.put(
                "receipts",
                None,
                {
                    "date": r["date"],
                    "receipt_account_id": self.ref("receiptAccounts", "bank"),
                    "receipts": [
                        {"invoice_id": self.ref("invoices", r["invoice"]), "sum": r["amount"]}
                    ],
                },
            )
        for b in demo.BOOKMARKS_SCORO:
            self.put(
                "bookmarks",
                b["name"],
                {"module": b["module"], "name": b["name"], "filter": b["filter"], "user_id": 2},
            )

    def other_entity(self, cid: str) -> None:
        data = OTHER_ENTITY_DATA.get(cid)
        if data is None:
            return
        currency = self.ctx.entity["base_currency"]
        for code, rate in data["vat"]:
            self.put("vatCodes", code, {"vat_code": code, "percent": rate})
        self.put(
            "financeAccounts",
            "4000",
            {"account_symbol": "4000", "name": "Sales", "is_sales_account": True},
        )
        self.put(
            "financeAccounts",
            "6000",
            {"account_symbol": "6000", "name": "Expenses", "is_purchases_account": True},
        )
        self.put("receiptAccounts", "bank", {"name": f"Bank ({currency})", "currency": currency})
        for name, role in data["contacts"]:
            self.put(
                "contacts",
                name,
                {"name": name, "is_client": role == "client", "is_supplier": role == "supplier"},
            )
        for i, (name, price) in enumerate(data["products"]):
            self.put(
                "products",
                name,
                {
                    "name": name,
                    "price": price,
                    "code": f"P-{i + 1:03d}",
                    "sales_finance_account_id": self.ref("financeAccounts", "4000"),
                },
            )

    # -- generated volume -----------------------------------------------------------------

    def _ensure_basics(self) -> None:
        ctx = self.ctx
        if not any(r.get("_deleted") is None for r in ctx.table("vatCodes").values()):
            for tax in demo.TAX_RATES:
                self.put("vatCodes", tax["code"], {"vat_code": tax["code"], "percent": tax["rate"]})
        if not any(r.get("_deleted") is None for r in ctx.table("financeAccounts").values()):
            for acc in demo.ACCOUNTS:
                self.put(
                    "financeAccounts",
                    acc["number"],
                    {"account_symbol": acc["number"], "name": acc["name"]},
                )

    def generate(self, extra: dict[str, int]) -> None:
        if not any(extra.values()):
            return
        self._ensure_basics()
        ctx, rng = self.ctx, self.rng

        def live(module: str) -> list[dict[str, Any]]:
            return [r for r in ctx.table(module).values() if r.get("_deleted") is None]

        vat_ids = [r["vat_code_id"] for r in live("vatCodes")]
        accounts = [r["id"] for r in live("financeAccounts")]
        by_symbol = {r.get("account_symbol"): r["id"] for r in live("financeAccounts")}
        for i in range(extra.get("extra_contacts", 0)):
            name = f"{rng.choice(NAME_A)} {rng.choice(NAME_B)} {i + 1} {rng.choice(NAME_C)}"
            self.put(
                "contacts",
                None,
                {
                    "name": name,
                    "is_client": True,
                    "is_supplier": rng.random() < 0.3,
                    "means_of_contact": {"email": [f"billing{i + 1}@example.com"]},
                },
            )
        for i in range(extra.get("extra_products", 0)):
            self.put(
                "products",
                None,
                {
                    "name": f"{rng.choice(PRODUCT_WORDS)} package {i + 1}",
                    "code": f"G-{i + 1:04d}",
                    "price": str(Decimal(rng.randint(1000, 250000)) / 100),
                    "default_vat_code_id": rng.choice(vat_ids),
                    "sales_finance_account_id": by_symbol.get(rng.choice(["4000", "4100"])),
                    "purchases_finance_account_id": by_symbol.get("5000"),
                },
            )
        # Generated documents look like a healthy site: nearly all open, in the entity's
        # currency and with current tax rates; a few per hundred meet the review rules.
        base_currency = ctx.entity.get("base_currency")
        profiles = {p.get("client_profile_id"): p.get("currency") for p in live("clientProfiles")}
        odd_vats = [r["vat_code_id"] for r in live("vatCodes") if r.get("vat_code") == "VAT22"]
        good_vats = [v for v in vat_ids if v not in odd_vats] or vat_ids
        clients_all = [r for r in live("contacts") if r.get("is_client")]
        home_clients = [
            r["contact_id"]
            for r in clients_all
            if profiles.get(r.get("client_profile_id")) in (None, "", base_currency)
        ]
        clients = [r["contact_id"] for r in live("contacts") if r.get("is_client")]
        suppliers = [r["contact_id"] for r in live("contacts") if r.get("is_supplier")]
        products = [r for r in live("products")]
        if not clients:
            clients = [
                self.put("contacts", None, {"name": "Generated Client OÜ", "is_client": True})[
                    "contact_id"
                ]
            ]
        if not suppliers:
            suppliers = [
                self.put("contacts", None, {"name": "Generated Supplier AS", "is_supplier": True})[
                    "contact_id"
                ]
            ]
        if not products:
            products = [
                self.put("products", None, {"name": "Generated service", "price": "100.00"})
            ]
        start = dt.date(2026, 1, 1)
        numbers = [
            int(r["no"]) for r in ctx.table("invoices").values() if str(r.get("no", "")).isdigit()
        ]
        next_no = max(numbers, default=1000) + 1
        # Numbers are unique by construction; skipping the per-write scan keeps big seeds fast.
        unique = ctx.behaviour.unique_invoice_no
        ctx.behaviour.unique_invoice_no = False
        try:
            for module, count, parties in (
                ("invoices", extra.get("extra_invoices", 0), clients),
                ("bills", extra.get("extra_bills", 0), suppliers),
            ):
                for i in range(count):
                    day = start + dt.timedelta(days=rng.randint(0, 330))
                    lines = []
                    for _ in range(rng.randint(1, 4)):
                        prod = rng.choice(products)
                        lines.append(
                            {
                                "product_id": prod["product_id"],
                                "comment": prod["name"],
                                "amount": str(rng.randint(1, 20)),
                                "price": str(prod.get("price") or "100.00"),
                                "vat_code_id": rng.choice(
                                    odd_vats if odd_vats and rng.random() < 0.02 else good_vats
                                ),
                                # As in Scoro, a line books to its product's account;
                                # now and then someone picks another one (R12).
                                "finance_account_id": (
                                    rng.choice(accounts)
                                    if rng.random() < 0.02
                                    else prod.get(
                                        "sales_finance_account_id"
                                        if module == "invoices"
                                        else "purchases_finance_account_id"
                                    )
                                    or rng.choice(accounts)
                                ),
                            }
                        )
                    usual = home_clients if module == "invoices" and home_clients else parties
                    data = {
                        "company_id": rng.choice(parties if rng.random() < 0.03 else usual),
                        "date": day.isoformat(),
                        "status": (
                            "draft" if rng.random() < 0.03 else rng.choice(["sent", "unpaid"])
                        )
                        if module == "invoices"
                        else rng.choice(["approved", "unpaid"]),
                        "owner_id": rng.randint(1, 3),
                        "lines": lines,
                    }
                    if module == "invoices":
                        data["no"] = str(next_no)
                        next_no += 1
                    else:
                        data["no"] = f"GB-{i + 1:05d}"
                    self.put(module, None, data)
        finally:
            ctx.behaviour.unique_invoice_no = unique


__all__ = ["SITE", "build", "parse_size"]
