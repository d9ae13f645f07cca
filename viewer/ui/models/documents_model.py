"""Documents grouped by collection, as a two-level tree that loads each collection's documents
only when it is expanded (``canFetchMore``/``fetchMore``), a page at a time."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication

from viewer.core.archive import LISTED
from viewer.core.db import ArchiveError
from viewer.core.records import Document
from viewer.ui.models.roles import ID_ROLE, RECORD_ROLE, SORT_ROLE
from viewer.ui.widgets.speaker_colors import tint
from viewer.ui.widgets.text import count, tooltip

NO_COLLECTION = "Other documents"
PAGE = 60  # documents read when a collection is expanded or scrolled to its end: a few screens
SEEK_ROWS = 600  # following the reader reads at most this many more rows to show its document
_GROUP = 0  # internal id of a collection row; a document row's internal id is its group row + 1

Index = QModelIndex | QPersistentModelIndex


@dataclass
class _Group:
    name: str | None
    count: int
    with_text: int
    documents: list[Document] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.name or NO_COLLECTION


class DocumentsModel(QAbstractItemModel):
    """Collections (top level) and their documents (children). Columns: title, date.

    ``set_archive(archive, collections)`` takes the archive (used on the UI thread for paging, one
    indexed page at a time) and the collections as ``Archive.collections()`` gives them;
    ``set_order(order)`` lists each collection's documents in another order (``DOCUMENT_ORDERS``:
    as listed, newest or oldest first, by title).

    Signals:
        load_failed(object): reading a page failed (an ArchiveError); the collection stops loading.
    """

    load_failed = Signal(object)

    COLUMNS = ("Document", "Date")

    def __init__(self, parent=None):
        super().__init__(parent)
        self._archive = None
        self._groups: list[_Group] = []
        self._order = LISTED
        self._fetching = False  # views may ask again while rows are being inserted

    # ------------------------------------------------------------------ loading

    def set_archive(self, archive, collections: list[tuple[str | None, int, int]]) -> None:
        self.beginResetModel()
        self._archive = archive
        self._groups = [_Group(name, count, with_text) for name, count, with_text in collections]
        self.endResetModel()

    def clear(self) -> None:
        self.set_archive(None, [])

    @property
    def order(self) -> str:
        return self._order

    def set_order(self, order: str) -> None:
        """List the documents in ``order``; the collections stay, their documents are read again."""
        if order == self._order:
            return
        self.beginResetModel()
        self._order = order
        for g in self._groups:
            g.documents = []
        self.endResetModel()

    def group_row(self, collection: str | None) -> int | None:
        for row, g in enumerate(self._groups):
            if g.name == collection:
                return row
        return None

    def group_index(self, row: int) -> QModelIndex:
        return self.index(row, 0) if 0 <= row < len(self._groups) else QModelIndex()

    def document_index(self, document: Document) -> QModelIndex:
        """The index of ``document``. Pages of its collection are read up to it only when it is at most
        ``SEEK_ROWS`` rows past those already read; further down (a big archive) it has no index
        (invalid), so following the reader never reads thousands of rows on the UI thread."""
        row = self.group_row(document.collection)
        if row is None or self._archive is None:
            return QModelIndex()
        group = self._groups[row]
        parent = self.group_index(row)
        try:
            position = self._archive.document_row(document.id, self._order)
        except ArchiveError:
            position = None
        if position is None or position >= len(group.documents) + SEEK_ROWS:
            return QModelIndex()
        while len(group.documents) <= position and self.canFetchMore(parent):
            self.fetchMore(parent)
        if position < len(group.documents) and group.documents[position].id == document.id:
            return self.index(position, 0, parent)
        return QModelIndex()

    # ------------------------------------------------------------------ structure

    def _group_of(self, index: Index) -> _Group | None:
        """The group a document index belongs to (None for group rows and invalid indexes)."""
        if not index.isValid() or index.internalId() == _GROUP:
            return None
        row = index.internalId() - 1
        return self._groups[row] if 0 <= row < len(self._groups) else None

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _GROUP)
        if parent.internalId() == _GROUP:
            return self.createIndex(row, column, parent.row() + 1)
        return QModelIndex()

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == _GROUP:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, _GROUP)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._groups)
        if parent.column() != 0 or parent.internalId() != _GROUP:
            return 0
        return len(self._groups[parent.row()].documents)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return len(self.COLUMNS)

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:
        if not parent.isValid():
            return bool(self._groups)
        if parent.column() != 0 or parent.internalId() != _GROUP:
            return False
        return self._groups[parent.row()].count > 0

    def canFetchMore(self, parent: Index) -> bool:
        if self._fetching or self._archive is None:
            return False
        if not parent.isValid() or parent.column() != 0 or parent.internalId() != _GROUP:
            return False
        g = self._groups[parent.row()]
        return len(g.documents) < g.count

    def fetchMore(self, parent: Index) -> None:
        if not self.canFetchMore(parent):
            return
        g = self._groups[parent.row()]
        try:
            page = self._archive.documents_in(g.name, len(g.documents), PAGE, self._order)
        except ArchiveError as e:
            g.count = len(g.documents)  # stop asking for a page that cannot be read
            self.load_failed.emit(e)
            return
        if not page:
            g.count = len(g.documents)
            return
        first = len(g.documents)
        self._fetching = True
        try:
            self.beginInsertRows(parent, first, first + len(page) - 1)
            g.documents.extend(page)
            self.endInsertRows()
        finally:
            self._fetching = False

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.internalId() == _GROUP:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.COLUMNS)
        ):
            return self.COLUMNS[section]
        return None

    # ------------------------------------------------------------------ data

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        group = self._group_of(index)
        if group is None:
            return self._group_data(self._groups[index.row()], index.column(), role)
        if not 0 <= index.row() < len(group.documents):
            return None
        return self._document_data(group.documents[index.row()], index.column(), role)

    def _group_data(self, g: _Group, column: int, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{g.label} ({g.count:,})" if column == 0 else None
        if role == Qt.ItemDataRole.FontRole and column == 0:
            font = QFont(QApplication.font())
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            with_text = (
                f"{g.with_text:,} with text in this archive" if g.with_text else "none with text in this archive"
            )
            return tooltip(g.label, f"{count(g.count, 'document')}, {with_text}", bold_first=True)
        if role == Qt.ItemDataRole.AccessibleTextRole and column == 0:
            return f"Collection {g.label}, {g.count} documents"
        if role == SORT_ROLE:
            return g.label
        return None

    def _document_data(self, d: Document, column: int, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            return d.title if column == 0 else d.date_label
        if role == Qt.ItemDataRole.ToolTipRole:
            status = (
                count(d.passages, "passage")
                if d.has_text
                else "Its text is not in this archive: only its title and date are listed."
            )
            return tooltip(d.title, d.date_label, d.kind, status, bold_first=True)
        if role == Qt.ItemDataRole.ForegroundRole and not d.has_text:
            pal = QApplication.palette()
            return tint(pal.color(QPalette.ColorRole.Text), pal.color(QPalette.ColorRole.Base), 0.62)
        if role == Qt.ItemDataRole.FontRole and column == 0 and not d.has_text:
            font = QFont(QApplication.font())
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if column == 0:
                return d.title + ("" if d.has_text else " (text not in this archive)")
            return d.date_label
        if role == RECORD_ROLE:
            return d
        if role == ID_ROLE:
            return d.id
        if role == SORT_ROLE:
            return d.title if column == 0 else (d.date or "")
        return None
