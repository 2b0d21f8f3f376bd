"""Window sizes from the screen the window is on: small laptop screens (1366×768, 1024×768)
must show every window whole, remembered geometry included."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# Every window's minimum fits a 1024×768 screen less a taskbar and a title bar.
MIN_MAIN = QSize(800, 560)
MIN_DIALOG = QSize(560, 440)


def available_geometry(widget: QWidget | None = None) -> QRect:
    """The part of the screen a window may use (without taskbars and docks)."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    if screen is None:  # no screen at all (some headless platforms)
        return QRect(0, 0, 1024, 768)
    return screen.availableGeometry()


def fitted(preferred: QSize, area: QRect, share: float = 0.92) -> QSize:
    """`preferred`, shrunk to `share` of `area` when the screen is smaller."""
    return QSize(
        min(preferred.width(), int(area.width() * max(share, 0.96))),
        min(preferred.height(), int(area.height() * share)),
    )


def clamp_rect(rect: QRect, area: QRect) -> QRect:
    """`rect` moved and shrunk so it lies wholly inside `area`."""
    width = min(rect.width(), area.width())
    height = min(rect.height(), area.height())
    left = min(max(rect.left(), area.left()), area.right() - width + 1)
    top = min(max(rect.top(), area.top()), area.bottom() - height + 1)
    return QRect(left, top, width, height)


def fit_window(widget: QWidget, preferred: QSize, minimum: QSize, *, centre: bool = True) -> None:
    """Minimum and first size from the available screen; centred on it (dialogs are
    centred on their parent by Qt instead)."""
    area = available_geometry(widget)
    widget.setMinimumSize(minimum.boundedTo(area.size()))
    size = fitted(preferred, area)
    widget.resize(size)
    if centre:
        middle = area.center()
        widget.move(middle.x() - size.width() // 2, middle.y() - size.height() // 2)


def clamp_to_screen(widget: QWidget) -> None:
    """After restoreGeometry: a window saved on a bigger screen comes back inside this one."""
    area = available_geometry(widget)
    frame = widget.frameGeometry()
    inner = widget.geometry()
    extra_w = frame.width() - inner.width()
    extra_h = frame.height() - inner.height()
    # The frame (title bar, borders) must fit too.
    room = QRect(area.left(), area.top(), area.width() - extra_w, area.height() - extra_h)
    clamped = clamp_rect(inner, room)
    if clamped != inner:
        widget.setGeometry(clamped)
