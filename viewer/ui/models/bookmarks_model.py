"""Qt adapters over bookmarks: a table of (Bookmark, Resolution) rows and a filter/sort proxy.

No SQL and no business rules here: edits made in the view are handed on as ``edit_requested``,
and the rows are replaced when the controller says the bookmarks changed.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QColor

from viewer.core.bookmarks import CHANGED, MISSING, MOVED, Bookmark, Resolution
from viewer.core.export import words_text
from viewer.core.text import fold

BookmarkRole = Qt.ItemDataRole.UserRole + 1     # the Bookmark record
ResolutionRole = Qt.ItemDataRole.UserRole + 2   # its Resolution in the current archive
SortRole = Qt.ItemDataRole.UserRole + 3         # a sort key for the column

TEXT, SPEAKER, DOCUMENT, PARAGRAPH, TAGS, NOTE, CREATED, STATUS = range(8)
HEADERS = ("Words", "Speaker", "Document", "¶", "Tags", "Note", "Created", "Status")
EDITABLE = {TAGS, NOTE}

Index = QModelIndex | QPersistentModelIndex


def _one_line(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _tooltip(text: str) -> str:
    # tooltips guess rich text: escape and say it is HTML, so nothing of the text is markup
    return "<p>" + html.escape(text).replace("\n", "<br>") + "</p>"


class BookmarksModel(QAbstractTableModel):
    """One row per bookmark.

    Signals:
        edit_requested(int, str, object): the user edited a cell: (bookmark id, "note" or "tags",
            the new value: note text, or a tuple of tags).
    """

    edit_requested = Signal(int, str, object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[tuple[Bookmark, Resolution]] = []

    # ---------------------------------------------------------------- rows

    def set_rows(self, rows: Sequence[tuple[Bookmark, Resolution]]) -> None:
        """Replace the rows, keeping the view's selection where it can: removed rows are removed,
        new ones inserted, changed ones updated; anything else resets the model."""
        new = list(rows)
        new_ids = [b.id for b, _ in new]
        keep = set(new_ids)
        for i in range(len(self._rows) - 1, -1, -1):
            if self._rows[i][0].id not in keep:
                self.beginRemoveRows(QModelIndex(), i, i)
                del self._rows[i]
                self.endRemoveRows()
        present = {b.id for b, _ in self._rows}
        old_order = [b.id for b, _ in self._rows]
        if old_order != [i for i in new_ids if i in present]:
            self.beginResetModel()
            self._rows = new
            self.endResetModel()
            return
        for j, row in enumerate(new):
            if j < len(self._rows) and self._rows[j][0].id == row[0].id:
                if self._rows[j] != row:
                    self._rows[j] = row
                    self.dataChanged.emit(self.index(j, 0), self.index(j, len(HEADERS) - 1))
            else:
                self.beginInsertRows(QModelIndex(), j, j)
                self._rows.insert(j, row)
                self.endInsertRows()

    def bookmark_at(self, row: int) -> Bookmark:
        return self._rows[row][0]

    def row_of(self, bookmark_id: int) -> int:
        return next((i for i, (b, _) in enumerate(self._rows) if b.id == bookmark_id), -1)

    # ---------------------------------------------------------------- Qt virtuals

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
        if index.column() in EDITABLE:
            f |= Qt.ItemFlag.ItemIsEditable
        return f

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        b, r = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(b, r, col)
        if role == Qt.ItemDataRole.EditRole:
            if col == NOTE:
                return b.note
            if col == TAGS:
                return ", ".join(b.tags)
            return self._display(b, r, col)
        if role == BookmarkRole:
            return b
        if role == ResolutionRole:
            return r
        if role == SortRole:
            return self._sort_key(b, r, col)
        if role == Qt.ItemDataRole.DecorationRole and col == TEXT:
            return QColor(b.colour_hex)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col in (TEXT, SPEAKER, DOCUMENT, PARAGRAPH):
                here = b.at(r)
                words = f"“{words_text(here)}”" if here.is_quote else words_text(here)
                tip = f"{words}\n— {here.attribution_line()}"
                if r.status in (CHANGED, MISSING, MOVED):
                    tip += f"\n\n{r.label.capitalize()}: {r.reason}" if r.reason else f"\n\n{r.label.capitalize()}"
                return _tooltip(tip)
            if col == NOTE and b.note:
                return _tooltip(b.note)
            if col == STATUS and r.reason:
                return _tooltip(r.reason)
        if role == Qt.ItemDataRole.ForegroundRole and col == STATUS and r.status in (CHANGED, MISSING):
            return QColor("#b3261e")
        return None

    @staticmethod
    def _display(b: Bookmark, r: Resolution, col: int) -> str:
        if col == TEXT:  # the report's words say so: only a speaker's words read as a quote
            return _one_line(b.text if b.is_quote else words_text(b))
        if col == SPEAKER:
            return b.attribution
        if col == DOCUMENT:
            return b.document_title
        if col == PARAGRAPH:  # where the words are now (a rebuilt archive may have moved them)
            return str(b.at(r).paragraph)
        if col == TAGS:
            return ", ".join(b.tags)
        if col == NOTE:
            return _one_line(b.note.replace("\n", " / "), 200)
        if col == CREATED:
            return b.created[:10]
        if col == STATUS:
            return r.label
        return ""

    @staticmethod
    def _sort_key(b: Bookmark, r: Resolution, col: int):
        if col == PARAGRAPH:
            return b.at(r).paragraph
        if col == CREATED:
            return b.created
        if col == DOCUMENT:
            return f"{fold(b.document_title)}\x00{b.paragraph:08d}\x00{b.start:08d}"
        return fold(BookmarksModel._display(b, r, col))

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() not in EDITABLE:
            return False
        b = self._rows[index.row()][0]
        if index.column() == NOTE:
            self.edit_requested.emit(b.id, "note", str(value))
        else:
            self.edit_requested.emit(b.id, "tags", tuple(t for t in str(value).split(",")))
        return True


class BookmarksFilterModel(QSortFilterProxyModel):
    """Filters by text (quote, note, speaker, document, tags; case and diacritics ignored), speaker
    (who said or relayed the words), tag, colour and document; sorts by ``SortRole``."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSortRole(SortRole)
        self.setDynamicSortFilter(True)
        self._text = ""
        self._speaker = ""
        self._tag = ""
        self._colour = ""
        self._document = ""

    def set_filters(self, *, text: str | None = None, speaker: str | None = None, tag: str | None = None,
                    colour: str | None = None, document: str | None = None) -> None:
        """Change any of the filters ("" clears one)."""
        self.beginFilterChange()
        if text is not None:
            self._text = fold(" ".join(text.split()))
        if speaker is not None:
            self._speaker = speaker
        if tag is not None:
            self._tag = tag.casefold()
        if colour is not None:
            self._colour = colour
        if document is not None:
            self._document = document
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        b: Bookmark = self.sourceModel().index(source_row, 0, source_parent).data(BookmarkRole)
        if b is None:
            return False
        if self._speaker and self._speaker not in (b.speaker, b.relayer):
            return False
        if self._tag and self._tag not in (t.casefold() for t in b.tags):
            return False
        if self._colour and b.colour != self._colour:
            return False
        if self._document and b.document_slug != self._document:
            return False
        if self._text:
            hay = fold(" ".join([b.text, b.note, b.attribution, b.relayer, b.document_title, " ".join(b.tags)]))
            return all(word in hay for word in self._text.split())
        return True
