"""The user's bookmarks: their own data, in their own store, never written into the archive.

A bookmark is a direct quote (by id) or any selection in a passage (passage + offsets). It keeps a
snapshot of the words and of their attribution (speaker, who relayed them, role, document title and
date, ¶ number, and whether the words are a quote, the report's paraphrase of a speaker or narration:
``Bookmark.words``), so it can always be shown and cited as it was made, and it is anchored by content
(document slug, passage sequence, offsets and a hash of the words) so that it maps back onto a
rebuilt archive whose ids changed. ``Resolver`` does that mapping; when the words are no longer
where they were, or the archive now attributes them to someone else, the bookmark is "changed in
the archive" and is shown with its snapshot, never silently on different words.

The store (``BookmarkStore``) is an SQLite file in the user's data folder, kept the way every store of
the user's own data is (``viewer.core.userstore``: WAL, ``synchronous=FULL``, one transaction per change,
a busy timeout, checked on open, a damaged file moved aside and the newest good backup restored, one
verified backup a day).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sqlite3
import uuid
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from pathlib import Path

from viewer.core.citation import (
    NARRATION, PARAPHRASE, QUOTE as QUOTE_WORDS, WORDS, Citation, cite_quote, cite_selection, enclosing_quote,
    legacy_words,
)
from viewer.core.dates import format_range
from viewer.core.errors import DataDamaged
from viewer.core.records import QUOTE, Passage, Quote, page_label
from viewer.core.text import fold
from viewer.core.userstore import (  # noqa: F401 (BACKUP_DIR, DAMAGED_DIR, Recovery, now_iso: re-exported)
    BACKUP_DIR, BUSY_TIMEOUT_MS, DAMAGED_DIR, Connected, Damaged, Recovery, StoreError, StoreKind,
    StoreTooNewError, UserStore, now_iso,
)
from viewer.core.userstore import store_error
from viewer.core.userstore import verify as verify_store

APPLICATION_ID = 0x41566231  # "AVb1": an Archive Viewer bookmark store
STORE_VERSION = 1
STORE_NAME = "bookmarks.db"
EXPORT_FORMAT = "archive-viewer-bookmarks"
MAX_ID = 2**31 - 1  # ids go past no Qt int; a store whose ids went past it is renumbered on open

QUOTE_KIND = "quote"
SELECTION_KIND = "selection"
KINDS = (QUOTE_KIND, SELECTION_KIND)

# Colour names (what the CLI takes and the store keeps) and how the UI paints them.
COLOURS: dict[str, str] = {
    "yellow": "#ffe066",
    "green": "#a9e5a0",
    "blue": "#a5d8ff",
    "pink": "#ffc2d9",
    "orange": "#ffc078",
    "purple": "#d5c4ff",
}
DEFAULT_COLOUR = "yellow"

# Where a bookmark stands in an archive (``Resolution.status``).
OK = "ok"                  # the words are where they were
MOVED = "moved"            # the same words, same speaker, at another place of the document
CHANGED = "changed"        # the words or their attribution changed in the archive
MISSING = "missing"        # the document is not in this archive
UNRESOLVED = "unresolved"  # no archive to look in
STATUS_LABELS = {
    OK: "", MOVED: "moved in the archive", CHANGED: "changed in the archive",
    MISSING: "not in this archive", UNRESOLVED: "archive not open",
}

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE bookmarks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    uid TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('quote', 'selection')),
    text TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    document_slug TEXT NOT NULL,
    document_title TEXT NOT NULL,
    document_date TEXT,
    document_date_end TEXT,
    publisher TEXT NOT NULL DEFAULT '',
    paragraph INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    speaker TEXT NOT NULL DEFAULT '',
    relayer TEXT NOT NULL DEFAULT '',
    attribution TEXT NOT NULL DEFAULT '',
    affiliation TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL DEFAULT '',
    organisation TEXT NOT NULL DEFAULT '',
    page INTEGER,
    page_end INTEGER,
    url TEXT NOT NULL DEFAULT '',
    passage_id INTEGER,
    quote_id INTEGER,
    note TEXT NOT NULL DEFAULT '',
    colour TEXT NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    words TEXT NOT NULL DEFAULT ''
);
CREATE TABLE tags (
    bookmark_id INTEGER NOT NULL REFERENCES bookmarks(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    tag TEXT NOT NULL,
    PRIMARY KEY (bookmark_id, position)
);
CREATE INDEX bookmarks_document ON bookmarks(document_slug, paragraph);
CREATE INDEX bookmarks_created ON bookmarks(created, id);
CREATE INDEX tags_tag ON tags(tag COLLATE NOCASE);
"""
_EXPECTED_COLUMNS = {
    "meta": {"key", "value"},
    "bookmarks": {
        "id", "uid", "kind", "text", "text_hash", "document_slug", "document_title", "document_date",
        "document_date_end", "publisher", "paragraph", "start", "end", "speaker", "relayer", "attribution",
        "affiliation", "role", "organisation", "passage_id", "quote_id", "note", "colour", "created", "updated",
    },
    "tags": {"bookmark_id", "position", "tag"},
}
# Columns added after stores were made with the expected ones above; ``_add_columns`` adds them to an
# older store when it is opened (an older version of the app ignores them).
_ADDED_COLUMNS = {"page": "INTEGER", "page_end": "INTEGER", "url": "TEXT NOT NULL DEFAULT ''",
                  "words": "TEXT NOT NULL DEFAULT ''"}
_COLUMNS = [
    "id", "uid", "kind", "text", "text_hash", "document_slug", "document_title", "document_date",
    "document_date_end", "publisher", "paragraph", "start", "end", "speaker", "relayer", "attribution",
    "affiliation", "role", "organisation", "passage_id", "quote_id", "note", "colour", "created", "updated",
    *_ADDED_COLUMNS,
]
_SELECT = "SELECT " + ", ".join(f'"{c}"' for c in _COLUMNS) + " FROM bookmarks"

_NOTE_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff]")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_TAG_SPACE_RE = re.compile(r"\s+")


# ---------------------------------------------------------------------------------------- errors


class BookmarkError(StoreError):
    """The bookmarks cannot be read or saved. ``message`` is one plain line for the user."""


class BookmarkNotFound(BookmarkError):
    pass


class StoreTooNew(BookmarkError, StoreTooNewError):
    pass


class ImportFailed(BookmarkError):
    pass


# ---------------------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Bookmark:
    """A saved quote or selection with its snapshot. ``passage_id``/``quote_id`` are the ids in the
    archive it was made in (hints only: ids change when the archive is rebuilt; see ``Resolver``).
    ``attribution``/``affiliation`` are the citation's speaker and affiliation as they were (the clean
    name; "X, quoted by Y" for relayed words); ``speaker`` is who said the words, ``relayer`` who
    relayed them (relayed quotes); ``words`` is what the words are: ``quote`` (a speaker's own),
    ``paraphrase`` (the report's words about what ``speaker`` said) or ``narration`` (the report's own)."""

    kind: str
    text: str
    document_slug: str
    document_title: str
    paragraph: int
    start: int
    end: int
    id: int | None = None
    uid: str = ""
    text_hash: str = ""
    document_date: str | None = None
    document_date_end: str | None = None
    publisher: str = ""
    speaker: str = ""
    relayer: str = ""
    attribution: str = ""
    affiliation: str = ""
    role: str = ""
    organisation: str = ""
    passage_id: int | None = None
    quote_id: int | None = None
    note: str = ""
    tags: tuple[str, ...] = ()
    colour: str = DEFAULT_COLOUR
    created: str = ""
    updated: str = ""
    page: int | None = None  # the page(s) of the words, in a document with pages
    page_end: int | None = None
    url: str = ""  # the address of the document (an imported web page)
    words: str = ""

    def __post_init__(self):
        if self.words not in WORDS:  # saved before bookmarks said what their words are
            words, attribution = legacy_words(self.kind, self.attribution, self.speaker)
            object.__setattr__(self, "words", words)
            object.__setattr__(self, "attribution", attribution)

    @property
    def is_quote(self) -> bool:
        """The words are a speaker's own (the only words ever put in quotation marks)."""
        return self.words == QUOTE_WORDS

    @property
    def date_label(self) -> str:
        return format_range(self.document_date, self.document_date_end)

    @property
    def page_label(self) -> str:
        return page_label(self.page, self.page_end)

    @property
    def colour_hex(self) -> str:
        return COLOURS.get(self.colour, COLOURS[DEFAULT_COLOUR])

    def citation(self) -> Citation:
        """The citation as it was when the bookmark was made (with ``at``'s ¶ when it was given)."""
        return Citation(
            text=self.text, speaker=self.attribution, affiliation=self.affiliation, title=self.document_title,
            publisher=self.publisher, date=self.date_label, paragraph=str(self.paragraph),
            page=self.page_label, url=self.url, words=self.words,
        )

    def attribution_line(self) -> str:
        """Who said it and where, without the words: "Peter Burian, EU Special ..., ¶ 4"; the report's
        words say so: "the report, paraphrasing Yevgeniy Zhovtis, …, ¶ 6" or "the report, …, ¶ 3"."""
        who = self.attribution
        if self.words == PARAPHRASE and who:
            who = f"the report, paraphrasing {who}"
        elif self.words != QUOTE_WORDS:
            who = "the report"
        parts = [who, self.affiliation if self.words != NARRATION else "",
                 f"“{self.document_title}”" if self.document_title else "", self.publisher, self.date_label,
                 f"p. {self.page_label}" if self.page_label else "", f"¶ {self.paragraph}", self.url]
        return ", ".join(p for p in parts if p)

    def at(self, resolution: Resolution | None) -> Bookmark:
        """The bookmark where its words are now: the ¶ and offsets of ``resolution`` when it found them
        (a rebuilt archive may have moved them: every citation and export then gives the new ¶), else
        as it was made."""
        if resolution is None or not resolution.found or resolution.paragraph is None:
            return self
        moved = {"paragraph": resolution.paragraph, "start": resolution.start, "end": resolution.end,
                 "passage_id": resolution.passage_id, "quote_id": resolution.quote_id or self.quote_id,
                 "page": resolution.page, "page_end": resolution.page_end}
        if all(getattr(self, k) == v for k, v in moved.items()):
            return self
        return replace(self, **moved)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["tags"] = list(self.tags)
        return d


@dataclass(frozen=True)
class Resolution:
    """Where a bookmark is in one archive. ``passage_id``/``start``/``end``/``quote_id`` are
    that archive's; for CHANGED, ``passage_id`` is the passage now at the bookmark's ¶ (for
    context) and ``start``/``end`` are set only when the same words are there but their
    attribution changed."""

    status: str
    passage_id: int | None = None
    start: int | None = None
    end: int | None = None
    quote_id: int | None = None
    reason: str = ""
    paragraph: int | None = None  # the ¶ of ``passage_id`` (where the words are now, when found)
    page: int | None = None  # and its page(s), in a document with pages
    page_end: int | None = None

    @property
    def found(self) -> bool:
        return self.status in (OK, MOVED)

    @property
    def label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


@dataclass(frozen=True)
class BookmarkSpan:
    """A bookmarked span of one passage, for drawing it in the reader."""

    bookmark_id: int
    start: int
    end: int
    colour: str
    colour_hex: str
    kind: str


# Orders a bookmark list can be sorted in: the SQL that sorts it (the id breaks ties).
SORTS = {
    "created": ("created",),
    "paragraph": ("paragraph",),
    "document": ("document_title COLLATE NOCASE", "paragraph", "start"),
    "text": ("text COLLATE NOCASE",),
    "speaker": ("attribution COLLATE NOCASE",),
    "note": ("note COLLATE NOCASE",),
    "tags": ("COALESCE((SELECT group_concat(tag, ', ') FROM (SELECT tag FROM tags WHERE bookmark_id = bookmarks.id "
             "ORDER BY position)), '') COLLATE NOCASE",),
}
_HAYSTACK = ("text || ' ' || note || ' ' || attribution || ' ' || relayer || ' ' || document_title || ' ' || "
             "COALESCE((SELECT group_concat(tag, ' ') FROM tags WHERE bookmark_id = bookmarks.id), '')")


@dataclass(frozen=True)
class BookmarkQuery:
    """Which bookmarks, in which order. ``text``: words that must all appear, ignoring case and
    diacritics, in the quote, note, speaker, relayer, document title or tags; ``speaker``: who said or
    relayed the words; ``tag`` ignores case; ``sort`` is a key of ``SORTS``."""

    text: str = ""
    speaker: str = ""
    tag: str = ""
    colour: str = ""
    document_slug: str = ""
    sort: str = "created"
    descending: bool = False

    def sort_keys(self) -> tuple[str, ...]:
        return SORTS.get(self.sort, SORTS["created"])

    def where(self) -> tuple[str, list]:
        where, params = [], []
        if self.tag.strip():
            where.append("id IN (SELECT bookmark_id FROM tags WHERE tag = ? COLLATE NOCASE)")
            params.append(self.tag.strip())
        if self.document_slug:
            where.append("document_slug = ?")
            params.append(self.document_slug)
        if self.colour:
            where.append("colour = ?")
            params.append(self.colour)
        if self.speaker:
            where.append("(speaker = ? OR relayer = ?)")
            params += [self.speaker, self.speaker]
        words = fold(" ".join(self.text.split())).split()
        if words:
            where.append(f"av_has_words({_HAYSTACK}, ?)")
            params.append("\n".join(words))
        return (" WHERE " + " AND ".join(where) if where else ""), params


def _has_words(haystack: str | None, words: str) -> int:
    """For SQL: 1 when every word (newline-separated, folded) is in ``haystack`` once folded."""
    hay = fold(haystack or "")
    return int(all(w in hay for w in words.split("\n")))


@dataclass(frozen=True)
class ImportResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0


# ---------------------------------------------------------------------------------------- values


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def clean_note(note: str) -> str:
    """Notes keep line breaks and tabs; control characters, lone surrogates and empty lines at
    the end go."""
    note = _SURROGATE_RE.sub("\ufffd", note or "")
    note = note.replace("\r\n", "\n").replace("\r", "\n")
    return _NOTE_CONTROL_RE.sub("", note).rstrip("\n")


def normalise_tags(tags: Iterable[str] | str) -> tuple[str, ...]:
    """Tags as the store keeps them: commas separate tags, whitespace collapsed, empty ones
    dropped, duplicates (ignoring case) dropped, first spelling and order kept."""
    if isinstance(tags, str):
        tags = [tags]
    out: list[str] = []
    seen: set[str] = set()
    for raw in tags:
        for part in _SURROGATE_RE.sub("\ufffd", str(raw)).split(","):
            tag = _TAG_SPACE_RE.sub(" ", _NOTE_CONTROL_RE.sub("", part)).strip()
            if tag and tag.casefold() not in seen:
                seen.add(tag.casefold())
                out.append(tag[:200])
    return tuple(out)


def check_colour(colour: str | None) -> str:
    colour = (colour or DEFAULT_COLOUR).strip().lower()
    if colour not in COLOURS:
        raise ValueError(f"unknown colour {colour!r}; use one of {', '.join(COLOURS)}")
    return colour


# ---------------------------------------------------------------------------------------- making


def _snapshot(archive, passage: Passage, start: int, end: int, quote: Quote | None) -> dict:
    document = archive.document(passage.document_id)
    if quote is not None:
        c = cite_quote(archive, quote.id)
        said = quote
    else:
        c = cite_selection(archive, passage.id, start, end)
        said = enclosing_quote(archive, passage.id, start, end)
    if said is not None:
        speaker_name = said.speaker_name or said.speaker_label or ""
        relayer = said.quoted_by_name or ""
        person = archive.speaker(said.speaker_id) if said.speaker_id else None
    else:
        speaker_name, relayer = passage.speaker_name or "", ""
        person = archive.speaker(passage.speaker_id) if passage.speaker_id else None
    text = passage.text[start:end]
    return {
        "text": text, "text_hash": text_hash(text), "document_slug": document.slug,
        "document_title": document.title, "document_date": document.date, "document_date_end": document.date_end,
        "publisher": c.publisher, "paragraph": passage.seq, "start": start, "end": end,
        "speaker": speaker_name, "relayer": relayer, "attribution": c.speaker, "affiliation": c.affiliation,
        "role": (person.role or "") if person else "", "organisation": (person.organisation or "") if person else "",
        "passage_id": passage.id, "page": passage.page, "page_end": passage.page_end, "url": document.url or "",
        "words": c.words,
    }


def make_bookmark(archive, *, quote_id: int | None = None, passage_id: int | None = None,
                  start: int | None = None, end: int | None = None, note: str = "",
                  tags: Iterable[str] | str = (), colour: str = DEFAULT_COLOUR) -> Bookmark:
    """An unsaved bookmark of a direct quote (``quote_id``) or of ``passage.text[start:end]``.
    A selection is trimmed of surrounding whitespace; a selection that is exactly a direct quote
    becomes a quote bookmark. Raises ValueError with a plain reason when there is nothing to keep."""
    colour = check_colour(colour)
    if quote_id is not None:
        quote = archive.quote(quote_id)
        if quote is None:
            raise ValueError(f"there is no quote {quote_id} in this archive")
        passage = archive.passage(quote.passage_id)
        if passage is None or passage.text[quote.start:quote.end] != quote.text:
            raise DataDamaged(f"The archive “{archive.path.name}” is damaged: quote {quote.id} is not where its "
                              "passage says it is.", f"quote {quote.id}: {quote.start}-{quote.end} of passage "
                              f"{quote.passage_id}")
        if quote.kind != QUOTE:  # a quoted name, title or term: nobody's words, keep it as a selection
            return make_bookmark(archive, passage_id=quote.passage_id, start=quote.start, end=quote.end,
                                 note=note, tags=tags, colour=colour)
        snap = _snapshot(archive, passage, quote.start, quote.end, quote)
        return Bookmark(kind=QUOTE_KIND, quote_id=quote.id, note=clean_note(note), tags=normalise_tags(tags),
                        colour=colour, **snap)
    if passage_id is None or start is None or end is None:
        raise ValueError("give a quote id, or a passage with start and end offsets")
    passage = archive.passage(passage_id)
    if passage is None:
        raise ValueError(f"there is no passage {passage_id} in this archive")
    if not (0 <= start < end <= len(passage.text)):
        raise ValueError(f"offsets {start}-{end} are outside passage {passage_id} (0-{len(passage.text)})")
    while start < end and passage.text[start].isspace():
        start += 1
    while end > start and passage.text[end - 1].isspace():
        end -= 1
    if start == end:
        raise ValueError("the selection has no text")
    exact = next((q for q in archive.quotes(passage_id=passage_id) if q.start == start and q.end == end), None)
    if exact is not None:
        return make_bookmark(archive, quote_id=exact.id, note=note, tags=tags, colour=colour)
    snap = _snapshot(archive, passage, start, end, None)
    return Bookmark(kind=SELECTION_KIND, note=clean_note(note), tags=normalise_tags(tags), colour=colour, **snap)


# ---------------------------------------------------------------------------------------- resolving


_MAX_TRIES = 25  # places with the same words checked for a moved bookmark


class Resolver:
    """Maps bookmarks onto one archive by content. Reads the archive on the calling thread;
    keeps the passages of the ``cached`` documents read last, so resolve many bookmarks with one Resolver
    (in document order, if there are very many)."""

    def __init__(self, archive, cached: int = 64):
        self.archive = archive
        self._cached = cached
        self._passages: OrderedDict[str, list[Passage] | None] = OrderedDict()

    def passages(self, slug: str) -> list[Passage] | None:
        if slug in self._passages:
            self._passages.move_to_end(slug)
        else:
            doc = self.archive.document(slug)
            self._passages[slug] = self.archive.passages(doc.id) if doc is not None and doc.has_text else None
            if len(self._passages) > self._cached:
                self._passages.popitem(last=False)
        return self._passages[slug]

    def resolve(self, b: Bookmark) -> Resolution:
        passages = self.passages(b.document_slug)
        if passages is None:
            return Resolution(MISSING, reason=f"the document “{b.document_title}” is not in this archive")
        by_seq = {p.seq: p for p in passages}
        here = by_seq.get(b.paragraph)
        if here is not None and here.text[b.start:b.end] == b.text:
            return self._check(b, here, b.start, b.end, OK)
        # the words may have moved (a paragraph added before them, ...): nearest place first
        reattributed, tries = None, _MAX_TRIES
        for p in sorted(passages, key=lambda p: (abs(p.seq - b.paragraph), p.seq)):
            for start in sorted(_occurrences(p.text, b.text), key=lambda s: abs(s - b.start)):
                found = self._check(b, p, start, start + len(b.text), MOVED)
                if found.found:
                    return found
                reattributed = reattributed or found
                tries -= 1
                if tries == 0:  # common words everywhere: stop looking, it changed
                    return reattributed
        return reattributed or Resolution(CHANGED, passage_id=here.id if here else None,
                                          reason="these words are no longer in the archive as they were bookmarked",
                                          paragraph=here.seq if here else None)

    def _check(self, b: Bookmark, p: Passage, start: int, end: int, status: str) -> Resolution:
        """The same words: are they still attributed as they were?"""
        quote = None
        if b.kind == QUOTE_KIND:
            quote = next((q for q in self.archive.quotes(passage_id=p.id) if q.start == start and q.end == end), None)
        c = cite_quote(self.archive, quote.id) if quote is not None else cite_selection(self.archive, p.id, start, end)
        if c is None or c.speaker != b.attribution:
            now = (c.speaker if c else "") or "no one"
            return Resolution(CHANGED, passage_id=p.id, start=start, end=end,
                              reason=f"the archive now attributes these words to {now}", paragraph=p.seq,
                              page=p.page, page_end=p.page_end)
        if c.words != b.words:
            now = {QUOTE_WORDS: f"words of {c.speaker}", PARAPHRASE: f"the report's words about {c.speaker}",
                   NARRATION: "the report's own words"}[c.words]
            return Resolution(CHANGED, passage_id=p.id, start=start, end=end,
                              reason=f"the archive now has these words as {now}", paragraph=p.seq,
                              page=p.page, page_end=p.page_end)
        return Resolution(status, passage_id=p.id, start=start, end=end, quote_id=quote.id if quote else None,
                          paragraph=p.seq, page=p.page, page_end=p.page_end)


def _occurrences(text: str, words: str) -> list[int]:
    out, i = [], text.find(words)
    while i >= 0:
        out.append(i)
        i = text.find(words, i + 1)
    return out


def resolve_all(archive, bookmarks: Iterable[Bookmark]) -> dict[int, Resolution]:
    """Resolutions by bookmark id; UNRESOLVED for all when ``archive`` is None."""
    return {b.id: r for b, r in resolve_each(archive, bookmarks)}


def resolve_each(archive, bookmarks: Iterable[Bookmark]) -> Iterator[tuple[Bookmark, Resolution]]:
    """Each bookmark with its resolution, one at a time (UNRESOLVED when ``archive`` is None)."""
    resolver = Resolver(archive) if archive is not None else None
    for b in bookmarks:
        yield b, (resolver.resolve(b) if resolver is not None else Resolution(UNRESOLVED))




# ---------------------------------------------------------------------------------------- the store file


BOOKMARKS = StoreKind("bookmarks", APPLICATION_ID, STORE_VERSION, _SCHEMA, _EXPECTED_COLUMNS, "bookmarks",
                      BookmarkError, StoreTooNew)


def verify(path: Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS, full: bool = True) -> int:
    """Check that ``path`` is a usable bookmarks store; returns its number of bookmarks
    (``viewer.core.userstore.verify``)."""
    return verify_store(path, BOOKMARKS, busy_timeout_ms, full)


_Damaged = Damaged


# ---------------------------------------------------------------------------------------- the store


class StoreReading:
    """What reads a store (``BookmarkStore``, and ``StoreReader`` on another thread), through ``_conn``."""

    _conn: sqlite3.Connection | None

    def _read(self, sql: str, params: tuple = ()) -> list[tuple]:
        if self._conn is None:
            raise BookmarkError("could not read the bookmarks: they are closed")
        try:
            return self._conn.execute(sql, params).fetchall()
        except sqlite3.Error as e:
            raise store_error(e, "read the bookmarks", BOOKMARKS) from e

    def _rows_to_bookmarks(self, rows: list[tuple]) -> list[Bookmark]:
        if not rows:
            return []
        ids = [r[0] for r in rows]
        tags: dict[int, list[str]] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            for bid, tag in self._read(
                f"SELECT bookmark_id, tag FROM tags WHERE bookmark_id IN ({','.join('?' * len(chunk))}) "
                "ORDER BY bookmark_id, position", tuple(chunk)):
                tags.setdefault(bid, []).append(tag)
        return [Bookmark(**dict(zip(_COLUMNS, r[:len(_COLUMNS)])), tags=tuple(tags.get(r[0], ()))) for r in rows]

    def count(self, query: BookmarkQuery | None = None) -> int:
        """How many bookmarks there are (that ``query`` selects)."""
        where, params = (query or BookmarkQuery()).where()
        return self._read("SELECT COUNT(*) FROM bookmarks" + where, tuple(params))[0][0]

    def page(self, query: BookmarkQuery, after: tuple | None = None, limit: int = 200) -> tuple[list[Bookmark], tuple | None]:
        """Up to ``limit`` bookmarks that ``query`` selects, in its order, after the one whose key is
        ``after`` (None: from the first); returns them and the key of the last (None when there are none).
        Each page is one indexed query, however far down it is (keyset paging)."""
        keys = query.sort_keys()
        where, params = query.where()
        if after is not None:
            marks = ", ".join("?" * (len(keys) + 1))
            where += (" AND " if where else " WHERE ") + \
                f"({', '.join(keys)}, id) {'<' if query.descending else '>'} ({marks})"
            params = [*params, *after]
        order = ", ".join(f"{k} {'DESC' if query.descending else 'ASC'}" for k in (*keys, "id"))
        sql = (f"SELECT {', '.join(f'[{c}]' for c in _COLUMNS)}, {', '.join(keys)} FROM bookmarks{where} "
               f"ORDER BY {order} LIMIT ?")
        rows = self._read(sql, (*params, limit))
        if not rows:
            return [], None
        last = rows[-1]
        return self._rows_to_bookmarks(rows), (*last[len(_COLUMNS):], last[0])

    def iter(self, query: BookmarkQuery | None = None, batch: int = 500) -> Iterator[Bookmark]:
        """Every bookmark ``query`` selects (default: all, in the order they were made), read a batch at a
        time: memory stays flat however many there are."""
        query = query or BookmarkQuery()
        after = None
        while True:
            found, after = self.page(query, after, batch)
            yield from found
            if len(found) < batch:
                return

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads inside see the store as it was when the block began (one read transaction), however
        long they take; changes by others wait for nothing (WAL)."""
        if self._conn is None:
            raise BookmarkError("could not read the bookmarks: they are closed")
        try:
            self._conn.execute("BEGIN")
        except sqlite3.Error as e:
            raise store_error(e, "read the bookmarks", BOOKMARKS) from e
        try:
            yield
        finally:
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("COMMIT")

    def marks(self, document_slug: str) -> list[Bookmark]:
        """What to draw in one document: one bookmark for each place and colour (bookmarks of the same words
        with the same attribution and colour draw the same mark, however many there are)."""
        cols = ", ".join(f"[{c}]" for c in _COLUMNS[1:])
        rows = self._read(f'SELECT MIN(id), {cols} FROM bookmarks WHERE document_slug = ? '
                          f'GROUP BY paragraph, start, "end", text_hash, kind, attribution, colour', (document_slug,))
        return self._rows_to_bookmarks(rows)  # the other columns: the row MIN() picks

    def speakers(self) -> list[str]:
        """Everyone who said or relayed bookmarked words, by name (ignoring case)."""
        rows = self._read("SELECT speaker FROM bookmarks WHERE speaker != '' UNION "
                          "SELECT relayer FROM bookmarks WHERE relayer != '' ORDER BY 1 COLLATE NOCASE")
        return [r[0] for r in rows]

    def documents(self) -> list[tuple[str, str]]:
        """(slug, title) of every document with bookmarks, by title (ignoring case)."""
        rows = self._read("SELECT slug, (SELECT document_title FROM bookmarks WHERE document_slug = slug LIMIT 1) "
                          "FROM (SELECT DISTINCT document_slug AS slug FROM bookmarks) ORDER BY 2 COLLATE NOCASE")
        return [(r[0], r[1]) for r in rows]

    def get(self, bookmark_id: int) -> Bookmark | None:
        found = self._rows_to_bookmarks(self._read(_SELECT + " WHERE id = ?", (bookmark_id,)))
        return found[0] if found else None

    def get_by_uid(self, uid: str) -> Bookmark | None:
        found = self._rows_to_bookmarks(self._read(_SELECT + " WHERE uid = ?", (uid,)))
        return found[0] if found else None

    def list(self, tag: str | None = None, document_slug: str | None = None) -> list[Bookmark]:
        """Bookmarks in the order they were made, all in memory (``iter`` streams); ``tag`` ignores case."""
        return list(self.iter(BookmarkQuery(tag=tag or "", document_slug=document_slug or "")))

    def tags(self) -> list[tuple[str, int]]:
        """Every tag in use with its number of bookmarks, by name (ignoring case); a tag written several
        ways is given as the oldest bookmark has it."""
        rows = self._read("SELECT tag, MIN(bookmark_id), COUNT(*) FROM tags GROUP BY tag COLLATE NOCASE "
                          "ORDER BY tag COLLATE NOCASE")  # tag: the spelling of the row MIN() picks
        return [(r[0], r[2]) for r in rows]


class StoreReader(StoreReading, Connected):
    """A store read from another thread (an export in the background): its own read-only connection, made
    where it is used. Nothing is checked or repaired here; the ``BookmarkStore`` that was opened did that."""

    def __init__(self, path: str | os.PathLike, busy_timeout_ms: int = BUSY_TIMEOUT_MS):
        try:
            self._conn = sqlite3.connect(Path(path).as_uri() + "?mode=ro", uri=True, timeout=busy_timeout_ms / 1000,
                                         isolation_level=None)
            self._conn.create_function("av_has_words", 2, _has_words, deterministic=True)
        except sqlite3.Error as e:
            raise store_error(e, "read the bookmarks", BOOKMARKS) from e



class BookmarkStore(UserStore, StoreReading):
    """The user's bookmarks in one SQLite file (``viewer.core.userstore.UserStore``). Use from one
    thread (the UI thread or a CLI command); every change is one transaction and is on disk when the
    method returns."""

    KIND = BOOKMARKS

    @classmethod
    def open(cls, data_dir: str | os.PathLike | None = None, **kwargs) -> BookmarkStore:
        """The store in the user's data folder (see ``viewer.core.datadir``)."""
        from viewer.core.datadir import data_dir as resolve_dir

        return cls(resolve_dir(data_dir) / STORE_NAME, **kwargs)

    repaired: str = ""  # what was repaired on open (ids too large to go on), for the user

    def _verify(self, path: Path, full: bool = True) -> int:
        return verify(path, self.busy_timeout_ms, full)

    def _opened(self) -> None:
        self._add_columns()
        self._conn.create_function("av_has_words", 2, _has_words, deterministic=True)
        with contextlib.suppress(sqlite3.OperationalError):  # a store made before the index (or read-only)
            self._conn.execute("CREATE INDEX IF NOT EXISTS bookmarks_created ON bookmarks(created, id)")
        self.repaired = self._repair_ids()

    def _add_columns(self) -> None:
        """Brings a store made by an earlier version up to date (``_ADDED_COLUMNS``), in one transaction."""
        have = {r[1] for r in self._conn.execute("PRAGMA table_info(bookmarks)")}
        missing = [c for c in _ADDED_COLUMNS if c not in have]
        if missing:
            with self._write("update the bookmarks file") as c:
                for column in missing:
                    c.execute(f'ALTER TABLE bookmarks ADD COLUMN "{column}" {_ADDED_COLUMNS[column]}')

    def for_passage(self, archive, passage_id: int) -> list[BookmarkSpan]:
        """The bookmarked spans of one passage of ``archive`` with their colours, for drawing.
        Bookmarks whose words changed in the archive are not drawn."""
        passage = archive.passage(passage_id)
        if passage is None:
            return []
        document = archive.document(passage.document_id)
        resolver = Resolver(archive)
        out = []
        for b in self.list(document_slug=document.slug):
            r = resolver.resolve(b)
            if r.found and r.passage_id == passage_id:
                out.append(BookmarkSpan(b.id, r.start, r.end, b.colour, b.colour_hex, b.kind))
        return sorted(out, key=lambda s: (s.start, s.end, s.bookmark_id))

    def _repair_ids(self) -> str:
        """Bookmarks whose ids went past ``MAX_ID`` (an earlier version kept ids from imported files, up to
        2^63-1, after which no bookmark could be saved) renumbered after the others, and the id sequence
        brought back to the ids in use. Returns what was done, for the user ("" when nothing was)."""
        top = self._read("SELECT COALESCE(MAX(id), 0) FROM bookmarks")[0][0]
        seq = self._read("SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = 'bookmarks'")[0][0]
        if top <= MAX_ID and seq <= MAX_ID:
            return ""
        with self._write("repair the bookmarks") as c:
            c.execute("PRAGMA defer_foreign_keys = ON")  # tags follow their bookmark within the transaction
            high = [r[0] for r in c.execute("SELECT id FROM bookmarks WHERE id > ? ORDER BY id", (MAX_ID,))]
            base = c.execute("SELECT COALESCE(MAX(id), 0) FROM bookmarks WHERE id <= ?", (MAX_ID,)).fetchone()[0]
            for new, old in enumerate(high, start=base + 1):
                c.execute("UPDATE tags SET bookmark_id = ? WHERE bookmark_id = ?", (new, old))
                c.execute("UPDATE bookmarks SET id = ? WHERE id = ?", (new, old))
            c.execute("UPDATE sqlite_sequence SET seq = (SELECT COALESCE(MAX(id), 0) FROM bookmarks) "
                      "WHERE name = 'bookmarks'")
        if not high:
            return "the numbering of new bookmarks was repaired"
        return (f"the numbering of the bookmarks was repaired: {len(high)} bookmark{'s' if len(high) != 1 else ''} "
                f"with a number too large to go on {'were' if len(high) != 1 else 'was'} renumbered from {base + 1}")

    # ---------------------------------------------------------------- changing

    def _insert(self, c: sqlite3.Connection, b: Bookmark, keep_id: bool) -> int:
        values = asdict(b)
        values.pop("tags")
        if not keep_id or values["id"] is None or not 0 < values["id"] <= MAX_ID or \
                c.execute("SELECT 1 FROM bookmarks WHERE id = ?", (values["id"],)).fetchone():
            values.pop("id")
        cols = list(values)
        names = ", ".join(f'"{k}"' for k in cols)
        marks = ", ".join("?" * len(cols))
        cur = c.execute(f"INSERT INTO bookmarks ({names}) VALUES ({marks})", tuple(values[k] for k in cols))
        bid = cur.lastrowid
        self._set_tags(c, bid, b.tags)
        return bid

    @staticmethod
    def _set_tags(c: sqlite3.Connection, bid: int, tags: tuple[str, ...]) -> None:
        c.execute("DELETE FROM tags WHERE bookmark_id = ?", (bid,))
        c.executemany("INSERT INTO tags(bookmark_id, position, tag) VALUES (?, ?, ?)",
                      [(bid, i, t) for i, t in enumerate(tags)])

    @staticmethod
    def _checked(b: Bookmark) -> Bookmark:
        if b.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}")
        if not b.text:
            raise ValueError("a bookmark needs text")
        return replace(b, note=clean_note(b.note), tags=normalise_tags(b.tags), colour=check_colour(b.colour),
                       text_hash=text_hash(b.text))

    def add(self, bookmark: Bookmark) -> Bookmark:
        """Save a new bookmark (from ``make_bookmark``); returns it with its id, uid and times.
        When this returns, the bookmark is on disk."""
        now = now_iso()
        b = replace(self._checked(bookmark), id=None, uid=uuid.uuid4().hex, created=now, updated=now)
        with self._write("save the bookmark") as c:
            bid = self._insert(c, b, keep_id=False)
        return replace(b, id=bid)

    def update(self, bookmark_id: int, *, note: str | None = None, tags: Iterable[str] | None = None,
               colour: str | None = None) -> Bookmark:
        """Change the note, tags or colour of a bookmark; returns it as saved."""
        changes: dict[str, object] = {}
        if note is not None:
            changes["note"] = clean_note(note)
        if colour is not None:
            changes["colour"] = check_colour(colour)
        new_tags = normalise_tags(tags) if tags is not None else None
        with self._write("save the bookmark") as c:
            if not c.execute("SELECT 1 FROM bookmarks WHERE id = ?", (bookmark_id,)).fetchone():
                raise BookmarkNotFound(f"there is no bookmark {bookmark_id}")
            changes["updated"] = now_iso()
            c.execute(f"UPDATE bookmarks SET {', '.join(f'{k} = ?' for k in changes)} WHERE id = ?",
                      (*changes.values(), bookmark_id))
            if new_tags is not None:
                self._set_tags(c, bookmark_id, new_tags)
        return self.get(bookmark_id)

    def remove(self, bookmark_ids: int | Iterable[int]) -> list[Bookmark]:
        """Delete bookmarks (one transaction); returns what was deleted, for undo with ``restore``."""
        ids = [bookmark_ids] if isinstance(bookmark_ids, int) else list(bookmark_ids)
        with self._write("delete the bookmark") as c:
            gone = []
            for bid in ids:
                found = self._rows_to_bookmarks(c.execute(_SELECT + " WHERE id = ?", (bid,)).fetchall())
                if not found:
                    raise BookmarkNotFound(f"there is no bookmark {bid}")
                gone.append(found[0])
                c.execute("DELETE FROM bookmarks WHERE id = ?", (bid,))
        return gone

    def restore(self, bookmarks: Iterable[Bookmark]) -> list[Bookmark]:
        """Put deleted bookmarks back as they were (same uid and times; the same id when it is free).
        One already present (same uid) is left as it is."""
        out = []
        with self._write("restore the bookmark") as c:
            for b in bookmarks:
                row = c.execute("SELECT id FROM bookmarks WHERE uid = ?", (b.uid,)).fetchone()
                bid = row[0] if row else self._insert(c, self._checked(b), keep_id=True)
                out.append(bid)
        return [self.get(bid) for bid in out]

    def import_bookmarks(self, bookmarks: Iterable[Bookmark]) -> ImportResult:
        """Merge bookmarks from an export (read as they come: ``viewer.core.bookmark_file``), all or nothing:
        an error from ``bookmarks`` midway rolls everything back. A bookmark already here (same uid) takes
        the note, tags and colour of whichever copy was updated last; new ones keep their uid and times and
        get new ids (an id from a file is never kept)."""
        added = updated = unchanged = 0
        with self._write("import the bookmarks") as c:
            for b in bookmarks:
                b = self._checked(b)
                now = now_iso()
                b = replace(b, uid=b.uid or uuid.uuid4().hex, created=b.created or now,
                            updated=b.updated or b.created or now)
                row = c.execute("SELECT id, updated FROM bookmarks WHERE uid = ?", (b.uid,)).fetchone()
                if row is None:
                    self._insert(c, b, keep_id=False)
                    added += 1
                elif _later(b.updated, row[1]):
                    c.execute("UPDATE bookmarks SET note = ?, colour = ?, updated = ? WHERE id = ?",
                              (b.note, b.colour, b.updated, row[0]))
                    self._set_tags(c, row[0], b.tags)
                    updated += 1
                else:
                    unchanged += 1
        return ImportResult(added, updated, unchanged)


    def follow_corrections(self, archive, places: Iterable[tuple[int, int, int]]) -> list[Bookmark]:
        """Bookmarks of words the user has just given another speaker (a correction) take the archive's
        new attribution, so that their citations and exports say it: those overlapping ``places``
        ((passage id, start, end) in ``archive``) whose words are still where they were and whose
        attribution alone changed. Returns them as saved."""
        by_passage: dict[int, list[tuple[int, int]]] = {}
        for pid, start, end in places:
            by_passage.setdefault(pid, []).append((start, end))
        slugs = set()
        for pid in by_passage:
            passage = archive.passage(pid)
            document = archive.document(passage.document_id) if passage is not None else None
            if document is not None:
                slugs.add(document.slug)
        resolver = Resolver(archive)
        followed = []
        for slug in sorted(slugs):
            for b in self.list(document_slug=slug):
                r = resolver.resolve(b)
                if r.status != CHANGED or r.start is None or not any(
                        s < r.end and r.start < e for s, e in by_passage.get(r.passage_id, ())):
                    continue
                passage = archive.passage(r.passage_id)
                quote = next((q for q in archive.quotes(passage_id=passage.id) if q.start == r.start and q.end == r.end),
                             None) if b.kind == QUOTE_KIND else None
                snap = _snapshot(archive, passage, r.start, r.end, quote)
                changes = {k: snap[k] for k in ("speaker", "relayer", "attribution", "affiliation", "role",
                                                "organisation", "passage_id", "words")}
                changes["quote_id"] = quote.id if quote is not None else b.quote_id
                changes["updated"] = now_iso()
                with self._write("save the bookmark") as c:
                    c.execute(f"UPDATE bookmarks SET {', '.join(f'[{k}] = ?' for k in changes)} WHERE id = ?",
                              (*changes.values(), b.id))
                followed.append(self.get(b.id))
        return followed


def _later(a: str, b: str) -> bool:
    try:
        return datetime.fromisoformat(a) > datetime.fromisoformat(b)
    except (TypeError, ValueError):
        return False
