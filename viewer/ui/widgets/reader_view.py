"""The reader's text view: passages as blocks, the speaker margin, quote marks and tooltips.

A read-only QTextEdit whose document is a ReaderDocument. The margin on the left shows each
passage's number (¶) and its speaker in the speaker's colour; direct quotes are tinted in the
colour of whoever said them, relayed quotes get a dashed underline. Highlights (search hits, a
speaker's passages, bookmarks) are extra selections laid over the text, never changes to it.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QMimeData, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QMouseEvent,
    QPainter,
    QPalette,
    QPen,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
    QTextListFormat,
)
from PySide6.QtWidgets import QTextEdit, QToolTip, QWidget

from viewer.core.records import NOTE, Quote
from viewer.ui.models.reader_document import ReaderDocument, ReaderStyle
from viewer.ui.widgets.speaker_colors import is_dark, speaker_color, tint
from viewer.ui.widgets.text import tooltip

MAX_LINE_CHARS = 88  # a comfortable line length for reading

ATTRIBUTION_NOTES = {
    "name": "the passage names the speaker",
    "pronoun": "inferred from “he”/“she” following an earlier passage by this speaker",
    "desc": "inferred from a description such as “the activist”",
    "turn": "a transcript turn labelled with the speaker",
    "label": "a transcript turn labelled with the speaker",
}
CORRECTED_NOTE = "Corrected by you (Set speaker…, Ctrl+Shift+S, to change or clear it)"


class _Margin(QWidget):
    def __init__(self, view: ReaderView):
        super().__init__(view)
        self._view = view
        self.setMouseTracking(True)
        self.setAccessibleName("Passage numbers and speakers")

    def sizeHint(self) -> QSize:
        return QSize(self._view.margin_width(), 0)

    def paintEvent(self, event) -> None:
        self._view.paint_margin(self, event.rect())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._view.margin_clicked(event.position().toPoint())

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            text = self._view.margin_tooltip(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)


class _Style(ReaderStyle):
    def __init__(self, palette: QPalette):
        super().__init__()
        self.dark = is_dark(palette)
        self.base = palette.color(QPalette.ColorRole.Base)
        self.fg = palette.color(QPalette.ColorRole.Text)
        para = QTextBlockFormat()
        para.setBottomMargin(10)
        para.setLineHeight(135, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        self.paragraph = QTextBlockFormat(para)
        narration = QTextBlockFormat(para)
        narration.setBackground(tint(self.fg, self.base, 0.06))
        narration.setLeftMargin(6)
        narration.setRightMargin(6)
        narration.setTopMargin(2)
        self.narration = narration
        heading = QTextBlockFormat(para)
        heading.setTopMargin(14)
        heading.setBottomMargin(6)
        self.heading = heading
        item = QTextBlockFormat()
        item.setBottomMargin(4)
        item.setLineHeight(125, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        self.list_item = item
        self.text = QTextCharFormat()
        self.text.setForeground(self.fg)
        self.heading_text = QTextCharFormat(self.text)
        self.heading_text.setFontWeight(QFont.Weight.Bold)
        self.heading_text.setProperty(QTextFormat.Property.FontSizeAdjustment, 1)
        self.list_format = QTextListFormat()
        self.list_format.setStyle(QTextListFormat.Style.ListDisc)
        self.list_format.setIndent(1)

    def quote_format(self, quote: Quote) -> QTextCharFormat:
        fmt = QTextCharFormat()
        if quote.quoted_by is not None:
            # someone else's words relayed by a speaker: neutral grey, italic, dashed in the relayer's colour
            fmt.setBackground(relayed_background(self.base, self.dark))
            fmt.setFontItalic(True)
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
            fmt.setUnderlineColor(speaker_color(quote.quoted_by, self.dark))
        elif quote.speaker_id is None and not quote.speaker_label:
            # nobody is named for these words: a neutral tint, dotted, never a speaker's colour
            fmt.setBackground(relayed_background(self.base, self.dark))
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
            fmt.setUnderlineColor(tint(self.fg, self.base, 0.6))
        else:
            color = speaker_color(quote.speaker_id, self.dark)
            fmt.setBackground(direct_background(quote.speaker_id, self.base, self.dark))
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            fmt.setUnderlineColor(tint(color, self.base, 0.7))
        return fmt


def direct_background(speaker_id: int | None, base: QColor, dark: bool) -> QColor:
    return tint(speaker_color(speaker_id, dark), base, 0.16 if not dark else 0.28)


def relayed_background(base: QColor, dark: bool) -> QColor:
    return tint(speaker_color(None, dark), base, 0.22 if not dark else 0.3)


def quote_tooltip(quotes: list[Quote], content) -> str:
    """Who said the words under the mouse: the innermost quote first, then the one around it."""
    lines = []
    for i, q in enumerate(reversed(quotes)):
        said = q.speaker_name or q.speaker_label or "an unidentified speaker"
        if q.quoted_by is not None:
            head = f"Relayed quote: said by {said}, relayed by {q.quoted_by_name or 'another speaker'}"
        elif not q.attributed:
            head = (
                "Direct quote, speaker unknown"
                if q.corrected
                else "Direct quote, unattributed: the text does not say surely who said it"
            )
        else:
            head = f"Direct quote: {said}" + (
                "" if q.speaker_id is not None or not q.speaker_label else " (not a speaker of this archive)"
            )
        if i:
            head = "Inside a quote of " + (q.speaker_name or q.speaker_label or "an unidentified speaker")
        lines.append(head)
        if i == 0:
            speaker = content.speakers.get(q.speaker_id) if q.speaker_id is not None else None
            if speaker is not None and speaker.affiliation:
                lines.append(speaker.affiliation)
            if q.corrected:
                lines.append(CORRECTED_NOTE)
            elif not q.attributed and q.suggested_speaker:
                lines.append(
                    f"The text points to {q.suggested_speaker}, but not surely: a suggestion, not an attribution"
                )
            if q.cue:
                lines.append(f"Cue in the text: {q.cue}")
            if not q.attributed and not q.corrected:
                lines.append("Set speaker… (Ctrl+Shift+S) to say who said it")
    return tooltip(*lines, bold_first=True)


class ReaderView(QTextEdit):
    """Read-only text of one document with the speaker margin.

    Signals:
        context_menu_requested(QPoint, int): global position and document position under the mouse.
        speaker_clicked(int): a speaker's name in the margin was clicked.
    """

    context_menu_requested = Signal(QPoint, int)
    speaker_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("readerText")
        self.setAccessibleName("Document text")
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setAcceptDrops(False)  # a dropped archive file goes to the window
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setLineWrapMode(QTextEdit.LineWrapMode.FixedPixelWidth)
        self.setMouseTracking(True)
        self.content: ReaderDocument | None = None
        self._layers: dict[str, list[QTextEdit.ExtraSelection]] = {}
        self._highlighted_speaker: int | None = None
        self._margin = _Margin(self)
        self._style = _Style(self.palette())
        self.verticalScrollBar().valueChanged.connect(self._margin.update)
        self._update_margins()

    # ------------------------------------------------------------------ content

    def style_for_build(self) -> _Style:
        self._style = _Style(self.palette())
        return self._style

    def set_content(self, content: ReaderDocument | None) -> None:
        """Show ``content``'s document (it may still be growing) or nothing."""
        self._layers.clear()
        self.setExtraSelections([])
        old = self.content
        self.content = content
        if content is None:
            self.setDocument(None)
            self.clear()
        else:
            content.doc.setDefaultFont(self.font())
            self.setDocument(content.doc)
            content.doc.setParent(self)
            content.doc.documentLayout().documentSizeChanged.connect(self._margin.update)
        if old is not None and old is not content:
            old.doc.deleteLater()
        self._update_wrap()
        self._margin.update()

    def content_grew(self) -> None:
        self._margin.update()

    # ------------------------------------------------------------------ layers of highlights

    def set_layer(self, name: str, selections: list[QTextEdit.ExtraSelection]) -> None:
        if selections:
            self._layers[name] = selections
        else:
            self._layers.pop(name, None)
        order = sorted(self._layers, key=lambda n: LAYER_ORDER.get(n.split(":")[0], 50))
        self.setExtraSelections([s for n in order for s in self._layers[n]])
        self._margin.update()

    def layer(self, name: str) -> list[QTextEdit.ExtraSelection]:
        return list(self._layers.get(name, ()))

    def range_selection(
        self, start: int, end: int, background: QColor, foreground: QColor | None = None
    ) -> QTextEdit.ExtraSelection:
        sel = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cursor
        fmt = QTextCharFormat()
        fmt.setBackground(background)
        if foreground is not None:
            fmt.setForeground(foreground)
        sel.format = fmt
        return sel

    def block_selection(self, position: int, background: QColor) -> QTextEdit.ExtraSelection:
        sel = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        cursor.setPosition(position)
        # the whole block: a full-width selection without a span covers only the cursor's line
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cursor
        fmt = QTextCharFormat()
        fmt.setBackground(background)
        fmt.setProperty(QTextFormat.Property.FullWidthSelection, True)
        sel.format = fmt
        return sel

    # ------------------------------------------------------------------ scrolling

    def scroll_to_row(self, row: int, offset: int | None = None) -> None:
        """Bring passage ``row`` into view near the top; with ``offset``, make sure that
        character is visible too."""
        if self.content is None or row >= self.content.built:
            return
        block = self.document().findBlock(self.content.block_positions[row])
        layout = self.document().documentLayout()
        layout.documentSize()  # finishes the layout, so the scroll range reaches the block
        rect = layout.blockBoundingRect(block)
        bar = self.verticalScrollBar()
        top = int(rect.top()) - self.viewport().height() // 6
        bar.setValue(max(0, top))
        if offset is not None:
            cursor = QTextCursor(self.document())
            cursor.setPosition(self.content.position(row, offset))
            r = self.cursorRect(cursor)
            if r.bottom() > self.viewport().height() - 20 or r.top() < 0:
                bar.setValue(bar.value() + r.top() - self.viewport().height() // 3)
        self._margin.update()

    def first_visible_row(self) -> int | None:
        if self.content is None or not self.content.built:
            return None
        pos = self.cursorForPosition(QPoint(4, 4)).position()
        return self.content.row_at(pos)

    # ------------------------------------------------------------------ geometry

    def margin_width(self) -> int:
        """Room for a name beside the text: 23 characters, less when the reader is narrow."""
        char = QFontMetrics(self.font()).averageCharWidth()
        chars = max(12, min(23, int(self.width() * 0.22 / max(1, char))))
        return char * chars + 24

    def _update_margins(self) -> None:
        width = self.margin_width()
        self.setViewportMargins(width, 0, 0, 0)
        cr = self.contentsRect()
        self._margin.setGeometry(QRect(cr.left(), cr.top(), width, cr.height()))

    def _update_wrap(self) -> None:
        limit = QFontMetrics(self.font()).averageCharWidth() * MAX_LINE_CHARS
        margin = int(self.document().documentMargin() * 2) + 4
        width = max(120, min(limit, self.viewport().width() - margin))
        if width != self.lineWrapColumnOrWidth():
            self.setLineWrapColumnOrWidth(width)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._update_margins()
        self._update_wrap()
        # with a fixed wrap width QTextEdit leaves the scroll range as it was for the old height
        # (emitting documentSizeChanged from Python instead trips a refcount bug in PySide 6.12)
        bar = self.verticalScrollBar()
        height = self.viewport().height()
        bar.setPageStep(height)
        bar.setRange(0, max(0, math.ceil(self.document().size().height()) - height))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            if self.content is not None:
                self.content.doc.setDefaultFont(self.font())
            self._update_margins()
            self._update_wrap()
            self._margin.update()

    # ------------------------------------------------------------------ margin

    def _visible_rows(self):
        """(row, block top, block height) of each built passage visible in the viewport."""
        if self.content is None or not self.content.built:
            return
        layout = self.document().documentLayout()
        dy = self.verticalScrollBar().value()
        height = self.viewport().height()
        block = self.cursorForPosition(QPoint(0, 0)).block()
        while block.isValid():
            row = block.userState()
            rect = layout.blockBoundingRect(block)
            top = rect.top() - dy
            if top > height:
                break
            if row >= 0 and row < self.content.built:
                line_top = block.layout().position().y() - dy
                yield row, line_top, block.layout().boundingRect().height()
            block = block.next()

    def paint_margin(self, widget: QWidget, clip: QRect) -> None:
        painter = QPainter(widget)
        pal = self.palette()
        painter.fillRect(clip, tint(pal.color(QPalette.ColorRole.Text), pal.color(QPalette.ColorRole.Base), 0.03))
        painter.setPen(QPen(tint(pal.color(QPalette.ColorRole.Text), pal.color(QPalette.ColorRole.Base), 0.15)))
        painter.drawLine(widget.width() - 1, clip.top(), widget.width() - 1, clip.bottom())
        if self.content is None:
            return
        dark = is_dark(pal)
        muted = pal.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        base_font = QFont(self.font())
        small = QFont(base_font)
        small.setPointSizeF(max(6.0, base_font.pointSizeF() * 0.85))
        bold = QFont(small)
        bold.setBold(True)
        fm_small, fm_bold = QFontMetrics(small), QFontMetrics(bold)
        width = widget.width()
        bar_x = width - 7
        highlighted = self._highlighted_speaker
        for row, top, height in self._visible_rows():
            p = self.content.passages[row]
            number = f"¶ {p.seq}"
            painter.setFont(small)
            painter.setPen(muted)
            num_w = fm_small.horizontalAdvance(number)
            line_h = fm_bold.height()
            y = int(top)
            painter.drawText(QRect(bar_x - 6 - num_w, y, num_w, line_h), Qt.AlignmentFlag.AlignRight, number)
            page = self.page_mark(row)
            page_w = 0
            if page and height >= 2 * line_h - 2:
                page_w = fm_small.horizontalAdvance(page) + 8
                painter.drawText(
                    QRect(bar_x - 6 - page_w, y + line_h, page_w, line_h), Qt.AlignmentFlag.AlignRight, page
                )
            name_w = bar_x - 14 - num_w - 8
            if p.speaker_id is not None:
                color = speaker_color(p.speaker_id, dark)
                strong = highlighted == p.speaker_id
                painter.fillRect(QRect(bar_x, y, 4 if not strong else 6, max(int(height), line_h)), color)
                painter.setFont(bold)
                painter.setPen(color)
                name = p.speaker_name or "?"
                painter.drawText(
                    QRect(8, y, name_w, line_h),
                    Qt.AlignmentFlag.AlignLeft,
                    fm_bold.elidedText(name, Qt.TextElideMode.ElideRight, name_w),
                )
                extra = []
                role = self.content.content.roles.get(p.speaker_id)
                if role:
                    extra.append((role, muted))
                if p.corrected:
                    extra.append(("✎ corrected by you", muted))
                said = [q for q in self.content.speech_in(row) if q.speaker_id == p.speaker_id and q.quoted_by is None]
                if said:
                    extra.append((f"❝ {len(said)} quote{'s' if len(said) > 1 else ''}", color))
                relayed = [q for q in self.content.speech_in(row) if q.quoted_by is not None]
                if relayed:
                    extra.append((f"❝ relays {len(relayed)}", muted))
                unsure = [q for q in self.content.speech_in(row) if not q.attributed and not q.corrected]
                if unsure:
                    extra.append((f"❝ {len(unsure)} unattributed", muted))
                painter.setFont(small)
                for i, (text, pen) in enumerate(extra, start=1):
                    if (i + 1) * line_h > height + 2:
                        break
                    painter.setPen(pen)
                    room = bar_x - 14 - (page_w if i == 1 else 0)
                    painter.drawText(
                        QRect(8, y + i * line_h, room, line_h),
                        Qt.AlignmentFlag.AlignLeft,
                        fm_small.elidedText(text, Qt.TextElideMode.ElideRight, room),
                    )
            elif p.kind in ("paragraph", NOTE) and height >= line_h:
                italic = QFont(small)
                italic.setItalic(True)
                painter.setFont(italic)
                painter.setPen(muted)
                painter.drawText(
                    QRect(8, y, name_w, line_h),
                    Qt.AlignmentFlag.AlignLeft,
                    "note"
                    if p.kind == NOTE
                    else {"corrected-unknown": "unknown ✎", "corrected-narration": "narration ✎"}.get(
                        p.attribution or "", "narration"
                    ),
                )
        painter.end()

    def page_mark(self, row: int) -> str:
        """ "p. 5" beside a passage that starts a page or runs over a page break; "" otherwise."""
        p = self.content.passages[row]
        if not p.page:
            return ""
        before = self.content.passages[row - 1] if row > 0 else None
        starts = before is None or not before.page_end or p.page != before.page_end
        return f"p. {p.page_label}" if starts or p.page_end != p.page else ""

    def set_highlighted_speaker(self, speaker_id: int | None) -> None:
        self._highlighted_speaker = speaker_id
        self._margin.update()

    def _row_at_margin(self, pos: QPoint) -> int | None:
        for row, top, height in self._visible_rows():
            if top - 4 <= pos.y() <= top + max(height, 1) + 4:
                return row
        return None

    def margin_clicked(self, pos: QPoint) -> None:
        row = self._row_at_margin(pos)
        if row is not None:
            p = self.content.passages[row]
            if p.speaker_id is not None:
                self.speaker_clicked.emit(p.speaker_id)

    def margin_tooltip(self, pos: QPoint) -> str:
        row = self._row_at_margin(pos)
        return self.passage_tooltip(row) if row is not None else ""

    def passage_tooltip(self, row: int) -> str:
        """What the margin says of passage ``row`` when hovered: who it is attributed to, and how."""
        p = self.content.passages[row]
        page = f"Page{'s' if p.page_end and p.page_end != p.page else ''} {p.page_label} of the PDF" if p.page else None
        if p.speaker_id is None:
            if p.kind == NOTE:
                return tooltip(f"¶ {p.seq}", "A footnote, kept after the text", page)
            if p.attribution == "corrected-unknown":
                return tooltip(f"¶ {p.seq}", "Someone's words, nobody knows whose", page, CORRECTED_NOTE)
            kind = {"heading": "Heading", "list_item": "List item"}.get(p.kind, "Narration")
            return tooltip(
                f"¶ {p.seq}",
                f"{kind}: the report's own words, attributed to no speaker",
                page,
                CORRECTED_NOTE if p.corrected else None,
            )
        s = self.content.content.speakers.get(p.speaker_id)
        role = self.content.content.roles.get(p.speaker_id)
        how = ATTRIBUTION_NOTES.get(p.attribution or "", "")
        return tooltip(
            f"¶ {p.seq}: {p.speaker_name or (s.name if s else '')}",
            s.affiliation if s else None,
            f"Part in this event: {role}" if role else None,
            f"Attributed because {how}" if how else None,
            page,
            CORRECTED_NOTE if p.corrected else None,
            "Click to show this speaker in the Speakers panel.",
            bold_first=True,
        )

    # ------------------------------------------------------------------ events

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and self.content is not None:
            position = self.cursorForPosition(event.pos()).position()
            located = self.content.locate(position)
            text = ""
            if located is not None:
                quotes = self.content.speech_at(*located)
                if quotes:
                    text = quote_tooltip(quotes, self.content.content)
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def contextMenuEvent(self, event) -> None:
        if event.reason() == event.Reason.Keyboard:
            rect = self.cursorRect()
            point = rect.bottomLeft()
            self.context_menu_requested.emit(self.viewport().mapToGlobal(point), self.textCursor().position())
            return
        # mouse context menus reach a scroll area through its viewport, in viewport coordinates
        position = self.cursorForPosition(event.pos()).position()
        self.context_menu_requested.emit(event.globalPos(), position)

    def createMimeDataFromSelection(self) -> QMimeData:
        """Copy gives the archive's exact text of the selection, never our formatting."""
        mime = QMimeData()
        cursor = self.textCursor()
        if self.content is not None and cursor.hasSelection():
            mime.setText(self.content.text_of(self.content.ranges(cursor.selectionStart(), cursor.selectionEnd())))
        return mime

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return False


LAYER_ORDER = {"speaker": 10, "current": 20, "marks": 30, "quote": 40, "hits": 50}
