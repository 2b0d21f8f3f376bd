"""The demo world both sandboxes are seeded from, so a demo sync meets every interesting case.

Plain data only (no behaviour): the QuickBooks sandbox and the Scoro sandbox each build their
own seed from these constants, and tests refer to the same names. Money is given as strings
and turned into Decimal (or JSON numbers) by each sandbox.
"""

from __future__ import annotations

from typing import Any

DEMO_CLIENT_ID = "ABdemoClientId0000000000000000000000000000000000"
DEMO_CLIENT_SECRET = "demoClientSecret00000000000000000000000"
DEMO_SCORO_API_KEY = "ScoroDemoApiKey_7f3c1e9a2b"

# Scoro entities (company accounts) and the QuickBooks company each is meant to pair with.
# acme_uk pairs with a USD company without multicurrency: the R04 currency block in the demo.
ENTITIES: list[dict[str, Any]] = [
    {
        "company_account_id": "acme_ee",
        "name": "Acme OÜ",
        "base_currency": "EUR",
        "active_currencies": ["EUR", "USD", "GBP"],
        "realm_id": "9341453050000001",
    },
    {
        "company_account_id": "acme_us",
        "name": "Acme Inc",
        "base_currency": "USD",
        "active_currencies": ["USD"],
        "realm_id": "9341453050000002",
    },
    {
        "company_account_id": "acme_uk",
        "name": "Acme Ltd",
        "base_currency": "GBP",
        "active_currencies": ["GBP"],
        "realm_id": "9341453050000003",
    },
]

REALMS: list[dict[str, Any]] = [
    {
        "realm_id": "9341453050000001",
        "name": "Acme OÜ (QuickBooks)",
        "home_currency": "EUR",
        "multicurrency": True,
        "country": "EE",
        "class_tracking": "per_line",
    },
    {
        "realm_id": "9341453050000002",
        "name": "Acme Inc US",
        "home_currency": "USD",
        "multicurrency": False,
        "country": "US",
        "class_tracking": "off",
    },
    {
        "realm_id": "9341453050000003",
        "name": "Acme Ltd books",
        "home_currency": "USD",
        "multicurrency": False,
        "country": "GB",
        "class_tracking": "off",
    },
]

# Tax: Estonia moved VAT 20 % -> 22 % (2024-01-01) -> 24 % (2025-07-01). QuickBooks holds the
# 22 % code as inactive; a Scoro document still using it is "outdated tax rate" (R57).
TAX_RATES: list[dict[str, Any]] = [
    {"code": "VAT24", "name": "VAT 24%", "rate": "24", "active": True},
    {"code": "VAT9", "name": "VAT 9%", "rate": "9", "active": True},
    {"code": "VAT0", "name": "VAT 0%", "rate": "0", "active": True},
    {"code": "VAT22", "name": "VAT 22%", "rate": "22", "active": False},
]

ACCOUNTS = [
    {"number": "1200", "name": "Accounts Receivable", "type": "Accounts Receivable"},
    {"number": "2000", "name": "Accounts Payable", "type": "Accounts Payable"},
    {"number": "1000", "name": "Bank", "type": "Bank"},
    {"number": "4000", "name": "Sales", "type": "Income"},
    {"number": "4100", "name": "Services", "type": "Income"},
    {"number": "5000", "name": "Cost of Goods Sold", "type": "Cost of Goods Sold"},
    {"number": "6000", "name": "Office Expenses", "type": "Expense"},
    {"number": "6100", "name": "Travel", "type": "Expense"},
]

CLASSES = ["Consulting", "Design", "Licences"]

# Products present on both sides with the same name (R13 matching); "Hosting (monthly)" only
# in Scoro, "Support retainer" only in QuickBooks.
PRODUCTS_BOTH = [
    {"name": "Consulting hour", "price": "95.00", "buying_price": "0", "income": "4100"},
    {"name": "Design work", "price": "80.00", "buying_price": "0", "income": "4100"},
    {"name": "Software licence", "price": "1200.00", "buying_price": "800.00", "income": "4000"},
]
PRODUCTS_SCORO_ONLY = [
    {"name": "Hosting (monthly)", "price": "49.90", "buying_price": "20.00", "income": "4000"},
]
PRODUCTS_QBO_ONLY = [
    {"name": "Support retainer", "price": "500.00", "buying_price": "0", "income": "4100"},
]

# Contacts. Names carry quotes and unicode on purpose.
CONTACTS_SCORO: list[dict[str, Any]] = [
    # client and supplier at once -> QuickBooks customer + vendor "Nordic Supplies AS (v)" (R23)
    {
        "name": "Nordic Supplies AS",
        "type": "company",
        "client": True,
        "supplier": True,
        "currency": None,
        "email": "accounts@nordic.example",
    },
    # client profile currency USD, but the QuickBooks customer of the same name is in EUR (R24/R60)
    {
        "name": "Müller GmbH",
        "type": "company",
        "client": True,
        "supplier": False,
        "currency": "USD",
        "email": "buchhaltung@mueller.example",
    },
    {
        "name": "Baltic Foods OÜ",
        "type": "company",
        "client": True,
        "supplier": False,
        "currency": None,
        "email": "info@balticfoods.example",
    },
    {
        "name": 'O\'Brien & Sons "Quality" Ltd',
        "type": "company",
        "client": True,
        "supplier": False,
        "currency": "GBP",
        "email": "ap@obrien.example",
    },
    {
        "name": "Mari Tamm",
        "type": "person",
        "first_name": "Mari",
        "last_name": "Tamm",
        "client": True,
        "supplier": False,
        "currency": None,
        "email": "mari@example.ee",
    },
    {
        "name": "Office Depot Europe",
        "type": "company",
        "client": False,
        "supplier": True,
        "currency": None,
        "email": "invoices@officedepot.example",
    },
]
CONTACTS_QBO: list[dict[str, Any]] = [
    # same display name as the Scoro contact; its currency is EUR (differs from Scoro's USD)
    {"display_name": "Müller GmbH", "role": "customer", "currency": "EUR", "company": True},
    {"display_name": "Nordic Supplies AS", "role": "customer", "currency": "EUR", "company": True},
    {
        "display_name": "Nordic Supplies AS (v)",
        "role": "vendor",
        "currency": "EUR",
        "company": True,
    },
    {
        "display_name": "Jaan Kask",
        "role": "customer",
        "currency": "EUR",
        "company": False,
        "given_name": "Jaan",
        "family_name": "Kask",
    },
    {"display_name": "Telia Eesti AS", "role": "vendor", "currency": "EUR", "company": True},
]

# Projects: same name, different client on each side (R31).
PROJECTS_SCORO = [
    {"name": "Website redesign", "client": "Baltic Foods OÜ", "status": "inprogress"},
    {"name": "ERP rollout", "client": "Nordic Supplies AS", "status": "inprogress"},
]
PROJECTS_QBO = [
    {"name": "Website redesign", "client": "Nordic Supplies AS"},
    {"name": "ERP rollout", "client": "Nordic Supplies AS"},
    {"name": "Annual audit", "client": "Jaan Kask"},
]

# Scoro invoices. Lines: (product name or None, description, qty, unit price, vat code, project)
INVOICES_SCORO: list[dict[str, Any]] = [
    {
        "no": "1001",
        "client": "Baltic Foods OÜ",
        "date": "2026-11-02",
        "deadline": "2026-11-16",
        "currency": "EUR",
        "lines": [("Consulting hour", "Workshop", "8", "95.00", "VAT24", "Website redesign")],
        "attachment": "1001-timesheet.pdf",
    },
    # lines name two projects (R33)
    {
        "no": "1002",
        "client": "Nordic Supplies AS",
        "date": "2026-11-03",
        "deadline": "2026-11-17",
        "currency": "EUR",
        "lines": [
            ("Design work", "Mock-ups", "10", "80.00", "VAT24", "Website redesign"),
            ("Consulting hour", "ERP workshop", "4", "95.00", "VAT24", "ERP rollout"),
        ],
    },
    # outdated tax rate (R57)
    {
        "no": "1003",
        "client": "Baltic Foods OÜ",
        "date": "2026-11-05",
        "deadline": "2026-11-19",
        "currency": "EUR",
        "lines": [("Software licence", "Licence 2026", "1", "1200.00", "VAT22", None)],
    },
    # currency differs from the QuickBooks customer's (R60)
    {
        "no": "1004",
        "client": "Müller GmbH",
        "date": "2026-11-06",
        "deadline": "2026-11-20",
        "currency": "USD",
        "lines": [("Consulting hour", "Remote support", "3", "95.00", "VAT0", None)],
    },
    {
        "no": "1005",
        "client": "Mari Tamm",
        "date": "2026-11-07",
        "deadline": "2026-11-21",
        "currency": "EUR",
        "lines": [
            ("Hosting (monthly)", "Hosting November", "1", "49.90", "VAT24", None),
            (None, "Setup fee", "1", "150.00", "VAT24", None),
        ],
    },
]
# Credit note against 1001
CREDIT_NOTES_SCORO: list[dict[str, Any]] = [
    {
        "no": "1006",
        "client": "Baltic Foods OÜ",
        "date": "2026-11-09",
        "credits": "1001",
        "currency": "EUR",
        "lines": [
            (
                "Consulting hour",
                "Workshop hour not used",
                "-1",
                "95.00",
                "VAT24",
                "Website redesign",
            )
        ],
    },
]
BILLS_SCORO: list[dict[str, Any]] = [
    {
        "no": "B-501",
        "supplier": "Office Depot Europe",
        "date": "2026-11-04",
        "deadline": "2026-11-18",
        "currency": "EUR",
        "lines": [
            (None, "Printer paper", "10", "4.50", "VAT24", None, "6000"),
            (None, "Train tickets", "2", "35.00", "VAT9", "ERP rollout", "6100"),
        ],
        "attachment": "B-501-scan.pdf",
    },
    {
        "no": "B-502",
        "supplier": "Nordic Supplies AS",
        "date": "2026-11-08",
        "deadline": "2026-11-22",
        "currency": "EUR",
        "lines": [("Software licence", "Licence resale", "1", "800.00", "VAT24", None, "5000")],
    },
]
INVOICES_QBO: list[dict[str, Any]] = [
    {
        "doc_number": "Q-2001",
        "customer": "Jaan Kask",
        "date": "2026-11-04",
        "due": "2026-11-18",
        "lines": [("Support retainer", "November retainer", "1", "500.00", "VAT24", "Consulting")],
        "project": "Annual audit",
    },
]
BILLS_QBO: list[dict[str, Any]] = [
    {
        "doc_number": "T-7788",
        "vendor": "Telia Eesti AS",
        "date": "2026-11-05",
        "due": "2026-11-19",
        "lines": [(None, "Mobile plan", "1", "39.00", "VAT24", "6000")],
    },
]
# A payment in QuickBooks against Q-2001 (part payment) and a Scoro receipt for invoice 1001.
PAYMENTS_QBO = [
    {"customer": "Jaan Kask", "invoice": "Q-2001", "amount": "200.00", "date": "2026-11-10"}
]
RECEIPTS_SCORO = [{"invoice": "1001", "amount": "300.00", "date": "2026-11-12"}]

BOOKMARKS_SCORO: list[dict[str, Any]] = [
    {"module": "invoices", "name": "Sent invoices", "filter": {"status": "sent", "user_id": 2}},
    {"module": "bills", "name": "Approved bills", "filter": {"status": "approved"}},
    {"module": "contacts", "name": "Clients", "filter": {"is_client": 1, "user_id": 2}},
]
