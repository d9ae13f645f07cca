"""The lists in a speaker's profile: their part in each event and their quotes."""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QApplication

from viewer.core.records import Document, EventRole, Quote
from viewer.ui.models.roles import ID_ROLE, RECORD_ROLE
from viewer.ui.widgets.speaker_colors import is_dark, speaker_color
from viewer.ui.widgets.text import count, tooltip

Index = QModelIndex | QPersistentModelIndex


def quote_attribution(q: Quote) -> str:
    """Who said the quoted words, and who relayed them when it was someone else."""
    said_by = q.speaker_name or q.speaker_label or "an unidentified speaker"
    if q.quoted_by is not None:
        return f"said by {said_by}, relayed by {q.quoted_by_name or 'another speaker'}"
    return f"said by {said_by}"


class SpeakerQuotesModel(QAbstractListModel):
    """A speaker's direct quotes, and the quotes they relayed from others (marked as relayed)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._quotes: list[Quote] = []
        self._speaker_id: int | None = None

    def set_quotes(self, speaker_id: int | None, quotes: list[Quote]) -> None:
        self.beginResetModel()
        self._speaker_id = speaker_id
        self._quotes = list(quotes)
        self.endResetModel()

    def quote(self, row: int) -> Quote | None:
        return self._quotes[row] if 0 <= row < len(self._quotes) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._quotes)

    def _relayed(self, q: Quote) -> bool:
        return q.speaker_id != self._speaker_id

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._quotes):
            return None
        q = self._quotes[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            text = f"“{q.text}”"
            return f"{text}\n    ({quote_attribution(q)})" if self._relayed(q) else text
        if role == Qt.ItemDataRole.ToolTipRole:
            said = quote_attribution(q)
            return tooltip(f"“{q.text}”", said[:1].upper() + said[1:], "Double-click to show it in the reader.")
        if role == Qt.ItemDataRole.DecorationRole:
            return speaker_color(q.speaker_id, is_dark(QApplication.palette()))
        if role == RECORD_ROLE:
            return q
        if role == ID_ROLE:
            return q.id
        return None


class EventRolesModel(QAbstractListModel):
    """The documents a speaker speaks in, with their part in each ("moderator", "panelist")."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[tuple[Document, EventRole]] = []

    def set_roles(self, rows: list[tuple[Document, EventRole]]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def document(self, row: int) -> Document | None:
        return self._rows[row][0] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        doc, er = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            date = f" ({doc.date_label})" if doc.date_label else ""
            return f"{er.role or 'speaker'} in “{doc.title}”{date}"
        if role == Qt.ItemDataRole.ToolTipRole:
            counts = (f"{count(er.passages, 'passage')}, {count(er.quotes, 'direct quote')}, "
                      f"{count(er.words, 'word')} in this document")
            return tooltip(doc.title, doc.date_label, f"Part: {er.role or 'speaker'}", counts,
                           "Double-click to open the document.", bold_first=True)
        if role == RECORD_ROLE:
            return er
        if role == ID_ROLE:
            return doc.id
        return None
