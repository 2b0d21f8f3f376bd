"""Rule ids are for engineers (docs/rules.md): no string in ui/ or sync/ puts one in
parentheses, the way a sentence shown to a bookkeeper would ("… was not sent (R57)"). The
scan includes docstrings, which is stricter than needed and keeps the habit out entirely."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "qbsync_desktop"
IN_PARENTHESES = re.compile(r"\([^()]*\bR\d{2}\b")


def offenders(source: str, name: str) -> list[str]:
    return [
        f"{name}:{node.lineno}: {IN_PARENTHESES.search(node.value).group(0)!r}"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and IN_PARENTHESES.search(node.value)
    ]


def test_no_rule_id_in_parentheses_in_ui_or_sync_strings():
    found = []
    for package in ("ui", "sync"):
        for path in sorted((ROOT / package).rglob("*.py")):
            found += offenders(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert found == []


def test_the_scan_catches_a_rule_id_in_a_message():
    assert offenders('x = f"Invoice {n} was not sent (R57)."\n', "m.py")
    assert offenders('"""Settings (rules R06, R40)."""\n', "m.py")
    assert not offenders('x = "Rule R57 is in docs/rules.md"\n# (R57) in a comment\n', "m.py")
