"""Draws a document row as its title (up to two lines) over its date, so neither is cut short. In a view
with uniform row heights (a big archive) every row has room for two title lines."""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTreeView

from viewer.core.records import Document
from viewer.ui.models.roles import RECORD_ROLE
from viewer.ui.widgets.speaker_colors import tint

PAD = 3
MAX_TITLE_LINES = 2
_CACHE_SIZE = 512  # titles broken into lines, kept for repaints (several screens of rows)


class DocumentDelegate(QStyledItemDelegate):
    """Title and date in one cell of ``view``'s first column; group rows are drawn as usual."""

    def __init__(self, view: QTreeView):
        super().__init__(view)
        self._view = view
        self._lines: OrderedDict[tuple, list[str]] = OrderedDict()

    def _cached_title_lines(self, title: str, font: QFont, width: int) -> list[str]:
        """``_title_lines``, remembered: breaking a title measures it word by word, and a repaint (a
        selection, a scroll) draws the same rows again."""
        key = (title, font.key(), width)
        lines = self._lines.get(key)
        if lines is None:
            lines = self._lines[key] = self._title_lines(title, font, width)
            if len(self._lines) > _CACHE_SIZE:
                self._lines.popitem(last=False)
        else:
            self._lines.move_to_end(key)
        return lines

    def _text_width(self, option: QStyleOptionViewItem, index: QModelIndex) -> int:
        width = option.rect.width()
        if width <= 0:
            depth = 1 if index.parent().isValid() else 0
            width = self._view.columnWidth(0) - self._view.indentation() * (depth + 1)
        return max(60, width - 2 * PAD)

    def _title_lines(self, title: str, font: QFont, width: int) -> list[str]:
        """The title broken into at most two lines, the last one elided if the title is longer."""
        fm = QFontMetrics(font)
        words = title.split()
        lines, current = [], ""
        for i, word in enumerate(words):
            trial = f"{current} {word}".strip()
            if fm.horizontalAdvance(trial) <= width or not current:
                current = trial
                continue
            lines.append(current)
            current = word
            if len(lines) == MAX_TITLE_LINES - 1:
                current = " ".join(words[i:])
                break
        if current:
            lines.append(current)
        return [fm.elidedText(line, Qt.TextElideMode.ElideRight, width) for line in lines[:MAX_TITLE_LINES]]

    @staticmethod
    def _title_line_count(title: str, font: QFont, width: int) -> int:
        """``len(_title_lines(...))`` without breaking the title (an expanded collection measures
        hundreds of rows): one line when it fits or is one word (elided), else the most there are."""
        words = title.split()
        if len(words) <= 1 or QFontMetrics(font).horizontalAdvance(" ".join(words)) <= width:
            return min(1, len(words))
        return MAX_TITLE_LINES

    @staticmethod
    def _fonts(option: QStyleOptionViewItem, doc: Document | None) -> tuple[QFont, QFont]:
        title = QFont(option.font)
        title.setItalic(doc is not None and not doc.has_text)
        small = QFont(option.font)
        small.setPointSizeF(max(6.0, option.font.pointSizeF() * 0.88))
        return title, small

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        doc = index.data(RECORD_ROLE)
        if self._view.uniformRowHeights() and index.column() == 0:
            # one height for every row (the view asks only the first, a collection's): room for the
            # longest title, so the view never measures thousands of rows (a big archive)
            title_font, small = self._fonts(option, doc if isinstance(doc, Document) else None)
            height = MAX_TITLE_LINES * QFontMetrics(title_font).lineSpacing() + QFontMetrics(small).lineSpacing()
            return QSize(self._text_width(option, index), height + 2 * PAD + 2)
        if index.column() != 0 or not isinstance(doc, Document):
            return super().sizeHint(option, index)
        title_font, small = self._fonts(option, doc)
        lines = self._title_line_count(doc.title, title_font, self._text_width(option, index))
        height = lines * QFontMetrics(title_font).lineSpacing() + QFontMetrics(small).lineSpacing() + 2 * PAD + 2
        return QSize(self._text_width(option, index), height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        doc = index.data(RECORD_ROLE)
        if index.column() != 0 or not isinstance(doc, Document):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        pal = opt.palette
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        text_color = pal.color(text_role)
        base = pal.color(QPalette.ColorRole.Highlight if selected else QPalette.ColorRole.Base)
        title_font, small = self._fonts(opt, doc)
        rect = opt.rect.adjusted(PAD, PAD, -PAD, -PAD)
        lines = self._cached_title_lines(doc.title, title_font, rect.width())
        painter.save()
        painter.setFont(title_font)
        painter.setPen(text_color if doc.has_text or selected else tint(text_color, base, 0.7))
        line_h = QFontMetrics(title_font).lineSpacing()
        y = rect.top()
        for line in lines:
            painter.drawText(QRect(rect.left(), y, rect.width(), line_h), Qt.TextFlag.TextSingleLine, line)
            y += line_h
        painter.setFont(small)
        painter.setPen(tint(text_color, base, 0.65))
        date = doc.date_label or "undated"
        if not doc.has_text:
            date += " · text not in this archive"
        painter.drawText(
            QRect(rect.left(), y, rect.width(), QFontMetrics(small).lineSpacing()),
            Qt.TextFlag.TextSingleLine,
            QFontMetrics(small).elidedText(date, Qt.TextElideMode.ElideRight, rect.width()),
        )
        painter.restore()
