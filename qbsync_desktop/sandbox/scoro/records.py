"""Module definitions and the create / update / delete / render engine shared by all modules.

Every module is a ``ModuleSpec``: its id field, its date-time style, its actions, and a table
of writable fields with their types. ``write()`` applies a ``modify`` body through that table
(unknown and read-only keys are ignored, as Scoro does), runs the module's ``finish`` hook for
derived values and cross-checks, stores the result and bumps ``modified_date``.
``render()`` turns a stored record into what the API returns.

Date-time styles: "naive" is ``YYYY-mm-dd HH:ii:ss`` in the site time zone,
"iso" is ``Y-m-d\\TH:i:sP``; ``deleted_date`` is always iso. Modules whose reference field list
has no created/modified dates (vatCodes, financeObjects, receiptAccounts, clientProfiles,
bookmarks, files) render none, so clients cannot rely on them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .clock import SiteTime
from .envelope import ScoroError
from .fields import (
    Invalid,
    parse_bool,
    parse_date,
    parse_dec,
    parse_int,
    parse_int_list,
    parse_str,
    parse_str_list,
)
from .schema import ALLOCATION_FIELDS, LINE_FIELDS, OBJECT_FIELDS
from .settings import Behaviour
from .store import SITE, Store

CRUD = frozenset({"list", "view", "modify", "delete"})


@dataclass
class Ctx:
    """Everything one request's work needs; built by the app under the store lock."""

    store: Store
    cid: str
    now: dt.datetime
    site: SiteTime
    behaviour: Behaviour
    user_id: int | None = None

    @property
    def entity(self) -> dict[str, Any]:
        return self.store.entities[self.cid]

    def bucket(self, module: str) -> str:
        return SITE if SPECS[module].site_wide else self.cid

    def table(self, module: str) -> dict[int, dict[str, Any]]:
        return self.store.table(self.bucket(module), module)

    def live(self, module: str, rec_id: int | None) -> dict[str, Any] | None:
        if rec_id is None:
            return None
        rec = self.table(module).get(rec_id)
        if rec is None or rec.get("_deleted") is not None:
            return None
        return rec

    def today(self) -> str:
        return self.site.local_date(self.now).isoformat()


FieldType = str | tuple[str, Any]
Finish = Callable[[Ctx, dict[str, Any], dict[str, Any] | None, dict[str, Any], list[str]], None]
Decorate = Callable[[Ctx, dict[str, Any], dict[str, Any]], None]


@dataclass(frozen=True)
class ModuleSpec:
    name: str
    id_field: str
    dt_style: str | None
    actions: frozenset[str]
    fields: dict[str, FieldType]
    defaults: dict[str, Any] = field(default_factory=dict)
    finish: Finish | None = None
    # Adds looked-up names (product_name, parent_name, ...) when rendering a full object.
    decorate: Decorate | None = None
    # View-only fields a list answers as null: "lines" (unless detailed_includes_lines) and
    # the rest.
    list_null: tuple[str, ...] = ()
    list_drop: tuple[str, ...] = ("custom_fields",)
    site_wide: bool = False
    # Writes made with /_sandbox/create|edit are allowed even where the API has no modify.
    api_writable: bool = True
    # filter key -> stored field (bookmarks speak of "user_id", documents store owner_id)
    filter_aliases: dict[str, str] = field(default_factory=dict)
    after_write: Callable[[Ctx, dict[str, Any] | None, dict[str, Any]], None] | None = None


SPECS: dict[str, ModuleSpec] = {}


def register(spec: ModuleSpec) -> ModuleSpec:
    SPECS[spec.name] = spec
    return spec


def spec_for(module: str) -> ModuleSpec:
    spec = SPECS.get(module)
    if spec is None:
        raise ScoroError(404, f"Unknown module: {module}", transport="http")
    return spec


# -- field application --------------------------------------------------------------------


def parse_field(ctx: Ctx, ftype: FieldType, value: Any) -> Any:
    if isinstance(ftype, tuple):
        kind, arg = ftype
        if kind == "ref":
            ref = parse_int(value)
            if ref in (None, 0):
                return None
            if ref == -1 and arg == "projects":
                return -1
            if ctx.live(arg, ref) is None:
                raise Invalid(f"{arg} object {ref} not found")
            return ref
        if kind == "enum":
            text = parse_str(value)
            if text in (None, ""):
                return None
            if text not in arg:
                raise Invalid(f"must be one of {', '.join(arg)}")
            return text
        raise AssertionError(kind)
    if ftype == "str":
        return parse_str(value)
    if ftype == "int":
        return parse_int(value)
    if ftype == "dec":
        return parse_dec(value)
    if ftype == "bool":
        return parse_bool(value)
    if ftype == "date":
        return parse_date(value)
    if ftype == "intlist":
        return parse_int_list(value)
    if ftype == "strlist":
        return parse_str_list(value)
    if ftype == "json":
        return value
    raise AssertionError(ftype)


def apply_fields(
    ctx: Ctx,
    types: dict[str, FieldType],
    target: dict[str, Any],
    changes: dict[str, Any],
    errors: list[str],
    prefix: str = "",
) -> None:
    for key, ftype in types.items():
        if key not in changes:
            continue
        try:
            target[key] = parse_field(ctx, ftype, changes[key])
        except Invalid as exc:
            errors.append(f"{prefix}{key}: {exc}")


# -- engine -------------------------------------------------------------------------------


def write(
    ctx: Ctx,
    spec: ModuleSpec,
    rec_id: int | None,
    changes: dict[str, Any],
) -> dict[str, Any]:
    """Create (rec_id None or 0) or update one record; returns the stored record."""
    if not isinstance(changes, dict):
        raise ScoroError(400, "request must be an object")
    table = ctx.table(spec.name)
    old = None
    if rec_id:
        old = ctx.live(spec.name, rec_id)
        if old is None:
            raise ScoroError(404, f"{spec.name} object {rec_id} not found")
    new: dict[str, Any] = {}
    if old is None:
        new.update({k: (list(v) if isinstance(v, list) else v) for k, v in spec.defaults.items()})
    else:
        new.update({k: v for k, v in old.items()})
    errors: list[str] = []
    apply_fields(ctx, spec.fields, new, changes, errors)
    if spec.finish is not None and not errors:
        spec.finish(ctx, new, old, changes, errors)
    if errors:
        raise ScoroError(400, errors)
    if old is None:
        new_id = ctx.store.new_id(spec.name)
        new[spec.id_field] = new_id
        new["_created"] = ctx.now
        new["_deleted"] = None
    new["_modified"] = ctx.now
    table[new[spec.id_field]] = new
    ctx.store.indexes.stored(
        (ctx.bucket(spec.name), spec.name), new[spec.id_field], new, created=old is None
    )
    if spec.after_write is not None:
        spec.after_write(ctx, old, new)
    return new


def delete(ctx: Ctx, spec: ModuleSpec, rec_id: int) -> dict[str, Any]:
    rec = ctx.live(spec.name, rec_id)
    if rec is None:
        raise ScoroError(404, f"{spec.name} object {rec_id} not found")
    old = dict(rec)
    rec["_deleted"] = ctx.now
    rec["_modified"] = ctx.now
    if spec.after_write is not None:
        spec.after_write(ctx, old, rec)
    return rec


def touch(ctx: Ctx, module: str, rec_id: int) -> None:
    rec = ctx.table(module).get(rec_id)
    if rec is not None:
        rec["_modified"] = ctx.now


def visible(ctx: Ctx, rec: dict[str, Any], include_deleted: bool) -> bool:
    deleted = rec.get("_deleted")
    if deleted is None:
        return True
    if not include_deleted:
        return False
    days = ctx.behaviour.deleted_retention_days
    return days is None or ctx.now - deleted <= dt.timedelta(days=days)


def find(ctx: Ctx, spec: ModuleSpec, rec_id: int, include_deleted: bool) -> dict[str, Any]:
    rec = ctx.table(spec.name).get(rec_id)
    if rec is None or not visible(ctx, rec, include_deleted):
        raise ScoroError(404, f"{spec.name} object {rec_id} not found")
    return rec


def _public(value: Any, behaviour: Behaviour) -> Any:
    if isinstance(value, bool):
        return int(value) if behaviour.bool_as_int else value
    if isinstance(value, Decimal):
        return str(value) if behaviour.money_as_string else value
    if isinstance(value, dict):
        return {k: _public(v, behaviour) for k, v in value.items() if not k.startswith("_")}
    if isinstance(value, list):
        return [_public(v, behaviour) for v in value]
    return value


def render(
    ctx: Ctx, spec: ModuleSpec, rec: dict[str, Any], *, full: bool, lines: bool | None = None
) -> dict[str, Any]:
    # The id first, as Scoro's own objects start with it; the rest in stored order.
    out = {spec.id_field: rec.get(spec.id_field)}
    out.update((k, v) for k, v in rec.items() if not k.startswith("_"))
    if spec.decorate is not None:
        spec.decorate(ctx, rec, out)
    if spec.dt_style is not None:
        out["created_date"] = ctx.site.fmt(rec.get("_created"), spec.dt_style)
        out["modified_date"] = ctx.site.fmt(rec.get("_modified"), spec.dt_style)
    out["is_deleted"] = rec.get("_deleted") is not None
    out["deleted_date"] = ctx.site.fmt(rec.get("_deleted"), "iso")
    show_lines = full if lines is None else lines
    if not show_lines:
        for key in spec.list_null:
            if key in out:
                out[key] = None
    if not full:
        for key in spec.list_drop:
            if key in out:
                out[key] = None
    _fill_nulls(spec.name, out)
    return _public(out, ctx.behaviour)


def _fill_nulls(module: str, out: dict[str, Any]) -> None:
    # Scoro sends unset fields as null rather than leaving them out; clients must cope.
    for key in OBJECT_FIELDS.get(module, ()):
        out.setdefault(key, None)
    line_fields = LINE_FIELDS.get(module, ())
    for line in out.get("lines") or ():
        for key in line_fields:
            line.setdefault(key, None)
    if module == "receipts":
        for alloc in out.get("receipts") or ():
            for key in ALLOCATION_FIELDS:
                alloc.setdefault(key, None)
