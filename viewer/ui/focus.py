"""Keyboard order of the window: what Tab stops at, the order it goes round the panels in, and the keys
that put the cursor in a panel (View > Go to).

Tab and Shift+Tab go round every panel in ``FOCUS_ORDER`` (a table is left with Tab, its rows are walked
with the arrows and its cells with Ctrl+Tab); within a panel in the order of its ``tab_order()`` where it
gives one, else the order its controls were made in (``chain``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QGraphicsView,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

TAB_STOPS = (
    QAbstractButton,
    QLineEdit,
    QAbstractItemView,
    QTextEdit,
    QPlainTextEdit,
    QComboBox,
    QTabBar,
    QAbstractSpinBox,
    QGraphicsView,
)
FOCUS_ORDER = (
    "documentsDock",
    "speakersDock",
    "searchDock",
    "reader",
    "bookmarksDock",
    "statisticsDock",
    "unattributedDock",
)
GO_TO = (
    ("documentsDock", "&Documents", "Alt+1"),
    ("speakersDock", "&Speakers", "Alt+2"),
    ("reader", "&Reader", "Alt+3"),
    ("searchDock", "Searc&h box", "Alt+4"),
    ("searchResults", "Search &results", "Alt+5"),
    ("bookmarksDock", "&Bookmarks", "Alt+6"),
    ("statisticsDock", "S&tatistics", "Alt+7"),
    ("unattributedDock", "&Unattributed quotes", "Alt+8"),
)


def focusable(widget: QWidget) -> bool:
    """A control Tab stops at (not a label, a header or one of Qt's own parts)."""
    return (
        isinstance(widget, TAB_STOPS)
        and not isinstance(widget, QHeaderView)
        and bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        and not widget.objectName().startswith("qt_")
        and not (
            widget.parent() is not None
            and widget.parent().objectName().startswith("qt_")
            and not isinstance(widget, QTabBar)
        )
    )


def chain(container: QWidget) -> list[QWidget]:
    """``container``'s controls in the order they were made (parents before their children), which is the
    order they are laid out in: the order Tab goes through a panel."""
    out = []
    for child in container.children():
        if isinstance(child, QWidget) and not child.isWindow():
            if focusable(child):
                out.append(child)
            if not isinstance(child, (QAbstractItemView, QComboBox)):
                out += chain(child)
    return out


def first_focusable(container: QWidget) -> QWidget | None:
    """The first widget of ``container`` that takes the focus, in its tab order, preferring a list."""
    controls = chain(container)
    shown = [w for w in controls if w.isVisible()] or controls
    views = [w for w in shown if isinstance(w, QAbstractItemView)]
    return (views or shown or [None])[0]


def stops(container: QWidget, order: list[QWidget] | None) -> list[QWidget]:
    """The controls of ``container`` Tab stops at now: ``order`` (the panel's own), else ``chain``; shown and
    enabled ones only."""
    return [w for w in (order if order is not None else chain(container)) if w.isVisible() and w.isEnabled()]


def next_stop(sequence: list[QWidget], current: QWidget | None, forward: bool) -> QWidget:
    """The control after (or before) the one holding ``current`` in ``sequence``, round the end."""
    at = next(
        (i for i, w in enumerate(sequence) if current is not None and (w is current or w.isAncestorOf(current))), None
    )
    if at is None:
        return sequence[0 if forward else -1]
    return sequence[(at + (1 if forward else -1)) % len(sequence)]
