"""The QBO query language subset: parser and evaluator.

``SELECT * | COUNT(*) FROM Entity [WHERE p op v [AND ...]] [ORDERBY|ORDER BY p [ASC|DESC], ...]
[STARTPOSITION n] [MAXRESULTS n]`` with ``= < > <= >= IN LIKE``. OR, joins and expressions are
rejected the way QBO rejects them (4000 parser errors, 4001 validation errors).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from . import errors as E
from .clock import PACIFIC, parse_datetime
from .specs import SPECS

KEYWORDS = {
    "SELECT", "FROM", "WHERE", "AND", "OR", "ORDERBY", "ORDER", "BY", "ASC", "DESC",
    "STARTPOSITION", "MAXRESULTS", "IN", "LIKE", "COUNT", "TRUE", "FALSE", "NOT",
}  # fmt: skip
# Real entities the sandbox keeps no rows for: querying them is legal and returns nothing.
EMPTY_ENTITIES = {
    "Department", "Estimate", "SalesReceipt", "Purchase",
    "JournalEntry", "Deposit", "Transfer", "TimeActivity", "RefundReceipt",
    "PurchaseOrder", "Budget", "CompanyCurrency", "ExchangeRate", "TaxAgency",
    "CreditCardPayment", "JournalCode", "Bundle",
}  # fmt: skip
DATE_FIELDS = {"txndate", "duedate", "shipdate", "invstartdate", "opendate"}


@dataclass
class Token:
    kind: str  # KEYWORD IDENTIFIER STRING NUMBER OP ( ) , * EOF
    text: str
    column: int
    value: Any = None


@dataclass
class Condition:
    path: str
    op: str
    values: list[Any]


@dataclass
class Query:
    entity: str
    count: bool = False
    where: list[Condition] = field(default_factory=list)
    order: list[tuple[str, bool]] = field(default_factory=list)  # (path, descending)
    start: int = 1
    max_results: int | None = None
    # The select list when it names properties instead of *; None means every property.
    fields: list[str] | None = None


def _parse_error(detail: str) -> E.QuickBooksError:
    return E.QuickBooksError("4000", "Error parsing query", f"QueryParserError: {detail}")


def _invalid(detail: str) -> E.QuickBooksError:
    return E.QuickBooksError("4001", "Invalid query", f"QueryValidationError: {detail}")


_OPS = ("<=", ">=", "!=", "<>", "=", "<", ">")


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        col = i + 1
        if ch.isspace():
            i += 1
            continue
        if ch == "'":
            j = i + 1
            buf = []
            while j < n and text[j] != "'":
                if text[j] == "\\" and j + 1 < n:
                    buf.append(text[j + 1])
                    j += 2
                    continue
                buf.append(text[j])
                j += 1
            if j >= n:
                raise _parse_error(
                    f"Invalid content. Lexical error at line 1, column {n + 1}.  "
                    f'Encountered: <EOF> after : "{text[i:]}"'
                )
            tokens.append(Token("STRING", text[i : j + 1], col, "".join(buf)))
            i = j + 1
            continue
        if ch in "(),*":
            tokens.append(Token(ch, ch, col))
            i += 1
            continue
        matched = next((op for op in _OPS if text.startswith(op, i)), None)
        if matched:
            tokens.append(Token("OP", matched, col))
            i += len(matched)
            continue
        if ch.isdigit() or (ch in "-." and i + 1 < n and text[i + 1].isdigit()):
            j = i + 1
            while j < n and (text[j].isdigit() or text[j] == "."):
                j += 1
            raw = text[i:j]
            try:
                number = Decimal(raw)
            except InvalidOperation:
                raise _parse_error(f"Invalid number {raw} at line 1, column {col}.") from None
            tokens.append(Token("NUMBER", raw, col, number))
            i = j
            continue
        if ch.isalpha() or ch == "_":
            j = i + 1
            while j < n and (text[j].isalnum() or text[j] in "._"):
                j += 1
            word = text[i:j]
            kind = "KEYWORD" if word.upper() in KEYWORDS else "IDENTIFIER"
            tokens.append(Token(kind, word, col, word.upper() if kind == "KEYWORD" else word))
            i = j
            continue
        raise _parse_error(
            f"Invalid content. Lexical error at line 1, column {col}.  "
            f'Encountered: "{ch}" ({ord(ch)}), after : ""'
        )
    tokens.append(Token("EOF", "<EOF>", n + 1))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.pos = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.pos]

    def fail(self, expecting: list[str]) -> E.QuickBooksError:
        tok = self.tok
        label = {"KEYWORD": tok.text.upper(), "IDENTIFIER": "IDENTIFIER"}.get(tok.kind, tok.kind)
        if tok.kind == "EOF":
            found = "<EOF>"
        else:
            found = f'" <{label}> "{tok.text} ""'
        return _parse_error(
            f"Encountered {found} at line 1, column {tok.column}. "
            f"Was expecting one of: {', '.join(expecting)}"
        )

    def keyword(self, *words: str) -> str | None:
        if self.tok.kind == "KEYWORD" and self.tok.value in words:
            word = self.tok.value
            self.pos += 1
            return word
        return None

    def expect_kw(self, word: str) -> None:
        if not self.keyword(word):
            raise self.fail([f'"{word.lower()}"'])

    def expect(self, kind: str, expecting: str) -> Token:
        if self.tok.kind != kind:
            raise self.fail([expecting])
        tok = self.tok
        self.pos += 1
        return tok

    def identifier(self) -> str:
        return self.expect("IDENTIFIER", "<IDENTIFIER>").text

    def value(self) -> Any:
        tok = self.tok
        if tok.kind in ("STRING", "NUMBER"):
            self.pos += 1
            return tok.value
        if tok.kind == "KEYWORD" and tok.value in ("TRUE", "FALSE"):
            self.pos += 1
            return tok.value == "TRUE"
        raise self.fail(["<STRING>", "<NUMBER>", '"true"', '"false"'])

    def parse(self) -> Query:
        self.expect_kw("SELECT")
        count = False
        selected: list[str] | None = None
        if self.keyword("COUNT"):
            self.expect("(", '"("')
            self.expect("*", '"*"')
            self.expect(")", '")"')
            count = True
        elif self.tok.kind == "*":
            self.pos += 1
            while self.tok.kind == ",":
                self.pos += 1
                self.identifier()
        else:
            selected = [self.identifier()]
            while self.tok.kind == ",":
                self.pos += 1
                selected.append(self.identifier())
        self.expect_kw("FROM")
        entity = self.identifier()
        query = Query(entity=entity, count=count, fields=selected)
        if self.keyword("WHERE"):
            query.where.append(self.condition())
            while True:
                if self.keyword("AND"):
                    query.where.append(self.condition())
                    continue
                break
        if self.tok.kind == "KEYWORD" and self.tok.value in ("ORDERBY", "ORDER"):
            if self.keyword("ORDER"):
                self.expect_kw("BY")
            else:
                self.keyword("ORDERBY")
            while True:
                path = self.identifier()
                desc = self.keyword("ASC", "DESC") == "DESC"
                query.order.append((path, desc))
                if self.tok.kind != ",":
                    break
                self.pos += 1
        seen = set()
        while self.tok.kind == "KEYWORD" and self.tok.value in ("STARTPOSITION", "MAXRESULTS"):
            word = self.tok.value
            if word in seen:
                raise self.fail(["<EOF>"])
            seen.add(word)
            self.pos += 1
            number = self.expect("NUMBER", "<INTEGER>")
            if number.value != number.value.to_integral_value():
                raise _parse_error(f"Invalid integer {number.text} at column {number.column}.")
            if word == "STARTPOSITION":
                query.start = int(number.value)
            else:
                query.max_results = int(number.value)
        if self.tok.kind != "EOF":
            expecting = ['"and"', '"orderby"', '"startposition"', '"maxresults"', "<EOF>"]
            raise self.fail(expecting)
        return query

    def condition(self) -> Condition:
        path = self.identifier()
        if self.keyword("IN"):
            self.expect("(", '"("')
            values = [self.value()]
            while self.tok.kind == ",":
                self.pos += 1
                values.append(self.value())
            self.expect(")", '")"')
            return Condition(path, "IN", values)
        if self.keyword("LIKE"):
            tok = self.expect("STRING", "<STRING>")
            return Condition(path, "LIKE", [tok.value])
        if self.tok.kind == "OP" and self.tok.text in ("=", "<", ">", "<=", ">="):
            op = self.tok.text
            self.pos += 1
            return Condition(path, op, [self.value()])
        raise self.fail(['"="', '"<"', '">"', '"<="', '">="', '"in"', '"like"'])


def parse(text: str) -> Query:
    if not text or not text.strip():
        raise _parse_error("Encountered <EOF> at line 1, column 1. Was expecting one of: select")
    return _Parser(text).parse()


# --------------------------------------------------------------------------- evaluation


def field_values(obj: Any, path: str) -> list[Any]:
    """All leaf values at a dotted path (case-insensitive keys, lists fan out, refs → value)."""
    current = [obj]
    for part in path.lower().split("."):
        found = []
        for item in current:
            for node in item if isinstance(item, list) else [item]:
                if not isinstance(node, dict):
                    continue
                for key, value in node.items():
                    if key.lower() == part:
                        found.extend(value if isinstance(value, list) else [value])
                        break
        current = found
    out = []
    for value in current:
        if isinstance(value, dict):
            if "value" in value:
                out.append(value["value"])
        else:
            out.append(value)
    return out


def _as_number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str) and re.fullmatch(r"-?\d+(\.\d+)?", value.strip()):
        return Decimal(value.strip())
    return None


def _as_time(value: Any, path: str) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    leaf = path.lower().rsplit(".", 1)[-1]
    if leaf in DATE_FIELDS:
        try:
            day = dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
        return dt.datetime.combine(day, dt.time(), PACIFIC)
    if "time" in leaf or "T" in value:
        return parse_datetime(value)
    return None


def _compare(field_value: Any, literal: Any, path: str) -> int | None:
    """-1/0/1, or None when the two can't be compared (the row doesn't match)."""
    if isinstance(literal, bool):
        if isinstance(field_value, bool):
            return (field_value > literal) - (field_value < literal)
        if isinstance(field_value, str) and field_value.lower() in ("true", "false"):
            fv = field_value.lower() == "true"
            return (fv > literal) - (fv < literal)
        return None
    a_time, b_time = _as_time(field_value, path), _as_time(literal, path)
    if a_time is not None and b_time is not None:
        return (a_time > b_time) - (a_time < b_time)
    a_num, b_num = _as_number(field_value), _as_number(literal)
    if a_num is not None and b_num is not None:
        return (a_num > b_num) - (a_num < b_num)
    if isinstance(field_value, str) and isinstance(literal, str):
        a, b = field_value.casefold(), literal.casefold()
        return (a > b) - (a < b)
    return None


def _like(pattern: str) -> re.Pattern[str]:
    parts = [re.escape(p) for p in pattern.split("%")]
    return re.compile("^" + ".*".join(parts) + "$", re.IGNORECASE | re.DOTALL)


def _is_null_literal(cond: Condition) -> bool:
    return cond.op in ("=", "IN") and any(isinstance(v, str) and v == " " for v in cond.values)


def _compared_match(values: list[Any], cond: Condition) -> bool:
    """The general rule: a value matches when it compares with a literal as the op asks."""
    for value in values:
        for literal in cond.values:
            result = _compare(value, literal, cond.path)
            if result is None:
                continue
            if (
                (cond.op in ("=", "IN") and result == 0)
                or (cond.op == "<" and result < 0)
                or (cond.op == ">" and result > 0)
                or (cond.op == "<=" and result <= 0)
                or (cond.op == ">=" and result >= 0)
            ):
                return True
    return False


class _Equality:
    """``=``/``IN`` answered by set lookups instead of comparing every row with every literal
    (a 100-number IN over thousands of rows otherwise dominates a bulk push). Same result as
    `_compare`: equal times, equal numbers or equal text (case-insensitive); text that is
    equal is also equal as a time or a number, so the three lookups never disagree."""

    def __init__(self, cond: Condition) -> None:
        self.path = cond.path
        self.bools: set[bool] = set()
        self.times: set[dt.datetime] = set()
        self.numbers: set[Decimal] = set()
        self.texts: set[str] = set()
        for literal in cond.values:
            if isinstance(literal, bool):
                self.bools.add(literal)
                continue
            when, number = _as_time(literal, self.path), _as_number(literal)
            if when is not None:
                self.times.add(when)
            if number is not None:
                self.numbers.add(number)
            if isinstance(literal, str):
                self.texts.add(literal.casefold())

    def one(self, value: Any) -> bool:
        if isinstance(value, bool):
            return value in self.bools
        if isinstance(value, str):
            if self.bools and value.lower() in ("true", "false"):
                if (value.lower() == "true") in self.bools:
                    return True
            if value.casefold() in self.texts:
                return True
        if self.times:
            when = _as_time(value, self.path)
            if when is not None and when in self.times:
                return True
        if self.numbers:
            number = _as_number(value)
            return number is not None and number in self.numbers
        return False

    def __call__(self, values: list[Any]) -> bool:
        return any(self.one(v) for v in values)


def compile_condition(cond: Condition) -> Callable[[dict], bool]:
    null = _is_null_literal(cond)
    if cond.op == "LIKE":
        regex = _like(str(cond.values[0]))

        def test(values: list[Any]) -> bool:
            return any(isinstance(v, str) and regex.match(v) for v in values)
    elif cond.op in ("=", "IN"):
        test = _Equality(cond)
    else:

        def test(values: list[Any]) -> bool:
            return _compared_match(values, cond)

    def match(obj: dict) -> bool:
        values = field_values(obj, cond.path)
        # ' ' is QBO's way of writing null.
        if null and (not values or all(v in (None, "") for v in values)):
            return True
        return test(values)

    return match


def validate(query: Query) -> None:
    spec = SPECS.get(query.entity)
    if spec is None:
        if query.entity in EMPTY_ENTITIES:
            return
        raise _parse_error(
            f'Encountered " <IDENTIFIER> "{query.entity} "" at line 1. '
            "Was expecting one of: a valid entity name (entity names are case sensitive)"
        )
    for cond in query.where:
        if cond.path.lower() not in spec.queryable:
            raise _invalid(f"property '{cond.path}' is not queryable")
    for path, _desc in query.order:
        if path.lower() not in spec.queryable:
            raise _invalid(f"property '{path}' is not sortable")


def _pick(node: Any, parts: list[str]) -> Any:
    """The part of ``node`` on a dotted path, keeping the enclosing keys; None if absent."""
    if not parts:
        return node
    if isinstance(node, list):
        picked = [p for p in (_pick(item, parts) for item in node) if p is not None]
        return picked or None
    if not isinstance(node, dict):
        return None
    for key, value in node.items():
        if key.lower() == parts[0].lower():
            inner = _pick(value, parts[1:])
            return None if inner is None else {key: inner}
    return None


def _merge(into: dict, part: dict) -> None:
    for key, value in part.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


def project(obj: dict, fields: list[str]) -> dict:
    """A sparse object holding only the selected properties (dotted paths keep their parents)."""
    out: dict = {}
    for path in fields:
        picked = _pick(obj, path.split("."))
        if picked is not None:
            _merge(out, picked)
    out["domain"] = obj.get("domain", "QBO")
    out["sparse"] = True
    return out


def _sort_key(obj: dict, path: str) -> tuple:
    values = field_values(obj, path)
    if not values or values[0] is None:
        return (0,)
    value = values[0]
    when = _as_time(value, path)
    if when is not None:
        return (1, when.timestamp())
    number = _as_number(value)
    if number is not None:
        return (2, number)
    if isinstance(value, bool):
        return (3, value)
    return (4, str(value).casefold())


def run(query: Query, rows: list[dict], *, hide_inactive: bool, settings) -> dict:
    """Filter, sort and page ``rows``; returns the inner ``QueryResponse`` object."""
    conditions = list(query.where)
    if hide_inactive and not any(c.path.lower() == "active" for c in conditions):
        conditions.append(Condition("Active", "=", [True]))
    tests = [compile_condition(c) for c in conditions]
    selected = [r for r in rows if all(t(r) for t in tests)]
    if query.count:
        return {"totalCount": len(selected)}
    selected.sort(key=lambda r: (len(r["Id"]), r["Id"]))
    for path, desc in reversed(query.order):
        selected.sort(key=functools.partial(_sort_key, path=path), reverse=desc)
    limit = query.max_results
    if limit is None:
        limit = settings.default_max_results
    if limit > settings.max_results:
        if settings.maxresults_over_limit == "error":
            raise _invalid(
                f"MAXRESULTS {limit} exceeds the maximum number of entities that can be "
                f"returned in a response ({settings.max_results})"
            )
        limit = settings.max_results
    if limit < 1:
        raise _invalid("MAXRESULTS must be greater than 0")
    start = max(query.start, 1)
    page = selected[start - 1 : start - 1 + limit]
    if not page:
        return {}
    return {query.entity: page, "startPosition": start, "maxResults": len(page)}
