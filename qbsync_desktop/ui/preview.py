"""Preview (dry run): what a sync would do, grouped by category and action. Changes nothing."""

from __future__ import annotations

from collections import Counter, defaultdict

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..domain import CATEGORY_ORDER, Category
from ..sync.types import RunResult
from .geometry import MIN_DIALOG, fit_window
from .language import QT_TRANSLATE_NOOP, category_label, translate

ACTION_TEXT = {
    "create": QT_TRANSLATE_NOOP("PreviewDialog", "To create"),
    "update": QT_TRANSLATE_NOOP("PreviewDialog", "To update"),
    "link": QT_TRANSLATE_NOOP("PreviewDialog", "To match (already in both)"),
    "conflict": QT_TRANSLATE_NOOP("PreviewDialog", "Conflicts (for review)"),
    "hold": QT_TRANSLATE_NOOP("PreviewDialog", "Held for review"),
    "nothing": QT_TRANSLATE_NOOP("PreviewDialog", "Unchanged"),
}
CHANGES = ("create", "update", "link")
ACTION_ORDER = ("create", "update", "link", "conflict", "hold", "nothing")


def action_text(action: str) -> str:
    text = ACTION_TEXT.get(action)
    return translate("PreviewDialog", text) if text else action


def _category_label(name: str) -> str:
    try:
        return category_label(Category(name))
    except ValueError:
        return name.replace("_", " ").capitalize()


def _category_rank(name: str) -> int:
    try:
        return CATEGORY_ORDER.index(Category(name))
    except ValueError:
        return len(CATEGORY_ORDER)


class PreviewDialog(QDialog):
    def __init__(self, result: RunResult, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("previewDialog")
        self.setWindowTitle(self.tr("Preview — {title}").format(title=title))
        fit_window(self, QSize(900, 560), MIN_DIALOG, centre=False)
        counts = Counter(p.action for p in result.plan)
        if result.plan:
            parts = [f"{counts[a]} {action_text(a).lower()}" for a in ACTION_ORDER if counts[a]]
            summary = self.tr(
                "A sync now would do this: {changes}. Nothing has been changed yet."
            ).format(changes=", ".join(parts))
        else:
            summary = self.tr("Nothing to do: both systems are in step. Nothing has been changed.")
        # The service's own line repeats the counts above; only something else is worth adding.
        if result.message and not result.message.lower().startswith("preview"):
            summary += f"\n{result.message}"
        self.summary = QLabel(summary)
        self.summary.setObjectName("previewSummary")
        self.summary.setWordWrap(True)

        self.tree = QTreeWidget()
        self.tree.setObjectName("previewTree")
        self.tree.setAccessibleName(self.tr("Planned changes"))
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([self.tr("What"), self.tr("Detail")])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(True)
        # The detail says what to do; it must be readable without hovering.
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        grouped: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for action in result.plan:
            grouped[action.category][action.action].append(action)
        for category in sorted(grouped, key=_category_rank):
            actions = grouped[category]
            changes = sum(len(v) for k, v in actions.items() if k in CHANGES)
            held = sum(len(v) for k, v in actions.items() if k in ("conflict", "hold"))
            parts = [self.tr("{count} to change").format(count=changes)] if changes else []
            parts += [self.tr("{count} for review").format(count=held)] if held else []
            cat_item = QTreeWidgetItem(
                [_category_label(category), ", ".join(parts) or self.tr("no changes")]
            )
            self.tree.addTopLevelItem(cat_item)
            order = [a for a in ACTION_ORDER if a in actions] + [
                a for a in actions if a not in ACTION_ORDER
            ]
            for name in order:
                items = actions[name]
                act_item = QTreeWidgetItem([action_text(name), str(len(items))])
                cat_item.addChild(act_item)
                for planned in items:
                    leaf = QTreeWidgetItem([planned.label, planned.detail])
                    leaf.setToolTip(1, planned.detail)
                    act_item.addChild(leaf)
                act_item.setExpanded(name != "nothing")
            cat_item.setExpanded(True)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
