"""What the pages of the connection wizard share: page ids, wording, status labels."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit

from ...sync.types import ConnectionInfo
from ..language import translate

PAGE_WELCOME, PAGE_SCORO, PAGE_APP, PAGE_AUTHORIZE, PAGE_CURRENCY, PAGE_SETTINGS = range(6)


def reconnect_all_saved() -> str:
    return translate(
        "Wizard",
        "The Scoro API key and the QuickBooks client secret saved for this connection are "
        "used again. Type a secret only if it was changed in the Intuit developer portal.",
    )


def sibling_placeholder(name: str) -> str:
    return translate("Wizard", "saved for {name} — leave empty to use it").format(name=name)


def show_borrowed(
    note: QLabel, field: QLineEdit, source: ConnectionInfo | None, template: str
) -> None:
    """Say (and tell screen readers) that an empty `field` stands for `source`'s saved one;
    `template` is that sentence, translated, with {name} for the other entity."""
    text = template.format(name=source.entity_name) if source is not None else ""
    note.setText(text)
    note.setVisible(source is not None)
    field.setAccessibleDescription(text)


def set_status(label: QLabel, text: str, kind: str = "") -> None:
    label.setText(text)
    label.setProperty("kind", kind)
    if kind == "error":
        label.setStyleSheet(
            "color: palette(bright-text); background: #b3261e; padding: 4px; border-radius: 3px;"
        )
    else:
        label.setStyleSheet("")
