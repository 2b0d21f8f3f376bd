"""The window speaks Estonian or English: QBSYNC_LANG (or the OS locale) chooses, the
catalogues are complete and compiled, and no new on-screen words bypass translation."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QWizard

from qbsync_desktop.ui import language

UI = Path(language.__file__).resolve().parent
CATALOGUES = UI / "i18n"
# The contexts of the wizard and the main window (and what they show): all translated.
WINDOW_CONTEXTS = {
    "Application",
    "AppPage",
    "AuthorizePage",
    "Category",
    "CategoryTable",
    "ConnectionHeader",
    "ConnectionWizard",
    "CurrencyPage",
    "DocumentsPanel",
    "Formatting",
    "HistoryImportDialog",
    "HistoryPanel",
    "Kind",
    "LogPane",
    "MainWindow",
    "Messages",
    "Notices",
    "Overview",
    "OverviewPanel",
    "PreviewDialog",
    "QPlatformTheme",
    "QWizard",
    "ReconcilePanel",
    "ReviewPanel",
    "ScoroPage",
    "SettingsPage",
    "SyncSettingsPanel",
    "Tray",
    "WelcomePage",
    "Wizard",
}


@pytest.fixture
def speak(qapp, monkeypatch):
    """Switch the running app to a language, as QBSYNC_LANG does at start-up; English after."""

    def switch(lang: str) -> str:
        monkeypatch.setenv(language.ENV, lang)
        return language.install_translators(qapp)

    yield switch
    monkeypatch.undo()  # QBSYNC_LANG back to the tests' English
    language.install_translators(qapp)


def wizard_and_window(make_window, world):
    window = make_window(world.svc)
    window.open_wizard()
    wizard = window.wizard
    return window, wizard


def menu_titles(window) -> list[str]:
    return [action.text() for action in window.menuBar().actions()]


def test_estonian_wizard_and_main_window(speak, make_window, world):
    assert speak("et") == "et"
    window, wizard = wizard_and_window(make_window, world)
    assert wizard.currentPage().title() == "Scoro ühendamine QuickBooks Online’iga"
    assert wizard.button(QWizard.WizardButton.NextButton).text().replace("&", "") == "Edasi >"
    assert wizard.button(QWizard.WizardButton.CancelButton).text() == "Loobu"
    assert menu_titles(window) == ["&Fail", "&Sünkroonimine", "&Vaade", "&Abi"]
    assert window.sync_action.text() == "Sünkrooni kohe"
    assert window.tabs.tabText(0) == "Ülevaade"
    wizard.reject()


def test_english_wizard_and_main_window(speak, make_window, world):
    assert speak("en") == "en"
    window, wizard = wizard_and_window(make_window, world)
    assert wizard.currentPage().title() == "Connect Scoro to QuickBooks Online"
    assert wizard.button(QWizard.WizardButton.NextButton).text().replace("&", "") == "Next >"
    assert wizard.button(QWizard.WizardButton.CancelButton).text() == "Cancel"
    assert menu_titles(window) == ["&File", "&Sync", "&View", "&Help"]
    assert window.sync_action.text() == "Synchronize now"
    wizard.reject()


def test_english_plurals_come_from_the_english_catalogue(speak):
    speak("en")
    assert language.translate("ScoroPage", "Connected. %n entities found.", "", 1) == (
        "Connected. 1 entity found."
    )
    assert language.translate("ScoroPage", "Connected. %n entities found.", "", 3) == (
        "Connected. 3 entities found."
    )
    speak("et")
    assert language.translate("ScoroPage", "Connected. %n entities found.", "", 1) == (
        "Ühendatud. Leiti 1 üksus."
    )
    assert language.translate("ScoroPage", "Connected. %n entities found.", "", 3) == (
        "Ühendatud. Leiti 3 üksust."
    )


def test_the_os_locale_chooses_without_the_override(monkeypatch):
    monkeypatch.delenv(language.ENV, raising=False)
    assert language.chosen_language(QLocale("et_EE")) == "et"
    assert language.chosen_language(QLocale("de_DE")) == "en"
    assert language.chosen_language(QLocale.c()) == "en"
    monkeypatch.setenv(language.ENV, "en")
    assert language.chosen_language(QLocale("et_EE")) == "en"


def test_tests_run_in_english(qapp, monkeypatch):
    """The other UI tests read English: tests/conftest.py pins it, and even without that pin
    the locale of this test machine is not Estonian."""
    assert language.chosen_language() == "en"
    monkeypatch.delenv(language.ENV)
    assert QLocale.system().language() is not QLocale.Language.Estonian
    assert language.chosen_language() == "en"


def test_no_unfinished_estonian_entries():
    root = ET.parse(CATALOGUES / "qbsync_et.ts").getroot()  # noqa: S314 - our own file
    contexts = {c.findtext("name") for c in root.iter("context")}
    assert WINDOW_CONTEXTS <= contexts, WINDOW_CONTEXTS - contexts
    unfinished = [
        (context.findtext("name"), m.findtext("source"))
        for context in root.iter("context")
        for m in context.iter("message")
        if m.find("translation").get("type") == "unfinished"
    ]
    assert unfinished == []


def test_every_category_and_kind_label_has_an_estonian_word(speak):
    from qbsync_desktop.domain import Category, Kind

    speak("et")
    untranslated = [c.label for c in Category if language.category_label(c) == c.label]
    untranslated += [k.label for k in Kind if language.kind_label(k) == k.label]
    assert untranslated == []


@pytest.mark.parametrize("name", ["qbsync_et", "qbsync_en"])
def test_compiled_catalogue_is_up_to_date(name, tmp_path):
    lrelease = shutil.which("pyside6-lrelease") or str(
        Path(sys.executable).with_name("pyside6-lrelease")
    )
    built = tmp_path / f"{name}.qm"
    subprocess.run(
        [lrelease, "-silent", str(CATALOGUES / f"{name}.ts"), "-qm", str(built)], check=True
    )
    assert built.read_bytes() == (CATALOGUES / f"{name}.qm").read_bytes(), (
        f"{name}.qm is older than {name}.ts: run make translations"
    )


# Calls whose first string argument is shown on screen.
SHOWN = {
    "setText",
    "setWindowTitle",
    "setToolTip",
    "setPlaceholderText",
    "setTitle",
    "setSubTitle",
    "setTabText",
    "setAccessibleName",
    "setAccessibleDescription",
    "setInformativeText",
    "setFormat",
    "addTab",
    "addRow",
    "addItem",
    "addAction",
    "addMenu",
    "addButton",
    "setHorizontalHeaderLabels",
    "setHeaderLabels",
    "showMessage",
    "notify",
    "show_info",
    "show_error",
    "show_problem",
    "confirm",
    "set_status",
    "QLabel",
    "QPushButton",
    "QCheckBox",
    "QRadioButton",
    "QGroupBox",
    "QAction",
    "QToolBar",
    "QMessageBox",
    "QListWidgetItem",
    "QTreeWidgetItem",
    "QTableWidgetItem",
    "QStandardItem",
}
# Words that are the same in every language: product names, symbols, examples.
ALLOWED = {
    "",
    "…",
    "%",
    "—",
    "Scoro",
    "QuickBooks",
    "QBSync",
    "https://…?code=…&state=…&realmId=…",
}


def literal_strings(node: ast.AST) -> list[str]:
    """String literals handed over as they are: not inside a tr()/translate() call."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return ["".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)]
    if isinstance(node, ast.BinOp):
        return literal_strings(node.left) + literal_strings(node.right)
    if isinstance(node, ast.IfExp):
        return literal_strings(node.body) + literal_strings(node.orelse)
    if isinstance(node, ast.List | ast.Tuple):
        return [s for e in node.elts for s in literal_strings(e)]
    return []


def call_name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def shown_arguments(call: ast.Call) -> list[ast.AST]:
    if call_name(call) == "set_status":
        return call.args[1:2]  # set_status(label, text, kind): the kind is a style name
    return list(call.args) + [k.value for k in call.keywords if k.arg in ("yes", "no")]


def is_words(text: str) -> bool:
    """Letters left once markup, product names and placeholders are taken out."""
    if text.strip() in ALLOWED:
        return False
    rest = re.sub(r"<[^>]*>|&\w+;|\{\w*\}", " ", text)
    for name in ALLOWED:
        if name:
            rest = rest.replace(name, " ")
    return any(ch.isalpha() for ch in rest)


def untranslated_literals(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if not isinstance(node, ast.Call) or call_name(node) not in SHOWN:
            continue
        for arg in shown_arguments(node):
            found += [
                f"{path.name}:{node.lineno}: {text.strip()!r}"
                for text in literal_strings(arg)
                if is_words(text)
            ]
    return found


def test_no_untranslated_words_reach_the_screen():
    found = [hit for path in sorted(UI.rglob("*.py")) for hit in untranslated_literals(path)]
    assert found == []


def test_the_check_catches_an_untranslated_label(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        'label = QLabel("Invoices")\n'
        'label.setToolTip(self.tr("Invoices"))\n'
        'label.setText("<b>Scoro</b> · {}")\n'
        'box.setWindowTitle(f"Sync of {when}")\n'
        'set_status(label, "Connected", "ok")\n',
        "utf-8",
    )
    assert untranslated_literals(sample) == [
        "sample.py:1: 'Invoices'",
        "sample.py:4: 'Sync of {}'",
        "sample.py:5: 'Connected'",
    ]
