"""For the keyboard and screen readers: names for the parts Qt makes inside our controls (a table's header,
an editable combo box's text field, a line edit's clear button), given from the control's own name; and
Ctrl+Tab / Ctrl+Shift+Tab from cell to cell inside a table, where Tab leaves the table."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QTableView,
    QToolButton,
    QTreeView,
    QWidget,
)


def name_parts(root: QWidget) -> None:
    """Give every unnamed part of ``root``'s controls a name made from the control's."""
    for view in root.findChildren(QAbstractItemView):
        if isinstance(view, QHeaderView):
            continue
        headers = (
            [view.horizontalHeader(), view.verticalHeader()]
            if isinstance(view, QTableView)
            else ([view.header()] if isinstance(view, QTreeView) else [])
        )
        for header in headers:
            if not header.accessibleName():
                header.setAccessibleName(
                    f"{view.accessibleName() or 'Table'} columns"
                    if header.orientation().name == "Horizontal"
                    else f"{view.accessibleName() or 'Table'} rows"
                )
    for combo in root.findChildren(QComboBox):
        edit = combo.lineEdit()
        if edit is not None and not edit.accessibleName():
            edit.setAccessibleName(combo.accessibleName() or combo.toolTip())
    for edit in root.findChildren(QLineEdit):
        for button in edit.findChildren(QToolButton):
            if not button.accessibleName():
                button.setAccessibleName(f"Clear {edit.accessibleName()}".strip() if edit.accessibleName() else "Clear")


class CellTab(QObject):
    """An event filter for item views whose Tab leaves them: Ctrl+Tab and Ctrl+Shift+Tab move to the next
    and previous cell (row by row), as Tab does in a spreadsheet."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(watched, QAbstractItemView):
            return False
        if not event.modifiers() & Qt.KeyboardModifier.ControlModifier or event.key() not in (
            Qt.Key.Key_Tab,
            Qt.Key.Key_Backtab,
        ):
            return False
        back = event.key() == Qt.Key.Key_Backtab or bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        move = QAbstractItemView.CursorAction.MovePrevious if back else QAbstractItemView.CursorAction.MoveNext
        index = watched.moveCursor(move, event.modifiers())
        if index.isValid():
            watched.setCurrentIndex(index)
        return True


def tab_between_cells(view: QAbstractItemView, parent: QObject) -> None:
    """Tab leaves ``view``; Ctrl+Tab and Ctrl+Shift+Tab go from cell to cell inside it."""
    view.setTabKeyNavigation(False)
    helper = parent.findChild(CellTab, "cellTab")
    if helper is None:
        helper = CellTab(parent)
        helper.setObjectName("cellTab")
    view.installEventFilter(helper)
