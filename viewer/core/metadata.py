"""A document's title, dates, organiser and kind, read from the document itself.

* Title: the first heading, or a short first line; else the format's own title (HTML ``<title>``
  without the site name, a DOCX title, Markdown front matter); else the file name (and we say so).
* Date: a "Date:" line, a date in brackets after the title, an opening like "On 2 May 2019, ...",
  else an HTML ``<time datetime>``. For a report of an event this is the day of the event; a
  publication date ("Published: ...", ``article:published_time``) is kept apart in ``published``,
  and stands in for the date only when the document gives no other (we say so).
* Organiser: an "Organised by:" line, or "organised/hosted/convened by X" and "X held a round table"
  in the opening paragraphs.

The title block and the header lines read into the record (Date, Published, Organiser) are taken out
of the body; everything else stays in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from viewer.core.dates import DATE_RE, find_dates, format_date, parse_range
from viewer.core.extract.segment import Block, split_blocks
from viewer.core.extract.turns import is_turn
from viewer.core.records import HEADING, LIST_ITEM, PARAGRAPH

MAX_TITLE_CHARS = 200

_EVENT_NOUNS = [
    ("round table", "roundtable"),
    ("round-table", "roundtable"),
    ("roundtable", "roundtable"),
    ("hearing", "hearing"),
    ("webinar", "webinar"),
    ("seminar", "seminar"),
    ("conference", "conference"),
    ("debate", "debate"),
    ("discussion", "discussion"),
    ("panel", "panel"),
    ("workshop", "event"),
    ("briefing", "event"),
    ("forum", "event"),
    ("meeting", "event"),
    ("presentation", "event"),
    ("memorial evening", "event"),
    ("commemoration", "event"),
    ("launch", "event"),
    ("event", "event"),
]
_EVENT_ALT = "|".join(re.escape(n) for n, _k in _EVENT_NOUNS)

_FIELD = re.compile(r"^\s*(?P<label>[A-Za-z][A-Za-z ]{1,30}?)\s*:\s*(?P<value>\S.*)$", re.S)
_DATE_LABELS = {"date", "event date", "date of the event", "when", "held on", "dates"}
_PUBLISHED_LABELS = {
    "published",
    "publication date",
    "date of publication",
    "posted",
    "first published",
    "published on",
    "posted on",
}
_ORGANISER_LABELS = {
    "organiser",
    "organizer",
    "organisers",
    "organizers",
    "organised by",
    "organized by",
    "host",
    "hosts",
    "hosted by",
    "convened by",
    "organisation",
    "organization",
}
_OTHER_LABELS = {
    "location",
    "venue",
    "place",
    "where",
    "time",
    "participants",
    "speakers",
    "panel",
    "panelists",
    "panellists",
    "author",
    "authors",
    "by",
    "source",
    "updated",
    "last updated",
    "language",
    "attendees",
    "present",
    "subject",
    "tags",
    "keywords",
    "city",
    "country",
    "format",
}
_HEAD_LABELS = _DATE_LABELS | _PUBLISHED_LABELS | _ORGANISER_LABELS | _OTHER_LABELS
_PUBLISHED_LINE = re.compile(r"^\s*(?:first\s+)?(?:published|posted)(?:\s+on)?\s*:?\s+(?P<value>.+)$", re.I | re.S)
_ORGANISED_BY = re.compile(r"\b(?:co-?)?(?:organi[sz]ed|hosted|convened)\s+by\s+", re.I)
_HELD_BY = re.compile(
    rf"(?:^|[,;]\s+|\.\s+)(?P<org>(?:the\s+)?(?:[A-Z][\w’'&.-]*\s+(?:(?:of|for|and|on|the|in)\s+)*){{0,7}}"
    rf"[A-Z][\w’'&.-]*)\s+(?:held|organi[sz]ed|hosted|convened)\s+(?:a|an|the|its)\s+(?:[\w-]+\s+){{0,3}}?"
    rf"(?:{_EVENT_ALT})\b"
)
_OPENING_ON = re.compile(
    rf"^\s*On\s+(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+)?(?P<date>{DATE_RE.pattern})",
    re.I,
)
_ON_DATE = re.compile(
    rf"\bon\s+(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+)?(?P<date>{DATE_RE.pattern})",
    re.I,
)
_SITE_SEPARATORS = re.compile(r"\s+[|–—·•»]\s+|\s+-\s+")


@dataclass
class DocumentInfo:
    """What a document says about itself; ``body`` is its text without the title and the header
    lines taken into this record; ``notes`` say what was uncertain."""

    title: str
    body: str
    title_source: str = "heading"  # heading | first line | document title | file name
    kind: str = "report"
    date: str | None = None
    date_end: str | None = None
    date_source: str | None = None  # header | title | opening | html | published
    published: str | None = None
    organiser: str | None = None
    notes: list[str] = field(default_factory=list)


def _field(block: Block) -> tuple[str, str] | None:
    if block.kind not in (PARAGRAPH, HEADING) or len(block.text) > 300:
        return None
    m = _FIELD.match(block.text)
    if not m:
        pub = _PUBLISHED_LINE.match(block.text)
        if pub and find_dates(pub.group("value")):
            return "published", pub.group("value").strip()
        return None
    label = m.group("label").strip().lower()
    return (label, m.group("value").strip()) if label in _HEAD_LABELS else None


def date_in(value: str) -> tuple[str, str | None] | None:
    """The date or range a header value gives: "Tuesday, 2–4 May 2019, Vilnius" -> ("2019-05-02", "2019-05-04")."""
    value = value.strip().rstrip(".")
    found = parse_range(value)
    if found:
        return found
    parts = [p.strip() for p in re.split(r"[,;|]", value)]
    for i in range(len(parts)):
        for j in range(len(parts), i, -1):
            found = parse_range(", ".join(parts[i:j]))
            if found:
                return found
    dates = find_dates(value)
    return (dates[0][2], None) if dates else None


def _strip_the(value: str) -> str:
    return re.sub(r"^the\s+", "", value.strip().rstrip("."), flags=re.I).strip()


def _clause(text: str, start: int) -> str:
    """The words from ``start`` up to the end of the clause: a comma, semicolon or full stop outside
    brackets, or "and moderated/chaired/attended by"."""
    depth = 0
    i = start
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif depth == 0:
            if ch in ",;:" or (
                ch == "."
                and (i + 1 >= n or text[i + 1].isspace())
                and not re.search(r"\b(?:Dr|Mr|Mrs|Ms|Prof|St|[A-Z])$", text[start:i])
            ):
                break
            if re.match(
                r"\s+(?:and|with|who|which|to|on|in|at)\s+(?:was\s+|were\s+)?"
                r"(?:moderated|chaired|facilitated|attended|streamed|opened|gathered|\d)",
                text[i:],
            ):
                break
        i += 1
    return text[start:i].strip()


def _organiser_in(text: str) -> str | None:
    m = _ORGANISED_BY.search(text)
    if m:
        value = _strip_the(_clause(text, m.end()))
        if value and value[:1].isupper():
            return value
    m = _HELD_BY.search(text)
    if m:
        org = _strip_the(m.group("org"))
        words = org.split()
        if len(words) >= 2 and all(w[:1].isupper() or w in ("of", "for", "and", "on", "the", "in") for w in words):
            return org
    return None


def _event_kind(*texts: str) -> str | None:
    for text in texts:
        low = text.lower()
        best = None
        for noun, kind in _EVENT_NOUNS:
            m = re.search(rf"\b{re.escape(noun)}\b", low)
            if m and (best is None or m.start() < best[0]):
                best = (m.start(), kind)
        if best:
            return best[1]
    return None


def _clean_site_title(title: str) -> str:
    """ "Lawyers under pressure | Steppe Watch" -> "Lawyers under pressure"."""
    parts = [p.strip() for p in _SITE_SEPARATORS.split(title) if p.strip()]
    if len(parts) > 1:
        return max(parts, key=len)
    return title.strip()


_BYLINE = re.compile(r"^(?:by|written by|text by|автор|авторы)\s*:?\s+[A-ZА-ЯЁ][^\n]{0,120}$", re.I)
_READ_TIME = re.compile(r"\b\d{1,3}\s*(?:min(?:ute)?s?|мин\.?)\s+(?:read|чтения)\b", re.I)
_WEEKDAY = (
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
    r"|понедельник|вторник|среда|четверг|пятница|суббота|воскресенье)"
)
_DATELINE = re.compile(
    rf"^(?:(?P<place>[A-ZА-ЯЁ][\w .’'-]{{1,40}}),\s+)?(?:{_WEEKDAY},?\s+)?(?P<date>{DATE_RE.pattern})"
    rf"(?:\s+(?:года|г\.))?(?:\s*[–—|-]\s*(?P<after>[A-ZА-ЯЁ][\w .’'-]{{1,40}}))?\.?$",
    re.I,
)


def _head_line(block: Block) -> tuple[str, str | None] | None:
    """A line of a document's head that is not text: a byline ("By Marta Quill · 4 min read") or a
    dateline ("Brussels, 3 June 2021", "29.01.2013", "10 января 2023 года"): ("byline", published date or
    None) or ("dateline", date)."""
    text = block.text.strip()
    if block.kind not in (PARAGRAPH, HEADING) or len(text) > 160:
        return None
    if _BYLINE.match(text) and len(text.split()) <= 16 or (_READ_TIME.search(text) and len(text.split()) <= 16):
        dates = find_dates(text)
        return "dateline" if dates else "byline", (dates[0][2] if dates else None)
    m = _DATELINE.match(text)
    if m:
        found = find_dates(m.group("date"))
        if found:
            return "dateline", found[0][2]
    return None


def _subtitle(block: Block) -> bool:
    """A short line under the title that is not a sentence ("Committee on Civil Liberties")."""
    text = block.text.strip()
    return (
        block.kind in (PARAGRAPH, HEADING)
        and len(text.split()) <= 12
        and not re.search(r"[.!?:;,]$", text)
        and not is_turn(text)
        and _FIELD.match(text) is None
    )


def _unglue(title: str) -> tuple[str, str | None]:
    """ "Court upholds sentence | 17 December 2020" -> the title and the date glued to it."""
    parts = [p.strip() for p in _SITE_SEPARATORS.split(title) if p.strip()]
    if len(parts) > 1:
        last = parts[-1]
        dates = find_dates(last)
        if dates and len(last) - (dates[0][1] - dates[0][0]) < 25:
            return title[: title.rfind(last)].rstrip(" |–—·•»-").strip(), dates[0][2]
    return title, None


def _title_line(block: Block) -> bool:
    text = block.text.strip()
    if not text or len(text) > MAX_TITLE_CHARS or len(text.split()) > 25 or "\n" in text:
        return False
    if block.kind == HEADING:
        return True
    if block.kind != PARAGRAPH or is_turn(text):
        return False
    return not re.search(r"[.,;]$|[.!?][”\"’']?$", text)


def _file_title(name: str) -> str:
    stem = re.sub(r"\.[A-Za-z0-9]{1,8}$", "", name)
    words = re.sub(r"[_\s-]+", " ", stem).strip()
    return (words[:1].upper() + words[1:]) if words else "Untitled"


def _join(blocks: list[Block]) -> str:
    out = []
    for b in blocks:
        if b.kind == HEADING:
            out.append(f"# {b.text}")
        elif b.kind == LIST_ITEM:
            out.append(f"- {b.text}")
        else:
            out.append(b.text)
    return "\n\n".join(out) + "\n"


def describe(
    text: str,
    file_name: str = "",
    title_hint: str | None = None,
    published_hint: str | None = None,
    date_hints: list[str] | None = None,
) -> DocumentInfo:
    """Read title, dates, organiser and kind from ``text`` (block text as ``viewer.core.readers``
    gives it); the hints come from the file format."""
    blocks = split_blocks(text)
    notes: list[str] = []
    drop: set[int] = set()
    date = date_end = published = organiser = date_source = None
    title = None
    title_source = "heading"
    # the head of the document: a title and header lines, in any order, before the first prose
    head_end = 0
    for i, b in enumerate(blocks):
        line = _head_line(b)
        if line is not None and (title is not None or i > 0):
            kind, value = line
            if kind == "dateline" and published is None:
                published = value
            drop.add(i)
            head_end = i + 1
            continue
        f = _field(b)
        if f is not None:
            label, value = f
            if label in _DATE_LABELS and date is None:
                found = date_in(value)
                if found:
                    date, date_end = found
                    date_source = "header"
                    drop.add(i)
            elif label in _PUBLISHED_LABELS and published is None:
                found = date_in(value)
                if found:
                    published = found[0]
                    drop.add(i)
            elif label in _ORGANISER_LABELS and organiser is None and len(value) <= 200:
                organiser = _strip_the(value)
                drop.add(i)
            head_end = i + 1
            continue
        if title is not None and i == head_end and i <= 2 and _subtitle(b):
            head_end = i + 1  # a subtitle under the title: kept in the text, the head goes on after it
            continue
        if title is None and i == head_end and _title_line(b):
            title, glued = _unglue(b.text.strip().rstrip(":").strip())
            if glued and published is None:
                published = glued
            title_source = "heading" if b.kind == HEADING else "first line"
            drop.add(i)
            head_end = i + 1
            continue
        break
    if title is None and title_hint:
        title = _clean_site_title(title_hint)
        title_source = "document title"
        for i, b in enumerate(blocks[:3]):
            if b.kind == HEADING and b.text.strip().casefold() == title.casefold():
                drop.add(i)
    if title is None:
        title = _file_title(file_name)
        title_source = "file name"
        notes.append(f"no title in the document; “{title}” is taken from the file name")
    if len(title) > MAX_TITLE_CHARS:
        title = title[:MAX_TITLE_CHARS].rsplit(" ", 1)[0] + "…"
    # "Round table (2 May 2019)": a date in brackets after the title
    m = re.search(r"\s*\(([^()]*)\)\s*$", title)
    if m and parse_range(m.group(1)):
        if date is None:
            date, date_end = parse_range(m.group(1))
            date_source = "title"
        title = title[: m.start()].strip()
    body_blocks = [b for i, b in enumerate(blocks) if i not in drop]
    prose = [b.text for b in body_blocks if b.kind == PARAGRAPH and _field(b) is None][:3]
    if date is None and prose:
        on = _OPENING_ON.match(prose[0]) or _ON_DATE.search(prose[0].split(". ")[0])
        if on:
            found = find_dates(on.group("date"))
            if found:
                date, date_source = found[0][2], "opening"
    if date is None and date_hints:
        date, date_source = date_hints[0], "html"
    if published is None and published_hint:
        published = published_hint
    if date is None and published is not None:
        date, date_source = published, "published"
        notes.append(f"no event date in the document; the publication date ({format_date(published)}) is used")
    elif date is None:
        notes.append("no date in the document")
    if organiser is None:
        for p in prose:
            organiser = _organiser_in(p)
            if organiser:
                break
    kind = _event_kind(title, prose[0] if prose else "") or "report"
    return DocumentInfo(
        title=title,
        body=_join(body_blocks),
        title_source=title_source,
        kind=kind,
        date=date,
        date_end=date_end,
        date_source=date_source,
        published=published,
        organiser=organiser,
        notes=notes,
    )
