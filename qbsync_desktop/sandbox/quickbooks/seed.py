"""Deterministic seed companies built from ``sandbox/demo_pairing.py``.

Sizes: ``empty`` (company info, preferences, accounts, tax codes, terms, payment methods),
``small`` (exactly the demo pairing world), ``demo`` (that plus a few dozen generated names and
documents), ``large``, or an int N for benchmarks (N invoices and proportional names, bills and
payments). The rich data goes in the first realm; the other realms get a small chart of accounts
and tax codes. Every object is created through the same rules as API writes, so seeded data is
always valid data.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from .. import demo_pairing as demo
from . import writes
from .clock import qbo_datetime
from .context import Ctx, money
from .settings import Settings
from .specs import SPECS
from .store import Realm

SIZES = ("empty", "small", "demo", "large")
_GENERATED = {
    "demo": {"customers": 20, "vendors": 8, "invoices": 30, "bills": 12, "payments": 10},
    "large": {"customers": 400, "vendors": 100, "invoices": 2000, "bills": 500, "payments": 500},
}
_CITY = ["Baltic", "Nordic", "Tallinn", "Riga", "Vilnius", "Tartu", "Pärnu", "Helsinki",
         "Saaremaa", "Narva", "Kaunas", "Turku", "Gdańsk", "Malmö", "Bergen", "D'Arcy"]  # fmt: skip
_TRADE = ["Logistics", "Foods", "Timber", "Software", "Design", "Motors", "Textiles", "Energy",
          "Dental", "Analytics", "Print & Media", "Construction", "Robotics", "Travel"]  # fmt: skip
_FORM = ["OÜ", "AS", "SIA", "UAB", "Oy", "Ltd", "GmbH", "AB"]
_FIRST = ["Mari", "Kadri", "Jaan", "Peeter", "Liis", "Tõnu", "Anu", "Märt", "Siiri", "Ülle"]
_LAST = ["Tamm", "Saar", "Sepp", "Mägi", "Kask", "Kukk", "Rebane", "Ilves", "Pärn", "Koppel"]

_US_ACCOUNTS = [
    ("Accounts Receivable (A/R)", "Accounts Receivable", "1100"),
    ("Accounts Payable (A/P)", "Accounts Payable", "2000"),
    ("Checking", "Bank", "1000"),
    ("Undeposited Funds", "Other Current Asset", "1200"),
    ("Sales of Product Income", "Income", "4000"),
    ("Services", "Income", "4100"),
    ("Cost of Goods Sold", "Cost of Goods Sold", "5000"),
    ("Office Expenses", "Expense", "6000"),
]
_GB_TAX = [
    {"code": "20.0% S", "name": "20.0% S", "rate": "20", "active": True},
    {"code": "5.0% R", "name": "5.0% R", "rate": "5", "active": True},
    {"code": "0.0% Z", "name": "0.0% Z", "rate": "0", "active": True},
]


class _Seeder:
    def __init__(self, realm: Realm, now: dt.datetime, seed: int, recent: bool = False) -> None:
        self.realm = realm
        # Recent seeds are stamped in the last minutes (10 ms apart) instead of 10 days back.
        self.step = dt.timedelta(milliseconds=10) if recent else dt.timedelta(seconds=10)
        age = dt.timedelta(minutes=3) if recent else dt.timedelta(days=10)
        settings = Settings()
        settings.display_name_max = 500
        self.ctx = Ctx(realm=realm, settings=settings, now=now - age,
                       as_user=True)  # fmt: skip
        self.rng = random.Random(f"{seed}:{realm.realm_id}")
        self.by_name: dict[tuple[str, str], str] = {}
        self.accounts: dict[str, str] = {}

    def save(self, entity: str, body: dict) -> dict:
        obj = writes.save(self.ctx, SPECS[entity], body)
        self.ctx.now += self.step
        label = obj.get("FullyQualifiedName") or obj.get("DisplayName") or obj.get("Name")
        self.by_name[(entity, str(label))] = obj["Id"]
        return obj

    def ref(self, entity: str, name: str) -> dict:
        return {"value": self.by_name[(entity, name)]}

    def force_id(self, entity: str, old_id: str, new_id: str) -> None:
        table = self.realm.table(entity)
        obj = table.pop(old_id)
        obj["Id"] = new_id
        table[new_id] = obj
        for key, value in self.by_name.items():
            if key[0] == entity and value == old_id:
                self.by_name[key] = new_id


def build_realm(
    spec: dict, size: str | int, seed: int, now: dt.datetime, first: bool, recent: bool = False
) -> Realm:
    realm = Realm(
        realm_id=spec["realm_id"],
        name=spec["name"],
        home_currency=spec["home_currency"],
        multicurrency=bool(spec["multicurrency"]),
        country=spec["country"],
        class_tracking=spec.get("class_tracking", "off"),
    )
    s = _Seeder(realm, now, seed, recent)
    _company(s, now - dt.timedelta(minutes=4) if recent else now - dt.timedelta(days=400))
    if realm.country == "US":
        _us_basics(s)
    elif first:
        _demo_basics(s)
    else:
        _gb_basics(s)
    if first and size != "empty":
        _demo_world(s)
        extra = _GENERATED.get(size) if isinstance(size, str) else _scaled(int(size))
        if extra:
            _generated(s, extra)
    # Added after everything else so the ids above stay what tests and demos know.
    _extras(s, with_item=size != "empty")
    realm.next_id = max(realm.next_id, 100)
    return realm


def _scaled(n: int) -> dict:
    return {
        "customers": max(n // 5, 5),
        "vendors": max(n // 20, 3),
        "invoices": n,
        "bills": n // 4,
        "payments": n // 4,
    }


def _company(s: _Seeder, made: dt.datetime) -> None:
    realm = s.realm
    stamp = qbo_datetime(made)
    meta = {"CreateTime": stamp, "LastUpdatedTime": stamp}
    addr = {"Line1": "Sandbox street 1", "City": "Tallinn", "Country": realm.country}
    realm.table("CompanyInfo")[realm.realm_id] = {
        "CompanyName": realm.name,
        "LegalName": realm.name,
        "CompanyAddr": addr,
        "LegalAddr": addr,
        "CustomerCommunicationAddr": addr,
        "Country": realm.country,
        "Email": {"Address": f"books+{realm.realm_id}@sandbox.example"},
        "PrimaryPhone": {"FreeFormNumber": "+372 600 0000"},
        "FiscalYearStartMonth": "January",
        "CompanyStartDate": "2024-01-01",
        "SupportedLanguages": "en",
        "DefaultTimeZone": "America/Los_Angeles",
        "NameValue": [
            {"Name": "OfferingSku", "Value": "QuickBooks Online Plus"},
            {"Name": "NeoEnabled", "Value": "true"},
            {"Name": "IsQbdtMigrated", "Value": "false"},
        ],
        "domain": "QBO",
        "sparse": False,
        "Id": realm.realm_id,
        "SyncToken": "0",
        "MetaData": dict(meta),
        "_ts": made,
    }
    realm.table("Preferences")["1"] = {
        "AccountingInfoPrefs": {
            "TrackDepartments": False,
            "DepartmentTerminology": "Location",
            "ClassTrackingPerTxn": realm.class_tracking == "per_txn",
            "ClassTrackingPerTxnLine": realm.class_tracking == "per_line",
            "CustomerTerminology": "Customers",
            "UseAccountNumbers": True,
            "FirstMonthOfFiscalYear": "January",
        },
        "ProductAndServicesPrefs": {"ForSales": True, "ForPurchase": True},
        "SalesFormsPrefs": {
            "CustomTxnNumbers": True,
            "AllowDiscount": True,
            "AllowDeposit": False,
            "DefaultTerms": {"value": "3"},
        },
        "VendorAndPurchasesPrefs": {"TrackingByCustomer": True, "BillableExpenseTracking": True},
        "TaxPrefs": {"UsingSalesTax": True, "PartnerTaxEnabled": realm.country == "US"},
        "CurrencyPrefs": {
            "MultiCurrencyEnabled": realm.multicurrency,
            "HomeCurrency": {"value": realm.home_currency},
        },
        "OtherPrefs": {
            "NameValue": [
                {"Name": "ProjectsEnabled", "Value": "true"},
                {"Name": "SalesFormsPrefs.DefaultCustomerMessage", "Value": ""},
            ]
        },
        "domain": "QBO",
        "sparse": False,
        "Id": "1",
        "SyncToken": "0",
        "MetaData": dict(meta),
        "_ts": made,
    }


def _accounts(s: _Seeder, rows: list[tuple[str, str, str]]) -> None:
    for name, acct_type, number in rows:
        obj = s.save("Account", {"Name": name, "AccountType": acct_type, "AcctNum": number})
        s.accounts[number] = obj["Id"]


def _taxes(s: _Seeder, rows: list[dict]) -> None:
    for row in rows:
        rate = s.save(
            "TaxRate",
            {"Name": row["name"], "Description": row["name"], "RateValue": Decimal(row["rate"]),
             "Active": row["active"], "AgencyRef": {"value": "1"}, "SpecialTaxType": "NONE",
             "DisplayType": "ReadOnly"},
        )  # fmt: skip
        detail = {"TaxRateRef": {"value": rate["Id"], "name": rate["Name"]},
                  "TaxTypeApplicable": "TaxOnAmount", "TaxOrder": 0}  # fmt: skip
        s.save(
            "TaxCode",
            {"Name": row["code"], "Description": row["name"], "Active": row["active"],
             "Taxable": True, "TaxGroup": False,
             "SalesTaxRateList": {"TaxRateDetail": [dict(detail)]},
             "PurchaseTaxRateList": {"TaxRateDetail": [dict(detail)]}},
        )  # fmt: skip


def _demo_basics(s: _Seeder) -> None:
    rows = [(a["name"], a["type"], a["number"]) for a in demo.ACCOUNTS]
    rows += [("Undeposited Funds", "Other Current Asset", "1300"),
             ("Retained Earnings", "Equity", "3000")]  # fmt: skip
    _accounts(s, rows)
    _taxes(s, demo.TAX_RATES)


def _gb_basics(s: _Seeder) -> None:
    _accounts(s, [(n.replace(" (A/R)", "").replace(" (A/P)", ""), t, num)
                  for n, t, num in _US_ACCOUNTS])  # fmt: skip
    _taxes(s, _GB_TAX)


def _us_basics(s: _Seeder) -> None:
    _accounts(s, _US_ACCOUNTS)
    for code, taxable in (("TAX", True), ("NON", False)):
        obj = s.save("TaxCode", {"Name": code, "Description": code, "Taxable": taxable,
                                 "TaxGroup": False})  # fmt: skip
        s.force_id("TaxCode", obj["Id"], code)
        obj["_pseudo"] = True


_TERMS = [
    ("1", "Due on receipt", 0),
    ("2", "Net 15", 15),
    ("3", "Net 30", 30),
    ("4", "Net 60", 60),
]
_PAYMENT_METHODS = [
    ("Cash", "NON_CREDIT_CARD"),
    ("Check", "NON_CREDIT_CARD"),
    ("Visa", "CREDIT_CARD"),
    ("MasterCard", "CREDIT_CARD"),
    ("American Express", "CREDIT_CARD"),
    ("Discover", "CREDIT_CARD"),
    ("Bank transfer", "NON_CREDIT_CARD"),
]


def _account_by(s: _Seeder, acct_type: str) -> str | None:
    rows = sorted(s.realm.table("Account").values(), key=lambda r: (len(r["Id"]), r["Id"]))
    return next((r["Id"] for r in rows if r.get("AccountType") == acct_type), None)


def _extras(s: _Seeder, with_item: bool) -> None:
    """Terms, payment methods and the accounts and item inventory and card payments need."""
    # Term ids follow a QBO sandbox company, where "3" is Net 30 (the DefaultTerms preference).
    for term_id, name, days in _TERMS:
        obj = s.save("Term", {"Name": name, "Type": "STANDARD", "DueDays": Decimal(days)})
        s.force_id("Term", obj["Id"], term_id)
    for name, kind in _PAYMENT_METHODS:
        s.save("PaymentMethod", {"Name": name, "Type": kind})
    asset = s.save("Account", {"Name": "Inventory Asset", "AccountType": "Other Current Asset",
                               "AccountSubType": "Inventory"})  # fmt: skip
    s.save("Account", {"Name": "Company credit card", "AccountType": "Credit Card",
                       "AccountSubType": "CreditCard"})  # fmt: skip
    s.save("Account", {"Name": "Discounts given", "AccountType": "Income",
                       "AccountSubType": "DiscountsRefundsGiven"})  # fmt: skip
    income = _account_by(s, "Income")
    cogs = _account_by(s, "Cost of Goods Sold")
    if with_item and income and cogs:
        s.save("Item", {
            "Name": "Widget (stock)", "Type": "Inventory", "UnitPrice": Decimal("25.00"),
            "PurchaseCost": Decimal("10.00"), "TrackQtyOnHand": True,
            "QtyOnHand": Decimal("100"), "InvStartDate": "2024-01-01",
            "IncomeAccountRef": {"value": income}, "ExpenseAccountRef": {"value": cogs},
            "AssetAccountRef": {"value": asset["Id"]},
        })  # fmt: skip


def _email(name: str) -> str:
    local = "".join(ch for ch in name.lower() if ch.isascii() and ch.isalnum())[:20] or "info"
    return f"accounts@{local}.example"


def _demo_world(s: _Seeder) -> None:
    realm = s.realm
    for name in demo.CLASSES:
        s.save("Class", {"Name": name})
    for product in demo.PRODUCTS_BOTH + demo.PRODUCTS_QBO_ONLY:
        body = {
            "Name": product["name"],
            "Type": "Service",
            "UnitPrice": Decimal(product["price"]),
            "IncomeAccountRef": {"value": s.accounts[product["income"]]},
        }
        if Decimal(product["buying_price"]):
            body.update(Type="NonInventory", PurchaseCost=Decimal(product["buying_price"]),
                        ExpenseAccountRef={"value": s.accounts["5000"]})  # fmt: skip
        s.save("Item", body)
    s.save("Employee", {"GivenName": "Kadri", "FamilyName": "Mets", "DisplayName": "Kadri Mets"})
    for contact in demo.CONTACTS_QBO:
        entity = "Customer" if contact["role"] == "customer" else "Vendor"
        body = {
            "DisplayName": contact["display_name"],
            "CurrencyRef": {"value": contact.get("currency") or realm.home_currency},
            "PrimaryEmailAddr": {"Address": _email(contact["display_name"])},
        }
        if contact.get("company"):
            body["CompanyName"] = contact["display_name"].removesuffix(" (v)")
        else:
            body.update(GivenName=contact.get("given_name"), FamilyName=contact.get("family_name"))
        s.save(entity, body)
    for project in demo.PROJECTS_QBO:
        s.save("Customer", {"DisplayName": project["name"], "IsProject": True,
                            "ParentRef": s.ref("Customer", project["client"])})  # fmt: skip
    for inv in demo.INVOICES_QBO:
        body = {
            "DocNumber": inv["doc_number"],
            "CustomerRef": s.ref("Customer", inv["customer"]),
            "TxnDate": inv["date"],
            "DueDate": inv["due"],
            "Line": [_sales_line(s, *line) for line in inv["lines"]],
        }
        if inv.get("project"):
            body["ProjectRef"] = s.ref("Customer", f"{inv['customer']}:{inv['project']}")
        s.save("Invoice", body)
    for bill in demo.BILLS_QBO:
        s.save("Bill", {
            "DocNumber": bill["doc_number"],
            "VendorRef": s.ref("Vendor", bill["vendor"]),
            "TxnDate": bill["date"],
            "DueDate": bill["due"],
            "APAccountRef": {"value": s.accounts["2000"]},
            "Line": [_expense_line(s, *line) for line in bill["lines"]],
        })  # fmt: skip
    for pay in demo.PAYMENTS_QBO:
        invoice = next(i for i in realm.table("Invoice").values()
                       if i.get("DocNumber") == pay["invoice"])  # fmt: skip
        amount = Decimal(pay["amount"])
        s.save("Payment", {
            "CustomerRef": s.ref("Customer", pay["customer"]),
            "TotalAmt": amount,
            "TxnDate": pay["date"],
            "DepositToAccountRef": {"value": s.accounts["1000"]},
            "Line": [{"Amount": amount,
                      "LinkedTxn": [{"TxnId": invoice["Id"], "TxnType": "Invoice"}]}],
        })  # fmt: skip


def _sales_line(s: _Seeder, item, desc, qty, price, vat, klass) -> dict:
    detail = {
        "ItemRef": s.ref("Item", item),
        "Qty": Decimal(qty),
        "UnitPrice": Decimal(price),
        "TaxCodeRef": s.ref("TaxCode", vat),
    }
    if klass and s.realm.class_tracking != "off":
        detail["ClassRef"] = s.ref("Class", klass)
    return {
        "DetailType": "SalesItemLineDetail",
        "Description": desc,
        "Amount": money(Decimal(qty) * Decimal(price)),
        "SalesItemLineDetail": detail,
    }


def _expense_line(s: _Seeder, item, desc, qty, price, vat, account) -> dict:
    return {
        "DetailType": "AccountBasedExpenseLineDetail",
        "Description": desc,
        "Amount": money(Decimal(qty) * Decimal(price)),
        "AccountBasedExpenseLineDetail": {
            "AccountRef": {"value": s.accounts[account]},
            "TaxCodeRef": s.ref("TaxCode", vat),
            "BillableStatus": "NotBillable",
        },
    }


def _unique_names(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    names: list[str] = []
    attempts = 0
    while len(names) < count:
        attempts += 1
        if rng.random() < 0.25:
            name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        else:
            name = f"{rng.choice(_CITY)} {rng.choice(_TRADE)} {rng.choice(_FORM)}"
        if attempts > count * 20:
            name = f"{name} {attempts}"
        if name.casefold() in taken:
            continue
        taken.add(name.casefold())
        names.append(name)
    return names


def _generated(s: _Seeder, plan: dict) -> None:
    rng = s.rng
    realm = s.realm
    taken = {k[1].casefold() for k in s.by_name if k[0] in ("Customer", "Vendor", "Employee")}
    currencies = [realm.home_currency] * 6 + (["USD", "GBP"] if realm.multicurrency else [])
    customers = []
    for name in _unique_names(rng, plan["customers"], taken):
        currency = rng.choice(currencies)
        person = " " in name and name.split()[-1] in _LAST
        address = {
            "Line1": f"{rng.randint(1, 99)} Main street",
            "City": rng.choice(_CITY[:10]),
            "PostalCode": str(rng.randint(10000, 99999)),
        }
        body = {
            "DisplayName": name,
            "CurrencyRef": {"value": currency},
            "PrimaryEmailAddr": {"Address": _email(name)},
            "BillAddr": address,
        }
        if person:
            body.update(GivenName=name.split()[0], FamilyName=name.split()[1])
        else:
            body["CompanyName"] = name
        customers.append(s.save("Customer", body))
    vendors = []
    for name in _unique_names(rng, plan["vendors"], taken):
        body = {"DisplayName": name, "CompanyName": name,
                "PrimaryEmailAddr": {"Address": _email(name)}}  # fmt: skip
        vendors.append(s.save("Vendor", body))
    # Inactive rows, hidden from queries unless Active IN (true, false).
    s.save("Customer", {"DisplayName": "Old Client OÜ", "CompanyName": "Old Client OÜ",
                        "Active": False})  # fmt: skip
    s.save("Item", {"Name": "Legacy hosting", "Type": "Service", "Active": False,
                    "UnitPrice": Decimal("19.00"),
                    "IncomeAccountRef": {"value": s.accounts["4000"]}})  # fmt: skip
    items = [i for i in realm.table("Item").values() if i.get("Active")]
    vat_codes = [c for c in realm.table("TaxCode").values() if c.get("Active")]
    classes = list(realm.table("Class").values())
    base_day = s.ctx.now.date() - dt.timedelta(days=60)
    invoices = []
    for n in range(plan["invoices"]):
        customer = rng.choice(customers)
        lines = []
        for _ in range(rng.randint(1, 3)):
            item = rng.choice(items)
            qty = Decimal(rng.randint(1, 12))
            price = item.get("UnitPrice") or Decimal("100")
            detail = {"ItemRef": {"value": item["Id"]}, "Qty": qty, "UnitPrice": price,
                      "TaxCodeRef": {"value": rng.choice(vat_codes)["Id"]}}  # fmt: skip
            if classes and realm.class_tracking != "off":
                detail["ClassRef"] = {"value": rng.choice(classes)["Id"]}
            amount = money(qty * price)
            lines.append({"DetailType": "SalesItemLineDetail", "Amount": amount,
                          "Description": item["Name"], "SalesItemLineDetail": detail})  # fmt: skip
        day = base_day + dt.timedelta(days=rng.randint(0, 55))
        invoices.append(s.save("Invoice", {
            "DocNumber": f"Q-{3000 + n}", "CustomerRef": {"value": customer["Id"]},
            "TxnDate": day.isoformat(), "DueDate": (day + dt.timedelta(days=14)).isoformat(),
            "Line": lines,
        }))  # fmt: skip
    expense_accounts = [s.accounts[n] for n in ("6000", "6100") if n in s.accounts]
    for n in range(plan["bills"]):
        vendor = rng.choice(vendors)
        amount = Decimal(rng.randint(1500, 90000)) / 100
        day = base_day + dt.timedelta(days=rng.randint(0, 55))
        s.save("Bill", {
            "DocNumber": f"V-{5000 + n}", "VendorRef": {"value": vendor["Id"]},
            "TxnDate": day.isoformat(), "DueDate": (day + dt.timedelta(days=30)).isoformat(),
            "Line": [{"DetailType": "AccountBasedExpenseLineDetail", "Amount": amount,
                      "Description": rng.choice(["Office supplies", "Fuel", "Software", "Rent"]),
                      "AccountBasedExpenseLineDetail": {
                          "AccountRef": {"value": rng.choice(expense_accounts)},
                          "TaxCodeRef": {"value": rng.choice(vat_codes)["Id"]}}}],
        })  # fmt: skip
    for invoice in rng.sample(invoices, min(plan["payments"], len(invoices))):
        full = rng.random() < 0.7
        amount = invoice["Balance"] if full else money(invoice["Balance"] / 2)
        s.save("Payment", {
            "CustomerRef": dict(invoice["CustomerRef"]), "TotalAmt": amount,
            "TxnDate": invoice["TxnDate"], "DepositToAccountRef": {"value": s.accounts["1000"]},
            "Line": [{"Amount": amount,
                      "LinkedTxn": [{"TxnId": invoice["Id"], "TxnType": "Invoice"}]}],
        })  # fmt: skip


def build_all(
    size: str | int, seed: int, now: dt.datetime, recent: bool = False
) -> dict[str, Realm]:
    if isinstance(size, str) and size not in SIZES:
        if size.isdigit():
            size = int(size)
        else:
            raise ValueError(f"size must be one of {SIZES} or a number")
    realms = {}
    for index, spec in enumerate(demo.REALMS):
        realms[spec["realm_id"]] = build_realm(
            spec, size, seed, now, first=index == 0, recent=recent
        )
    return realms
