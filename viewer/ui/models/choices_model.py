"""(label, id) choices of a combo box, for thousands of speakers or documents."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QStringListModel


class ChoicesModel(QStringListModel):
    """(label, id) choices of a combo box; cheap to fill with thousands of rows. The labels are
    Qt's own strings, so a combo box and its completer read them without calling into Python."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._ids: list[Any] = []
        self._rows: dict[Any, int] = {}

    def set_items(self, items: Sequence[tuple[str, Any]]) -> None:
        items = list(items)
        self._ids = [item_id for _label, item_id in items]
        self._rows = {}
        for row, item_id in enumerate(self._ids):
            self._rows.setdefault(item_id, row)
        self.setStringList([label for label, _id in items])

    def item_id(self, row: int) -> Any:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, item_id: Any) -> int:
        return self._rows.get(item_id, -1)
