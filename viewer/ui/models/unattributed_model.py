"""The quotes nobody is named for, per document: what the Unattributed quotes panel lists.

Two levels: a document (its title and how many of its quotes need a decision), then its quotes
(¶, the words, and on a second line the person the text points to). ``load_unattributed`` reads them off the UI thread;
the model only holds the records."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt

from viewer.core.records import Document, Quote
from viewer.ui.models.roles import ID_ROLE, RECORD_ROLE
from viewer.ui.widgets.text import count, tooltip

Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Quotes nobody is named for",)
PREVIEW = 160
MAX_QUOTES = 5000  # listed at most (a huge archive may hold many more; the count says how many)


@dataclass(frozen=True)
class UnattributedQuote:
    quote: Quote
    seq: int  # the ¶ of its passage


@dataclass(frozen=True)
class UnattributedGroup:
    document: Document
    quotes: tuple[UnattributedQuote, ...]


def load_unattributed(archive, limit: int = MAX_QUOTES) -> list[UnattributedGroup]:
    """The unattributed quotes of ``archive`` grouped by document, in document order (on a worker)."""
    quotes = archive.unattributed_quotes(limit=limit)
    seqs = {p.id: p.seq for p in archive.passages_by_ids(sorted({q.passage_id for q in quotes}))}
    docs = {d.id: d for d in archive.documents_by_ids(sorted({q.document_id for q in quotes}))}
    groups: dict[int, list[UnattributedQuote]] = {}
    for q in quotes:
        groups.setdefault(q.document_id, []).append(UnattributedQuote(q, seqs.get(q.passage_id, 0)))
    return [UnattributedGroup(docs[d], tuple(items)) for d, items in groups.items() if d in docs]


class UnattributedModel(QAbstractItemModel):
    """Documents, then their unattributed quotes. ``RECORD_ROLE`` gives the Document or the
    ``UnattributedQuote``; ``ID_ROLE`` the quote's id (None for a document)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._groups: list[UnattributedGroup] = []

    def set_groups(self, groups: list[UnattributedGroup]) -> None:
        self.beginResetModel()
        self._groups = list(groups)
        self.endResetModel()

    def quote_count(self) -> int:
        return sum(len(g.quotes) for g in self._groups)

    def groups(self) -> list[UnattributedGroup]:
        return list(self._groups)

    def item(self, index: Index) -> UnattributedQuote | None:
        if not index.isValid() or index.internalId() == 0:
            return None
        group = self._groups[index.internalId() - 1]
        return group.quotes[index.row()] if index.row() < len(group.quotes) else None

    def index_of(self, quote_id: int) -> QModelIndex:
        for g, group in enumerate(self._groups):
            for r, item in enumerate(group.quotes):
                if item.quote.id == quote_id:
                    return self.createIndex(r, 0, g + 1)
        return QModelIndex()

    # ------------------------------------------------------------------ Qt

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)  # a document: internal id 0
        return self.createIndex(row, column, parent.row() + 1)  # a quote: its group's row + 1

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # noqa: A003 (Qt's name)
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self._groups[parent.row()].quotes)
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if index.internalId() == 0:
            return self._document_data(self._groups[index.row()], role)
        item = self.item(index)
        return self._quote_data(item, role) if item is not None else None

    def _document_data(self, group: UnattributedGroup, role: int):
        doc = group.document
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{doc.title} ({count(len(group.quotes), 'quote')})"
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(
                doc.title, doc.date_label, f"{count(len(group.quotes), 'quote')} nobody is named for", bold_first=True
            )
        if role == RECORD_ROLE:
            return doc
        if role == ID_ROLE:
            return None
        return None

    def _quote_data(self, item: UnattributedQuote, role: int):
        q = item.quote
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            words = " ".join(q.text.split())
            words = words if len(words) <= PREVIEW else words[: PREVIEW - 1] + "…"
            hint = f"the text points to {q.suggested_speaker}?" if q.suggested_speaker else "no suggestion"
            return f"¶ {item.seq}  “{words}”\n      {hint}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(
                f"“{q.text}”",
                f"¶ {item.seq}",
                f"The text points to {q.suggested_speaker}, but not surely."
                if q.suggested_speaker
                else "The text points to nobody in particular.",
                f"Relayed by {q.quoted_by_name}" if q.quoted_by_name else None,
                f"Cue in the text: {q.cue}" if q.cue else None,
                "Double-click to read it; Accept suggestion or Set speaker… to decide.",
            )
        if role == RECORD_ROLE:
            return item
        if role == ID_ROLE:
            return q.id
        return None
