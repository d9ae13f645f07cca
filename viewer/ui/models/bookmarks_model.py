"""The Bookmarks panel's table: the bookmarks a query selects, read a page at a time as the view scrolls.

A store can hold a million bookmarks; the panel shows them without reading them all. The model holds the
rows read so far and reads the next page (``PAGE`` rows, one indexed query: ``BookmarkStore.page``) when
the view asks for more (Qt's ``canFetchMore``/``fetchMore``). Filters and the sort order are the query's
(``BookmarkQuery``), so they apply to every bookmark, not to the rows read. Each row's resolution (where
its words are in the open archive) is asked of the ``BookmarksController`` as the row is read.

No SQL and no business rules here: edits made in the view are handed on as ``edit_requested``, and when
the controller says the bookmarks changed the rows read are read again (``refresh``).
"""

from __future__ import annotations

import html
from dataclasses import replace

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from viewer.core.bookmarks import CHANGED, MISSING, MOVED, Bookmark, BookmarkQuery, Resolution
from viewer.core.export import words_text

BookmarkRole = Qt.ItemDataRole.UserRole + 1     # the Bookmark record
ResolutionRole = Qt.ItemDataRole.UserRole + 2   # its Resolution in the current archive

TEXT, SPEAKER, DOCUMENT, PARAGRAPH, TAGS, NOTE, CREATED, STATUS = range(8)
HEADERS = ("Words", "Speaker", "Document", "¶", "Tags", "Note", "Created", "Status")
EDITABLE = {TAGS, NOTE}
# the store's sort order for each column (the status depends on the archive: it is not sorted)
SORT_KEYS = {TEXT: "text", SPEAKER: "speaker", DOCUMENT: "document", PARAGRAPH: "paragraph", TAGS: "tags",
             NOTE: "note", CREATED: "created"}
PAGE = 200

Index = QModelIndex | QPersistentModelIndex


def _one_line(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _tooltip(text: str) -> str:
    # tooltips guess rich text: escape and say it is HTML, so nothing of the text is markup
    return "<p>" + html.escape(text).replace("\n", "<br>") + "</p>"


class BookmarksModel(QAbstractTableModel):
    """One row per bookmark the query selects, read as the view scrolls.

    ``source`` is the ``BookmarksController`` (``page(query, after, limit)``, ``count(query)``,
    ``resolution_of(bookmark)``); without one the model is empty.

    Signals:
        edit_requested(int, str, object): the user edited a cell: (bookmark id, "note" or "tags",
            the new value: note text, or a tuple of tags).
        query_changed(): the filters or the order changed and the rows were read again.
    """

    edit_requested = Signal(int, str, object)
    query_changed = Signal()

    def __init__(self, source=None, parent=None):
        super().__init__(parent)
        self._source = source
        self._query = BookmarkQuery()
        self._rows: list[tuple[Bookmark, Resolution]] = []
        self._after: tuple | None = None  # the key of the last row read
        self._more = source is not None

    # ---------------------------------------------------------------- the query

    @property
    def query(self) -> BookmarkQuery:
        return self._query

    def set_query(self, query: BookmarkQuery) -> None:
        """Show what ``query`` selects, in its order: its first page at once, the rest as the view scrolls."""
        self.beginResetModel()
        self._query = query
        self._rows = []
        self._after = None
        self._more = self._source is not None
        self.endResetModel()
        self.fetchMore(QModelIndex())
        self.query_changed.emit()

    def set_filters(self, **filters) -> None:
        """Change some of the query's filters (``text``, ``speaker``, ``tag``, ``colour``, ``document_slug``)."""
        self.set_query(replace(self._query, **filters))

    def refresh(self) -> None:
        """Read again the rows read so far (the bookmarks changed): rows gone are removed, new ones inserted,
        changed ones updated, so the view keeps its selection where it can."""
        if self._source is None:
            return
        rows: list[tuple[Bookmark, Resolution]] = []
        after, more = None, True
        while more and len(rows) < max(len(self._rows), PAGE):
            found, key = self._source.page(self._query, after, PAGE)
            rows += [(b, self._source.resolution_of(b)) for b in found]
            after = key if found else after
            more = len(found) == PAGE
        self._apply(rows)
        self._after, self._more = after, more

    def _apply(self, new: list[tuple[Bookmark, Resolution]]) -> None:
        keep = {b.id for b, _ in new}
        for i in range(len(self._rows) - 1, -1, -1):
            if self._rows[i][0].id not in keep:
                self.beginRemoveRows(QModelIndex(), i, i)
                del self._rows[i]
                self.endRemoveRows()
        present = {b.id for b, _ in self._rows}
        if [b.id for b, _ in self._rows] != [b.id for b, _ in new if b.id in present]:
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

    # ---------------------------------------------------------------- rows

    def bookmark_at(self, row: int) -> Bookmark:
        return self._rows[row][0]

    def row_of(self, bookmark_id: int, seek: int = 0) -> int:
        """The row of a bookmark, or -1; with ``seek``, up to that many more rows are read to find it."""
        while True:
            row = next((i for i, (b, _) in enumerate(self._rows) if b.id == bookmark_id), -1)
            if row >= 0 or seek <= 0 or not self.canFetchMore(QModelIndex()):
                return row
            before = len(self._rows)
            self.fetchMore(QModelIndex())
            seek -= len(self._rows) - before

    def loaded(self) -> list[Bookmark]:
        """The bookmarks read so far, in order."""
        return [b for b, _ in self._rows]

    # ---------------------------------------------------------------- Qt virtuals

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and self._more

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        """Read the next page (as Qt's fetchmore example: rows first..last inserted, both included)."""
        if not self.canFetchMore(parent):
            return
        found, key = self._source.page(self._query, self._after, PAGE)
        self._more = len(found) == PAGE
        if not found:
            return
        rows = [(b, self._source.resolution_of(b)) for b in found]
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self._after = key
        self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS.get(column)
        if key is None:
            return  # the status is the archive's, not the store's: the order stays
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) != (self._query.sort, self._query.descending):
            self.set_query(replace(self._query, sort=key, descending=descending))

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

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() not in EDITABLE:
            return False
        b = self._rows[index.row()][0]
        if index.column() == NOTE:
            self.edit_requested.emit(b.id, "note", str(value))
        else:
            self.edit_requested.emit(b.id, "tags", tuple(t for t in str(value).split(",")))
        return True
