"""The lists in a speaker's profile: their part in each event and their quotes.

A speaker of a big archive has thousands of each (the most active one of a million passages: 12,000
events, 17,000 quotes). A list view lays out every row it has, each measured through ``data()``, so
both models show their rows a page at a time (``canFetchMore``/``fetchMore``): the view asks for the
next page when it is scrolled to its end."""

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


class _PagedRowsModel(QAbstractListModel):
    """A list model over rows held in memory, shown ``PAGE`` rows at a time."""

    PAGE = 50

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list = []
        self._shown = 0

    def _set_rows(self, rows: list) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._shown = min(len(self._rows), self.PAGE)
        self.endResetModel()

    def _row(self, row: int):
        return self._rows[row] if 0 <= row < self._shown else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._shown

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and self._shown < len(self._rows)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if not self.canFetchMore(parent):
            return
        more = min(len(self._rows) - self._shown, self.PAGE)
        self.beginInsertRows(QModelIndex(), self._shown, self._shown + more - 1)
        self._shown += more
        self.endInsertRows()


class SpeakerQuotesModel(_PagedRowsModel):
    """A speaker's direct quotes, and the quotes they relayed from others (marked as relayed)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._speaker_id: int | None = None

    def set_quotes(self, speaker_id: int | None, quotes: list[Quote]) -> None:
        self._speaker_id = speaker_id
        self._set_rows(quotes)

    def quote(self, row: int) -> Quote | None:
        return self._row(row)

    def _relayed(self, q: Quote) -> bool:
        return q.speaker_id != self._speaker_id

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        q = self._row(index.row()) if index.isValid() else None
        if q is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            text = f"“{q.text}”" + ("  ✎ corrected by you" if q.corrected else "")
            return f"{text}\n    ({quote_attribution(q)})" if self._relayed(q) else text
        if role == Qt.ItemDataRole.ToolTipRole:
            said = quote_attribution(q)
            return tooltip(
                f"“{q.text}”",
                said[:1].upper() + said[1:],
                "Who said it was corrected by you." if q.corrected else None,
                "Double-click to show it in the reader.",
            )
        if role == Qt.ItemDataRole.DecorationRole:
            return speaker_color(q.speaker_id, is_dark(QApplication.palette()))
        if role == RECORD_ROLE:
            return q
        if role == ID_ROLE:
            return q.id
        return None


class EventRolesModel(_PagedRowsModel):
    """The documents a speaker speaks in, with their part in each ("moderator", "panelist")."""

    def set_roles(self, rows: list[tuple[Document, EventRole]]) -> None:
        self._set_rows(rows)

    def document(self, row: int) -> Document | None:
        found = self._row(row)
        return found[0] if found is not None else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        found = self._row(index.row()) if index.isValid() else None
        if found is None:
            return None
        doc, er = found
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            date = f" ({doc.date_label})" if doc.date_label else ""
            return f"{er.role or 'speaker'} in “{doc.title}”{date}"
        if role == Qt.ItemDataRole.ToolTipRole:
            counts = (
                f"{count(er.passages, 'passage')}, {count(er.quotes, 'direct quote')}, "
                f"{count(er.words, 'word')} in this document"
            )
            return tooltip(
                doc.title,
                doc.date_label,
                f"Part: {er.role or 'speaker'}",
                counts,
                "Double-click to open the document.",
                bold_first=True,
            )
        if role == RECORD_ROLE:
            return er
        if role == ID_ROLE:
            return doc.id
        return None
