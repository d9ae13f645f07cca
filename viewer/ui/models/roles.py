"""Custom item data roles shared by the models, so views never parse display strings."""

from PySide6.QtCore import Qt

RECORD_ROLE = Qt.ItemDataRole.UserRole + 1  # the core record itself (Document, Speaker, Quote, ...)
ID_ROLE = Qt.ItemDataRole.UserRole + 2  # the record's id, or None for a group row
SORT_ROLE = Qt.ItemDataRole.UserRole + 3  # a value that sorts naturally (numbers as numbers)
