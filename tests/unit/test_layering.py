"""The dependency rules of docs/design.md, checked on the source of every module.

- Nothing outside qbsync_desktop/ui imports Qt (PySide6, shiboken6).
- qbsync_desktop/domain imports nothing else of ours.
- The foundation (domain, store, secrets, logs, paths) never imports the layers built on it.
- Only the ui package and the GUI composition root (app.py) import qbsync_desktop.ui.
- The sandbox imports nothing of the product: it imitates the services, and sharing the
  client's code would let a shared bug hide. Only demo.py and cli.py (and tools/, outside the
  package) start a sandbox.
- The connectors (quickbooks, scoro) import neither sync, store nor ui: they only speak to
  their service and to the domain.
- The ui package never imports the sandboxes (sandbox, or demo.py that starts them): the app a
  bookkeeper installs does not drive them; tools/screenshots.py, outside the package, does.

Imports are found in the AST, including ones inside functions, under TYPE_CHECKING, and
`importlib.import_module("...")` / `__import__("...")` with a literal name.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = "qbsync_desktop"
ROOT = Path(__file__).resolve().parents[2] / PACKAGE

QT_PACKAGES = {"PySide6", "shiboken6", "PyQt5", "PyQt6", "PySide2"}
FOUNDATION = ("domain", "store", "secrets", "logs", "paths")
UPPER_LAYERS = ("sync", "quickbooks", "scoro", "sandbox", "ui", "app", "cli")
CONNECTORS = ("quickbooks", "scoro")
SANDBOX_USERS = (f"{PACKAGE}.demo", f"{PACKAGE}.cli")
# demo.py starts the sandboxes, so importing it imports them.
SANDBOX_LAYERS = ("sandbox", "demo")


def module_name(path: Path) -> tuple[str, bool]:
    """Dotted name of a file under ROOT, and whether it is a package's __init__."""
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts.pop()
    return ".".join(parts), is_package


def imported_modules(source: str, module: str, is_package: bool) -> set[str]:
    """Every absolute module name `source` may import (for `from a import b`: a and a.b)."""
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            first = node.args[0]
            if name in {"import_module", "__import__"} and isinstance(first, ast.Constant):
                if isinstance(first.value, str):
                    found.add(first.value)
    return {name for name in found if name}


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def violations(source: str, module: str, is_package: bool = False) -> list[str]:
    problems: list[str] = []
    in_ui = _within(module, f"{PACKAGE}.ui")
    for target in sorted(imported_modules(source, module, is_package)):
        top = target.split(".")[0]
        if top in QT_PACKAGES and not in_ui:
            problems.append(f"{module} imports {target}: Qt belongs in {PACKAGE}.ui only")
        if top != PACKAGE or target == PACKAGE:
            continue
        layer = target.split(".")[1]
        if _within(module, f"{PACKAGE}.domain") and layer != "domain":
            problems.append(f"{module} imports {target}: domain imports nothing of ours")
        own_layer = module.split(".")[1] if "." in module else ""
        if own_layer in FOUNDATION and layer in UPPER_LAYERS:
            problems.append(f"{module} imports {target}: {own_layer} is below {layer}")
        if layer == "ui" and not (in_ui or module == f"{PACKAGE}.app"):
            problems.append(f"{module} imports {target}: only the GUI may import ui")
        in_sandbox = own_layer == "sandbox"
        if in_sandbox and layer != "sandbox":
            problems.append(f"{module} imports {target}: the sandbox imports nothing of ours")
        if layer == "sandbox" and not (in_sandbox or module in SANDBOX_USERS):
            problems.append(f"{module} imports {target}: only demo and cli start a sandbox")
        if own_layer in CONNECTORS and layer in ("sync", "store", "ui"):
            problems.append(f"{module} imports {target}: a connector is below {layer}")
        if in_ui and layer in SANDBOX_LAYERS:
            problems.append(f"{module} imports {target}: ui never drives the sandboxes")
    return problems


def all_modules() -> list[Path]:
    return sorted(ROOT.rglob("*.py"))


def test_the_walk_finds_the_package():
    names = {module_name(path)[0] for path in all_modules()}
    assert {f"{PACKAGE}.domain.records", f"{PACKAGE}.store.models", f"{PACKAGE}.logs"} <= names


def test_layering_of_every_module():
    problems: list[str] = []
    for path in all_modules():
        module, is_package = module_name(path)
        problems += violations(path.read_text(encoding="utf-8"), module, is_package)
    assert problems == []


# The checker itself: each rule must be able to fail.
@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("qbsync_desktop.sync.engine", "import PySide6.QtCore\n"),
        ("qbsync_desktop.sync.engine", "from PySide6.QtCore import Signal\n"),
        ("qbsync_desktop.store.db", "def f():\n    from shiboken6 import isValid\n"),
        ("qbsync_desktop.cli", "import importlib\nimportlib.import_module('PySide6.QtWidgets')\n"),
        ("qbsync_desktop.domain.records", "from ..store import models\n"),
        ("qbsync_desktop.domain.records", "from .. import logs\n"),
        ("qbsync_desktop.domain.records", "import qbsync_desktop.sync.plan\n"),
        (
            "qbsync_desktop.domain.records",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    from qbsync_desktop.quickbooks import api\n",
        ),
        ("qbsync_desktop.store.db", "from ..sync import service\n"),
        ("qbsync_desktop.secrets.base", "from qbsync_desktop.ui import bridge\n"),
        ("qbsync_desktop.sync.service", "from ..ui.bridge import Bridge\n"),
        ("qbsync_desktop.sandbox.scoro.app", "from ...domain import Kind\n"),
        ("qbsync_desktop.sandbox.quickbooks.query", "from qbsync_desktop import jsonio\n"),
        ("qbsync_desktop.ui.wizard", "from ..sandbox.quickbooks import QuickBooksSandbox\n"),
        ("qbsync_desktop.sync.wiring", "from ..sandbox import scoro\n"),
        ("qbsync_desktop.quickbooks.gateway", "from ..store import models\n"),
        ("qbsync_desktop.scoro.gateway", "from ..sync.links import LinkBook\n"),
        ("qbsync_desktop.ui.main_window", "from ..sandbox import demo_pairing\n"),
        ("qbsync_desktop.ui.wizard.dialog", "from ...sandbox.browser import consent\n"),
        ("qbsync_desktop.ui.main_window", "def f():\n    from ..demo import DemoEnvironment\n"),
        ("qbsync_desktop.ui", "import qbsync_desktop.sandbox.scoro\n"),
    ],
)
def test_checker_flags_violations(module, source):
    assert violations(source, module) != []


@pytest.mark.parametrize(
    ("module", "source", "is_package"),
    [
        ("qbsync_desktop.ui.main_window", "from PySide6.QtWidgets import QMainWindow\n", False),
        ("qbsync_desktop.ui", "from shiboken6 import isValid\n", True),
        ("qbsync_desktop.domain.records", "from .kinds import Kind\nimport decimal\n", False),
        ("qbsync_desktop.domain", "from .records import Contact\n", True),
        ("qbsync_desktop.app", "from .ui.main_window import MainWindow\n", False),
        (
            "qbsync_desktop.sync.service",
            "from ..store import models\nfrom ..domain import Kind\n",
            False,
        ),
        ("qbsync_desktop.secrets.base", "from ..logs import register_secret\n", False),
        ("qbsync_desktop.demo", "from .sandbox.scoro import ScoroSandbox\n", False),
        ("qbsync_desktop.cli", "from .sandbox.quickbooks import sandbox\n", False),
        ("qbsync_desktop.sandbox.scoro.app", "from .store import Store\n", False),
        ("qbsync_desktop.quickbooks.gateway", "from ..domain import Kind\n", False),
        ("qbsync_desktop.app", "from .demo import DemoEnvironment\n", False),
        ("qbsync_desktop.ui.wizard", "from .dialog import ConnectionWizard\n", True),
    ],
)
def test_checker_allows_the_permitted(module, source, is_package):
    assert violations(source, module, is_package) == []
