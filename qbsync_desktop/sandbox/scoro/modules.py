"""The reference-data and party modules: contacts, clientProfiles, products, projects,
financeAccounts, financeObjects, vatCodes, receiptAccounts, users, bookmarks.

Field names follow Scoro's own SDK types. Documents (invoices, bills, receipts) are in
``documents.py``, files in ``files.py``.
"""

from __future__ import annotations

from typing import Any

from .fields import parse_str_list
from .records import CRUD, Ctx, ModuleSpec, register

PROJECT_STATUSES = (
    "pending",
    "inprogress",
    "cancelled",
    "completed",
    "future",
    "additional1",
    "additional2",
    "additional3",
    "additional4",
)
USER_STATUSES = ("active", "inactive", "pending", "awaiting")
MEANS_OF_CONTACT = ("email", "phone", "mobile", "website", "fax", "skype")
ADDRESS_FIELDS = ("country", "county", "municipality", "city", "street", "zipcode")
BOOKMARK_MODULES = ("contacts", "invoices", "bills", "projects", "products", "receipts")


# -- contacts -----------------------------------------------------------------------------


def _finish_contact(
    ctx: Ctx,
    rec: dict[str, Any],
    old: dict[str, Any] | None,
    changes: dict[str, Any],
    errors: list[str],
) -> None:
    if not (rec.get("name") or "").strip():
        errors.append("name: is required")
        return
    if "means_of_contact" in changes:
        value = changes["means_of_contact"] or {}
        if not isinstance(value, dict):
            errors.append("means_of_contact: must be an object of lists")
        else:
            moc: dict[str, list[str]] = {}
            for key, items in value.items():
                if key not in MEANS_OF_CONTACT:
                    errors.append(f"means_of_contact: unknown type {key}")
                    continue
                moc[key] = parse_str_list(items)
            rec["means_of_contact"] = moc
    if "addresses" in changes:
        _apply_addresses(ctx, rec, old, changes["addresses"], errors)
    if rec.get("contact_type") == "person":
        full = f"{rec.get('name') or ''} {rec.get('lastname') or ''}".strip()
    else:
        rec["lastname"] = None
        rec["related_companies"] = []
        full = rec["name"]
    rec["search_name"] = full


def _apply_addresses(
    ctx: Ctx, rec: dict[str, Any], old: dict[str, Any] | None, value: Any, errors: list[str]
) -> None:
    if value in (None, ""):
        rec["addresses"] = []
        return
    if not isinstance(value, list):
        errors.append("addresses: must be a list")
        return
    existing = {a["contacts_addresses_id"]: a for a in (old or {}).get("addresses", [])}
    out = []
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            errors.append(f"addresses[{i}]: must be an object")
            continue
        addr_id = item.get("contacts_addresses_id")
        base = dict(existing.get(int(addr_id), {})) if addr_id not in (None, "") else {}
        for key in ADDRESS_FIELDS:
            if key in item:
                base[key] = None if item[key] is None else str(item[key])
        country = base.get("country")
        if country and len(country) != 3:
            errors.append(f"addresses[{i}].country: must be a 3-letter ISO 3166 code")
        if "contacts_addresses_id" not in base:
            base["contacts_addresses_id"] = ctx.store.new_id("contact_addresses")
        for key in ADDRESS_FIELDS:
            base.setdefault(key, None)
        out.append(base)
    rec["addresses"] = out


def _decorate_contact(ctx: Ctx, rec: dict[str, Any], out: dict[str, Any]) -> None:
    profile = ctx.live("clientProfiles", rec.get("client_profile_id"))
    out["client_profile_name"] = profile["name"] if profile else None
    manager = ctx.live("users", rec.get("manager_id"))
    out["manager_email"] = manager["email"] if manager else None


register(
    ModuleSpec(
        name="contacts",
        id_field="contact_id",
        dt_style="iso",
        actions=CRUD,
        fields={
            "name": "str",
            "lastname": "str",
            "contact_type": ("enum", ("company", "person")),
            "id_code": "str",
            "vatno": "str",
            "bankaccount": "str",
            "reference_no": "str",
            "manager_id": ("ref", "users"),
            "is_client": "bool",
            "is_supplier": "bool",
            "client_profile_id": ("ref", "clientProfiles"),
            "cat_id": "int",
            "cat_name": "str",
            "tags": "strlist",
            "related_companies": "intlist",
            "comments": "str",
            "custom_fields": "json",
        },
        defaults={
            "contact_type": "company",
            "is_client": False,
            "is_supplier": False,
            "means_of_contact": {},
            "addresses": [],
            "tags": [],
            "related_companies": [],
            "lastname": None,
            "name": None,
            "vatno": None,
            "id_code": None,
            "client_profile_id": None,
            "manager_id": None,
            "custom_fields": {},
        },
        finish=_finish_contact,
        decorate=_decorate_contact,
        filter_aliases={"user_id": "manager_id"},
    )
)


# -- client profiles ----------------------------------------------------------------------


def _finish_profile(
    ctx: Ctx,
    rec: dict[str, Any],
    old: dict[str, Any] | None,
    changes: dict[str, Any],
    errors: list[str],
) -> None:
    if not rec.get("name"):
        errors.append("name: is required")
    currency = rec.get("currency") or ctx.entity["base_currency"]
    if currency not in ctx.entity["active_currencies"]:
        errors.append(f"currency: {currency} is not an active currency")
    rec["currency"] = currency


register(
    ModuleSpec(
        name="clientProfiles",
        id_field="client_profile_id",
        dt_style=None,
        actions=CRUD,
        fields={
            "name": "str",
            "currency": "str",
            "payment_term": "int",
            "vat_code_id": ("ref", "vatCodes"),
            "is_default": "bool",
        },
        defaults={"payment_term": 14, "vat_code_id": None, "is_default": False},
        finish=_finish_profile,
    )
)


# -- products -----------------------------------------------------------------------------


def _finish_product(
    ctx: Ctx,
    rec: dict[str, Any],
    old: dict[str, Any] | None,
    changes: dict[str, Any],
    errors: list[str],
) -> None:
    if not (rec.get("name") or "").strip():
        errors.append("name: is required")
    rec["account_id"] = ctx.cid


register(
    ModuleSpec(
        name="products",
        id_field="product_id",
        dt_style="naive",
        actions=CRUD,
        fields={
            "code": "str",
            "name": "str",
            "price": "dec",
            "buying_price": "dec",
            "description": "str",
            "description2": "str",
            "unit": "str",
            "productgroup_id": "int",
            "is_active": "bool",
            "is_service": "bool",
            "default_vat_code_id": ("ref", "vatCodes"),
            "default_sales_tax_id": "int",
            "default_purchases_tax_id": "int",
            "sales_finance_account_id": ("ref", "financeAccounts"),
            "purchases_finance_account_id": ("ref", "financeAccounts"),
            "accounting_object_id": ("ref", "financeObjects"),
            "supplier_id": ("ref", "contacts"),
            "default_type": ("enum", ("inhouse", "outsourced")),
            "custom_fields": "json",
        },
        defaults={
            "code": None,
            "price": None,
            "buying_price": None,
            "description": None,
            "unit": None,
            "is_active": True,
            "is_service": False,
            "default_vat_code_id": None,
            "sales_finance_account_id": None,
            "purchases_finance_account_id": None,
            "accounting_object_id": None,
            "supplier_id": None,
            "default_type": "inhouse",
            "custom_fields": {},
        },
        finish=_finish_product,
    )
)


# -- projects -----------------------------------------------------------------------------


def _finish_project(
    ctx: Ctx,
    rec: dict[str, Any],
    old: dict[str, Any] | None,
    changes: dict[str, Any],
    errors: list[str],
) -> None:
    if not (rec.get("project_name") or "").strip():
        errors.append("project_name: is required")
    rec["account_id"] = ctx.cid
    if not rec.get("no"):
        rec["no"] = str(sum(1 for _ in ctx.table("projects")) + 1)


def _decorate_project(ctx: Ctx, rec: dict[str, Any], out: dict[str, Any]) -> None:
    company = ctx.live("contacts", rec.get("company_id"))
    out["company_name"] = company["search_name"] if company else None


register(
    ModuleSpec(
        name="projects",
        id_field="project_id",
        dt_style="naive",
        actions=CRUD,
        fields={
            "no": "str",
            "project_name": "str",
            "description": "str",
            "company_id": ("ref", "contacts"),
            "status": ("enum", PROJECT_STATUSES),
            "manager_id": ("ref", "users"),
            "date": "date",
            "deadline": "date",
            "duration": "str",
            "project_accounts": "strlist",
            "budget_type": "str",
            "project_type": ("enum", ("regular", "retainer", "internal")),
            "tags": "strlist",
            "custom_fields": "json",
        },
        defaults={
            "status": "pending",
            "project_type": "regular",
            "company_id": None,
            "manager_id": None,
            "date": None,
            "deadline": None,
            "description": None,
            "tags": [],
            "project_accounts": [],
            "custom_fields": {},
        },
        finish=_finish_project,
        decorate=_decorate_project,
        filter_aliases={"user_id": "manager_id"},
    )
)


# -- finance accounts / objects, vat codes, receipt accounts ------------------------------


def _require(*names: str):
    def finish(
        ctx: Ctx,
        rec: dict[str, Any],
        old: dict[str, Any] | None,
        changes: dict[str, Any],
        errors: list[str],
    ) -> None:
        for name in names:
            if rec.get(name) in (None, ""):
                errors.append(f"{name}: is required")

    return finish


def _decorate_account(ctx: Ctx, rec: dict[str, Any], out: dict[str, Any]) -> None:
    parent = ctx.live("financeAccounts", rec.get("parent_id"))
    out["parent_name"] = parent["name"] if parent else None


register(
    ModuleSpec(
        name="financeAccounts",
        id_field="id",
        dt_style="naive",
        actions=CRUD,
        fields={
            "account_symbol": "str",
            "name": "str",
            "parent_id": ("ref", "financeAccounts"),
            "is_active": "bool",
            "is_sales_account": "bool",
            "is_purchases_account": "bool",
        },
        defaults={
            "parent_id": None,
            "is_active": True,
            "is_sales_account": False,
            "is_purchases_account": False,
        },
        finish=_require("account_symbol", "name"),
        decorate=_decorate_account,
    )
)

register(
    ModuleSpec(
        name="financeObjects",
        id_field="object_id",
        dt_style=None,
        actions=CRUD,
        fields={
            "object_symbol": "str",
            "name": "str",
            "parent_group_name": "str",
            "is_active": "bool",
        },
        defaults={"parent_group_name": None, "is_active": True},
        finish=_require("name"),
    )
)


def _finish_vat(
    ctx: Ctx,
    rec: dict[str, Any],
    old: dict[str, Any] | None,
    changes: dict[str, Any],
    errors: list[str],
) -> None:
    for name in ("vat_code", "percent"):
        if rec.get(name) in (None, ""):
            errors.append(f"{name}: is required")
    if rec.get("vat_name") in (None, "") and rec.get("vat_code"):
        rec["vat_name"] = rec["vat_code"]


register(
    ModuleSpec(
        name="vatCodes",
        id_field="vat_code_id",
        dt_style=None,
        actions=CRUD,
        fields={
            "vat_code": "str",
            "percent": "dec",
            "vat_name": "str",
            "is_sales": "bool",
            "is_purchases": "bool",
            "is_active": "bool",
            "is_not_applicable": "bool",
        },
        defaults={
            "is_sales": True,
            "is_purchases": True,
            "is_active": True,
            "is_not_applicable": False,
            "vat_name": None,
        },
        finish=_finish_vat,
    )
)

register(
    ModuleSpec(
        name="receiptAccounts",
        id_field="id",
        dt_style=None,
        actions=CRUD,
        fields={
            "name": "str",
            "type": ("enum", ("bank", "cash", "card", "other")),
            "currency": "str",
            "finance_account_id": ("ref", "financeAccounts"),
        },
        defaults={"type": "bank", "currency": None, "finance_account_id": None},
        finish=_require("name"),
    )
)


# -- users --------------------------------------------------------------------------------


def _finish_user(
    ctx: Ctx,
    rec: dict[str, Any],
    old: dict[str, Any] | None,
    changes: dict[str, Any],
    errors: list[str],
) -> None:
    for name in ("firstname", "lastname", "email"):
        if not rec.get(name):
            errors.append(f"{name}: is required")
    if errors:
        return
    rec["full_name"] = f"{rec['firstname']} {rec['lastname']}"
    rec["initials"] = (rec["firstname"][:1] + rec["lastname"][:1]).upper()
    if rec.get("username") is None:
        rec["username"] = rec["email"]


register(
    ModuleSpec(
        name="users",
        id_field="id",
        dt_style="iso",
        actions=frozenset({"list", "view", "settings"}),
        fields={
            "username": "str",
            "firstname": "str",
            "lastname": "str",
            "email": "str",
            "status": ("enum", USER_STATUSES),
            "category": "str",
            "role_id": "int",
            "user_groups_ids": "intlist",
            "timezone": "str",
        },
        defaults={
            "status": "active",
            "role_id": 1,
            "user_groups_ids": [],
            "category": None,
            "timezone": "Europe/Tallinn",
            "username": None,
        },
        finish=_finish_user,
        site_wide=True,
        api_writable=False,
    )
)


# -- bookmarks ----------------------------------------------------------------------------


def _finish_bookmark(
    ctx: Ctx,
    rec: dict[str, Any],
    old: dict[str, Any] | None,
    changes: dict[str, Any],
    errors: list[str],
) -> None:
    if not rec.get("name"):
        errors.append("name: is required")
    if not rec.get("module"):
        errors.append("module: is required")
    crit = changes.get("filter", rec.get("filter"))
    if not isinstance(crit, dict):
        errors.append("filter: must be an object")
        return
    rec["filter"] = crit
    if rec.get("user_id") is None:
        rec["user_id"] = ctx.user_id


register(
    ModuleSpec(
        name="bookmarks",
        id_field="bookmark_id",
        dt_style=None,
        actions=CRUD,
        fields={
            "name": "str",
            "module": ("enum", BOOKMARK_MODULES),
            "user_id": ("ref", "users"),
            "is_shared": "bool",
        },
        defaults={"filter": {}, "is_shared": True, "user_id": None},
        finish=_finish_bookmark,
    )
)
