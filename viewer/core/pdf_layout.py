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
from collections import Counter
from dataclasses import dataclass, field

HEADING = "heading"
PARAGRAPH = "paragraph"
LIST_ITEM = "list_item"
NOTE = "note"

_TERMINAL = tuple('.!?:;…”"»’)]')
_HYPHENS = ("-", "\u00ad", "\u2010", "\ufffe", "\u2011")
_BULLET = re.compile(r"^(?:[•▪◦●■○∙·\-–—*]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s")
_PAGE_NUMBER = re.compile(
    r"^(?:(?:page|p\.|стр\.?|страница|бет)\s*)?[-–—|]?\s*(?:\d{1,4}|[ivxlcdm]{1,7})\s*[-–—|]?"
    r"(?:\s*(?:of|/|из)\s*\d{1,4})?$",
    re.I,
)
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
    room: float = 0.0  # the last line of a column: the height left below it in the page's text area

    def finish(self) -> Line:
        ws = self.words
        self.x0 = min(w.x0 for w in ws)
        self.x1 = max(w.x1 for w in ws)
        self.size = max(_median_by_length(ws), 0.1)
        low = 0.8 * self.size
        tall = [w for w in ws if w.bottom - w.top >= low] or ws
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


def _median(values: list[float]) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    n = len(values)
    return values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2


def _median_by_length(words: list[Word]) -> float:
    """The size of the line's middle character (a small raised note number does not make it small)."""
    if len(words) == 1:
        return words[0].bottom - words[0].top
    pairs = sorted((w.bottom - w.top, len(w.text)) for w in words)
    half = sum(n for _s, n in pairs) / 2
    seen = 0
    for size, n in pairs:
        seen += n
        if seen >= half:
            return size
    return pairs[-1][0]


def _weighted_mode(pairs) -> float | None:
    """The size that most characters have: ``pairs`` are (size, characters)."""
    counts: dict[float, int] = {}
    for size, n in pairs:
        key = round(size, 1)
        counts[key] = counts.get(key, 0) + n
    return max(counts, key=counts.get) if counts else None


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


def _gutter(rows: list[Line], left: float, right: float) -> float | None:
    """The x of a vertical band of white between columns, or None. It must run through most rows,
    lie in the middle part of [left, right], and have text on both sides in many rows."""
    width = right - left
    if width <= 0 or len(rows) < 6:
        return None
    # a page of one column: most rows run across it without a gap wider than a space
    solid = 0
    for row in rows:
        ws = row.words
        if row.x1 - row.x0 > 0.7 * width:
            wide = 0.6 * row.size
            if not any(b.x0 - a.x1 > wide for a, b in zip(ws, ws[1:])):
                solid += 1
    if solid > 0.5 * len(rows):
        return None
    bins = int(width) + 2
    diff = [0] * (bins + 1)
    for row in rows:  # how many rows have ink at each x: each row's words merged into runs
        start = end = None
        for w in row.words:
            a, b = int(w.x0 - left), int(w.x1 - left)
            if start is None:
                start, end = a, b
            elif a <= end + 1:
                end = max(end, b)
            else:
                diff[max(0, start)] += 1
                diff[min(bins, end + 1)] -= 1
                start, end = a, b
        if start is not None:
            diff[max(0, start)] += 1
            diff[min(bins, end + 1)] -= 1
    cover = []
    running = 0
    for d in diff[:bins]:
        running += d
        cover.append(running)
    lo, hi = int(width * 0.2), int(width * 0.8)
    limit = max(1, len(rows) // 8)
    size = _median([r.size for r in rows])
    best = None
    k = lo
    while k < hi:
        if cover[k] <= limit:
            j = k
            while j < hi and cover[j] <= limit:
                j += 1
            if j - k >= 0.6 * size and (best is None or j - k > best[1] - best[0]):
                best = (k, j)
            k = j
        else:
            k += 1
    if best is None:
        return None
    x = left + (best[0] + best[1]) / 2
    on_left = on_right = clean = 0
    for row in rows:
        has_l = row.words[0].x1 < x
        has_r = row.words[-1].x0 > x
        on_left += has_l
        on_right += has_r
        clean += not any(w.x0 < x < w.x1 for w in row.words)
    if clean < 0.6 * len(rows) or min(on_left, on_right) < 0.25 * len(rows):
        return None
    return x


def read_order(rows: list[Line], depth: int = 0) -> list[Line]:
    """Rows -> lines in reading order: a band of columns is read column by column; a row that
    crosses the gutter (a title, a wide table row) ends the band and is read where it stands."""
    if not rows:
        return []
    page = rows[0].page
    left = min(r.x0 for r in rows)
    right = max(r.x1 for r in rows)
    x = _gutter(rows, left, right) if depth < 2 else None
    if x is None:
        for ln in rows:
            ln.column = (left, right)
        return rows
    out: list[Line] = []
    band_l: list[Line] = []
    band_r: list[Line] = []

    def flush() -> None:
        for part in (band_l, band_r):
            # the rows again, within the column: rows across the page mix the columns' lines,
            # which need not stand at the same heights
            rows_here = [Line(r, page).finish() for r in rows_of([w for ln in part for w in ln.words])]
            lines = read_order(rows_here, depth + 1)
            if lines:
                lines[0].column_start = True
            out.extend(lines)
        band_l.clear()
        band_r.clear()

    for row in rows:
        if any(w.x0 < x < w.x1 for w in row.words):
            flush()
            row.column = (left, right)
            row.column_start = True
            out.append(row)
            continue
        lw = [w for w in row.words if w.x1 <= x]
        rw = [w for w in row.words if w.x0 >= x]
        if lw:
            band_l.append(Line(lw, page))
        if rw:
            band_r.append(Line(rw, page))
    flush()
    return out


# ------------------------------------------------------------------ running headers, footers, page numbers


def _running_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def strip_running(pages: list[list[Line]], heights: list[float], body: float) -> list[list[Line]]:
    """Drops page numbers and running headers and footers: lines at the top or foot of a page whose
    text (digits aside) stands at the same height on several pages, or, after the first page, a small
    line standing apart from the text at the very top or foot (a header a short document prints
    once). Footnotes look alike at the foot of pages too, once their numbers are set aside; a line is
    kept when its number does not move with the page number the way a page number does."""
    zone = 0.12
    places: dict[str, list[tuple[float, int, int | None]]] = {}
    keyed: list[list[tuple[Line, str | None]]] = []
    with_text = sum(1 for p in pages if p)
    for index, (lines, h) in enumerate(zip(pages, heights)):
        marks = []
        for ln in lines:
            where = "top" if ln.bottom < h * zone else "foot" if ln.top > h * (1 - zone) else None
            key = f"{where}|{_running_key(ln.text)}" if where else None
            marks.append((ln, key))
            if key:
                places.setdefault(key, []).append((ln.top, index, _leading_number(ln.text)))
        keyed.append(marks)
    need = max(2, int(0.3 * with_text + 0.5))
    out = []
    for index, marks in enumerate(keyed):
        kept = []
        by_y = sorted(ln.top for ln, _k in marks)
        for ln, key in marks:
            if key and _PAGE_NUMBER.match(ln.text.strip()):
                continue
            if key:
                near = [(i, n) for top, i, n in places[key] if abs(top - ln.top) <= 3]
                if len(near) >= need and _moves_with_pages(near):
                    continue
            if key and index > 0 and ln.size < 0.92 * body and _apart(ln, by_y):
                continue
            kept.append(ln)
        out.append(kept)
    return out


def _leading_number(text: str) -> int | None:
    m = re.match(r"\D{0,12}?(\d{1,4})\b", text)
    return int(m.group(1)) if m else None


def _moves_with_pages(found: list[tuple[int, int | None]]) -> bool:
    """Repeated lines: their first number (if any) is the page's, give or take a fixed offset."""
    numbered = [(i, n) for i, n in found if n is not None]
    if len(numbered) < len(found) or not numbered:
        return not numbered  # text without numbers repeats as it is
    if len(numbered) < 3:  # two numbers agree by chance too often (footnotes 4 and 6 on pages 1 and 3)
        return False
    offsets = Counter(n - i for i, n in numbered)
    return offsets.most_common(1)[0][1] >= 0.8 * len(numbered)


def _apart(ln: Line, tops: list[float]) -> bool:
    """Nothing else within three of its own heights above or below it, and it is the first or last line."""
    others = [t for t in tops if t != ln.top]
    if not others or not (ln.top < min(others) or ln.top > max(others)):
        return False
    return min(abs(t - ln.top) for t in others) > 3 * ln.size


# ------------------------------------------------------------------ footnotes


def split_notes(rows: list[Line], body_size: float) -> tuple[list[Line], list[Line]]:
    """The rows of a page's footnotes (smaller than the body, below every body-size row, the first
    one opening with a number or a mark) apart from the rest."""
    if not rows:
        return rows, []
    k = len(rows)
    while k > 0 and rows[k - 1].size < 0.9 * body_size:
        k -= 1
    if k == len(rows) or k == 0:
        return rows, []
    first = rows[k]
    if not (_NOTE_MARK.match(first.text) or _raised(first.words[0], first)):
        return rows, []
    return rows[:k], rows[k:]


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
    """Takes the small raised note numbers out of body lines (only numbers of notes we found). The
    word before keeps the room the number took, so the line is as long as it was printed."""
    for ln in lines:
        keep: list[Word] = []
        for w in ln.words:
            if _raised(w, ln) and w.text.strip(".,;") in numbers:
                if keep:
                    before = keep[-1]
                    keep[-1] = Word(before.text, before.x0, max(before.x1, w.x1), before.top, before.bottom)
                continue
            keep.append(w)
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
    size = _median([ln.size for ln in lines])
    text = " ".join(ln.text for ln in lines)
    if size >= 1.12 * body and len(lines) <= 3 and len(text) <= 200:
        return HEADING
    if _BULLET.match(text):
        return LIST_ITEM
    return PARAGRAPH


def _room_inside(lines: list[Line], body: float, pitch: float) -> float:
    """How much room the lines inside a paragraph leave at their end, at most (the 99th percentile):
    a line that ends a column with more room than that ended its paragraph."""
    rooms = [
        a.column[1] - a.x1
        for a, b in zip(lines, lines[1:])
        if not b.column_start
        and a.page == b.page
        and abs(a.size - body) < 0.1 * body
        and abs(b.size - body) < 0.1 * body
        and 0 < b.top - a.top <= 1.2 * pitch
    ]
    if len(rooms) < 10:
        return float("inf")
    rooms.sort()
    return rooms[int(0.99 * (len(rooms) - 1))]


def paragraphs(lines: list[Line], body: float, pitch: float) -> list[list[Line]]:
    """Lines in reading order -> paragraphs (lists of lines)."""
    inside = _room_inside(lines, body, pitch)
    out: list[list[Line]] = []
    for ln in lines:
        if not out:
            out.append([ln])
            continue
        prev = out[-1][-1]
        para = out[-1]
        if _new_paragraph(prev, ln, para, body, pitch, inside):
            out.append([ln])
        else:
            para.append(ln)
    return out


def _new_paragraph(prev: Line, ln: Line, para: list[Line], body: float, pitch: float, inside: float) -> bool:
    size_change = abs(ln.size - prev.size) > 0.1 * body
    if size_change:
        return True
    if _BULLET.match(ln.text):
        return True
    ends = prev.text.rstrip().endswith(_TERMINAL)
    if ln.page != prev.page or ln.column_start:
        # a column or page break: the paragraph goes on unless the line before it ended a sentence
        # early (the next word would have fitted after it) or the new column opens indented
        if prev.text.rstrip().endswith(_HYPHENS) or ln.text[:1].islower():
            return False
        if ln.size > 1.12 * body or (ln.x0 - ln.column[0] > 0.8 * ln.size):
            return True
        # the column ended early (a line more would have fitted) or its last line did: the next word
        # would have fitted, or the line is shorter than lines inside paragraphs ever are
        return ends and (prev.room >= 0.98 * pitch or _would_fit(prev, ln) or prev.column[1] - prev.x1 > inside)
    gap = ln.top - prev.top
    if gap > 1.35 * pitch * (ln.size / body) or gap < 0:
        return True
    left = ln.column[0]
    if ln.x0 - left > 0.8 * ln.size and len(para) >= 1 and prev.x0 - left < 0.4 * ln.size:
        return True  # an indented first line
    if _would_fit(prev, ln) and (ends or prev.column[1] - prev.x1 > 0.25 * (prev.column[1] - prev.column[0])):
        return True  # the line ended early: the next word would have fitted after it
    return False


def _would_fit(prev: Line, ln: Line) -> bool:
    """Whether the first word of ``ln`` would have fitted at the end of ``prev``, in its column."""
    first = ln.words[0].x1 - ln.words[0].x0
    return prev.column[1] - prev.x1 > first + 0.5 * prev.size


def blocks_of(lines: list[Line], notes: list[tuple[int, str, list[Line]]]) -> list[Block]:
    """The document's blocks: paragraphs in reading order, then the footnotes."""
    body_lines = [ln for ln in lines if ln.text.strip()]
    if not body_lines and not notes:
        return []
    body = _weighted_mode((ln.size, len(ln.text)) for ln in body_lines) or 10.0
    gaps = [
        b.top - a.top
        for a, b in zip(body_lines, body_lines[1:])
        if a.page == b.page
        and not b.column_start
        and abs(a.size - body) < 0.1 * body
        and abs(b.size - body) < 0.1 * body
        and b.top > a.top
    ]
    pitch = _median(gaps) if gaps else body * 1.2
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


def _set_room(lines: list[Line], note_tops: list[float | None], body: float) -> None:
    """The room below the last line of each column: down to the lowest body line of any page (the
    text area's foot), or to the page's footnotes."""
    foot = max((ln.bottom for ln in lines if abs(ln.size - body) < 0.1 * body), default=0.0)
    for i, ln in enumerate(lines):
        last = i + 1 == len(lines) or lines[i + 1].column_start
        if last:
            notes = note_tops[ln.page - 1] if ln.page - 1 < len(note_tops) else None
            end = foot if notes is None else min(foot, notes - 0.5 * ln.size)
            ln.room = end - ln.bottom


def layout(pages: list[PageWords]) -> tuple[list[Block], list[int]]:
    """Every page's words -> the document's blocks (see the module docstring), and the pages that
    have no text besides running headers, footers and page numbers."""
    as_lines = [[Line(row, p.number).finish() for row in rows_of(p.words)] for p in pages]
    body_size = _weighted_mode((ln.size, len(ln.text)) for lines in as_lines for ln in lines) or 10.0
    kept = strip_running(as_lines, [p.height for p in pages], body_size)
    ordered: list[Line] = []
    notes: list[tuple[int, str, list[Line]]] = []
    bottoms: list[float | None] = []  # where each page's text area ends (above its notes)
    for p, lines in zip(pages, kept):
        rows, note_lines = split_notes(lines, body_size)
        body = read_order(rows)
        if body:
            body[0].column_start = True
        found = note_blocks(note_lines, p.number)
        if found:
            drop_calls(body, {n for n, _ls in found if n})
        notes.extend((p.number, n, ls) for n, ls in found)
        ordered.extend(body)
        bottoms.append(note_lines[0].top if note_lines else None)
    _set_room(ordered, bottoms, body_size)
    empty = [p.number for p, lines in zip(pages, kept) if not any(re.search(r"\w", ln.text) for ln in lines)]
    return blocks_of(ordered, notes), empty
