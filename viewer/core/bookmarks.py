"""The user's bookmarks: their own data, in their own store, never written into the archive.

A bookmark is a direct quote (by id) or any selection in a passage (passage + offsets). It keeps a
snapshot of the words and of their attribution (speaker, who relayed them, role, document title and
date, ¶ number, and whether the words are a quote, the report's paraphrase of a speaker or narration:
``Bookmark.words``), so it can always be shown and cited as it was made, and it is anchored by content
(document slug, passage sequence, offsets and a hash of the words) so that it maps back onto a
rebuilt archive whose ids changed. ``Resolver`` does that mapping; when the words are no longer
where they were, or the archive now attributes them to someone else, the bookmark is "changed in
the archive" and is shown with its snapshot, never silently on different words.

The store (``BookmarkStore``) is an SQLite file in the user's data folder:

* WAL mode, ``synchronous=FULL``, one ``BEGIN IMMEDIATE`` transaction per change and a busy
  timeout, so a kill at any moment loses no acknowledged change and two running copies of the app
  can both save;
* checked on open (``application_id``, ``user_version``, the expected tables and columns,
  ``integrity_check``); a damaged store is moved to ``damaged/`` (never deleted) and the newest
  backup that passes the same checks is restored; ``BookmarkStore.recovery`` says what happened
  and the backup's date;
* at most one backup a day, made on open with SQLite's online backup, verified before it is kept;
  the newest ``keep_backups`` are kept.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import shutil
import sqlite3
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, fields, replace
from datetime import date, datetime, timezone
from pathlib import Path

from viewer.core.citation import (
    NARRATION, PARAPHRASE, QUOTE as QUOTE_WORDS, WORDS, Citation, cite_quote, cite_selection, enclosing_quote,
    legacy_words,
)
from viewer.core.dates import format_range
from viewer.core.records import QUOTE, Passage, Quote, page_label

APPLICATION_ID = 0x41566231  # "AVb1": an Archive Viewer bookmark store
STORE_VERSION = 1
STORE_NAME = "bookmarks.db"
BACKUP_DIR = "backups"
DAMAGED_DIR = "damaged"
KEEP_BACKUPS = 7
BUSY_TIMEOUT_MS = 15000
EXPORT_FORMAT = "archive-viewer-bookmarks"

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


class BookmarkError(Exception):
    """The bookmarks cannot be read or saved. ``message`` is one plain line for the user."""

    def __init__(self, message: str, details: str = ""):
        super().__init__(message)
        self.message = message
        self.details = details


class BookmarkNotFound(BookmarkError):
    pass


class StoreTooNew(BookmarkError):
    pass


class ImportFailed(BookmarkError):
    pass


def _save_error(e: BaseException, doing: str) -> BookmarkError:
    code = getattr(e, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary == 13 or (isinstance(e, OSError) and e.errno == errno.ENOSPC):  # SQLITE_FULL
        why = "the disk is full"
    elif primary in (5, 6):  # BUSY, LOCKED
        why = "another copy of Archive Viewer kept the bookmarks busy for too long; try again"
    elif primary == 8 or (isinstance(e, OSError) and e.errno in (errno.EACCES, errno.EPERM, errno.EROFS)):
        why = "the bookmarks folder is read-only"
    elif primary in (11, 26):
        why = "the bookmarks file is damaged; restart Archive Viewer to restore the latest backup"
    else:
        why = str(e) or type(e).__name__
    return BookmarkError(f"could not {doing}: {why}", f"{type(e).__name__}: {e}")


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


@dataclass(frozen=True)
class Recovery:
    """What happened when the store was found damaged on open."""

    reason: str
    damaged_path: Path
    backup_path: Path | None
    backup_date: date | None
    bookmarks: int

    @property
    def message(self) -> str:
        where = f"The damaged file was kept as {self.damaged_path}."
        if self.backup_date is not None:
            return (f"Your bookmarks file was damaged ({self.reason}). The backup of "
                    f"{self.backup_date.day} {self.backup_date:%B %Y} was restored ({self.bookmarks} bookmarks); "
                    f"bookmarks made or changed after that date are not in it. {where}")
        return (f"Your bookmarks file was damaged ({self.reason}) and there was no good backup to restore; "
                f"a new, empty bookmarks file was started. {where}")


@dataclass(frozen=True)
class ImportResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0


# ---------------------------------------------------------------------------------------- values


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


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


def _check_time(value: object, name: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be a date and time")
    try:
        datetime.fromisoformat(value)
    except ValueError as e:
        raise ValueError(f"{name}: {value!r} is not an ISO date and time") from e
    return value


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
    caches a document's passages, so resolve many bookmarks with one Resolver."""

    def __init__(self, archive):
        self.archive = archive
        self._passages: dict[str, list[Passage] | None] = {}

    def passages(self, slug: str) -> list[Passage] | None:
        if slug not in self._passages:
            doc = self.archive.document(slug)
            self._passages[slug] = self.archive.passages(doc.id) if doc is not None and doc.has_text else None
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
    if archive is None:
        return {b.id: Resolution(UNRESOLVED) for b in bookmarks}
    r = Resolver(archive)
    return {b.id: r.resolve(b) for b in bookmarks}


# ---------------------------------------------------------------------------------------- (de)serialising


def bookmark_from_dict(d: dict) -> Bookmark:
    """A bookmark from its ``to_dict()`` form (an export file); ValueError says what is wrong."""
    if not isinstance(d, dict):
        raise ValueError("a bookmark must be an object")
    known = {f.name for f in fields(Bookmark)}
    values = {k: v for k, v in d.items() if k in known}
    for name in ("kind", "text", "document_slug", "document_title", "paragraph", "start", "end"):
        if name not in values:
            raise ValueError(f"missing {name}")
    if values["kind"] not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    for name in ("text", "document_slug", "document_title"):
        if not isinstance(values[name], str) or not values[name]:
            raise ValueError(f"{name} must be non-empty text")
    for name in ("paragraph", "start", "end"):
        if not isinstance(values[name], int) or isinstance(values[name], bool) or values[name] < 0:
            raise ValueError(f"{name} must be a whole number")
    if values["end"] - values["start"] != len(values["text"]):
        raise ValueError("start and end do not match the length of the text")
    for name in ("id", "passage_id", "quote_id", "page", "page_end"):
        v = values.get(name)
        if v is not None and (not isinstance(v, int) or isinstance(v, bool) or v < 1):
            raise ValueError(f"{name} must be a positive whole number or null")
    for name in ("uid", "publisher", "speaker", "relayer", "attribution", "affiliation", "role", "organisation",
                 "note", "created", "updated", "url", "words"):
        v = values.get(name)
        if v is None:
            values.pop(name, None)
        elif not isinstance(v, str):
            raise ValueError(f"{name} must be text")
    for name in ("document_date", "document_date_end"):
        v = values.get(name)
        if v is not None and not isinstance(v, str):
            raise ValueError(f"{name} must be text or null")
    tags = values.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ValueError("tags must be a list of text")
    values["tags"] = normalise_tags(tags)
    values["colour"] = check_colour(values.get("colour"))
    values["note"] = clean_note(values.get("note", ""))
    values["text_hash"] = text_hash(values["text"])
    uid = values.get("uid", "")
    if uid and not re.fullmatch(r"[0-9A-Za-z_-]{1,64}", uid):
        raise ValueError("uid must be letters, digits, - or _")
    for name in ("created", "updated"):
        if name in values:
            _check_time(values[name], name)
    return Bookmark(**values)


def load_export(text: str) -> list[Bookmark]:
    """The bookmarks of a JSON export (``viewer.core.export.to_json``); ImportFailed says why not."""
    try:
        data = json.loads(text)
    except ValueError as e:
        raise ImportFailed(f"this is not a bookmarks export (not JSON: {e})") from e
    if isinstance(data, dict):
        if data.get("format") != EXPORT_FORMAT:
            raise ImportFailed("this is not an Archive Viewer bookmarks export")
        version = data.get("version")
        if not isinstance(version, int) or version > STORE_VERSION:
            raise ImportFailed("this export was made by a newer version of Archive Viewer; please update")
        items = data.get("bookmarks")
    else:
        items = data
    if not isinstance(items, list):
        raise ImportFailed("this is not an Archive Viewer bookmarks export (no list of bookmarks)")
    out = []
    for i, item in enumerate(items, start=1):
        try:
            out.append(bookmark_from_dict(item))
        except (ValueError, TypeError) as e:
            raise ImportFailed(f"bookmark {i} of the file cannot be read: {e}") from e
    return out


# ---------------------------------------------------------------------------------------- files


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def _folder_lock(folder: Path, timeout_ms: int) -> Iterator[None]:
    """An exclusive lock on the data folder while the store is checked, backed up or restored,
    so two copies of the app starting together do not both repair it."""
    path = folder / ".bookmarks.lock"
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        raise _save_error(e, "open the bookmarks") from e
    try:
        deadline = time.monotonic() + timeout_ms / 1000
        while not _try_lock(fd):
            if time.monotonic() > deadline:
                raise BookmarkError("could not open the bookmarks: another copy of Archive Viewer is repairing them")
            time.sleep(0.02)
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)


def _try_lock(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _unlock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:
        import msvcrt

        with contextlib.suppress(OSError):
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    fcntl.flock(fd, fcntl.LOCK_UN)


class _Damaged(Exception):
    """The file is not a usable store (the reason is the message)."""


def _connect(path: Path, busy_timeout_ms: int) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=busy_timeout_ms / 1000, isolation_level=None, check_same_thread=True)
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    return conn


_DAMAGE_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
_SHORT_READ = 522  # SQLITE_IOERR_SHORT_READ: a truncated file


def _is_damage(e: BaseException) -> bool:
    if isinstance(e, UnicodeDecodeError):
        return True
    code = getattr(e, "sqlite_errorcode", None)
    if not isinstance(code, int):
        text = str(e).lower()
        return "malformed" in text or "not a database" in text
    return (code & 0xFF) in _DAMAGE_CODES or code == _SHORT_READ


def verify(path: Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> int:
    """Check that ``path`` is a usable store: our application_id, a version this code reads, the
    expected tables and columns and a clean ``integrity_check``. Returns the number of bookmarks;
    raises _Damaged with a reason, StoreTooNew, or BookmarkError for trouble that is not damage
    (a locked or unreadable file)."""
    try:
        size = path.stat().st_size
    except OSError as e:
        raise _save_error(e, "open the bookmarks") from e
    if size == 0:
        raise _Damaged("the file is empty")
    try:
        with path.open("rb") as f:
            header = f.read(100)
    except OSError as e:
        raise _save_error(e, "open the bookmarks") from e
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        raise _Damaged("it is not a database file")
    conn = None
    try:
        conn = _connect(path, busy_timeout_ms)
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if app_id != APPLICATION_ID:
            raise _Damaged("it is not an Archive Viewer bookmarks file")
        if version > STORE_VERSION:
            raise StoreTooNew("these bookmarks were saved by a newer version of Archive Viewer; please update")
        if version < 1:
            raise _Damaged("it was never finished")
        for table, expected in _EXPECTED_COLUMNS.items():
            have = {r[1] for r in conn.execute(f"PRAGMA table_info([{table}])")}
            if not expected <= have:
                raise _Damaged(f"its {table} table is missing or incomplete")
        problems = [r[0] for r in conn.execute("PRAGMA integrity_check(20)")]
        if problems != ["ok"]:
            raise _Damaged(f"integrity check: {problems[0]}")
        return conn.execute("SELECT COUNT(*) FROM bookmarks").fetchone()[0]
    except (sqlite3.Error, UnicodeDecodeError) as e:
        if _is_damage(e):
            raise _Damaged(str(e)) from e
        raise _save_error(e, "open the bookmarks") from e
    finally:
        if conn is not None:
            conn.close()


def _create(path: Path) -> None:
    """A new, empty store at ``path``, made beside it and moved into place whole."""
    tmp = path.with_name(path.name + ".new")
    for extra in ("", "-journal", "-wal", "-shm"):
        Path(str(tmp) + extra).unlink(missing_ok=True)
    conn = sqlite3.connect(tmp, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("BEGIN")
        for statement in _SCHEMA.split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute("INSERT INTO meta(key, value) VALUES ('created', ?)", (now_iso(),))
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {STORE_VERSION}")
        conn.execute("COMMIT")
    finally:
        conn.close()
    _fsync_file(tmp)
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _backup_date(path: Path) -> date | None:
    m = re.fullmatch(r"bookmarks-(\d{4}-\d{2}-\d{2})\.db", path.name)
    if not m:
        return None
    try:
        return date.fromisoformat(m.group(1))
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------- the store


class BookmarkStore:
    """The user's bookmarks in one SQLite file. Use from one thread (the UI thread or a CLI command);
    every change is one transaction and is on disk when the method returns.

    ``recovery`` is set when the file was found damaged on open and a backup restored (or a new
    store started); show ``recovery.message`` to the user. ``backup_warning`` is set when today's
    backup could not be made (the store itself is fine)."""

    def __init__(self, path: str | os.PathLike, *, keep_backups: int = KEEP_BACKUPS,
                 busy_timeout_ms: int = BUSY_TIMEOUT_MS, backup: bool = True, today: date | None = None):
        self.path = Path(path)
        self.keep_backups = keep_backups
        self.busy_timeout_ms = busy_timeout_ms
        self.recovery: Recovery | None = None
        self.backup_warning: str = ""
        self._conn: sqlite3.Connection | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise BookmarkError(f"could not create the bookmarks folder {self.path.parent}: {e.strerror or e}",
                                repr(e)) from e
        with _folder_lock(self.path.parent, busy_timeout_ms):
            self.recovery = self._prepare()
            try:
                self._conn = _connect(self.path, busy_timeout_ms)
                mode = self._conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                self._conn.execute("PRAGMA synchronous = FULL")
                self._conn.execute("PRAGMA foreign_keys = ON")
                self.journal_mode = mode
                self._add_columns()
            except sqlite3.Error as e:
                self.close()
                raise _save_error(e, "open the bookmarks") from e
            if backup:
                self._backup(today or date.today())

    @classmethod
    def open(cls, data_dir: str | os.PathLike | None = None, **kwargs) -> BookmarkStore:
        """The store in the user's data folder (see ``viewer.core.datadir``)."""
        from viewer.core.datadir import data_dir as resolve_dir

        return cls(resolve_dir(data_dir) / STORE_NAME, **kwargs)

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
            self._conn = None

    def __enter__(self) -> BookmarkStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---------------------------------------------------------------- open, check, recover, back up

    def _add_columns(self) -> None:
        """Brings a store made by an earlier version up to date (``_ADDED_COLUMNS``), in one transaction."""
        have = {r[1] for r in self._conn.execute("PRAGMA table_info(bookmarks)")}
        missing = [c for c in _ADDED_COLUMNS if c not in have]
        if missing:
            with self._write("update the bookmarks file") as c:
                for column in missing:
                    c.execute(f'ALTER TABLE bookmarks ADD COLUMN "{column}" {_ADDED_COLUMNS[column]}')

    @property
    def backup_dir(self) -> Path:
        return self.path.parent / BACKUP_DIR

    @property
    def damaged_dir(self) -> Path:
        return self.path.parent / DAMAGED_DIR

    def _prepare(self) -> Recovery | None:
        restoring = self.path.with_name(self.path.name + ".restoring")
        if not self.path.exists() and restoring.exists():
            # a restore was interrupted after the damaged file was moved aside: finish it
            try:
                verify(restoring, self.busy_timeout_ms)
                os.replace(restoring, self.path)
            except _Damaged:
                restoring.unlink(missing_ok=True)
        elif restoring.exists():  # a copy of a backup left by an interrupted repair: nothing of its own
            restoring.unlink()
        if not self.path.exists():
            _create(self.path)
            return None
        try:
            verify(self.path, self.busy_timeout_ms)
            return None
        except _Damaged as e:
            return self._recover(str(e))

    def backups(self) -> list[Path]:
        """Backup files, newest first."""
        if not self.backup_dir.is_dir():
            return []
        found = [p for p in self.backup_dir.iterdir() if _backup_date(p) is not None]
        return sorted(found, key=lambda p: p.name, reverse=True)

    def _recover(self, reason: str) -> Recovery:
        restoring = self.path.with_name(self.path.name + ".restoring")
        chosen, count = None, 0
        for candidate in self.backups():
            try:
                shutil.copyfile(candidate, restoring)
                count = verify(restoring, self.busy_timeout_ms)
            except (_Damaged, OSError, BookmarkError):
                restoring.unlink(missing_ok=True)
                continue
            _fsync_file(restoring)
            chosen = candidate
            break
        self.damaged_dir.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y-%m-%d-%H%M%S")
        moved = self.damaged_dir / f"bookmarks-{stamp}.db"
        n = 1
        while moved.exists():
            n += 1
            moved = self.damaged_dir / f"bookmarks-{stamp}-{n}.db"
        for extra in ("-wal", "-shm", "-journal"):
            side = Path(str(self.path) + extra)
            if side.exists():
                os.replace(side, Path(str(moved) + extra))
        os.replace(self.path, moved)
        _fsync_dir(self.damaged_dir)
        if chosen is not None:
            os.replace(restoring, self.path)
            _fsync_dir(self.path.parent)
        else:
            _create(self.path)
        recovery = Recovery(reason, moved, chosen, _backup_date(chosen) if chosen else None, count)
        conn = _connect(self.path, self.busy_timeout_ms)
        try:
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('recovery_notice', ?)",
                         (json.dumps({"message": recovery.message, "when": now_iso()}),))
        finally:
            conn.close()
        return recovery

    def _backup(self, today: date) -> Path | None:
        """Today's verified backup, if none was made today and there is something to keep."""
        target = self.backup_dir / f"bookmarks-{today.isoformat()}.db"
        tmp = self.backup_dir / f".bookmarks-{today.isoformat()}.db.tmp{os.getpid()}"
        try:
            if target.exists() or self.count() == 0:
                return None
            self.backup_dir.mkdir(parents=True, exist_ok=True)
            for stale in self.backup_dir.glob(".bookmarks-*.tmp*"):
                stale.unlink(missing_ok=True)
            dst = sqlite3.connect(tmp)
            try:
                self._conn.backup(dst)
                dst.execute("PRAGMA journal_mode = DELETE")
            finally:
                dst.close()
            copied = verify(tmp, self.busy_timeout_ms)
            if copied != self.count():
                raise _Damaged("the copy does not hold every bookmark")
            _fsync_file(tmp)
            os.replace(tmp, target)
            _fsync_dir(self.backup_dir)
            for old in self.backups()[self.keep_backups:]:
                old.unlink(missing_ok=True)
            return target
        except (OSError, sqlite3.Error, _Damaged, BookmarkError) as e:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
            self.backup_warning = f"today's backup of the bookmarks could not be made: {e}"
            return None

    def recovery_notice(self) -> str:
        """The message of an earlier recovery the user has not dismissed yet ("" if none)."""
        row = self._read("SELECT value FROM meta WHERE key = 'recovery_notice'")
        if not row:
            return ""
        try:
            return str(json.loads(row[0][0]).get("message", ""))
        except (ValueError, AttributeError):
            return ""

    def dismiss_recovery_notice(self) -> None:
        with self._write("save the bookmarks") as c:
            c.execute("DELETE FROM meta WHERE key = 'recovery_notice'")

    # ---------------------------------------------------------------- transactions

    @contextlib.contextmanager
    def _write(self, doing: str) -> Iterator[sqlite3.Connection]:
        """One transaction; committed (and on disk, synchronous=FULL) when the block ends."""
        if self._conn is None:
            raise BookmarkError(f"could not {doing}: the bookmarks are closed")
        c = self._conn
        try:
            c.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as e:
            raise _save_error(e, doing) from e
        try:
            yield c
            c.execute("COMMIT")
        except BaseException as e:
            with contextlib.suppress(sqlite3.Error):
                c.execute("ROLLBACK")
            if isinstance(e, sqlite3.Error):
                raise _save_error(e, doing) from e
            raise

    def _read(self, sql: str, params: tuple = ()) -> list[tuple]:
        if self._conn is None:
            raise BookmarkError("could not read the bookmarks: they are closed")
        try:
            return self._conn.execute(sql, params).fetchall()
        except sqlite3.Error as e:
            raise _save_error(e, "read the bookmarks") from e

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
        return [Bookmark(**dict(zip(_COLUMNS, r)), tags=tuple(tags.get(r[0], ()))) for r in rows]

    # ---------------------------------------------------------------- reading

    def count(self) -> int:
        return self._read("SELECT COUNT(*) FROM bookmarks")[0][0]

    def get(self, bookmark_id: int) -> Bookmark | None:
        found = self._rows_to_bookmarks(self._read(_SELECT + " WHERE id = ?", (bookmark_id,)))
        return found[0] if found else None

    def get_by_uid(self, uid: str) -> Bookmark | None:
        found = self._rows_to_bookmarks(self._read(_SELECT + " WHERE uid = ?", (uid,)))
        return found[0] if found else None

    def list(self, tag: str | None = None, document_slug: str | None = None) -> list[Bookmark]:
        """Bookmarks in the order they were made; ``tag`` ignores case."""
        where, params = [], []
        if tag:
            where.append("id IN (SELECT bookmark_id FROM tags WHERE tag = ? COLLATE NOCASE)")
            params.append(tag.strip())
        if document_slug:
            where.append("document_slug = ?")
            params.append(document_slug)
        sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY created, id"
        return self._rows_to_bookmarks(self._read(sql, tuple(params)))

    def tags(self) -> list[tuple[str, int]]:
        """Every tag in use with its number of bookmarks, by name (ignoring case)."""
        rows = self._read("SELECT MIN(tag), COUNT(*) FROM tags GROUP BY tag COLLATE NOCASE "
                          "ORDER BY tag COLLATE NOCASE")
        return [(r[0], r[1]) for r in rows]

    def data_version(self) -> int:
        """Changes when another connection (another copy of the app) commits a change."""
        return self._read("PRAGMA data_version")[0][0]

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

    # ---------------------------------------------------------------- changing

    def _insert(self, c: sqlite3.Connection, b: Bookmark, keep_id: bool) -> int:
        values = asdict(b)
        values.pop("tags")
        if not keep_id or values["id"] is None or c.execute("SELECT 1 FROM bookmarks WHERE id = ?",
                                                           (values["id"],)).fetchone():
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
        """Merge bookmarks from an export, all or nothing. A bookmark already here (same uid) takes
        the note, tags and colour of whichever copy was updated last; new ones keep their uid, times
        and (when free) id."""
        added = updated = unchanged = 0
        items = list(bookmarks)
        with self._write("import the bookmarks") as c:
            for b in items:
                b = self._checked(b)
                now = now_iso()
                b = replace(b, uid=b.uid or uuid.uuid4().hex, created=b.created or now,
                            updated=b.updated or b.created or now)
                row = c.execute("SELECT id, updated FROM bookmarks WHERE uid = ?", (b.uid,)).fetchone()
                if row is None:
                    self._insert(c, b, keep_id=True)
                    added += 1
                elif _later(b.updated, row[1]):
                    c.execute("UPDATE bookmarks SET note = ?, colour = ?, updated = ? WHERE id = ?",
                              (b.note, b.colour, b.updated, row[0]))
                    self._set_tags(c, row[0], b.tags)
                    updated += 1
                else:
                    unchanged += 1
        return ImportResult(added, updated, unchanged)


def _later(a: str, b: str) -> bool:
    try:
        return datetime.fromisoformat(a) > datetime.fromisoformat(b)
    except (TypeError, ValueError):
        return False
