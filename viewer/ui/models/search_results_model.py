"""Search hits as table rows, loaded a page at a time; delegates that draw who and where on two lines
and the highlighted snippet."""

from __future__ import annotations

import html
from collections import OrderedDict

from PySide6.QtCore import QModelIndex, QPointF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPalette,
    QStandardItem,
    QStandardItemModel,
    QStaticText,
    QTextCharFormat,
    QTextLayout,
    QTextOption,
    QTransform,
)
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from viewer.core.dates import format_date
from viewer.core.search import QUOTE, SearchHit, SearchResult

HIT_ROLE = Qt.ItemDataRole.UserRole + 1  # the SearchHit itself
SNIPPET_ROLE = Qt.ItemDataRole.UserRole + 10  # the Snippet: plain text and the highlighted ranges
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 11  # a two-line cell's second line (plain text)

HIGHLIGHT_BACKGROUND, HIGHLIGHT_TEXT = "#ffe27a", "#000000"

WHO, WHERE, SNIPPET = range(3)
HEADERS = ("Who", "Where", "Found")


def _who(hit: SearchHit) -> tuple[str, str]:
    """Who (first line) and what the row is (second line): a quote marked, a relayed quote with who relayed it,
    and who said it decided by the user ("✎ corrected by you")."""
    if hit.kind == QUOTE:
        who, what = hit.speaker or "Unattributed", f"quote, relayed by {hit.quoted_by}" if hit.quoted_by else "quote"
    else:
        who, what = (hit.speaker, "passage") if hit.speaker else ("Narration", "the report")
    return who, f"{what} · ✎ corrected by you" if hit.corrected else what


def _where(hit: SearchHit) -> tuple[str, str]:
    """The document (first line) and its date and place in it (second line): "25 Mar 2021 · ¶ 6"."""
    return hit.document_title or hit.document, " · ".join(
        p for p in (format_date(hit.date, short=True), hit.place) if p
    )


class SearchResultsModel(QStandardItemModel):
    """The hits of one search, one row per place: who (and whether it is a quote), where (document,
    date, ¶) and the words found. Holds what is loaded and the total; ``load_more()`` asks for the
    next page.

    An adapter that fills Qt's own item model once per page: a view painting its rows reads them
    without calling into Python (only the snippet column's delegate is Python), so painting rarely
    waits for the interpreter while a search runs on a worker thread (bench/RESULTS.md, "The app").

    Signals:
        more_requested(int offset): rows from ``offset`` on are wanted; the owner loads them
            and calls ``append_hits(offset, hits)`` (or ``fetch_failed()``).
    """

    more_requested = Signal(int)

    def __init__(self, parent=None):
        super().__init__(0, len(HEADERS), parent)
        self.setHorizontalHeaderLabels(list(HEADERS))
        prototype = QStandardItem()
        prototype.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)  # read-only cells
        self.setItemPrototype(prototype)
        self._hits: list[SearchHit] = []
        self._total = 0
        self._waiting = False

    # ------------------------------------------------------------ feeding

    def set_result(self, result: SearchResult | None) -> None:
        hits = list(result.hits) if result else []
        # the rows are replaced silently, then views are told once (a reset), not once per row
        self.blockSignals(True)
        try:
            self.setRowCount(0)
            self._hits = hits
            self._total = max(result.total or 0, len(hits)) if result else 0
            self._waiting = False
            self._fill(0, hits)
        finally:
            self.blockSignals(False)
        self.beginResetModel()
        self.endResetModel()

    def clear(self) -> None:
        self.set_result(None)

    def append_hits(self, offset: int, hits: list[SearchHit]) -> None:
        """Add a page loaded from ``offset``; a page for other rows (stale) is ignored."""
        self._waiting = False
        if offset != len(self._hits) or not hits:
            return
        self._hits.extend(hits)
        self.insertRows(offset, len(hits))  # one signal for the page; its cells are filled silently
        self.blockSignals(True)
        try:
            self._fill(offset, hits)
        finally:
            self.blockSignals(False)
        self.dataChanged.emit(self.index(offset, 0), self.index(offset + len(hits) - 1, len(HEADERS) - 1))

    def _fill(self, offset: int, hits: list[SearchHit]) -> None:
        if self.rowCount() < offset + len(hits):
            self.setRowCount(offset + len(hits))
        index = self.index
        for r, hit in enumerate(hits, offset):
            for c, cell in enumerate(cells(hit)):
                # the model makes the item itself (a copy of the prototype): Qt's own, read without Python
                self.setItemData(index(r, c), cell)

    def fetch_failed(self) -> None:
        self._waiting = False
        self._total = len(self._hits)

    def finish(self) -> None:
        """Nothing lies beyond the rows loaded (a page came back short: an "about" total was high)."""
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

    # ------------------------------------------------------------ more rows

    def has_more(self) -> bool:
        """Rows beyond the loaded ones exist and none are being loaded."""
        return not self._waiting and len(self._hits) < self._total

    def load_more(self) -> None:
        """Ask for the next page (``more_requested``), unless one is on its way or there is none."""
        if self.has_more():
            self._waiting = True
            self.more_requested.emit(len(self._hits))

    # Qt's fetchMore is not used: a QTreeView calls it every time it lays out its root, so it would
    # load page after page of a big answer while nobody scrolls. The panel asks when the view
    # scrolls near its end (SearchPanel._on_results_scrolled).


def cells(hit: SearchHit) -> list[dict[int, object]]:
    """The three cells of a hit (role -> value), with everything a view, a screen reader or a test asks for."""
    who, what = _who(hit)
    title, place = _where(hit)
    found = " ".join(hit.snippet.text.split())
    full_who = f"{who}, {what}"
    cells = [
        {
            Qt.ItemDataRole.DisplayRole: who,
            DETAIL_ROLE: what,
            Qt.ItemDataRole.AccessibleTextRole: full_who,
            Qt.ItemDataRole.ToolTipRole: full_who,
        },
        {
            Qt.ItemDataRole.DisplayRole: title,
            DETAIL_ROLE: place,
            Qt.ItemDataRole.AccessibleTextRole: hit.where,
            Qt.ItemDataRole.ToolTipRole: hit.where,
        },
        {
            Qt.ItemDataRole.DisplayRole: found,
            Qt.ItemDataRole.AccessibleTextRole: found,
            Qt.ItemDataRole.ToolTipRole: hit.text,
            SNIPPET_ROLE: hit.snippet,
        },
    ]
    for cell in cells:
        cell[HIT_ROLE] = hit
        # escaped and wrapped in <p>: Qt shows tooltips as rich text, so archive text is never markup
        cell[Qt.ItemDataRole.ToolTipRole] = "<p>" + html.escape(cell[Qt.ItemDataRole.ToolTipRole]) + "</p>"
    return cells


_ONE_LINE = {ord(c): " " for c in "\n\r\t\v\f\u2028\u2029\x85"}  # line breaks drawn as spaces


def _utf16(text: str, offsets: list[int]) -> list[int]:
    """Python offsets (code points) in ``text`` as Qt's (UTF-16 units)."""
    if text.isascii() or all(ord(c) < 0x10000 for c in text):
        return offsets
    return [len(text[:o].encode("utf-16-le")) // 2 for o in offsets]


def _lead_in(text: str, marks: tuple[tuple[int, int], ...], line_chars: int) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The snippet cut so that its first highlight is on the first line of a narrow column: at most
    half a line of words before it ("…" where the text was cut)."""
    if not marks or marks[0][0] <= line_chars // 2:
        return text, marks
    cut = text.find(" ", marks[0][0] - line_chars // 2, marks[0][0])
    if cut < 0:
        return text, marks
    cut += 1
    return "…" + text[cut:], tuple((s - cut + 1, e - cut + 1) for s, e in marks)


class TwoLineDelegate(QStyledItemDelegate):
    """Draws a cell's text on its first line and ``DETAIL_ROLE`` muted on the second, each cut with
    "…" to the column's width (who said it / quote; the document / its date and ¶). With ``lead``, a
    narrow view's cell starts with another column's two lines joined on one (who, when the who column
    is left out).

    A line cut to a width is kept laid out (``QStaticText``) for repaints, and ``prepare`` lays out a
    cell's lines before its row is shown, so that the repaint showing a new answer only draws."""

    _CACHE_SIZE = 512  # laid-out lines kept, several screens of them

    def __init__(self, parent=None):
        super().__init__(parent)
        self.lead: int | None = None
        self._cache: OrderedDict[tuple, QStaticText] = OrderedDict()
        self._seen: tuple[int, int, QFont, QFontMetrics] | None = None  # cell width, text width, font, metrics

    def _lines(self, index: QModelIndex) -> list[tuple[str, bool]]:
        """(text, muted) of each line of the cell."""
        lines = []
        if self.lead is not None:
            other = index.siblingAtColumn(self.lead)
            lines.append(
                (" · ".join(t for t in (str(other.data() or ""), str(other.data(DETAIL_ROLE) or "")) if t), False)
            )
        lines.append((str(index.data() or ""), False))
        detail = str(index.data(DETAIL_ROLE) or "")
        if detail:
            lines.append((detail, True))
        return lines

    def _line(self, text: str, width: int, font: QFont, metrics: QFontMetrics) -> QStaticText:
        """``text`` cut with "…" to ``width``, laid out in ``font`` (plain text, never markup)."""
        key = (text, width, font.key())
        cache = self._cache
        line = cache.get(key)
        if line is not None:
            cache.move_to_end(key)
            return line
        line = QStaticText(metrics.elidedText(text, Qt.TextElideMode.ElideRight, width))
        line.setTextFormat(Qt.TextFormat.PlainText)
        line.setPerformanceHint(QStaticText.PerformanceHint.ModerateCaching)
        line.prepare(QTransform(), font)
        cache[key] = line
        if len(cache) > self._CACHE_SIZE:
            cache.popitem(last=False)
        return line

    def prepare(self, cell: dict[int, object], cell_width: int) -> None:
        """Lay out the lines of ``cell`` (one of ``cells(hit)``) for a column ``cell_width`` wide, as the
        last paint in a column that wide would; nothing before the first paint, or with ``lead``."""
        seen = self._seen
        if seen is None or seen[0] != cell_width or self.lead is not None:
            return
        _cell_width, width, font, metrics = seen
        for role in (Qt.ItemDataRole.DisplayRole, DETAIL_ROLE):
            text = str(cell.get(role) or "")
            if text:
                self._line(text, width, font, metrics)

    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, widget)
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, widget).adjusted(2, 1, -2, -1)
        metrics = option.fontMetrics
        font = option.font
        width = rect.width()
        seen = self._seen
        if seen is None or seen[0] != option.rect.width() or seen[1] != width or seen[2] != font:
            self._seen = (option.rect.width(), width, QFont(font), QFontMetrics(metrics))
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text_color = option.palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        muted = QColor(text_color)
        if not selected:
            muted.setAlphaF(0.65)
        painter.save()
        ascent = metrics.ascent()
        y = rect.top() + ascent
        for text, dim in self._lines(index):
            if y - ascent + metrics.height() > rect.bottom() + 2:
                break
            painter.setPen(muted if dim else text_color)
            painter.drawStaticText(rect.left(), y - ascent, self._line(text, width, font, metrics))
            y += metrics.lineSpacing()
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        metrics = option.fontMetrics
        lines = self._lines(index)
        width = max(metrics.horizontalAdvance(text) for text, _dim in lines) + 8
        return QSize(width, metrics.lineSpacing() * max(2, len(lines)) + 6)


class SnippetDelegate(QStyledItemDelegate):
    """Draws a hit's snippet (``SNIPPET_ROLE``) as plain text with its matched words highlighted.

    The text is laid out by ``QTextLayout`` with a format on each highlighted range: nothing in
    it is ever read as markup, and a laid-out snippet is kept for repaints (scrolling, hover,
    results shown again), so a repaint is a few calls per row; ``prepare`` lays out a cell's snippet
    before its row is shown, so that the repaint showing a new answer only draws."""

    _CACHE_SIZE = 256  # laid-out snippets kept, several screens of them

    def __init__(self, parent=None):
        super().__init__(parent)
        self._cache: OrderedDict[tuple, QTextLayout] = OrderedDict()
        self._seen: tuple[int, int, int, QFont] | None = None  # cell width, text width and height, font
        self._highlight = QTextCharFormat()
        self._highlight.setBackground(QColor(HIGHLIGHT_BACKGROUND))
        self._highlight.setForeground(QColor(HIGHLIGHT_TEXT))
        self._highlight.setFontWeight(QFont.Weight.DemiBold)

    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        # background, selection and focus as for any cell (the option holds no text)
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, widget)
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, widget)
        font = option.font
        seen = self._seen
        if (
            seen is None
            or seen[0] != option.rect.width()
            or seen[1] != rect.width()
            or seen[2] != rect.height()
            or seen[3] != font
        ):
            self._seen = (option.rect.width(), rect.width(), rect.height(), QFont(font))
        layout = self.text_layout(index, rect.width(), rect.height(), font)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.save()
        painter.setPen(option.palette.color(role))
        layout.draw(painter, QPointF(rect.left() + 1, rect.top() + 1))
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        base = super().sizeHint(option, index)
        return QSize(base.width(), max(base.height(), option.fontMetrics.lineSpacing() * 2 + 6))

    def prepare(self, cell: dict[int, object], cell_width: int) -> None:
        """Lay out the snippet of ``cell`` (one of ``cells(hit)``) for a column ``cell_width`` wide, as the
        last paint in a column that wide would; nothing before the first paint."""
        seen = self._seen
        snippet = cell.get(SNIPPET_ROLE)
        if seen is None or seen[0] != cell_width or snippet is None:
            return
        _cell_width, width, height, font = seen
        self.snippet_layout(snippet.text, snippet.marks, width, height, font)

    def text_layout(self, index: QModelIndex, width: int, height: int, font: QFont) -> QTextLayout:
        """The snippet of ``index`` laid out in whole lines that fit ``width`` x ``height``."""
        snippet = index.data(SNIPPET_ROLE)
        text, marks = (snippet.text, snippet.marks) if snippet is not None else (str(index.data() or ""), ())
        return self.snippet_layout(text, marks, width, height, font)

    def snippet_layout(
        self, text: str, marks: tuple[tuple[int, int], ...], width: int, height: int, font: QFont
    ) -> QTextLayout:
        """``text`` with ``marks`` highlighted, laid out in whole lines that fit ``width`` x ``height``."""
        width = max(10, width - 2)
        text, marks = _lead_in(text, marks, width // max(1, QFontMetrics(font).averageCharWidth()))
        key = (text, marks, width, height, font.key())
        cache = self._cache
        layout = cache.get(key)
        if layout is not None:
            cache.move_to_end(key)
            return layout
        layout = QTextLayout(text.translate(_ONE_LINE), font)  # same length: the ranges stay right
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        layout.setTextOption(option)
        ranges = []
        for s, e in marks:
            start, end = _utf16(text, [s, e])
            r = QTextLayout.FormatRange()
            r.start, r.length, r.format = start, end - start, self._highlight
            ranges.append(r)
        layout.setFormats(ranges)
        line_height = QFontMetrics(font).lineSpacing()
        lines = max(1, (height - 2) // line_height)  # whole lines only: a line cut in half reads as garbage
        layout.beginLayout()
        y = 0.0
        for _ in range(lines):
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            line.setPosition(QPointF(0, y))
            y += line.height()
        layout.endLayout()
        cache[key] = layout
        if len(cache) > self._CACHE_SIZE:
            cache.popitem(last=False)
        return layout
