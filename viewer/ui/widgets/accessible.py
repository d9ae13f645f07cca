"""Names a screen reader says for the parts Qt makes inside our controls (a table's header, an editable
combo box's text field, a line edit's clear button), given from the control's own name."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QComboBox, QHeaderView, QLineEdit, QTableView, QToolButton, QTreeView, QWidget


def name_parts(root: QWidget) -> None:
    """Give every unnamed part of ``root``'s controls a name made from the control's."""
    for view in root.findChildren(QAbstractItemView):
        if isinstance(view, QHeaderView):
            continue
        headers = [view.horizontalHeader(), view.verticalHeader()] if isinstance(view, QTableView) else (
            [view.header()] if isinstance(view, QTreeView) else [])
        for header in headers:
            if not header.accessibleName():
                header.setAccessibleName(f"{view.accessibleName() or 'Table'} columns"
                                         if header.orientation().name == "Horizontal"
                                         else f"{view.accessibleName() or 'Table'} rows")
    for combo in root.findChildren(QComboBox):
        edit = combo.lineEdit()
        if edit is not None and not edit.accessibleName():
            edit.setAccessibleName(combo.accessibleName() or combo.toolTip())
    for edit in root.findChildren(QLineEdit):
        for button in edit.findChildren(QToolButton):
            if not button.accessibleName():
                button.setAccessibleName(f"Clear {edit.accessibleName()}".strip() if edit.accessibleName() else "Clear")
