"""Words placed on PDF pages -> paragraphs in reading order, with the page(s) of each.

The PDF library gives words with their boxes (``Word``); this module does the rest, by geometry
alone:

* words are grouped into rows (vertical overlap), rows into columns where a vertical band of white
  runs through most rows (two or three columns, or one), and each band of columns is read column
  by column;
* running headers and footers (the same text, digits aside, at the top or foot of most pages) and
  page numbers are dropped;
* footnotes (smaller lines below the body at the foot of a page) are kept apart, as notes, and the
  small raised numbers that call them are taken out of the body;
* lines become paragraphs at a larger gap, a change of size, an indented first line or a short line
  ending a sentence; a paragraph interrupted by a column or page break is one paragraph;
* a word hyphenated at the end of a line is joined ("inter-" + "national"), keeping the hyphen
  only when the document writes the word with it elsewhere ("well-known").

Coordinates are points from the top-left corner of the page.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

HEADING = "heading"
PARAGRAPH = "paragraph"
LIST_ITEM = "list_item"
NOTE = "note"

_TERMINAL = tuple(".!?:;…”\"»’)]")
_HYPHENS = ("-", "\u00ad", "\u2010", "\ufffe", "\u2011")
_BULLET = re.compile(r"^(?:[•▪◦●■○∙·\-–—*]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s")
_PAGE_NUMBER = re.compile(
    r"^(?:(?:page|p\.|стр\.?|страница|бет)\s*)?[-–—|]?\s*(?:\d{1,4}|[ivxlcdm]{1,7})\s*[-–—|]?"
    r"(?:\s*(?:of|/|из)\s*\d{1,4})?$", re.I)
_NOTE_MARK = re.compile(r"^(\d{1,3}|[*†‡§]{1,3})(?:[.)]\s*|\s+|(?=[A-Za-zА-Яа-яЁё“\"(]))")


@dataclass(slots=True)
class Word:
    """A run of characters without a space: its text and loose box (the font's ascent to descent)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def size(self) -> float:
        return self.bottom - self.top


@dataclass
class Line:
    words: list[Word]
    page: int
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    size: float = 0.0
    text: str = ""
    column: tuple[float, float] = (0.0, 0.0)  # the left and right edge of the column it is in
    column_start: bool = False  # the first line of a column (or page)

    def finish(self) -> Line:
        ws = self.words
        self.x0 = min(w.x0 for w in ws)
        self.x1 = max(w.x1 for w in ws)
        body = [w for w in ws if w.size > 0] or ws
        self.size = max(statistics.median(w.size for w in body), 0.1)
        tall = [w for w in body if w.size >= 0.8 * self.size] or body
        self.top = min(w.top for w in tall)
        self.bottom = max(w.bottom for w in tall)
        self.text = _join_words(ws, self.size)
        return self


@dataclass
class Block:
    """A paragraph, heading, list item or note, with the pages it is on."""

    text: str
    kind: str
    page: int
    page_end: int


@dataclass
class PageWords:
    number: int  # 1-based
    width: float
    height: float
    words: list[Word] = field(default_factory=list)


def _join_words(words: list[Word], size: float) -> str:
    out: list[str] = []
    prev = None
    for w in words:
        if prev is not None and w.x0 - prev.x1 > 0.12 * size:
            out.append(" ")
        out.append(w.text)
        prev = w
    return "".join(out)


# ------------------------------------------------------------------ rows and columns


def rows_of(words: list[Word]) -> list[list[Word]]:
    """Words grouped into rows: a word joins the row its vertical middle falls inside."""
    rows: list[list[Word]] = []
    bands: list[tuple[float, float]] = []
    for w in sorted(words, key=lambda w: (w.bottom, w.x0)):
        mid = (w.top + w.bottom) / 2
        placed = False
        for i in range(len(rows) - 1, max(-1, len(rows) - 4), -1):  # only the last few rows can match
            top, bottom = bands[i]
            if top <= mid <= bottom:
                rows[i].append(w)
                placed = True
                break
        if not placed:
            rows.append([w])
            bands.append((w.top, w.bottom))
    for r in rows:
        r.sort(key=lambda w: w.x0)
    return rows


def _gutter(rows: list[list[Word]], left: float, right: float) -> float | None:
    """The x of a vertical band of white between columns, or None. It must run through most rows,
    lie in the middle part of [left, right], and have text on both sides in many rows."""
    width = right - left
    if width <= 0 or len(rows) < 6:
        return None
    bins = int(width) + 1
    cover = [0] * bins
    for row in rows:
        seen = bytearray(bins)
        for w in row:
            a = max(0, int(w.x0 - left))
            b = min(bins - 1, int(w.x1 - left))
            for k in range(a, b + 1):
                if not seen[k]:
                    seen[k] = 1
                    cover[k] += 1
    lo, hi = int(width * 0.2), int(width * 0.8)
    best = None
    limit = max(1, len(rows) // 8)
    k = lo
    while k < hi:
        if cover[k] <= limit:
            j = k
            while j < hi and cover[j] <= limit:
                j += 1
            size = statistics.median(w.size for row in rows for w in row)
            if j - k >= 0.6 * size and (best is None or j - k > best[1] - best[0]):
                best = (k, j)
            k = j
        else:
            k += 1
    if best is None:
        return None
    x = left + (best[0] + best[1]) / 2
    both = sum(1 for row in rows if any(w.x1 < x for w in row) and any(w.x0 > x for w in row))
    sides = sum(1 for row in rows if all(w.x1 < x for w in row)) + sum(1 for row in rows if all(w.x0 > x for w in row))
    if both + sides < 0.6 * len(rows) or min(
            sum(1 for row in rows if any(w.x1 < x for w in row)),
            sum(1 for row in rows if any(w.x0 > x for w in row))) < 0.25 * len(rows):
        return None
    return x


def read_order(rows: list[list[Word]], page: int, depth: int = 0) -> list[Line]:
    """Rows -> lines in reading order: a band of columns is read column by column; a row that
    crosses the gutter (a title, a wide table row) ends the band and is read where it stands."""
    if not rows:
        return []
    left = min(w.x0 for row in rows for w in row)
    right = max(w.x1 for row in rows for w in row)
    x = _gutter(rows, left, right) if depth < 2 else None
    if x is None:
        lines = [Line(row, page).finish() for row in rows]
        for ln in lines:
            ln.column = (left, right)
        return lines
    out: list[Line] = []
    band_l: list[list[Word]] = []
    band_r: list[list[Word]] = []

    def flush() -> None:
        for part in (band_l, band_r):
            lines = read_order(part, page, depth + 1)
            if lines:
                lines[0].column_start = True
            out.extend(lines)
        band_l.clear()
        band_r.clear()

    for row in rows:
        if any(w.x0 < x < w.x1 for w in row):
            flush()
            ln = Line(row, page).finish()
            ln.column = (left, right)
            ln.column_start = True
            out.append(ln)
            continue
        lw = [w for w in row if w.x1 <= x]
        rw = [w for w in row if w.x0 >= x]
        if lw:
            band_l.append(lw)
        if rw:
            band_r.append(rw)
    flush()
    return out


# ------------------------------------------------------------------ running headers, footers, page numbers


def _running_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def strip_running(pages: list[list[Line]], heights: list[float], body: float) -> list[list[Line]]:
    """Drops page numbers and running headers and footers: lines at the top or foot of a page whose
    text (digits aside) is there on several pages, or, after the first page, a small line standing
    apart from the text at the very top or foot (a header a short document prints only once)."""
    zone = 0.12
    counts: Counter = Counter()
    keyed: list[list[tuple[Line, str | None]]] = []
    with_text = sum(1 for p in pages if p)
    for lines, h in zip(pages, heights):
        marks = []
        for ln in lines:
            where = "top" if ln.bottom < h * zone else "foot" if ln.top > h * (1 - zone) else None
            marks.append((ln, f"{where}|{_running_key(ln.text)}" if where else None))
        for key in {k for _ln, k in marks if k}:
            counts[key] += 1
        keyed.append(marks)
    need = max(2, int(0.3 * with_text + 0.5))
    out = []
    for index, marks in enumerate(keyed):
        kept = []
        by_y = sorted(ln.top for ln, _k in marks)
        for ln, key in marks:
            if key and (counts[key] >= need or _PAGE_NUMBER.match(ln.text.strip())):
                continue
            if key and index > 0 and ln.size < 0.92 * body and _apart(ln, by_y):
                continue
            kept.append(ln)
        out.append(kept)
    return out


def _apart(ln: Line, tops: list[float]) -> bool:
    """Nothing else within three of its own heights above or below it, and it is the first or last line."""
    others = [t for t in tops if t != ln.top]
    if not others or not (ln.top < min(others) or ln.top > max(others)):
        return False
    return min(abs(t - ln.top) for t in others) > 3 * ln.size


# ------------------------------------------------------------------ footnotes


def split_notes(rows: list[list[Word]], body_size: float, page: int) -> tuple[list[list[Word]], list[Line]]:
    """The rows of a page's footnotes (smaller than the body, below every body-size row, the first
    one opening with a number or a mark) apart from the rest."""
    if not rows:
        return rows, []
    sizes = [statistics.median(w.size for w in r) for r in rows]
    small = [s < 0.9 * body_size for s in sizes]
    k = len(rows)
    while k > 0 and small[k - 1]:
        k -= 1
    if k == len(rows) or k == 0:
        return rows, []
    notes = [Line(r, page).finish() for r in rows[k:]]
    first = notes[0]
    if not (_NOTE_MARK.match(first.text) or _raised(first.words[0], first)):
        return rows, []
    return rows[:k], notes


def _raised(w: Word, line: Line) -> bool:
    return w.size < 0.8 * line.size and w.bottom < line.bottom - 0.15 * line.size


def note_blocks(notes: list[Line], page: int) -> list[tuple[str, list[Line]]]:
    """Note lines -> (number, lines) for each footnote."""
    out: list[tuple[str, list[Line]]] = []
    for ln in notes:
        first = ln.words[0]
        mark = _NOTE_MARK.match(ln.text)
        if _raised(first, ln) or (mark and (not out or ln.x0 <= out[-1][1][0].x0 + 2)):
            number = first.text if _raised(first, ln) else mark.group(1)
            out.append((number, [ln]))
        elif out:
            out[-1][1].append(ln)
        else:
            out.append(("", [ln]))
    return out


def drop_calls(lines: list[Line], numbers: set[str]) -> None:
    """Takes the small raised note numbers out of body lines (only numbers of notes we found)."""
    for ln in lines:
        keep = [w for w in ln.words if not (_raised(w, ln) and w.text.strip(".,;") in numbers)]
        if len(keep) != len(ln.words) and keep:
            ln.words = keep
            ln.finish()


# ------------------------------------------------------------------ paragraphs


def _vocabulary(lines: list[Line]) -> Counter:
    words: Counter = Counter()
    for ln in lines:
        for w in ln.text.split()[:-1] if ln.text.endswith(_HYPHENS) else ln.text.split():
            words[w.strip(".,;:!?()[]“”\"'«»’‘").lower()] += 1
    return words


def _join_lines(lines: list[Line], vocabulary: Counter) -> str:
    text = ""
    for ln in lines:
        t = ln.text.strip()
        if not text:
            text = t
            continue
        if text.endswith(_HYPHENS) and t[:1].islower():
            head = re.search(r"(\w+)[-\u00ad\u2010\ufffe\u2011]$", text)
            tail = re.match(r"\w+", t)
            keep = False
            if head and tail and text[-1] != "\u00ad":
                joined = (head.group(1) + tail.group(0)).lower()
                hyphened = f"{head.group(1)}-{tail.group(0)}".lower()
                keep = vocabulary[hyphened] > 0 and vocabulary[joined] == 0
            text = (text[:-1] + "-" + t) if keep else (text[:-1] + t)
        elif text.endswith(("—", "/")):
            text += t
        else:
            text += " " + t
    return text.replace("\ufffe", "-")


def _kind(lines: list[Line], body: float) -> str:
    size = statistics.median(ln.size for ln in lines)
    text = " ".join(ln.text for ln in lines)
    if size >= 1.12 * body and len(lines) <= 3 and len(text) <= 200:
        return HEADING
    if _BULLET.match(text):
        return LIST_ITEM
    return PARAGRAPH


def paragraphs(lines: list[Line], body: float, pitch: float) -> list[list[Line]]:
    """Lines in reading order -> paragraphs (lists of lines)."""
    out: list[list[Line]] = []
    for ln in lines:
        if not out:
            out.append([ln])
            continue
        prev = out[-1][-1]
        para = out[-1]
        if _new_paragraph(prev, ln, para, body, pitch):
            out.append([ln])
        else:
            para.append(ln)
    return out


def _new_paragraph(prev: Line, ln: Line, para: list[Line], body: float, pitch: float) -> bool:
    size_change = abs(ln.size - prev.size) > 0.1 * body
    if size_change:
        return True
    if _BULLET.match(ln.text):
        return True
    ends = prev.text.rstrip().endswith(_TERMINAL)
    if ln.page != prev.page or ln.column_start:
        # a column or page break: the paragraph goes on unless the last one ended a sentence
        if prev.text.rstrip().endswith(_HYPHENS) or ln.text[:1].islower():
            return False
        return ends or ln.size > 1.12 * body
    gap = ln.top - prev.top
    if gap > 1.35 * pitch * (ln.size / body) or gap < 0:
        return True
    left = ln.column[0]
    if ln.x0 - left > 0.8 * ln.size and len(para) >= 1 and prev.x0 - left < 0.4 * ln.size:
        return True  # an indented first line
    room = ln.column[1] - prev.x1
    first = ln.words[0].x1 - ln.words[0].x0
    if room > first + 0.5 * prev.size and (ends or room > 0.25 * (ln.column[1] - ln.column[0])):
        return True  # the line ended early: the next word would have fitted after it
    return False


def blocks_of(lines: list[Line], notes: list[tuple[int, str, list[Line]]]) -> list[Block]:
    """The document's blocks: paragraphs in reading order, then the footnotes."""
    body_lines = [ln for ln in lines if ln.text.strip()]
    if not body_lines and not notes:
        return []
    sizes = Counter(round(ln.size, 1) for ln in body_lines for _ in range(len(ln.text)))
    body = sizes.most_common(1)[0][0] if sizes else 10.0
    gaps = [b.top - a.top for a, b in zip(body_lines, body_lines[1:])
            if a.page == b.page and not b.column_start and abs(a.size - body) < 0.1 * body
            and abs(b.size - body) < 0.1 * body and b.top > a.top]
    pitch = statistics.median(gaps) if gaps else body * 1.2
    vocabulary = _vocabulary(body_lines + [ln for _p, _n, ls in notes for ln in ls])
    out: list[Block] = []
    for para in paragraphs(body_lines, body, pitch):
        text = _join_lines(para, vocabulary)
        if not re.search(r"\w", text):
            continue
        kind = _kind(para, body)
        if kind == LIST_ITEM:
            text = _BULLET.sub("", text, count=1).strip() if text[:1] in "•▪◦●■○∙·*–—" else text
        out.append(Block(" ".join(text.split()), kind, para[0].page, para[-1].page))
    for page, number, note_lines in notes:
        text = _join_lines(note_lines, vocabulary)
        if number and not text.startswith(number):
            text = f"{number} {text}"
        if re.search(r"\w", text):
            out.append(Block(" ".join(text.split()), NOTE, page, note_lines[-1].page))
    return out


def layout(pages: list[PageWords]) -> tuple[list[Block], list[int]]:
    """Every page's words -> the document's blocks (see the module docstring), and the pages that
    have no text besides running headers, footers and page numbers."""
    all_sizes = Counter(round(w.size, 1) for p in pages for w in p.words for _ in range(len(w.text)))
    body_size = all_sizes.most_common(1)[0][0] if all_sizes else 10.0
    page_rows = [rows_of(p.words) for p in pages]
    as_lines = [[Line(r, p.number).finish() for r in rows] for p, rows in zip(pages, page_rows)]
    kept = strip_running(as_lines, [p.height for p in pages], body_size)
    ordered: list[Line] = []
    notes: list[tuple[int, str, list[Line]]] = []
    for p, lines in zip(pages, kept):
        rows, note_lines = split_notes([ln.words for ln in lines], body_size, p.number)
        body = read_order(rows, p.number)
        if body:
            body[0].column_start = True
        found = note_blocks(note_lines, p.number)
        if found:
            drop_calls(body, {n for n, _ls in found if n})
        notes.extend((p.number, n, ls) for n, ls in found)
        ordered.extend(body)
    empty = [p.number for p, lines in zip(pages, kept) if not any(re.search(r"\w", ln.text) for ln in lines)]
    return blocks_of(ordered, notes), empty
