"""Which language the window speaks, and the words shared by several screens.

English is the source language. Estonian comes from `i18n/qbsync_et.qm`, chosen by the OS
locale or by QBSYNC_LANG=et|en (README, "Languages"). English also loads `qbsync_en.qm`, which
holds only the English plural forms ("1 entity", "2 entities") of the `%n` messages.

`make translations` rebuilds both catalogues: lupdate finds the strings in literal calls named
`tr(`, `translate(` and `QT_TRANSLATE_NOOP(`, so every call here and in the ui passes its
context and text as literals.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from ..domain import Category, Kind

if TYPE_CHECKING:
    # PySide6's stub returns `object`; the marker returns its text unchanged. The ui imports
    # it from here so the words it marks type as the strings they are.
    def QT_TRANSLATE_NOOP(context: str, message: str, /) -> str: ...

else:
    from PySide6.QtCore import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)

ENV = "QBSYNC_LANG"
LANGUAGES = ("en", "et")
CATALOGUES = Path(__file__).resolve().parent / "i18n"

_installed: list[QTranslator] = []
_system_default: QLocale | None = None


def translate(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """QCoreApplication.translate under a name lupdate extracts. A `%n` plural message goes
    through a QObject's self.tr(text, "", n) instead: lupdate marks only tr() calls as plural."""
    return QCoreApplication.translate(context, text, disambiguation, n)


def chosen_language(system: QLocale | None = None) -> str:
    """QBSYNC_LANG when it names a language we have, else the OS locale's, else English."""
    wanted = os.environ.get(ENV, "").strip().lower()
    if wanted in LANGUAGES:
        return wanted
    if wanted:
        log.warning("%s=%s is not a language QBSync has (%s)", ENV, wanted, ", ".join(LANGUAGES))
    name = (system or QLocale.system()).name()  # "et_EE", "en_GB", "C"
    language = name.split("_", 1)[0].lower()
    return language if language in LANGUAGES else "en"


def install_translators(app: QCoreApplication) -> str:
    """Load the chosen language's catalogues into `app` (replacing any loaded before) and
    return the language. Qt's own words (standard buttons) come from Qt's qtbase catalogue
    when PySide6 ships one for the language; ours covers them otherwise."""
    global _system_default
    if _system_default is None:
        _system_default = QLocale()
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    language = chosen_language()
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folder in ((f"qtbase_{language}", qt_dir), (f"qbsync_{language}", str(CATALOGUES))):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            _installed.append(translator)
        elif not name.startswith("qtbase"):
            log.warning("no %s.qm in %s: the window stays in English", name, folder)
    # Dates and numbers follow the chosen language when QBSYNC_LANG overrides the OS.
    if os.environ.get(ENV, "").strip().lower() in LANGUAGES:
        QLocale.setDefault(QLocale(language))
    else:
        QLocale.setDefault(_system_default)
    return language


# Labels that come from the domain in English, translated where the ui shows them.
_CATEGORY_LABELS = (
    QT_TRANSLATE_NOOP("Category", "Background items (tax rates, accounts)"),
    QT_TRANSLATE_NOOP("Category", "Contacts"),
    QT_TRANSLATE_NOOP("Category", "Products"),
    QT_TRANSLATE_NOOP("Category", "Projects"),
    QT_TRANSLATE_NOOP("Category", "Invoices and credit notes"),
    QT_TRANSLATE_NOOP("Category", "Bills"),
    QT_TRANSLATE_NOOP("Category", "Receipts"),
    QT_TRANSLATE_NOOP("Category", "Classes"),
    QT_TRANSLATE_NOOP("Category", "Attachments"),
)
_KIND_LABELS = (
    QT_TRANSLATE_NOOP("Kind", "Account"),
    QT_TRANSLATE_NOOP("Kind", "Tax rate"),
    QT_TRANSLATE_NOOP("Kind", "Class"),
    QT_TRANSLATE_NOOP("Kind", "Customer"),
    QT_TRANSLATE_NOOP("Kind", "Vendor"),
    QT_TRANSLATE_NOOP("Kind", "Product"),
    QT_TRANSLATE_NOOP("Kind", "Project"),
    QT_TRANSLATE_NOOP("Kind", "Invoice"),
    QT_TRANSLATE_NOOP("Kind", "Credit note"),
    QT_TRANSLATE_NOOP("Kind", "Bill"),
    QT_TRANSLATE_NOOP("Kind", "Receipt"),
    QT_TRANSLATE_NOOP("Kind", "Bill payment"),
    QT_TRANSLATE_NOOP("Kind", "Attachment"),
)
# Qt's own words where PySide6 has no qtbase catalogue for the language (Estonian).
_QT_WORDS = (
    QT_TRANSLATE_NOOP("QWizard", "< &Back"),
    QT_TRANSLATE_NOOP("QWizard", "&Next >"),
    QT_TRANSLATE_NOOP("QWizard", "&Next"),
    QT_TRANSLATE_NOOP("QWizard", "&Finish"),
    QT_TRANSLATE_NOOP("QWizard", "Cancel"),
    QT_TRANSLATE_NOOP("QWizard", "&Help"),
    QT_TRANSLATE_NOOP("QWizard", "Go Back"),
    QT_TRANSLATE_NOOP("QWizard", "Continue"),
    QT_TRANSLATE_NOOP("QWizard", "Done"),
    QT_TRANSLATE_NOOP("QWizard", "Commit"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "OK"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Cancel"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Close"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "&Yes"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "&No"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Save"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Help"),
    QT_TRANSLATE_NOOP("QLineEdit", "&Undo"),
    QT_TRANSLATE_NOOP("QLineEdit", "&Redo"),
    QT_TRANSLATE_NOOP("QLineEdit", "Cu&t"),
    QT_TRANSLATE_NOOP("QLineEdit", "&Copy"),
    QT_TRANSLATE_NOOP("QLineEdit", "&Paste"),
    QT_TRANSLATE_NOOP("QLineEdit", "Delete"),
    QT_TRANSLATE_NOOP("QLineEdit", "Select All"),
)


def category_label(category: Category) -> str:
    return translate("Category", category.label)


def kind_label(kind: Kind) -> str:
    return translate("Kind", kind.label)
