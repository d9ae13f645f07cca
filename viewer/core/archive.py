"""The read API: an open archive and the records in it. Everything the CLI and the UI read
goes through ``Archive``; no other module writes SQL against the archive's tables for reading
documents, speakers, passages and quotes."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from viewer.core import records, schema
from viewer.core.db import DEFAULT_TIMEOUT_MS, Connection, chunks, open_archive, placeholders
from viewer.core.names import MAYBE, SURE, same_person
from viewer.core.names import readings as readings_of
from viewer.core.records import CORRECTED_UNKNOWN, QUOTE, Document, Passage, Quote

if False:  # annotations only (typing.TYPE_CHECKING without importing typing); records makes them when first used
    from viewer.core.speaker_records import ArchiveSummary, Entity, EventRole, Mention, Speaker
from viewer.core.text import fold

# Values longer than this are not loaded: "(too large to display)" stands in, other rows stay usable.
MAX_TEXT = 2_000_000
TOO_LARGE = "(too large to display)"
_TEXT = f"CASE WHEN length(CAST(p.text AS BLOB)) > {MAX_TEXT} THEN '{TOO_LARGE}' ELSE p.text END"
_PASSAGE_SQL = f"""
SELECT p.id, p.document_id, p.seq, p.speaker_id, p.kind, {_TEXT} AS text, p.words, p.attribution,
       s.name AS speaker_name, {{pages}}
FROM passages p LEFT JOIN speakers s ON s.id = p.speaker_id
"""
_QUOTE_SQL = f"""
SELECT q.id, q.passage_id, q.document_id, q.start, q."end",
       CASE WHEN length(CAST(q.text AS BLOB)) > {MAX_TEXT} THEN '{TOO_LARGE}' ELSE q.text END AS text,
       q.kind, q.speaker_id, q.speaker_label,
       q.quoted_by, q.parent_id, q.cue, s.name AS speaker_name, r.name AS quoted_by_name, {{quotes}}
FROM quotes q LEFT JOIN speakers s ON s.id = q.speaker_id LEFT JOIN speakers r ON r.id = q.quoted_by
"""
_DOC_COLUMNS = (
    "id",
    "slug",
    "title",
    "kind",
    "date",
    "date_end",
    "published",
    "collection",
    "organiser",
    "publisher",
    "source_note",
    "url",
    "has_text",
    "passages",
    "words",
)
_SPEAKER_COLUMNS = (
    "id",
    "name",
    "honorific",
    "role",
    "organisation",
    "country",
    "description",
    "passages",
    "words",
    "quotes",
)


def default_archive_path() -> Path:
    """``$ARCHIVE_VIEWER_ARCHIVE``, else the bundled ``archive.db`` next to the package."""
    env = os.environ.get("ARCHIVE_VIEWER_ARCHIVE")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "archive.db"


def _optional(have: set[str], table: str, alias: str) -> str:
    """The optional columns of ``table`` as select items: the column, or NULL when the archive is older."""
    return ", ".join(f"{alias}.{c}" if c in have else f"NULL AS {c}" for c in schema.OPTIONAL_COLUMNS[table])


def _document(row: sqlite3.Row) -> Document:
    d = {k: row[k] for k in _DOC_COLUMNS}
    for k in schema.OPTIONAL_COLUMNS["documents"]:
        d[k] = row[k] if k in row.keys() else None
    d["has_text"] = bool(d["has_text"])
    return Document(**d)


def _aliases(value: str | None) -> tuple[str, ...]:
    """A JSON list of other spellings; what is not one (a damaged value) reads as none: the name stands."""
    try:
        aliases = json.loads(value or "[]")
    except (ValueError, RecursionError):
        return ()
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        return ()
    return tuple(aliases)


def _speaker(row: sqlite3.Row) -> Speaker:
    return records.Speaker(
        **{k: row[k] for k in _SPEAKER_COLUMNS}, aliases=_aliases(row["aliases"]), affiliation=row["affiliation"]
    )


def _passage(row: sqlite3.Row) -> Passage:
    return Passage(**{k: row[k] for k in row.keys()})


def _quote(row: sqlite3.Row) -> Quote:
    return Quote(**{k: row[k] for k in row.keys()})


# How a collection's documents can be listed (``Archive.documents_in``): sort keys (expression, descending),
# each list ending in the id so that the order is total. Undated documents come last by date.
LISTED, NEWEST, OLDEST, TITLE = "listed", "newest", "oldest", "title"
DOCUMENT_ORDERS = (LISTED, NEWEST, OLDEST, TITLE)
_ORDER_KEYS = {
    LISTED: (("has_text", True), ("position", False), ("id", False)),
    NEWEST: (("(date IS NULL)", False), ("COALESCE(date, '')", True), ("id", True)),
    OLDEST: (("(date IS NULL)", False), ("COALESCE(date, '')", False), ("id", False)),
    TITLE: (("title COLLATE NOCASE", False), ("id", False)),
}


class Archive:
    """An open archive (read-only). One per thread; ``clone()`` gives another connection."""

    def __init__(
        self, path: str | os.PathLike, timeout_ms: int = DEFAULT_TIMEOUT_MS, *, _conn: Connection | None = None
    ):
        self.db = _conn or open_archive(path, timeout_ms)
        self.path = self.db.path
        self._passage_count: int | None = None
        self._passage_sql = _PASSAGE_SQL.format(
            pages=_optional(schema.columns_of(self.db, "passages"), "passages", "p")
        )
        have = schema.columns_of(self.db, "documents")
        self._doc_columns = ", ".join(_DOC_COLUMNS) + ", " + _optional(have, "documents", "documents")
        self._doc_optional_d = _optional(have, "documents", "d")
        self._quote_sql = _QUOTE_SQL.format(quotes=_optional(schema.columns_of(self.db, "quotes"), "quotes", "q"))

    def clone(self) -> Archive:
        return Archive(self.path, _conn=self.db.clone())

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def interrupt(self) -> None:
        self.db.interrupt()

    # -------------------------------------------------------------- summary

    def meta(self) -> dict[str, str]:
        return {r["key"]: r["value"] for r in self.db.execute("SELECT key, value FROM meta")}

    def summary(self) -> ArchiveSummary:
        meta = self.meta()
        counts = self.db.execute(
            """SELECT (SELECT COUNT(*) FROM documents), (SELECT COUNT(*) FROM documents WHERE has_text),
                      (SELECT COUNT(*) FROM speakers s
                       WHERE EXISTS (SELECT 1 FROM document_speakers ds WHERE ds.speaker_id = s.id)),
                      (SELECT COALESCE(SUM(passages), 0) FROM documents),
                      (SELECT COUNT(*) FROM quotes WHERE kind = 'quote'), (SELECT COUNT(*) FROM entities)"""
        )[0]
        fmt = self.db.execute("PRAGMA user_version")[0][0]
        return records.ArchiveSummary(
            path=str(self.path),
            title=meta.get("title", self.path.stem),
            format_version=fmt,
            app_version=meta.get("generator", ""),
            documents=counts[0],
            documents_with_text=counts[1],
            speakers=counts[2],
            passages=counts[3],
            quotes=counts[4],
            entities=counts[5],
        )

    def passage_count(self) -> int:
        """How many passages the archive holds (remembered: an open archive does not change)."""
        if self._passage_count is None:
            self._passage_count = self.db.execute("SELECT COALESCE(SUM(passages), 0) FROM documents")[0][0]
        return self._passage_count

    # -------------------------------------------------------------- documents

    def documents(self) -> list[Document]:
        """All documents, grouped by collection, in listed order."""
        rows = self.db.execute(
            f"SELECT {self._doc_columns} FROM documents ORDER BY has_text DESC, collection, position, id"
        )
        return [_document(r) for r in rows]

    def document(self, key: int | str) -> Document | None:
        col = "id" if isinstance(key, int) else "slug"
        row = self.db.first(f"SELECT {self._doc_columns} FROM documents WHERE {col} = ?", (key,))
        return _document(row) if row else None

    def documents_by_ids(self, ids: list[int]) -> list[Document]:
        """The documents with these ids, in the order given; ids not found are left out."""
        by_id: dict[int, Document] = {}
        for chunk in chunks(list(dict.fromkeys(ids))):
            rows = self.db.execute(
                f"SELECT {self._doc_columns} FROM documents WHERE id IN ({placeholders(len(chunk))})", tuple(chunk)
            )
            by_id.update((r["id"], _document(r)) for r in rows)
        return [by_id[i] for i in ids if i in by_id]

    def collections(self) -> list[tuple[str | None, int, int]]:
        """(collection, documents, documents with text) for each collection: those with text first,
        then by name; documents in no collection (None) last."""
        rows = self.db.execute(
            """SELECT collection, COUNT(*), COALESCE(SUM(has_text), 0) FROM documents GROUP BY collection
               ORDER BY MAX(has_text) DESC, collection IS NULL, collection"""
        )
        return [(r[0], r[1], r[2]) for r in rows]

    def documents_in(
        self, collection: str | None, offset: int = 0, limit: int = -1, order: str = LISTED
    ) -> list[Document]:
        """One collection's documents (None: those in no collection), in ``order`` (``DOCUMENT_ORDERS``):
        listed (those with text first, in the order of ``documents()``), by date (newest or oldest
        first, undated last) or by title."""
        where = "collection IS NULL" if collection is None else "collection = ?"
        params = () if collection is None else (collection,)
        keys = ", ".join(f"{expr} {'DESC' if desc else ''}" for expr, desc in _ORDER_KEYS[order])
        rows = self.db.execute(
            f"SELECT {self._doc_columns} FROM documents WHERE {where} ORDER BY {keys} LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return [_document(r) for r in rows]

    def document_row(self, document_id: int, order: str = LISTED) -> int | None:
        """Where a document stands in its collection's list (its offset in ``documents_in`` order),
        counted on the index without reading the documents before it; None if there is no such document."""
        keys = _ORDER_KEYS[order]
        row = self.db.first(
            f"SELECT collection, {', '.join(e for e, _d in keys)} FROM documents WHERE id = ?", (document_id,)
        )
        if row is None:
            return None
        where = "collection IS NULL" if row[0] is None else "collection = :collection"
        params = {"collection": row[0]} | {f"k{i}": row[i + 1] for i in range(len(keys))}
        # before it: earlier on the first key, or equal on it and earlier on the next, ...
        before, equal = [], []
        for i, (expr, desc) in enumerate(keys):
            before.append("(" + " AND ".join(equal + [f"{expr} {'>' if desc else '<'} :k{i}"]) + ")")
            equal.append(f"{expr} = :k{i}")
        counted = self.db.execute(f"SELECT COUNT(*) FROM documents WHERE {where} AND ({' OR '.join(before)})", params)
        return counted[0][0]

    def listed_in(self, document_id: int) -> Passage | None:
        """The passage that lists a document the archive has no text of."""
        row = self.db.first("SELECT listed_in FROM documents WHERE id = ?", (document_id,))
        return self.passage(row[0]) if row and row[0] else None

    # -------------------------------------------------------------- speakers

    def speakers(self, document_id: int | None = None) -> list[Speaker]:
        """Speakers in order of appearance; with a document, the counts are that document's."""
        cols = ", ".join(f"s.{c}" for c in _SPEAKER_COLUMNS if c not in ("passages", "words", "quotes"))
        if document_id is None:
            rows = self.db.execute(
                # ids are given in order of first appearance (build and import write documents in order);
                # a speaker in no document (corrections moved everything of theirs away) is not listed
                f"""SELECT {cols}, s.aliases, s.affiliation, s.passages, s.words, s.quotes FROM speakers s
                    WHERE EXISTS (SELECT 1 FROM document_speakers ds WHERE ds.speaker_id = s.id) ORDER BY s.id"""
            )
        else:
            rows = self.db.execute(
                f"""SELECT {cols}, s.aliases, s.affiliation, ds.passages, ds.words, ds.quotes
                    FROM document_speakers ds JOIN speakers s ON s.id = ds.speaker_id
                    WHERE ds.document_id = ? ORDER BY ds.position""",
                (document_id,),
            )
        return [_speaker(r) for r in rows]

    def speaker(self, speaker_id: int) -> Speaker | None:
        row = self.db.first("SELECT * FROM speakers WHERE id = ?", (speaker_id,))
        return _speaker(row) if row else None

    def find_speakers(self, name: str) -> list[Speaker]:
        """Speakers whose name or an alias matches ``name`` (case and diacritics ignored; a
        surname alone is enough); when none does, in another script or romanisation
        (``Жовтис`` is Zhovtis, ``Evgeny Zhovtis`` is Yevgeniy Zhovtis)."""
        want = fold(name).strip()
        if not want:
            return []
        speakers = self.speakers()
        out = []
        for s in speakers:
            names = [s.name or "", *s.aliases]
            folded = [fold(n) for n in names]
            if want in folded or any(f.split()[-1] == want for f in folded if f.split()):
                out.append(s)
        if out:
            return out
        # in another script or romanisation: the same person for sure, or a surname alone that is theirs
        for s in speakers:
            names = [n for n in (s.name or "", *s.aliases) if n]
            if any(
                same_person(name, n) == SURE
                or (len(readings_of(name)) and not readings_of(name)[0].given and same_person(name, n) == MAYBE)
                for n in names
            ):
                out.append(s)
        return out

    def event_roles(self, speaker_id: int) -> list[tuple[Document, EventRole]]:
        rows = self.db.execute(
            f"""SELECT {", ".join("d." + c for c in _DOC_COLUMNS)}, {self._doc_optional_d},
                       ds.event_role, ds.position, ds.passages AS dp, ds.words AS dw, ds.quotes AS dq
                FROM document_speakers ds JOIN documents d ON d.id = ds.document_id
                WHERE ds.speaker_id = ? ORDER BY d.date, d.id""",
            (speaker_id,),
        )
        return [
            (
                _document(r),
                records.EventRole(r["id"], speaker_id, r["event_role"], r["position"], r["dp"], r["dw"], r["dq"]),
            )
            for r in rows
        ]

    def event_roles_in(self, document_id: int) -> dict[int, str]:
        """Each speaker's part in one document (speaker id -> "moderator", "panelist", ...)."""
        rows = self.db.execute(
            "SELECT speaker_id, event_role FROM document_speakers WHERE document_id = ?", (document_id,)
        )
        return {r[0]: r[1] for r in rows}

    # -------------------------------------------------------------- passages

    def passages(self, document_id: int, offset: int = 0, limit: int = -1) -> list[Passage]:
        rows = self.db.execute(
            self._passage_sql + " WHERE p.document_id = ? ORDER BY p.seq LIMIT ? OFFSET ?", (document_id, limit, offset)
        )
        return [_passage(r) for r in rows]

    def passage(self, passage_id: int) -> Passage | None:
        row = self.db.first(self._passage_sql + " WHERE p.id = ?", (passage_id,))
        return _passage(row) if row else None

    def passages_by_ids(self, ids: list[int]) -> list[Passage]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = self.db.execute(self._passage_sql + f" WHERE p.id IN ({marks})", tuple(ids))
        by_id = {r["id"]: _passage(r) for r in rows}
        return [by_id[i] for i in ids if i in by_id]

    def passage_ids(self, document_id: int | None = None, speaker_id: int | None = None) -> list[int]:
        where, params = [], []
        if document_id is not None:
            where.append("document_id = ?")
            params.append(document_id)
        if speaker_id is not None:
            where.append("speaker_id = ?")
            params.append(speaker_id)
        sql = (
            "SELECT id FROM passages"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY document_id, seq"
        )
        return [r[0] for r in self.db.execute(sql, tuple(params))]

    # -------------------------------------------------------------- quotes

    def quotes(
        self,
        speaker_id: int | None = None,
        document_id: int | None = None,
        passage_id: int | None = None,
        kinds: tuple[str, ...] | None = (QUOTE,),
    ) -> list[Quote]:
        """Quoted spans, in document order. ``kinds=None`` gives names, titles and terms too.
        With ``speaker_id``: quotes that speaker said, and those they relayed."""
        where, params = [], []
        if kinds:
            where.append(f"q.kind IN ({','.join('?' * len(kinds))})")
            params.extend(kinds)
        if speaker_id is not None:
            where.append("(q.speaker_id = ? OR q.quoted_by = ?)")
            params.extend([speaker_id, speaker_id])
        if document_id is not None:
            where.append("q.document_id = ?")
            params.append(document_id)
        if passage_id is not None:
            where.append("q.passage_id = ?")
            params.append(passage_id)
        sql = (
            self._quote_sql
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY q.passage_id, q.start, q.id"
        )
        return [_quote(r) for r in self.db.execute(sql, tuple(params))]

    def unattributed_quotes(self, document_id: int | None = None, offset: int = 0, limit: int = -1) -> list[Quote]:
        """Direct quotes nobody is named for (no speaker, no label), in document order: what needs the
        user's decision. Those the user marked "speaker unknown" are decided, and not listed."""
        where = ["q.kind = ?", "q.speaker_id IS NULL", "(q.speaker_label IS NULL OR q.speaker_label = '')"]
        params: list = [QUOTE]
        if "rule" in schema.columns_of(self.db, "quotes"):
            where.append(f"(q.rule IS NULL OR q.rule != '{CORRECTED_UNKNOWN}')")
        if document_id is not None:
            where.append("q.document_id = ?")
            params.append(document_id)
        sql = (
            self._quote_sql
            + " WHERE "
            + " AND ".join(where)
            + " ORDER BY q.document_id, q.passage_id, q.start, q.id LIMIT ? OFFSET ?"
        )
        return [_quote(r) for r in self.db.execute(sql, (*params, limit, offset))]

    def quote(self, quote_id: int) -> Quote | None:
        row = self.db.first(self._quote_sql + " WHERE q.id = ?", (quote_id,))
        return _quote(row) if row else None

    def quotes_in_passages(self, passage_ids: list[int], kinds: tuple[str, ...] = (QUOTE,)) -> list[Quote]:
        """The quoted spans of these passages (by default direct quotes), in document order."""
        out: list[Quote] = []
        kind_marks = ",".join("?" * len(kinds))
        for chunk in chunks(list(dict.fromkeys(passage_ids))):
            out += [
                _quote(r)
                for r in self.db.execute(
                    self._quote_sql
                    + f" WHERE q.passage_id IN ({placeholders(len(chunk))}) AND q.kind IN ({kind_marks})",
                    (*chunk, *kinds),
                )
            ]
        return sorted(out, key=lambda q: (q.passage_id, q.start, q.id))

    def quotes_by_ids(self, ids: list[int]) -> list[Quote]:
        """The quotes with these ids (any kind), in the order given; ids not found are left out."""
        by_id: dict[int, Quote] = {}
        for chunk in chunks(list(dict.fromkeys(ids))):
            rows = self.db.execute(self._quote_sql + f" WHERE q.id IN ({placeholders(len(chunk))})", tuple(chunk))
            by_id.update((r["id"], _quote(r)) for r in rows)
        return [by_id[i] for i in ids if i in by_id]

    # -------------------------------------------------------------- entities

    def entities(self, kind: str | None = None) -> list[Entity]:
        sql = "SELECT id, name, kind, aliases, speaker_id, mentions FROM entities"
        rows = self.db.execute(
            sql + (" WHERE kind = ?" if kind else "") + " ORDER BY mentions DESC, id", (kind,) if kind else ()
        )
        return [
            records.Entity(r["id"], r["name"], r["kind"], _aliases(r["aliases"]), r["speaker_id"], r["mentions"])
            for r in rows
        ]

    def mentions(self, passage_id: int | None = None, entity_id: int | None = None) -> list[Mention]:
        where, params = [], []
        if passage_id is not None:
            where.append("passage_id = ?")
            params.append(passage_id)
        if entity_id is not None:
            where.append("entity_id = ?")
            params.append(entity_id)
        sql = 'SELECT id, entity_id, passage_id, document_id, start, "end", surface, speaker_id FROM mentions'
        rows = self.db.execute(
            sql + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY passage_id, start", tuple(params)
        )
        return [records.Mention(**{k: r[k] for k in r.keys()}) for r in rows]
