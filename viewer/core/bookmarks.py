"""The user's bookmarks: their own data, in their own store, never written into the archive.

A bookmark (``viewer.core.bookmark_records``) is a direct quote (by id) or any selection in a passage
(passage + offsets) with a snapshot of the words and of their attribution, anchored by content so that it
maps back onto a rebuilt archive (``viewer.core.bookmark_anchoring``). This module keeps them.

The store (``BookmarkStore``) is an SQLite file in the user's data folder, kept the way every store of
the user's own data is (``viewer.core.userstore``: WAL, ``synchronous=FULL``, one transaction per change,
a busy timeout, checked on open, a damaged file moved aside and the newest good backup restored, one
verified backup a day). ``StoreReader`` reads it from another thread (an export in the background).

The records and the anchoring are re-exported here, so ``from viewer.core.bookmarks import Bookmark``
keeps working; the app's own modules import them from where they are.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import asdict, replace
from datetime import datetime
from pathlib import Path

from viewer.core.bookmark_anchoring import (  # noqa: F401 (make_bookmark, resolve_all, resolve_each: re-exported)
    Resolver,
    make_bookmark,
    resolve_all,
    resolve_each,
    snapshot_fields,
)
from viewer.core.bookmark_records import (  # noqa: F401 (the records and their values: re-exported)
    CHANGED,
    COLOURS,
    DEFAULT_COLOUR,
    KINDS,
    MISSING,
    MOVED,
    OK,
    QUOTE_KIND,
    SELECTION_KIND,
    SORTS,
    STATUS_LABELS,
    UNRESOLVED,
    Bookmark,
    BookmarkQuery,
    BookmarkSpan,
    ImportResult,
    Resolution,
    check_colour,
    clean_note,
    has_words,
    normalise_tags,
    text_hash,
)
from viewer.core.userstore import (  # noqa: F401 (BACKUP_DIR, DAMAGED_DIR, Recovery, now_iso: re-exported)
    BACKUP_DIR,
    BUSY_TIMEOUT_MS,
    DAMAGED_DIR,
    Connected,
    Damaged,
    Recovery,
    StoreError,
    StoreKind,
    StoreTooNewError,
    UserStore,
    now_iso,
    store_error,
)
from viewer.core.userstore import verify as verify_store

APPLICATION_ID = 0x41566231  # "AVb1": an Archive Viewer bookmark store
STORE_VERSION = 1
STORE_NAME = "bookmarks.db"
EXPORT_FORMAT = "archive-viewer-bookmarks"
MAX_ID = 2**31 - 1  # ids go past no Qt int; a store whose ids went past it is renumbered on open

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
# The columns of the first stores, in order; ``_ADDED_COLUMNS`` come after them.
_BASE_COLUMNS = [
    "id",
    "uid",
    "kind",
    "text",
    "text_hash",
    "document_slug",
    "document_title",
    "document_date",
    "document_date_end",
    "publisher",
    "paragraph",
    "start",
    "end",
    "speaker",
    "relayer",
    "attribution",
    "affiliation",
    "role",
    "organisation",
    "passage_id",
    "quote_id",
    "note",
    "colour",
    "created",
    "updated",
]
_EXPECTED_COLUMNS = {
    "meta": {"key", "value"},
    "bookmarks": set(_BASE_COLUMNS),
    "tags": {"bookmark_id", "position", "tag"},
}
# Columns added after stores were made with the expected ones above; ``_add_columns`` adds them to an
# older store when it is opened (an older version of the app ignores them).
_ADDED_COLUMNS = {
    "page": "INTEGER",
    "page_end": "INTEGER",
    "url": "TEXT NOT NULL DEFAULT ''",
    "words": "TEXT NOT NULL DEFAULT ''",
}
_COLUMNS = [*_BASE_COLUMNS, *_ADDED_COLUMNS]
_SELECT = "SELECT " + ", ".join(f'"{c}"' for c in _COLUMNS) + " FROM bookmarks"

# ---------------------------------------------------------------------------------------- errors


class BookmarkError(StoreError):
    """The bookmarks cannot be read or saved. ``message`` is one plain line for the user."""


class BookmarkNotFound(BookmarkError):
    pass


class StoreTooNew(BookmarkError, StoreTooNewError):
    pass


class ImportFailed(BookmarkError):
    pass


# ---------------------------------------------------------------------------------------- the store file


BOOKMARKS = StoreKind(
    "bookmarks", APPLICATION_ID, STORE_VERSION, _SCHEMA, _EXPECTED_COLUMNS, "bookmarks", BookmarkError, StoreTooNew
)


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
            chunk = ids[i : i + 500]
            for bid, tag in self._read(
                f"SELECT bookmark_id, tag FROM tags WHERE bookmark_id IN ({','.join('?' * len(chunk))}) "
                "ORDER BY bookmark_id, position",
                tuple(chunk),
            ):
                tags.setdefault(bid, []).append(tag)
        return [Bookmark(**dict(zip(_COLUMNS, r[: len(_COLUMNS)])), tags=tuple(tags.get(r[0], ()))) for r in rows]

    def count(self, query: BookmarkQuery | None = None) -> int:
        """How many bookmarks there are (that ``query`` selects)."""
        where, params = (query or BookmarkQuery()).where()
        return self._read("SELECT COUNT(*) FROM bookmarks" + where, tuple(params))[0][0]

    def page(
        self, query: BookmarkQuery, after: tuple | None = None, limit: int = 200
    ) -> tuple[list[Bookmark], tuple | None]:
        """Up to ``limit`` bookmarks that ``query`` selects, in its order, after the one whose key is
        ``after`` (None: from the first); returns them and the key of the last (None when there are none).
        Each page is one indexed query, however far down it is (keyset paging)."""
        keys = query.sort_keys()
        where, params = query.where()
        if after is not None:
            marks = ", ".join("?" * (len(keys) + 1))
            where += (
                " AND " if where else " WHERE "
            ) + f"({', '.join(keys)}, id) {'<' if query.descending else '>'} ({marks})"
            params = [*params, *after]
        order = ", ".join(f"{k} {'DESC' if query.descending else 'ASC'}" for k in (*keys, "id"))
        sql = (
            f"SELECT {', '.join(f'[{c}]' for c in _COLUMNS)}, {', '.join(keys)} FROM bookmarks{where} "
            f"ORDER BY {order} LIMIT ?"
        )
        rows = self._read(sql, (*params, limit))
        if not rows:
            return [], None
        last = rows[-1]
        return self._rows_to_bookmarks(rows), (*last[len(_COLUMNS) :], last[0])

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
        rows = self._read(
            f"SELECT MIN(id), {cols} FROM bookmarks WHERE document_slug = ? "
            f'GROUP BY paragraph, start, "end", text_hash, kind, attribution, colour',
            (document_slug,),
        )
        return self._rows_to_bookmarks(rows)  # the other columns: the row MIN() picks

    def speakers(self) -> list[str]:
        """Everyone who said or relayed bookmarked words, by name (ignoring case)."""
        rows = self._read(
            "SELECT speaker FROM bookmarks WHERE speaker != '' UNION "
            "SELECT relayer FROM bookmarks WHERE relayer != '' ORDER BY 1 COLLATE NOCASE"
        )
        return [r[0] for r in rows]

    def documents(self) -> list[tuple[str, str]]:
        """(slug, title) of every document with bookmarks, by title (ignoring case)."""
        rows = self._read(
            "SELECT slug, (SELECT document_title FROM bookmarks WHERE document_slug = slug LIMIT 1) "
            "FROM (SELECT DISTINCT document_slug AS slug FROM bookmarks) ORDER BY 2 COLLATE NOCASE"
        )
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
        rows = self._read(
            "SELECT tag, MIN(bookmark_id), COUNT(*) FROM tags GROUP BY tag COLLATE NOCASE ORDER BY tag COLLATE NOCASE"
        )  # tag: the spelling of the row MIN() picks
        return [(r[0], r[2]) for r in rows]


class StoreReader(StoreReading, Connected):
    """A store read from another thread (an export in the background): its own read-only connection, made
    where it is used. Nothing is checked or repaired here; the ``BookmarkStore`` that was opened did that."""

    def __init__(self, path: str | os.PathLike, busy_timeout_ms: int = BUSY_TIMEOUT_MS):
        try:
            self._conn = sqlite3.connect(
                Path(path).as_uri() + "?mode=ro", uri=True, timeout=busy_timeout_ms / 1000, isolation_level=None
            )
            self._conn.create_function("av_has_words", 2, has_words, deterministic=True)
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
        self._conn.create_function("av_has_words", 2, has_words, deterministic=True)
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
            c.execute(
                "UPDATE sqlite_sequence SET seq = (SELECT COALESCE(MAX(id), 0) FROM bookmarks) WHERE name = 'bookmarks'"
            )
        if not high:
            return "the numbering of new bookmarks was repaired"
        return (
            f"the numbering of the bookmarks was repaired: {len(high)} bookmark{'s' if len(high) != 1 else ''} "
            f"with a number too large to go on {'were' if len(high) != 1 else 'was'} renumbered from {base + 1}"
        )

    # ---------------------------------------------------------------- changing

    def _insert(self, c: sqlite3.Connection, b: Bookmark, keep_id: bool) -> int:
        values = asdict(b)
        values.pop("tags")
        if (
            not keep_id
            or values["id"] is None
            or not 0 < values["id"] <= MAX_ID
            or c.execute("SELECT 1 FROM bookmarks WHERE id = ?", (values["id"],)).fetchone()
        ):
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
        c.executemany(
            "INSERT INTO tags(bookmark_id, position, tag) VALUES (?, ?, ?)", [(bid, i, t) for i, t in enumerate(tags)]
        )

    @staticmethod
    def _checked(b: Bookmark) -> Bookmark:
        if b.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}")
        if not b.text:
            raise ValueError("a bookmark needs text")
        return replace(
            b,
            note=clean_note(b.note),
            tags=normalise_tags(b.tags),
            colour=check_colour(b.colour),
            text_hash=text_hash(b.text),
        )

    def add(self, bookmark: Bookmark) -> Bookmark:
        """Save a new bookmark (from ``make_bookmark``); returns it with its id, uid and times.
        When this returns, the bookmark is on disk."""
        now = now_iso()
        b = replace(self._checked(bookmark), id=None, uid=uuid.uuid4().hex, created=now, updated=now)
        with self._write("save the bookmark") as c:
            bid = self._insert(c, b, keep_id=False)
        return replace(b, id=bid)

    def update(
        self, bookmark_id: int, *, note: str | None = None, tags: Iterable[str] | None = None, colour: str | None = None
    ) -> Bookmark:
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
            c.execute(
                f"UPDATE bookmarks SET {', '.join(f'{k} = ?' for k in changes)} WHERE id = ?",
                (*changes.values(), bookmark_id),
            )
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
                b = replace(
                    b, uid=b.uid or uuid.uuid4().hex, created=b.created or now, updated=b.updated or b.created or now
                )
                row = c.execute("SELECT id, updated FROM bookmarks WHERE uid = ?", (b.uid,)).fetchone()
                if row is None:
                    self._insert(c, b, keep_id=False)
                    added += 1
                elif _later(b.updated, row[1]):
                    c.execute(
                        "UPDATE bookmarks SET note = ?, colour = ?, updated = ? WHERE id = ?",
                        (b.note, b.colour, b.updated, row[0]),
                    )
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
                if (
                    r.status != CHANGED
                    or r.start is None
                    or not any(s < r.end and r.start < e for s, e in by_passage.get(r.passage_id, ()))
                ):
                    continue
                passage = archive.passage(r.passage_id)
                quote = (
                    next(
                        (q for q in archive.quotes(passage_id=passage.id) if q.start == r.start and q.end == r.end),
                        None,
                    )
                    if b.kind == QUOTE_KIND
                    else None
                )
                snap = snapshot_fields(archive, passage, r.start, r.end, quote)
                changes = {
                    k: snap[k]
                    for k in (
                        "speaker",
                        "relayer",
                        "attribution",
                        "affiliation",
                        "role",
                        "organisation",
                        "passage_id",
                        "words",
                    )
                }
                changes["quote_id"] = quote.id if quote is not None else b.quote_id
                changes["updated"] = now_iso()
                with self._write("save the bookmark") as c:
                    c.execute(
                        f"UPDATE bookmarks SET {', '.join(f'[{k}] = ?' for k in changes)} WHERE id = ?",
                        (*changes.values(), b.id),
                    )
                followed.append(self.get(b.id))
        return followed


def _later(a: str, b: str) -> bool:
    try:
        return datetime.fromisoformat(a) > datetime.fromisoformat(b)
    except (TypeError, ValueError):
        return False
