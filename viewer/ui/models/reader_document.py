"""A document's passages laid out as a QTextDocument, one block per passage, and the exact maps
between text positions in that document and (passage, offset) in ``passage.text``.

Offsets in the archive are Python string indexes (code points); Qt counts UTF-16 code units, so a
character outside the Basic Multilingual Plane (an emoji, 𝔘) takes two positions in Qt and one in
Python. Line breaks inside a passage are shown as line separators (one code unit each, like the
characters they replace), so every passage stays one block and every offset keeps its meaning.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field

from PySide6.QtGui import QTextBlockFormat, QTextCharFormat, QTextCursor, QTextDocument, QTextListFormat

from viewer.core.records import HEADING, LIST_ITEM, QUOTE, Document, Passage, Quote, Speaker

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_BREAKS = str.maketrans({"\n": "\u2028", "\r": "\u2028", "\u2029": "\u2028"})

Range = tuple[int, int, int]  # (passage id, start, end) in passage.text offsets


def display_text(text: str) -> str:
    """The passage text as it goes into the QTextDocument: same length, no block breaks."""
    return text.translate(_BREAKS)


def to_utf16(text: str, index: int) -> int:
    """UTF-16 offset of the Python index ``index`` in ``text``."""
    if index <= 0:
        return 0
    return index + len(_ASTRAL.findall(text, 0, index))


def from_utf16(text: str, offset: int) -> int:
    """Python index of UTF-16 ``offset`` in ``text`` (inside a surrogate pair: the character's start)."""
    if offset <= 0:
        return 0
    if not _ASTRAL.search(text):
        return min(offset, len(text))
    units = 0
    for i, ch in enumerate(text):
        width = 2 if ord(ch) > 0xFFFF else 1
        if units + width > offset:
            return i
        units += width
    return len(text)


@dataclass(frozen=True)
class ReaderContent:
    """Everything the reader shows for one document, read in one go off the UI thread."""

    document: Document
    passages: list[Passage]
    quotes: list[Quote] = field(default_factory=list)  # every kind; only QUOTE is someone's words
    speakers: dict[int, Speaker] = field(default_factory=dict)
    roles: dict[int, str] = field(default_factory=dict)  # speaker id -> part in this event
    listed_in: Passage | None = None  # for a document without text: the passage that lists it
    listed_in_document: Document | None = None


def load_content(archive, document_id: int | None = None, slug: str | None = None) -> ReaderContent | None:
    """Read a document for the reader (runs on a worker with its own connection). With neither
    ``document_id`` nor a known ``slug``: the first document that has text."""
    document = None
    if document_id is not None:
        document = archive.document(document_id)
    elif slug:
        document = archive.document(slug)
    if document is None and document_id is None:
        document = first_document_with_text(archive)
    if document is None:
        return None
    if not document.has_text:
        listed_in = archive.listed_in(document.id)
        listed_doc = archive.document(listed_in.document_id) if listed_in is not None else None
        return ReaderContent(document, [], listed_in=listed_in, listed_in_document=listed_doc)
    passages = archive.passages(document.id)
    quotes = archive.quotes(document_id=document.id, kinds=None)
    speakers = {s.id: s for s in archive.speakers(document.id)}
    roles = archive.event_roles_in(document.id)
    return ReaderContent(document, passages, quotes, speakers, roles)


def first_document_with_text(archive) -> Document | None:
    for name, _count, with_text in archive.collections():
        if with_text:
            docs = archive.documents_in(name, 0, 1)  # documents with text come first in a collection
            if docs and docs[0].has_text:
                return docs[0]
    return None


class ReaderStyle:
    """The formats a ReaderDocument is built with (made by the view from its palette and font)."""

    def __init__(self):
        self.paragraph = QTextBlockFormat()
        self.narration = QTextBlockFormat()
        self.heading = QTextBlockFormat()
        self.list_item = QTextBlockFormat()
        self.text = QTextCharFormat()
        self.heading_text = QTextCharFormat()
        self.list_format = QTextListFormat()

    def quote_format(self, quote: Quote) -> QTextCharFormat:  # pragma: no cover - replaced by the view
        return QTextCharFormat()


class ReaderDocument:
    """Builds ``doc`` from ``content`` in slices (``build(n)``) and maps positions both ways."""

    def __init__(self, content: ReaderContent, style: ReaderStyle, font=None):
        self.content = content
        self.style = style
        self.doc = QTextDocument()
        self.doc.setUndoRedoEnabled(False)
        if font is not None:
            self.doc.setDefaultFont(font)
        self.passages = content.passages
        self.row_by_id = {p.id: row for row, p in enumerate(self.passages)}
        self.block_positions: list[int] = []  # document position of each built passage's block
        self._speech: dict[int, list[Quote]] = defaultdict(list)  # row -> direct quotes, outer first
        self._spans: dict[int, list[Quote]] = defaultdict(list)  # row -> names, titles, terms
        for q in content.quotes:
            row = self.row_by_id.get(q.passage_id)
            if row is not None:
                (self._speech if q.kind == QUOTE else self._spans)[row].append(q)
        for quotes in self._speech.values():
            quotes.sort(key=lambda q: (q.start, -q.end, q.id))
        self._astral = [bool(_ASTRAL.search(p.text)) for p in self.passages]
        self._list = None
        self._cursor = QTextCursor(self.doc)

    @property
    def built(self) -> int:
        return len(self.block_positions)

    @property
    def done(self) -> bool:
        return self.built >= len(self.passages)

    def build(self, count: int) -> int:
        """Lay out up to ``count`` more passages; returns how many are built."""
        cursor = self._cursor
        stop = min(len(self.passages), self.built + count)
        for row in range(self.built, stop):
            p = self.passages[row]
            block_format, char_format = self._formats(p)
            if row == 0:
                cursor.setBlockFormat(block_format)
                cursor.setBlockCharFormat(char_format)
            else:
                cursor.insertBlock(block_format, char_format)
            block = cursor.block()
            block.setUserState(row)
            start = block.position()
            cursor.insertText(display_text(p.text), char_format)
            if p.kind == LIST_ITEM:
                if self._list is None:
                    self._list = cursor.createList(self.style.list_format)
                else:
                    self._list.add(cursor.block())
            else:
                self._list = None
            self.block_positions.append(start)
            self._format_quotes(row, start)
        return self.built

    def _formats(self, p: Passage) -> tuple[QTextBlockFormat, QTextCharFormat]:
        if p.kind == HEADING:
            return self.style.heading, self.style.heading_text
        if p.kind == LIST_ITEM:
            return self.style.list_item, self.style.text
        if p.speaker_id is None:
            return self.style.narration, self.style.text
        return self.style.paragraph, self.style.text

    def _format_quotes(self, row: int, block_start: int) -> None:
        quotes = self._speech.get(row)
        if not quotes:
            return
        c = QTextCursor(self.doc)
        for q in quotes:  # outer quotes first, so the ones inside them keep their own look
            c.setPosition(self.position(row, q.start))
            c.setPosition(self.position(row, q.end), QTextCursor.MoveMode.KeepAnchor)
            c.mergeCharFormat(self.style.quote_format(q))

    # ------------------------------------------------------------------ maps

    def position(self, row: int, offset: int) -> int:
        """Document position of ``passage.text[offset]`` in passage ``row`` (which must be built)."""
        text = self.passages[row].text
        offset = max(0, min(offset, len(text)))
        return self.block_positions[row] + (to_utf16(text, offset) if self._astral[row] else offset)

    def row_at(self, position: int) -> int | None:
        """The passage row whose block holds ``position`` (its end counts as inside)."""
        if not self.block_positions or position < 0:
            return None
        row = bisect_right(self.block_positions, position) - 1
        return row if 0 <= row < self.built else None

    def locate(self, position: int) -> tuple[int, int] | None:
        """(row, offset in passage.text) of a document position."""
        row = self.row_at(position)
        if row is None:
            return None
        text = self.passages[row].text
        units = position - self.block_positions[row]
        offset = from_utf16(text, units) if self._astral[row] else min(units, len(text))
        return row, offset

    def ranges(self, start: int, end: int) -> list[Range]:
        """The selection between two document positions as (passage id, start, end), non-empty parts only."""
        if end < start:
            start, end = end, start
        a, b = self.locate(start), self.locate(end)
        if a is None or b is None:
            return []
        out = []
        for row in range(a[0], b[0] + 1):
            s = a[1] if row == a[0] else 0
            e = b[1] if row == b[0] else len(self.passages[row].text)
            if e > s:
                out.append((self.passages[row].id, s, e))
        return out

    def text_of(self, ranges: list[Range]) -> str:
        """The exact archive text of ``ranges``, passages separated by a blank line."""
        parts = []
        for pid, s, e in ranges:
            row = self.row_by_id.get(pid)
            if row is not None:
                parts.append(self.passages[row].text[s:e])
        return "\n\n".join(parts)

    def speech_at(self, row: int, offset: int) -> list[Quote]:
        """Direct quotes containing ``offset`` of passage ``row``, outermost first."""
        return [q for q in self._speech.get(row, ()) if q.start <= offset < q.end]

    def speech_in(self, row: int) -> list[Quote]:
        return list(self._speech.get(row, ()))

    def quote_row(self, quote: Quote) -> int | None:
        return self.row_by_id.get(quote.passage_id)
