"""Search hits as table rows, loaded a page at a time; a delegate that draws the highlighted snippet."""

from __future__ import annotations

import html
from collections import OrderedDict

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QPalette, QTextDocument
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from viewer.core.search import QUOTE, SearchHit, SearchResult

HIT_ROLE = Qt.ItemDataRole.UserRole + 1  # the SearchHit itself
SNIPPET_HTML_ROLE = Qt.ItemDataRole.UserRole + 10  # the snippet escaped, with highlight tags

HIGHLIGHT_OPEN = '<span style="background-color:#ffe27a; color:#000000; font-weight:600">'
HIGHLIGHT_CLOSE = "</span>"

KIND, SPEAKER, DOCUMENT, DATE, SNIPPET = range(5)
HEADERS = ("Kind", "Speaker", "Document", "Date", "Found")


def _who(hit: SearchHit) -> str:
    who = hit.speaker or "Narration"
    return f"{who} (quoted by {hit.quoted_by})" if hit.quoted_by else who


class SearchResultsModel(QAbstractTableModel):
    """The hits of one search: kind, speaker, document, date, snippet. Holds what is loaded and
    the total; when a view scrolls past the loaded rows it asks for more.

    Signals:
        more_requested(int offset): rows from ``offset`` on are wanted; the owner loads them
            and calls ``append_hits(offset, hits)`` (or ``fetch_failed()``).
    """

    more_requested = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._hits: list[SearchHit] = []
        self._total = 0
        self._waiting = False

    # ------------------------------------------------------------ feeding

    def set_result(self, result: SearchResult | None) -> None:
        self.beginResetModel()
        self._hits = list(result.hits) if result else []
        self._total = max(result.total or 0, len(self._hits)) if result else 0
        self._waiting = False
        self.endResetModel()

    def clear(self) -> None:
        self.set_result(None)

    def append_hits(self, offset: int, hits: list[SearchHit]) -> None:
        """Add a page loaded from ``offset``; a page for other rows (stale) is ignored."""
        self._waiting = False
        if offset != len(self._hits) or not hits:
            return
        self.beginInsertRows(QModelIndex(), len(self._hits), len(self._hits) + len(hits) - 1)
        self._hits.extend(hits)
        self.endInsertRows()

    def fetch_failed(self) -> None:
        self._waiting = False
        self._total = len(self._hits)

    def hit(self, row: int) -> SearchHit | None:
        return self._hits[row] if 0 <= row < len(self._hits) else None

    @property
    def total(self) -> int:
        return self._total

    @property
    def fetching(self) -> bool:
        """More rows were asked for and have not arrived yet."""
        return self._waiting

    # ------------------------------------------------------------ Qt model

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._hits)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.parent().isValid():
            return None
        hit = self.hit(index.row())
        if hit is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == KIND:
                return "Quote" if hit.kind == QUOTE else "Passage"
            if col == SPEAKER:
                return _who(hit)
            if col == DOCUMENT:
                return f"{hit.document_title} ¶ {hit.seq}"
            if col == DATE:
                return hit.date_label
            if col == SNIPPET:
                return " ".join(hit.snippet.text.split())
            return None
        if role == HIT_ROLE:
            return hit
        if role == SNIPPET_HTML_ROLE and col == SNIPPET:
            return hit.snippet.html(HIGHLIGHT_OPEN, HIGHLIGHT_CLOSE)
        if role == Qt.ItemDataRole.ToolTipRole:
            # escaped and wrapped in <p>: Qt shows it as rich text, so archive text is never markup
            if col == SNIPPET:
                return "<p>" + html.escape(hit.text) + "</p>"
            if col == DOCUMENT:
                return "<p>" + html.escape(f"{hit.document_title}, ¶ {hit.seq}") + "</p>"
            if col == SPEAKER:
                return "<p>" + html.escape(_who(hit)) + "</p>"
            return None
        return None

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:
        return not parent.isValid() and not self._waiting and len(self._hits) < self._total

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:
        if self.canFetchMore(parent):
            self._waiting = True
            self.more_requested.emit(len(self._hits))


class SnippetDelegate(QStyledItemDelegate):
    """Draws ``SNIPPET_HTML_ROLE`` (escaped text plus our highlight tags) as rich text."""

    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        markup = index.data(SNIPPET_HTML_ROLE) or html.escape(opt.text)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, opt.widget)
        doc = self._document(markup, opt, rect.width())
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))
        # whole lines only: a line cut in half reads as garbage
        line = opt.fontMetrics.lineSpacing()
        height = max(1, rect.height() // line) * line + 2
        painter.save()
        painter.translate(rect.topLeft())
        painter.setClipRect(QRectF(0, 0, rect.width(), min(rect.height(), height)))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        base = super().sizeHint(option, index)
        return QSize(base.width(), max(base.height(), option.fontMetrics.lineSpacing() * 2 + 6))

    _CACHE_SIZE = 256  # laid-out snippets kept: repaints (scrolling, hover) reuse them

    def __init__(self, parent=None):
        super().__init__(parent)
        self._cache: OrderedDict[tuple, QTextDocument] = OrderedDict()

    def _document(self, markup: str, opt: QStyleOptionViewItem, width: int) -> QTextDocument:
        cache = self._cache
        key = (markup, max(10, width), opt.font.key())
        doc = cache.get(key)
        if doc is not None:
            cache.move_to_end(key)
            return doc
        doc = QTextDocument()
        doc.setDocumentMargin(1)
        doc.setDefaultFont(opt.font)
        doc.setHtml(markup)
        doc.setTextWidth(max(10, width))
        cache[key] = doc
        if len(cache) > self._CACHE_SIZE:
            cache.popitem(last=False)
        return doc
